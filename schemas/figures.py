"""The figures table: every figure an article states, keyed by its span."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from fintech_metrics.records import CHANGES, FIGURE_KINDS, QUALIFIERS

from .checks import ISO_DATE, ISO_PERIOD, calendar_valid, money_has_currency_expr

KEY = ("article_id", "start", "end")


class FigureModel(pa.DataFrameModel):
    article_id: pl.String = pa.Field(str_matches=r"^[0-9a-f]{16}$")
    start: pl.Int64 = pa.Field(ge=0)
    end: pl.Int64 = pa.Field(ge=1)
    surface: pl.String = pa.Field(str_length={"min_value": 1})
    kind: pl.String = pa.Field(isin=list(FIGURE_KINDS))
    value: pl.Float64 = pa.Field(nullable=True, description="The number; null for dates (see date_value).")
    date_value: pl.String = pa.Field(nullable=True, str_matches=ISO_DATE,
                                     description="ISO 8601 value of a date figure, at the precision stated.")
    unit: pl.String = pa.Field(nullable=True)
    currency: pl.String = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$")
    qualifier: pl.String = pa.Field(isin=list(QUALIFIERS))
    change: pl.String = pa.Field(nullable=True, isin=list(CHANGES))
    value_from: pl.Float64 = pa.Field(nullable=True)
    date_from: pl.String = pa.Field(nullable=True, str_matches=ISO_DATE)
    subject: pl.String = pa.Field(nullable=True)
    entity: pl.String = pa.Field(nullable=True)
    entity_key: pl.String = pa.Field(nullable=True, str_matches=r"^[a-z0-9_]+$")
    as_of: pl.String = pa.Field(nullable=True, str_matches=ISO_DATE)
    period: pl.String = pa.Field(nullable=True, str_matches=ISO_PERIOD)
    forecast: pl.Boolean
    sentence_start: pl.Int64 = pa.Field(ge=0, description="Where the figure's sentence starts in the article's "
                                        "text (code points); the text is stored once, in articles.text.")
    sentence_end: pl.Int64 = pa.Field(ge=1, description="Where the figure's sentence ends (exclusive).")
    rule: pl.String
    extractor_version: pl.String

    class Config:
        strict = True
        unique = list(KEY)

    @pa.dataframe_check
    def span_inside_text(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("end") > pl.col("start")) & (pl.col("end") - pl.col("start") == pl.col("surface").str.len_chars())
        )

    @pa.dataframe_check
    def sentence_holds_start(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("sentence_start") <= pl.col("start")) & (pl.col("sentence_end") > pl.col("sentence_start"))
        )

    @pa.dataframe_check
    def money_has_currency(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(money_has_currency_expr())

    @pa.dataframe_check
    def date_has_iso_value(cls, data: pa.PolarsData) -> pl.LazyFrame:
        is_date = pl.col("kind") == "date"
        return data.lazyframe.select(
            pl.when(is_date).then(pl.col("date_value").is_not_null() & pl.col("value").is_null())
            .otherwise(pl.col("value").is_not_null() & pl.col("value").is_finite())
        )

    @pa.check("date_value", "date_from", "as_of")
    def calendar_date(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(calendar_valid(pl.col(data.key)))


class FigureStagingModel(FigureModel):
    """Figures before loading: also carry their article's length, to check spans lie inside the text."""

    article_chars: pl.Int64 = pa.Field(ge=1)

    @pa.dataframe_check
    def span_within_article(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("end") <= pl.col("article_chars"))
                                     & (pl.col("sentence_end") <= pl.col("article_chars")))
