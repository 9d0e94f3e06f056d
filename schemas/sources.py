"""The sources table: every file the raw folder has held, what it became, and how to tell it changed."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from fintech_metrics.vocabulary import SourceStatus, members

KEY = ("source_path",)
STATUSES = members(SourceStatus)


class SourceModel(pa.DataFrameModel):
    source_path: pl.String = pa.Field(unique=True, description="Relative to the raw folder.")
    article_id: pl.String = pa.Field(nullable=True, description="The article its content is (null if quarantined).")
    status: pl.String = pa.Field(isin=STATUSES, description="loaded, duplicate, quarantined, or missing (deleted).")
    fingerprint: pl.String = pa.Field(description="Size and mtime of the file and its sidecar: a change re-reads it.")
    extractor_version: pl.String

    class Config:
        strict = True
