"""The second wall: a connection to the snapshot that gives DuckDB no way out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from .. import lake, sql
from ..settings import reader_spill_dir
from .statement import QueryRefused

SNAPSHOT_ALIAS = lake.ALIAS

# --- Second wall: the locked-down connection ---------------------------------------------------


def open_reader(snapshot: Path, *, threads: int = 2, memory_limit: str = "1GB", at: int | datetime | None = None
                ) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory connection with the warehouse's DuckLake (its catalog at ``snapshot``) attached READ_ONLY,
    at snapshot ``at`` (default: the published one, which the exports and the manifest describe), and everything
    else locked."""
    path = Path(snapshot).expanduser().resolve()
    asked = at
    if at is None:
        at = lake.published_snapshot(path.parent)
    if at is None or not path.is_file():
        raise QueryRefused(f"no published warehouse at {path.parent}; run `fintech-metrics run` first",
                           code="no_warehouse")
    if int(threads) < 1:
        raise ValueError("threads must be at least 1")
    limit = sql.string(memory_limit)
    the_lake = lake.lake_in(path.parent)
    try:
        con = lake.connect(the_lake, read_only=True, at=at)
    except duckdb.Error as exc:  # a catalog half written or not a catalog; DuckDB says which
        if asked is not None and "snapshot" in str(exc).lower():
            raise QueryRefused(f"the warehouse keeps no snapshot {asked} (expired, or not made yet): {exc}",
                               code="no_snapshot") from None
        raise QueryRefused(f"the published snapshot could not be read: {exc}", code="busy") from None
    try:
        files, folders = (", ".join(map(sql.string, paths)) for paths in the_lake.reader_paths())
        # Order matters: attach while external access is still on, then switch it off (the lake's catalog and
        # data stay readable), then lock.
        for statement in (
            f"SET temp_directory = {sql.string(reader_spill_dir(snapshot))}",  # never the current folder
            f"SET allowed_paths = [{files}]",
            f"SET allowed_directories = [{folders}]",
            "SET enable_external_access = false",
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
