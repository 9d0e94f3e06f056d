"""The metrics table: figures that measure a known metric, in canonical, language-neutral keys."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from fintech_metrics.parsers.metrics import taxonomy
from fintech_metrics.records import AS_OF_SOURCES, CHANGES, FIGURE_KINDS, QUALIFIERS

from .checks import ISO_DATE, ISO_PERIOD, money_has_currency_expr

KEY = ("article_id", "start", "end")
SNAKE = r"^[a-z][a-z0-9_]*$"


class MetricModel(pa.DataFrameModel):
    metric: pl.String = pa.Field(isin=[rule.key for rule in taxonomy()], description="Canonical key (metrics.toml).")
    entity: pl.String = pa.Field(nullable=True, str_matches=SNAKE, description="Canonical entity key.")
    kind: pl.String = pa.Field(isin=[k for k in FIGURE_KINDS if k != "date"])
    value: pl.Float64
    unit: pl.String = pa.Field(nullable=True)
    currency: pl.String = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$")
    value_usd: pl.Float64 = pa.Field(nullable=True, description="Money in USD at the reference rates (rates.toml).")
    usd_rate: pl.Float64 = pa.Field(nullable=True, gt=0, description="USD per unit of currency used for value_usd.")
    usd_rate_table: pl.String = pa.Field(nullable=True, description="The rate table's span and source.")
    qualifier: pl.String = pa.Field(isin=list(QUALIFIERS))
    change: pl.String = pa.Field(nullable=True, isin=list(CHANGES))
    value_from: pl.Float64 = pa.Field(nullable=True)
    as_of: pl.String = pa.Field(nullable=True, str_matches=ISO_DATE, description="When the figure holds.")
    as_of_end: pl.Date = pa.Field(nullable=True, description="Last day of as_of, for ordering only.")
    as_of_source: pl.String = pa.Field(nullable=True, isin=list(AS_OF_SOURCES),
                                       description="Where as_of was read: sentence, lead, report, dateline, published.")
    period: pl.String = pa.Field(nullable=True, str_matches=ISO_PERIOD, description="Target year or span.")
    forecast: pl.Boolean
    article_id: pl.String = pa.Field(str_matches=r"^[0-9a-f]{16}$")
    start: pl.Int64 = pa.Field(ge=0)
    end: pl.Int64 = pa.Field(ge=1)
    surface: pl.String
    rule: pl.String
    extractor_version: pl.String

    class Config:
        strict = True
        unique = list(KEY)

    @pa.dataframe_check
    def money_has_currency(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(money_has_currency_expr())
