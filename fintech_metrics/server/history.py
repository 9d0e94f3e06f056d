"""Metric histories from the ``metric_history`` view, when the snapshot has one.

A series is one metric, for one entity, in one unit: values in HKD and in CNY, or a count and a percent, are
never drawn on one line. The unit is the currency for money, else the kind (`percent`, `count`, …).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .config import ServeConfig
from .snapshot import reading

VIEW = "metric_history"
UNIT = "coalesce(currency, kind, '')"
UNIT_LABELS = {"percent": "%", "points": "percentage points", "multiple": "times", "count": "count",
               "duration": "duration"}


def unit_label(unit: str) -> str:
    """What the axis says: the currency code, or the kind's unit."""
    return UNIT_LABELS.get(unit, unit)


@dataclass(frozen=True)
class Series:
    metric: str
    entity: str
    unit: str
    points: list[tuple[str, float]]
    left_out: int  # rows of the series without an as_of or a value, which a time axis cannot place


@dataclass(frozen=True)
class Choices:
    metrics: list[str]
    entities: list[str]
    units: list[str]


def choices(config: ServeConfig) -> Choices | None:
    """The metrics, entities and units that have a history, or None when there is no metric_history view."""
    with reading(config) as con:
        if not _has_view(con):
            return None
        rows = con.execute(
            f"SELECT DISTINCT metric, coalesce(entity, ''), {UNIT} FROM {VIEW} WHERE metric IS NOT NULL"
        ).fetchall()
    return Choices(sorted({m for m, _, _ in rows}), sorted({e for _, e, _ in rows}), sorted({u for _, _, u in rows}))


def first_pair(config: ServeConfig) -> tuple[str, str] | None:
    with reading(config) as con:
        if not _has_view(con):
            return None
        row = con.execute(
            f"SELECT metric, coalesce(entity, '') FROM {VIEW} WHERE metric IS NOT NULL ORDER BY 1, 2 LIMIT 1"
        ).fetchone()
    return (str(row[0]), str(row[1])) if row else None


def series(config: ServeConfig, metric: str, entity: str, unit: str | None = None) -> Series | None:
    """The values of ``metric`` for ``entity`` (empty entity = none) in ``unit`` (None: the unit with the most
    values), in as_of order; None without the view."""
    with reading(config) as con:
        if not _has_view(con):
            return None
        where = "metric = ? AND coalesce(entity, '') = ?"
        if unit is None:
            row = con.execute(f"SELECT {UNIT} AS u FROM {VIEW} WHERE {where} GROUP BY u ORDER BY count(*) DESC, u "
                              "LIMIT 1", [metric, entity]).fetchone()
            unit = str(row[0]) if row else ""
        where += f" AND {UNIT} = ?"
        args = [metric, entity, unit]
        rows = con.execute(
            f"SELECT CAST(as_of AS VARCHAR), CAST(value AS DOUBLE) FROM {VIEW} "
            f"WHERE {where} AND value IS NOT NULL AND as_of IS NOT NULL ORDER BY 1", args).fetchall()
        left = con.execute(f"SELECT count(*) FROM {VIEW} WHERE {where} AND (value IS NULL OR as_of IS NULL)",
                           args).fetchone()
    return Series(metric, entity, unit, [(str(as_of), float(value)) for as_of, value in rows],
                  int(left[0]) if left else 0)


def _has_view(con: duckdb.DuckDBPyConnection) -> bool:
    """A view as planned; a table of the same name (should it become one) serves as well."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() AND view_name = $1)"
        " + (SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND table_name = $1)",
        [VIEW],
    ).fetchone()
    return bool(row and row[0])
