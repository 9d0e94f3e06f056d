"""One relation, ordered by its key, into one Parquet file, in memory that does not grow with the relation.

DuckDB sorts on disk, but not without limit: under the writer's 1 GB cap it could not sort 200,000 articles
(1.7 GB of text) in one query ("failed to pin block"). A relation larger than SORT_BYTES is therefore cut into
ranges of its first key column, each of about BUCKET_BYTES: one pass writes every row into its range's
folder, then each range is sorted on its own and appended to the file in order. Every size here is
worked out from the data, not sampled, so the same rows always give the same file.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from .sql import identifier, setting, string

SORT_BYTES = 256 * 2**20  # a relation up to this size is sorted in one query
BUCKET_BYTES = 128 * 2**20  # the size of each range sorted on its own
ROW_GROUP_BYTES = 32 * 2**20  # as the single-query COPY writes them (ROW_GROUP_SIZE_BYTES)
PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE_BYTES '32MB'"
ZSTD_LEVEL = 3  # DuckDB's default, so both ways of writing give files of about the same size


def write_sorted_parquet(con: duckdb.DuckDBPyConnection, name: str, key: tuple[str, ...] | None,
                         path: Path) -> None:
    """`name` ordered by `key` (all columns when None) into `path`."""
    order = order_by(key)
    bounds, row_bytes = _range_bounds(con, name, key[0]) if key else ([], 0.0)
    if not bounds:
        # The ORDER BY orders the file either way; DuckDB 1.5 refuses ROW_GROUP_SIZE_BYTES while insertion
        # order is preserved (2.0 does not), so it is off here whatever the connection's setting.
        with setting(con, "preserve_insertion_order", False):
            con.execute(f"COPY (SELECT * FROM {identifier(name)} ORDER BY {order}) TO {string(path)} "
                        f"({PARQUET_OPTIONS})").fetchall()
        return
    parts = path.with_name(path.name + ".ranges")
    shutil.rmtree(parts, ignore_errors=True)
    column = identifier(key[0])
    which = " ".join(f"WHEN {column} <= {string(b)} THEN {i}" for i, b in enumerate(bounds))
    try:
        # Rows held per range before a flush: about 8 MB each, so the open ranges fit the cap together.
        with setting(con, "partitioned_write_flush_threshold", max(1000, int(8 * 2**20 / row_bytes))):
            con.execute(f"COPY (SELECT *, CASE {which} ELSE {len(bounds)} END AS range_ FROM {identifier(name)}) "
                        f"TO {string(parts)} (FORMAT parquet, PARTITION_BY (range_), COMPRESSION lz4_raw)").fetchall()
        rows_per_group = max(1000, int(ROW_GROUP_BYTES / row_bytes))
        writer: pq.ParquetWriter | None = None
        try:
            for i in range(len(bounds) + 1):
                folder = parts / f"range_={i}"
                if not folder.exists():
                    continue
                reader = con.sql(f"SELECT * FROM read_parquet({string(folder / '*.parquet')}, "
                                 f"hive_partitioning = false) ORDER BY {order}").to_arrow_reader(rows_per_group)
                if writer is None:
                    writer = pq.ParquetWriter(path, reader.schema, compression="zstd", compression_level=ZSTD_LEVEL)
                for batch in reader:
                    writer.write_batch(batch)
        finally:
            if writer is not None:
                writer.close()
    finally:
        shutil.rmtree(parts, ignore_errors=True)


def order_by(key: tuple[str, ...] | None) -> str:
    """The ORDER BY list of a key; ALL (every column) without one."""
    return ", ".join(identifier(k) for k in key) if key else "ALL"


def _range_bounds(con: duckdb.DuckDBPyConnection, name: str, column: str) -> tuple[list[str], float]:
    """The upper bound of each range of `column` but the last (none when one sort will do), and the
    relation's mean row size in bytes. Ranges split on text keys only (every key here is text)."""
    columns = con.sql(f"SELECT * FROM {identifier(name)} LIMIT 0")
    sizes = " + ".join(f"coalesce(strlen({identifier(c)}), 0)" if str(t) == "VARCHAR" else "8"
                       for c, t in zip(columns.columns, columns.types, strict=True))
    rows, row_bytes = con.execute(f"SELECT count(*), coalesce(avg({sizes}), 0) FROM {identifier(name)}").fetchall()[0]
    ranges = math.ceil(rows * row_bytes / BUCKET_BYTES)
    key_type = str(columns.types[columns.columns.index(column)])
    if rows * row_bytes <= SORT_BYTES or ranges < 2 or key_type != "VARCHAR":
        return [], row_bytes
    keys = f"SELECT DISTINCT {identifier(column)} AS k FROM {identifier(name)} WHERE {identifier(column)} IS NOT NULL"
    ends = con.execute(
        f"SELECT max(k) FROM (SELECT k, ntile({ranges}) OVER (ORDER BY k) AS r FROM ({keys})) GROUP BY r ORDER BY 1"
    ).fetchall()
    return [end for (end,) in ends[:-1]], row_bytes  # NULL keys sort last: the last range takes them
