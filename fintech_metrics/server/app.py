"""The HTTP routes. Everything reads the published snapshot or the export files, never the writer's database."""

from __future__ import annotations

import hmac
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import duckdb
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException

from .. import exports
from ..settings import load_settings
from . import browse, history
from .catalogue import CatalogueCache
from .chart import line_chart
from .config import ServeConfig, host_name, is_loopback
from .downloads import export_response
from .queries import FORMATS, MEDIA_TYPES, ApiError, QueryRunner, busy, limit_headers
from .snapshot import Busy, reading

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
TEMPLATES.filters["number"] = browse.format_number


def create_app(config: ServeConfig) -> FastAPI:
    # No /docs or /redoc: their pages load scripts from a CDN.
    app = FastAPI(title="fintech-metrics", docs_url=None, redoc_url=None)
    catalogue = CatalogueCache(config)
    runner = QueryRunner(config)
    lake = config.lake
    settings = load_settings(warehouse_dir=config.snapshot_path.parent,
                             catalog=lake.catalog if lake else None,
                             data_path=lake.data_path if lake and not lake.moves_with_folder else None)
    # One export written at a time: each writer may use the writer's memory cap (duckdb_memory).
    export_writer = threading.BoundedSemaphore(1)

    def read_catalogue():
        try:
            return catalogue.get()
        except Busy as exc:
            raise busy(config, str(exc), exc.code) from None
        except duckdb.Error as exc:
            raise busy(config, f"the published snapshot could not be read: {exc}", "busy") from None

    def check_token(request: Request, token: str | None) -> None:
        if config.token is None:
            return
        offered = token
        header = request.headers.get("authorization", "")
        if header[:7].lower() == "bearer ":
            offered = header[7:].strip()
        if not offered:
            raise ApiError(401, "a token is required: send 'Authorization: Bearer <token>' or add ?token=<token>",
                           "token_required")
        if not hmac.compare_digest(offered.encode(), config.token.encode()):
            raise ApiError(401, "the token is not valid", "token_invalid")

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        headers = exc.headers()
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers)

    # Anything unexpected is still a JSON error (the traceback goes to the log, not to the client).
    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": "internal error; see the server's log", "code": "internal_error"},
                            status_code=500)

    if config.local_only:
        @app.middleware("http")
        async def local_only(request: Request, call_next):
            refusal = _foreign_request(request)
            if refusal is not None:
                return JSONResponse({"error": refusal[1], "code": refusal[0]}, status_code=403)
            return await call_next(request)

    # Every error body has the same shape, {"error": ..., "code": ...}, framework errors included.
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = "not_found" if exc.status_code == 404 else "http_error"
        return JSONResponse({"error": str(exc.detail).lower(), "code": code}, status_code=exc.status_code,
                            headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"error": problems, "code": "bad_request"}, status_code=400)

    def page(name: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
        context |= {"config": config, "token_required": config.token is not None}
        return HTMLResponse(TEMPLATES.get_template(name).render(**context), status_code=status, headers=headers)

    def error_page(exc: ApiError, **context: Any) -> HTMLResponse:
        return page("error.html" if exc.status == 503 else "query.html", exc.status, exc.headers(),
                    error=exc, **context)

    @app.get("/", response_class=HTMLResponse)
    def index(metric: str | None = None, entity: str | None = None, unit: str | None = None) -> HTMLResponse:
        try:
            cat = read_catalogue()
        except ApiError as exc:
            return error_page(exc)
        return page("index.html", catalogue=cat, sql="", **_history_context(config, metric, entity, unit))

    @app.get("/query", response_class=HTMLResponse)
    def query_page(request: Request, sql: str = "", token: str | None = None) -> HTMLResponse:
        context: dict[str, Any] = {"sql": sql, "token": token or ""}
        try:
            check_token(request, token)
        except ApiError as exc:
            return error_page(exc, **context)
        if not sql.strip():
            return page("query.html", **context)
        try:
            result = runner.run(sql, max_rows=config.max_rows)
        except ApiError as exc:
            return error_page(exc, **context)
        links = {fmt: "/api/query?" + urlencode({"sql": sql, "format": fmt} | ({"token": token} if token else {}))
                 for fmt in ("parquet", "csv")}
        return page("query.html", result=result, links=links, **context)

    @app.get("/api/query")
    def api_query(request: Request, sql: str = "", format: str = "json", token: str | None = None,
                  _shape: str = "arrays") -> Response:
        check_token(request, token)
        if format not in FORMATS:
            raise ApiError(400, f"unknown format {format!r}; choose one of {', '.join(FORMATS)}", "bad_format")
        if _shape not in ("arrays", "objects"):
            raise ApiError(400, f"unknown _shape {_shape!r}; choose arrays or objects", "bad_request")
        limit = config.max_rows if format == "json" else config.max_download_rows
        result = runner.run(sql, max_rows=limit, fmt="json-objects" if format == "json" and _shape == "objects"
                            else format)
        if format == "json":
            return Response(result.body, media_type=MEDIA_TYPES[format])
        headers = limit_headers(result) | {"Content-Disposition": f'attachment; filename="query.{format}"'}
        return Response(result.body, media_type=MEDIA_TYPES[format], headers=headers)

    @app.get("/api/tables")
    def api_tables() -> JSONResponse:
        return JSONResponse(read_catalogue().to_json())

    def browse_page(name: str, request: Request) -> browse.Page:
        relation = next((r for r in read_catalogue().relations if r.name == name), None)
        if relation is None:
            raise ApiError(404, f"no table or view named {name!r}; see /api/tables", "not_found")
        try:
            with reading(config) as con:
                return browse.browse(con, relation, list(request.query_params.multi_items()), config.max_rows)
        except browse.BadRequest as exc:
            raise ApiError(400, str(exc), "bad_request") from None
        except Busy as exc:
            raise busy(config, str(exc), exc.code) from None
        except duckdb.InterruptException:
            raise ApiError(408, f"the page took longer than {config.timeout_s:g} s", "timeout") from None

    @app.get("/tables/{name}", response_class=HTMLResponse)
    def table_page(name: str, request: Request) -> HTMLResponse:
        try:
            shown = browse_page(name, request)
        except ApiError as exc:
            return page("error.html", exc.status, exc.headers(), error=exc)
        params = list(request.query_params.multi_items())
        links = {
            "next": browse.page_url(params, _next=shown.next_offset) if shown.next_offset is not None else None,
            "previous": browse.page_url(params, _next=max(0, shown.request.offset - shown.request.size) or None)
            if shown.request.offset else None,
            "json": f"/api/tables/{name}" + browse.page_url(params),
        }
        sort_links = {c: browse.sort_url(params, shown.request, c) for c in shown.columns}
        return page("table.html", shown=shown, links=links, sort_links=sort_links,
                    clear_url=f"/tables/{name}")

    @app.get("/api/tables/{name}")
    def api_table(name: str, request: Request, _shape: str = "objects") -> JSONResponse:
        if _shape not in ("objects", "arrays"):
            raise ApiError(400, f"unknown _shape {_shape!r}; choose objects or arrays", "bad_request")
        shown = browse_page(name, request)
        params = list(request.query_params.multi_items())
        body = {
            "table": shown.relation, "columns": shown.columns,
            "rows": shown.objects() if _shape == "objects" else [list(row) for row in shown.rows],
            "filtered_count": shown.filtered_count, "next": shown.next_offset,
            "next_url": None if shown.next_offset is None
            else f"/api/tables/{name}" + browse.page_url(params, _next=shown.next_offset),
            "facets": {column: [{"value": v.value, "count": v.count, "selected": v.selected,
                                 "toggle_url": f"/api/tables/{name}{v.toggle_url}"} for v in values]
                       for column, values in shown.facets.items()},
        }
        return JSONResponse(jsonable_encoder(body))

    @app.get("/health")
    def health() -> JSONResponse:
        try:
            cat = read_catalogue()
        except ApiError as exc:
            body = {"ok": False, "snapshot": False, "last_refreshed": None} | exc.body()
            return JSONResponse(body, status_code=exc.status, headers=exc.headers())
        return JSONResponse({"ok": True, "snapshot": True, "last_refreshed": cat.last_refreshed})

    @app.api_route("/exports/{filename}", methods=["GET", "HEAD"])
    def download(request: Request, filename: str) -> Response:
        """The export of the published snapshot (the catalogue's), written on the first request for it."""
        name, _, fmt = filename.rpartition(".")
        missing = ApiError(404, f"no export named {filename!r}; see /api/tables", "not_found")
        if fmt not in exports.FORMATS or not exports.EXPORT_NAME.fullmatch(name):
            raise missing
        cat = read_catalogue()
        if name not in cat.names():
            raise missing
        path = exports.export_folder(config.exports_dir, cat.snapshot_id) / filename
        try:
            if not path.is_file():
                with export_writer:
                    exports.export_files(settings, cat.snapshot_id, [(name, fmt)], config.exports_dir)
            return export_response(request, path, fmt, snapshot=cat.snapshot_id)
        except exports.NoSuchExport:
            raise missing from None
        except (exports.NoSuchSnapshot, FileNotFoundError):  # a publish moved on since the catalogue was read
            raise busy(config, f"snapshot {cat.snapshot_id} is no longer published", "busy") from None
        except (OSError, duckdb.Error) as exc:
            raise busy(config, f"the export could not be written: {exc}", "export_failed") from None

    @app.get("/chart.svg")
    def chart_svg(metric: str, entity: str = "", unit: str | None = None) -> Response:
        context = _history_context(config, metric, entity, unit)
        if context.get("svg") is None:
            raise ApiError(404, context["history_message"], "no_history")
        return Response(context["svg"], media_type="image/svg+xml")

    return app


# Where a query may come from on a loopback server without a token: a browser sends Origin and
# Sec-Fetch-Site with what it fetches, so a page on another site (or a rebinding DNS name) is told apart
# from the server's own page, curl and scripts (which send neither).
_QUERY_PATHS = ("/api/query", "/query")


def _foreign_request(request: Request) -> tuple[str, str] | None:
    """(code, message) when a request to a local-only server comes from elsewhere, else None."""
    host = host_name(request.headers.get("host", ""))
    if not is_loopback(host):
        return ("forbidden_host", f"this server answers only requests to a loopback address (127.0.0.1, ::1, "
                f"localhost), not to {host or 'no host'!r}; start it with --token to serve other names")
    if request.url.path not in _QUERY_PATHS:
        return None
    origin = request.headers.get("origin")
    if origin is not None and (origin == "null" or not is_loopback(host_name(urlsplit(origin).netloc))):
        return ("forbidden_origin", f"queries from another site ({origin}) are not allowed")
    if request.headers.get("sec-fetch-site") == "cross-site":
        return ("forbidden_origin", "queries from another site are not allowed")
    return None


def _history_context(config: ServeConfig, metric: str | None, entity: str | None,
                     unit: str | None = None) -> dict[str, Any]:
    """What the page's chart section shows: choices, the chosen series (metric, entity and unit) and its SVG,
    how many of its values have no as_of to place them, or why there is nothing to draw."""
    try:
        choices = history.choices(config)
        if choices is None or not choices.metrics:
            return {"choices": None, "history_message": "no metrics yet"}
        if metric is None:
            metric, entity = history.first_pair(config) or ("", "")
        series = history.series(config, metric, entity or "", unit or None)
    except (Busy, duckdb.Error) as exc:
        return {"choices": None, "history_message": f"metric history unavailable: {exc}"}
    context: dict[str, Any] = {"choices": choices, "metric": metric, "entity": entity or "", "svg": None,
                               "unit": series.unit if series else "", "left_out": series.left_out if series else 0}
    if series is None or not series.points:
        context["history_message"] = f"no values for {metric} / {entity or '(no entity)'}"
    else:
        label = history.unit_label(series.unit)
        context["svg"] = line_chart(series.points, f"{metric} — {entity or '(no entity)'} ({label})", label)
    return context
