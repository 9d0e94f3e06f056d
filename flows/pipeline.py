"""The Prefect flow: raw/ → figures → validated DuckDB tables → Parquet exports and a read-only snapshot.

Tasks work on batches of articles, never one article each (per-task overhead dwarfs the parsing).
Run it with `fintech-metrics run` or `python -m flows.pipeline`.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from fintech_metrics import batch, ingest, warehouse
from fintech_metrics.frames import rejected_frame
from fintech_metrics.parsers import EXTRACTOR_VERSION
from fintech_metrics.settings import Settings, load_settings
from fintech_metrics.validation import validate_batch
from schemas import TABLES


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    articles_read: int
    articles_loaded: int
    figures_loaded: int
    rows_quarantined: int
    seconds: float

    def line(self) -> str:
        return (f"articles read: {self.articles_read}, loaded: {self.articles_loaded}; "
                f"figures loaded: {self.figures_loaded}; rows quarantined: {self.rows_quarantined}")


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def discover(raw_dir: Path) -> list[Path]:
    return ingest.discover(raw_dir)


@task(retries=1, retry_delay_seconds=1, cache_policy=NO_CACHE)
def extract(paths: list[Path], raw_dir: Path) -> batch.BatchResult:
    return batch.extract_batch(paths, raw_dir)


@task(cache_policy=NO_CACHE)
def validate(results: list[batch.BatchResult]) -> dict[str, pl.DataFrame]:
    articles = pl.concat([r.articles for r in results]) if results else TABLES["articles"].empty()
    figures = pl.concat([r.figures for r in results]) if results else TABLES["figures"].empty()
    articles, figures, duplicates = batch.drop_duplicates(articles, figures)
    good_articles, good_figures, invalid = validate_batch(articles, figures)
    quarantine = pl.concat([*(r.rejected for r in results), rejected_frame(duplicates), invalid])
    return {"articles": good_articles, "figures": good_figures, "quarantine": quarantine}


@task(cache_policy=NO_CACHE)
def load(settings: Settings, frames: dict[str, pl.DataFrame]) -> dict[str, int]:
    with warehouse.connect(settings.db_path) as con:
        return warehouse.replace_content(con, frames)


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def publish(settings: Settings, run: pl.DataFrame) -> None:
    with warehouse.connect(settings.db_path) as con:
        warehouse.record_run(con, run)
        warehouse.export_tables(con, settings.exports_dir)
        con.execute("CHECKPOINT").fetchall()
    warehouse.publish_snapshot(settings.db_path, settings.snapshot_path)


def _chunks(items: list[Path], size: int) -> list[list[Path]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="fintech-metrics", log_prints=True)
def build(raw_dir: str | None = None, warehouse_dir: str | None = None, batch_size: int = 500) -> RunSummary:
    """Read every article under the raw folder and rebuild the warehouse from it."""
    settings = load_settings(raw_dir, warehouse_dir)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    run_id = str(flow_run.get_id() or uuid.uuid4())
    paths = discover(settings.raw_dir)
    results = [extract(chunk, settings.raw_dir) for chunk in _chunks(paths, batch_size)]
    frames = validate(results)
    counts = load(settings, frames)
    summary = RunSummary(run_id, len(paths), counts["articles"], counts["figures"], counts["quarantine"],
                         round(time.perf_counter() - clock, 3))
    run = pl.DataFrame([{
        "run_id": run_id, "started_at": started, "finished_at": datetime.now(UTC), "status": "completed",
        "raw_dir": str(settings.raw_dir), "articles_read": summary.articles_read,
        "articles_loaded": summary.articles_loaded, "figures_loaded": summary.figures_loaded,
        "rows_quarantined": summary.rows_quarantined, "extractor_version": EXTRACTOR_VERSION,
    }], schema=TABLES["runs"].polars_schema())
    publish(settings, run)
    _report(summary, frames["quarantine"])
    get_run_logger().info(summary.line())
    return summary


def _report(summary: RunSummary, quarantine: pl.DataFrame) -> None:
    lines = ["# fintech-metrics run", "", "| measure | count |", "| --- | --- |"]
    lines += [f"| {k.replace('_', ' ')} | {v} |" for k, v in asdict(summary).items() if k != "run_id"]
    if quarantine.height:
        lines += ["", "## Quarantined", "", "| file | stage | check | reason |", "| --- | --- | --- | --- |"]
        lines += [f"| {r['source_path']} | {r['stage']} | {r['failed_check']} | {r['reason'][:200]} |"
                  for r in quarantine.iter_rows(named=True)]
    create_markdown_artifact("\n".join(lines), key="fintech-metrics-run", description=summary.line())


if __name__ == "__main__":
    print(build().line())
