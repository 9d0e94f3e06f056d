"""The flow end to end on a temporary copy of raw/: warehouse contents, idempotency, exports, snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from schemas import TABLES

pytestmark = pytest.mark.e2e

CONTENT = ("articles", "figures", "quarantine")


def _dump(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.sql(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in CONTENT}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, prefect_harness):
    from flows.pipeline import build

    root = tmp_path_factory.mktemp("pipeline")
    raw = root / "raw"
    raw.mkdir()
    src = Path(__file__).resolve().parents[1] / "raw"
    for f in src.iterdir():
        (raw / f.name).write_bytes(f.read_bytes())
    (raw / "empty.txt").write_bytes(b"")
    (raw / "zz-copy.txt").write_bytes((src / "hk-fintech-week-2025.zh-Hans.txt").read_bytes())
    (raw / "bad-meta.txt").write_text("恒生银行去年共有3000名员工。", encoding="utf-8")
    (raw / "bad-meta.meta.json").write_text('{"published": "2025-13-40"}', encoding="utf-8")
    warehouse = root / "warehouse"
    first = build(raw_dir=str(raw), warehouse_dir=str(warehouse))
    after_first = _dump(warehouse / "fintech.duckdb")
    second = build(raw_dir=str(raw), warehouse_dir=str(warehouse))
    return first, second, after_first, warehouse


def test_summary_counts(two_runs):
    first, second, _, _ = two_runs
    assert (first.articles_read, first.articles_loaded, first.figures_loaded, first.rows_quarantined) == (4, 1, 24, 3)
    assert (second.articles_read, second.figures_loaded) == (4, 24)


def test_every_input_is_loaded_or_quarantined_with_a_reason(two_runs):
    *_, warehouse = two_runs
    with duckdb.connect(str(warehouse / "fintech.duckdb"), read_only=True) as con:
        loaded = con.sql("SELECT source_path FROM articles").fetchall()
        quarantined = dict(con.sql("SELECT source_path, stage || ': ' || reason FROM quarantine").fetchall())
    assert loaded == [("hk-fintech-week-2025.zh-Hans.txt",)]
    assert sorted(quarantined) == ["bad-meta.txt", "empty.txt", "zz-copy.txt"]
    assert quarantined["zz-copy.txt"].startswith("duplicate: same content as hk-fintech-week-2025.zh-Hans.txt")
    assert "empty" in quarantined["empty.txt"]
    assert "published" in quarantined["bad-meta.txt"] and "2025-13-40" in quarantined["bad-meta.txt"]


def test_second_run_changes_nothing_but_runs(two_runs):
    *_, after_first, warehouse = two_runs
    assert _dump(warehouse / "fintech.duckdb") == after_first
    with duckdb.connect(str(warehouse / "fintech.duckdb"), read_only=True) as con:
        runs = con.sql("SELECT status, articles_read, figures_loaded FROM runs ORDER BY started_at").fetchall()
    assert runs == [("completed", 4, 24), ("completed", 4, 24)]


def test_figures_in_the_warehouse(two_runs):
    *_, warehouse = two_runs
    with duckdb.connect(str(warehouse / "fintech.duckdb"), read_only=True) as con:
        kinds = dict(con.sql("SELECT kind, count(*) FROM figures GROUP BY kind").fetchall())
        revenue = con.sql("SELECT value, currency, qualifier, entity_key, period FROM figures "
                          "WHERE surface = '超过6000亿美元'").fetchall()
        date = con.sql("SELECT value, date_value FROM figures WHERE surface = '11月3日'").fetchall()
        article = con.sql("SELECT language, published, title, encoding, char_count FROM articles").fetchall()
    assert kinds == {"count": 9, "date": 6, "duration": 1, "money": 2, "percent": 6}
    assert revenue == [(6e11, "USD", "more_than", "hong_kong", "2032")]
    assert date == [(None, "2025-11-03")]
    assert article[0][:2] == ("zh-Hans", "2025-11")
    assert article[0][2].startswith("香港寻路AI")
    assert article[0][3:] == ("utf-8", 3695)


def test_exports_are_readable_parquet_and_csv(two_runs):
    *_, warehouse = two_runs
    exports = warehouse / "exports"
    assert sorted(p.name for p in exports.iterdir()) == sorted(f"{t}.{f}" for t in TABLES for f in ("parquet", "csv"))
    figures = pl.read_parquet(exports / "figures.parquet")
    assert figures.height == 24
    assert figures.schema == TABLES["figures"].polars_schema()
    assert pl.read_parquet(exports / "runs.parquet").height == 2
    assert pl.read_csv(exports / "figures.csv").height == 24


def test_snapshot_answers_queries(two_runs):
    from fintech_metrics.reader import run_query

    *_, warehouse = two_runs
    result = run_query("select kind, count(*) as n from figures group by kind order by kind",
                       warehouse / "published" / "fintech.duckdb")
    assert result.rows == [("count", 9), ("date", 6), ("duration", 1), ("money", 2), ("percent", 6)]


def test_run_artifact_is_json_serialisable_summary(two_runs):
    first, *_ = two_runs
    assert json.loads(json.dumps(first.__dict__))["figures_loaded"] == 24
