"""The benchmark's corpus builder: distinct articles, and changes that leave the built corpus as it was."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _digests(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_articles_are_distinct_and_a_change_does_not_reach_the_corpus_through_links(tmp_path: Path):
    corpus = _corpus_module()
    source = tmp_path / "source"
    source.mkdir()
    paragraphs = [f"香港金融管理局公布第{i}季度数据，虚拟银行存款达到{i * 37}亿港元。" for i in range(1, 13)]
    paragraphs += [f"The HKMA said {i * 11} banks joined the sandbox in quarter {i}." for i in range(1, 13)]
    (source / "notes.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    pools = corpus.load_pools(source)

    built = corpus.write_corpus(pools, tmp_path / "corpus", 30, target_chars=200)
    assert len(built) == 30 and len(set(_digests(built).values())) == 30
    before = _digests(built)
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in built:
        os.link(path, raw / path.name)

    changed = corpus.change_articles(pools, sorted(raw.iterdir()), 0.1, target_chars=200)

    assert len(changed) == 3
    assert _digests(built) == before
    after = _digests(sorted(raw.iterdir()))
    assert sorted(name for name in after if after[name] != before[name]) == sorted(p.name for p in changed)


def test_the_memory_sampler_reads_zero_for_a_run_that_has_exited():
    """The sampler thread reads the tree until the run ends; a run that exits between two samples
    must not kill it (it did once, mid-benchmark, leaving that run's peak unsampled)."""
    psutil = pytest.importorskip("psutil")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
        run = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = run
        spec.loader.exec_module(run)
    finally:
        sys.path.remove(str(ROOT / "bench"))
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    tree = psutil.Process(child.pid)
    child.wait()
    assert run._tree_rss(tree) == 0
    assert run._tree_rss(psutil.Process()) > 0
