"""`fintech-metrics serve` over HTTP with FastAPI's TestClient, on a small warehouse built without Prefect."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
from conftest import open_lake
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fintech_metrics import lake, warehouse
from fintech_metrics.cli import app as cli
from fintech_metrics.server import ServeConfig, create_app, is_loopback
from fintech_metrics.server.chart import as_of_date, format_tick, format_value, line_chart, nice_ticks
from fintech_metrics.settings import load_settings
from schemas import TABLES, VIEWS
from schemas.tables import duckdb_type

NOT_A_READ = "only read queries (SELECT) may run; this is {} statement"
FILE_FUNCTION = "{}() reads files or the network and is not allowed; query the warehouse tables instead"
RUNS_COLUMNS = [{"name": name, "type": duckdb_type(dtype)} for name, dtype in TABLES["runs"].columns.items()]
RELATIONS = [*TABLES, *VIEWS]
# metric_latest leaves out the two forecasts (the 2032 revenue and growth rate): metric_forecast_latest has them
ROWS = {"articles": 1, "figures": 24, "metrics": 17, "quarantine": 0, "sources": 1, "runs": 1, "metric_history": 17,
        "metric_latest": 15, "metric_forecast_latest": 2, "figures_in_context": 24}
TOKEN = "s3cret-token"


def config_for(root: Path, **overrides) -> ServeConfig:
    settings = load_settings(warehouse_dir=root)
    return ServeConfig(snapshot_path=settings.snapshot_path, exports_dir=settings.exports_dir, **overrides)


@pytest.fixture(scope="module")
def client(served_warehouse: Path) -> TestClient:
    return TestClient(create_app(config_for(served_warehouse, timeout_s=2.0, max_rows=50, max_download_rows=200)))


def _republish(root: Path) -> None:
    """Point the copy's published manifest at its lake's last snapshot (what a publish does, without making the
    views again)."""
    manifest = root / "published" / "manifest.json"
    with open_lake(root) as con:
        snapshot = lake.current_snapshot(con)
    manifest.write_text(json.dumps({**json.loads(manifest.read_text("utf-8")), "snapshot_id": snapshot}))


def _warehouse_copy(served_warehouse: Path, root: Path) -> Path:
    """A writable copy of the served warehouse under root, with its published snapshot and exports."""
    shutil.copytree(served_warehouse, root, symlinks=True, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="module")
def metrics_warehouse(served_warehouse: Path, tmp_path_factory) -> Path:
    """The served snapshot with made-up metric histories and a commented view of its own."""
    root = tmp_path_factory.mktemp("metrics")
    with open_lake(_warehouse_copy(served_warehouse, root), write=True) as con:
        con.execute(
            "CREATE OR REPLACE VIEW metric_history AS SELECT * FROM (VALUES "
            "('fintech_companies', '香港', '2024', 1100.0, 'count', NULL), "
            "('fintech_companies', '香港', '2025-11', 1200.0, 'count', NULL), "
            "('fintech_companies', '香港', '2025-Q1', 1150.0, 'count', NULL), "
            "('fintech_companies', '香港', NULL, 1180.0, 'count', NULL), "
            "('bank_ai_share', '香港', '2025-11-03', 75.0, 'percent', NULL), "
            "('revenue', '香港', '2024', 226000000000.0, 'money', 'HKD'), "
            "('revenue', '香港', '2025', 240000000000.0, 'money', 'HKD'), "
            "('revenue', '香港', '2024', 444994800.0, 'money', 'CNY')"
            ") AS t(metric, entity, as_of, value, kind, currency), (SELECT NULL::DATE AS as_of_end, "
            "NULL::VARCHAR AS published, NULL::VARCHAR AS article_id, NULL::BIGINT AS start, false AS forecast, "
            "NULL::VARCHAR AS unit, 'exact' AS qualifier, NULL::VARCHAR AS as_of_source, "
            "NULL::VARCHAR AS period, NULL::VARCHAR AS source_path)"
        ).fetchall()
        con.execute("CREATE VIEW money AS SELECT surface, value FROM figures WHERE kind = 'money'").fetchall()
        con.execute("COMMENT ON VIEW money IS 'Money figures only.'").fetchall()
    _republish(root)
    return root


@pytest.fixture(scope="module")
def bare_warehouse(served_warehouse: Path, tmp_path_factory) -> Path:
    """The served snapshot without the metric views."""
    root = tmp_path_factory.mktemp("bare")
    with open_lake(_warehouse_copy(served_warehouse, root), write=True) as con:
        con.execute("DROP VIEW metric_latest").fetchall()
        con.execute("DROP VIEW metric_forecast_latest").fetchall()
        con.execute("DROP VIEW metric_history").fetchall()
    _republish(root)
    return root


# --- Listing ------------------------------------------------------------------------------------


def test_api_tables_lists_every_table_with_counts_columns_and_downloads(client: TestClient, served_warehouse: Path):
    response = client.get("/api/tables")
    assert response.status_code == 200
    body = response.json()
    assert body["last_refreshed"] == "2025-11-05T08:30:00Z"
    manifest = json.loads((served_warehouse / "published" / "manifest.json").read_text("utf-8"))
    assert body["snapshot_id"] == manifest["snapshot_id"]
    tables = {t["name"]: t for t in body["tables"]}
    assert [t["name"] for t in body["tables"]] == RELATIONS
    assert {name: t["rows"] for name, t in tables.items()} == ROWS
    assert tables["runs"] == {
        "name": "runs", "kind": "table", "description": "One row per flow run: when, how it ended, and its counts.",
        "rows": 1, "columns": RUNS_COLUMNS,
        "downloads": {"parquet": "/exports/runs.parquet", "csv": "/exports/runs.csv"},
    }
    assert all(t["description"] == (TABLES.get(t["name"]) or VIEWS[t["name"]]).description for t in body["tables"])
    assert [c["name"] for c in tables["figures"]["columns"]] == list(TABLES["figures"].columns)


def test_index_page_shows_tables_counts_types_and_links(client: TestClient):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert '<strong id="last-refreshed">2025-11-05T08:30:00Z</strong> (UTC)' in page
    for name, rows in ROWS.items():
        assert f'<tr id="row-{name}">' in page
        assert f'<td class="num rows">{rows}</td>' in page
        assert (f'<a href="/exports/{name}.parquet" download>Parquet</a> · '
                f'<a href="/exports/{name}.csv" download>CSV</a>') in page
        assert f"<td>{(TABLES.get(name) or VIEWS[name]).description}</td>" in page
    assert '<tr><td><code>finished_at</code></td><td class="type">TIMESTAMP WITH TIME ZONE</td></tr>' in page
    assert '<form method="get" action="/query" id="sql-form">' in page
    assert "<title>account_opening_success_rate — bank_of_east_asia (%)</title>" in page
    assert 'type="password"' not in page  # no token configured, no token field


def test_views_are_listed_with_descriptions_and_history_chart(metrics_warehouse: Path):
    client = TestClient(create_app(config_for(metrics_warehouse)))
    tables = {t["name"]: t for t in client.get("/api/tables").json()["tables"]}
    assert list(tables) == [*RELATIONS, "money"]
    assert tables["money"]["kind"] == "view"
    assert tables["money"]["description"] == "Money figures only."
    assert tables["money"]["rows"] == 2
    assert tables["money"]["columns"] == [{"name": "surface", "type": "VARCHAR"}, {"name": "value", "type": "DOUBLE"}]
    assert tables["metric_history"]["description"] == VIEWS["metric_history"].description
    assert tables["metric_history"]["downloads"] == {
        "parquet": "/exports/metric_history.parquet", "csv": "/exports/metric_history.csv"}

    page = client.get("/", params={"metric": "fintech_companies", "entity": "香港"}).text
    assert '<option selected>fintech_companies</option>' in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert "<title>fintech_companies — 香港 (count)</title>" in page
    assert "<title>2025-Q1: 1,150 count</title>" in page
    # Time order, not text order: 2025-Q1 (January) comes before 2025-11.
    assert page.index("<title>2024: 1,100 count</title>") < page.index(
        "<title>2025-Q1: 1,150 count</title>") < page.index("<title>2025-11: 1,200 count</title>")
    assert '<p id="history-left-out" class="muted">1 value of this series has no as-of date and is not drawn.</p>' \
        in page

    first = client.get("/").text  # without a choice: the first metric in order
    assert "<title>bank_ai_share — 香港 (%)</title>" in first and "history-left-out" not in first

    # One line per unit: HKD and CNY values of one metric are two series; the unit with more values comes first.
    revenue = client.get("/", params={"metric": "revenue", "entity": "香港"}).text
    assert "<title>revenue — 香港 (HKD)</title>" in revenue and "444,994,800" not in revenue
    assert '>HKD</text>' in revenue and '>240B</text>' in revenue
    cny = client.get("/", params={"metric": "revenue", "entity": "香港", "unit": "CNY"}).text
    assert "<title>2024: 444,994,800 CNY</title>" in cny and "226,000,000,000" not in cny
    missing = client.get("/", params={"metric": "bank_ai_share", "entity": "nobody"}).text
    assert '<p id="history-message">no values for bank_ai_share / nobody</p>' in missing

    svg = client.get("/chart.svg", params={"metric": "bank_ai_share", "entity": "香港"})
    assert (svg.status_code, svg.headers["content-type"]) == (200, "image/svg+xml")
    assert svg.text.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="280"')


def test_chart_svg_without_metrics(bare_warehouse: Path):
    client = TestClient(create_app(config_for(bare_warehouse)))
    assert '<p id="history-message">no metrics yet</p>' in client.get("/").text
    response = client.get("/chart.svg", params={"metric": "x"})
    assert response.status_code == 404
    assert response.json() == {"error": "no metrics yet", "code": "no_history"}


# --- Downloads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_download_is_the_export_file_of_the_published_snapshot_written_on_first_request(
        client: TestClient, served_warehouse: Path, fmt: str):
    snapshot = json.loads((served_warehouse / "published" / "manifest.json").read_text("utf-8"))["snapshot_id"]
    path = served_warehouse / "exports" / str(snapshot) / f"figures.{fmt}"
    response = client.get(f"/exports/figures.{fmt}")
    assert response.status_code == 200
    assert response.content == path.read_bytes()
    assert response.headers["content-disposition"] == f'attachment; filename="figures.{fmt}"'
    assert response.headers["content-length"] == str(path.stat().st_size)
    assert response.headers["etag"].startswith('"') and response.headers["last-modified"].endswith(" GMT")
    assert response.headers["x-warehouse-snapshot"] == str(snapshot)  # what the file holds
    again = client.get(f"/exports/figures.{fmt}")  # the same file, not written again
    assert (again.content, again.headers["etag"]) == (response.content, response.headers["etag"])
    if fmt == "parquet":
        assert response.headers["content-type"] == "application/vnd.apache.parquet"
        assert pl.read_parquet(io.BytesIO(response.content)).height == 24
    else:
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.text.splitlines()[0].startswith("article_id,start,end,")


def test_download_revalidates_with_etag_and_last_modified(client: TestClient):
    first = client.get("/exports/runs.parquet")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get("/exports/runs.parquet", headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    assert client.get("/exports/runs.parquet", headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get("/exports/runs.parquet", headers={"If-Modified-Since": modified}).status_code == 304
    changed = client.get("/exports/runs.parquet", headers={"If-None-Match": '"stale"'})
    assert (changed.status_code, changed.content) == (200, first.content)


def test_a_download_follows_a_newly_published_snapshot(served_warehouse: Path, tmp_path: Path):
    root = _warehouse_copy(served_warehouse, tmp_path / "wh")
    client = TestClient(create_app(config_for(root)))
    before = client.get("/exports/figures.csv")
    with open_lake(root, write=True) as con:
        con.execute("DELETE FROM figures WHERE kind = 'date'").fetchall()
    warehouse.publish(load_settings(warehouse_dir=root), "next")
    after = client.get("/exports/figures.csv", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert int(after.headers["x-warehouse-snapshot"]) == int(before.headers["x-warehouse-snapshot"]) + 1
    assert (len(before.text.splitlines()), len(after.text.splitlines())) == (25, 19)


@pytest.mark.parametrize("name", [
    "runs.txt", "runs", "nope.parquet", "Figures.parquet", ".figures.parquet.tmp", "figures.parquet.tmp",
    "figures.duckdb", "...", "..parquet", "fig ures.csv",
])
def test_download_refuses_anything_but_an_export(client: TestClient, name: str):
    response = client.get(f"/exports/{name}")
    assert response.status_code == 404
    assert response.json() == {"error": f"no export named {name!r}; see /api/tables", "code": "not_found"}


@pytest.mark.parametrize("url", [
    "/exports/..%2Fpublished%2Ffintech.duckdb",
    "/exports/%2E%2E%2Fexports%2Ffigures.parquet",
    "/exports/../fintech.duckdb",
    "/exports/../../etc/passwd",
    "/exports/sub/figures.parquet",
])
def test_download_has_no_path_traversal(client: TestClient, url: str):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"error": "not found", "code": "not_found"}


# --- Query API ----------------------------------------------------------------------------------

KINDS_SQL = "select kind, count(*) as n from figures group by kind order by kind"


def test_query_json(client: TestClient):
    response = client.get("/api/query", params={"sql": KINDS_SQL})
    assert response.status_code == 200
    body = response.json()
    assert body.pop("elapsed_ms") >= 0
    assert body == {
        "columns": ["kind", "n"], "types": ["VARCHAR", "BIGINT"],
        "rows": [["count", 9], ["date", 6], ["duration", 1], ["money", 2], ["percent", 6]],
        "row_count": 5, "truncated": False, "row_limit": 50,
    }


def test_query_json_objects(client: TestClient):
    body = client.get("/api/query", params={"sql": "select kind, count(*) as n, 1 as n from figures group by kind "
                                                   "order by kind limit 2", "_shape": "objects"}).json()
    assert body["rows"] == [{"kind": "count", "n": 9, "n_1": 1}, {"kind": "date", "n": 6, "n_1": 1}]
    bad = client.get("/api/query", params={"sql": KINDS_SQL, "_shape": "dict"})
    assert (bad.status_code, bad.json()["error"]) == (400, "unknown _shape 'dict'; choose arrays or objects")


def test_query_csv(client: TestClient):
    response = client.get("/api/query", params={"sql": KINDS_SQL, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["x-truncated"] == "false" and response.headers["x-row-limit"] == "200"
    assert response.text == "kind,n\ncount,9\ndate,6\nduration,1\nmoney,2\npercent,6\n"


def test_query_parquet_reads_back(client: TestClient):
    sql = "select surface, value, currency from figures where kind = 'money' order by start"
    response = client.get("/api/query", params={"sql": sql, "format": "parquet"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="query.parquet"'
    frame = pl.read_parquet(io.BytesIO(response.content))
    assert frame.schema == pl.Schema({"surface": pl.String, "value": pl.Float64, "currency": pl.String})
    assert frame["surface"].to_list()[0] == "超过6000亿美元"
    assert frame["value"].to_list()[0] == 600000000000.0


REFUSALS = [
    ("INSERT INTO figures SELECT * FROM figures", "not_a_read", NOT_A_READ.format("an INSERT")),
    ("UPDATE figures SET value = 0", "not_a_read", NOT_A_READ.format("an UPDATE")),
    ("DELETE FROM figures", "not_a_read", NOT_A_READ.format("a DELETE")),
    ("CREATE TABLE t AS SELECT 1", "not_a_read", NOT_A_READ.format("a CREATE")),
    ("DROP TABLE figures", "not_a_read", NOT_A_READ.format("a DROP")),
    ("COPY figures TO '/tmp/fm-served.csv'", "not_a_read", NOT_A_READ.format("a COPY")),
    ("COPY (SELECT 1) TO '/tmp/fm-served.csv'", "not_a_read", NOT_A_READ.format("a COPY")),
    ("SELECT * FROM read_csv('/etc/passwd')", "file_access", FILE_FUNCTION.format("read_csv")),
    ("SELECT * FROM read_parquet('exports/figures.parquet')", "file_access", FILE_FUNCTION.format("read_parquet")),
    ("SELECT * FROM glob('/etc/*')", "file_access", FILE_FUNCTION.format("glob")),
    ("FROM '/etc/passwd'", "file_access",
     "reading files is not allowed ('/etc/passwd' is used as a table); query the warehouse tables instead"),
    ("ATTACH '/tmp/fm-served.duckdb' AS other", "not_a_read", NOT_A_READ.format("an ATTACH")),
    ("INSTALL httpfs", "not_a_read", NOT_A_READ.format("an INSTALL")),
    ("LOAD httpfs", "not_a_read", NOT_A_READ.format("a LOAD")),
    ("SET threads = 8", "not_a_read", NOT_A_READ.format("a SET")),
    ("PRAGMA version", "not_a_read", NOT_A_READ.format("a PRAGMA")),
    ("SELECT 1; DROP TABLE figures", "multiple_statements", "only one statement may run at a time; found 2"),
    ("", "empty", "the query is empty"),
]


@pytest.mark.parametrize(("sql", "code", "message"), REFUSALS, ids=[s[:40] or "empty" for s, _, _ in REFUSALS])
@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_query_refusals_are_400_with_a_message_and_no_effect(
    client: TestClient, served_warehouse: Path, sql: str, code: str, message: str, fmt: str
):
    snapshot = load_settings(warehouse_dir=served_warehouse).snapshot_path
    before = (snapshot.read_bytes(), snapshot.stat().st_mtime_ns)
    response = client.get("/api/query", params={"sql": sql, "format": fmt})
    assert response.status_code == 400
    assert response.json() == {"error": message, "code": code}
    assert (snapshot.read_bytes(), snapshot.stat().st_mtime_ns) == before
    assert not Path("/tmp/fm-served.csv").exists() and not Path("/tmp/fm-served.duckdb").exists()
    assert client.get("/api/query", params={"sql": "select count(*) from figures"}).json()["rows"] == [[24]]


def test_query_duckdb_error_is_400_with_its_message(client: TestClient):
    response = client.get("/api/query", params={"sql": "select * from nope"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "query_error"
    assert body["error"].startswith("Catalog Error: Table with name nope does not exist!")


def test_query_syntax_error(client: TestClient):
    response = client.get("/api/query", params={"sql": "SELEC 1"})
    assert response.status_code == 400
    assert response.json()["code"] == "syntax_error"
    assert response.json()["error"].startswith(
        'could not parse the query: Parser Error: syntax error at or near "SELEC"')


def test_query_too_long_is_cut_off(client: TestClient):
    response = client.get("/api/query", params={"sql": "SELECT sum(hash(range)) FROM range(10000000000)"})
    assert response.status_code == 408
    assert response.json() == {"error": "query cancelled after 2.0 s (time limit)", "code": "timeout"}


def test_query_result_cut_at_the_row_limit(client: TestClient):
    body = client.get("/api/query", params={"sql": "SELECT * FROM range(10000000000) t(i)"}).json()
    assert (body["row_count"], body["truncated"], body["row_limit"]) == (50, True, 50)
    assert body["rows"][-1] == [49]
    csv = client.get("/api/query", params={"sql": "SELECT * FROM range(1000) t(i)", "format": "csv"})
    assert (csv.headers["x-truncated"], csv.headers["x-row-limit"]) == ("true", "200")
    assert csv.text.splitlines()[-1] == "199" and len(csv.text.splitlines()) == 201
    exact = client.get("/api/query", params={"sql": "SELECT * FROM range(50) t(i)"}).json()
    assert (exact["row_count"], exact["truncated"]) == (50, False)


def test_query_unknown_format(client: TestClient):
    response = client.get("/api/query", params={"sql": "select 1", "format": "xml"})
    assert response.status_code == 400
    assert response.json() == {"error": "unknown format 'xml'; choose one of json, csv, parquet", "code": "bad_format"}


# --- SQL page -----------------------------------------------------------------------------------


def test_query_page_renders_the_result_as_a_table(client: TestClient):
    response = client.get("/query", params={"sql": KINDS_SQL})
    assert response.status_code == 200
    page = response.text
    assert '<p id="result-summary">5 rows' in page
    assert '<tr><td>count</td><td class="num">9</td></tr>' in page
    assert '<th>n<br><span class="muted type">bigint</span></th>' in page
    assert '<a href="/api/query?sql=select+kind%2C+count%28%2A%29+as+n+from+figures+group+by+kind+order+by+kind' \
           '&amp;format=parquet" id="download-parquet">Parquet</a>' in page
    assert f">{KINDS_SQL}</textarea>" in page


def test_query_page_escapes_values_and_shows_refusals(client: TestClient):
    page = client.get("/query", params={"sql": "select '<script>x</script>' as s, null as n"}).text
    assert "<td>&lt;script&gt;x&lt;/script&gt;</td><td class=\"null\">NULL</td>" in page
    refused = client.get("/query", params={"sql": "drop table figures"})
    assert refused.status_code == 400
    assert f'<p class="error" id="query-error">{NOT_A_READ.format("a DROP")}</p>' in refused.text
    truncated = client.get("/query", params={"sql": "select * from range(60)"}).text
    assert "<strong>(cut at the row limit of 50; add LIMIT or a filter, or download the result)</strong>" in truncated
    assert client.get("/query").status_code == 200


# --- Token --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded(served_warehouse: Path) -> TestClient:
    return TestClient(create_app(config_for(served_warehouse, token=TOKEN)))


def test_token_required_for_queries_when_configured(guarded: TestClient):
    missing = guarded.get("/api/query", params={"sql": "select 1"})
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert missing.json() == {
        "error": "a token is required: send 'Authorization: Bearer <token>' or add ?token=<token>",
        "code": "token_required",
    }
    wrong = guarded.get("/api/query", params={"sql": "select 1", "token": "guess"})
    assert (wrong.status_code, wrong.json()) == (401, {"error": "the token is not valid", "code": "token_invalid"})
    wrong_header = guarded.get("/api/query", params={"sql": "select 1"}, headers={"Authorization": "Bearer nope"})
    assert wrong_header.status_code == 401
    by_header = guarded.get("/api/query", params={"sql": "select 1 as x"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert by_header.json()["rows"] == [[1]]
    by_param = guarded.get("/api/query", params={"sql": "select 1 as x", "token": TOKEN})
    assert by_param.json()["rows"] == [[1]]


def test_token_required_for_the_sql_page_but_not_listing_or_downloads(guarded: TestClient):
    page = guarded.get("/query", params={"sql": "select 1"})
    assert page.status_code == 401
    assert "a token is required" in page.text
    ok = guarded.get("/query", params={"sql": "select 42 as answer", "token": TOKEN})
    assert ok.status_code == 200 and '<td class="num">42</td>' in ok.text
    assert f"&amp;token={TOKEN}" in ok.text  # the download link carries the token given in the URL
    listing = guarded.get("/")
    assert listing.status_code == 200 and '<input type="password" id="token" name="token"' in listing.text
    assert guarded.get("/api/tables").status_code == 200
    assert guarded.get("/exports/figures.parquet").status_code == 200
    assert guarded.get("/health").json()["ok"] is True


def test_serve_refuses_a_public_host_without_a_token(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("FINTECH_METRICS_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: refusing to listen on 0.0.0.0 without a token: pass --token or set FINTECH_METRICS_TOKEN "
        "(only 127.0.0.1, ::1 and localhost may run without one)\n"
    )


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("example.org", False),
])
def test_is_loopback(host: str, loopback: bool):
    assert is_loopback(host) is loopback


# --- Missing or unreadable snapshot -------------------------------------------------------------


def test_missing_snapshot_is_503_then_recovers(served_warehouse: Path, tmp_path: Path):
    root = tmp_path / "wh"
    root.mkdir()
    client = TestClient(create_app(config_for(root)))
    snapshot = root / "catalog.sqlite"
    for url in ("/api/query?sql=select+1", "/api/tables", "/health", "/exports/figures.parquet"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response.headers["retry-after"] == "2"
        body = response.json()
        assert (body["error"], body["code"]) == ("busy, retry", "no_warehouse")
        assert body["detail"] == f"no published warehouse at {root}; run `fintech-metrics run` first"
    assert client.get("/health").json()["ok"] is False
    page = client.get("/")
    assert page.status_code == 503 and "<h1>busy, retry</h1>" in page.text
    assert client.get("/query", params={"sql": "select 1"}).status_code == 503

    (root / "published").mkdir()
    (root / "published" / "manifest.json").write_text('{"snapshot_id": 1}')
    snapshot.write_bytes(b"half a database")
    unreadable = client.get("/api/query", params={"sql": "select 1"})
    assert (unreadable.status_code, unreadable.json()["code"]) == (503, "busy")
    assert unreadable.json()["detail"].startswith("the published snapshot could not be read: ")
    assert "file is not a database" in unreadable.json()["detail"]
    assert client.get("/api/tables").json()["code"] == "busy"

    shutil.rmtree(root)
    _warehouse_copy(served_warehouse, root)  # a run publishes
    assert client.get("/health").json() == {"ok": True, "snapshot": True, "last_refreshed": "2025-11-05T08:30:00Z"}
    assert client.get("/api/query", params={"sql": "select count(*) from figures"}).json()["rows"] == [[24]]


def test_catalogue_follows_a_newly_published_snapshot(served_warehouse: Path, tmp_path: Path):
    root = tmp_path / "wh"
    shutil.copytree(served_warehouse, root, symlinks=True)
    client = TestClient(create_app(config_for(root)))
    assert [t["name"] for t in client.get("/api/tables").json()["tables"]] == RELATIONS
    settings = load_settings(warehouse_dir=root)
    with open_lake(settings.warehouse_dir, write=True) as con:
        con.execute("CREATE VIEW zz_banks AS SELECT * FROM metrics WHERE metric LIKE '%bank%'").fetchall()
        con.execute("COMMENT ON VIEW zz_banks IS 'Bank metrics.'").fetchall()
    warehouse.publish(settings, "next")
    tables = client.get("/api/tables").json()["tables"]
    assert (tables[-1]["name"], tables[-1]["description"], tables[-1]["rows"], tables[-1]["downloads"]) == (
        "zz_banks", "Bank metrics.", 2, {"parquet": "/exports/zz_banks.parquet", "csv": "/exports/zz_banks.csv"})
    assert pl.read_csv(io.BytesIO(client.get("/exports/zz_banks.csv").content)).height == 2


# --- Pieces -------------------------------------------------------------------------------------


def test_chart_svg_coordinates():
    svg = line_chart([("2025-01", 10.0), ("2025-07", 20.0), ("2026-01", 30.0)], "m — e")
    assert '<polyline points="50.0,236.0 330.7,126.0 616.0,16.0"' in svg
    single = line_chart([("2025", 5.0)], "one", "%")
    assert '<circle cx="340.0" cy="126.0" r="3.5" fill="#1f5fa8"><title>2025: 5 %</title></circle>' in single
    assert "<polyline" not in single
    with pytest.raises(ValueError, match="a chart needs at least one point"):
        line_chart([], "none")


@pytest.mark.parametrize(("text", "day"), [
    ("2025", "2025-01-01"), ("2025-11", "2025-11-01"), ("2025-11-03", "2025-11-03"), ("2025-Q3", "2025-07-01"),
    ("2025-H2", "2025-07-01"), ("--11-03", None), ("2025-13", None), ("soon", None),
])
def test_as_of_date(text: str, day: str | None):
    parsed = as_of_date(text)
    assert (parsed.isoformat() if parsed else None) == day


def test_axis_ticks_are_round_and_short():
    assert nice_ticks(444994800, 226000000000) == [0, 1e11, 2e11, 3e11]
    assert nice_ticks(1100, 1200) == [1100, 1125, 1150, 1175, 1200]
    assert nice_ticks(5, 5) == [4.5, 4.75, 5, 5.25, 5.5]
    assert [format_tick(v) for v in (0.0, 2e11, 12000.0, 1500.0, 2.5e6, 0.25)] == [
        "0", "200B", "12K", "1,500", "2.5M", "0.25"]


def test_format_value():
    assert (format_value(600000000000.0), format_value(28.5), format_value(-3.0)) == ("600,000,000,000", "28.5", "-3")


def test_server_does_not_import_prefect():
    code = ("import sys; import fintech_metrics.server.app; "
            "print('prefect' in sys.modules, any(m.startswith('prefect.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_framework_errors_keep_the_error_shape(client: TestClient):
    missing = client.get("/chart.svg")
    assert (missing.status_code, missing.json()) == (
        400, {"error": "query.metric: Field required", "code": "bad_request"})
    wrong_method = client.post("/api/query")
    assert (wrong_method.status_code, wrong_method.json()) == (
        405, {"error": "method not allowed", "code": "http_error"})


def test_views_are_downloaded_too_in_both_formats(metrics_warehouse: Path):
    client = TestClient(create_app(config_for(metrics_warehouse)))
    for name in ("money", "metric_history"):
        for fmt in ("parquet", "csv"):
            assert client.get(f"/exports/{name}.{fmt}").status_code == 200
    snapshot = json.loads((metrics_warehouse / "published" / "manifest.json").read_text("utf-8"))["snapshot_id"]
    exports = metrics_warehouse / "exports" / str(snapshot)
    assert sorted(p.name for p in exports.iterdir() if not p.name.startswith(".")) == [
        "metric_history.csv", "metric_history.parquet", "money.csv", "money.parquet"]
    assert pl.read_csv(exports / "money.csv").rows() == [("1亿港元", 100000000.0), ("超过6000亿美元", 600000000000.0)]
    assert pl.read_parquet(exports / "metric_history.parquet")["as_of"].to_list() == [
        "2025-11-03", "2024", "2025-11", "2025-Q1", None, "2024", "2025", "2024"]
    assert sorted(p.name for p in exports.iterdir() if p.name.startswith(".")) == [  # the writers' locks
        ".metric_history.csv.lock", ".metric_history.parquet.lock", ".money.csv.lock", ".money.parquet.lock"]
    with duckdb.connect() as con, pytest.raises(ValueError, match="unknown export format"):
        warehouse.write_export(con, "money", None, exports / "money.xlsx")
