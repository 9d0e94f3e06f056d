"""The `fintech-metrics` command. `extract`, `evaluate` and `query` import neither Prefect nor Pandera, so they start
fast."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .settings import DEFAULTS, SETTINGS, Settings, load_settings, prefect_environment

if TYPE_CHECKING:
    from .lake import Lake
    from .ledger import RunSummary

app = typer.Typer(add_completion=False, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]},
                  help="Figures and metrics from fintech news articles: extract, run the pipeline, query, serve.")


def _print_version(wanted: bool) -> None:
    if wanted:
        from . import __version__
        from .parsers import EXTRACTOR_VERSION

        typer.echo(f"fintech-metrics {__version__} (extractor {EXTRACTOR_VERSION})")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_print_version, is_eager=True,
                                          help="Print the version and the extractor's version, and exit.")] = False,
) -> None:
    pass


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


def option(name: str, **extra: Any) -> Any:
    """The typer option of a setting of SETTINGS: its flag, environment variable and help, declared there."""
    setting = SETTINGS[name]
    return typer.Option(setting.option, envvar=setting.envvar, show_envvar=True, help=setting.help, **extra)


# A relative path is taken from the current folder, as every command line does; only the defaults live in
# the project.
RawDir = Annotated[Path | None, option("raw", resolve_path=True)]
WarehouseDir = Annotated[Path | None, option("warehouse", resolve_path=True)]
Catalog = Annotated[str | None, option("catalog")]
DataPath = Annotated[str | None, option("data_path")]
BatchSize = Annotated[int | None, option("batch_size", min=1)]
MemoryMb = Annotated[int, option("memory_mb", min=64)]
AtSnapshot = Annotated[str | None, typer.Option("--at", help="An earlier snapshot: its id (the runs table's "
                                                             "snapshot_id) or a time, 2026-12-01T09:00:00+00:00.")]


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _settings_for_prefect(raw: Path | None, warehouse: Path | None, catalog: str | None = None,
                          data_path: str | None = None) -> Settings:
    """The paths, with Prefect's environment set for them before Prefect is imported. A raw folder that is not
    there is the user's mistake: one line and exit 2, before anything is created."""
    settings = load_settings(raw, warehouse, catalog, data_path)
    if not settings.raw_dir.is_dir():
        what = "is not a folder" if settings.raw_dir.exists() else "does not exist"
        typer.echo(f"error: the raw folder {settings.raw_dir} {what} (--raw or FINTECH_METRICS_RAW)", err=True)
        raise typer.Exit(2)
    settings.prefect_home.mkdir(parents=True, exist_ok=True)  # Prefect creates only the last level
    for name, value in prefect_environment(settings).items():
        os.environ.setdefault(name, value)
    return settings


@app.command()
def run(
    raw: RawDir = None,
    warehouse: WarehouseDir = None,
    batch_size: BatchSize = None,
    runner: Annotated[str, option("runner")] = DEFAULTS["runner"],
    address: Annotated[str | None, option("address")] = DEFAULTS["address"],
    workers: Annotated[int | None, option("workers", min=1)] = DEFAULTS["workers"],
    catalog: Catalog = None,
    data_path: DataPath = None,
) -> None:
    """Run the Prefect flow: read raw/, extract, validate, load DuckDB, export Parquet."""
    settings = _settings_for_prefect(raw, warehouse, catalog, data_path)
    from .prefect_server import start_early

    # Prefect's server starts on one core while this process imports on the other.
    summary, the_lake = _run(settings, start_early(), batch_size, runner, address, workers)
    typer.echo(summary.line())
    typer.echo(f"warehouse: {the_lake.shown()}\nexports:   {settings.exports_dir}")


def _run(settings: Settings, server_ready: Callable[[], None], batch_size: int | None, runner: str,
         address: str | None, workers: int | None) -> tuple[RunSummary, Lake]:
    from flows.pipeline import build
    from flows.runners import check_runner

    from . import lake
    from .lock import RunInProgress
    from .warehouse import OutdatedWarehouse, refuse_legacy

    try:
        check_runner(runner, address)
        the_lake = lake.configured(settings)
        refuse_legacy(settings)  # before the flow starts: its tasks would log the error as a failure
    except OutdatedWarehouse as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    except ValueError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    from rich.console import Console

    from . import progress

    server_ready()
    try:
        with progress.installed(progress.for_console(Console(stderr=True))):
            summary = build(raw_dir=str(settings.raw_dir), warehouse_dir=str(settings.warehouse_dir),
                            batch_size=batch_size, runner=runner, address=address, workers=workers,
                            catalog=settings.catalog, data_path=settings.data_path)
    except (RunInProgress, OutdatedWarehouse) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    return summary, the_lake


@app.command()
def schedule(
    cron: Annotated[str, option("cron")] = DEFAULTS["cron"],
    raw: RawDir = None,
    warehouse: WarehouseDir = None,
    port: Annotated[int | None, option("prefect_port")] = DEFAULTS["prefect_port"],
    batch_size: BatchSize = None,
    catalog: Catalog = None,
    data_path: DataPath = None,
) -> None:
    """Run the flow on a cron schedule, served by Prefect (runs show in Prefect's UI and history).

    Without PREFECT_API_URL a local Prefect server is started on 127.0.0.1 and stopped with this command."""
    from .schedule import local_prefect_server, serve
    settings = _settings_for_prefect(raw, warehouse, catalog, data_path)
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
            if not path.exists() and not path.is_symlink():
                typer.echo(f"error: {name}: no such file", err=True)
                failed = True
                continue
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
    from .parsers import article_figures, article_metrics
    from .records import Rejected

    def predict(article: evaluation.GoldArticle) -> tuple[list[dict], list[dict]]:
        item = read_article(article.text_path, article.text_path.parent)
        if isinstance(item, Rejected):
            typer.echo(f"error: {article.text_path}: {item.reason}", err=True)
            return [], []
        figures = article_figures(item)
        return [f.public() for f in figures], [asdict(m) for m in article_metrics(item, figures)]

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
    fmt: Annotated[QueryFormat, typer.Option("--format", help="table (for a terminal), csv, or json (an array of "
                                                              "objects).")] = QueryFormat.table,
    max_rows: Annotated[int, option("query_max_rows", min=1)] = DEFAULTS["query_max_rows"],
    timeout: Annotated[float, option("query_timeout", min=0.1)] = DEFAULTS["query_timeout"],
    memory_mb: MemoryMb = DEFAULTS["memory_mb"],
    warehouse: WarehouseDir = None,
    at: AtSnapshot = None,
    catalog: Catalog = None,
    data_path: DataPath = None,
) -> None:
    """Run read-only SQL against the published warehouse snapshot (or an earlier one)."""
    from .reader import PIPE_WIDTH, QueryRefused, run_query, table_renderable

    settings = load_settings(warehouse_dir=warehouse, catalog=catalog, data_path=data_path)
    table = fmt is QueryFormat.table  # rendered here, to the terminal's width
    try:
        result = run_query(sql, _lake_of(settings), max_rows=max_rows, timeout_s=timeout,
                           memory_limit=memory_mb << 20, fmt=None if table else fmt.value, at=_snapshot_at(at))
    except QueryRefused as err:
        typer.echo(f"error: {_one_line(str(err))}", err=True)
        raise typer.Exit(2) from None
    if table:
        from rich.console import Console

        Console(width=None if sys.stdout.isatty() else PIPE_WIDTH, highlight=False).print(table_renderable(result))
        return
    sys.stdout.buffer.write(result.body or b"")
    sys.stdout.flush()


@app.command()
def export(
    to: Annotated[Path, typer.Option("--to", help="Folder to write each table and view to, as .parquet and .csv.",
                                     resolve_path=True)],
    warehouse: WarehouseDir = None,
    at: AtSnapshot = None,
    catalog: Catalog = None,
    data_path: DataPath = None,
) -> None:
    """Write every table and view of the published snapshot (or an earlier one) to a folder, as the downloads."""
    from .exports import export_snapshot

    settings = load_settings(warehouse_dir=warehouse, catalog=catalog, data_path=data_path)
    try:
        snapshot, files = export_snapshot(settings, to, _snapshot_at(at))
    except (LookupError, ValueError) as err:  # ValueError: a catalog or data path the lake cannot take
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"snapshot {snapshot}: {len(files)} files in {to}")


@app.command()
def maintain(
    keep_days: Annotated[float, option("keep_days", min=0)] = DEFAULTS["keep_days"],
    warehouse: WarehouseDir = None,
    catalog: Catalog = None,
    data_path: DataPath = None,
) -> None:
    """Merge small files, expire snapshots older than --keep-days and delete their files."""
    from .lock import RunInProgress
    from .maintain import maintain as upkeep

    settings = load_settings(warehouse_dir=warehouse, catalog=catalog, data_path=data_path)
    if _lake_of(settings).missing():
        typer.echo(f"error: no warehouse at {settings.warehouse_dir}; run `fintech-metrics run` first", err=True)
        raise typer.Exit(2)
    try:
        typer.echo(upkeep(settings, keep_days).line())
    except RunInProgress as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None


def _lake_of(settings: Settings) -> Lake:
    """The settings' lake (lake.configured); a catalog or data path it cannot take is the user's mistake: one
    line and exit 2."""
    from . import lake

    try:
        return lake.configured(settings)
    except ValueError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None


def _snapshot_at(at: str | None) -> int | datetime | None:
    """--at as a snapshot id or a time (a time without a zone is UTC)."""
    if at is None or at.isdigit():
        return None if at is None else int(at)
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        raise typer.BadParameter(f"{at!r} is neither a snapshot id nor a time (2026-12-01T09:00:00+00:00)",
                                 param_hint="--at") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _one_line(message: str) -> str:
    """DuckDB's message without the echoed query and caret (`LINE 1: …`), on one line."""
    return " ".join(message.split("\n\nLINE ", 1)[0].split())


@app.command()
def serve(
    host: Annotated[str, option("host")] = DEFAULTS["host"],
    port: Annotated[int, option("port", min=0, max=65535)] = DEFAULTS["port"],
    token: Annotated[str | None, option("token")] = DEFAULTS["token"],
    warehouse: WarehouseDir = None,
    max_rows: Annotated[int, option("page_max_rows", min=1)] = DEFAULTS["page_max_rows"],
    max_download_rows: Annotated[int, option("max_download_rows", min=1)] = DEFAULTS["max_download_rows"],
    timeout: Annotated[float, option("serve_timeout", min=0.1)] = DEFAULTS["serve_timeout"],
    memory_mb: MemoryMb = DEFAULTS["memory_mb"],
    catalog: Catalog = None,
    data_path: DataPath = None,
) -> None:
    """Serve the published snapshot: a catalogue page, downloads, and a read-only SQL API."""
    from .server import ServeConfig, create_app, is_loopback

    if not token and not is_loopback(host):
        typer.echo(f"error: refusing to listen on {host} without a token: pass --token or set "
                   "FINTECH_METRICS_TOKEN (only 127.0.0.1, ::1 and localhost may run without one)", err=True)
        raise typer.Exit(2)
    import uvicorn

    settings = load_settings(warehouse_dir=warehouse, catalog=catalog, data_path=data_path)
    the_lake = _lake_of(settings)
    config = ServeConfig(snapshot_path=settings.snapshot_path, exports_dir=settings.exports_dir,
                         token=token or None, max_rows=max_rows, max_download_rows=max_download_rows,
                         timeout_s=timeout, memory_limit=memory_mb << 20, local_only=not token, lake=the_lake)
    typer.echo(f"serving {the_lake.shown()} on http://{host}:{port}/", err=True)
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning")


def main() -> None:
    """The command, with a user's mistake on the command line (an unknown option or command, a bad value) as one
    `error:` line and exit status 2, as every other mistake is, instead of a usage box."""
    try:
        code = app(standalone_mode=False)
    except Exception as err:
        # By class name: Typer raises Click's exceptions or, since 0.24, those of its own copy of Click.
        if _is_a(err, "NoArgsIsHelpError"):
            err.show()  # type: ignore[attr-defined]  # the command alone: its help
            raise SystemExit(2) from None
        if _is_a(err, "UsageError"):
            ctx = getattr(err, "ctx", None)
            where = f"fintech-metrics {ctx.info_name} -h" if ctx is not None and ctx.parent else "fintech-metrics -h"
            typer.echo(f"error: {err.format_message()} (see {where})", err=True)  # type: ignore[attr-defined]
            raise SystemExit(2) from None
        if _is_a(err, "Abort"):
            raise SystemExit(130) from None
        raise
    raise SystemExit(code or 0)


def _is_a(err: BaseException, name: str) -> bool:
    return any(cls.__name__ == name for cls in type(err).__mro__)


if __name__ == "__main__":
    main()
