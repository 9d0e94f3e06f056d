"""Numerals and property tests of the parsers; the text-to-figures cases are data in tests/cases/figures.jsonl."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fintech_metrics.parsers import extract_figures, segments
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




# The scans segments.split and segments.clause_breaks make faster, as first written: the same answer.
_WRAPPED_LINE_AT_EVERY_CHARACTER = re.compile(r"^[^\n]{50,}(?<=[A-Za-z0-9,&])\n(?=[A-Z][a-z]*[\s.,'’&-])", re.M)
_SEGMENT_PIECES = ["a" * 45, "word", "Word", "U.K.", "\n", " ", ",", "，", ":", "：", ";", "；", "&", "1", "٣", "²",
                   "é", ".", "\r"]


@given(st.lists(st.sampled_from(_SEGMENT_PIECES), max_size=16).map("".join))
def test_wrapped_lines_found_from_the_line_break(text: str) -> None:
    expected = _WRAPPED_LINE_AT_EVERY_CHARACTER.sub(lambda m: m.group()[:-1] + " ", text)
    assert segments._WRAPPED_BEFORE_CAPITAL.sub(segments._unwrapped, text) == expected


@given(st.lists(st.sampled_from(_SEGMENT_PIECES), max_size=16).map("".join))
def test_clause_breaks_as_the_break_pattern_finds_them(text: str) -> None:
    expected = [m.start() for m in segments._CLAUSE_BREAK.finditer(text)
                if not segments._thousands_comma(text, m.start())]
    assert segments.clause_breaks(text) == (expected, [b + 1 for b in expected])


_TRIE_LETTERS = st.text(alphabet="ab增长至$.", max_size=4)


@given(st.lists(_TRIE_LETTERS, min_size=1, max_size=8), st.text(alphabet="ab增长至$.x", max_size=12))
def test_a_prefix_tree_alternation_matches_as_the_longest_first_one(words, text):
    from fintech_metrics.parsers import lexicon

    # alone, before a continuation that makes `re` backtrack into it, and in a look-back that ends at $
    for template in ("(?:{})", "(?:{})a?[b.]", "(?:{})$"):
        trie = re.compile(template.format(lexicon.trie_alternation(words)))
        plain = re.compile(template.format(lexicon.alternation(words)))
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert [trie.match(text, i) and trie.match(text, i).span() for i in range(len(text))] == \
            [plain.match(text, i) and plain.match(text, i).span() for i in range(len(text))]
