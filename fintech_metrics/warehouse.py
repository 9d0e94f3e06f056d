"""The DuckDB writer and the publisher: one transaction per load; exports and snapshot switched atomically."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import duckdb
import polars as pl

from schemas import TABLES, ddl

# Tables a run rebuilds from raw/ (runs only grows).
CONTENT_TABLES = ("articles", "figures", "quarantine")


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path))
    for table in TABLES.values():
        con.execute(ddl(table)).fetchall()
    return con


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


EXPORT_FORMATS = ("parquet", "csv")
_COPY_OPTIONS = {"parquet": "FORMAT parquet, COMPRESSION zstd", "csv": "FORMAT csv, HEADER true"}


def export_tables(con: duckdb.DuckDBPyConnection, exports_dir: Path,
                  formats: tuple[str, ...] = EXPORT_FORMATS) -> list[Path]:
    """Every table and view to `<exports>/<name>.<format>`: written to a temporary name, then renamed,
    so a reader never sees a half-written file. Registry tables come first, ordered by their key; any
    other table or view in the database (metrics, views added later) follows, ordered by all columns."""
    unknown = set(formats) - set(_COPY_OPTIONS)
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(sorted(unknown))}")
    exports_dir.mkdir(parents=True, exist_ok=True)
    relations = {name: ", ".join(f'"{k}"' for k in table.key) for name, table in TABLES.items()}
    relations |= {name: "ALL" for name in _other_relations(con) if name not in relations}
    written = []
    for name, order in relations.items():
        for fmt in formats:
            final = exports_dir / f"{name}.{fmt}"
            tmp = exports_dir / f".{name}.{fmt}.tmp"
            con.execute(
                f"COPY (SELECT * FROM \"{name}\" ORDER BY {order}) TO '{_sql_path(tmp)}' ({_COPY_OPTIONS[fmt]})"
            ).fetchall()
            os.replace(tmp, final)
            written.append(final)
    return written


def export_parquet(con: duckdb.DuckDBPyConnection, exports_dir: Path) -> list[Path]:
    """The Parquet exports alone (see `export_tables`)."""
    return export_tables(con, exports_dir, formats=("parquet",))


def _other_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """User tables and views of the main schema, by name."""
    return [row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT internal AND NOT temporary "
        "UNION SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY 1"
    ).fetchall()]


def publish_snapshot(db_path: Path, snapshot_path: Path) -> Path:
    """Copy the closed writer database to the read-only snapshot readers open, atomically."""
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = snapshot_path.with_name(f".{snapshot_path.name}.tmp")
    shutil.copyfile(db_path, tmp)
    os.replace(tmp, snapshot_path)
    return snapshot_path


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
