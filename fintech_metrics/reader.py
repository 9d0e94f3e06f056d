"""Run user SQL against the published warehouse snapshot, read-only and locked down.

Two walls stand between user SQL and the machine:

1. ``check_sql`` (this module) parses the text with DuckDB's own parser and lets through exactly one
   statement of type SELECT. DuckDB reports ``WITH … SELECT``, ``VALUES``, ``FROM tbl``, ``DESCRIBE``,
   ``SHOW`` / ``SHOW TABLES`` and ``SUMMARIZE`` as SELECT statements, so analysts keep them; they
   only read the catalog or the tables. Everything else is refused, including ``EXPLAIN`` (DuckDB
   gives ``EXPLAIN ANALYZE`` the same statement type, and it executes the query), ``PIVOT`` (a
   multi-statement rewrite) and ``CALL`` / ``PRAGMA`` / ``CHECKPOINT``. Table functions that read
   files or the network (``read_csv``, ``glob``, ``sniff_csv`` …) and quoted file paths used as tables
   are refused by walking the parse tree from ``json_serialize_sql``.
2. ``open_reader`` gives DuckDB itself no way out: the snapshot is attached READ_ONLY, external
   access and extension loading are off, resources are capped and the configuration is locked.

The settings are defence in depth, not a sandbox: a public endpoint should still run this in a
container or low-privilege process (see DuckDB's "Securing DuckDB" page).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import threading
import time
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from . import sql
from .settings import reader_spill_dir

__all__ = [
    "FORMATS",
    "QueryRefused",
    "QueryResult",
    "check_sql",
    "format_result",
    "open_reader",
    "run_query",
]

SNAPSHOT_ALIAS = "warehouse"
FORMATS = ("table", "csv", "json")

# Functions that touch files, the network or foreign databases. DuckDB refuses most of them once
# enable_external_access is off, but sniff_csv once slipped past that switch (GitLab advisory for
# pypi/duckdb), so they are refused here as well, by name, before DuckDB sees them.
_FILE_FUNCTIONS = frozenset(
    {
        "glob",
        "sniff_csv",
        "parquet_scan",
        "csv_scan",
        "json_scan",
        "delta_scan",
        "iceberg_scan",
        "iceberg_metadata",
        "iceberg_snapshots",
        "sqlite_scan",
        "sqlite_attach",
        "postgres_scan",
        "postgres_attach",
        "postgres_query",
        "mysql_scan",
        "mysql_query",
        "st_read",
        "st_read_meta",
        "load_aws_credentials",
    }
)
_FILE_FUNCTION_PREFIXES = (
    "read_",
    "parquet_",
    "iceberg_",
    "delta_",
    "sqlite_",
    "postgres_",
    "mysql_",
    "ducklake_",
    "http_",
    "httpfs_",
    "azure_",
    "s3_",
    "gcs_",
)
_FILE_FUNCTION_SUFFIXES = ("_scan", "_attach")
# Not file access, but they run SQL or table names hidden in a string (which this check cannot
# see), reveal secrets, or write.
_FORBIDDEN_FUNCTIONS = frozenset(
    {"query", "query_table", "duckdb_secrets", "which_secret", "checkpoint", "force_checkpoint"}
)
# A table name with one of these characters is a file path or URL for DuckDB's replacement scans
# (`FROM 'data.csv'`, `FROM "s3://b/x.parquet"`), never one of our tables.
_PATH_CHARS = frozenset("/\\.:*?~")
# Statement types whose first keyword is a friendlier name than the type (INSTALL is type LOAD,
# USE/RESET are SET, CHECKPOINT is CALL, PIVOT is MULTI).
_NAME_FROM_KEYWORD = frozenset({"LOAD", "SET", "CALL", "MULTI", "TRANSACTION", "VARIABLE_SET"})


class QueryRefused(ValueError):
    """A query that will not be run, with a user-facing message and a short ``code`` slug."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


# --- First wall: checking the text -------------------------------------------------------------


def check_sql(sql: str) -> str:
    """Return the text of the single read statement in ``sql``; raise ``QueryRefused`` otherwise."""
    if not sql or not sql.strip():
        raise QueryRefused("the query is empty", code="empty")
    parser = duckdb.connect()
    try:
        try:
            statements = parser.extract_statements(sql)
        except duckdb.ParserException as exc:
            raise QueryRefused(f"could not parse the query: {exc}", code="syntax_error") from None
        if not statements:
            raise QueryRefused("the query is empty (only comments or semicolons)", code="empty")
        if len(statements) > 1:
            raise QueryRefused(
                f"only one statement may run at a time; found {len(statements)}", code="multiple_statements"
            )
        statement = statements[0]
        text = statement.query.strip().rstrip(";").rstrip()
        try:
            kind = statement.type
        except ValueError:
            # The Python enum lags the engine: `UPDATE EXTENSIONS` has a type it cannot name.
            raise QueryRefused(
                "only read queries (SELECT) may run; this statement type is not supported", code="not_a_read"
            ) from None
        if kind != duckdb.StatementType.SELECT:
            name = _statement_name(kind.name, text)
            article = "an" if name[0] in "AEIOU" and not name.startswith("USE") else "a"
            raise QueryRefused(
                f"only read queries (SELECT) may run; this is {article} {name} statement", code="not_a_read"
            )
        _check_functions_and_paths(parser, text)
        return text
    finally:
        parser.close()


def _statement_name(type_name: str, text: str) -> str:
    if type_name in _NAME_FROM_KEYWORD:
        first = text.split(None, 1)[0].upper() if text.split() else ""
        if first.isalpha():
            return first
    return type_name.replace("_", " ")


def _check_functions_and_paths(con: duckdb.DuckDBPyConnection, text: str) -> None:
    tree = _parse_tree(con, text)
    if tree is None:
        _token_check(text)
        return
    for node in _walk(tree):
        name = node.get("function_name")
        if isinstance(name, str):
            _refuse_function(name)
        if node.get("type") in ("BASE_TABLE", "SHOW_REF"):
            table = node.get("table_name")
            if isinstance(table, str) and _looks_like_path(table):
                _refuse_path(table)


def _parse_tree(con: duckdb.DuckDBPyConnection, text: str) -> dict[str, Any] | None:
    """The statement's parse tree from ``json_serialize_sql``, or None if DuckDB cannot give one."""
    try:
        row = con.execute("SELECT json_serialize_sql(?)", [text]).fetchone()
    except duckdb.Error:
        return None
    if row is None or not isinstance(row[0], str):
        return None
    tree = json.loads(row[0])
    if tree.get("error"):
        return None
    return tree


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _token_check(text: str) -> None:
    """Fallback when no parse tree is available: a function name followed by ``(``, or a string or
    path-like name right after FROM/JOIN."""
    found = duckdb.tokenize(text)
    starts = [pos for pos, _ in found]
    kinds = [kind for _, kind in found]
    tokens = [text[start:end].strip() for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]
    for i, (token, kind) in enumerate(zip(tokens, kinds, strict=True)):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if kind in (duckdb.token_type.identifier, duckdb.token_type.keyword) and following == "(":
            _refuse_function(token.strip('"'))
        previous = tokens[i - 1].upper() if i > 0 else ""
        if previous in ("FROM", "JOIN") and (
            kind == duckdb.token_type.string_const or _looks_like_path(token.strip('"'))
        ):
            _refuse_path(token.strip("'\""))


def _refuse_function(name: str) -> None:
    lowered = name.lower()
    if (
        lowered in _FILE_FUNCTIONS
        or lowered.startswith(_FILE_FUNCTION_PREFIXES)
        or lowered.endswith(_FILE_FUNCTION_SUFFIXES)
    ):
        raise QueryRefused(
            f"{lowered}() reads files or the network and is not allowed; query the warehouse tables instead",
            code="file_access",
        )
    if lowered in _FORBIDDEN_FUNCTIONS:
        raise QueryRefused(f"{lowered}() is not allowed in queries", code="forbidden_function")


def _looks_like_path(name: str) -> bool:
    return any(char in _PATH_CHARS for char in name)


def _refuse_path(path: str) -> None:
    raise QueryRefused(
        f"reading files is not allowed ('{path}' is used as a table); query the warehouse tables instead",
        code="file_access",
    )


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


# --- Running ------------------------------------------------------------------------------------


@dataclass
class QueryResult:
    """Rows of one query, at most ``row_limit`` of them; ``truncated`` says more existed."""

    columns: list[str]
    types: list[str]
    rows: list[tuple]
    truncated: bool
    row_limit: int
    elapsed_ms: float

    def to_polars(self) -> pl.DataFrame:
        """The rows as a Polars DataFrame (column names made unique, common types kept)."""
        names = _unique_names(self.columns)
        schema = {name: _polars_type(kind) for name, kind in zip(names, self.types, strict=True)}
        return pl.DataFrame(self.rows, schema=schema, orient="row", infer_schema_length=None, strict=False)


def run_query(sql: str, snapshot: Path, *, max_rows: int = 10_000, timeout_s: float = 10.0) -> QueryResult:
    """Check ``sql``, run it on a locked-down reader with a time limit, and return at most ``max_rows``."""
    if max_rows < 0:
        raise ValueError("max_rows must not be negative")
    text = check_sql(sql)
    con = open_reader(snapshot)
    timer = threading.Timer(timeout_s, con.interrupt)
    timer.daemon = True
    started = time.perf_counter()
    try:
        timer.start()
        result = con.execute(text)
        description = result.description or []
        # Results stream in DuckDB 2.0, so fetching max_rows + 1 stops the scan early.
        fetched = result.fetchmany(max_rows + 1)
    except duckdb.InterruptException:
        raise QueryRefused(f"query cancelled after {timeout_s:.1f} s (time limit)", code="timeout") from None
    except duckdb.PermissionException as exc:
        raise QueryRefused(f"refused by the database: {exc}", code="file_access") from None
    finally:
        timer.cancel()
        con.close()
    elapsed_ms = (time.perf_counter() - started) * 1000
    return QueryResult(
        columns=[str(col[0]) for col in description],
        types=[str(col[1]).strip('"') for col in description],
        rows=[tuple(row) for row in fetched[:max_rows]],
        truncated=len(fetched) > max_rows,
        row_limit=max_rows,
        elapsed_ms=round(elapsed_ms, 3),
    )


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


_POLARS_TYPES: dict[str, Any] = {
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
}


def _polars_type(duckdb_type: str) -> Any:
    if duckdb_type.startswith("DECIMAL("):
        precision, scale = duckdb_type[len("DECIMAL(") : -1].split(",")
        return pl.Decimal(int(precision), int(scale))
    return _POLARS_TYPES.get(duckdb_type)


# --- Formatting ---------------------------------------------------------------------------------


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
_MAX_CELL_WIDTH = 60


def _format_table(result: QueryResult) -> str:
    header = [result.columns, [kind.lower() for kind in result.types]]
    body = [[_clip(_text(value, null="NULL")) for value in row] for row in result.rows]
    widths = [max(_width(line[i]) for line in [*header, *body]) for i in range(len(result.columns))]
    numeric = [kind.startswith(_NUMERIC_PREFIXES) for kind in result.types]

    def line(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * (w + 2) for w in widths) + right

    def row(cells: Sequence[str], align_numbers: bool) -> str:
        padded = [
            _pad(cell, width, right=align_numbers and is_num)
            for cell, width, is_num in zip(cells, widths, numeric, strict=True)
        ]
        return "│ " + " │ ".join(padded) + " │"

    if not result.columns:
        return _footer(result) + "\n"
    lines = [line("┌", "┬", "┐"), *(row(cells, False) for cells in header), line("├", "┼", "┤")]
    lines += [row(cells, True) for cells in body]
    lines += [line("└", "┴", "┘"), _footer(result)]
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    # CJK characters take two terminal columns; the articles are Chinese, so this matters.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space


def _clip(text: str) -> str:
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if _width(text) <= _MAX_CELL_WIDTH:
        return text
    clipped = ""
    for char in text:
        if _width(clipped + char) > _MAX_CELL_WIDTH - 1:
            break
        clipped += char
    return clipped + "…"


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
