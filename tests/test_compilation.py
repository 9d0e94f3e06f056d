"""The parsers run compiled only when built from the sources as they are now, and compiled or not give the same
figures."""

from __future__ import annotations

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import fintech_metrics
from fintech_metrics import compilation

ROOT = Path(__file__).resolve().parents[1]
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


@pytest.fixture
def parsers(tmp_path: Path) -> Path:
    """A copy of the parsers' sources with a stand-in extension beside each and a stamp of the sources."""
    folder = tmp_path / "parsers"
    folder.mkdir()
    for source in (ROOT / "fintech_metrics" / "parsers").glob("*.py"):
        shutil.copy(source, folder / source.name)
    for name in compilation.compiled_modules(folder):
        (folder / f"{name}{SUFFIX}").write_bytes(b"")
    (folder / compilation.STAMP).write_text(compilation.digest(folder) + "\n", "ascii")
    return folder


def test_every_parser_module_but_the_package_itself_is_compiled():
    names = compilation.compiled_modules()
    assert "__init__" not in names
    assert {"zh", "en", "metrics", "attribution", "scanning"} <= set(names)
    assert names == sorted(p.stem for p in (ROOT / "fintech_metrics" / "parsers").glob("*.py") if p.stem != "__init__")


def test_compiled_when_built_from_these_sources(parsers: Path):
    assert compilation.decide(parsers, {}) == compilation.Mode(True, "the sources are those it was built from")


def test_an_edited_source_runs_from_its_sources(parsers: Path):
    with (parsers / "memo.py").open("a", encoding="utf-8") as f:
        f.write("\n# edited after the install\n")
    mode = compilation.decide(parsers, {})
    assert not mode.compiled
    assert str(mode) == ("Python sources: the sources changed since they were compiled; `pip install -e .` "
                         "compiles them again")


def test_a_new_module_or_a_missing_extension_runs_from_the_sources(parsers: Path):
    (parsers / "zz_new.py").write_text("X = 1\n", "utf-8")
    assert not compilation.decide(parsers, {}).compiled
    (parsers / "zz_new.py").unlink()
    (parsers / f"zh{SUFFIX}").unlink()
    assert not compilation.decide(parsers, {}).compiled


def test_no_extension_or_the_setting_runs_from_the_sources(parsers: Path):
    assert compilation.decide(parsers, {compilation.PURE_PYTHON: "1"}).reason == "FINTECH_METRICS_PURE_PYTHON is set"
    assert compilation.decide(parsers, {compilation.PURE_PYTHON: "0"}).compiled
    for extension in parsers.glob(f"*{SUFFIX}"):
        extension.unlink()
    assert compilation.decide(parsers, {}).reason.startswith("not compiled at install")


def test_the_source_finder_takes_the_py_file_of_a_parser_module_only(parsers: Path):
    finder = compilation._Sources(parsers, compilation.compiled_modules(parsers))
    spec = finder.find_spec("fintech_metrics.parsers.zh")
    assert spec is not None and spec.origin == str(parsers / "zh.py")
    assert isinstance(spec.loader, importlib.machinery.SourceFileLoader)
    assert finder.find_spec("fintech_metrics.parsers") is None
    assert finder.find_spec("fintech_metrics.records") is None
    assert finder.find_spec("zh") is None


_EXTRACT = """
import json, sys
import fintech_metrics
from fintech_metrics.parsers import extract_figures, metrics_of, zh
rows = []
for text, published, language in json.loads(sys.stdin.read()):
    figures = extract_figures(text, published=published, language=language)
    rows.append([repr(figures), repr(metrics_of(figures, text, published))])
print(json.dumps({"mode": str(fintech_metrics.PARSERS), "zh": zh.__file__, "rows": rows}))
"""

_ARTICLES = [
    ("香港金融管理局表示，截至2025年9月底，八家虚拟银行的客户存款总额约为1,200亿港元，按年增长18%。",
     "2025-11-03", "zh"),
    ("金管局指出，數碼銀行去年錄得淨虧損3.5億港元，較前年的5.1億港元收窄。", "2025-04-01", "zh"),
    ("HSBC said on Monday its pretax profit rose 12% to US$9.2 billion in the third quarter, from US$8.2 billion "
     "a year earlier, and it plans to cut about 1,000 jobs by 2026.", "2025-10-27", "en"),
]


def _extract(environ: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", _EXTRACT], input=json.dumps(_ARTICLES), capture_output=True,
                         text=True, check=True, env={**os.environ, **environ}, cwd=ROOT)
    return json.loads(out.stdout)


@pytest.mark.skipif(not fintech_metrics.PARSERS.compiled, reason="the parsers of this install are not compiled")
def test_compiled_and_source_parsers_give_the_same_figures():
    compiled = _extract({compilation.PURE_PYTHON: ""})
    source = _extract({compilation.PURE_PYTHON: "1"})
    assert compiled["mode"].startswith("compiled (mypyc)")
    assert not compiled["zh"].endswith(".py")
    assert source["mode"] == "Python sources: FINTECH_METRICS_PURE_PYTHON is set"
    assert source["zh"].endswith("zh.py")
    assert compiled["rows"] == source["rows"]
    assert all(figures != "[]" for figures, _ in source["rows"])
