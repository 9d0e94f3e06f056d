"""The second wall: a connection to the snapshot that gives DuckDB no way out."""

from __future__ import annotations

from pathlib import Path

import duckdb

from .. import sql
from ..settings import reader_spill_dir
from .statement import QueryRefused

SNAPSHOT_ALIAS = "warehouse"

# --- Second wall: the locked-down connection ---------------------------------------------------


def open_reader(snapshot: Path, *, threads: int = 2, memory_limit: str = "1GB") -> duckdb.DuckDBPyConnection:
    """Open a fresh in-memory connection with ``snapshot`` attached READ_ONLY and everything else locked."""
    path = Path(snapshot).expanduser().resolve()
    if not path.is_file():
        raise QueryRefused(
            f"no published warehouse at {path}; run `fintech-metrics run` first", code="no_warehouse"
        )
    if int(threads) < 1:
        raise ValueError("threads must be at least 1")
    limit = sql.string(memory_limit)
    con = duckdb.connect()
    try:
        # Order matters: attach while external access is still on, then switch it off, then lock.
        for statement in (
            f"ATTACH {sql.string(path)} AS {SNAPSHOT_ALIAS} (READ_ONLY)",
            f"USE {SNAPSHOT_ALIAS}",
            f"SET temp_directory = {sql.string(reader_spill_dir(snapshot))}",  # never the current folder
            "SET enable_external_access = false",
            "SET autoinstall_known_extensions = false",
            "SET autoload_known_extensions = false",
            "SET allow_community_extensions = false",
            f"SET threads = {int(threads)}",
            f"SET memory_limit = {limit}",
            f"SET max_temp_directory_size = {limit}",
            "SET lock_configuration = true",
        ):
            con.execute(statement).fetchall()
    except BaseException:
        con.close()
        raise
    return con
