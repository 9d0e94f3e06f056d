"""The Prefect flow: raw/ → figures and metrics → validated tables, one DuckLake snapshot per run → a published
manifest naming that snapshot, which readers switch to atomically (its downloads are written when first asked for).

Runs are incremental: only files that are new or changed (or whose rules changed) are read.
Tasks work on batches of articles, never one article each (per-task overhead dwarfs the parsing);
the batches run on a task runner (a process per core by default, or a Dask cluster), and
only this process writes DuckDB.
Run it with `fintech-metrics run`, `fintech-metrics schedule`, or `python -m flows.pipeline`.
"""

from __future__ import annotations

import sys
import time
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from fintech_metrics import batch, incremental, ledger, progress, warehouse
from fintech_metrics.faults import crash_point
from fintech_metrics.frames import write_frames
from fintech_metrics.ledger import RunSummary
from fintech_metrics.lock import run_lock
from fintech_metrics.parsers import EXTRACTOR_VERSION
from fintech_metrics.settings import Settings, load_settings
from flows.runners import Runner, check_runner, shared_api, task_runner, worker_count


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def scan(settings: Settings) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Fingerprints of the files in the raw folder now, and what the warehouse knows of them (`sources`)."""
    return incremental.fingerprints(settings.raw_dir), warehouse.read_sources(settings)


@task(retries=1, retry_delay_seconds=1, cache_policy=NO_CACHE)
def extract(to_read: Path, offset: int, length: int, settings: Settings, out_dir: Path) -> batch.StagedBatch:
    """The batch of `length` files from row `offset` of the run's list of files to read (a Parquet file
    in staging, which every worker sees: the flow need not hold a list of paths per batch)."""
    # Files with a sidecar go first: of two copies of one content in a batch, the first is kept (as resolve
    # prefers it), so the article keeps its title, source and date.
    paths = (pl.scan_parquet(to_read).slice(offset, length)
             .sort(~incremental.has_sidecar(), maintain_order=True).select("source_path").collect()["source_path"])
    return batch.stage_batch([settings.raw_dir / p for p in paths], settings.raw_dir, out_dir)


@task(cache_policy=NO_CACHE)
def load(settings: Settings, files: dict[str, list[Path]], inputs: dict[str, Path]) -> dict[str, int]:
    with warehouse.connect(settings) as con:
        return warehouse.apply_run(con, files, inputs)


def _outcomes(staged: list[batch.StagedBatch]) -> pl.DataFrame:
    """batch.OUTCOMES of every file read, with the folder of its batch (whose staged rows go in)."""
    frames = [pl.read_parquet(b.outcomes).with_columns(batch=pl.lit(str(b.folder))) for b in staged]
    return pl.concat(frames) if frames else pl.DataFrame(schema={**batch.OUTCOMES, "batch": pl.String})


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def publish(settings: Settings, run_id: str) -> Path:
    return warehouse.publish(settings, run_id)


def _stage(to_read: Path, files: int, size: int, settings: Settings, staging: Path, runner: str,
           address: str | None, workers: int | None) -> list[batch.StagedBatch]:
    """Extract the `files` listed in `to_read` in batches of `size`, on a pool of workers that lives only as
    long as the extraction, so their memory is given back before the load. A lone batch runs here: a worker's
    start-up would cost more."""
    batches = [{"to_read": to_read, "offset": offset, "length": size, "settings": settings,
                "out_dir": staging / f"batch-{i:05d}"} for i, offset in enumerate(range(0, files, size))]
    shown = progress.report()
    shown.phase("extract", total=files, unit="files")
    if len(batches) <= 1:
        staged = [extract(**parameters) for parameters in batches]
        shown.advance(files)
        return staged
    with shared_api(), task_runner(runner, address=address, workers=workers) as pool:
        futures = [pool.submit(extract, parameters) for parameters in batches]
        staged = []
        for parameters, future in zip(batches, futures, strict=True):
            staged.append(future.result())
            shown.advance(min(size, files - parameters["offset"]))
        return staged


def _announce(_flow, run, state) -> None:
    """One line on the terminal of `fintech-metrics schedule` as a scheduled run starts, finishes or fails
    (the deployment's runs write to its output; a plain `run` prints its own summary and is left quiet)."""
    if run.deployment_id is None:
        return
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
    if state.is_running():
        line = "started"
    elif state.is_completed():
        result = state.result(raise_on_failure=False)
        line = "finished: " + (result.line() if isinstance(result, RunSummary) else "completed")
    else:
        line = f"{state.name.lower()}: {state.message or 'no message'}"
    sys.stdout.write(f"{when} run {run.name}: {line}\n")
    sys.stdout.flush()


@flow(name="fintech-metrics", log_prints=True, on_running=[_announce], on_completion=[_announce],
      on_failure=[_announce], on_crashed=[_announce])
def build(raw_dir: str | None = None, warehouse_dir: str | None = None, batch_size: int | None = None,
          runner: str = Runner.process.value, address: str | None = None, workers: int | None = None,
          catalog: str | None = None, data_path: str | None = None) -> RunSummary:
    """Bring the warehouse up to date with the raw folder, then publish a new snapshot. `catalog` and `data_path`:
    the lake's, when not the defaults in the warehouse folder (see the settings of those names).

    Batches of `batch_size` files (default: batch.batch_size_for the files to read and the workers)
    run on `runner`: `process`, a pool of `workers` processes here (default: one per core), or `dask`,
    the cluster whose scheduler is at `address` (none: a LocalCluster of `workers`)."""
    check_runner(runner, address)
    settings = load_settings(raw_dir, warehouse_dir, catalog, data_path)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    run_id = str(flow_run.get_id() or uuid.uuid4())
    with run_lock(settings.warehouse_dir):
        warehouse.clear_staging(settings)
        shown = progress.report()
        shown.phase("scan", unit="files")
        current, known = scan(settings)
        shown.advance(current.height)
        plan = ledger.plan(current, known, EXTRACTOR_VERSION)
        del current, known
        staging = settings.warehouse_dir / ".staging" / run_id
        phases: dict[str, float] = {}

        def lap(name: str) -> None:  # seconds since the previous lap
            phases[name] = time.perf_counter() - clock - sum(phases.values())

        # What the run knows of each file waits on disk while the workers read: the flow's process holds
        # nothing per file during the extraction.
        plan_files = write_frames(staging / "plan", {"to_read": plan.to_read, "holders": plan.holders,
                                                     "missing": plan.missing})
        counts = plan.counts
        del plan
        lap("scan")
        size = batch_size if batch_size is not None else batch.batch_size_for(counts.reading, worker_count(workers))
        staged = _stage(plan_files["to_read"], counts.reading, size, settings, staging, runner, address, workers)
        lap("extract")
        crash_point("extract")
        facts = ledger.RunFacts(run_id, EXTRACTOR_VERSION, str(settings.raw_dir), started,
                                time.perf_counter() - clock, sum(b.counts["quarantine"] for b in staged))
        read_back = (pl.read_parquet(plan_files[part]) for part in ("to_read", "holders", "missing"))
        settled = ledger.settle(_outcomes(staged), *read_back, counts, facts, datetime.now(UTC))
        summary = settled.summary
        files = {name: [b.file(name) for b in staged] for name in batch.STAGED_TABLES}
        inputs = warehouse.write_run_inputs(staging / "run", {
            "new_sources": settled.sources, "owners": settled.owners, "extra_quarantine": settled.duplicates,
            "processed": pl.read_parquet(plan_files["to_read"]), "run_row": settled.run})
        batches = len(staged)
        # The load and the publish work at the writer's memory cap: what the run knew of each file goes first (the
        # files above hold what the load needs).
        del staged, settled
        shown.phase("load")
        load(settings, files, inputs)
        lap("load")
        quarantine = pl.concat([pl.read_parquet(path) for path in [*files["quarantine"], inputs["extra_quarantine"]]])
        shown.phase("publish")
        publish(settings, run_id)
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
