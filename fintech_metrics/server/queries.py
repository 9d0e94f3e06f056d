"""User SQL through ``reader.run_query``, with the outcome as an HTTP status and body."""

from __future__ import annotations

import threading
from typing import Any

import duckdb

from ..reader import QueryRefused, QueryResult, run_query
from .config import ServeConfig

FORMATS = ("json", "csv", "parquet")
BUSY = "busy, retry"


class ApiError(Exception):
    """An HTTP error with a JSON body ``{"error": message, "code": code, ...}``."""

    def __init__(self, status: int, message: str, code: str, *, retry_after: int | None = None,
                 detail: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.detail = detail

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": str(self), "code": self.code}
        if self.detail:
            body["detail"] = self.detail
        return body

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}


def busy(config: ServeConfig, detail: str, code: str) -> ApiError:
    return ApiError(503, BUSY, code, retry_after=config.retry_after_s, detail=detail)


class QueryRunner:
    """Runs one statement per query process (``reader.run_query``), at most ``max_concurrent_queries`` at once."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self._slots = threading.BoundedSemaphore(config.max_concurrent_queries)

    def run(self, sql: str, *, max_rows: int, fmt: str | None = None) -> QueryResult:
        """The result; with ``fmt`` (json, csv, parquet) its ``body`` is the HTTP answer, rendered in the
        query process so this one holds only the bytes. Without one (the HTML page), the rows come back as
        Python values and are rendered here, so they get a smaller size cap."""
        max_bytes = self.config.max_result_bytes if fmt else min(self.config.max_result_bytes, PAGE_RESULT_BYTES)
        if not self._slots.acquire(timeout=self.config.timeout_s):
            raise busy(self.config, "too many queries are running", "too_many_queries")
        try:
            return run_query(sql, self.config.reads, max_rows=max_rows, timeout_s=self.config.timeout_s,
                             memory_limit=self.config.memory_limit, max_result_bytes=max_bytes,
                             fmt=RENDERINGS[fmt] if fmt else None)
        except QueryRefused as exc:
            if exc.code in ("no_warehouse", "busy"):
                raise busy(self.config, str(exc), exc.code) from None
            raise ApiError(408 if exc.code == "timeout" else 400, str(exc), exc.code) from None
        except duckdb.Error as exc:
            raise ApiError(400, str(exc), "query_error") from None
        finally:
            self._slots.release()


# The page's rows become Python objects and HTML in the server's own process.
PAGE_RESULT_BYTES = 16 << 20
# What each download format is called in reader.render.
RENDERINGS = {"json": "api-json", "json-objects": "api-json-objects", "csv": "csv", "parquet": "parquet"}
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}


def limit_headers(result: QueryResult) -> dict[str, str]:
    return {"X-Row-Limit": str(result.row_limit), "X-Truncated": "true" if result.truncated else "false"}
