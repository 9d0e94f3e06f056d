"""The table registry: names, keys and DDL derived from the Pandera models, so each is defined once."""

from __future__ import annotations

from dataclasses import dataclass

import pandera.polars as pa
import polars as pl

_DUCKDB_TYPES = {
    pl.String: "VARCHAR",
    pl.Int64: "BIGINT",
    pl.Int32: "INTEGER",
    pl.Float64: "DOUBLE",
    pl.Boolean: "BOOLEAN",
    pl.Datetime: "TIMESTAMP WITH TIME ZONE",
    pl.Date: "DATE",
}


@dataclass(frozen=True)
class Table:
    name: str
    model: type[pa.DataFrameModel]
    key: tuple[str, ...]
    description: str

    @property
    def columns(self) -> dict[str, pl.DataType]:
        return {name: col.dtype.type for name, col in self.model.to_schema().columns.items()}

    def polars_schema(self) -> pl.Schema:
        return pl.Schema(self.columns)

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema())


def duckdb_type(dtype: pl.DataType) -> str:
    base = dtype.base_type() if hasattr(dtype, "base_type") else dtype
    return _DUCKDB_TYPES[base]


def ddl(table: Table) -> str:
    """CREATE TABLE for the DuckLake: columns, types and NOT NULL (a lake table has no keys nor column compression:
    the load keeps keys unique, one batch owning each article)."""
    schema = table.model.to_schema()
    lines = [f'    "{name}" {duckdb_type(col.dtype.type)}{"" if col.nullable else " NOT NULL"}'
             for name, col in schema.columns.items()]
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n" + ",\n".join(lines) + "\n)"


def _registry() -> dict[str, Table]:
    from .articles import KEY as ARTICLE_KEY
    from .articles import ArticleModel
    from .figures import KEY as FIGURE_KEY
    from .figures import FigureModel
    from .metrics import KEY as METRIC_KEY
    from .metrics import MetricModel
    from .quarantine import KEY as QUARANTINE_KEY
    from .quarantine import QuarantineModel
    from .runs import KEY as RUN_KEY
    from .runs import RunModel
    from .sources import KEY as SOURCE_KEY
    from .sources import SourceModel

    tables = [
        Table("articles", ArticleModel, ARTICLE_KEY, "One row per article read from raw/: metadata and decoded text."),
        Table("figures", FigureModel, FIGURE_KEY, "Every figure an article states, with its span and attribution."),
        Table("metrics", MetricModel, METRIC_KEY,
              "One row per figure that measures a known metric: canonical metric and entity keys, as_of, period."),
        Table("quarantine", QuarantineModel, QUARANTINE_KEY,
              "Inputs and rows that could not be loaded, with the check that failed and the values."),
        Table("sources", SourceModel, SOURCE_KEY,
              "Every file the raw folder has held: what it became (loaded, duplicate, quarantined, missing)."),
        Table("runs", RunModel, RUN_KEY, "One row per flow run: when, how it ended, and its counts."),
    ]
    return {t.name: t for t in tables}


TABLES = _registry()
