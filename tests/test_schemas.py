"""The DDL agrees with the Pandera models, and bad rows land in quarantine with their reasons."""

from __future__ import annotations

import json

import duckdb
import polars as pl
import pytest

from fintech_metrics.frames import figures_frame
from fintech_metrics.parsers import extract_figures
from fintech_metrics.records import Figure
from fintech_metrics.settings import Settings
from fintech_metrics.validation import validate_batch as _validate_batch
from fintech_metrics.warehouse import connect
from schemas import TABLES
from schemas.tables import duckdb_type


def validate_batch(articles, figures):
    out = _validate_batch(articles, figures)
    return out["articles"], out["figures"], out["quarantine"]


@pytest.fixture
def con(tmp_path):
    with connect(Settings(tmp_path / "raw", tmp_path / "w")) as c:
        yield c


@pytest.mark.parametrize("name", sorted(TABLES))
def test_duckdb_tables_match_the_models(con: duckdb.DuckDBPyConnection, name: str):
    table = TABLES[name]
    described = con.sql(f"DESCRIBE {name}").fetchall()
    schema = table.model.to_schema()
    assert [(r[0], r[1], r[2] == "YES") for r in described] == [
        (col, duckdb_type(c.dtype.type), c.nullable) for col, c in schema.columns.items()
    ]


def _article(article_id="a" * 16, text="香港的金融科技公司已超过1200家。", **over):
    row = {
        "article_id": article_id, "source_path": "x.txt", "title": None, "source": None, "url": None,
        "language": "zh-Hans", "published": "2025-11", "encoding": "utf-8", "char_count": len(text),
        "content_sha256": "b" * 64, "text": text, "extractor_version": "v", "present": True,
    }
    row.update(over)
    return pl.DataFrame([row], schema=TABLES["articles"].polars_schema())


def _figure(**over):
    base = dict(start=10, end=17, surface="超过1200家", kind="count", value=1200, unit="家", qualifier="more_than",
                article_id="a" * 16, rule="test", sentence_start=0, sentence_end=18)
    base.update(over)
    return Figure(**base)


def test_a_good_batch_passes_untouched():
    articles = _article()
    figures = figures_frame([_figure()], "v")
    good_a, good_f, bad = validate_batch(articles, figures)
    assert (good_a.height, good_f.height, bad.height) == (1, 1, 0)


@pytest.mark.parametrize("figure, check", [
    (_figure(kind="money", unit="美元", currency=None), "money_has_currency"),
    (_figure(qualifier="roughly"), "isin"),
    (_figure(end=40, surface="x" * 30, start=10), "span_within_article"),
    (_figure(surface="超过1200"), "span_inside_text"),
    (_figure(sentence_start=12), "sentence_holds_start"),
    (_figure(sentence_end=30), "span_within_article"),
    (_figure(kind="date", value="2025-02-30", unit=None, qualifier="exact"), "calendar_date"),
    (_figure(kind="date", value="2025-13", unit=None, qualifier="exact"), "str_matches"),
    (_figure(currency="usd", kind="money"), "str_matches"),
])
def test_a_bad_figure_lands_in_quarantine_with_its_reason(figure, check):
    articles = _article()
    figures = figures_frame([figure, _figure(start=0, end=2, surface="香港")], "v")
    good_a, good_f, bad = validate_batch(articles, figures)
    assert good_a.height == 1
    assert good_f["start"].to_list() == [0]
    assert bad.height == 1
    row = bad.row(0, named=True)
    assert check in row["failed_check"]
    assert (row["stage"], row["table_name"], row["source_path"]) == ("validate", "figures", "x.txt")
    values = json.loads(row["values"])
    assert values["start"] == figure.start and values["surface"] == figure.surface
    assert row["reason"]


@pytest.mark.parametrize("text, language, dates", [
    ("於8月推出，12月3日上線。", "zh-Hant", ["--08", "--12-03"]),
    ("The app launched on 3 December; the pilot ends on 8 August.", "en", ["--08-08", "--12-03"]),
])
def test_dates_without_a_year_pass_validation(text, language, dates):
    """An article with no publication date states months and days the parsers cannot place in a year."""
    found = extract_figures(text, language=language, article_id="a" * 16)
    articles = _article(text=text, language=language, published=None)
    _, good_f, bad = validate_batch(articles, figures_frame(found, "v"))
    assert sorted(good_f.filter(pl.col("kind") == "date")["date_value"].to_list()) == dates
    assert bad.height == 0


def test_a_bad_article_takes_its_figures_with_it():
    articles = pl.concat([_article(), _article("c" * 16, language="fr", source_path="y.txt")])
    figures = figures_frame([_figure(), _figure(article_id="c" * 16)], "v")
    good_a, good_f, bad = validate_batch(articles, figures)
    assert good_a["article_id"].to_list() == ["a" * 16]
    assert good_f["article_id"].to_list() == ["a" * 16]
    row = bad.row(0, named=True)
    assert (row["source_path"], row["table_name"], row["failed_check"]) == ("y.txt", "articles", "isin")
    assert "language" in row["reason"] and "fr" in row["reason"]


def test_article_text_is_stored_with_zstd(con: duckdb.DuckDBPyConnection, tmp_path):
    """The lake's Parquet files are zstd: DuckDB's default (snappy) stored the texts at about three times the size."""
    texts = [f"第{i}篇：" + "香港金融科技发展迅速。" * 90 for i in range(3000)]
    rows = pl.concat([_article(article_id=f"{i:016x}", text=t) for i, t in enumerate(texts)])
    con.register("rows", rows)
    con.execute(f"INSERT INTO articles SELECT {', '.join(TABLES['articles'].columns)} FROM rows").fetchall()
    files = [str(p) for p in (tmp_path / "w" / "data").rglob("*.parquet")]
    assert files
    methods = con.execute("SELECT DISTINCT compression FROM parquet_metadata(?) WHERE path_in_schema = 'text'",
                          [files]).fetchall()
    assert methods == [("ZSTD",)]


@pytest.mark.parametrize("text, surface", [
    ("新规给予3.5个月的过渡期，产品期限为5.5年。", "3.5个月"),
    ("The grace period of 3.5 months ends in June.", "3.5 months"),
])
def test_a_fractional_duration_is_a_valid_figure(text, surface):
    language = "en" if text.isascii() else "zh-Hans"
    figures = extract_figures(text, published="2025-11", language=language, article_id="a" * 16)
    duration = next(f for f in figures if f.surface == surface)
    assert duration.kind == "duration" and duration.value == 3.5
    for f in figures:
        f.period = f.period or "P3.5M"  # the period a fractional duration gives the figures after it
    _, valid, quarantine = validate_batch(_article(text=text, language=language), figures_frame(figures, "v"))
    assert quarantine.height == 0, quarantine.to_dicts()
    assert valid.height == len(figures)
