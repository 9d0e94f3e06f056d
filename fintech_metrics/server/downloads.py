"""Export files as cacheable downloads: ETag and Last-Modified, 304 when the client's copy is current."""

from __future__ import annotations

import os
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response

MEDIA_TYPES = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv; charset=utf-8"}


def etag(stat: os.stat_result) -> str:
    # A run replaces each export with os.replace, which gives a new inode even for equal bytes.
    return f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def export_response(request: Request, path: Path, fmt: str) -> Response:
    stat = path.stat()
    headers = {"ETag": etag(stat), "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
               "Cache-Control": "no-cache"}
    if _not_modified(request, headers["ETag"], stat.st_mtime):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, stat_result=stat, filename=path.name, media_type=MEDIA_TYPES[fmt], headers=headers)


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
