"""The HTTP routes. Everything reads the published snapshot or the export files, never the writer's database."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException

from . import history
from .catalogue import CatalogueCache, export_path
from .chart import line_chart
from .config import ServeConfig
from .downloads import export_response
from .queries import FORMATS, ApiError, QueryRunner, busy, limit_headers, to_csv, to_json, to_parquet
from .snapshot import Busy

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def create_app(config: ServeConfig) -> FastAPI:
    # No /docs or /redoc: their pages load scripts from a CDN.
    app = FastAPI(title="fintech-metrics", docs_url=None, redoc_url=None)
    catalogue = CatalogueCache(config)
    runner = QueryRunner(config)

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
    def index(metric: str | None = None, entity: str | None = None) -> HTMLResponse:
        try:
            cat = read_catalogue()
        except ApiError as exc:
            return error_page(exc)
        return page("index.html", catalogue=cat, sql="", **_history_context(config, metric, entity))

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
    def api_query(request: Request, sql: str = "", format: str = "json", token: str | None = None) -> Response:
        check_token(request, token)
        if format not in FORMATS:
            raise ApiError(400, f"unknown format {format!r}; choose one of {', '.join(FORMATS)}", "bad_format")
        limit = config.max_rows if format == "json" else config.max_download_rows
        result = runner.run(sql, max_rows=limit)
        if format == "json":
            return JSONResponse(to_json(result))
        body, media = (to_csv(result), "text/csv; charset=utf-8") if format == "csv" else (
            to_parquet(result), "application/vnd.apache.parquet")
        headers = limit_headers(result) | {"Content-Disposition": f'attachment; filename="query.{format}"'}
        return Response(body, media_type=media, headers=headers)

    @app.get("/api/tables")
    def api_tables() -> JSONResponse:
        return JSONResponse(read_catalogue().to_json())

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
        name, _, fmt = filename.rpartition(".")
        path = export_path(config, name, fmt)
        try:
            if path is not None:
                return export_response(request, path, fmt)
        except FileNotFoundError:  # gone since it was looked up
            pass
        raise ApiError(404, f"no export named {filename!r}; see /api/tables", "not_found")

    @app.get("/chart.svg")
    def chart_svg(metric: str, entity: str = "") -> Response:
        context = _history_context(config, metric, entity)
        if context.get("svg") is None:
            raise ApiError(404, context["history_message"], "no_history")
        return Response(context["svg"], media_type="image/svg+xml")

    return app


def _history_context(config: ServeConfig, metric: str | None, entity: str | None) -> dict[str, Any]:
    """What the page's chart section shows: choices, the chosen series and its SVG, or why there is none."""
    try:
        choices = history.choices(config)
        if choices is None or not choices.metrics:
            return {"choices": None, "history_message": "no metrics yet"}
        if metric is None:
            metric, entity = history.first_pair(config) or ("", "")
        series = history.series(config, metric, entity or "")
    except (Busy, duckdb.Error) as exc:
        return {"choices": None, "history_message": f"metric history unavailable: {exc}"}
    context: dict[str, Any] = {"choices": choices, "metric": metric, "entity": entity or "", "svg": None}
    if series is None or not series.points:
        context["history_message"] = f"no values for {metric} / {entity or '(no entity)'}"
    else:
        context["svg"] = line_chart(series.points, f"{metric} — {entity or '(no entity)'}")
    return context
