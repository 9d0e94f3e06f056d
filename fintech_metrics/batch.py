"""One batch of article files to frames: read, decode, extract. No Prefect here, so the flow's tasks
stay thin and the same code runs in tests, benchmarks and on any task runner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .frames import articles_frame, figures_frame, metrics_frame, rejected_frame
from .ingest import read_article
from .parsers import EXTRACTOR_VERSION, extract_figures, metrics_of
from .records import Article, Figure, Metric, Rejected


@dataclass(frozen=True)
class BatchResult:
    articles: pl.DataFrame
    figures: pl.DataFrame
    metrics: pl.DataFrame
    rejected: pl.DataFrame


def figures_of(article: Article) -> list[Figure]:
    return extract_figures(article.text, published=article.published, language=article.language,
                           article_id=article.article_id)


def extract_batch(paths: list[Path], raw_root: Path) -> BatchResult:
    articles: list[Article] = []
    rejected: list[Rejected] = []
    figures: list[Figure] = []
    metrics: list[Metric] = []
    for path in paths:
        item = read_article(path, raw_root)
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        articles.append(item)
        found = figures_of(item)
        figures.extend(found)
        metrics.extend(metrics_of(found))
    return BatchResult(
        articles_frame(articles, EXTRACTOR_VERSION),
        figures_frame(figures, EXTRACTOR_VERSION),
        metrics_frame(metrics, EXTRACTOR_VERSION),
        rejected_frame(rejected),
    )


def drop_duplicates(articles: pl.DataFrame) -> tuple[pl.DataFrame, list[Rejected]]:
    """The same content under two paths is one article: the first path (sorted) keeps it.
    Its figures and metrics are the same rows either way; loading de-duplicates them by key."""
    ordered = articles.sort("source_path")
    first = ordered.unique(subset="article_id", keep="first", maintain_order=True)
    dupes = ordered.join(first.select("source_path"), on="source_path", how="anti")
    kept_path = dict(zip(first["article_id"], first["source_path"], strict=True))
    rejected = [
        Rejected(row["source_path"], "duplicate", "unique_content",
                 f"same content as {kept_path[row['article_id']]} (article_id {row['article_id']})",
                 None)
        for row in dupes.iter_rows(named=True)
    ]
    return first, rejected
