"""The articles table: one row per article loaded from the raw folder."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from .checks import ISO_DATE, calendar_valid

KEY = ("article_id",)
LANGUAGES = ["zh-Hans", "zh-Hant", "en", "und"]


class ArticleModel(pa.DataFrameModel):
    article_id: pl.String = pa.Field(str_matches=r"^[0-9a-f]{16}$", unique=True)
    source_path: pl.String = pa.Field(str_length={"min_value": 1})
    title: pl.String = pa.Field(nullable=True)
    source: pl.String = pa.Field(nullable=True)
    url: pl.String = pa.Field(nullable=True)
    language: pl.String = pa.Field(isin=LANGUAGES)
    published: pl.String = pa.Field(nullable=True, str_matches=ISO_DATE)
    encoding: pl.String
    char_count: pl.Int64 = pa.Field(ge=1)
    content_sha256: pl.String = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    text: pl.String
    extractor_version: pl.String
    present: pl.Boolean = pa.Field(description="False once every file holding it was deleted from raw/.")

    class Config:
        strict = True

    @pa.check("published")
    def calendar_date(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(calendar_valid(pl.col(data.key)))

    @pa.dataframe_check
    def char_count_matches_text(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("text").str.len_chars() == pl.col("char_count"))
