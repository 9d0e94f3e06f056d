"""The locked-down SQL reader: both walls, limits and output formats."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest
from conftest import small_warehouse

from fintech_metrics import reader
from fintech_metrics.reader import QueryRefused, QueryResult, check_sql, format_result, open_reader, run_query

NOT_A_READ = "only read queries (SELECT) may run; this is {} statement"
FILE_FUNCTION = "{}() reads files or the network and is not allowed; query the warehouse tables instead"


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return small_warehouse(
        tmp_path, "CREATE TABLE figures(article_id VARCHAR, kind VARCHAR, value DOUBLE)",
        "INSERT INTO figures VALUES ('a1', 'revenue', 12.5), ('a1', 'users', 3000000), ('a2', 'funding', 0.75)",
        "CREATE TABLE runs(run_id VARCHAR, finished_at TIMESTAMP)",
        "INSERT INTO runs VALUES ('r1', TIMESTAMP '2025-01-02 03:04:05')")


# --- First wall ---------------------------------------------------------------------------------

REFUSALS = [
    ("INSERT INTO figures VALUES ('x', 'y', 1)", "not_a_read", NOT_A_READ.format("an INSERT")),
    ("UPDATE figures SET value = 0", "not_a_read", NOT_A_READ.format("an UPDATE")),
    ("DELETE FROM figures", "not_a_read", NOT_A_READ.format("a DELETE")),
    ("CREATE TABLE t AS SELECT 1", "not_a_read", NOT_A_READ.format("a CREATE")),
    ("DROP TABLE figures", "not_a_read", NOT_A_READ.format("a DROP")),
    ("ALTER TABLE figures ADD COLUMN x INT", "not_a_read", NOT_A_READ.format("an ALTER")),
    ("COPY (SELECT 1) TO '/tmp/x.csv'", "not_a_read", NOT_A_READ.format("a COPY")),
    ("COPY figures TO '/tmp/x.csv'", "not_a_read", NOT_A_READ.format("a COPY")),
    ("ATTACH '/tmp/other.duckdb' AS other", "not_a_read", NOT_A_READ.format("an ATTACH")),
    ("DETACH warehouse", "not_a_read", NOT_A_READ.format("a DETACH")),
    ("INSTALL httpfs", "not_a_read", NOT_A_READ.format("an INSTALL")),
    ("LOAD httpfs", "not_a_read", NOT_A_READ.format("a LOAD")),
    ("SET threads = 8", "not_a_read", NOT_A_READ.format("a SET")),
    ("USE memory", "not_a_read", NOT_A_READ.format("a USE")),
    ("PRAGMA version", "not_a_read", NOT_A_READ.format("a PRAGMA")),
    ("CALL pragma_version()", "not_a_read", NOT_A_READ.format("a CALL")),
    ("CHECKPOINT", "not_a_read", NOT_A_READ.format("a CHECKPOINT")),
    ("EXPORT DATABASE '/tmp/out'", "not_a_read", NOT_A_READ.format("an EXPORT")),
    ("EXPLAIN ANALYZE SELECT 1", "not_a_read", NOT_A_READ.format("an EXPLAIN")),
    ("BEGIN", "not_a_read", NOT_A_READ.format("a BEGIN")),
    ("PIVOT figures ON kind", "not_a_read", NOT_A_READ.format("a PIVOT") + "; a PIVOT runs when it lists its "
     "values: PIVOT t ON col IN ('a', 'b') USING count(*)"),
    (
        "UPDATE EXTENSIONS",
        "not_a_read",
        "only read queries (SELECT) may run; this statement type is not supported",
    ),
    ("SELECT 1; SELECT 2", "multiple_statements", "only one statement may run at a time; found 2"),
    ("SELECT 1; DROP TABLE figures;", "multiple_statements", "only one statement may run at a time; found 2"),
    ("", "empty", "the query is empty"),
    ("   \n ", "empty", "the query is empty"),
    ("-- just a comment\n;", "empty", "the query is empty (only comments or semicolons)"),
    ("SELECT * FROM read_csv('/etc/passwd')", "file_access", FILE_FUNCTION.format("read_csv")),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", "file_access", FILE_FUNCTION.format("read_csv_auto")),
    ("SELECT * FROM read_parquet('/tmp/*.parquet')", "file_access", FILE_FUNCTION.format("read_parquet")),
    ("SELECT * FROM main.READ_PARQUET('x.parquet')", "file_access", FILE_FUNCTION.format("read_parquet")),
    ("SELECT * FROM parquet_scan('x.parquet')", "file_access", FILE_FUNCTION.format("parquet_scan")),
    ("SELECT * FROM glob('/etc/*')", "file_access", FILE_FUNCTION.format("glob")),
    ("SELECT * FROM sniff_csv('/etc/passwd')", "file_access", FILE_FUNCTION.format("sniff_csv")),
    ("SELECT content FROM read_text('/etc/passwd')", "file_access", FILE_FUNCTION.format("read_text")),
    ("SELECT * FROM read_blob('/etc/passwd')", "file_access", FILE_FUNCTION.format("read_blob")),
    ("SELECT * FROM read_json_auto('x.json')", "file_access", FILE_FUNCTION.format("read_json_auto")),
    ("SELECT * FROM sqlite_scan('x.db', 't')", "file_access", FILE_FUNCTION.format("sqlite_scan")),
    (
        "WITH x AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM figures, x",
        "file_access",
        FILE_FUNCTION.format("read_csv"),
    ),
    (
        "SELECT * FROM figures WHERE kind IN (SELECT content FROM read_text('/etc/hostname'))",
        "file_access",
        FILE_FUNCTION.format("read_text"),
    ),
    (
        "FROM '/etc/passwd'",
        "file_access",
        "reading files is not allowed ('/etc/passwd' is used as a table); query the warehouse tables instead",
    ),
    (
        'SELECT * FROM figures JOIN "data.csv" USING (kind)',
        "file_access",
        "reading files is not allowed ('data.csv' is used as a table); query the warehouse tables instead",
    ),
    (
        "SUMMARIZE FROM '/etc/passwd'",
        "file_access",
        "reading files is not allowed ('/etc/passwd' is used as a table); query the warehouse tables instead",
    ),
    ("SELECT * FROM query('SELECT 1')", "forbidden_function", "query() is not allowed in queries"),
    ("SELECT * FROM query_table('figures')", "forbidden_function", "query_table() is not allowed in queries"),
]


@pytest.mark.parametrize(("sql", "code", "message"), REFUSALS, ids=[sql[:40] for sql, _, _ in REFUSALS])
def test_check_sql_refuses(sql: str, code: str, message: str) -> None:
    with pytest.raises(QueryRefused) as caught:
        check_sql(sql)
    assert caught.value.code == code
    assert str(caught.value) == message


def test_syntax_error_includes_duckdb_message() -> None:
    with pytest.raises(QueryRefused) as caught:
        check_sql("SELEC 1")
    assert caught.value.code == "syntax_error"
    assert str(caught.value).startswith(
        'could not parse the query: Parser Error: syntax error at or near "SELEC"'
    )


ALLOWED = [
    "SELECT * FROM figures",
    "select kind, sum(value) from figures group by kind",
    "WITH t AS (SELECT * FROM figures) SELECT count(*) FROM t",
    "FROM figures",
    "VALUES (1, 'a'), (2, 'b')",
    "DESCRIBE figures",
    "SHOW TABLES",
    "SHOW figures",
    "SUMMARIZE figures",
    "SELECT * FROM range(3)",
    "SELECT 'read_csv(/etc/passwd)' AS harmless_text",
]


@pytest.mark.parametrize("sql", ALLOWED)
def test_check_sql_allows_reads(sql: str, snapshot: Path) -> None:
    assert check_sql(sql) == sql
    run_query(sql, snapshot)


def test_check_sql_returns_single_statement_without_semicolon() -> None:
    assert check_sql("  SELECT 1 ;  ") == "SELECT 1"


@pytest.mark.parametrize(
    ("sql", "code"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "file_access"),
        ("SELECT * FROM main.\"READ_PARQUET\"('x')", "file_access"),
        ("FROM '/etc/passwd'", "file_access"),
        ("SELECT * FROM figures JOIN 'x.csv' ON true", "file_access"),
        ("SELECT * FROM query('SELECT 1')", "forbidden_function"),
    ],
)
def test_token_fallback_without_parse_tree(sql: str, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader.statement, "_parse_tree", lambda con, text: None)
    with pytest.raises(QueryRefused) as caught:
        check_sql(sql)
    assert caught.value.code == code
    assert check_sql("SELECT kind FROM figures") == "SELECT kind FROM figures"


def test_refusals_leave_snapshot_untouched(snapshot: Path) -> None:
    before = (snapshot.read_bytes(), snapshot.stat().st_mtime_ns)
    siblings = sorted(p.name for p in snapshot.parent.iterdir())
    for sql, code, message in REFUSALS:
        with pytest.raises(QueryRefused) as caught:
            run_query(sql, snapshot)
        assert (caught.value.code, str(caught.value)) == (code, message)
    assert (snapshot.read_bytes(), snapshot.stat().st_mtime_ns) == before
    assert sorted(p.name for p in snapshot.parent.iterdir()) == siblings
    assert not Path("/tmp/out").exists()


# --- Second wall --------------------------------------------------------------------------------

SECOND_WALL = [
    ("SET threads = 8", duckdb.InvalidInputException, "the configuration has been locked"),
    ("SET enable_external_access = true", duckdb.InvalidInputException, "the configuration has been locked"),
    ("SET lock_configuration = false", duckdb.InvalidInputException, "the configuration has been locked"),
    ("ATTACH '{tmp}/other.duckdb' AS other", duckdb.PermissionException, "disabled by configuration"),
    ("COPY (SELECT 1) TO '{tmp}/x.csv'", duckdb.PermissionException, "disabled by configuration"),
    ("EXPORT DATABASE '{tmp}/export'", duckdb.PermissionException, "disabled by configuration"),
    ("INSTALL httpfs", duckdb.PermissionException, "disabled by configuration"),
    ("LOAD httpfs", duckdb.PermissionException, "disabled through configuration"),
    ("SELECT * FROM read_csv('/etc/passwd')", duckdb.PermissionException, "disabled by configuration"),
    ("SELECT * FROM sniff_csv('/etc/passwd')", duckdb.PermissionException, "disabled by configuration"),
    ("SELECT * FROM glob('/etc/*')", duckdb.PermissionException, "disabled by configuration"),
    ("CREATE TABLE warehouse.main.t(a INT)", duckdb.InvalidInputException, "attached in read-only mode"),
    ("CREATE TABLE t(a INT)", duckdb.InvalidInputException, "attached in read-only mode"),
    ("INSERT INTO figures VALUES ('x', 'y', 1)", duckdb.InvalidInputException, "attached in read-only mode"),
    ("DELETE FROM figures", duckdb.InvalidInputException, "attached in read-only mode"),
    ("DROP TABLE figures", duckdb.InvalidInputException, "attached in read-only mode"),
]


@pytest.mark.parametrize(("sql", "error", "fragment"), SECOND_WALL, ids=[s for s, _, _ in SECOND_WALL])
def test_second_wall_duckdb_refuses_directly(
    sql: str, error: type[Exception], fragment: str, snapshot: Path, tmp_path: Path
) -> None:
    before = (snapshot.read_bytes(), snapshot.stat().st_mtime_ns)
    con = open_reader(snapshot)
    try:
        with pytest.raises(error, match=fragment):
            con.execute(sql.format(tmp=tmp_path)).fetchall()
        assert con.execute("SELECT count(*) FROM figures").fetchone() == (3,)
    finally:
        con.close()
    assert (snapshot.read_bytes(), snapshot.stat().st_mtime_ns) == before
    assert not (tmp_path / "x.csv").exists()
    assert not (tmp_path / "other.duckdb").exists()


def test_open_reader_settings(snapshot: Path) -> None:
    con = open_reader(snapshot, threads=1, memory_limit="256MB")
    try:
        names = [
            "threads",
            "enable_external_access",
            "lock_configuration",
            "autoload_known_extensions",
            "autoinstall_known_extensions",
            "allow_community_extensions",
        ]
        query = "SELECT name, value FROM duckdb_settings() WHERE list_contains(?, name)"
        settings = dict(con.execute(query, [names]).fetchall())
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    finally:
        con.close()
    assert settings == {
        "threads": "1",
        "enable_external_access": "false",
        "lock_configuration": "true",
        "autoload_known_extensions": "false",
        "autoinstall_known_extensions": "false",
        "allow_community_extensions": "false",
    }
    assert tables == {"figures", "runs"}


def test_missing_snapshot(tmp_path: Path) -> None:
    with pytest.raises(QueryRefused, match=r"run `fintech-metrics run` first") as caught:
        run_query("SELECT 1", tmp_path / "nope.duckdb")
    assert caught.value.code == "no_warehouse"


# --- Limits -------------------------------------------------------------------------------------


def test_timeout_cuts_off_long_query(snapshot: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryRefused) as caught:
        run_query("SELECT count(*) FROM range(10000000000) a", snapshot, timeout_s=0.5)
    elapsed = time.perf_counter() - started
    assert caught.value.code == "timeout"
    assert str(caught.value) == "query cancelled after 0.5 s (time limit)"
    assert elapsed < 5


def test_truncation_at_max_rows(snapshot: Path) -> None:
    result = run_query("SELECT * FROM range(25) t(i)", snapshot, max_rows=10)
    assert result.rows == [(i,) for i in range(10)]
    assert result.truncated is True
    assert result.row_limit == 10

    exact = run_query("SELECT * FROM range(10) t(i)", snapshot, max_rows=10)
    assert (len(exact.rows), exact.truncated) == (10, False)


def test_huge_result_is_streamed_not_materialised(snapshot: Path) -> None:
    result = run_query("SELECT * FROM range(10000000000)", snapshot, max_rows=5, timeout_s=5)
    assert (len(result.rows), result.truncated) == (5, True)


def test_run_query_result(snapshot: Path) -> None:
    result = run_query("SELECT * FROM figures ORDER BY value", snapshot)
    assert result.columns == ["article_id", "kind", "value"]
    assert result.types == ["VARCHAR", "VARCHAR", "DOUBLE"]
    assert result.rows == [("a2", "funding", 0.75), ("a1", "revenue", 12.5), ("a1", "users", 3000000.0)]
    assert result.truncated is False
    assert result.elapsed_ms >= 0
    frame = result.to_polars()
    assert frame.schema == pl.Schema({"article_id": pl.String, "kind": pl.String, "value": pl.Float64})
    assert frame["value"].to_list() == [0.75, 12.5, 3000000.0]


def test_to_polars_empty_and_duplicate_names(snapshot: Path) -> None:
    empty = run_query("SELECT * FROM figures WHERE false", snapshot).to_polars()
    assert empty.schema == pl.Schema({"article_id": pl.String, "kind": pl.String, "value": pl.Float64})
    dupes = run_query("SELECT 1 AS a, 2 AS a", snapshot).to_polars()
    assert dupes.columns == ["a", "a_1"]


# --- Formats ------------------------------------------------------------------------------------


@pytest.fixture
def tiny() -> QueryResult:
    return QueryResult(
        columns=["article_id", "kind", "value"],
        types=["VARCHAR", "VARCHAR", "DOUBLE"],
        rows=[("a1", "營收", 12.5), ("a2", None, 3000000.0)],
        truncated=False,
        row_limit=10_000,
        elapsed_ms=1.0,
    )


def test_format_table(tiny: QueryResult) -> None:
    assert format_result(tiny, "table") == (
        "┌────────────┬─────────┬───────────┐\n"
        "│ article_id │ kind    │ value     │\n"
        "│ varchar    │ varchar │ double    │\n"
        "├────────────┼─────────┼───────────┤\n"
        "│ a1         │ 營收    │      12.5 │\n"
        "│ a2         │ NULL    │ 3000000.0 │\n"
        "└────────────┴─────────┴───────────┘\n"
        "2 rows\n"
    )


def test_format_table_truncation_note(snapshot: Path) -> None:
    result = run_query("SELECT * FROM range(3) t(i)", snapshot, max_rows=1)
    assert format_result(result, "table") == (
        "┌────────┐\n"
        "│ i      │\n"
        "│ bigint │\n"
        "├────────┤\n"
        "│      0 │\n"
        "└────────┘\n"
        "1 row (truncated at the row limit of 1; add LIMIT or filter to see the rest)\n"
    )


def test_format_csv(tiny: QueryResult) -> None:
    assert format_result(tiny, "csv") == "article_id,kind,value\na1,營收,12.5\na2,,3000000.0\n"


def test_format_json(tiny: QueryResult) -> None:
    text = format_result(tiny, "json")
    assert text == (
        "[\n"
        '{"article_id": "a1", "kind": "營收", "value": 12.5},\n'
        '{"article_id": "a2", "kind": null, "value": 3000000.0}\n'
        "]\n"
    )
    assert json.loads(text)[1]["kind"] is None


def test_format_json_and_csv_special_values() -> None:
    result = QueryResult(
        columns=["d", "ts", "amount", "ok", "x", "tags"],
        types=["DATE", "TIMESTAMP", "DECIMAL(10,2)", "BOOLEAN", "DOUBLE", "VARCHAR[]"],
        rows=[
            (
                dt.date(2025, 1, 2),
                dt.datetime(2025, 1, 2, 3, 4, 5),
                Decimal("1.10"),
                True,
                float("nan"),
                ["a"],
            )
        ],
        truncated=False,
        row_limit=10,
        elapsed_ms=0.0,
    )
    assert json.loads(format_result(result, "json")) == [
        {
            "d": "2025-01-02",
            "ts": "2025-01-02T03:04:05",
            "amount": "1.10",
            "ok": True,
            "x": None,
            "tags": ["a"],
        }
    ]
    assert (
        format_result(result, "csv")
        == 'd,ts,amount,ok,x,tags\n2025-01-02,2025-01-02 03:04:05,1.10,true,nan,"[""a""]"\n'
    )


def test_format_empty(snapshot: Path) -> None:
    result = run_query("SELECT * FROM figures WHERE false", snapshot)
    assert format_result(result, "json") == "[]\n"
    assert format_result(result, "csv") == "article_id,kind,value\n"
    assert format_result(result, "table").endswith("0 rows\n")


def test_unknown_format(tiny: QueryResult) -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        format_result(tiny, "xml")


def test_format_table_wraps_a_long_cell_instead_of_clipping_it() -> None:
    reason = "no figure could be read from this article because " * 8
    result = QueryResult(columns=["reason"], types=["VARCHAR"], rows=[(reason.strip(),)], truncated=False,
                         row_limit=10, elapsed_ms=1.0)
    lines = format_result(result, "table").splitlines()
    assert max(len(line) for line in lines) <= 200 and len(lines) > 7
    body = " ".join(line.strip("│ ") for line in lines[4:-2])
    assert " ".join(body.split()) == reason.strip()
