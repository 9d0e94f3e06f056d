"""The quarantine table: every input or row that could not be loaded, and why."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from fintech_metrics.vocabulary import Stage, members

KEY = ("quarantine_id",)
STAGES = members(Stage)


class QuarantineModel(pa.DataFrameModel):
    quarantine_id: pl.String = pa.Field(str_matches=r"^[0-9a-f]{16}$", unique=True)
    source_path: pl.String
    article_id: pl.String = pa.Field(nullable=True)
    stage: pl.String = pa.Field(isin=STAGES)
    table_name: pl.String = pa.Field(nullable=True, description="For stage validate: the table the row was for.")
    failed_check: pl.String
    reason: pl.String
    values: pl.String = pa.Field(nullable=True, description="JSON of the offending values.")

    class Config:
        strict = True
