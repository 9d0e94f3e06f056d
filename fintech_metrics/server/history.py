"""Metric histories from the ``metric_history`` view, when the snapshot has one."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .config import ServeConfig
from .snapshot import reading

VIEW = "metric_history"


@dataclass(frozen=True)
class Series:
    metric: str
    entity: str
    points: list[tuple[str, float]]


@dataclass(frozen=True)
class Choices:
    metrics: list[str]
    entities: list[str]


def choices(config: ServeConfig) -> Choices | None:
    """The metrics and entities that have a history, or None when there is no metric_history view."""
    with reading(config) as con:
        if not _has_view(con):
            return None
        pairs = con.execute(
            f"SELECT DISTINCT metric, coalesce(entity, '') FROM {VIEW} WHERE metric IS NOT NULL ORDER BY 1, 2"
        ).fetchall()
    return Choices(sorted({m for m, _ in pairs}), sorted({e for _, e in pairs}))


def first_pair(config: ServeConfig) -> tuple[str, str] | None:
    with reading(config) as con:
        if not _has_view(con):
            return None
        row = con.execute(
            f"SELECT metric, coalesce(entity, '') FROM {VIEW} WHERE metric IS NOT NULL ORDER BY 1, 2 LIMIT 1"
        ).fetchone()
    return (str(row[0]), str(row[1])) if row else None


def series(config: ServeConfig, metric: str, entity: str) -> Series | None:
    """The values of ``metric`` for ``entity`` (empty entity = none) in as_of order; None without the view."""
    with reading(config) as con:
        if not _has_view(con):
            return None
        rows = con.execute(
            f"SELECT CAST(as_of AS VARCHAR), CAST(value AS DOUBLE) FROM {VIEW} "
            "WHERE metric = ? AND coalesce(entity, '') = ? AND value IS NOT NULL AND as_of IS NOT NULL "
            "ORDER BY 1",
            [metric, entity],
        ).fetchall()
    return Series(metric, entity, [(str(as_of), float(value)) for as_of, value in rows])


def _has_view(con: duckdb.DuckDBPyConnection) -> bool:
    """A view as planned; a table of the same name (should it become one) serves as well."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() AND view_name = $1)"
        " + (SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND table_name = $1)",
        [VIEW],
    ).fetchone()
    return bool(row and row[0])
