"""The runs table: one row per flow run."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from fintech_metrics.vocabulary import RunStatus, members

KEY = ("run_id",)


class RunModel(pa.DataFrameModel):
    run_id: pl.String
    started_at: pl.Datetime(time_zone="UTC")
    finished_at: pl.Datetime(time_zone="UTC") = pa.Field(nullable=True)
    status: pl.String = pa.Field(isin=members(RunStatus))
    raw_dir: pl.String
    files_seen: pl.Int64 = pa.Field(ge=0)
    files_new: pl.Int64 = pa.Field(ge=0)
    files_changed: pl.Int64 = pa.Field(ge=0)
    files_unchanged: pl.Int64 = pa.Field(ge=0)
    files_missing: pl.Int64 = pa.Field(ge=0)
    articles_read: pl.Int64 = pa.Field(ge=0)
    articles_loaded: pl.Int64 = pa.Field(ge=0)
    figures_loaded: pl.Int64 = pa.Field(ge=0)
    metrics_loaded: pl.Int64 = pa.Field(ge=0)
    rows_quarantined: pl.Int64 = pa.Field(ge=0)
    extractor_version: pl.String
    seconds: pl.Float64 = pa.Field(ge=0)
    snapshot_id: pl.Int64 = pa.Field(nullable=True, description="The warehouse snapshot the run committed.")

    class Config:
        strict = True
