"""The run's bookkeeping, without Prefect or DuckDB: plan and settle on frames built here."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from fintech_metrics import ledger
from fintech_metrics.incremental import FINGERPRINTS
from schemas import TABLES

STARTED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FINISHED = datetime(2026, 12, 1, 9, 0, 7, tzinfo=UTC)


def _current(*rows: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=FINGERPRINTS, orient="row")


def _known(*rows: tuple[str, str | None, str, str, str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=TABLES["sources"].polars_schema(), orient="row")


def _outcomes(*rows: tuple[str, str | None, int, int, str]) -> pl.DataFrame:
    schema = {"source_path": pl.String, "article_id": pl.String, "figures": pl.Int64, "metrics": pl.Int64,
              "batch": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _facts(quarantined: int = 0) -> ledger.RunFacts:
    return ledger.RunFacts("run-2", "v9", "/data/raw", STARTED, 6.54321, quarantined)


def test_plan_counts_each_state_and_lists_what_to_read_in_path_order():
    current = _current(("a.txt", "10:1|-"), ("b.txt", "20:2|-"), ("c.txt", "30:3|-"), ("e.txt", "50:5|-"))
    known = _known(("a.txt", "A", "loaded", "10:1|-", "v9"),  # unchanged
                   ("b.txt", "B", "loaded", "20:1|-", "v9"),  # content changed
                   ("c.txt", "C", "loaded", "30:3|-", "v8"),  # read by an older extractor
                   ("d.txt", "D", "loaded", "40:4|-", "v9"))  # gone
    plan = ledger.plan(current, known, "v9")
    assert plan.counts == ledger.FileCounts(files_seen=4, files_new=1, files_changed=2, files_unchanged=1,
                                            files_missing=1)
    assert plan.counts.reading == 3
    assert plan.to_read.rows() == [("b.txt", "20:2|-"), ("c.txt", "30:3|-"), ("e.txt", "50:5|-")]
    assert plan.holders.rows() == [("A", "a.txt")]  # a.txt keeps its article over any newcomer
    assert plan.missing["source_path"].to_list() == ["d.txt"]


def test_settle_resolves_duplicates_and_writes_the_sources_rows_and_the_run_row():
    current = _current(("a.txt", "10:1|-"), ("b.txt", "20:2|-"), ("c.txt", "30:3|5:5"), ("q.txt", "1:1|-"))
    known = _known(("a.txt", "A", "loaded", "10:1|-", "v9"), ("gone.txt", "G", "loaded", "7:7|-", "v9"))
    plan = ledger.plan(current, known, "v9")
    outcomes = _outcomes(("b.txt", "A", 4, 1, "batch-0"),  # the content a.txt holds: a duplicate of it
                         ("c.txt", "C", 7, 2, "batch-0"),
                         ("q.txt", None, 0, 0, "batch-1"))  # quarantined by its batch
    settled = ledger.settle(outcomes, plan.to_read, plan.holders, plan.missing, plan.counts,
                            _facts(quarantined=1), FINISHED)

    assert settled.summary == ledger.RunSummary(
        run_id="run-2", files_seen=4, files_new=3, files_changed=0, files_unchanged=1, files_missing=1,
        articles_read=3, articles_loaded=1, figures_loaded=7, metrics_loaded=2, rows_quarantined=2, seconds=6.543)
    assert settled.owners.rows() == [("batch-0", "c.txt", "C")]
    assert settled.duplicates.select("source_path", "stage", "failed_check", "reason").rows() == [
        ("b.txt", "duplicate", "unique_content", "same content as a.txt (article_id A)")]
    assert settled.sources.rows() == [
        ("b.txt", "A", "duplicate", "20:2|-", "v9"),
        ("c.txt", "C", "loaded", "30:3|5:5", "v9"),
        ("q.txt", None, "quarantined", "1:1|-", "v9"),
        ("gone.txt", "G", "missing", "7:7|-", "v9"),
    ]
    run = settled.run.row(0, named=True)
    assert (run["status"], run["extractor_version"], run["raw_dir"], run["seconds"]) == (
        "completed", "v9", "/data/raw", 6.543)
    assert (run["started_at"], run["finished_at"]) == (STARTED, FINISHED)
    TABLES["runs"].model.validate(settled.run)
    TABLES["sources"].model.validate(settled.sources)


def test_settle_with_nothing_read_gives_an_empty_run():
    current = _current(("a.txt", "10:1|-"))
    plan = ledger.plan(current, _known(("a.txt", "A", "loaded", "10:1|-", "v9")), "v9")
    empty = _outcomes()
    settled = ledger.settle(empty, plan.to_read, plan.holders, plan.missing, plan.counts, _facts(), FINISHED)
    assert settled.summary.line() == ("files: 1 (0 new, 0 changed, 1 unchanged, 0 missing); articles read: 0, "
                                      "loaded: 0; figures loaded: 0; metrics loaded: 0; rows quarantined: 0")
    assert settled.sources.height == settled.owners.height == settled.duplicates.height == 0
