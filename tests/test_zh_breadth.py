"""Chinese breadth, Simplified and Traditional: sentences written for the test (no corpus text).

The plain text-to-figures cases are data, in tests/cases/figures.jsonl (tests/test_cases.py); these are the
checks that are not: properties, adversarial inputs, the date scan's gate."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fintech_metrics.parsers import extract_figures


def test_first_three_quarters_is_not_before_the_year():
    date = extract_figures("2025年前三季度录得增长。")[0]
    assert (date.surface, date.value, date.qualifier) == ("2025年", "2025", "exact")


@given(st.text(alphabet=st.characters(codec=None), max_size=200))
@settings(max_examples=100, deadline=None)
def test_never_raises_on_any_text(text):
    for figure in extract_figures(text, published="2025-11"):
        assert text[figure.start:figure.end] == figure.surface


@given(st.lists(st.sampled_from(["1", "，", ",", "一", "万", "亿", "兆", "成", "至", "-", "%", "家", "分之", "百", "多",
                                 "HK$", "港幣", "年", "月", "日", "底", "前", "从", "增长", "至", "倍", "个", "\x00",
                                 "\ud800", "。", "\n", "超过", "约", "１", "．", "负"]), max_size=60))
@example(parts=["1"] * 11 + ["日"])  # found by hypothesis: a day of 11,111,111,111 overflowed date()
@settings(max_examples=150, deadline=None)
def test_never_raises_on_number_like_noise(parts):
    text = "".join(parts)
    for figure in extract_figures(text, published="2025-11"):
        assert text[figure.start:figure.end] == figure.surface


@given(st.lists(st.sampled_from(["2021年度", "2021年", "2021", "2023年度", "2023年", "至", "到", "-", "財年", "3月",
                                 "12日", "底前", "第三季度", "上半年", "截至", "家", "%", "，"]), max_size=30))
@settings(max_examples=300, deadline=None)
def test_figures_never_overlap(parts):
    text = "".join(parts)
    spans = [(f.start, f.end) for f in extract_figures(text, published="2025-11")]
    assert spans == sorted(spans)
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:], strict=False)), (text, spans)


@pytest.mark.parametrize("text", ["一" * 10**6, "1," * 500_000, "9" * 400 + "家", "一" * 5000 + "家"])
def test_megabyte_adversarial_strings_finish(text):
    # No timing assertion (bench/growth.py measures it): a catastrophic backtrack would never return.
    for figure in extract_figures(text):
        assert text[figure.start:figure.end] == figure.surface


_DATE_PIECES = [
    "在", "于", "截至", "至", "到", "由", "预计到", "直至", "上", "下", "本", "当", "前", "后", "第",
    "今年", "去年", "前年", "本年", "上月", "上个月", "下個月", "当月", "上半年", "下半年", "三季度", "第二季",
    "2025", "年", "12", "月", "15", "日", "底", "初", "二〇二五", "十一", "一些", "1,234",
    "市", "是", "，", " ", "-", "/",
]


@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=14).map("".join))
@example("截至今年6月底")  # a cue before a relative year
@example("上个月15日在上市")  # a relative month; 在上 and 上市 start no date
def test_the_date_scan_skips_only_positions_where_no_date_starts(text):
    from fintech_metrics.parsers import dates, scanning

    gated = [m.span() for m in scanning.finditer(dates._DATE_GATE, dates.DATE_ZH, text)]
    assert gated == [m.span() for m in dates.DATE_ZH.finditer(text)]


_LOOK_BACK_PIECES = ["约", "超过", "逾", "近", "增长", "增至", "降为", "跌至日低", "上升了", "达", "了", " ", "\u00a0",
                     "\n", "收入", "的", "，", "3"]


@given(st.lists(st.sampled_from(_LOOK_BACK_PIECES), max_size=6).map("".join))
@example("增长了 \n")  # `$` matches before a final newline
def test_the_look_backs_are_searched_wherever_they_can_match(window):
    from fintech_metrics.parsers import zh

    p = zh._patterns()
    if p["qual_before"].search(window) is not None:
        assert window[-1:] in zh._qualifier_ends()
    if p["change_before"].search(window) is not None:
        assert window[-1:] in zh._change_ends()
