"""One batch of article files to validated rows on disk: read, decode, extract, validate, stage.
No Prefect here, so the flow's tasks stay thin and the same code runs in tests, benchmarks and on
any task runner (workers write Parquet and return only small summaries)."""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .frames import articles_frame, figures_frame, metrics_frame, rejected_frame
from .ingest import excerpt, read_article
from .parsers import EXTRACTOR_VERSION, article_figures, article_metrics
from .records import Article, Figure, Metric, Rejected
from .validation import validate_batch
from .vocabulary import Stage

STAGED_TABLES = ("articles", "figures", "metrics", "quarantine")
# A task costs about 0.15 s of Prefect bookkeeping (API calls from the worker and the server's work on
# them) and validating a batch about 70 ms whatever its size: bigger batches spread both thinner. A worker
# holds one batch in memory (about 390 MB at 2,000 articles), and the last batches decide when the
# workers finish together: four or more per worker keep that tail short.
MIN_BATCH, MAX_BATCH, BATCHES_PER_WORKER = 500, 2000, 4
# Allocations between two young-generation collections while a batch is read (Python's default is 700). A chunk
# keeps every figure it finds until its frames are built, and each full collection walks them all again: 3% of
# a worker's time at 2,000 articles a batch. The parsers make few reference cycles, so little waits longer.
BATCH_GC_THRESHOLD = 20_000
# Articles whose figures are held as Python objects at once: they become frames a chunk at a time. The whole
# batch as objects and as frames together peaked at 472 MB for 2,000 articles; in chunks of 250, 392 MB.
CHUNK_ARTICLES = 250
# The staged files live only until the load reads them once: lz4 costs a worker about half of zstd's time (0.06 ms
# an article less at 2,000 a batch) and the load less to read, for files about 1.6 times the size.
STAGED_COMPRESSION = "lz4"


def batch_size_for(files: int, workers: int) -> int:
    """Articles per task when none is asked for: about BATCHES_PER_WORKER batches per worker, between
    MIN_BATCH and MAX_BATCH articles."""
    return max(MIN_BATCH, min(MAX_BATCH, math.ceil(files / (max(1, workers) * BATCHES_PER_WORKER))))


@dataclass(frozen=True)
class BatchResult:
    articles: pl.DataFrame
    figures: pl.DataFrame
    metrics: pl.DataFrame
    rejected: pl.DataFrame


# What became of each file of a batch: its article id (null: quarantined) and, for an article, its rows.
OUTCOMES = {"source_path": pl.String, "article_id": pl.String, "figures": pl.Int64, "metrics": pl.Int64}


@dataclass(frozen=True)
class StagedBatch:
    """What a worker hands back: the folder holding `<table>.parquet` for each staged table and
    `outcomes.parquet` (OUTCOMES, a row per file), and the rows per table. Per-file facts stay in the
    folder: the flow reads them as one frame, not as a Python object per file."""

    folder: Path
    counts: dict[str, int]

    def file(self, table: str) -> Path:
        return self.folder / f"{table}.parquet"

    @property
    def outcomes(self) -> Path:
        return self.file("outcomes")


@contextmanager
def _fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(BATCH_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def extract_batch(paths: list[Path], raw_root: Path) -> BatchResult:
    with _fewer_collections():
        parts = [_extract_chunk(paths[i:i + CHUNK_ARTICLES], raw_root) for i in range(0, len(paths), CHUNK_ARTICLES)]
    if not parts:
        return _extract_chunk([], raw_root)
    return BatchResult(*(pl.concat([getattr(part, name) for part in parts])
                         for name in ("articles", "figures", "metrics", "rejected")))


def _extract_chunk(paths: list[Path], raw_root: Path) -> BatchResult:
    articles: list[Article] = []
    rejected: list[Rejected] = []
    figures: list[Figure] = []
    metrics: list[Metric] = []
    for path in paths:
        item = read_article(path, raw_root)
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        try:
            found = article_figures(item)
            measured = article_metrics(item, found)
        except Exception as exc:  # noqa: BLE001 - a parser bug must cost one article, not every run
            rejected.append(_unextractable(item, exc))
            continue
        articles.append(item)
        figures.extend(found)
        metrics.extend(measured)
    return BatchResult(
        articles_frame(articles, EXTRACTOR_VERSION),
        figures_frame(figures, EXTRACTOR_VERSION),
        metrics_frame(metrics, EXTRACTOR_VERSION),
        rejected_frame(rejected),
    )


def _unextractable(article: Article, exc: Exception) -> Rejected:
    reason = (f"the parsers failed on this article ({type(exc).__name__}: {excerpt(str(exc), 120)}); "
              "it is a bug: report it with the file")
    return Rejected(article.source_path, Stage.VALIDATE.value, "extractable", reason,
                    json.dumps({"article_id": article.article_id, "error": type(exc).__name__}))


def stage_batch(paths: list[Path], raw_root: Path, out_dir: Path) -> StagedBatch:
    """Extract and validate a batch, and write its rows to `out_dir/<table>.parquet`."""
    result = extract_batch(paths, raw_root)
    # Two files with one content in the same batch: keep the rows of the first (the caller puts the copy it
    # prefers, one with a sidecar, first).
    frames = validate_batch(
        result.articles.unique(subset="article_id", keep="first", maintain_order=True),
        result.figures.unique(subset=["article_id", "start", "end"], keep="first", maintain_order=True),
        result.metrics.unique(subset=["article_id", "start", "end"], keep="first", maintain_order=True),
    )
    frames["quarantine"] = pl.concat([result.rejected, frames["quarantine"]])
    # An article that passed validation is one the join finds here (`valid`); any other file's id is dropped.
    counts = [frames[name].group_by("article_id").agg(pl.len().alias(name)) for name in ("figures", "metrics")]
    per_article = frames["articles"].select("article_id", valid=pl.lit(True)).join(
        counts[0], on="article_id", how="left").join(counts[1], on="article_id", how="left")
    outcomes = pl.concat([
        result.rejected.select("source_path", article_id=pl.lit(None, pl.String)),
        result.articles.select("source_path", "article_id"),
    ]).join(per_article, on="article_id", how="left", maintain_order="left").select(
        "source_path", article_id=pl.when(pl.col("valid")).then(pl.col("article_id")),
        figures=pl.col("figures").fill_null(0), metrics=pl.col("metrics").fill_null(0),
    ).cast(OUTCOMES)
    out_dir.mkdir(parents=True, exist_ok=True)
    staged = StagedBatch(out_dir, {name: frames[name].height for name in STAGED_TABLES})
    for name in STAGED_TABLES:
        frames[name].write_parquet(staged.file(name), compression=STAGED_COMPRESSION)
    outcomes.write_parquet(staged.outcomes, compression=STAGED_COMPRESSION)
    return staged
