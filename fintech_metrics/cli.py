"""The `fintech-metrics` command. `extract`, `evaluate` and `query` import neither Prefect nor Pandera, so they start
fast."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .settings import Settings, load_settings, prefect_environment

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Figures and metrics from fintech news articles: extract, run the pipeline, query, serve.")


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


# A relative path is taken from the current folder, as every command line does; only the defaults live in
# the project.
RawDir = Annotated[Path | None, typer.Option(resolve_path=True,
                                             help="Folder of articles (default: the project's raw/).")]
WarehouseDir = Annotated[Path | None, typer.Option(resolve_path=True,
                                                   help="Warehouse folder (default: the project's warehouse/).")]
BatchSize = Annotated[int | None, typer.Option(
    min=1, help="Files per Prefect task (default: about four batches per worker, 500 to 2,000 files).")]


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _settings_for_prefect(raw: Path | None, warehouse: Path | None) -> Settings:
    """The paths, with Prefect's environment set for them before Prefect is imported."""
    settings = load_settings(raw, warehouse)
    settings.prefect_home.mkdir(parents=True, exist_ok=True)  # Prefect creates only the last level
    for name, value in prefect_environment(settings).items():
        os.environ.setdefault(name, value)
    return settings


@app.command()
def run(
    raw: RawDir = None,
    warehouse: WarehouseDir = None,
    batch_size: BatchSize = None,
    runner: Annotated[str, typer.Option(help="Where batches run: process (all cores here) or dask.")] = "process",
    address: Annotated[str | None, typer.Option(help="Dask scheduler (tcp://host:8786); none: a LocalCluster.")]
    = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (default: one per core).")] = None,
) -> None:
    """Run the Prefect flow: read raw/, extract, validate, load DuckDB, export Parquet."""
    settings = _settings_for_prefect(raw, warehouse)
    from flows.pipeline import build
    from flows.runners import check_runner

    from .lock import RunInProgress

    try:
        check_runner(runner, address)
    except ValueError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    try:
        summary = build(raw_dir=str(settings.raw_dir), warehouse_dir=str(settings.warehouse_dir),
                        batch_size=batch_size, runner=runner, address=address, workers=workers)
    except RunInProgress as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    typer.echo(summary.line())
    typer.echo(f"warehouse: {settings.db_path}\nexports:   {settings.exports_dir}")


@app.command()
def schedule(
    cron: Annotated[str, typer.Option(help="When to run, as a cron expression (UTC).")] = "0 * * * *",
    raw: RawDir = None,
    warehouse: WarehouseDir = None,
    port: Annotated[int | None, typer.Option(help="Port for the local Prefect server (default: a free one).")]
    = None,
    batch_size: BatchSize = None,
) -> None:
    """Run the flow on a cron schedule, served by Prefect (runs show in Prefect's UI and history).

    Without PREFECT_API_URL a local Prefect server is started on 127.0.0.1 and stopped with this command."""
    from .schedule import local_prefect_server, serve
    settings = _settings_for_prefect(raw, warehouse)
    if os.environ.get("PREFECT_API_URL"):
        typer.echo(f"serving on the Prefect server at {os.environ['PREFECT_API_URL']}; schedule: {cron}")
        serve(settings, cron, batch_size)
        return
    with local_prefect_server(settings, port) as url:
        os.environ["PREFECT_API_URL"] = url
        typer.echo(f"started a Prefect server at {url.removesuffix('/api')} (UI and run history); schedule: {cron}")
        try:
            serve(settings, cron, batch_size)
        except KeyboardInterrupt:
            typer.echo("stopping")
    typer.echo("stopped the schedule and the Prefect server")


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Article files, or - for standard input.")],
    fmt: Annotated[ExtractFormat, typer.Option("--format", help="jsonl: one JSON object per figure.")]
    = ExtractFormat.table,
    published: Annotated[str | None, typer.Option(help="Published date for standard input (YYYY[-MM[-DD]]).")]
    = None,
) -> None:
    """Print the figures of articles without touching the warehouse (a path's .meta.json is read)."""
    from .ingest import decode_bytes, detect_language, identify, read_article
    from .parsers import article_figures, extract_figures
    from .records import Rejected

    failed = False
    for name in paths:
        if name == "-":
            text, _ = decode_bytes(sys.stdin.buffer.read())
            figures = extract_figures(text, published=published, language=detect_language(text),
                                      article_id=identify(text)[0])
        else:
            path = Path(name)
            item = read_article(path.resolve(), path.resolve().parent)
            if isinstance(item, Rejected):
                typer.echo(f"error: {name}: {item.reason}", err=True)
                failed = True
                continue
            figures = article_figures(item)
        _print_figures(name, [f.public() for f in figures], fmt)
    if failed:
        raise typer.Exit(1)


def _print_figures(name: str, rows: list[dict], fmt: ExtractFormat) -> None:
    if fmt is ExtractFormat.jsonl:
        out = sys.stdout
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{name}: {len(rows)} figures", show_lines=False)
    for col in ("start", "surface", "kind", "value", "unit", "currency", "qualifier", "change", "from",
                "subject", "entity"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["start"]), r["surface"], r["kind"], str(r["value"]), r["unit"] or "",
                      r["currency"] or "", r["qualifier"], r["change"] or "",
                      "" if r["value_from"] is None else str(r["value_from"]), r["subject"] or "",
                      r["entity"] or "")
    # Piped output is read by tools and grep: do not fold it to an 80-column default.
    Console(width=None if sys.stdout.isatty() else 200).print(table)


class EvaluateFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(exists=True, file_okay=False, resolve_path=True,
                                             help="Folder of NAME.txt, NAME.gold.json, optional NAME.meta.json "
                                                  "and NAME.metrics.json.")],
    by_field: Annotated[bool, typer.Option("--by-field", help="Also count the wrong fields per language.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="List each error beside its sentence.")] = False,
    fmt: Annotated[EvaluateFormat, typer.Option("--format")] = EvaluateFormat.table,
) -> None:
    """Score the extractor against annotated articles: figures (P/R/F1 per language and kind, wrong fields) and,
    where NAME.metrics.json files are present, metric rows."""
    from dataclasses import asdict

    from . import evaluation
    from .ingest import read_article
    from .parsers import article_figures, metrics_of
    from .records import Rejected

    def predict(article: evaluation.GoldArticle) -> tuple[list[dict], list[dict]]:
        item = read_article(article.text_path, article.text_path.parent)
        if isinstance(item, Rejected):
            typer.echo(f"error: {article.text_path}: {item.reason}", err=True)
            return [], []
        figures = article_figures(item)
        return [f.public() for f in figures], [asdict(m) for m in metrics_of(figures, item.text, item.published)]

    try:
        articles = evaluation.load_folder(gold_dir)
    except (OSError, ValueError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    if not articles:
        typer.echo(f"error: no *.gold.json in {gold_dir}", err=True)
        raise typer.Exit(2)
    report = evaluation.evaluate(articles, predict)
    if fmt is EvaluateFormat.json:
        typer.echo(json.dumps(evaluation.to_json(report, errors=errors), ensure_ascii=False, indent=1))
    else:
        typer.echo(evaluation.format_table(report, by_field=by_field, errors=errors), nl=False)


@app.command()
def normalize() -> None:
    """Read one expression a line from standard input (九万四, 百分之二十八, １．０７５３美元) and print
    one JSON object a line: {"text", "kind", "value", "currency"} or {"text", "error"}."""
    from .parsers.normalize import normalize as normalize_one

    for line in sys.stdin:
        text = line.rstrip("\r\n")
        if text.strip():
            sys.stdout.write(json.dumps(normalize_one(text.strip()), ensure_ascii=False) + "\n")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One read-only SQL statement.")],
    fmt: Annotated[QueryFormat, typer.Option("--format")] = QueryFormat.table,
    max_rows: Annotated[int, typer.Option(min=1)] = 10_000,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds before the query is cancelled.")] = 30.0,
    warehouse: WarehouseDir = None,
) -> None:
    """Run read-only SQL against the published warehouse snapshot."""
    from .reader import QueryRefused, format_result, run_query

    settings = load_settings(warehouse_dir=warehouse)
    try:
        result = run_query(sql, settings.snapshot_path, max_rows=max_rows, timeout_s=timeout)
    except QueryRefused as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    typer.echo(format_result(result, fmt.value), nl=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; anything but loopback requires a token.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535)] = 8000,
    token: Annotated[str | None, typer.Option(envvar="FINTECH_METRICS_TOKEN", show_envvar=True,
                                              help="Required by the query API and the SQL page.")] = None,
    warehouse: WarehouseDir = None,
    max_rows: Annotated[int, typer.Option(min=1, help="Rows shown on the page or returned as JSON.")] = 1000,
    max_download_rows: Annotated[int, typer.Option(min=1, help="Rows in a CSV or Parquet query result.")]
    = 100_000,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds before a query is cancelled.")] = 5.0,
) -> None:
    """Serve the published snapshot: a catalogue page, downloads, and a read-only SQL API."""
    from .server import ServeConfig, create_app, is_loopback

    if not token and not is_loopback(host):
        typer.echo(f"error: refusing to listen on {host} without a token: pass --token or set "
                   "FINTECH_METRICS_TOKEN (only 127.0.0.1, ::1 and localhost may run without one)", err=True)
        raise typer.Exit(2)
    import uvicorn

    settings = load_settings(warehouse_dir=warehouse)
    config = ServeConfig(snapshot_path=settings.snapshot_path, exports_dir=settings.exports_dir,
                         token=token or None, max_rows=max_rows, max_download_rows=max_download_rows,
                         timeout_s=timeout)
    typer.echo(f"serving {settings.snapshot_path} on http://{host}:{port}/", err=True)
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
