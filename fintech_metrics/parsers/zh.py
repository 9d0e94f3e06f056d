"""Figures as Chinese (Simplified and Traditional) text states them: pure functions, text in, records out."""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from datetime import date
from functools import cache, lru_cache

from . import lexicon
from .candidate import Candidate
from .dates import find_dates_zh
from .numerals import CN_DIGITS, multiplier, parse_number, tidy

_ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
_CHINESE_CHARS = "零〇○一二两兩三四五六七八九十百千万亿萬億兆壹贰貳叁參肆伍陆陸柒捌玖拾佰仟"
# 四八六六．一七, 三十六．七五, 三点五: a Chinese numeral can carry a point and digits after it.
# A sign stands at the start, after a space, a bracket or a word that introduces a value (报-0.3%, 日低-0.32%,
# 人民币-110亿元); after a digit, a letter or a unit a dash joins a range (29亿元-31亿元, 10-20%, 3-5年).
_SIGN_AFTER = r"(?<![0-9A-Za-z０-９%％.)）\]元亿億万萬兆千百十月日年天点點倍成股家个個名人次号號期季位])"
_CHINESE = rf"[{_CHINESE_CHARS}]+(?:[.．点點][零〇○一二三四五六七八九]+[万亿萬億兆]*)?"
_NUMBER = (
    # A space may stand between the digits and their multiplier, as reports typeset it: 1,919 億港元.
    # A sign written before a number (-0.35%, （–0.3%）, +12%), not a hyphen after digits or letters (10-20%, T+1).
    rf"(?:(?P<neg>[负負]|{_SIGN_AFTER}[-−–](?=[0-9０-９]))|{_SIGN_AFTER}\+(?=[0-9０-９]))?"
    rf"(?:(?P<ar>{_ARABIC})(?P<arq>[多余餘])?(?:[ \u00a0]?(?P<mult>[十百千万亿萬億兆]+))?"
    rf"|(?P<cn>{_CHINESE})(?P<cnq>[多余餘](?=[万亿萬億兆]))?(?P<cnmult>[万亿萬億兆]*))"
    # 7亿多人, 三千多名: 多/余 after the whole number (not 余额, the balance).
    rf"(?P<q2>(?<=[十百千万亿萬億兆拾佰仟])[多余餘](?![额額]))?"
)
NUMBER = re.compile(_NUMBER)
_NUMERAL = re.compile(r"[0-9０-９零〇○一二三四五六七八九十两兩]")
# Every number of a text, NUMBER's matches in one scan: a quick test of the character first keeps the alternatives
# off most positions. Numbers are dense in Chinese reports, so one scan in C costs less than a gate's search and a
# match in Python for each.
_NUMBER_SCAN = re.compile(rf"(?=[负負+\-−–0-9０-９{_CHINESE_CHARS}])(?:{_NUMBER})")
_LONE_ARTICLE = set("一壹")  # 一个/一场/一款 are prose articles, not counts
_RANGE_SEP = r"\s?(?:至|到|-|－|~|～|—|–)\s?"
_TO_WORDS = ("至", "到", "为", "為")  # after a change verb: "to" (增至, 降为)
_LEVEL_WORDS = ("日低", "日高", "低位", "高位", "新低", "新高", "低点", "高点", "低點", "高點")  # 跌至日低-0.320%
_TYPESET_SPACES = (" ", "\u00a0")  # between digits and what follows them, in reports laid out for print
_DATE_OF = (r"(?:(?:19|20)\d{2}年度?(?:\d{1,2}月)?(?:底|末|初|中)?"
            r"|[今去明前本]年(?:底|末|初)?(?:\d{1,2}月)?(?:底|末)?)的")
# The levels of a change each dated: 由2023年的200萬增至2024年的250萬, 由去年底的5%降至今年6月的4%.
_DATE_OF_BEFORE = re.compile(rf"{_DATE_OF}$")
_FROM_DATE_OF = re.compile(rf"[从從由]{_DATE_OF}$")
# 百分之二十八, 千分之五: a share out of a power of ten, written before the number.
_SCALED_BEFORE = re.compile(r"(?<![0-9０-９零〇一二两兩三四五六七八九十])(?P<scale>[百佰千仟万萬]+)分之$")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    quals = lexicon.word_table("qualifiers", "zh")
    after = lexicon.word_table("qualifiers", "zh_after")
    changes = lexicon.word_table("changes", "zh")
    mw_table = lexicon.load("lexicon.toml")["measure_words"]["zh"]
    tokens = lexicon.load("currencies.toml")["tokens"]
    mw = mw_table["words"]
    dur = lexicon.load("lexicon.toml")["durations"]["zh"]
    money = lexicon.currency_words()
    lex = lexicon.load("lexicon.toml")
    to = "|".join(_TO_WORDS)
    return {
        "qual_before": re.compile(rf"(?:{lexicon.trie_alternation(list(quals))})了?[ \u00a0]?$"),
        "qual_after": re.compile(lexicon.trie_alternation(list(after))),
        # 跌至日低-0.320%: a level word may stand between 至 and the level.
        "change_before": re.compile(
            rf"(?P<verb>{lexicon.trie_alternation(list(changes))})(?P<to>{to}|了)?"
            rf"(?:(?<=[至到])(?:{'|'.join(_LEVEL_WORDS)}))?[ \u00a0]?$"),
        "change_anywhere": re.compile(lexicon.trie_alternation(list(changes))),
        "change_over_rate": re.compile(
            rf"(?P<verb>{lexicon.trie_alternation(list(changes))})[^，,。；;：:0-9%％的]{{1,10}}[ \u00a0]?$"),
        "percent": re.compile(r"\s*(?:%|％|个百分点|個百分點|百分点|百分點|个基点|個基點|基点|基點|倍)"),
        "tenths": re.compile(rf"成(?:(?P<half>半)|(?P<tenth>[一二三四五六七八九])(?![{_CHINESE_CHARS}成]))?"
                             rf"(?!{lexicon.trie_alternation(lex['tenths']['zh']['not_before'])})"),
        "rate": re.compile(rf"厘(?!{lexicon.trie_alternation(lex['rate']['zh']['not_before'])})"),
        "currency": re.compile(rf"\s*(?:{lexicon.trie_alternation(list(money))})"),
        "currency_before": re.compile(
            rf"(?:{lexicon.trie_alternation([*lexicon.currency_symbols(), *money])})\s?$"),
        "duration": re.compile(rf"(?:{lexicon.trie_alternation(dur['units'])})"),
        "duration_cue": re.compile(rf"(?:{lexicon.trie_alternation(dur['cues_before'])})[ \u00a0]?$"),
        "chrome": re.compile(rf"(?:{lexicon.trie_alternation(lex['chrome']['zh']['before'])})[ \u00a0:：]?$"),
        "money_noun": re.compile(lexicon.trie_alternation(lex["money_nouns"]["zh"]["words"])),
        "lead_unit": re.compile(rf"(?:{lexicon.trie_alternation(dur['lead_units'])})(?![度末底初中份])"),
        "tenor": re.compile(lexicon.trie_alternation(dur["tenor_after"])),
        "tenor_not": re.compile(lexicon.trie_alternation(dur["tenor_not"])),
        "nearly_after": re.compile(rf"(?:{lexicon.trie_alternation(dur['nearly_after'])})$"),
        "measure": re.compile(lexicon.trie_alternation(mw)),
        "big": re.compile(rf"[ \u00a0]?(?:{lexicon.trie_alternation(mw_table['big'])})"
                          rf"(?!{lexicon.trie_alternation(mw_table['big_not_before'])})"),
        "single_noun": re.compile(lexicon.trie_alternation(mw_table["single_nouns"])),
        "token": re.compile(rf"[ \u00a0]?(?:[枚个個颗顆]\s?)?(?P<t>{lexicon.trie_alternation(list(tokens))})"),
        # Where a noun read after a measure word ends: a boundary word, or the qualifier of the next figure
        # (中學共32,000人次: 共 is the next figure's).
        "noun_end": re.compile(rf"{lexicon.trie_alternation(lexicon.load('lexicon.toml')['boundaries']['zh']['words'])}"
                               rf"|(?:{lexicon.trie_alternation(list(quals))})了?[ \u00a0]?(?=[0-9０-９])"),
        "not_boundary": re.compile(
            lexicon.trie_alternation(lexicon.load("lexicon.toml")["boundaries"]["zh"]["not_boundaries"])),
        "range": re.compile(
            rf"(?P<r>{_NUMBER.replace('?P<', '?P<r_')})(?P<ru>[^\d\s，,。；;：:至到]{{0,4}}?){_RANGE_SEP}$"),
        "from_to": re.compile(
            rf"(?P<from>[从從由])(?P<x>{_NUMBER.replace('?P<', '?P<x_')})(?P<xu>[^\d，,。；;从從由]{{0,4}}?)"
            rf"(?P<verb>{lexicon.trie_alternation(list(changes))})(?:{to})"
        ),
        # 由2023年的200萬增至: the earlier value with a date of its own.
        "dated_from_to": re.compile(
            rf"[从從由]{_DATE_OF}(?P<x>{_NUMBER.replace('?P<', '?P<x_')})(?P<xu>[^\d，,。；;从從由]{{0,4}}?)"
            rf"(?:{lexicon.trie_alternation(list(changes))})(?:{to})$"
        ),
        "dated_from": re.compile(
            rf"[从從由]{_DATE_OF}(?P<x>{_NUMBER.replace('?P<', '?P<x_')})(?P<xu>[^\d，,。；;从從由]{{0,4}}?)"
            rf"(?:{lexicon.trie_alternation(list(changes))})(?:{to})"
        ),
    }


_RANGE_CHARS = set("至到-－~～—–")
# What a match of qual_before or change_before (which end at `$`) can end with: `$` also matches before a final
# newline, so a window that ends with one is always searched.
_LOOK_BACK_TAIL = frozenset(" \u00a0\n")


@cache
def _qualifier_ends() -> frozenset[str]:
    """The last characters a match of _patterns()["qual_before"] can end with: a qualifier's, 了, a space."""
    return frozenset(w[-1] for w in lexicon.word_table("qualifiers", "zh")) | {"了"} | _LOOK_BACK_TAIL


@cache
def _change_ends() -> frozenset[str]:
    """The last characters a match of _patterns()["change_before"] can end with: a change verb's, a "to" word's, a
    level word's (日低), a space."""
    return frozenset(w[-1] for w in (*lexicon.word_table("changes", "zh"), *_TO_WORDS, "了", *_LEVEL_WORDS)) \
        | _LOOK_BACK_TAIL


@cache
def _currency_ends() -> frozenset[str]:
    """Last characters of the currency words and symbols: a cheap test before the look-back regex."""
    return frozenset(w[-1] for w in [*lexicon.currency_symbols(), *lexicon.currency_words()])


@cache
def _unit_after() -> re.Pattern[str]:
    """Any unit _unit reads after a number (in the same 12 characters), past a typeset space."""
    p = _patterns()
    units = ("percent", "tenths", "rate", "currency", "duration", "measure", "lead_unit", "big", "single_noun", "token")
    either = "|".join([*(f"(?:{p[u].pattern})" for u in units), "分之", "/[0-9]"])
    return re.compile(f"[{''.join(_TYPESET_SPACES)}]?(?:{either})")


@cache
def _not_figures() -> tuple[str, ...]:
    return tuple(lexicon.load("lexicon.toml")["not_figures"]["zh"]["words"])


# The same numerals recur (2025, 10, 一): read each once.
_parse_number = lru_cache(maxsize=4096)(parse_number)


def _value(m: re.Match[str], prefix: str = "") -> float:
    """The number's value; NaN for a digit run too long to be an amount (an id, or noise)."""
    arabic = m.group(prefix + "ar")
    try:
        if arabic:
            value = _parse_number(arabic + (m.group(prefix + "mult") or ""))
        else:
            value = _parse_number(m.group(prefix + "cn") + (m.group(prefix + "cnmult") or ""))
    except (ValueError, OverflowError):
        return math.nan
    return -value if m.group(prefix + "neg") else value


def find_figures_zh(text: str, published: str | None) -> list[Candidate]:
    """Every figure in a Chinese text, in text order, without overlaps."""
    p = _patterns()
    out = _dates(text, published)
    taken = _Taken([(c.start, c.end) for c in out])
    unit_after, currency_ends = _unit_after(), _currency_ends()
    for m in _NUMBER_SCAN.finditer(text):
        s, e = m.span()
        if unit_after.match(text, e, e + 12) is None \
                and not text.endswith("分之", 0, s) \
                and text[max(0, s - 2):s].rstrip()[-1:] not in currency_ends and not _is_scaled_count(m):
            continue  # no unit after it, nor a currency or 分之 before it: not a figure (_read_number)
        if taken.overlaps(s, e) or _read_elsewhere(text, s, p):
            continue
        cand = _read_number(text, m, p, published)
        if cand is None:
            continue
        # The low end of a range may already stand alone (10家至20家): it is the figure just read.
        while cand.rule.endswith(".range") and out and out[-1].kind != "date" and out[-1].end > cand.start:
            low = out.pop()
            taken.remove(low.start, low.end)
        if taken.overlaps(cand.start, cand.end):
            continue
        out.append(cand)
        taken.add(cand.start, cand.end)
    out.extend(_list_items(text, out, taken))
    out.sort(key=lambda c: c.start)
    _days_in_context(text, out)
    _changes_in_context(text, out, p)
    return out


def _read_elsewhere(text: str, s: int, p: dict[str, re.Pattern[str]]) -> bool:
    """A number read with another figure (the X of 从X到Y), or in a span that is not a figure (a name, page
    chrome)."""
    if s and text[s - 1] in "从從由" and p["from_to"].match(text, s - 1):
        return True  # the X of "from X to Y": read with Y
    if s and text[s - 1] == "的" and (d := _FROM_DATE_OF.search(text, max(0, s - 16), s)) is not None \
            and p["dated_from"].match(text, d.start()) is not None:
        return True  # 由2022年的X增至2023年的Y: X is read with Y
    if text.startswith(_not_figures(), s):
        return True
    # 讀畢需時 4 分鐘; 「移动支付三年倍增计划」
    return p["chrome"].search(text, max(0, s - 6), s) is not None or _in_quoted_name(text, s)


# What may stand between a figure with a direction and the next one that takes it: a list (分别增长8%、15%及
# 20%; 增加3.6万个或2.8%), the level a change-by clause reaches (增12%至5.6亿元) or the level it closes at (涨1.8个
# 基点，报0.415%).
_LIST_GAP = re.compile(r"\s*(?:、|及|和|与|與|以及|或|，及|，以及)\s*$")
_LEVEL_GAP = re.compile(
    r"\s*(?:至|到)\s*(?:(?:19|20)\d{2}年度?(?:\d{1,2}月)?(?:底|末)?的)?\s*$|\s*[，,]\s*(?:报|報)\s*$")
_CHANGE_KINDS = {"percent", "points", "multiple", "money", "count"}
# 高于/低于 link a quantity to a benchmark written after them (高於99.95%的目標水平): the benchmark is exact.
_COMPARATIVE = frozenset({"高于", "高於", "低于", "低於", "大于", "大於", "小于", "小於", "多于", "多於", "少于",
                          "少於"})
_RESPECTIVELY = re.compile(r"(?:分别|分別|依次|均|各)(?:为|為|是|约|約|达|達)?[^，。；;\d]{0,4}$")
_HOLDING_VERB = re.compile(r"(?P<verb>增持|減持|减持)[^，,。；;]{0,16}$")


_LIST_SEP = ("、", "及", "和", "与", "與", "以及", "或")
_BARE_ITEM = re.compile(rf"(?:{_NUMBER})[ \u00a0]?$")


def _list_items(text: str, cands: list[Candidate], taken: _Taken) -> list[Candidate]:
    """分别为12.5亿、9.8亿及7.1亿港元, 依次为120、110与47间: the bare numbers before the last item of a list
    share its unit (and currency). Each is a figure of its own."""
    items: list[Candidate] = []
    scaled = {c.end: c for c in cands if c.kind == "count" and c.unit is None}  # 12.5亿 read alone
    for c in cands:
        if c.kind not in ("money", "count", "percent") or c.rule.endswith(".range") or c.value_from is not None:
            continue
        j = c.start
        while text.endswith(_LIST_SEP, 0, j):  # most figures follow no separator: a quick test first
            sep = next(w for w in _LIST_SEP if text.endswith(w, 0, j))
            k = j - len(sep)
            while k > 0 and text[k - 1] in _TYPESET_SPACES:
                k -= 1
            if c.kind == "money" and (bare := scaled.get(k)) is not None and bare.qualifier == c.qualifier:
                bare.kind, bare.unit, bare.currency = c.kind, c.unit, c.currency
                bare.rule = f"zh.{c.kind}.list"
                j = bare.start
                continue
            item = _bare_item(text, c, k, taken)
            if item is None:
                break
            items.append(item)
            taken.add(item.start, item.end)
            j = item.start
    return items


def _bare_item(text: str, last: Candidate, k: int, taken: _Taken) -> Candidate | None:
    """The bare number of a list that ends at k, with the unit and currency of the list's last item, or None."""
    b = _BARE_ITEM.search(text, max(0, k - 16), k)
    if b is None or b.group("ar") is None and b.group("cn") is None or taken.overlaps(b.start(), k):
        return None
    if b.start() and (text[b.start() - 1].isdigit() or text[b.start() - 1] in ".．,，"):
        return None
    value = _value(b)
    if not math.isfinite(value) or (b.group("cn") and b.group("cn") in _LONE_ARTICLE):
        return None
    value *= _shared_scale(text, last, b, value)
    start, end = b.start(), k
    while text[end - 1] in _TYPESET_SPACES:
        end -= 1
    return Candidate(start, end, last.kind, tidy(value), last.unit, last.currency, rule=f"zh.{last.kind}.list")


def _shared_scale(text: str, last: Candidate, item: re.Match[str], value: float) -> int:
    """5.67、5.35和2.34万亿元: a bare item of the size of the last item's number shares its scale (3,000及2万元
    does not: 3,000 is a whole amount)."""
    if item.group("mult") or item.group("cnmult") or item.group("cn"):
        return 1
    m = NUMBER.search(text, last.start, last.end)
    scale = (m.group("mult") or m.group("cnmult") or "") if m is not None else ""
    if m is None or not scale or any(ch not in "万亿萬億兆" for ch in scale):
        return 1
    base = abs(_value(m)) / multiplier(scale)
    return multiplier(scale) if base and 0.1 <= abs(value) / base <= 10 else 1


def _changes_in_context(text: str, cands: list[Candidate], p: dict[str, re.Pattern[str]]) -> None:
    """A direction stated once covers the numbers it governs: the items of a list after a change verb, the level
    reached after a change-by clause, a signed figure in brackets after a change noun (增加（+30%）, （+8.6%）的增幅),
    and shares bought or sold (增持工商银行H股9211万股)."""
    prev: Candidate | None = None
    for c in cands:
        if c.kind == "date":
            continue
        if c.change is None and prev is not None and prev.change is not None and prev.kind in _CHANGE_KINDS:
            gap = text[prev.end:c.start]
            same = c.kind == prev.kind or {c.kind, prev.kind} <= {"money", "count", "percent", "points"}
            if (same and _LIST_GAP.match(gap)) or _LEVEL_GAP.match(gap):
                c.change = prev.change
        # 分别约3.1亿、2.4亿及9,800万港元: one cue before a list governs every item.
        if c.qualifier == "exact" and prev is not None and prev.cue_before and c.kind == prev.kind \
                and _LIST_GAP.match(text, prev.end, c.start) and text[c.start:c.start + 1] not in ("约", "約"):
            head = _list_head(cands, prev)
            if _RESPECTIVELY.search(text, max(0, head.start - 10), head.start + len(head.cue_before or "")) is not None:
                c.qualifier, c.cue_before = prev.qualifier, prev.cue_before
        if c.change is None and text[c.start:c.start + 1] == "+" and text[c.start - 1:c.start] in ("（", "("):
            c.change = _bracket_direction(text, c, p)
        if c.change is None and c.unit == "股" and (h := _HOLDING_VERB.search(text, max(0, c.start - 20), c.start)):
            c.change = lexicon.word_table("changes", "zh")[h.group("verb")]
        prev = c


def _list_head(cands: list[Candidate], item: Candidate) -> Candidate:
    """The first item of the list `item` ends (items sharing its cue, one after another)."""
    i = cands.index(item)
    while i > 0 and cands[i - 1].cue_before == item.cue_before and cands[i - 1].qualifier == item.qualifier \
            and cands[i - 1].kind == item.kind and cands[i].start - cands[i - 1].end <= 3:
        i -= 1
    return cands[i]


def _bracket_direction(text: str, c: Candidate, p: dict[str, re.Pattern[str]]) -> str | None:
    """The change word nearest a bracketed signed figure in its clause: 收入增加（+12%）, （+5.1%）的增幅."""
    before = p["change_anywhere"].search(text, max(0, c.start - 3), c.start - 1)
    if before is not None:
        return lexicon.word_table("changes", "zh")[before.group()]
    end = len(text)
    for stop in "，,。；;":
        i = text.find(stop, c.end, c.end + 40)
        if i != -1:
            end = min(end, i)
    after = p["change_anywhere"].search(text, c.end, min(end, c.end + 40))
    return lexicon.word_table("changes", "zh")[after.group()] if after is not None else None


def _days_in_context(text: str, cands: list[Candidate]) -> None:
    """A bare 23日 is in the month the text last named (1月22日……23日), else the published month; the end of a
    month's days whose first is written without 日 (11月2至6日) is a range in that month."""
    month = None
    for c in cands:
        if c.kind != "date":
            continue
        if c.date_cue == "day":
            c.date_cue = None
            r = _DAYS_OF_A_MONTH.search(text, max(0, c.start - 12), c.end)
            if r is not None and r.end() == c.end:
                named = int(r.group("m"))
                # (with no month before it, the latest such month up to the published one, as a bare month's)
                year = int((month or str(c.value))[:4]) - (month is None and named > int(str(c.value)[5:7]))
                first, last = (_day_of_month(f"{year:04d}-{named:02d}", int(r.group(g))) for g in ("d1", "d2"))
                if first is not None and last is not None and first < last:
                    c.start, c.value, c.value_from, c.rule = r.start(), last, first, "zh.date.range"
                    month = last[:7]
                    continue
            if month is not None:
                day = _day_of_month(month, int(str(c.value)[8:]))
                c.value = day or c.value
        elif len(str(c.value)) >= 7 and str(c.value)[4] == "-" and str(c.value)[5:7].isdigit():
            month = str(c.value)[:7]


class _Taken:
    """Spans already read, sorted, for an overlap test in log time (a long text has many figures). Kept as a list of
    starts beside a list of ends, in the order of the (start, end) pairs: bisecting ints, not tuples, and no tuple
    made per test (two tests per number of a Chinese text)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.ends = [e for _, e in ordered]

    def overlaps(self, s: int, e: int) -> bool:
        # The two spans starting last before e (an earlier one is not looked at).
        ends = self.ends
        i = bisect_left(self.starts, e)
        return (i > 0 and ends[i - 1] > s) or (i > 1 and ends[i - 2] > s)

    def add(self, s: int, e: int) -> None:
        starts = self.starts
        i = bisect_right(self.ends, e, bisect_left(starts, s), bisect_right(starts, s))  # after (s, e) and its equals
        starts.insert(i, s)
        self.ends.insert(i, e)

    def remove(self, s: int, e: int) -> None:
        starts = self.starts
        i = bisect_left(self.ends, e, bisect_left(starts, s), bisect_right(starts, s))
        del starts[i], self.ends[i]


_YEAR_BEFORE = re.compile(rf"(?P<y>(?:19|20)\d{{2}})年?(?:度)?{_RANGE_SEP}$")


def _dates(text: str, published: str | None) -> list[Candidate]:
    """Dates, with a year range (2021至2023年, 2021年至2023年) read as one figure from its low end."""
    out: list[Candidate] = []
    for d in find_dates_zh(text, published):
        # 今年, 去年, 上半年, 当月: a deictic date without a numeral is no figure, but it still dates the figures
        # of its sentence, so it is read and dropped after attribution (rule *.deictic).
        deictic = _NUMERAL.search(text, d.start, d.end) is None
        cand = Candidate(d.start, d.end, "date", d.value, unit=d.unit, qualifier=d.qualifier,
                         rule="zh.date.deictic" if deictic else "zh.date", date_cue=d.cue)
        if len(d.value) == 4 and (y := _YEAR_BEFORE.search(text, max(0, d.start - 12), d.start)) is not None:
            while out and out[-1].start >= y.start():  # the low end (2021年, 2021年度), read alone just before
                out.pop()
            if not out or out[-1].end <= y.start():
                cand.start, cand.value_from, cand.date_cue, cand.rule = y.start(), y.group("y"), None, "zh.date.range"
        high = str(cand.value)
        if out and len(str(out[-1].value)) >= 7 and not _WRITTEN_YEAR.search(text, cand.start, cand.end):
            high = str(out[-1].value)[:4] + high[4:]  # 3月1日至4月30日: the high end in the low end's year
        if out and out[-1].kind == "date" and not out[-1].rule.endswith((".deictic", ".range")) \
                and not deictic and _DATE_RANGE_GAP.fullmatch(text, out[-1].end, cand.start) is not None \
                and len(str(out[-1].value)) == len(high) and str(out[-1].value) < high:
            low = out.pop()  # 2024年3月1日至4月30日: one date range from its low end
            cand.start, cand.value, cand.value_from, cand.rule = low.start, high, low.value, "zh.date.range"
        elif len(d.value) == 10 and (r := _DAY_AFTER.match(text, d.end)) is not None:
            # 2025年5月1日至5日: the end day in the same month
            end_day = _day_of_month(d.value[:7], int(r.group("d")))
            if end_day is not None and end_day > d.value:
                cand.end, cand.value, cand.value_from, cand.rule = r.end(), end_day, d.value, "zh.date.range"
        out.append(cand)
    return out


_WRITTEN_YEAR = re.compile(r"(?:19|20)\d{2}|[零〇○一二三四五六七八九]{4}")
_DATE_RANGE_GAP = re.compile(r"\s?(?:至|到|-|－|–|—|~|～)\s?")
_DAY_AFTER = re.compile(r"\s?(?:至|到|-|－|–|—|~|～)\s?(?P<d>3[01]|[12]\d|0?[1-9])\s?[日号號]")
_DAYS_OF_A_MONTH = re.compile(r"(?<!\d)(?P<m>1[0-2]|0?[1-9])\s?月\s?(?P<d1>3[01]|[12]\d|0?[1-9])"
                              r"\s?(?:至|到|-|－|–|—|~|～)\s?(?P<d2>3[01]|[12]\d|0?[1-9])\s?[日号號]")


@cache
def _name_endings() -> tuple[str, ...]:
    return tuple(lexicon.load("lexicon.toml")["names"]["zh"]["endings"])


def _in_quoted_name(text: str, s: int) -> bool:
    """A number inside a quoted name (「电子化支付比率5年倍增计划」) is part of the name."""
    opened = text.rfind("「", max(0, s - 30), s)
    if opened == -1 or text.rfind("」", opened, s) != -1:
        return False
    closed = text.find("」", s, s + 30)
    return closed != -1 and text.endswith(_name_endings(), opened, closed)


def _is_part_of_name(text: str, s: int, e: int) -> bool:
    before = text[s - 1] if s else ""
    after = text[e] if e < len(text) else ""
    # Web3, H5, A.I.2: digits glued to Latin letters belong to a name or code.
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()) \
        or (before != "" and before in "第#＃№") or (before == "." and s >= 2 and text[s - 2].isdigit())


def _read_number(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]], published: str | None
                 ) -> Candidate | None:
    """The figure a number starts (or ends, after a currency), or None when it is not one."""
    s, e = m.span()
    prefix = _currency_prefix(text, m, p)
    if prefix is None and _is_part_of_name(text, s, e):
        return None
    if prefix is not None and _is_token_name(text, m, p, prefix):
        return None  # USD1, a token named with a digit
    scaled = _SCALED_BEFORE.search(text, max(0, s - 8), s) if text.endswith("分之", 0, s) else None
    if m.group("cn") and _is_idiom(text, m, p, scaled):
        return None  # 千家万户, 百花: a bare multiplier is an idiom (百分之百 is 100%, 逾千億港元 money)
    number = _value(m)
    if not math.isfinite(number):
        return None
    qualifier = "more_than" if (m.group("arq") or m.group("cnq") or m.group("q2")) else "exact"
    read = _unit(text, m, p, number, scaled, prefix, published)
    if read is None:
        return None
    kind, value, unit, currency, noun, start, end = read  # value: scaled, or a date read from a day (15日)
    if not isinstance(value, str) and not math.isfinite(value):
        return None
    if qualifier == "exact" and kind in _QUALIFIED_AFTER \
            and (after := _qualifier_after(text, p, kind, noun, end)) is not None:
        qualifier, noun, end = after
    cand = Candidate(start, end, kind, value, unit, currency, qualifier, noun=noun,
                     date_cue="day" if kind == "date" else None)
    return _read_before(text, m, p, cand)


def _currency_prefix(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]]) -> re.Match[str] | None:
    """A currency written before the number (港币100亿, US$5), not a lone 元 that ends the amount before."""
    s = m.start()
    before = text[max(0, s - 2):s].rstrip()[-1:]
    prefix = p["currency_before"].search(text, max(0, s - 8), s) if before in _currency_ends() else None
    if prefix is not None and len(prefix.group().strip()) < 2:
        return None  # 元3月: a lone 元 ends the amount before, it does not start this one
    return prefix


def _is_token_name(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]], prefix: re.Match[str]) -> bool:
    """USD1: letters glued to a single digit, with no multiplier or currency after, name a token."""
    return prefix.end() == m.start() and prefix.group().isascii() and prefix.group().isalpha() \
        and not m.group("mult") and (m.group("ar") or "").isdigit() and len(m.group("ar")) == 1 \
        and p["currency"].match(text, m.end()) is None


def _is_idiom(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]], scaled: re.Match[str] | None) -> bool:
    """千家万户, 百花: a Chinese multiplier with no digit is an idiom, unless it is 百分之百 or money (逾千億港元)
    not right after digits."""
    s = m.start()
    cn = m.group("cn")
    return bool(cn) and not any(ch in CN_DIGITS or ch in "十拾" for ch in cn) and not (scaled and cn in "百佰") \
        and (p["currency"].match(text, m.end()) is None or text[max(0, s - 2):s].strip()[-1:].isdigit())


_QUALIFIED_AFTER = frozenset({"count", "duration", "money", "percent", "points", "multiple"})


def _qualifier_after(text: str, p: dict[str, re.Pattern[str]], kind: str, noun: str | None, end: int
                     ) -> tuple[str, str | None, int] | None:
    """A qualifier written after a figure of a kind in _QUALIFIED_AFTER (100万以上, 三年多): (qualifier, noun,
    end), the noun of a count read after it."""
    if (a := p["qual_after"].match(text, end)) is None \
            or (a.group() in ("多", "余", "餘") and kind != "duration") \
            or text.startswith(_qual_after_not(), end):
        return None
    qualifier = lexicon.word_table("qualifiers", "zh_after")[a.group()]
    end = a.end()
    if kind == "count" and not noun:
        noun = _noun_after(text, end, p)
        end += _spanned(noun)
    return qualifier, noun, end


_Read = tuple[str, float | str, str | None, str | None, str | None, int, int]


def _unit(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]], value: float, scaled: re.Match[str] | None,
          prefix: re.Match[str] | None, published: str | None) -> _Read | None:
    """(kind, value, unit, currency, noun, start, end) from what follows the number (or a currency before it)."""
    s, e = m.span()
    rest = text[e:e + 12]
    if (read := _share(text, m, p, value, scaled, rest)) is not None:
        return read
    if (read := _money(m, p, value, prefix, rest)) is not None:
        return read
    gap = 1 if rest[:1] in _TYPESET_SPACES and m.group("ar") else 0  # 14 次即場訪問, as reports typeset it
    if (u := p["duration"].match(rest, gap)) is not None:
        return _duration(text, m, p, value, u, published)
    if text[s - 1:s] in _lead_cues() and (u := p["lead_unit"].match(rest, gap)) is not None:
        return "duration", value, u.group(), None, None, s, e + u.end()  # 前七月, 首3季
    if (u := p["token"].match(rest, gap)) is not None:  # 0.5 枚比特币, 2 個以太坊, 8,800万 USDC
        return "money", value, u.group("t"), _tokens()[u.group("t")], None, s, e + u.end()
    return _count(text, m, p, value, rest, gap)


def _share(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]], value: float, scaled: re.Match[str] | None,
           rest: str) -> _Read | None:
    """A percentage, points or a multiple: 百分之二十八, 三分之一, 5%, 2个百分点, 3倍, 八成五, 3厘, 1/10000."""
    s, e = m.span()
    if scaled is not None:
        unit = scaled.group("scale") + "分之"
        return "percent", value * 100 / multiplier(scaled.group("scale")), unit, None, None, scaled.start(), e
    if rest.startswith("分之") and (num := NUMBER.match(text, e + 2)) is not None and value:
        return "percent", _value(num) / value * 100, "分之", None, None, s, num.end()
    if (u := p["percent"].match(rest)) is not None:
        unit = u.group().strip()
        kind = {"%": "percent", "％": "percent", "倍": "multiple"}.get(unit, "points")
        return kind, value / 100 if kind == "points" and "基" in unit else value, unit, None, None, s, e + u.end()
    if (u := p["tenths"].match(rest)) is not None and 0 < value <= 10:
        extra = 5 if u.group("half") else CN_DIGITS[u.group("tenth")] if u.group("tenth") else 0  # 八成五 = 85
        return "percent", value * 10 + extra, "成", None, None, s, e + u.end()
    if (u := p["rate"].match(rest)) is not None and 0 < value < 100:
        return "percent", value, "厘", None, None, s, e + u.end()
    if rest[:1] == "/" and (den := _SLASH_DENOMINATOR.match(rest)) is not None and m.group("ar") \
            and _is_fraction(value, float(den.group(1))) and text[s - 1:s] not in ("-", "－", "–", "/", "."):
        return "percent", value / float(den.group(1)) * 100, "/", None, None, s, e + den.end()  # 1/10000
    return None


def _money(m: re.Match[str], p: dict[str, re.Pattern[str]], value: float, prefix: re.Match[str] | None,
           rest: str) -> _Read | None:
    """An amount with a currency after it (100亿港元, 23.03港仙) or before it (港币100亿, US$5)."""
    s, e = m.span()
    if (u := p["currency"].match(rest)) is not None:
        unit = u.group().strip()
        currency = lexicon.currency_words()[unit]
        value *= _cents().get(unit, 1)  # 23.03港仙 = 0.2303 Hong Kong dollars
        if prefix is not None and unit == "元":  # 港币100亿元: the word before names the currency
            currency = _prefix_currency(prefix)
        return "money", value, unit, currency, None, prefix.start() if prefix else s, e + u.end()
    if prefix is not None:
        return "money", value, prefix.group().strip(), _prefix_currency(prefix), None, prefix.start(), e
    return None


def _count(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]], value: float, rest: str, gap: int
           ) -> _Read | None:
    """A count: after a measure word (with the noun it measures), N大, a numeral before a one-character noun
    (七省), or digits scaled by 万/亿 (money when a money noun heads them)."""
    s, e = m.span()
    cn = m.group("cn")
    if (u := p["measure"].match(rest, gap)) is not None:
        if cn and u.group() in _after_digits_only():
            return None
        if cn and cn in _LONE_ARTICLE and not _counted_one(text, s, p):
            return None
        end = e + u.end()
        noun = "" if p["qual_after"].match(text, end) else _noun_after(text, end, p)
        return "count", value, u.group(), None, noun, s, end + _spanned(noun)
    if (u := p["big"].match(rest, gap)) is not None and not (cn and cn in _LONE_ARTICLE):
        return "count", value, u.group().strip(), None, None, s, e + u.end()  # 五大支柱, 前三大: N大 is one span
    if (u := p["single_noun"].match(rest)) is not None and not (cn and cn in _LONE_ARTICLE):
        return "count", value, u.group(), None, None, s, e + u.end()  # 七省, 十国, 三方面
    if _is_scaled_count(m):
        # 资产规模均超过4500亿: a scaled amount is money when a money noun heads it in its clause.
        clause = max(text.rfind(ch, max(0, s - 12), s) for ch in "，,。；;：:、")
        if p["money_noun"].search(text, max(clause + 1, s - 12), s) is not None \
                and not _CJK_WORD_AFTER.match(text, e):  # 投资100亿雷亚尔: a currency word the table lacks
            return "money", value, None, None, None, s, e
        return "count", value, None, None, None, s, e
    return None


_CJK_WORD_AFTER = re.compile(r"[\u4e00-\u9fff](?<![的左以多余餘])")
_SLASH_DENOMINATOR = re.compile(r"/([0-9]{1,7})(?![0-9/.])")


def _is_fraction(numerator: float, denominator: float) -> bool:
    """1/10000, 3/4: a fraction, not a month and day (10/31) nor 24/7."""
    return 0 < numerator < denominator and (denominator <= 10 or denominator >= 32)


def _counted_one(text: str, s: int, p: dict[str, re.Pattern[str]]) -> bool:
    """一 is a count, not an article, after a limit or 只/仅/各: 最少一次, 仅一家, 各限一个."""
    if text[s - 1:s] in ("只", "仅", "僅", "各", "限"):
        return True
    q = p["qual_before"].search(text, max(0, s - 4), s)
    return q is not None and lexicon.word_table("qualifiers", "zh")[q.group().rstrip("了 \u00a0")] in (
        "at_least", "at_most")


@cache
def _cents() -> dict[str, float]:
    return {w: float(f) for w, f in lexicon.load("currencies.toml")["cents"].items()}


@cache
def _tokens() -> dict[str, str]:
    return dict(lexicon.load("currencies.toml")["tokens"])


@cache
def _qual_after_not() -> tuple[str, ...]:
    return tuple(lexicon.load("lexicon.toml")["qualifiers"]["zh_after_not"]["words"])


@cache
def _lead_cues() -> frozenset[str]:
    return frozenset(lexicon.load("lexicon.toml")["durations"]["zh"]["lead_cues"])


@cache
def _after_digits_only() -> frozenset[str]:
    return frozenset(lexicon.load("lexicon.toml")["measure_words"]["zh"]["after_digits_only"])


def _is_scaled_count(m: re.Match[str]) -> bool:
    """用户数从100万增加到200万: digits scaled by 万 or 亿 are a quantity without a measure word."""
    mult = m.group("mult") or ""
    return bool(m.group("ar")) and any(ch in "万亿萬億" for ch in mult)


def _prefix_currency(prefix: re.Match[str]) -> str:
    word = prefix.group().strip()
    return lexicon.currency_symbols().get(word) or lexicon.currency_words()[word]


def _duration(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]], value: float, u: re.Match[str],
              published: str | None) -> _Read | None:
    s, e = m.span()
    cn = m.group("cn")
    cued = p["duration_cue"].search(text[max(0, s - 4):s]) is not None
    if cn and cn in _LONE_ARTICLE and (not cued or text[s - 1:s] in _lead_cues()):
        return None  # 一天; 前一交易日 is the day before, not a length of time
    end = e + u.end()  # u was read from the number's end, past a typeset space (15 日)
    if p["tenor"].match(text, end) is not None and p["tenor_not"].match(text, end) is None:
        return None  # 10年期国债, 三个月拆息: the tenor of an instrument
    if u.group() == "日" and not cued and text[end:end + 1] not in ("内", "內"):
        # 15日 without a cue is the 15th of the month, as news writes it.
        day = _day_of_month(published, value)
        return None if day is None or text[s - 1:s] == "+" else ("date", day, None, None, None, s, end)
    if u.group() in ("个半月", "個半月"):  # 一个半月 = 1.5 months
        return "duration", value + 0.5, u.group().replace("半", ""), None, None, s, end
    if text.startswith("半", end) and u.group() in ("年", "个月", "個月", "天", "小时", "小時"):
        return "duration", value + 0.5, u.group(), None, None, s, end + 1  # 九年半 = 9.5 years
    return "duration", value, u.group(), None, None, s, end


def _day_of_month(published: str | None, value: float) -> str | None:
    if not published or len(published) < 7 or value != int(value) or not 1 <= value <= 31:
        return None  # 11111111111日 is no day (date() would overflow on it, not raise ValueError)
    try:
        return date(int(published[:4]), int(published[5:7]), int(value)).isoformat()
    except ValueError:
        return None


def _read_before(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]], cand: Candidate) -> Candidate:
    """The qualifier, change verb, 从X到Y or range low end written before the figure."""
    start = _cue_before(text, p, cand)
    cand.rule = f"zh.{cand.kind}"
    cand.start = _change_or_range_before(text, m, p, cand, start)
    if isinstance(cand.value_from, float) and not math.isfinite(cand.value_from):
        cand.value_from, cand.start = None, m.start()
    if not isinstance(cand.value, str):
        cand.value = tidy(cand.value)
    return cand


def _cue_before(text: str, p: dict[str, re.Pattern[str]], cand: Candidate) -> int:
    """A qualifier (约, 超过) right before the figure, or a cue a few words before it that gives its qualifier or
    direction; where the figure then starts."""
    start = cand.start
    # the look-back can only match when the character before the figure ends one of its words
    q = p["qual_before"].search(text[max(0, start - 8):start]) if text[start - 1:start] in _qualifier_ends() else None
    if q is not None and not _time_window(text, cand, start - len(q.group()), q, p):
        word = q.group().rstrip("了 \u00a0")
        label = lexicon.word_table("qualifiers", "zh")[word]
        if word in _COMPARATIVE and text.startswith("的", cand.end):
            label = "exact"  # 高於99.95%的目標水平: the benchmark of a comparison is not bounded by it
        if cand.qualifier == "exact":
            cand.qualifier = label
            cand.cue_before = word
        # 涨穿0.7%关口: a threshold verb that also says which way the quantity went.
        if (direction := lexicon.word_table("changes", "zh").get(word)) is not None:
            cand.change = direction
        return start - len(q.group())
    if q is None and cand.kind in ("percent", "count", "money") and cand.qualifier == "exact" \
            and text[start - 1:start] == "的" and (far := _CUE_OVER_WHOLE.search(text, max(0, start - 14), start)):
        # 均超过全球总体的50%: a cue separated from the number by the whole it is a share of.
        cand.qualifier = lexicon.word_table("qualifiers", "zh")[far.group("cue")]
    elif cand.kind == "count" and cand.change is None and (n := _NEW_WITH_NOUN.search(text, max(0, start - 9), start)):
        cand.change = lexicon.word_table("changes", "zh")[n.group("verb")]  # 新增投资者2959人
    elif cand.kind != "date" and cand.change is None \
            and (n := _COMPARED_BY.search(text, max(0, start - 14), start)) is not None:
        # 较去年高2个百分点, 比上月少3家: a difference from a base is a change
        cand.change = "increase" if n.group("d") in ("高", "多") else "decrease"
    elif cand.kind == "points" and cand.change is None \
            and (n := p["change_over_rate"].search(text, max(0, start - 14), start)) is not None:
        # 下調存款準備金率0.5個百分點, 下调一年期LPR 10个基点: points after a verb and the rate it moves
        cand.change = lexicon.word_table("changes", "zh")[n.group("verb")]
    return start


def _change_or_range_before(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]], cand: Candidate,
                            start: int) -> int:
    """A change verb (增长, 增至, 从X增至), a change to a dated level (增至2024年的250萬), a duration's cue (历时)
    or a range's low end (10至20家) before the figure: its change, value_from and rule; where it then starts."""
    window = text[max(0, start - 8):start]
    if cand.kind != "duration" and window[-1:] in _change_ends() \
            and (c := p["change_before"].search(window)) is not None:
        return _change_verb_before(text, p, cand, start, c)
    if text[start - 1:start] == "的" and (d := _DATE_OF_BEFORE.search(text, max(0, start - 14), start)) and \
            (c := p["change_before"].search(text, max(0, d.start() - 8), d.start())) is not None and \
            c.group("to") in _TO_WORDS:
        # 增至2024年的250萬: the date between is a figure of its own, so the figure keeps its span.
        cand.change = lexicon.word_table("changes", "zh")[c.group("verb")]
        cand.rule = f"zh.{cand.kind}.change_to"
        if (ft := p["dated_from_to"].search(text, max(0, c.start() - 40), c.end())) is not None:
            cand.value_from = tidy(_as_unit(cand, _value(ft, "x_")))
            cand.rule = f"zh.{cand.kind}.from_to"
    elif cand.kind == "duration" and (c := p["duration_cue"].search(window)) is not None:
        if c.group().rstrip() not in ("近", "最近"):  # a window's 近 stays outside the span (近3个月)
            start -= len(c.group())
    elif start == m.start() and cand.kind != "date" and (r := _range_low(text, m, p, cand)) is not None:
        start, cand.value_from, cand.rule = r[0], r[1], f"zh.{cand.kind}.range"
        # 约30元至80元: a cue before the low end covers the range.
        if (q := p["qual_before"].search(text, max(0, start - 8), start)) is not None and cand.qualifier == "exact":
            cand.qualifier = lexicon.word_table("qualifiers", "zh")[q.group().rstrip("了 \u00a0")]
            cand.cue_before = q.group()
            start = q.start()
    return start


def _change_verb_before(text: str, p: dict[str, re.Pattern[str]], cand: Candidate, start: int, c: re.Match[str]
                        ) -> int:
    """增长12%, 增至5.6亿元, 从3亿元增至5.6亿元: the verb's direction, and the level it started from."""
    cand.change = lexicon.word_table("changes", "zh")[c.group("verb")]
    start -= len(c.group())
    cand.rule = f"zh.{cand.kind}.change_by"
    if c.group("to") in _TO_WORDS:
        cand.rule = f"zh.{cand.kind}.change_to"
        if (ft := p["from_to"].search(text, max(0, start - 30), start + len(c.group()))) is not None \
                and ft.end() == start + len(c.group()):
            cand.value_from = tidy(_as_unit(cand, _value(ft, "x_")))
            start = ft.start()
            cand.rule = f"zh.{cand.kind}.from_to"
    return start


def _time_window(text: str, cand: Candidate, at: int, q: re.Match[str], p: dict[str, re.Pattern[str]]) -> bool:
    """近3个月, 最近五个交易日: 近 before a length of time is the window what follows is counted in (exact,
    outside the span), unless the length is itself measured (历时近两年: approx)."""
    return cand.kind == "duration" and q.group() in ("近", "接近") and (
        text[at - 1:at] == "最" or p["nearly_after"].search(text, max(0, at - 4), at) is None)


def _range_low(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]], cand: Candidate
               ) -> tuple[int, float | int] | None:
    """The low end of 10至20家, 10-20%, 一至两成, 10家到20家: (start, value)."""
    if text[max(0, m.start() - 2):m.start()].rstrip()[-1:] not in _RANGE_CHARS:
        return None
    r = p["range"].search(text, max(0, m.start() - 24), m.start())
    if r is None:
        return None
    unit = text[m.end():cand.end]
    written = r.group("ru")
    if written and not unit.startswith(written):
        return None
    low = _value(r, "r_")
    if not math.isfinite(low):
        return None
    if not (r.group("r_mult") or r.group("r_cnmult")):  # 10至20亿元: the low end shares the multiplier
        low *= multiplier(m.group("mult") or m.group("cnmult") or "")
    return r.start(), tidy(_as_unit(cand, low))


def _as_unit(cand: Candidate, low: float) -> float:
    """The low end of a range or the X of 由X到Y read in the unit of the figure: 由四成到五成 → 40."""
    if cand.unit == "成":
        return low * 10
    if cand.kind == "points" and cand.unit and "基" in cand.unit:
        return low / 100
    return low


_CUE_OVER_WHOLE = re.compile(r"(?P<cue>超过|超過|逾|不足|不到)[^，,。；;：:\d的]{1,8}的$")
_COMPARED_BY = re.compile(r"(?:较|較|比)[^，,。；;：:\d%％的]{0,8}(?P<d>高|低|多|少)(?:出|了)?[ \u00a0]?$")
_NEW_WITH_NOUN = re.compile(r"(?P<verb>新增|净增|淨增)[^，,。；;：:\d、及和与與]{1,6}$")
_NOUN_STOPS = re.compile("[零〇○一二两兩三四五六七八九十百千万亿萬億双雙]")


def _spanned(noun: str) -> int:
    """How much of the measured noun the span takes: not a word with a numeral character (6個零售支付系統,
    38次三方會議), which is a word of its own, not a number; the noun is still the subject."""
    stop = _NOUN_STOPS.search(noun)
    return len(noun) if stop is None else stop.start()


def _noun_after(text: str, i: int, p: dict[str, re.Pattern[str]]) -> str:
    """The measured noun after a measure word: 家银行 → 银行, stopping at function words and verbs."""
    j = i
    limit = min(len(text), i + 12)
    while j < limit:
        ch = text[j]
        # A digit goes on a Latin name (Web3), not on a Chinese word: 290所中學共32,000人次 → 中學.
        if not (ch.isalpha() or ch.isdigit()) or ch.isdigit() and (j == i or not text[j - 1].isascii()):
            break
        if (content := p["not_boundary"].match(text, j)) is not None:  # 會議 is a noun, not 會 + 議
            j = min(limit, content.end())
            continue
        if p["noun_end"].match(text, j):
            break
        j += 1
    return text[i:j]
