"""The Prefect flow: raw/ → figures and metrics → validated DuckDB tables → a published snapshot
(database copy, Parquet and CSV exports, manifest) that readers switch to atomically.

Runs are incremental: only files that are new or changed (or whose rules changed) are read.
Tasks work on batches of articles, never one article each (per-task overhead dwarfs the parsing);
the batches run on a task runner (a process per core by default, or a Dask cluster), and
only this process writes DuckDB.
Run it with `fintech-metrics run`, `fintech-metrics schedule`, or `python -m flows.pipeline`.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from fintech_metrics import batch, incremental, warehouse
from fintech_metrics.faults import crash_point
from fintech_metrics.frames import rejected_frame
from fintech_metrics.lock import run_lock
from fintech_metrics.parsers import EXTRACTOR_VERSION
from fintech_metrics.settings import Settings, load_settings
from flows.runners import Runner, check_runner, shared_api, task_runner, worker_count
from schemas import TABLES


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    files_seen: int
    files_new: int
    files_changed: int
    files_unchanged: int
    files_missing: int
    articles_read: int
    articles_loaded: int
    figures_loaded: int
    metrics_loaded: int
    rows_quarantined: int
    seconds: float

    def line(self) -> str:
        return (f"files: {self.files_seen} ({self.files_new} new, {self.files_changed} changed, "
                f"{self.files_unchanged} unchanged, {self.files_missing} missing); "
                f"articles read: {self.articles_read}, loaded: {self.articles_loaded}; "
                f"figures loaded: {self.figures_loaded}; metrics loaded: {self.metrics_loaded}; "
                f"rows quarantined: {self.rows_quarantined}")


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def scan(settings: Settings) -> tuple[dict[str, str], dict[str, incremental.Known]]:
    """Fingerprints of the files in the raw folder now, and what the warehouse knows of them."""
    current = incremental.fingerprints(settings.raw_dir)
    sources = warehouse.read_sources(settings.db_path)
    known = {
        path: incremental.Known(*row) for path, *row in sources.select(
            "source_path", "article_id", "fingerprint", "status", "extractor_version").iter_rows()
    }
    return current, known


@task(retries=1, retry_delay_seconds=1, cache_policy=NO_CACHE)
def extract(paths: list[str], settings: Settings, out_dir: Path) -> batch.StagedBatch:
    return batch.stage_batch([settings.raw_dir / p for p in paths], settings.raw_dir, out_dir)


@task(cache_policy=NO_CACHE)
def load(settings: Settings, files: dict[str, list[Path]], inputs: dict[str, Path]) -> dict[str, int]:
    with warehouse.connect(settings.db_path) as con:
        return warehouse.apply_run(con, files, inputs)


def _owned(staged: list[batch.StagedBatch],
           outcomes: list[incremental.Outcome]) -> list[tuple[batch.StagedBatch, str, str]]:
    """(batch, source_path, article_id) of every file loaded: the batch whose staged rows go in."""
    loaded = {o.source_path for o in outcomes if o.status == incremental.LOADED}
    return [(b, path, article_id) for b in staged for path, article_id in b.outcomes if path in loaded]


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def publish(settings: Settings, run_id: str, content_changed: bool) -> Path:
    return warehouse.publish(settings, run_id, content_changed)


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _stage(chunks: list[list[str]], settings: Settings, staging: Path, runner: str,
           address: str | None, workers: int | None) -> list[batch.StagedBatch]:
    """Extract every batch on a pool of workers that lives only as long as the extraction, so
    their memory is given back before the load. A lone batch runs here: a worker's start-up would cost more."""
    outs = [staging / f"batch-{i:05d}" for i in range(len(chunks))]
    if len(chunks) == 1:
        return [extract(chunks[0], settings, outs[0])]
    with shared_api(), task_runner(runner, address=address, workers=workers) as pool:
        futures = [pool.submit(extract, {"paths": chunk, "settings": settings, "out_dir": out})
                   for chunk, out in zip(chunks, outs, strict=True)]
        return [future.result() for future in futures]


def _sources_frame(outcomes: list[incremental.Outcome], plan: incremental.RunPlan, current: dict[str, str],
                   known: dict[str, incremental.Known]) -> pl.DataFrame:
    # Column by column: a dict per file held about 360 bytes each at once, which the flow's process kept
    # for the rest of the run (Python does not give such memory back).
    paths = [o.source_path for o in outcomes] + plan.missing
    columns = {
        "source_path": paths,
        "article_id": [o.article_id for o in outcomes] + [known[p].article_id for p in plan.missing],
        "status": [o.status for o in outcomes] + [incremental.MISSING] * len(plan.missing),
        "fingerprint": [current[o.source_path] for o in outcomes] + [known[p].fingerprint for p in plan.missing],
        "extractor_version": [EXTRACTOR_VERSION] * len(outcomes) + [known[p].extractor_version for p in plan.missing],
    }
    schema = TABLES["sources"].polars_schema()
    return pl.DataFrame({name: columns[name] for name in schema}, schema=schema)


@flow(name="fintech-metrics", log_prints=True)
def build(raw_dir: str | None = None, warehouse_dir: str | None = None, batch_size: int | None = None,
          runner: str = Runner.process.value, address: str | None = None, workers: int | None = None) -> RunSummary:
    """Bring the warehouse up to date with the raw folder, then publish a new snapshot.

    Batches of `batch_size` files (default: batch.batch_size_for the files to read and the workers)
    run on `runner`: `process`, a pool of `workers` processes here (default: one per core), or `dask`,
    the cluster whose scheduler is at `address` (none: a LocalCluster of `workers`)."""
    check_runner(runner, address)
    settings = load_settings(raw_dir, warehouse_dir)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    run_id = str(flow_run.get_id() or uuid.uuid4())
    with run_lock(settings.warehouse_dir):
        warehouse.clear_staging(settings)
        current, known = scan(settings)
        plan = incremental.plan_run(current, known, EXTRACTOR_VERSION)
        staging = settings.warehouse_dir / ".staging" / run_id
        phases: dict[str, float] = {}

        def lap(name: str) -> None:  # seconds since the previous lap
            phases[name] = time.perf_counter() - clock - sum(phases.values())

        lap("scan")
        size = batch_size if batch_size is not None else batch.batch_size_for(
            len(plan.to_process), worker_count(workers))
        chunks = _chunks(plan.to_process, size)
        staged = _stage(chunks, settings, staging, runner, address, workers)
        lap("extract")
        crash_point("extract")
        outcomes = incremental.resolve([o for b in staged for o in b.outcomes], known, plan)
        duplicates = rejected_frame([o.duplicate for o in outcomes if o.duplicate])
        sources = _sources_frame(outcomes, plan, current, known)
        loaded = sum(o.status == incremental.LOADED for o in outcomes)
        quarantined = sum(b.counts["quarantine"] for b in staged) + duplicates.height
        owned = _owned(staged, outcomes)
        figures = sum(b.per_article[article_id][0] for b, _, article_id in owned)
        metrics = sum(b.per_article[article_id][1] for b, _, article_id in owned)
        summary = RunSummary(run_id, len(current), len(plan.new), len(plan.changed), len(plan.unchanged),
                             len(plan.missing), len(plan.to_process), loaded, figures, metrics, quarantined,
                             round(time.perf_counter() - clock, 3))
        run = pl.DataFrame([{
            **{k: v for k, v in asdict(summary).items() if k != "seconds"},
            "started_at": started, "finished_at": datetime.now(UTC), "status": "completed",
            "raw_dir": str(settings.raw_dir), "extractor_version": EXTRACTOR_VERSION, "seconds": summary.seconds,
        }], schema=TABLES["runs"].polars_schema())
        files = {name: [b.file(name) for b in staged] for name in batch.STAGED_TABLES}
        folders = {id(b): str(b.folder) for b in staged}  # one string per batch, not per file
        owners = pl.DataFrame({"batch": [folders[id(b)] for b, _, _ in owned], "source_path": [p for _, p, _ in owned],
                               "article_id": [a for _, _, a in owned]},
                              schema={"batch": pl.String, "source_path": pl.String, "article_id": pl.String})
        processed = pl.DataFrame({"source_path": plan.to_process}, schema={"source_path": pl.String})
        inputs = warehouse.write_run_inputs(staging / "run", {
            "new_sources": sources, "owners": owners, "extra_quarantine": duplicates, "processed": processed,
            "run_row": run})
        content_changed, batches = bool(plan.to_process or plan.missing), len(chunks)
        # The load and the publish work at the writer's memory cap: what the run knew of each file (about 50 MB of
        # Python objects and 20 MB of frames per 100,000 files) goes first: the files above hold what the load needs.
        del current, known, plan, chunks, staged, outcomes, owned, folders, owners, sources, processed, duplicates
        load(settings, files, inputs)
        lap("load")
        quarantine = pl.concat([pl.read_parquet(path) for path in [*files["quarantine"], inputs["extra_quarantine"]]])
        publish(settings, run_id, content_changed=content_changed)
        warehouse.clear_staging(settings)
        lap("publish")
    _report(summary, quarantine)
    get_run_logger().info(summary.line())
    get_run_logger().info("seconds: " + ", ".join(f"{name} {s:.1f}" for name, s in phases.items())
                          + f" ({batches} batch{'' if batches == 1 else 'es'} of up to {size} files)")
    return summary


ARTIFACT_ROWS = 1_000


def _report(summary: RunSummary, quarantine: pl.DataFrame) -> None:
    lines = ["# fintech-metrics run", "", "| measure | count |", "| --- | --- |"]
    lines += [f"| {k.replace('_', ' ')} | {v} |" for k, v in asdict(summary).items() if k != "run_id"]
    create_markdown_artifact("\n".join(lines), key="fintech-metrics-run", description=summary.line())
    rows = [{"file": r["source_path"], "stage": r["stage"], "check": r["failed_check"], "reason": r["reason"]}
            for r in quarantine.head(ARTIFACT_ROWS).iter_rows(named=True)]
    shown = ""
    if quarantine.height > ARTIFACT_ROWS:
        shown = f" (the first {ARTIFACT_ROWS:,}; all are in the quarantine table)"
    create_table_artifact(rows or [{"file": "", "stage": "", "check": "", "reason": "nothing quarantined"}],
                          key="fintech-metrics-quarantine",
                          description=f"{quarantine.height:,} files and rows quarantined by this run{shown}")


if __name__ == "__main__":
    print(build().line())
