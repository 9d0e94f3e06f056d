"""A figure's row stays small however long its sentence: the table stores the sentence's span in the article's
text (stored once, in `articles`), not a copy of the sentence per figure (issue 17: a 6 MB article of figures
made a figures table of figures x 2,000 characters, and its export ran out of memory)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from conftest import open_lake

from fintech_metrics import warehouse
from fintech_metrics.batch import stage_batch
from fintech_metrics.parsers.segments import MAX_SENTENCE
from fintech_metrics.settings import Settings
from schemas import TABLES

ROW_BYTES = 400  # every column of one figure's row, bounded whatever the sentence


def test_a_figure_row_does_not_carry_its_sentence(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    # One run-on sentence far past MAX_SENTENCE, stating a figure every few characters.
    text = "香港" + "增长12%，" * (3 * MAX_SENTENCE // 6 * 4)
    (raw / "many.txt").write_text(text, encoding="utf-8")
    staged = stage_batch([raw / "many.txt"], raw, tmp_path / "batch")
    figures = pl.read_parquet(staged.file("figures"))
    assert figures.height > 3000
    assert figures.estimated_size() / figures.height < ROW_BYTES
    assert "sentence" not in figures.columns
    spans = figures.select(sentence=pl.lit(text).str.slice(pl.col("sentence_start"),
                                                          pl.col("sentence_end") - pl.col("sentence_start")),
                           surface="surface")
    assert spans.filter(~pl.col("sentence").str.contains(pl.col("surface"), literal=True)).is_empty()
    assert figures.select((pl.col("sentence_end") - pl.col("sentence_start")).max()).item() <= MAX_SENTENCE


def test_a_warehouse_with_the_old_figures_columns_is_migrated_and_read_again(tmp_path: Path):
    db = Settings(tmp_path / "raw", tmp_path)
    columns = ", ".join(f'"{c}" VARCHAR' for c in ["article_id", "start", "sentence"])
    with open_lake(tmp_path, write=True) as con:
        con.execute(f"CREATE TABLE figures ({columns})").fetchall()
        con.execute("INSERT INTO figures VALUES ('a', '1', 'an old sentence')").fetchall()
    with warehouse.connect(db) as con:  # sources made new too: nothing to reset
        assert [c[0] for c in con.execute("DESCRIBE figures").fetchall()] == list(TABLES["figures"].columns)
        con.execute("INSERT INTO sources (source_path, status, fingerprint, extractor_version) "
                    "VALUES ('a.txt', 'loaded', 'f', 'v1')").fetchall()
        con.execute("ALTER TABLE figures ADD COLUMN sentence VARCHAR").fetchall()  # an old layout again
    with warehouse.connect(db) as con:
        assert "sentence" not in [c[0] for c in con.execute("DESCRIBE figures").fetchall()]
        assert con.execute("SELECT extractor_version FROM sources").fetchall() == [("layout-changed",)]
