"""Exports are sorted by key once, and every format holds the same rows in the same order."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from fintech_metrics import sorted_export, warehouse
from fintech_metrics.settings import Settings


def test_csv_and_parquet_exports_hold_the_same_rows_in_key_order(tmp_path: Path):
    with warehouse.connect(Settings(tmp_path / "raw", tmp_path / "w")) as con:
        # Rows inserted out of order, over several row groups, so a parallel copy could reorder them.
        con.execute("CREATE TABLE shuffled AS SELECT (i * 7919) % 300000 AS n, md5(i::VARCHAR) AS s "
                    "FROM range(300000) t(i)").fetchall()
        (tmp_path / "exports").mkdir()
        written = [tmp_path / "exports" / "shuffled.parquet", tmp_path / "exports" / "shuffled.csv"]
        warehouse.write_export(con, "shuffled", warehouse.export_keys(con)["shuffled"], written[0])
        warehouse.write_export(con, "shuffled", None, written[1], sorted_parquet=written[0])
        # The writer's own setting is back: it loads with insertion order off, to use less memory.
        assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchall() == [(False,)]
    assert sorted(p.name for p in written) == ["shuffled.csv", "shuffled.parquet"]
    parquet = pl.read_parquet(tmp_path / "exports" / "shuffled.parquet")
    assert parquet["n"].to_list() == list(range(300000))
    assert pl.read_csv(tmp_path / "exports" / "shuffled.csv").equals(parquet)


def test_a_relation_too_large_for_one_sort_is_sorted_in_key_ranges(tmp_path: Path, monkeypatch):
    """Ranges of the first key column, each sorted on its own, give the rows one sort gives (DuckDB could not
    sort 200,000 articles in one query under the 1 GB cap)."""
    monkeypatch.setattr(sorted_export, "SORT_BYTES", 64 * 1024)
    monkeypatch.setattr(sorted_export, "BUCKET_BYTES", 16 * 1024)
    monkeypatch.setattr(sorted_export, "ROW_GROUP_BYTES", 8 * 1024)
    with warehouse.connect(Settings(tmp_path / "raw", tmp_path / "w")) as con:
        # Each key four times, apart, with NULLs: a range must hold every row of its keys, and NULLs sort last.
        con.execute("CREATE TABLE t AS SELECT CASE WHEN i % 997 = 0 THEN NULL ELSE md5((i % 5000)::VARCHAR) END AS k, "
                    "i AS n, repeat('x', i % 50) AS pad FROM range(20000) t(i)").fetchall()
        bounds, row_bytes = sorted_export._range_bounds(con, "t", "k")
        sorted_export.write_sorted_parquet(con, "t", ("k", "n"), tmp_path / "ranges.parquet")
        want = con.sql("SELECT * FROM t ORDER BY k, n").pl()
    assert len(bounds) > 20 and row_bytes > 40
    got = pl.read_parquet(tmp_path / "ranges.parquet")
    assert got.equals(want)
    assert pq.ParquetFile(tmp_path / "ranges.parquet").metadata.num_row_groups > 10
    assert not list(tmp_path.glob("*.ranges")), "the range folders are removed"
