"""Views over the tables, exported to Parquet like them."""

from __future__ import annotations

from dataclasses import dataclass

from fintech_metrics.parsers.metrics import taxonomy


@dataclass(frozen=True)
class View:
    name: str
    sql: str
    order: tuple[str, ...]
    description: str


METRIC_HISTORY = View(
    "metric_history",
    """
    SELECT m.metric, m.entity, m.as_of, m.as_of_end, m.as_of_source, m.period, m.kind, m.value, m.unit, m.qualifier,
           m.change, m.value_from, m.currency, m.value_usd, m.usd_rate, m.usd_rate_table, m.forecast, m.surface,
           a.title, a.source, a.url, a.published, a.language, a.source_path, m.article_id, m.start, m."end"
    FROM metrics m JOIN articles a USING (article_id)
    """,
    ("metric", "entity", "as_of_end", "published", "article_id", "start"),
    "Every metric value over time with the article it came from.",
)

# The first day of as_of at its precision (2025 -> 2025-01-01, 2025-Q3 -> 2025-07-01): a year-only 2025 says less
# than 2025-09-30 and does not outrank it.
_AS_OF_START = """
    CASE
        WHEN length(as_of) = 4 THEN make_date(CAST(as_of AS INTEGER), 1, 1)
        WHEN as_of[6] = 'Q' THEN make_date(CAST(as_of[1:4] AS INTEGER), 3 * CAST(as_of[7] AS INTEGER) - 2, 1)
        WHEN as_of[6] = 'H' THEN make_date(CAST(as_of[1:4] AS INTEGER), 6 * CAST(as_of[7] AS INTEGER) - 5, 1)
        WHEN length(as_of) = 7 THEN make_date(CAST(as_of[1:4] AS INTEGER), CAST(as_of[6:7] AS INTEGER), 1)
        ELSE CAST(as_of AS DATE)
    END"""
_PRECISION = """
    CASE WHEN length(as_of) = 4 THEN 'year' WHEN as_of[6] = 'Q' THEN 'quarter' WHEN as_of[6] = 'H' THEN 'half'
         WHEN length(as_of) = 7 THEN 'month' ELSE 'day' END"""
# Flows are series per coverage (a month's turnover and a quarter's are two series); stocks and rates are not.
_FLOWS = ", ".join(f"'{r.key}'" for r in taxonomy() if r.nature == "flow")
_SERIES = f"""metric, entity, kind, unit, currency,
            CASE WHEN metric IN ({_FLOWS}) THEN as_of_precision || '/' || coalesce(period, '') END"""
_RANKED = f"""
    SELECT h.*, {_PRECISION} AS as_of_precision, {_AS_OF_START} AS as_of_start
    FROM metric_history h
    WHERE entity IS NOT NULL AND as_of_end IS NOT NULL"""

METRIC_LATEST = View(
    "metric_latest",
    f"""
    SELECT * EXCLUDE (rank_in_series, as_of_precision, as_of_start) FROM (
        SELECT r.*, row_number() OVER (
            PARTITION BY {_SERIES}
            ORDER BY as_of_start DESC, as_of_end DESC, (as_of_source = 'published') ASC, (qualifier = 'exact') DESC,
                     published DESC NULLS LAST, source_path, start
        ) AS rank_in_series
        FROM ({_RANKED} AND NOT forecast) r
    ) WHERE rank_in_series = 1
    """,
    ("metric", "entity", "kind", "unit", "currency", "as_of_end", "period"),
    "Per series (metric, entity, kind, unit, currency; for flows also the coverage), the latest value that is not a "
    "forecast and has an entity and an as_of: the latest as_of (a stated date before the published one; then exact "
    "before bounded; then the later article).",
)

METRIC_FORECAST_LATEST = View(
    "metric_forecast_latest",
    f"""
    SELECT * EXCLUDE (rank_in_series, as_of_precision, as_of_start) FROM (
        SELECT r.*, row_number() OVER (
            PARTITION BY metric, entity, kind, unit, currency, period
            ORDER BY as_of_start DESC, as_of_end DESC, (as_of_source = 'published') ASC, (qualifier = 'exact') DESC,
                     published DESC NULLS LAST, source_path, start
        ) AS rank_in_series
        FROM ({_RANKED} AND forecast) r
    ) WHERE rank_in_series = 1
    """,
    ("metric", "entity", "kind", "unit", "currency", "period"),
    "Per series and target period, the forecast made most recently (its as_of).",
)

# The article's own columns beside each figure, so a download needs no join. Not the sentence: a figure row
# carrying its sentence made exports grow with figures x sentence length (the sentence is in articles.text).
FIGURES_IN_CONTEXT = View(
    "figures_in_context",
    """
    SELECT f.*, a.title, a.source, a.url, a.published, a.language, a.source_path
    FROM figures f JOIN articles a USING (article_id)
    """,
    ("article_id", "start"),
    "Every figure with the title, source, URL, published date, language and file of its article.",
)

VIEWS = {v.name: v for v in (METRIC_HISTORY, METRIC_LATEST, METRIC_FORECAST_LATEST, FIGURES_IN_CONTEXT)}


def view_ddl(view: View) -> str:
    return f"CREATE OR REPLACE VIEW {view.name} AS {view.sql.strip()}"
