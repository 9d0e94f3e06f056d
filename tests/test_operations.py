"""Operating the pipeline: bad input never stops a run, a killed run never half-loads the warehouse,
and two runs never write at once."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from fintech_metrics.faults import POINTS
from fintech_metrics.lock import RunInProgress, run_lock
from fintech_metrics.reader import run_query

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ("articles", "figures", "metrics", "quarantine", "sources")


def _dump(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse / "fintech.duckdb"), read_only=True) as con:
        return {t: con.sql(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in CONTENT}


def _bad_inputs(raw: Path) -> dict[str, str]:
    """Write one file per kind of awkward input; returns file -> expected outcome."""
    files = {
        "gbk.txt": ("恒生银行去年共有3000名员工。".encode("gbk"), "loaded"),
        "big5.txt": ("東亞銀行今年共有8000名員工。".encode("big5"), "loaded"),
        "utf16-bom.txt": ("中银香港新增了500家商户。".encode("utf-16"), "loaded"),
        "utf16-nobom.txt": ("The bank said 2,000 staff were hired in Hong Kong this year. " * 3).encode("utf-16-le"),
        "utf8-bom.txt": ("\ufeff渣打银行推出了12款新产品。".encode(), "loaded"),
        "page.html": ("<!doctype html><html><head><title>t</title><style>p{}</style></head>"
                      "<body><p>众安银行服务超过80万名客户。</p></body></html>".encode(), "loaded"),
        "empty.txt": (b"", "quarantined"),
        "binary.png": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "quarantined"),
        "nul.txt": ("香港\x00金融".encode(), "quarantined"),
        "undecodable.txt": (b"Hello \xff\xff\xff world " * 20, "quarantined"),
        "bad-meta.txt": ("天星银行有200名员工。".encode(), "quarantined"),
        "bad-date.txt": ("Mox有300名员工。".encode(), "quarantined"),
    }
    expected = {}
    for name, item in files.items():
        data, outcome = item if isinstance(item, tuple) else (item, "loaded")
        (raw / name).write_bytes(data)
        expected[name] = outcome
    (raw / "bad-meta.meta.json").write_text('{"title": "x",', encoding="utf-8")
    (raw / "bad-date.meta.json").write_text('{"published": "2025-02-30"}', encoding="utf-8")
    with open(raw / "huge.txt", "wb") as handle:  # 50 MB, sparse: the size check never reads it
        handle.truncate(50 * 1024 * 1024)
    expected["huge.txt"] = "quarantined"
    return expected


def test_every_bad_input_is_loaded_or_quarantined_with_a_reason(tmp_path, prefect_harness):
    from flows.pipeline import build

    raw = tmp_path / "raw"
    raw.mkdir()
    expected = _bad_inputs(raw)
    summary = build(raw_dir=str(raw), warehouse_dir=str(tmp_path / "wh"))
    assert summary.files_seen == len(expected)
    with duckdb.connect(str(tmp_path / "wh" / "fintech.duckdb"), read_only=True) as con:
        status = dict(con.sql("SELECT source_path, status FROM sources").fetchall())
        reasons = dict(con.sql("SELECT source_path, failed_check || ': ' || reason FROM quarantine").fetchall())
        encodings = dict(con.sql("SELECT source_path, encoding FROM articles").fetchall())
    assert status == expected
    assert set(reasons) == {p for p, s in expected.items() if s == "quarantined"}
    assert reasons["huge.txt"].startswith("max_size: file is 52,428,800 bytes")
    assert "bad-meta.meta.json" in reasons["bad-meta.txt"]
    assert "2025-02-30" in reasons["bad-date.txt"]
    assert reasons["empty.txt"].startswith("not_empty")
    assert encodings == {"gbk.txt": "gb18030", "big5.txt": "big5", "utf16-bom.txt": "utf-16-le",
                         "utf16-nobom.txt": "utf-16-le", "utf8-bom.txt": "utf-8-sig", "page.html": "utf-8+html"}


def test_a_second_run_is_refused_while_one_writes(tmp_path, prefect_harness):
    from flows.pipeline import build

    wh = tmp_path / "wh"
    with run_lock(wh), pytest.raises(RunInProgress, match=r"another run is writing .*pid \d+"):
        build(raw_dir=str(ROOT / "raw"), warehouse_dir=str(wh))
    assert not (wh / "fintech.duckdb").exists()


def _run_cli(raw: Path, wh: Path, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PREFECT_HOME": str(wh.parent / "prefect-home"), "PREFECT_API_URL": ""}
    env.pop("PREFECT_API_URL")
    if crash_at:
        env["FINTECH_METRICS_CRASH_AT"] = crash_at
    cmd = [sys.executable, "-m", "fintech_metrics.cli", "run", "--raw", str(raw), "--warehouse", str(wh)]
    log = wh.parent / f"run-{crash_at or 'clean'}.log"
    # Output goes to a file, not a pipe: a killed run's orphaned Prefect server would hold a pipe open.
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            proc.wait(timeout=240)
        finally:
            # A killed run leaves Prefect's temporary server behind: stop the whole process group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
    text = log.read_text(encoding="utf-8")
    return subprocess.CompletedProcess(cmd, proc.returncode, text, text)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> tuple[Path, Path]:
    """A warehouse after one clean run over the shipped article."""
    root = tmp_path_factory.mktemp("baseline")
    raw = root / "raw"
    shutil.copytree(ROOT / "raw", raw)
    done = _run_cli(raw, root / "wh")
    assert done.returncode == 0, done.stderr[-2000:]
    return raw, root / "wh"


def _published_figures(wh: Path) -> int:
    return run_query("select count(*) from figures", wh / "published" / "fintech.duckdb").rows[0][0]


@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_at_any_point_leaves_the_warehouse_whole(baseline, tmp_path, point):
    raw0, wh0 = baseline
    raw, wh = tmp_path / "raw", tmp_path / "wh"
    shutil.copytree(raw0, raw)
    shutil.copytree(wh0, wh, symlinks=True)
    before = _dump(wh)
    (raw / "new.txt").write_text("香港有超过1200家金融科技公司,其中8家是虚拟银行。", encoding="utf-8")

    killed = _run_cli(raw, wh, crash_at=point)
    assert killed.returncode == -signal.SIGKILL
    after_kill = _dump(wh)
    if point == "export":  # the load had committed: the warehouse is the new state, readers still see the old
        assert len(after_kill["articles"]) == len(before["articles"]) + 1
    else:
        assert after_kill == before
    assert _published_figures(wh) == 24  # readers still see the last good snapshot, whole
    manifest = json.loads((wh / "published" / "manifest.json").read_text("utf-8"))
    assert manifest["tables"]["figures"]["rows"] == 24

    done = _run_cli(raw, wh)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _published_figures(wh) == 26
    final = _dump(wh)
    assert len(final["articles"]) == len(before["articles"]) + 1
    assert not (wh / ".staging").exists()


def test_readers_keep_working_while_the_writer_holds_the_database(built_warehouse):
    from fintech_metrics.settings import load_settings

    settings = load_settings(warehouse_dir=built_warehouse)
    with duckdb.connect(str(settings.db_path)) as writer:  # what a run holds while it loads
        writer.execute("BEGIN TRANSACTION").fetchall()
        writer.execute("DELETE FROM figures").fetchall()
        assert _published_figures(built_warehouse) == 24
        writer.execute("ROLLBACK").fetchall()
