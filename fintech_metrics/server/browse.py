"""Browsing a table or view, with Datasette's query-string conventions: `?col=value` and `?col__op=value`
filters, `_sort` / `_sort_desc`, `_size`, `_next` (an offset), `_facet` (repeatable) and `_shape`.

`table_query` builds the SQL from the request (identifiers are checked against the relation's columns, values
are parameters), so it is pure and tested on its own; `browse` runs it on a snapshot connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import duckdb

from .. import sql
from .catalogue import Relation

DEFAULT_SIZE = 50
FACET_VALUES = 10
# Facets shown without asking, where the relation has the column: the columns analysts slice by.
DEFAULT_FACETS = ("metric", "entity", "kind", "language", "currency", "qualifier", "change", "stage", "status")

# Datasette's filter suffixes and the SQL each stands for (the value is always a parameter).
OPERATORS = {
    "exact": "{col} = ?", "not": "{col} <> ?", "contains": "contains(CAST({col} AS VARCHAR), ?)",
    "gt": "{col} > ?", "gte": "{col} >= ?", "lt": "{col} < ?", "lte": "{col} <= ?",
    "isnull": "{col} IS NULL", "notnull": "{col} IS NOT NULL",
}
NO_VALUE = {"isnull", "notnull"}


class BadRequest(ValueError):
    """A query string that names no column of the relation, or a value out of range."""


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    value: str | None

    def label(self) -> str:
        return f"{self.column} {self.op}" + ("" if self.value is None else f" {self.value!r}")


@dataclass(frozen=True)
class Request:
    filters: list[Filter] = field(default_factory=list)
    sort: str | None = None
    descending: bool = False
    size: int = DEFAULT_SIZE
    offset: int = 0
    facets: list[str] = field(default_factory=list)


def parse(params: list[tuple[str, str]], columns: list[str], max_size: int) -> Request:
    """The browse request in a query string, checked against the relation's `columns`."""
    filters, facets, sort, descending, size, offset = [], [], None, False, min(DEFAULT_SIZE, max_size), 0
    for key, value in params:
        if key in ("_sort", "_sort_desc"):
            sort, descending = _column(value, columns), key == "_sort_desc"
        elif key == "_size":
            size = _integer(key, value, 1, max_size)
        elif key == "_next":
            offset = _integer(key, value, 0, None)
        elif key == "_facet":
            facets.append(_column(value, columns))
        elif key.startswith("_") or key == "token":
            continue  # _shape and the like are read by the route
        else:
            name, _, op = key.partition("__")
            op = op or "exact"
            if op not in OPERATORS:
                raise BadRequest(f"unknown filter {op!r} in {key!r}; use one of {', '.join(OPERATORS)}")
            filters.append(Filter(_column(name, columns), op, None if op in NO_VALUE else value))
    return Request(filters, sort, descending, size, offset, facets)


def _column(name: str, columns: list[str]) -> str:
    if name not in columns:
        raise BadRequest(f"no column {name!r}; the columns are {', '.join(columns)}")
    return name


def _integer(key: str, value: str, low: int, high: int | None) -> int:
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f"{key} must be a whole number, not {value!r}") from None
    if number < low or (high is not None and number > high):
        raise BadRequest(f"{key} must be between {low} and {high}" if high else f"{key} must be at least {low}")
    return number


def where(request: Request) -> tuple[str, list[str]]:
    """The WHERE clause of the request's filters (empty when none) and its parameters."""
    clauses = [OPERATORS[f.op].format(col=sql.identifier(f.column)) for f in request.filters]
    args = [f.value for f in request.filters if f.value is not None]
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args


def table_query(relation: str, request: Request) -> tuple[str, list[str]]:
    """One page of rows: one more than the page size, so a next page is known without counting."""
    clause, args = where(request)
    order = ""
    if request.sort:
        direction = "DESC" if request.descending else "ASC"
        order = f" ORDER BY {sql.identifier(request.sort)} {direction} NULLS LAST"
    query = (f"SELECT * FROM {sql.identifier(relation)}{clause}{order} "
             f"LIMIT {request.size + 1} OFFSET {request.offset}")
    return query, args


def facet_query(relation: str, column: str, request: Request) -> tuple[str, list[str]]:
    """The commonest values of `column` under the request's filters, with their counts."""
    clause, args = where(request)
    col = sql.identifier(column)
    return (f"SELECT {col} AS value, count(*) AS n FROM {sql.identifier(relation)}{clause} "
            f"GROUP BY {col} ORDER BY n DESC, {col} NULLS LAST LIMIT {FACET_VALUES}"), args


@dataclass(frozen=True)
class FacetValue:
    value: Any
    count: int
    selected: bool
    toggle_url: str


@dataclass(frozen=True)
class Page:
    relation: str
    columns: list[str]
    rows: list[tuple]
    filtered_count: int
    request: Request
    next_offset: int | None
    facets: dict[str, list[FacetValue]]

    def objects(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def browse(con: duckdb.DuckDBPyConnection, relation: Relation, params: list[tuple[str, str]],
           max_size: int) -> Page:
    columns = [c.name for c in relation.columns]
    request = parse(params, columns, max_size)
    query, args = table_query(relation.name, request)
    result = con.execute(query, args)
    names = [d[0] for d in result.description or []]
    rows = result.fetchall()
    clause, count_args = where(request)
    count_row = con.execute(f"SELECT count(*) FROM {sql.identifier(relation.name)}{clause}", count_args).fetchone()
    more = len(rows) > request.size
    facet_columns = request.facets or [c for c in DEFAULT_FACETS if c in columns]
    facets = {}
    for column in dict.fromkeys(facet_columns):
        chosen = {f.value if f.op == "exact" else None for f in request.filters
                  if f.column == column and f.op in ("exact", "isnull")}
        facet_sql, facet_args = facet_query(relation.name, column, request)
        facets[column] = [
            FacetValue(value, count, _key(value) in chosen, _toggle(params, column, value, _key(value) in chosen))
            for value, count in con.execute(facet_sql, facet_args).fetchall()
        ]
    return Page(relation.name, names, rows[:request.size], int(count_row[0]) if count_row else 0, request,
                request.offset + request.size if more else None, facets)


def _key(value: Any) -> str | None:
    return None if value is None else str(value)


def _toggle(params: list[tuple[str, str]], column: str, value: Any, selected: bool) -> str:
    """The query string that adds the facet value as a filter, or removes it when it is chosen."""
    name, text = (f"{column}__isnull", "1") if value is None else (column, str(value))
    kept = [(k, v) for k, v in params if k != "_next" and not (selected and (k, v) == (name, text))]
    return "?" + urlencode(kept if selected else [*kept, (name, text)])


def page_url(params: list[tuple[str, str]], **changes: str | int | None) -> str:
    """The current query string with some parameters replaced (None: dropped)."""
    kept = [(k, v) for k, v in params if k not in changes]
    return "?" + urlencode(kept + [(k, str(v)) for k, v in changes.items() if v is not None])


def format_number(value: Any) -> str:
    """A number as a reader takes it in: thousands separated, a whole float without its `.0`, at most
    four decimals (218800000000.0 → 218,800,000,000; 99.9 → 99.9)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def sort_url(params: list[tuple[str, str]], request: Request, column: str) -> str:
    """A column heading's link: sort ascending by it, or descending when it is already the ascending sort."""
    flip = request.sort == column and not request.descending
    return page_url(params, _next=None, _sort=None if flip else column, _sort_desc=column if flip else None)
