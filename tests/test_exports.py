"""Exports are sorted by key once, and every format holds the same rows in the same order."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from fintech_metrics import warehouse


def test_csv_and_parquet_exports_hold_the_same_rows_in_key_order(tmp_path: Path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        # Rows inserted out of order, over several row groups, so a parallel copy could reorder them.
        con.execute("CREATE TABLE shuffled AS SELECT (i * 7919) % 300000 AS n, md5(i::VARCHAR) AS s "
                    "FROM range(300000) t(i)").fetchall()
        written = warehouse.export_tables(con, tmp_path / "exports", names={"shuffled"})
        # The writer's own setting is back: it loads with insertion order off, to use less memory.
        assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchall() == [(False,)]
    assert sorted(p.name for p in written) == ["shuffled.csv", "shuffled.parquet"]
    parquet = pl.read_parquet(tmp_path / "exports" / "shuffled.parquet")
    assert parquet["n"].to_list() == list(range(300000))
    assert pl.read_csv(tmp_path / "exports" / "shuffled.csv").equals(parquet)
