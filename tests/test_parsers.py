"""Parser rules on short texts written for the test, plus property tests for the numerals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fintech_metrics.parsers import extract_figures
from fintech_metrics.parsers.numerals import parse_chinese, parse_number, tidy

DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Render 0 < n < 10**12 in standard Chinese numerals (written independently of the parser)."""
    def below_10k(x: int, leading: bool) -> str:
        out, zero = "", False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // unit % 10
            if d == 0:
                zero = bool(out) or not leading
                continue
            if zero and (out or not leading):
                out += "零"
            zero = False
            out += ("" if (d == 1 and unit == 10 and not out and leading) else DIGITS[d]) + name
        return out

    parts = []
    for unit, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = n // unit % 10**4
        if chunk:
            leading = not parts
            text = below_10k(chunk, leading)
            if parts and chunk < 1000:
                text = "零" + text.lstrip("零")
            parts.append(text + name)
        elif parts and parts[-1][-1] != "零" and n % unit:
            parts.append("零")
    return "".join(parts).rstrip("零") or "零"


@pytest.mark.parametrize("text, value", [
    ("一百二十", 120), ("两千", 2000), ("1.2万亿", 1.2e12), ("三千五百万", 35_000_000), ("九万四", 94_000),
    ("4.78万亿", 4.78e12), ("1,200", 1200), ("1，200", 1200), ("１２００", 1200), ("壹贰叁", 123),
    ("壹佰贰拾", 120), ("貳仟", 2000), ("负三", -3), ("十五", 15), ("一千零五", 1005), ("二〇二五", 2025),
    ("6000亿", 6e11), ("三亿五千万", 350_000_000),
])
def test_numerals(text, value):
    assert tidy(parse_number(text)) == value


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_chinese_numerals_round_trip(n):
    assert parse_chinese(to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_with_separators_round_trip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", "，")) == n


@given(st.integers(min_value=2, max_value=10**7), st.sampled_from(["家", "名", "个", "位", "间"]),
       st.sampled_from(["银行", "公司", "机构"]))
def test_any_count_with_a_measure_word_is_read_with_its_span(n, measure, noun):
    text = f"目前共有{n}{measure}{noun}参与。"
    (figure,) = extract_figures(text)
    assert (figure.kind, figure.value, figure.unit, figure.subject) == ("count", n, measure, noun)
    assert text[figure.start:figure.end] == figure.surface
    assert figure.surface.endswith(f"{n}{measure}{noun}")


@given(st.decimals(min_value=0, max_value=1000, places=1))
def test_any_percentage_is_read(d):
    text = f"不良率为{d}%。"
    (figure,) = extract_figures(text)
    assert figure.kind == "percent"
    assert figure.value == pytest.approx(float(d))


def one(text: str, **kw):
    figures = extract_figures(text, **kw)
    assert len(figures) == 1, [f.surface for f in figures]
    return figures[0]


@pytest.mark.parametrize("text, surface, qualifier", [
    ("金融科技公司已超过1200家。", "超过1200家", "more_than"),
    ("逾300家机构参与。", "逾300家机构", "more_than"),
    ("吸引了37000多名高管。", "37000多名高管", "more_than"),
    ("约50家银行参与。", "约50家银行", "approx"),
    ("近200名专家出席。", "近200名专家", "approx"),
    ("不到10家银行。", "不到10家银行", "less_than"),
    ("至少5家银行加入。", "至少5家银行", "at_least"),
    ("最多20家银行。", "最多20家银行", "at_most"),
    ("准确率高达99.9%。", "高达99.9%", "exact"),
    ("共有1000家以上企业。", "1000家以上企业", "at_least"),  # 以上 is inclusive (CONVENTIONS §6)
    ("约有30%左右的用户。", "30%左右", "approx"),
])
def test_qualifiers(text, surface, qualifier):
    figure = one(text)
    assert (figure.surface, figure.qualifier) == (surface, qualifier)


@pytest.mark.parametrize("text, kind, value, currency", [
    ("总收入将超过6000亿美元。", "money", 600_000_000_000, "USD"),
    ("投入1亿港元。", "money", 100_000_000, "HKD"),
    ("融资3.5亿元人民币。", "money", 350_000_000, "CNY"),
    ("募资两千万港币。", "money", 20_000_000, "HKD"),
    ("利率下调25个基点。", "points", 0.25, None),
    ("占比上升3个百分点。", "points", 3, None),
])
def test_money_and_points(text, kind, value, currency):
    figure = one(text)
    assert (figure.kind, figure.value, figure.currency) == (kind, pytest.approx(value), currency)


@pytest.mark.parametrize("text, surface, value, change, value_from", [
    ("成功率从40%提升至99%。", "从40%提升至99%", 99, "increase", 40),
    ("用户由20家增加到35家。", "由20家增加到35家", 35, "increase", 20),
    ("收入由3.5亿元降至2亿元。", "由3.5亿元降至2亿元", 200_000_000, "decrease", 350_000_000),
    ("转化率提升10%。", "提升10%", 10, "increase", None),
    ("评分增长超200%。", "增长超200%", 200, "increase", None),
    ("交易量同比下降15%。", "同比下降15%", 15, "decrease", None),
])
def test_changes(text, surface, value, change, value_from):
    figure = one(text)
    assert (figure.surface, figure.value, figure.change, figure.value_from) == (surface, value, change,
                                                                                value_from)


@pytest.mark.parametrize("text, published, value, qualifier", [
    ("展会11月3日起举行。", "2025-11", "2025-11-03", "exact"),
    ("展会11月3日起举行。", None, "--11-03", "exact"),
    ("截至2025年10月,共有20家。", None, "2025-10", "exact"),
    ("到2026年初将进入测试。", None, "2026", "approx"),
    ("2025年10月底完成。", None, "2025-10-31", "exact"),
    ("2026年上半年推出。", None, "2026-H1", "exact"),
    ("2025年第三季度录得增长。", None, "2025-Q3", "exact"),
    ("2024年底前完成。", None, "2024-12-31", "at_most"),
    ("发布于2025-11-18 21:25。", None, "2025-11-18", "exact"),
])
def test_dates(text, published, value, qualifier):
    figure = next(f for f in extract_figures(text, published=published) if f.kind == "date")
    assert (figure.value, figure.qualifier) == (value, qualifier)


@pytest.mark.parametrize("text, surface, value, unit", [
    ("在未来三年投入资金。", "未来三年", 3, "年"),
    ("项目为期18个月。", "为期18个月", 18, "个月"),
])
def test_durations(text, surface, value, unit):
    figure = one(text)
    assert (figure.kind, figure.surface, figure.value, figure.unit) == ("duration", surface, value, unit)


@pytest.mark.parametrize("text", [
    "正站在一个新时代的十字路口。", "一场与AI相关的展会。", "开发一款AI助理。", "第二期已开始。",
    "实现了首个超级应用。", "从“金融科技2025”策略说起。", "共建AI+Web3联合实验室。", "环顾四周。",
    "千家万户都在用。", "这一周很忙。",
])
def test_not_figures(text):
    assert extract_figures(text) == []


@pytest.mark.parametrize("text, surface, subject", [
    ("金管局共舉行36次會議。", "36次會議", "會議"),
    ("共有3家中资银行参与。", "3家中资银行", "中资银行"),
    ("共举行38次三方联席会议。", "38次", "三方联席会议"),  # 三方 (tripartite) is a word, not a number
])
def test_the_measured_noun_after_a_measure_word(text, surface, subject):
    figure = one(text)
    assert (figure.surface, figure.subject) == (surface, subject)
