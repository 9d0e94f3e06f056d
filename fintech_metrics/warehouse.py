"""The DuckDB writer and the publisher: one transaction per load; exports and snapshot switched atomically."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import duckdb
import polars as pl

from schemas import TABLES, VIEWS, ddl, view_ddl

# Tables a run rebuilds from raw/ (runs only grows).
CONTENT_TABLES = ("articles", "figures", "metrics", "quarantine")


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path))
    for table in TABLES.values():
        con.execute(ddl(table)).fetchall()
    for view in VIEWS.values():
        con.execute(view_ddl(view)).fetchall()
    return con


def exported() -> dict[str, tuple[str, ...]]:
    """Every table and view that is published, with the columns its export is ordered by."""
    return {**{n: t.key for n, t in TABLES.items()}, **{n: v.order for n, v in VIEWS.items()}}


def replace_content(con: duckdb.DuckDBPyConnection, frames: Mapping[str, pl.DataFrame]) -> dict[str, int]:
    """Make the content tables hold exactly `frames`, in one transaction: all or nothing."""
    counts = {}
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        for name in CONTENT_TABLES:
            table = TABLES[name]
            frame = frames[name].select(list(table.columns)).unique(subset=list(table.key), keep="first",
                                                                    maintain_order=True)
            con.execute(f"DELETE FROM {name}").fetchall()
            con.register("staging", frame)
            cols = ", ".join(f'"{c}"' for c in table.columns)
            order = ", ".join(f'"{k}"' for k in table.key)
            con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM staging ORDER BY {order}").fetchall()
            con.unregister("staging")
            counts[name] = frame.height
        con.execute("COMMIT").fetchall()
    except BaseException:
        con.execute("ROLLBACK").fetchall()
        raise
    return counts


def record_run(con: duckdb.DuckDBPyConnection, run: pl.DataFrame) -> None:
    table = TABLES["runs"]
    con.register("run_row", run.select(list(table.columns)))
    con.execute("INSERT OR REPLACE INTO runs SELECT * FROM run_row").fetchall()
    con.unregister("run_row")


def export_parquet(con: duckdb.DuckDBPyConnection, exports_dir: Path) -> list[Path]:
    """Every table to `<exports>/<table>.parquet`: written to a temporary name, then renamed, so a
    reader never sees a half-written file."""
    exports_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, key in exported().items():
        final = exports_dir / f"{name}.parquet"
        tmp = exports_dir / f".{name}.parquet.tmp"
        order = ", ".join(f'"{k}"' for k in key)
        con.execute(
            f"COPY (SELECT * FROM {name} ORDER BY {order}) TO '{_sql_path(tmp)}' (FORMAT parquet, COMPRESSION zstd)"
        ).fetchall()
        os.replace(tmp, final)
        written.append(final)
    return written


def publish_snapshot(db_path: Path, snapshot_path: Path) -> Path:
    """Copy the closed writer database to the read-only snapshot readers open, atomically."""
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = snapshot_path.with_name(f".{snapshot_path.name}.tmp")
    shutil.copyfile(db_path, tmp)
    os.replace(tmp, snapshot_path)
    return snapshot_path


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
