"""Pandera validation that quarantines failing rows with their reasons instead of failing the run."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

from schemas import TABLES
from schemas.figures import KEY, FigureStagingModel

from .frames import quarantine_id, to_json
from .vocabulary import Stage

_ROW = "__row"


def split_valid(df: pl.DataFrame, model: type[pa.DataFrameModel], table: str
                ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows that pass, quarantine rows for those that fail, one per row with every failed check).

    A failure that is not about a row (a missing column, a wrong dtype) is a bug in the code that
    built the frame, so it is raised, not quarantined.
    """
    try:
        model.validate(df, lazy=True)
        return df, TABLES["quarantine"].empty()
    except SchemaErrors as err:
        cases = err.failure_cases
    if cases["index"].null_count():
        raise RuntimeError(
            f"{table}: schema-level validation failure (a code bug, not bad data):\n{cases}"
        )
    reasons = (
        cases.with_columns(pl.col("index").cast(pl.UInt32))
        .group_by("index")
        .agg(
            pl.col("check").str.replace(r"\(.*$", "").unique(maintain_order=True).str.join("; ")
            .alias("failed_check"),
            pl.format("{} failed {} (value: {})", pl.col("column"), pl.col("check"), pl.col("failure_case"))
            .unique(maintain_order=True).str.join("; ").alias("reason"),
        )
    )
    indexed = df.with_row_index(_ROW)
    bad = indexed.join(reasons, left_on=_ROW, right_on="index", how="inner").sort(_ROW)
    good = indexed.join(reasons, left_on=_ROW, right_on="index", how="anti").drop(_ROW)
    rows = []
    for row in bad.iter_rows(named=True):
        values = {k: v for k, v in row.items() if k not in (_ROW, "failed_check", "reason", "text")}
        source = row.get("source_path") or row.get("article_id") or ""
        rows.append({
            "quarantine_id": quarantine_id(source, "validate", table, row["failed_check"], to_json(values)),
            "source_path": source, "article_id": row.get("article_id"), "stage": Stage.VALIDATE.value,
            "table_name": table, "failed_check": row["failed_check"], "reason": row["reason"],
            "values": to_json(values),
        })
    return good, pl.DataFrame(rows, schema=TABLES["quarantine"].polars_schema())


def validate_batch(articles: pl.DataFrame, figures: pl.DataFrame, metrics: pl.DataFrame | None = None
                   ) -> dict[str, pl.DataFrame]:
    """Validated articles, figures, metrics and the quarantine. A quarantined article takes its
    figures with it, and a quarantined figure its metric."""
    metrics = TABLES["metrics"].empty() if metrics is None else metrics
    good_articles, bad_articles = split_valid(articles, TABLES["articles"].model, "articles")
    staged = figures.join(articles.select("article_id", pl.col("char_count").alias("article_chars")),
                          on="article_id", how="left").with_columns(pl.col("article_chars").fill_null(0))
    good_figures, bad_figures = split_valid(staged, FigureStagingModel, "figures")
    good_figures = good_figures.drop("article_chars").join(good_articles.select("article_id"), on="article_id",
                                                           how="semi")
    good_metrics, bad_metrics = split_valid(metrics, TABLES["metrics"].model, "metrics")
    good_metrics = good_metrics.join(good_figures.select(*KEY), on=list(KEY), how="semi")
    source_of = dict(zip(articles["article_id"], articles["source_path"], strict=True))
    quarantine = pl.concat([bad_articles, bad_figures, bad_metrics]).with_columns(
        pl.col("source_path").replace_strict(source_of, default=pl.col("source_path"))
    )
    return {"articles": good_articles, "figures": good_figures, "metrics": good_metrics, "quarantine": quarantine}
