"""Downloads while a run publishes: each response is one whole version of the file, its size and ETag from
the bytes it sends, whatever happens to the path meanwhile (a publish renames new exports into place)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient
from starlette.requests import Request

from fintech_metrics.server import ServeConfig, create_app
from fintech_metrics.server.downloads import export_response

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


def test_downloads_during_publishes_are_each_one_whole_version(tmp_path: Path):
    exports = tmp_path / "exports"
    exports.mkdir()
    path = exports / "figures.csv"
    path.write_bytes(OLD)
    client = TestClient(create_app(ServeConfig(snapshot_path=tmp_path / "none.duckdb", exports_dir=exports)))
    stop = threading.Event()

    def publish() -> None:
        while not stop.is_set():
            for data in (NEW, OLD):
                _replace(path, data)

    writer = threading.Thread(target=publish)
    writer.start()
    bodies = []
    try:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            response = client.get("/exports/figures.csv")
            assert response.status_code == 200
            assert int(response.headers["content-length"]) == len(response.content)
            bodies.append(response.content)
    finally:
        stop.set()
        writer.join()
    assert set(bodies) <= {OLD, NEW}
    assert len(bodies) > 10


def test_a_range_request_reads_the_open_file(tmp_path: Path):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "figures.csv").write_bytes(OLD)
    client = TestClient(create_app(ServeConfig(snapshot_path=tmp_path / "none.duckdb", exports_dir=exports)))
    response = client.get("/exports/figures.csv", headers={"Range": "bytes=7-14"})
    assert (response.status_code, response.content) == (206, OLD[7:15])
    assert client.get("/exports/nosuch.csv").status_code == 404
