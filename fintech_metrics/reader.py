"""Run user SQL against the published warehouse snapshot, read-only and locked down.

Two walls stand between user SQL and the machine:

1. ``check_sql`` (this module) parses the text with DuckDB's own parser and lets through exactly one
   statement of type SELECT. DuckDB reports ``WITH … SELECT``, ``VALUES``, ``FROM tbl``, ``DESCRIBE``,
   ``SHOW`` / ``SHOW TABLES`` and ``SUMMARIZE`` as SELECT statements, so analysts keep them; they
   only read the catalog or the tables. Everything else is refused, including ``EXPLAIN`` (DuckDB
   gives ``EXPLAIN ANALYZE`` the same statement type, and it executes the query), ``PIVOT`` (a
   multi-statement rewrite) and ``CALL`` / ``PRAGMA`` / ``CHECKPOINT``. Table functions that read
   files or the network (``read_csv``, ``glob``, ``sniff_csv`` …) and quoted file paths used as tables
   are refused by walking the parse tree from ``json_serialize_sql``; table functions must be on an
   allow-list, and names DuckDB would read as files (``figures.csv``) are refused.
2. ``open_reader`` gives DuckDB itself no way out: the snapshot is attached READ_ONLY, external
   access and extension loading are off, resources are capped and the configuration is locked.

``run_query`` runs every statement in a fresh process of its own whose memory the kernel caps and which
is killed at the time limit: DuckDB's memory_limit covers only its buffer manager (a string from
``repeat`` or a list from ``range`` is allocated outside it), and DuckDB does not look at interrupts
inside one function call, so neither limit can be left to DuckDB alone.

The settings are defence in depth, not a sandbox: a public endpoint should still run this in a
container or low-privilege process (see DuckDB's "Securing DuckDB" page).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import pickle
import resource
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from . import sql
from .settings import DEFAULTS, reader_spill_dir

__all__ = [
    "FORMATS",
    "QueryRefused",
    "QueryResult",
    "check_sql",
    "format_result",
    "render",
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
# see), reveal secrets, or write. Refused by name wherever they appear.
_FORBIDDEN_FUNCTIONS = frozenset(
    {
        "query",
        "query_table",
        "duckdb_secrets",
        "which_secret",
        "checkpoint",
        "force_checkpoint",
        # SQL as JSON: json_execute_serialized_sql runs a plan built from a string, out of this check's sight.
        "json_execute_serialized_sql",
        "json_serialize_sql",
        "json_deserialize_sql",
        "json_serialize_plan",
        "getenv",
    }
)
# Every table function a query may call; any other (DuckDB 2.0 has about 120, from checkpoint() to
# enable_logging() and register_external_resource(), and extensions add more) is refused. An allow-list,
# because a deny-list misses whatever the next DuckDB release adds.
ALLOWED_TABLE_FUNCTIONS = frozenset(
    {
        "range",
        "generate_series",
        "unnest",
        "repeat",
        "repeat_row",
        "summary",
        "json_each",
        "json_tree",
        "duckdb_columns",
        "duckdb_constraints",
        "duckdb_functions",
        "duckdb_indexes",
        "duckdb_keywords",
        "duckdb_schemas",
        "duckdb_tables",
        "duckdb_types",
        "duckdb_views",
        "pragma_table_info",
        "pragma_show",
        "pragma_version",
        "pg_timezone_names",
        "icu_calendar_names",
    }
)
# A qualified table name must start with one of these (a catalog or schema of the reader); anything else
# (`figures.csv` is schema "figures", table "csv") would fall through to DuckDB's replacement scans,
# which read it as a file.
_KNOWN_QUALIFIERS = frozenset({"warehouse", "main", "information_schema", "pg_catalog", "system", "temp", "memory"})
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
        kind = node.get("type")
        if kind == "TABLE_FUNCTION":
            function = node.get("function") or {}
            _refuse_table_function(str(function.get("function_name", "")))
        if kind in ("BASE_TABLE", "SHOW_REF"):
            _check_table_name(node)


def _check_table_name(node: dict[str, Any]) -> None:
    table = node.get("table_name")
    if isinstance(table, str) and _looks_like_path(table):
        _refuse_path(table)
    path = (node.get("qualified_name") or {}).get("path") or []
    parts = [str(part).strip('"') for part in path]
    if node.get("type") == "BASE_TABLE" and any(part.lower() not in _KNOWN_QUALIFIERS for part in parts[:-1]):
        _refuse_path(".".join(parts))


def _parse_tree(con: duckdb.DuckDBPyConnection, text: str) -> dict[str, Any] | None:
    """The statement's parse tree from ``json_serialize_sql``, or None if DuckDB cannot give one."""
    try:
        row = con.execute("SELECT json_serialize_sql(?)", [text]).fetchone()
    except duckdb.Error:
        return None
    if row is None or not isinstance(row[0], str):
        return None
    try:
        tree = json.loads(row[0])
    except RecursionError:
        # Python's JSON decoder recurses once per level; about 400 chained operators (`a || b || …`) or
        # nested subqueries reach its limit. No real query is that deep.
        raise QueryRefused(
            "the query is nested too deeply to check (a few hundred levels of operators or subqueries at "
            "most); simplify it",
            code="too_complex",
        ) from None
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
        previous = tokens[i - 1].upper() if i > 0 else ""
        if kind in (duckdb.token_type.identifier, duckdb.token_type.keyword) and following == "(":
            _refuse_function(token.strip('"'))
            if previous in ("FROM", "JOIN", ",", "LATERAL"):
                _refuse_table_function(token.strip('"'))
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


def _refuse_table_function(name: str) -> None:
    lowered = name.lower()
    _refuse_function(lowered)
    if lowered not in ALLOWED_TABLE_FUNCTIONS:
        raise QueryRefused(
            f"{lowered}() is not one of the table functions queries may use "
            f"({', '.join(sorted(ALLOWED_TABLE_FUNCTIONS))})",
            code="forbidden_function",
        )


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


# What one query may use. Each query runs in a child process of its own (see ``run_query``).
DEFAULT_MEMORY_LIMIT = DEFAULTS["memory_mb"] << 20  # bytes: the child's data segment (RLIMIT_DATA); DuckDB gets half
DEFAULT_MAX_RESULT_BYTES = 128 << 20  # bytes: the rendered result the child may hand back
QUERY_THREADS = 2
# Formats the child renders the result into (``QueryResult.body``); None keeps the rows as Python values.
RENDERINGS = (*FORMATS, "api-json", "api-json-objects", "parquet")


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


def run_query(
    sql: str,
    snapshot: Path,
    *,
    max_rows: int = DEFAULTS["query_max_rows"],
    timeout_s: float = DEFAULTS["query_timeout"],
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
    fmt: str | None = None,
    max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES,
) -> QueryResult:
    """Check ``sql`` and run it on a locked-down reader in a process of its own; return at most ``max_rows``.

    The child's memory is capped by the kernel (``memory_limit`` bytes of data segment, DuckDB's own
    memory_limit at half of it), so allocations outside DuckDB's buffer manager (a 4 GB string from
    ``repeat``, a billion-element list from ``range``) fail in the child instead of growing the caller;
    the child is killed at ``timeout_s`` whether or not DuckDB notices an interrupt. Every failure is a
    ``QueryRefused`` with a code: ``timeout``, ``memory_limit``, ``result_too_large``, ``query_error``
    (DuckDB's message), ``busy`` (the snapshot could not be read), or one of ``check_sql``'s."""
    if max_rows < 0:
        raise ValueError("max_rows must not be negative")
    if fmt is not None and fmt not in RENDERINGS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(RENDERINGS)}")
    check_sql(sql)  # here too, so a refused statement never costs a process
    job = _Job(sql, str(snapshot), max_rows, int(memory_limit), fmt, int(max_result_bytes), float(timeout_s))
    child = subprocess.Popen(
        [sys.executable, "-P", "-c", "from fintech_metrics.reader import _child_main; _child_main()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = child.communicate(pickle.dumps(job), timeout=timeout_s)
    except subprocess.TimeoutExpired:
        raise QueryRefused(f"query cancelled after {timeout_s:.1f} s (time limit)", code="timeout") from None
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    if child.returncode != 0 or not out:
        raise QueryRefused(_died_message(memory_limit, child.returncode, err), code="memory_limit")
    outcome = pickle.loads(out)
    if isinstance(outcome, QueryResult):
        return outcome
    code, message = outcome
    raise QueryRefused(message, code=code)


@dataclass(frozen=True)
class _Job:
    sql: str
    snapshot: str
    max_rows: int
    memory_limit: int
    fmt: str | None
    max_result_bytes: int
    timeout_s: float


def _child_main() -> None:
    """A query process: read one job on stdin, cap memory and lifetime, run it, write one pickled outcome
    (a QueryResult, or (code, message)) on stdout, exit. Started by ``run_query`` as a fresh interpreter:
    nothing of the caller (threads, locks, open connections) comes along."""
    job = pickle.loads(sys.stdin.buffer.read())
    # The kernel refuses any allocation past the cap, wherever it comes from (DuckDB's buffer manager,
    # its strings and lists, Python). The alarm ends the process a second after the caller gave up, even
    # if the caller itself was killed.
    resource.setrlimit(resource.RLIMIT_DATA, (job.memory_limit, job.memory_limit))
    signal.alarm(math.ceil(job.timeout_s) + 1)
    try:
        outcome: Any = _execute(job)
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        if len(payload) > job.max_result_bytes:
            payload = pickle.dumps(("result_too_large", _too_large_message(job.max_result_bytes)))
    except MemoryError:
        payload = pickle.dumps(("memory_limit", _memory_message(job.memory_limit)))
    except Exception as exc:  # a value Python or Arrow cannot convert, say: still one clear answer
        payload = pickle.dumps(("query_error", f"the query failed: {type(exc).__name__}: {exc}"))
    sys.stdout.buffer.write(payload)
    sys.stdout.buffer.flush()


def _execute(job: _Job) -> QueryResult | tuple[str, str]:
    """The query's outcome: a QueryResult, or (code, message) for the caller to raise as QueryRefused."""
    try:
        text = check_sql(job.sql)
        con = open_reader(Path(job.snapshot), threads=QUERY_THREADS, memory_limit=f"{job.memory_limit // 2 >> 20}MB")
    except QueryRefused as exc:
        return exc.code, str(exc)
    except duckdb.IOException as exc:
        return "busy", f"the published snapshot could not be read: {exc}"
    except duckdb.Error as exc:
        return "query_error", str(exc)
    try:
        started = time.perf_counter()
        if job.fmt == "parquet":
            result = _fetch_parquet(con, text, job.max_rows)
        else:
            result = _fetch_rows(con, text, job.max_rows)
        result.elapsed_ms = round((time.perf_counter() - started) * 1000, 3)
        if job.fmt not in (None, "parquet"):
            result.body = render(result, job.fmt)
            result.rows = []
        return result
    except QueryRefused as exc:
        return exc.code, str(exc)
    except (duckdb.OutOfMemoryException, MemoryError):
        return "memory_limit", _memory_message(job.memory_limit)
    except duckdb.PermissionException as exc:
        return "file_access", f"refused by the database: {exc}"
    except duckdb.Error as exc:
        return "query_error", str(exc)
    except RecursionError:
        return "too_complex", "the result is nested too deeply to render"
    finally:
        con.close()


def _fetch_rows(con: duckdb.DuckDBPyConnection, text: str, max_rows: int) -> QueryResult:
    result = con.execute(text)
    description = result.description or []
    # Results stream in DuckDB 2.0, so fetching max_rows + 1 stops the scan early.
    fetched = result.fetchmany(max_rows + 1)
    return QueryResult(
        columns=[str(col[0]) for col in description],
        types=[str(col[1]).strip('"') for col in description],
        rows=[tuple(row) for row in fetched[:max_rows]],
        truncated=len(fetched) > max_rows,
        row_limit=max_rows,
        elapsed_ms=0.0,
    )


def _fetch_parquet(con: duckdb.DuckDBPyConnection, text: str, max_rows: int) -> QueryResult:
    """The rows as Parquet, through Arrow: every DuckDB type Arrow has (UUID as text, dates beyond year
    9999) keeps its value, where Python objects could not hold them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    relation = con.sql(text)
    columns, types = list(relation.columns), [str(kind).strip('"') for kind in relation.types]
    batches, count = [], 0
    for batch in relation.to_arrow_reader(min(max(max_rows, 1), 100_000) + 1):
        batches.append(batch)
        count += batch.num_rows
        if count > max_rows:
            break
    schema = batches[0].schema if batches else relation.limit(0).to_arrow_table().schema
    table = pa.Table.from_batches(batches, schema=schema).slice(0, max_rows)
    buffer = io.BytesIO()
    try:
        pq.write_table(table, buffer, compression="zstd")
    except (pa.ArrowException, ValueError) as exc:
        raise QueryRefused(
            f"the result cannot be written as Parquet ({exc}); cast that column, e.g. to VARCHAR", code="bad_format"
        ) from None
    return QueryResult(columns, types, [], count > max_rows, max_rows, 0.0, body=buffer.getvalue())


def _size(limit: int) -> str:
    return f"{limit / (1 << 30):.1f} GB" if limit >= 1 << 30 else f"{limit >> 20} MB"


def _memory_message(limit: int) -> str:
    return f"the query needed more than its memory limit of {_size(limit)}; filter or aggregate more"


def _died_message(limit: int, exitcode: int | None, stderr: bytes) -> str:
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit status {exitcode}"
    last = stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
    detail = f"; {last[0][:300]}" if last[0] else ""
    return f"the query process ended without an answer ({how}{detail}); {_memory_message(limit)}"


def _too_large_message(limit: int) -> str:
    return f"the result is larger than {_size(limit)}; select fewer rows or columns"


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
