"""The period a report covers (METRICS.md 2.4, rule 3): from the sidecar's `report_period`, else from a title that
names the report; it dates what a sentence leaves undated before the published date does (sentences written for
the test)."""

from __future__ import annotations

import json

import pytest

from fintech_metrics.ingest import read_article
from fintech_metrics.parsers import article_figures, article_metrics, report_period_of_title
from fintech_metrics.records import Article, Rejected

TEXT = "金管局監管18個持牌儲值支付工具。"


@pytest.mark.parametrize(("title", "period"), [
    ("金管局2029年年報：國際金融中心", "2029"),
    ("HKMA Annual Report 2029: Banking Stability", "2029"),
    ("The 2029 annual report of the HKMA", "2029"),
    ("众安银行2030年中期报告", "2030-H1"),
    ("金管局公布2029年銀行業統計", None),  # a year in a title is no report's period
    (None, None),
])
def test_a_title_that_names_a_report_gives_its_period(title, period):
    assert report_period_of_title(title) == period


def _article(tmp_path, meta: dict) -> Article:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"language": "zh-Hant", "published": "2030-04-30", **meta}),
                                          encoding="utf-8")
    article = read_article(tmp_path / "a.txt", tmp_path)
    assert isinstance(article, Article)
    return article


@pytest.mark.parametrize(("meta", "as_of"), [
    ({}, ("2030-04-30", "published")),  # no period known: the published date, flagged as the last resort
    ({"report_period": "2029"}, ("2029", "report")),
    ({"title": "金管局2029年年報"}, ("2029", "report")),
    ({"title": "金管局2028年年報", "report_period": "2029"}, ("2029", "report")),  # the sidecar says it outright
])
def test_the_report_period_dates_what_the_sentence_leaves_undated(tmp_path, meta, as_of):
    article = _article(tmp_path, meta)
    rows = article_metrics(article, article_figures(article))
    assert [(r.metric, r.value, r.as_of, r.as_of_source) for r in rows] == [("svf_licensees", 18.0, *as_of)]


def test_a_report_period_that_is_no_period_is_quarantined_with_the_reason(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"report_period": "FY2029"}), encoding="utf-8")
    rejected = read_article(tmp_path / "a.txt", tmp_path)
    assert isinstance(rejected, Rejected)
    assert rejected.reason == "a.meta.json: report_period: 'FY2029' is not a period (YYYY, YYYY-Qn, YYYY-Hn or YYYY-MM)"
