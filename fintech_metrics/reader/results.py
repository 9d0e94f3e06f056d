"""A query's result and its renderings: a Rich table, CSV, JSON and the HTTP API's JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

FORMATS = ("table", "csv", "json")


@dataclass
class QueryResult:
    """Rows of one query, at most ``row_limit`` of them; ``truncated`` says more existed.

    When the query was run with a ``fmt``, ``body`` holds the rendered result and ``rows`` is empty."""

    columns: list[str]
    types: list[str]
    rows: list[tuple]
    truncated: bool
    row_limit: int
    elapsed_ms: float
    body: bytes | None = None

    def to_polars(self) -> Any:
        """The rows as a Polars DataFrame (column names made unique, common types kept)."""
        import polars as pl

        names = _unique_names(self.columns)
        schema = {name: _polars_type(kind) for name, kind in zip(names, self.types, strict=True)}
        return pl.DataFrame(self.rows, schema=schema, orient="row", infer_schema_length=None, strict=False)


def _unique_names(columns: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for column in columns:
        name = column
        while name in seen:
            seen[column] += 1
            name = f"{column}_{seen[column]}"
        seen[name] = 0
        names.append(name)
    return names


def _polars_type(duckdb_type: str) -> Any:
    import polars as pl  # not at import: the query processes are forked from a server that imports this

    if duckdb_type.startswith("DECIMAL("):
        precision, scale = duckdb_type[len("DECIMAL(") : -1].split(",")
        return pl.Decimal(int(precision), int(scale))
    return {
        "VARCHAR": pl.String,
        "DOUBLE": pl.Float64,
        "FLOAT": pl.Float32,
        "BIGINT": pl.Int64,
        "INTEGER": pl.Int32,
        "SMALLINT": pl.Int16,
        "TINYINT": pl.Int8,
        "UBIGINT": pl.UInt64,
        "UINTEGER": pl.UInt32,
        "BOOLEAN": pl.Boolean,
        "DATE": pl.Date,
        "TIMESTAMP": pl.Datetime("us"),
        "TIMESTAMP WITH TIME ZONE": pl.Datetime("us", "UTC"),
        "TIME": pl.Time,
    }.get(duckdb_type)


# --- Formatting ---------------------------------------------------------------------------------


def render(result: QueryResult, fmt: str) -> bytes:
    """The result as bytes: ``table``, ``csv`` or ``json`` (``format_result``), or ``api-json``: one JSON
    object with ``columns``, ``types``, ``rows`` (lists), ``row_count``, ``truncated``, ``row_limit`` and
    ``elapsed_ms`` (the HTTP API's answer); ``api-json-objects`` has each row as an object (Datasette's
    ``_shape=objects``, with repeated column names made unique)."""
    if not fmt.startswith("api-json"):
        return format_result(result, fmt).encode()
    objects = json.loads(_format_json(result))
    body = {
        "columns": result.columns,
        "types": result.types,
        "rows": objects if fmt == "api-json-objects" else [list(obj.values()) for obj in objects],
        "row_count": len(result.rows),
        "truncated": result.truncated,
        "row_limit": result.row_limit,
        "elapsed_ms": result.elapsed_ms,
    }
    return json.dumps(body, ensure_ascii=False, allow_nan=False).encode()


def format_result(result: QueryResult, fmt: str) -> str:
    """Render ``result`` as ``table`` (aligned text), ``csv`` or ``json`` (an array of objects)."""
    if fmt == "table":
        return _format_table(result)
    if fmt == "csv":
        return _format_csv(result)
    if fmt == "json":
        return _format_json(result)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _footer(result: QueryResult) -> str:
    count = len(result.rows)
    footer = f"{count} row" if count == 1 else f"{count} rows"
    if result.truncated:
        footer += f" (truncated at the row limit of {result.row_limit}; add LIMIT or filter to see the rest)"
    return footer


_NUMERIC_PREFIXES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
)
PIPE_WIDTH = 200  # columns of a table printed to a file or a pipe, where no terminal says how wide it is


def table_renderable(result: QueryResult) -> Any:
    """The result as a Rich table: each column's name over its type, numbers right-aligned, NULL written
    out, long or multi-line cells wrapped within the width (never clipped), then a footer with the count."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SQUARE, header_style="", show_edge=True, pad_edge=True)
    numeric = [kind.startswith(_NUMERIC_PREFIXES) for kind in result.types]
    for name, kind in zip(result.columns, result.types, strict=True):
        table.add_column(Text(f"{name}\n{kind.lower()}"), overflow="fold")
    for row in result.rows:
        table.add_row(*(Text(_text(value, null="NULL"), justify="right" if is_num else "left")
                        for value, is_num in zip(row, numeric, strict=True)))
    footer = Text(_footer(result))
    return Group(table, footer) if result.columns else footer


def _format_table(result: QueryResult, width: int = PIPE_WIDTH) -> str:
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=width, color_system=None, legacy_windows=False, emoji=False,
            highlight=False).print(table_renderable(result))
    return "\n".join(line.rstrip() for line in out.getvalue().split("\n"))


def _format_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([_text(value, null="") for value in row] for row in result.rows)
    return buffer.getvalue()


def _format_json(result: QueryResult) -> str:
    names = _unique_names(result.columns)
    objects = [
        json.dumps(
            {name: _jsonable(value) for name, value in zip(names, row, strict=True)}, ensure_ascii=False
        )
        for row in result.rows
    ]
    if not objects:
        return "[]\n"
    return "[\n" + ",\n".join(objects) + "\n]\n"


def _text(value: Any, *, null: str) -> str:
    """One cell as text for the table and CSV outputs."""
    if value is None:
        return null
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time | Decimal | uuid.UUID | dt.timedelta):
        return str(value)
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    if isinstance(value, list | tuple | dict):
        return json.dumps(_jsonable(value), ensure_ascii=False)
    return str(value)


def _jsonable(value: Any) -> Any:
    """Decimals become strings so no digits are lost; NaN/±inf become null (JSON has no such numbers)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID | dt.timedelta):
        return str(value)
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return str(value)
