"""Browsing tables on the page and over JSON, with Datasette's query-string conventions."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fintech_metrics.server import ServeConfig, create_app
from fintech_metrics.server.browse import BadRequest, format_number, parse, table_query
from fintech_metrics.settings import load_settings

COLUMNS = ["kind", "value", "surface"]


def test_a_request_becomes_one_parametrised_query():
    request = parse([("kind", "money"), ("value__gt", "5"), ("surface__contains", "亿"), ("_sort_desc", "value"),
                     ("_size", "10"), ("_next", "20"), ("_shape", "arrays")], COLUMNS, max_size=100)
    assert table_query("figures", request) == (
        'SELECT * FROM "figures" WHERE "kind" = ? AND "value" > ? AND contains(CAST("surface" AS VARCHAR), ?) '
        'ORDER BY "value" DESC NULLS LAST LIMIT 11 OFFSET 20', ["money", "5", "亿"])


@pytest.mark.parametrize(("params", "message"), [
    ([("nosuch", "1")], "no column 'nosuch'; the columns are kind, value, surface"),
    ([("_sort", "x; drop table t")], "no column 'x; drop table t'; the columns are kind, value, surface"),
    ([("kind__like", "m%")], "unknown filter 'like' in 'kind__like'; use one of exact, not, contains, gt, gte, lt, "
                             "lte, isnull, notnull"),
    ([("_size", "101")], "_size must be between 1 and 100"),
    ([("_next", "-1")], "_next must be at least 0"),
    ([("_size", "ten")], "_size must be a whole number, not 'ten'"),
])
def test_a_bad_request_names_what_is_wrong(params, message):
    with pytest.raises(BadRequest) as err:
        parse(params, COLUMNS, max_size=100)
    assert str(err.value) == message


def test_numbers_read_as_numbers():
    assert [format_number(v) for v in (218800000000.0, 99.9, 1200, 0.333333333, -2.5, "x", None)] == [
        "218,800,000,000", "99.9", "1,200", "0.3333", "-2.5", "x", "None"]


@pytest.fixture(scope="module")
def client(served_warehouse: Path) -> TestClient:
    settings = load_settings(warehouse_dir=served_warehouse)
    return TestClient(create_app(ServeConfig(snapshot_path=settings.snapshot_path,
                                             exports_dir=settings.exports_dir, max_rows=50)))


def test_rows_as_objects_page_by_page(client: TestClient):
    first = client.get("/api/tables/figures", params={"kind": "percent", "_size": 4}).json()
    assert first["filtered_count"] == 6 and first["next"] == 4
    assert len(first["rows"]) == 4 and list(first["rows"][0]) == first["columns"]
    assert {row["kind"] for row in first["rows"]} == {"percent"}
    second = client.get(first["next_url"]).json()
    assert len(second["rows"]) == 2 and second["next"] is None and second["next_url"] is None
    surfaces = [row["surface"] for row in first["rows"] + second["rows"]]
    assert len(set(surfaces)) == 6


def test_sort_filters_shape_and_facets(client: TestClient):
    body = client.get("/api/tables/figures", params={"kind": "money", "_sort_desc": "value",
                                                     "_shape": "arrays"}).json()
    surface = body["columns"].index("surface")
    assert [row[surface] for row in body["rows"]] == ["超过6000亿美元", "1亿港元"]
    kinds = {f["value"]: (f["count"], f["selected"]) for f in body["facets"]["kind"]}
    assert kinds == {"money": (2, True)}
    everything = client.get("/api/tables/figures", params={"_facet": "kind"}).json()
    assert [(f["value"], f["count"]) for f in everything["facets"]["kind"]] == [
        ("count", 9), ("date", 6), ("percent", 6), ("money", 2), ("duration", 1)]
    assert list(everything["facets"]) == ["kind"]


def test_the_table_page_browses(client: TestClient):
    page = client.get("/tables/figures", params={"kind": "money"})
    assert page.status_code == 200
    assert '<p id="count">2 rows where' in page.text and "600,000,000,000" in page.text
    assert 'href="?kind=money&amp;_sort=value"' in page.text  # a column heading sorts
    assert client.get("/").text.count('href="/tables/') == 10


def test_unknown_tables_and_columns_are_refused_plainly(client: TestClient):
    missing = client.get("/api/tables/nosuch")
    assert missing.status_code == 404
    assert missing.json() == {"error": "no table or view named 'nosuch'; see /api/tables", "code": "not_found"}
    bad = client.get("/tables/figures", params={"_sort": "nosuch"})
    assert bad.status_code == 400 and "no column &#39;nosuch&#39;" in bad.text
