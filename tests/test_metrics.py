"""Figures become canonical metrics that line up across articles and languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fintech_metrics.parsers import extract_figures, metrics_of
from fintech_metrics.parsers.metrics import period_end, taxonomy, to_usd

FIXTURES = Path(__file__).parent / "fixtures"
FIELDS = ("metric", "entity", "value", "qualifier", "change", "value_from", "currency", "as_of", "period",
          "forecast")


def metric_rows(text: str, published: str = "2025-11", language: str | None = None) -> list[dict]:
    figures = extract_figures(text, published=published, language=language, article_id="0" * 16)
    return [{k: getattr(m, k) for k in FIELDS} for m in metrics_of(figures)]


def test_the_shipped_article_yields_exactly_the_gold_metrics(article_text):
    gold = json.loads((FIXTURES / "hk-fintech-week-2025.metrics.json").read_text("utf-8"))
    assert metric_rows(article_text) == [{k: g[k] for k in FIELDS} for g in gold["metrics"]]


SIMPLIFIED = (
    "香港的金融科技公司已超过1200家,预计到2032年,该行业总收入将超过6000亿美元,年增长率高达28%。\n"
    "香港金融管理局的数据显示,已有超过75%的香港银行将AI融入业务。\n"
    "截至2025年10月,生成式AI沙盒第二期已吸引20家银行及14家科技公司参与,形成27个创新用例。\n"
)
TRADITIONAL = (
    "香港的金融科技公司已超過1,200家,預計到2032年,該行業總收入將超過6,000億美元,年增長率高達28%。\n"
    "香港金融管理局的數據顯示,已有超過75%的香港銀行將AI融入業務。\n"
    "截至2025年10月,生成式AI沙盒第二期已吸引20家銀行及14家科技公司參與,形成27個創新用例。\n"
)


def test_traditional_chinese_lands_on_the_same_metrics_as_simplified():
    simplified = metric_rows(SIMPLIFIED, language="zh-Hans")
    assert [(r["metric"], r["entity"]) for r in simplified] == [
        ("fintech_companies", "hong_kong"),
        ("fintech_industry_revenue", "hong_kong"),
        ("fintech_industry_growth_rate", "hong_kong"),
        ("banks_using_ai_share", "hong_kong"),
        ("genai_sandbox_banks", "hkma_genai_sandbox_cohort_2"),
        ("genai_sandbox_tech_firms", "hkma_genai_sandbox_cohort_2"),
        ("genai_sandbox_use_cases", "hkma_genai_sandbox_cohort_2"),
    ]
    assert metric_rows(TRADITIONAL, language="zh-Hant") == simplified


def test_a_figure_matching_no_metric_stays_only_a_figure():
    text = "该平台目前提供35个功能。"
    figures = extract_figures(text)
    assert [f.surface for f in figures] == ["35个功能"]
    assert metrics_of(figures) == []


def test_every_taxonomy_entry_is_well_formed():
    keys = [rule.key for rule in taxonomy()]
    assert len(keys) == len(set(keys))
    for rule in taxonomy():
        assert rule.description and rule.kinds and rule.subjects
        assert "date" not in rule.kinds


@pytest.mark.parametrize("iso, end", [
    ("2025", "2025-12-31"), ("2025-11", "2025-11-30"), ("2024-02", "2024-02-29"), ("2025-11-03", "2025-11-03"),
    ("2025-Q3", "2025-09-30"), ("2025-H1", "2025-06-30"), ("--11-03", None), (None, None),
])
def test_period_end(iso, end):
    assert period_end(iso) == end


def test_money_converts_to_usd_at_the_rate_of_its_date():
    assert to_usd(100_000_000, "HKD", "2025-04") == 12_800_000.0  # the 2025 average
    assert to_usd(100_000_000, "HKD", "2025-11") == 12_860_000.0  # the November 2025 table
    assert to_usd(100_000_000, "CNY", "2019") == 14_480_000.0  # the 2019 average
    assert to_usd(5.0, "USD", "2020-06-30") == 5.0
    assert to_usd(5.0, "XYZ", "2025") is None
    assert to_usd(5.0, None, "2025") is None


@pytest.mark.parametrize("as_of", ["1987", "2030", None, "--11-03"])
def test_no_usd_value_where_no_rate_covers_the_date(as_of):
    assert to_usd(100.0, "HKD", as_of) is None
    assert to_usd(100.0, "USD", as_of) is None


ENGLISH = (
    "Hong Kong is home to more than 1,200 fintech companies, and industry revenue is expected to exceed "
    "US$600 billion by 2032, growing 28% a year.\n"
    "According to the HKMA, more than 75% of Hong Kong banks have integrated AI into their business.\n"
    "As of October 2025, the second cohort of the GenAI Sandbox has drawn 20 banks and 14 technology firms, "
    "forming 27 use cases.\n"
)


def test_english_lands_on_the_same_metrics_and_entities_as_chinese():
    english = metric_rows(ENGLISH, language="en")
    simplified = metric_rows(SIMPLIFIED, language="zh-Hans")
    assert [(r["metric"], r["entity"]) for r in english] == [(r["metric"], r["entity"]) for r in simplified]
    same = ("value", "qualifier", "currency", "as_of", "period", "forecast")
    assert [{k: r[k] for k in same} for r in english] == [{k: r[k] for k in same} for r in simplified]
    # "growing 28% a year" states the growth as a change; 年增长率高达28% states it as a level.
    assert [r["change"] for r in english] == [None, None, "increase", None, None, None, None]


@pytest.mark.parametrize("language, currency", [("zh-Hant", "HKD"), ("zh-Hans", "CNY"), (None, "CNY")])
def test_a_bare_yuan_follows_the_script(language, currency):
    (figure,) = extract_figures("盈利達5,900億元。", language=language)
    assert (figure.value, figure.currency) == (590_000_000_000, currency)
