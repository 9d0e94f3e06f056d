"""Records to typed Polars frames, one builder per table: the columns come from the schemas."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from operator import attrgetter
from pathlib import Path

import polars as pl

from schemas import TABLES

from .records import Article, Figure, Metric, Rejected


def articles_frame(articles: Iterable[Article], version: str) -> pl.DataFrame:
    rows = [
        {
            "article_id": a.article_id, "source_path": a.source_path, "title": a.title, "source": a.source,
            "url": a.url, "language": a.language, "published": a.published, "encoding": a.encoding,
            "char_count": a.char_count, "content_sha256": a.content_sha256, "text": a.text,
            "extractor_version": version, "present": True,
        }
        for a in articles
    ]
    return pl.DataFrame(rows, schema=TABLES["articles"].polars_schema())


# The figure fields a figures frame stores as they are; `value` and `value_from` become number or date columns.
_SAME = ("article_id", "start", "end", "surface", "kind", "unit", "currency", "qualifier", "change", "subject",
         "entity", "entity_key", "as_of", "period", "forecast", "sentence_start", "sentence_end", "rule")
_FIGURE_FIELDS = attrgetter(*_SAME, "value", "value_from")


def figures_frame(figures: Iterable[Figure], version: str) -> pl.DataFrame:
    # Built column by column: a frame from one dict per row cost more than validating it. One attrgetter call per
    # figure, then a transpose, costs less than a getattr per field.
    rows = list(map(_FIGURE_FIELDS, figures))
    transposed = zip(*rows, strict=True) if rows else [()] * (len(_SAME) + 2)
    columns: dict[str, Sequence] = dict(zip((*_SAME, "value", "value_from"), transposed, strict=True))
    values, values_from = columns.pop("value"), columns.pop("value_from")
    is_date = [kind == "date" for kind in columns["kind"]]
    columns["value"] = [None if d else float(v) for v, d in zip(values, is_date, strict=True)]
    columns["date_value"] = [str(v) if d else None for v, d in zip(values, is_date, strict=True)]
    columns["value_from"] = [None if d or v is None else float(v) for v, d in zip(values_from, is_date, strict=True)]
    columns["date_from"] = [str(v) if d and v is not None else None for v, d in zip(values_from, is_date, strict=True)]
    columns["extractor_version"] = [version] * len(rows)
    schema = TABLES["figures"].polars_schema()
    return pl.DataFrame({name: columns[name] for name in schema}, schema=schema)


def metrics_frame(metrics: Iterable[Metric], version: str) -> pl.DataFrame:
    rows = []
    for m in metrics:
        row = {name: getattr(m, name) for name in Metric.__slots__}
        row["as_of_end"] = date.fromisoformat(m.as_of_end) if m.as_of_end else None
        row["extractor_version"] = version
        rows.append(row)
    return pl.DataFrame(rows, schema=TABLES["metrics"].polars_schema())


def quarantine_id(*parts: str | None) -> str:
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:16]


def rejected_frame(rejected: Iterable[Rejected]) -> pl.DataFrame:
    rows = [
        {
            "quarantine_id": quarantine_id(r.source_path, r.stage, r.failed_check, r.values),
            "source_path": r.source_path, "article_id": None, "stage": r.stage, "table_name": None,
            "failed_check": r.failed_check, "reason": r.reason, "values": r.values,
        }
        for r in rejected
    ]
    return pl.DataFrame(rows, schema=TABLES["quarantine"].polars_schema())


def write_frames(folder: Path, frames: dict[str, pl.DataFrame]) -> dict[str, Path]:
    """Each frame to `<folder>/<name>.parquet`; the path of each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"{name}.parquet" for name in frames}
    for name, frame in frames.items():
        frame.write_parquet(paths[name])
    return paths


def to_json(values: dict) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
