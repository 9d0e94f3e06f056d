"""Downloads while runs publish: each response is one whole file, its size and ETag from the bytes it sends,
whatever happens to the path meanwhile, and holds the rows of the snapshot its X-Warehouse-Snapshot names; a file
is written once per snapshot, however many first requests arrive together."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pytest
from conftest import small_warehouse
from fastapi.testclient import TestClient
from starlette.requests import Request

from fintech_metrics import exports, lake
from fintech_metrics.server import ServeConfig, create_app
from fintech_metrics.server.downloads import export_response
from fintech_metrics.settings import load_settings

OLD = b"kind,n\n" + b"count,9\n" * 1000
NEW = b"kind,n\n" + b"money,2\n" * 3000


def _request(method: str = "GET") -> Request:
    return Request({"type": "http", "method": method, "path": "/exports/figures.csv", "headers": [],
                    "query_string": b"", "asgi": {"spec_version": "2.4"}, "extensions": {}})


def _replace(path: Path, data: bytes) -> None:
    """What a publish does to an export: write a new file, rename it over the old."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _send(response, method: str = "GET") -> tuple[dict[str, str], bytes]:
    messages: list[dict] = []

    async def receive() -> dict:
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        messages.append(message)

    scope = {"type": "http", "method": method, "headers": [], "asgi": {"spec_version": "2.4"}, "extensions": {}}
    asyncio.run(response(scope, receive, send))
    headers = {k.decode(): v.decode() for k, v in messages[0]["raw_headers" if "raw_headers" in messages[0]
                                                             else "headers"]}
    return headers, b"".join(m.get("body", b"") for m in messages[1:])


def test_a_download_sends_the_file_it_started_on_when_a_publish_replaces_it(tmp_path: Path):
    path = tmp_path / "figures.csv"
    path.write_bytes(OLD)
    response = export_response(_request(), path, "csv")
    _replace(path, NEW)  # between the response's headers being decided and its body being sent
    headers, body = _send(response)
    assert body == OLD
    assert int(headers["content-length"]) == len(OLD)


def test_a_head_request_leaves_no_file_open(tmp_path: Path):
    path = tmp_path / "figures.csv"
    path.write_bytes(OLD)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        headers, body = _send(export_response(_request("HEAD"), path, "csv"), "HEAD")
        assert (body, int(headers["content-length"])) == (b"", len(OLD))
    assert len(os.listdir("/proc/self/fd")) <= before + 1


PUBLISHER = """
import json, os, sys, time
from pathlib import Path
from fintech_metrics import lake
root = Path(sys.argv[1])
for _ in range(int(sys.argv[2])):
    time.sleep(0.5)
    with lake.connect(lake.lake_in(root)) as con:
        con.execute("INSERT INTO facts VALUES ('money', 2)").fetchall()
        snapshot = lake.current_snapshot(con)
    tmp = root / "published" / ".manifest.json.tmp"
    tmp.write_text(json.dumps({"snapshot_id": snapshot, "tables": {}}))
    os.replace(tmp, root / "published" / "manifest.json")
"""


def _rows_at(root: Path, snapshot: int) -> int:
    with lake.connect(lake.lake_in(root), read_only=True, at=snapshot) as con:
        return con.execute("SELECT count(*) FROM facts").fetchall()[0][0]


def test_downloads_during_publishes_each_hold_the_snapshot_they_name(tmp_path: Path):
    """A run in another process commits a snapshot and publishes it, four times, while downloads go on."""
    root = tmp_path / "wh"
    small_warehouse(root, "CREATE TABLE facts(kind VARCHAR, n BIGINT)", "INSERT INTO facts VALUES ('count', 9)")
    client = TestClient(create_app(ServeConfig(snapshot_path=root / "catalog.sqlite", exports_dir=root / "exports")))
    publisher = subprocess.Popen([sys.executable, "-c", PUBLISHER, str(root), "4"], stderr=subprocess.PIPE)
    seen: dict[int, int] = {}
    statuses = []
    try:
        while publisher.poll() is None:
            response = client.get("/exports/facts.csv")
            statuses.append(response.status_code)
            if response.status_code == 200:
                assert int(response.headers["content-length"]) == len(response.content)
                seen[int(response.headers["x-warehouse-snapshot"])] = pl.read_csv(io.BytesIO(response.content)).height
    finally:
        _, err = publisher.communicate(timeout=120)
    assert publisher.returncode == 0, err.decode()[-2000:]
    last = client.get("/exports/facts.csv")
    seen[int(last.headers["x-warehouse-snapshot"])] = pl.read_csv(io.BytesIO(last.content)).height
    assert len(seen) >= 3 and set(statuses) <= {200, 503}
    assert seen == {snapshot: _rows_at(root, snapshot) for snapshot in seen}
    assert max(seen.values()) == 5


def test_first_requests_together_write_the_file_once(tmp_path: Path):
    root = tmp_path / "wh"
    small_warehouse(root, "CREATE TABLE facts(kind VARCHAR, n BIGINT)",
                    "INSERT INTO facts SELECT 'count', (i * 7919) % 100000 FROM range(100000) t(i)")
    client = TestClient(create_app(ServeConfig(snapshot_path=root / "catalog.sqlite", exports_dir=root / "exports")))
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: client.get("/exports/facts.parquet"), range(8)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.headers["etag"] for r in responses}) == 1  # one file (one inode), written once
    assert pl.read_parquet(io.BytesIO(responses[0].content))["n"].to_list() == list(range(100000))
    snapshot = responses[0].headers["x-warehouse-snapshot"]
    assert sorted(p.name for p in (root / "exports" / snapshot).iterdir()) == [".facts.parquet.lock",
                                                                              "facts.parquet"]


KILLED_WRITER = """
import sys
from pathlib import Path
from fintech_metrics import exports
from fintech_metrics.settings import load_settings
exports.export_files(load_settings(warehouse_dir=Path(sys.argv[1])), int(sys.argv[2]), [("facts", "csv")])
"""


def test_a_writer_killed_part_way_leaves_no_file_and_the_next_request_writes_it_whole(tmp_path: Path):
    root = tmp_path / "wh"
    small_warehouse(root, "CREATE TABLE facts(kind VARCHAR, n BIGINT)", "INSERT INTO facts VALUES ('count', 9)")
    snapshot = json.loads((root / "published" / "manifest.json").read_text())["snapshot_id"]
    env = {**os.environ, "FINTECH_METRICS_CRASH_AT": "export"}  # SIGKILL once the file is written, before it is served
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(root), str(snapshot)], env=env, timeout=120)
    assert killed.returncode == -9
    folder = root / "exports" / str(snapshot)
    assert (folder / "facts.csv").read_text() == "kind,n\ncount,9\n"  # renamed into place whole, or not at all

    (folder / "facts.csv").unlink()
    (folder / ".facts.csv.tmp").write_text("kind,n\nhalf")  # what a kill during the COPY leaves
    client = TestClient(create_app(ServeConfig(snapshot_path=root / "catalog.sqlite", exports_dir=root / "exports")))
    response = client.get("/exports/facts.csv")
    assert (response.status_code, response.text) == (200, "kind,n\ncount,9\n")
    assert not (folder / ".facts.csv.tmp").exists()


def test_a_download_of_a_name_the_snapshot_lacks_is_404_and_writes_nothing(tmp_path: Path):
    root = tmp_path / "wh"
    small_warehouse(root, "CREATE TABLE facts(kind VARCHAR, n BIGINT)")
    settings = load_settings(warehouse_dir=root)
    client = TestClient(create_app(ServeConfig(snapshot_path=root / "catalog.sqlite", exports_dir=root / "exports")))
    response = client.get("/exports/nosuch.csv")
    assert (response.status_code, response.json()) == (
        404, {"error": "no export named 'nosuch.csv'; see /api/tables", "code": "not_found"})
    snapshot = json.loads((root / "published" / "manifest.json").read_text())["snapshot_id"]
    with pytest.raises(exports.NoSuchExport) as caught:
        exports.export_files(settings, snapshot, [("nosuch", "csv")])
    assert str(caught.value) == f"snapshot {snapshot} has no table or view named 'nosuch'"
    assert not (root / "exports" / str(snapshot) / "nosuch.csv").exists()


def test_a_range_request_reads_the_open_file(tmp_path: Path):
    root = tmp_path / "wh"
    small_warehouse(root, "CREATE TABLE facts(kind VARCHAR, n BIGINT)", "INSERT INTO facts VALUES ('count', 9)")
    client = TestClient(create_app(ServeConfig(snapshot_path=root / "catalog.sqlite", exports_dir=root / "exports")))
    response = client.get("/exports/facts.csv", headers={"Range": "bytes=2-8"})
    assert (response.status_code, response.content) == (206, b"nd,n\nco")
    assert client.get("/exports/nosuch.csv").status_code == 404
