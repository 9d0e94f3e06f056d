"""The flow end to end on a temporary copy of raw/: warehouse contents, idempotency, exports, snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from conftest import open_lake

from fintech_metrics.warehouse import exported
from schemas import TABLES

pytestmark = pytest.mark.e2e

CONTENT = ("articles", "figures", "metrics", "quarantine", "sources")


def _dump(wh: Path) -> dict[str, list[tuple]]:
    with open_lake(wh) as con:
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
    after_first = _dump(warehouse)
    second = build(raw_dir=str(raw), warehouse_dir=str(warehouse))
    return first, second, after_first, warehouse


def test_summary_counts(two_runs):
    first, second, _, _ = two_runs
    assert (first.files_seen, first.files_new, first.articles_read, first.articles_loaded, first.figures_loaded,
            first.metrics_loaded, first.rows_quarantined) == (4, 4, 4, 1, 24, 17, 3)
    assert (second.files_seen, second.files_unchanged, second.articles_read, second.figures_loaded) == (4, 4, 0, 0)


def test_every_input_is_loaded_or_quarantined_with_a_reason(two_runs):
    *_, warehouse = two_runs
    with open_lake(warehouse) as con:
        loaded = con.sql("SELECT source_path FROM articles").fetchall()
        quarantined = dict(con.sql("SELECT source_path, stage || ': ' || reason FROM quarantine").fetchall())
    assert loaded == [("hk-fintech-week-2025.zh-Hans.txt",)]
    assert sorted(quarantined) == ["bad-meta.txt", "empty.txt", "zz-copy.txt"]
    assert quarantined["zz-copy.txt"].startswith("duplicate: same content as hk-fintech-week-2025.zh-Hans.txt")
    assert "empty" in quarantined["empty.txt"]
    assert "published" in quarantined["bad-meta.txt"] and "2025-13-40" in quarantined["bad-meta.txt"]


def test_second_run_changes_nothing_but_runs(two_runs):
    *_, after_first, warehouse = two_runs
    assert _dump(warehouse) == after_first
    with open_lake(warehouse) as con:
        runs = con.sql("SELECT status, files_new, files_unchanged, figures_loaded FROM runs "
                       "ORDER BY started_at").fetchall()
    assert runs == [("completed", 4, 0, 24), ("completed", 0, 4, 0)]


def test_figures_in_the_warehouse(two_runs):
    *_, warehouse = two_runs
    with open_lake(warehouse) as con:
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


def test_exports_are_readable_parquet_and_csv(two_runs, tmp_path):
    from fintech_metrics.exports import export_snapshot
    from fintech_metrics.settings import load_settings

    *_, warehouse = two_runs
    exports = tmp_path / "exports"
    export_snapshot(load_settings(warehouse_dir=warehouse), exports)
    assert sorted(p.name for p in exports.iterdir()) == sorted(
        f"{t}.{fmt}" for t in exported() for fmt in ("parquet", "csv"))
    assert {"metric_latest", "metric_history", "metrics"} <= set(exported())
    figures = pl.read_parquet(exports / "figures.parquet")
    assert figures.height == 24
    assert figures.schema == TABLES["figures"].polars_schema()
    assert pl.read_parquet(exports / "runs.parquet").height == 2
    assert pl.read_csv(exports / "figures.csv").height == 24
    # The figures an analyst downloads with their article, no join needed.
    in_context = pl.read_parquet(exports / "figures_in_context.parquet")
    assert in_context.height == 24 and in_context.columns[:len(figures.columns)] == figures.columns
    assert in_context.select("title", "source", "published", "source_path").unique().rows() == [
        ("香港寻路AI:从卷金融到卷AI(香港金融科技周x StartmeupHK创业节)", "Chinese-language news portal", "2025-11",
         "hk-fintech-week-2025.zh-Hans.txt")]


def test_snapshot_answers_queries(two_runs):
    from fintech_metrics.reader import run_query

    *_, warehouse = two_runs
    result = run_query("select kind, count(*) as n from figures group by kind order by kind",
                       warehouse / "catalog.sqlite")
    assert result.rows == [("count", 9), ("date", 6), ("duration", 1), ("money", 2), ("percent", 6)]


def test_snapshot_manifest_lists_the_snapshot_and_row_counts(two_runs):
    *_, warehouse = two_runs
    manifest = json.loads((warehouse / "published" / "manifest.json").read_text("utf-8"))
    with open_lake(warehouse) as con:
        committed = con.execute("SELECT id FROM warehouse.current_snapshot()").fetchall()[0][0]
        counts = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] for name in exported()}
    assert manifest["snapshot_id"] == committed
    assert manifest["tables"] == {name: {"rows": n} for name, n in counts.items()}
    assert (counts["figures"], counts["runs"]) == (24, 2)


METRIC_FIELDS = ("metric", "entity", "value", "qualifier", "change", "value_from", "currency", "as_of", "period",
                 "forecast")


def test_metrics_match_the_gold_exactly(two_runs):
    *_, warehouse = two_runs
    gold = json.loads((Path(__file__).parent / "fixtures" / "hk-fintech-week-2025.metrics.json").read_text("utf-8"))
    cols = ", ".join(METRIC_FIELDS)
    with open_lake(warehouse) as con:
        rows = con.sql(f"SELECT {cols} FROM metrics ORDER BY start").fetchall()
    ours = [dict(zip(METRIC_FIELDS, r, strict=True)) for r in rows]
    expected = [{k: g[k] for k in METRIC_FIELDS} for g in gold["metrics"]]
    assert ours == expected


def test_metric_views(two_runs):
    *_, warehouse = two_runs
    with open_lake(warehouse) as con:
        latest = con.sql("SELECT metric, entity, value, as_of FROM metric_latest "
                         "WHERE metric LIKE 'genai_sandbox%' ORDER BY metric, entity").fetchall()
        history = con.sql("SELECT count(*), count(DISTINCT title) FROM metric_history").fetchall()
    assert latest == [
        ("genai_sandbox_banks", "hkma_genai_sandbox_cohort_2", 20.0, "2025-10"),
        ("genai_sandbox_tech_firms", "hkma_genai_sandbox_cohort_2", 14.0, "2025-10"),
        ("genai_sandbox_use_cases", "hkma_genai_sandbox_cohort_1", 15.0, "2024-12"),
        ("genai_sandbox_use_cases", "hkma_genai_sandbox_cohort_2", 27.0, "2025-10"),
    ]
    assert history == [(17, 1)]


def test_a_run_publishes_a_manifest_and_writes_no_export(two_runs):
    first, second, _, warehouse = two_runs
    manifest = json.loads((warehouse / "published" / "manifest.json").read_text("utf-8"))
    assert manifest["run_id"] == second.run_id
    assert set(manifest["tables"]) == set(exported())
    assert sorted(p.name for p in (warehouse / "snapshots" / second.run_id).iterdir()) == ["manifest.json"]
    with open_lake(warehouse) as con:
        snapshots = [sid for (sid,) in con.execute("SELECT snapshot_id FROM runs ORDER BY started_at").fetchall()]
    # downloads are written when first asked for: only the one of the second run's, by the export test
    assert [p.name for p in (warehouse / "exports").glob("*")] in ([], [str(snapshots[1])])


def test_a_figures_sentence_is_its_span_of_the_article_text(two_runs):
    from fintech_metrics.parsers import extract_figures

    *_, warehouse = two_runs
    with open_lake(warehouse) as con:
        rows = con.sql("SELECT f.start, substr(a.text, f.sentence_start + 1, f.sentence_end - f.sentence_start) "
                       "FROM figures f JOIN articles a USING (article_id) ORDER BY f.start").fetchall()
        text, published = con.sql("SELECT text, published FROM articles").fetchall()[0]
    figures = extract_figures(text, published=published, language="zh-Hans")
    assert rows == [(f.start, f.sentence) for f in figures]
