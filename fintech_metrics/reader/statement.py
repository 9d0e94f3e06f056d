"""The first wall: one read-only statement, checked with DuckDB's own parser before anything runs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import duckdb

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
# The first keywords of a read. A statement DuckDB calls a SELECT but that starts with anything else is
# refused (DuckDB 1.5 reports `PRAGMA version` as a SELECT).
_READ_KEYWORDS = frozenset(
    {"SELECT", "WITH", "FROM", "VALUES", "TABLE", "SUMMARIZE", "DESCRIBE", "DESC", "SHOW", "("}
    | {"PIVOT", "PIVOT_WIDER", "UNPIVOT", "PIVOT_LONGER"}
)
# A token's own text at the start of the slice up to the next token: a quoted name, a word, or operator
# characters (never a comment's).
_TOKEN_TEXT = re.compile(r'\s*(?:"(?:[^"]|"")*"|\w+|(?:(?!--|/\*)[^\w\s"\'])+)')
# Parse-tree nodes (query nodes, table references, expressions) a statement may nest; deeper is refused.
# 100 chained operators are about 105 deep; DuckDB 2's JSON is too deep for Python's decoder from about 350.
_STRING_TEXT = re.compile(r"\s*\w*'(?:[^']|'')*'")
_MAX_DEPTH = 300
_TOO_DEEP = (
    "the query is nested too deeply to check (a few hundred levels of operators or subqueries at most); simplify it"
)


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
        written = _written_statements(sql)
        if written > 1:
            raise QueryRefused(f"only one statement may run at a time; found {written}", code="multiple_statements")
        first = _first_keyword(sql)
        if len(statements) > 1:
            # One statement that DuckDB expands into several (DuckDB 1.5 turns a PIVOT that lists no values into a
            # CREATE and a SELECT; DuckDB 2 calls it MULTI): never a plain read.
            _refuse_kind("MULTI", first)
        statement = statements[0]
        text = statement.query.strip().rstrip(";").rstrip()
        try:
            kind = statement.type
        except ValueError:
            # The Python enum lags the engine: `UPDATE EXTENSIONS` has a type it cannot name (DuckDB 2 raises,
            # DuckDB 1.5 names it "???").
            kind = None
        if kind is None or kind.name not in duckdb.StatementType.__members__:
            raise QueryRefused(
                "only read queries (SELECT) may run; this statement type is not supported", code="not_a_read"
            )
        if kind != duckdb.StatementType.SELECT:
            _refuse_kind(kind.name, first)
        if first not in _READ_KEYWORDS:
            # DuckDB 1.5 rewrites some statements into a SELECT before saying what they are (`PRAGMA version`
            # becomes `SELECT * FROM pragma_version()`), so the type alone is not enough: a read starts with
            # one of a few keywords.
            raise QueryRefused(
                f"only read queries (SELECT) may run; this is {_article(first)} {first} statement",
                code="not_a_read",
            )
        _check_functions_and_paths(parser, text)
        return text
    finally:
        parser.close()


def _refuse_kind(type_name: str, first: str) -> None:
    name = first if type_name in _NAME_FROM_KEYWORD and first.isalpha() else type_name.replace("_", " ")
    hint = ""
    if name == "PIVOT":  # DuckDB runs a PIVOT that lists no values as several statements, one of them a write
        hint = "; a PIVOT runs when it lists its values: PIVOT t ON col IN ('a', 'b') USING count(*)"
    raise QueryRefused(
        f"only read queries (SELECT) may run; this is {_article(name)} {name} statement{hint}", code="not_a_read"
    )


def _article(name: str) -> str:
    return "an" if name[:1] in ("A", "E", "I", "O", "U") and not name.startswith("USE") else "a"


def _tokens(text: str) -> list[tuple[str, Any]]:
    """The text's tokens as (text, kind), comments left out. DuckDB 2's tokenizer reports comments as tokens,
    DuckDB 1.5's skips them; it gives only where each token starts, so a token's text is cut where the
    token ends (a word, a quoted name, a string, or an operator's characters) rather than where the next begins."""
    found = duckdb.tokenize(text)
    starts = [pos for pos, _ in found]
    out = []
    for start, end, (_, kind) in zip(starts, [*starts[1:], len(text)], found, strict=True):
        if kind == duckdb.token_type.comment:
            continue
        piece = text[start:end]
        match = (_STRING_TEXT if kind == duckdb.token_type.string_const else _TOKEN_TEXT).match(piece)
        if match:
            piece = match.group(0)
        out.append((piece.strip(), kind))
    return out


def _written_statements(sql: str) -> int:
    """How many statements the text holds, counted from the token stream (parts between semicolons with a
    token in them), whatever DuckDB then expands them into."""
    count, pending = 0, False
    for token, kind in _tokens(sql):
        if kind == duckdb.token_type.operator and set(token) <= {";"}:
            count += pending
            pending = False
        elif token:
            pending = True
    return count + pending


def _first_keyword(sql: str) -> str:
    """The statement's first token, upper-cased (``(`` for a parenthesised query)."""
    for token, kind in _tokens(sql):
        if kind == duckdb.token_type.operator and set(token) <= {";"}:
            continue
        return token.upper()
    return ""


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
    path = (node.get("qualified_name") or {}).get("path")
    if path is None:
        # DuckDB 1.5 has no qualified_name; the same parts are in catalog_name, schema_name and table_name.
        path = [node.get(key) for key in ("catalog_name", "schema_name", "table_name") if node.get(key)]
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
        raise QueryRefused(_TOO_DEEP, code="too_complex") from None
    if tree.get("error"):
        return None
    return tree


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict in the tree; refuses a tree more than ``_MAX_DEPTH`` typed nodes deep. (DuckDB 2's JSON for
    about 350 chained operators is already too deep for Python's decoder, see ``_parse_tree``; DuckDB 1.5's is
    shallower and decodes, so the depth is counted here, the same way for both.)"""
    stack: list[tuple[Any, int]] = [(node, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if "type" in item:
                depth += 1
                if depth > _MAX_DEPTH:
                    raise QueryRefused(_TOO_DEEP, code="too_complex")
            yield item
            stack.extend((value, depth) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth) for value in item)


def _token_check(text: str) -> None:
    """Fallback when no parse tree is available: a function name followed by ``(``, or a string or
    path-like name right after FROM/JOIN."""
    found = _tokens(text)
    tokens = [token for token, _ in found]
    kinds = [kind for _, kind in found]
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
