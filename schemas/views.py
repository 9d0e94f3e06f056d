"""Views over the tables, exported to Parquet like them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    name: str
    sql: str
    order: tuple[str, ...]
    description: str


METRIC_HISTORY = View(
    "metric_history",
    """
    SELECT m.metric, m.entity, m.as_of, m.as_of_end, m.period, m.kind, m.value, m.qualifier, m.change,
           m.value_from, m.currency, m.value_usd, m.forecast, m.surface,
           a.title, a.source, a.url, a.published, a.language, a.source_path, m.article_id, m.start, m."end"
    FROM metrics m JOIN articles a USING (article_id)
    """,
    ("metric", "entity", "as_of_end", "published", "article_id", "start"),
    "Every metric value over time with the article it came from.",
)

METRIC_LATEST = View(
    "metric_latest",
    """
    SELECT * EXCLUDE (rank_in_series) FROM (
        SELECT h.*, row_number() OVER (
            PARTITION BY metric, entity
            ORDER BY as_of_end DESC NULLS LAST, published DESC NULLS LAST, article_id, start
        ) AS rank_in_series
        FROM metric_history h
    ) WHERE rank_in_series = 1
    """,
    ("metric", "entity"),
    "Per metric and entity, the value with the latest as_of (ties: the latest article).",
)

VIEWS = {v.name: v for v in (METRIC_HISTORY, METRIC_LATEST)}


def view_ddl(view: View) -> str:
    return f"CREATE OR REPLACE VIEW {view.name} AS {view.sql.strip()}"
