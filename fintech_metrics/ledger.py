"""A run's bookkeeping, pure: what the run must read (`plan`) and, once the batches are extracted, what each file
became and what the run did (`settle`). Frames in, frames out: no clock, no files, no Prefect, no DuckDB; the
flow reads the clock and the disk and passes what it read, with the extractor's version.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime

import polars as pl

from schemas import TABLES

from . import incremental
from .frames import rejected_frame
from .vocabulary import FileState, RunStatus, SourceStatus


@dataclass(frozen=True)
class FileCounts:
    """The raw folder against the `sources` table: files there now, and how each stands."""

    files_seen: int
    files_new: int
    files_changed: int
    files_unchanged: int
    files_missing: int

    @property
    def reading(self) -> int:
        """Files the run reads: the new and the changed."""
        return self.files_new + self.files_changed


@dataclass(frozen=True)
class Plan:
    """to_read: source_path and fingerprint of each file to read, in path order; holders: article_id and
    source_path of each file loaded before that keeps its article over a newcomer (incremental.holders);
    missing: the `sources` rows of files gone since the last run."""

    counts: FileCounts
    to_read: pl.DataFrame
    holders: pl.DataFrame
    missing: pl.DataFrame


def plan(current: pl.DataFrame, known: pl.DataFrame, version: str) -> Plan:
    """current: incremental.fingerprints of the raw folder now; known: the `sources` table; version: the
    extractor's (a file read by another version is read again)."""
    files = incremental.plan_run(current, known, version)
    counts = FileCounts(current.height, *(files.count(state) for state in (*FileState, SourceStatus.MISSING)))
    return Plan(counts, files.reading(), incremental.holders(known, files), files.missing)


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


@dataclass(frozen=True)
class Settlement:
    """sources: the new `sources` row of every file read or gone; owners: batch, source_path and article_id of
    each file whose rows go in (its batch's rows of that article are inserted); duplicates: the quarantine rows of
    files that repeat another's content; run: the run's `runs` row."""

    summary: RunSummary
    sources: pl.DataFrame
    owners: pl.DataFrame
    duplicates: pl.DataFrame
    run: pl.DataFrame


@dataclass(frozen=True)
class RunFacts:
    """What the flow knows of the run beside the frames: its id, the extractor's version, the raw folder, when
    it started and the seconds so far, and the rows the batches quarantined."""

    run_id: str
    version: str
    raw_dir: str
    started: datetime
    seconds: float
    quarantined_in_batches: int


def settle(outcomes: pl.DataFrame, to_read: pl.DataFrame, holders: pl.DataFrame, missing: pl.DataFrame,
           counts: FileCounts, facts: RunFacts, finished: datetime) -> Settlement:
    """outcomes: batch.OUTCOMES of every file read, with the `batch` whose staged rows hold it; the rest: the
    run's Plan (to_read, holders, missing and counts, as `plan` gave them) and its facts."""
    resolved = incremental.resolve(
        outcomes.select("source_path", "article_id").join(
            to_read.select("source_path", has_meta=incremental.has_sidecar()), on="source_path", how="left"),
        holders)
    duplicates = rejected_frame(incremental.duplicates(resolved))
    owned = resolved.filter(pl.col("status") == SourceStatus.LOADED).select("source_path").join(
        outcomes, on="source_path", how="left", maintain_order="left")
    summary = RunSummary(
        facts.run_id, *(getattr(counts, f.name) for f in fields(counts)), counts.reading, owned.height,
        int(owned["figures"].sum()), int(owned["metrics"].sum()),
        facts.quarantined_in_batches + duplicates.height, round(facts.seconds, 3))
    run = pl.DataFrame([{
        **{k: v for k, v in asdict(summary).items() if k != "seconds"},
        "started_at": facts.started, "finished_at": finished, "status": RunStatus.COMPLETED.value,
        "raw_dir": facts.raw_dir, "extractor_version": facts.version, "seconds": summary.seconds,
        "snapshot_id": None,  # the load's commit makes it
    }], schema=TABLES["runs"].polars_schema())
    return Settlement(summary, _sources(resolved, to_read, missing, facts.version),
                      owned.select("batch", "source_path", "article_id"), duplicates, run)


def _sources(resolved: pl.DataFrame, to_read: pl.DataFrame, missing: pl.DataFrame, version: str) -> pl.DataFrame:
    """The new `sources` rows: each file read (to_read: its path and fingerprint), as resolved, and each file
    gone since the last run (missing: its `sources` row)."""
    schema = TABLES["sources"].polars_schema()
    read = resolved.join(to_read, on="source_path", how="left",
                         maintain_order="left").with_columns(extractor_version=pl.lit(version))
    gone = missing.with_columns(status=pl.lit(SourceStatus.MISSING.value))
    return pl.concat([read.select(schema.keys()), gone.select(schema.keys())]).cast(schema)
