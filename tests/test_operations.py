"""Operating the pipeline: bad input never stops a run, and two runs never write at once (killed runs:
test_kills.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_lake

from fintech_metrics.lock import RunInProgress, run_lock
from fintech_metrics.reader import run_query

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ("articles", "figures", "metrics", "quarantine", "sources")


def _dump(warehouse: Path) -> dict[str, list[tuple]]:
    with open_lake(warehouse) as con:
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
    with open_lake(tmp_path / "wh") as con:
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
    assert not (wh / "catalog.sqlite").exists()


def _published_figures(wh: Path) -> int:
    return run_query("select count(*) from figures", wh / "catalog.sqlite").rows[0][0]


def test_readers_keep_working_while_the_writer_holds_the_database(built_warehouse):
    from fintech_metrics.settings import load_settings

    settings = load_settings(warehouse_dir=built_warehouse)
    with open_lake(settings.warehouse_dir, write=True) as writer:  # what a run holds while it loads
        writer.execute("BEGIN TRANSACTION").fetchall()
        writer.execute("DELETE FROM figures").fetchall()
        assert _published_figures(built_warehouse) == 24
        writer.execute("ROLLBACK").fetchall()
