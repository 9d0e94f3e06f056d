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


def open_reader(snapshot: Path | lake.Lake, *, threads: int = 2, memory_limit: str = "1GB",
                at: int | datetime | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory connection with the warehouse's DuckLake attached READ_ONLY, at snapshot ``at`` (default:
    the published one, which the exports and the manifest describe), and everything else locked. ``snapshot``:
    the lake (``lake.configured(settings)``), or the path of a SQLite catalog, the lake of its folder."""
    if isinstance(snapshot, lake.Lake):
        the_lake = snapshot
    else:
        path = Path(snapshot).expanduser().resolve()
        the_lake = lake.lake_in(path.parent, catalog=f"sqlite:{path}")
    asked = at
    if at is None:
        at = lake.published_snapshot(the_lake.folder)
    if at is None or the_lake.missing():
        raise QueryRefused(f"no published warehouse at {the_lake.folder}; run `fintech-metrics run` first",
                           code="no_warehouse")
    if int(threads) < 1:
        raise ValueError("threads must be at least 1")
    limit = sql.string(memory_limit)
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
        # data stay readable), then lock. With a Postgres catalog the attached catalog keeps its connection, but
        # the postgres extension's own functions (postgres_scan, postgres_query) also still connect, to any
        # server: external access off does not cover them, and check_sql's allow-list is what refuses them.
        for statement in (
            f"SET temp_directory = {sql.string(reader_spill_dir(the_lake.folder))}",  # never the current folder
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
