"""The catalogue: every table and view in the published snapshot, with the links of its downloads."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb

from schemas import TABLES, VIEWS

from .. import lake, sql
from ..exports import FORMATS
from .config import ServeConfig
from .snapshot import reading, snapshot_version

_RELATIONS_SQL = """
SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
UNION ALL
SELECT view_name, 'view', comment FROM duckdb_views()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
"""
_COLUMNS_SQL = """
SELECT table_name, column_name, data_type FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main'
ORDER BY table_name, column_index
"""


@dataclass(frozen=True)
class Column:
    name: str
    type: str


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str
    description: str
    rows: int
    columns: list[Column]
    downloads: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalogue:
    relations: list[Relation]
    last_refreshed: str | None
    snapshot_id: int  # the DuckLake snapshot read: the one its downloads are written from

    def names(self) -> set[str]:
        return {relation.name for relation in self.relations}

    def to_json(self) -> dict[str, Any]:
        return {"last_refreshed": self.last_refreshed, "snapshot_id": self.snapshot_id,
                "tables": [asdict(r) for r in self.relations]}


class CatalogueCache:
    """Reads the catalogue once per published snapshot."""

    def __init__(self, config: ServeConfig) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, int, int], Catalogue] | None = None

    def get(self) -> Catalogue:
        version = snapshot_version(self._config)
        with self._lock:
            cached = self._cached
        if cached is None or version is None or cached[0] != version:
            catalogue = read_catalogue(self._config)
            if version is not None:
                with self._lock:
                    self._cached = (version, catalogue)
        else:
            catalogue = cached[1]
        return catalogue


def read_catalogue(config: ServeConfig) -> Catalogue:
    """Tables first (project tables in registry order, then the rest by name), then views by name."""
    with reading(config) as con:
        found = con.execute(_RELATIONS_SQL).fetchall()
        columns: dict[str, list[Column]] = {}
        for table, column, kind in con.execute(_COLUMNS_SQL).fetchall():
            columns.setdefault(table, []).append(Column(column, kind))
        relations = [
            Relation(name, kind, _description(name, comment), _count(con, name), columns.get(name, []),
                     {fmt: f"/exports/{name}.{fmt}" for fmt in FORMATS})
            for name, kind, comment in sorted(found, key=_order)
        ]
        refreshed = _last_refreshed(con) if any(r.name == "runs" for r in relations) else None
        snapshot_id = lake.current_snapshot(con)
    return Catalogue(relations, refreshed, snapshot_id)


def _order(row: tuple[str, str, str | None]) -> tuple[int, int, str]:
    name, kind, _ = row
    known = [*TABLES, *VIEWS]
    return (kind != "table", known.index(name) if name in known else len(known), name)


def _description(name: str, comment: str | None) -> str:
    """The schema registry's description; a COMMENT ON in the database for anything else."""
    if name in TABLES:
        return TABLES[name].description
    if name in VIEWS:
        return VIEWS[name].description
    return comment or ""


def _count(con: duckdb.DuckDBPyConnection, name: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {sql.identifier(name)}").fetchone()
    return int(row[0]) if row else 0


def _last_refreshed(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT max(finished_at) FROM runs").fetchone()
    value = row[0] if row else None
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
