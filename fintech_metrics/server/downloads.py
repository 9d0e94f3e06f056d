"""Export files as cacheable downloads: ETag and Last-Modified, 304 when the client's copy is current, and the
snapshot the file was written from in X-Warehouse-Snapshot.

A download opens its file once and takes the size, ETag and bytes from that open file: a publish removes the
export folders of older snapshots while downloads run, and a path opened again could be gone or another file
than the one whose size the headers declared."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO

import anyio
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.types import Receive, Scope, Send

MEDIA_TYPES = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv; charset=utf-8"}


def etag(stat: os.stat_result) -> str:
    # A run replaces each export with os.replace, which gives a new inode even for equal bytes.
    return f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'


class OpenFileResponse(FileResponse):
    """Starlette's FileResponse (ranges, HEAD, Content-Disposition) over a file already open: every read comes
    from that one open file, which a rename or an unlink of its path does not change. The file is closed when
    the response has been sent (or has failed)."""

    def __init__(self, handle: BinaryIO, path: Path, stat: os.stat_result, **kwargs) -> None:
        self._handle = handle
        super().__init__(path, stat_result=stat, **kwargs)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # No "pathsend" (the server would open the path itself).
        extensions = {k: v for k, v in scope.get("extensions", {}).items() if k != "http.response.pathsend"}
        try:
            await super().__call__({**scope, "extensions": extensions}, receive, send)
        finally:
            self._handle.close()

    # FileResponse reads through this hook (Starlette 1.x); tests/test_downloads.py fails if it stops doing so.
    @asynccontextmanager
    async def _open_file(self) -> AsyncIterator[anyio.AsyncFile[bytes]]:
        yield anyio.wrap_file(self._handle)


def export_response(request: Request, path: Path, fmt: str, snapshot: int | None = None) -> Response:
    """The export at `path` (FileNotFoundError when it is gone), opened once: headers and bytes are of one version.
    `snapshot`: the warehouse snapshot the file was written from, sent as SNAPSHOT_HEADER."""
    handle = open(path, "rb")  # noqa: SIM115 (closed by the response, or below)
    try:
        stat = os.fstat(handle.fileno())
        headers = {"ETag": etag(stat), "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
                   "Cache-Control": "no-cache"}
        if snapshot is not None:
            headers[SNAPSHOT_HEADER] = str(snapshot)
        if _not_modified(request, headers["ETag"], stat.st_mtime):
            handle.close()
            return Response(status_code=304, headers=headers)
        return OpenFileResponse(handle, path, stat, filename=path.name, media_type=MEDIA_TYPES[fmt], headers=headers)
    except BaseException:
        handle.close()
        raise


SNAPSHOT_HEADER = "X-Warehouse-Snapshot"


def _not_modified(request: Request, current: str, mtime: float) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or current in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError):
            return False
        return int(mtime) <= since
    return False
