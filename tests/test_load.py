"""The load reads the run's own inputs (sources, owners, duplicates, processed files, the run's row) from
Parquet files the flow wrote, so that neither the flow nor DuckDB holds them while the writer works."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from fintech_metrics import batch, warehouse
from fintech_metrics.frames import rejected_frame
from fintech_metrics.settings import Settings
from schemas import TABLES


def _inputs(staged: batch.StagedBatch, run_id: str) -> dict[str, pl.DataFrame]:
    outcomes = pl.read_parquet(staged.outcomes)
    sources = outcomes.select(
        "source_path", "article_id",
        status=pl.when(pl.col("article_id").is_null()).then(pl.lit("quarantined")).otherwise(pl.lit("loaded")),
        fingerprint=pl.lit("1:1|-"), extractor_version=pl.lit("v"))
    owners = outcomes.filter(pl.col("article_id").is_not_null()).select(
        "source_path", "article_id", batch=pl.lit(str(staged.folder)))
    now = datetime.now(UTC)
    run = pl.DataFrame([{name: 0 for name in TABLES["runs"].columns} | {
        "run_id": run_id, "started_at": now, "finished_at": now, "status": "completed", "raw_dir": "raw",
        "extractor_version": "v", "seconds": 0.1}], schema=TABLES["runs"].polars_schema())
    return {"new_sources": sources, "owners": owners, "extra_quarantine": rejected_frame([]),
            "processed": sources.select("source_path"), "run_row": run}


def test_the_load_reads_its_inputs_from_files_and_leaves_no_view_behind(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("香港的金融科技公司已超过1200家。", encoding="utf-8")
    (raw / "b.txt").write_bytes(b"\xff\xfe\x00broken")
    staged = batch.stage_batch(sorted(raw.glob("*.txt")), raw, tmp_path / "staging" / "batch-00000")
    inputs = warehouse.write_run_inputs(tmp_path / "staging" / "run", _inputs(staged, "run-1"))
    assert sorted(p.name for p in inputs.values()) == [
        "extra_quarantine.parquet", "new_sources.parquet", "owners.parquet", "processed.parquet", "run_row.parquet"]
    files = {name: [staged.file(name)] for name in batch.STAGED_TABLES}
    with warehouse.connect(Settings(tmp_path / "raw", tmp_path / "w")) as con:
        counts = warehouse.apply_run(con, files, inputs)
        views = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views() WHERE temporary").fetchall()}
        loaded = con.execute("SELECT source_path, status FROM sources ORDER BY 1").fetchall()
        runs = con.execute("SELECT run_id FROM runs").fetchall()
    assert counts == {"articles": 1, "figures": 1, "metrics": staged.counts["metrics"], "quarantine": 1}
    assert loaded == [("a.txt", "loaded"), ("b.txt", "quarantined")]
    assert runs == [("run-1",)]
    assert views.isdisjoint(warehouse.RUN_INPUTS)


def test_a_missing_run_input_is_named(tmp_path: Path):
    frames = {name: pl.DataFrame() for name in warehouse.RUN_INPUTS if name != "owners"}
    with pytest.raises(ValueError, match="run inputs missing: owners"):
        warehouse.write_run_inputs(tmp_path, frames)


def test_a_load_whose_input_is_gone_fails_naming_it_and_leaves_no_view(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("香港的金融科技公司已超过1200家。", encoding="utf-8")
    staged = batch.stage_batch([raw / "a.txt"], raw, tmp_path / "staging" / "batch-00000")
    inputs = warehouse.write_run_inputs(tmp_path / "staging" / "run", _inputs(staged, "run-1"))
    inputs["owners"].unlink()
    with warehouse.connect(Settings(tmp_path / "raw", tmp_path / "w")) as con:
        with pytest.raises(duckdb.IOException, match="owners.parquet"):
            warehouse.apply_run(con, {name: [staged.file(name)] for name in batch.STAGED_TABLES}, inputs)
        views = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views() WHERE temporary").fetchall()}
        rows = con.execute("SELECT count(*) FROM sources").fetchall()
    assert views.isdisjoint(warehouse.RUN_INPUTS)
    assert rows == [(0,)]


def test_a_batch_records_what_became_of_each_file_and_its_rows(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("香港的金融科技公司已超过1200家,较去年增长15%。", encoding="utf-8")
    (raw / "b.txt").write_bytes(b"\xff\xfe\x00broken")
    (raw / "c.txt").write_text("香港的金融科技公司已超过1200家,较去年增长15%。", encoding="utf-8")  # a's content
    (raw / "d.txt").write_text("没有数字的文章。", encoding="utf-8")
    staged = batch.stage_batch(sorted(raw.glob("*.txt")), raw, tmp_path / "batch-00000")
    outcomes = pl.read_parquet(staged.outcomes).sort("source_path")
    a_id, d_id = (pl.read_parquet(staged.file("articles")).sort("source_path")["article_id"]).to_list()
    assert outcomes.schema == pl.Schema(batch.OUTCOMES)
    # two metric rows: the number of fintech companies and its change on the year (fintech_companies_change, yoy)
    assert outcomes.rows() == [("a.txt", a_id, 2, 2), ("b.txt", None, 0, 0), ("c.txt", a_id, 2, 2),
                               ("d.txt", d_id, 0, 0)]
    assert staged.counts == {"articles": 2, "figures": 2, "metrics": 2, "quarantine": 1}


def test_a_file_whose_article_fails_validation_has_no_article_in_its_outcome(tmp_path: Path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("香港的金融科技公司已超过1200家,较去年增长15%。", encoding="utf-8")
    (raw / "b.txt").write_text("香港现有8家虚拟银行。", encoding="utf-8")
    validate = batch.validate_batch

    def b_fails(articles: pl.DataFrame, figures: pl.DataFrame, metrics: pl.DataFrame) -> dict[str, pl.DataFrame]:
        frames = validate(articles, figures, metrics)  # then b's article fails, as a failed check would drop it
        b_id = articles.filter(pl.col("source_path") == "b.txt")["article_id"]
        return {**frames, **{name: frames[name].filter(~pl.col("article_id").is_in(b_id.implode()))
                             for name in ("articles", "figures", "metrics")}}

    monkeypatch.setattr(batch, "validate_batch", b_fails)
    staged = batch.stage_batch(sorted(raw.glob("*.txt")), raw, tmp_path / "batch-00000")
    (a_id,) = pl.read_parquet(staged.file("articles"))["article_id"].to_list()
    assert pl.read_parquet(staged.outcomes).sort("source_path").rows() == [("a.txt", a_id, 2, 2),
                                                                           ("b.txt", None, 0, 0)]
