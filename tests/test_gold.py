"""The shipped article against its hand-checked gold: every figure, exact spans and values, no negatives."""

from __future__ import annotations

import pytest

from fintech_metrics.parsers import extract_figures

COMPARED = ("surface", "kind", "value", "unit", "currency", "qualifier", "change", "value_from")


@pytest.fixture(scope="module")
def figures(article_text: str):
    return extract_figures(article_text, published="2025-11", language="zh-Hans", article_id="0" * 16)


def test_every_gold_figure_is_found_exactly(figures, gold):
    ours = {(f.start, f.end): f.public() for f in figures}
    for g in gold["figures"]:
        got = ours.get((g["start"], g["end"]))
        assert got is not None, f"missed {g['surface']!r} at {g['start']}"
        assert {k: got[k] for k in COMPARED} == {k: g[k] for k in COMPARED}


def test_nothing_beyond_the_gold_is_reported(figures, gold):
    gold_spans = {(g["start"], g["end"]) for g in gold["figures"]}
    extra = [f.surface for f in figures if (f.start, f.end) not in gold_spans]
    assert extra == []
    assert len(figures) == 24


def test_no_negative_is_reported(figures, gold):
    for n in gold["negatives"]:
        hits = [f.surface for f in figures if f.start < n["end"] and n["start"] < f.end]
        assert hits == [], f"{n['surface']!r} ({n['why']}) reported as {hits}"


def test_surface_is_the_text_at_the_offsets(figures, article_text):
    for f in figures:
        assert article_text[f.start:f.end] == f.surface
        assert f.surface in f.sentence


# Subjects and entities, in substance: the gold's words appear in ours, or ours in the gold's.
SUBJECT_ENTITY = {
    "超过100个经济体": ("经济体", "香港金融科技周x StartmeupHK创业节"),
    "37000多名高管": ("高管", "香港金融科技周x StartmeupHK创业节"),
    "800多名演讲者": ("演讲者", "香港金融科技周x StartmeupHK创业节"),
    "700多家展商": ("展商", "香港金融科技周x StartmeupHK创业节"),
    "超过1200家": ("金融科技公司", "香港"),
    "超过6000亿美元": ("行业总收入", "香港"),
    "高达28%": ("年增长率", "香港"),
    "超过75%": ("香港银行将AI融入业务", "香港"),
    "20家银行": ("银行", "GenA.I.沙盒 第二期"),
    "14家科技公司": ("科技公司", "GenA.I.沙盒 第二期"),
    "27个创新用例": ("创新用例", "GenA.I.沙盒 第二期"),
    "15个用例": ("用例", "GenA.I.沙盒 首期"),
    "提升10%": ("业务转化率", "上海银行"),
    "高达99.9%": ("准确率", "ZOLOZ"),
    "从40%提升至99%": ("在线开户成功率", "东亚银行"),
    "增长超200%": ("应用商店评分", "东亚银行"),
    "1亿港元": ("投入", "蚂蚁数科"),
    "未来三年": ("投入", "蚂蚁数科"),
    "2025年4月": ("蚂蚁数科成为香港特区重点企业伙伴", "蚂蚁数科"),
    "2032年": ("行业总收入", None),
    "2025年10月": ("第二期", None),
    "2024年12月": ("首期", None),
}


@pytest.mark.parametrize("surface", sorted(SUBJECT_ENTITY))
def test_subject_and_entity(figures, surface):
    figure = next(f for f in figures if f.surface == surface)
    assert (figure.subject, figure.entity) == SUBJECT_ENTITY[surface]


def test_attribution_for_metrics(figures):
    by_surface = {f.surface: f for f in figures}
    revenue = by_surface["超过6000亿美元"]
    assert (revenue.entity_key, revenue.period, revenue.forecast, revenue.as_of) == ("hong_kong", "2032", True,
                                                                                   "2025-11")
    sandbox = by_surface["20家银行"]
    assert (sandbox.entity_key, sandbox.as_of) == ("hkma_genai_sandbox_cohort_2", "2025-10")
    assert by_surface["15个用例"].as_of == "2024-12"
    invest = by_surface["1亿港元"]
    assert (invest.entity_key, invest.period, invest.as_of, invest.forecast) == (
        "ant_digital_technologies", "P3Y", "2025-04", False)
