"""Dates and periods as Chinese text writes them, resolved to ISO 8601 at the precision stated."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon, scanning
from .numerals import parse_number

_YEAR = r"(?P<y>(?:19|20)\d{2}|[零〇○一二三四五六七八九]{4})"
_MON = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
_PART = (
    # 年中 and 中 are mid-year or mid-month only on their own or before a word that follows a time (时, 前, 推出):
    # 2021年中国…, 2021年中期业绩, 2021年中小企业 name a year; 年初 is no start of the year in 2021年初步统计
    # (preliminary) or 年初次 (first time)
    r"(?P<part>上半年|下半年|年初(?![步次])|年中(?=[^\u4e00-\u9fff]|[时時前后後左至以起开開完推落将將会會或及和]|$)|年底|年末|"
    r"年内|年內|上旬|中旬|下旬|初(?![步次])|中(?=[^\u4e00-\u9fff]|[时時前后後左至以起开開完推落将將会會或及和]|$)|底|末|"
    r"第(?P<q>[一二三四1-4])季度?|(?P<q2>[一二三四1-4])季度)?"
    # 第三季末, 第2季底: the quarter's last day
    r"(?P<qend>(?<=季)末|(?<=季)底|(?<=季度)末|(?<=季度)底)?"
)
# 前 after a date is "before"; 2025年前三季度 (the first three quarters of 2025) is not.
_BEFORE = r"(?:(?P<before>\s?或之前|\s?或以前|之前|以前|前)(?![一二三四五六七八九十两兩\d]))?"
# Taiwan's Minguo years: 民國113年, or 113年 before a month, 度 or a part of the year (113年6月, 114年前7月) → +1911.
_ROC = (r"(?P<roc>(?:民國|民国)\s*(?P<rocn>\d{2,3})|(?<![\d.,])(?P<rocb>1[01]\d)"
        r"(?=\s*年(?:度|\s*\d{1,2}\s*月|底|初|中|上半年|下半年|第|前|全年)))")
_REL_YEAR = r"(?P<rel>今年|去年|明年|前年|后年|後年|本年)"
# A part of a month, the longer words first (中旬 before 中); 中 as in _PART (10月中国 is October)
_MONTH_PART = r"上旬|中旬|下旬|初(?![步次])|中(?=[^\u4e00-\u9fff]|[时時前后後左至以起开開完推落将將会會或及和]|$)|底|末"
_REL_MONTH = (
    r"(?P<relm>本月|上月|下月|上个月|上個月|下个月|下個月|当月|當月)"
    r"(?:(?P<d4>3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号號]"
    rf"|(?P<mpart>{_MONTH_PART}))?"
)
# A year-less quarter or half takes the published year: 第三季度, 三季度, 上半年.
_BARE_PERIOD = (r"(?<![年前首后後近\d])(?:第(?P<q3>[一二三四1-4])季度?|(?P<q4>[一二三四])季度|(?P<half>上半年|下半年))"
                r"(?P<qend3>(?<=季)末|(?<=季)底|(?<=季度)末|(?<=季度)底)?")
_FISCAL = (
    r"(?P<fy1>(?:19|20)\d{2})(?:\s*/\s*(?P<fy2>\d{2}))?\s*"
    r"(?P<fy>财年|財年|财政年度|財政年度|会计年度|會計年度|(?<=\d/\d\d)年度)"
)
REL_YEARS = {"今年": 0, "本年": 0, "去年": -1, "前年": -2, "明年": 1, "后年": 2, "後年": 2}
REL_MONTHS = {"本月": 0, "当月": 0, "當月": 0, "上月": -1, "上个月": -1, "上個月": -1, "下月": 1, "下个月": 1,
              "下個月": 1}

_CUES = "截至|截止|截止到|截止至|到|至|于|於|在|自|从|從|由|预计到|預計到|直至"
# What follows the cue starts with one of these, so every date starts with one of them or a cue's first.
_ALTERNATIVE_FIRST = "0-9零〇○一二三四五六七八九十今昨去明前后後本上下当當第民"
_DATE_FIRST = "截到至于於在自从從由预預直" + _ALTERNATIVE_FIRST
DATE_ZH = re.compile(
    # A quick test that skips the alternatives at most positions.
    rf"(?=[{_DATE_FIRST}])"
    rf"(?P<cue>{_CUES})?"
    rf"(?:"
    rf"(?P<full>{_YEAR.replace('?P<y>', '?P<y1>')}\s*[-/.]\s*(?P<m1>1[0-2]|0?[1-9])\s*[-/.]\s*"
    rf"(?P<d1>3[01]|[12]\d|0?[1-9])(?!\d)"
    rf"(?:[ T]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"
    rf"(?P<fbefore>\s?(?:或之前|或以前|之前|以前|前)(?![一二三四五六七八九十两兩\d]))?)"
    rf"|(?P<fiscal>{_FISCAL})"
    # A year without 年 that names a period: 2024全年, 2023年度报告 is read above.
    rf"|(?P<yp>(?:19|20)\d{{2}})(?=\s?全年)"
    # Datelines: 今(12)日, 昨（9）日 (the day, in the published month), 去(2024)年 (the year written out).
    rf"|(?:(?P<dl>[今昨前本])[（(]\s*(?P<dld>3[01]|[12]\d|0?[1-9])\s*[)）]\s*日)"
    rf"|(?:[今去前明本][（(]\s*(?P<dly>(?:19|20)\d{{2}})\s*[)）]\s*年)"
    rf"|(?:(?:{_YEAR}\s*年度?|{_ROC}\s*年度?|{_REL_YEAR})\s*(?:{_MON}\s*月份?\s*(?:{_DAY}\s*[日号號])?)?{_PART}{_BEFORE})"
    rf"|{_REL_MONTH}|{_BARE_PERIOD}"
    rf"|(?:(?:(?<![\d年第前近首连連])|(?<=当年)|(?<=當年)|(?<=同年))(?P<m5>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月份?"
    rf"(?P<mpart5>{_MONTH_PART})?(?![\d一二三四五六七八九十份])"
    rf"{_BEFORE.replace('?P<before>', '?P<before5>')})"
    rf"|(?:(?:(?<![\d年])|(?<=当年)|(?<=當年)|(?<=同年))(?<!第)"
    rf"{_MON.replace('?P<m>', '?P<m2>')}\s*月\s*{_DAY.replace('?P<d>', '?P<d2>')}\s*[日号號]"
    rf"{_BEFORE.replace('?P<before>', '?P<before2>')})"
    rf")"
)

# Where DATE_ZH can match, tested first at each of _DATE_FIRST: most of those characters start no date (在 in
# 在于, 上 in 上市, 一 in 一些, the numerals inside 1,234), and the scan skips them before trying DATE_ZH. A date
# starts with a year (2025, 二〇二五), a month before 月, a quarter (三季度), a relative year, month or period
# (今年, 上月, 上半年, 第三季度), or a cue word before one of those.
_DATE_START = re.compile(
    rf"(?:{_CUES})[{_ALTERNATIVE_FIRST}]|{'|'.join([*REL_YEARS, *REL_MONTHS])}|上半年|下半年|第"
    r"|[今昨去前明本][（(]\s*\d|民國|民国|1[01]\d\s*年|(?:19|20)\d\d|[零〇○一二三四五六七八九]{4}|\d\d?\s*月|(?:十[一二]?|[一二三四五六七八九])\s*月|[一二三四]季")
_DATE_GATE = scanning.gate(_DATE_FIRST, _DATE_START, DATE_ZH)


@lru_cache(maxsize=1)
def _change_verb_before() -> re.Pattern[str]:
    return re.compile(f"(?:{lexicon.trie_alternation(list(lexicon.word_table('changes', 'zh')))})$")


AS_OF_CUES = ("截至", "截止", "截止到", "截止至")
TARGET_CUES = ("到", "至", "预计到", "預計到", "直至")


# Not frozen: a frozen dataclass sets each field through object.__setattr__ (1.9 µs a date against 0.5 µs).
@dataclass(slots=True)
class DateMatch:
    start: int  # without the cue word
    end: int
    value: str
    qualifier: str
    cue: str | None  # "as_of", "target", or None
    unit: str | None = None  # 财年 for a fiscal year


@lru_cache(maxsize=1024)  # the same few numerals name years, months and days
def _num(s: str) -> int:
    return int(parse_number(s))


def _year(s: str) -> int:
    return _num(s)


def find_dates_zh(text: str, published: str | None) -> list[DateMatch]:
    pub = _published(published)
    out = []
    last_year: int | None = None  # the year the text last wrote out: 当年3月 is in it
    last_end: int | None = None  # where it was written
    latest: list[int | None] = []  # the latest year the text writes, read once when a date needs it
    for m in scanning.finditer(_DATE_GATE, DATE_ZH, text):
        if not m.group(0) or m.start("cue" if m.group("cue") else 0) == m.end():
            continue
        if m.group("m5") or m.group("m2") or m.group("q3") or m.group("q4") or m.group("half"):
            if not latest:  # only an article without a published date needs it
                latest.append(None if pub[0] is not None else
                              max((int(y) for y in _WRITTEN_YEAR.findall(text)), default=None))
            value, qualifier = _resolve(m, (_yearless_year(text, m, pub, last_year, latest[0], last_end), None))
        else:
            value, qualifier = _resolve(m, pub)
            written = m.group("y") or m.group("y1") or m.group("dly")
            if value is not None and written and written.isdigit():
                last_year, last_end = int(written), m.end()
            elif value is not None and m.group("roc"):
                last_year, last_end = int(value[:4]), m.end()
        if value is None:
            continue
        cue = m.group("cue")
        start = m.end("cue") if cue else m.start()
        end = m.end()
        kind = "as_of" if cue in AS_OF_CUES else "target" if cue in TARGET_CUES else None
        if kind == "target" and _change_verb_before().search(text, max(0, m.start() - 4), m.start()):
            kind = None  # 增至2024年的250萬: 至 is the verb's, and the date is the level's
        out.append(DateMatch(start, end, value, qualifier, kind, m.group("fy")))
    return out


# (?<!\d) is tested after 19/20, not before: a pattern that opens with a look-behind is tried at every position of
# the text; one that opens with 19|20 lets `re` skip ahead to the next 1 or 2.
_WRITTEN_YEAR = re.compile(r"((?:19|20)(?<!\d..)\d{2})(?=\s*年|[-/.]\d)")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_WEEKDAY = re.compile(r"(?:周|週|星期|礼拜|禮拜)(?P<wd>[一二三四五六日天])\s*[（(]\s*$")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_SAME_YEAR = ("当年", "當年", "同年")


@lru_cache(maxsize=1)
def _ahead_cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Words that look ahead: 预计, 有望 anywhere before a date in its sentence, 将/会/拟 right before it (将于9月);
    a date after them is not in the past."""
    table = lexicon.load("lexicon.toml")["forecast"]["zh"]
    near = [*table["near_cues"], "拟", "擬", "即将", "即將", "可能", "或将", "或將"]
    return (re.compile(lexicon.trie_alternation(table["cues"])),
            re.compile(rf"(?:{lexicon.trie_alternation(near)})[^，,。；;、（(]{{0,8}}$"))


def _yearless_year(text: str, m: re.Match[str], pub: tuple[int | None, int | None], last_year: int | None,
                   latest: int | None, last_end: int | None = None) -> int | None:
    """The year of a date written without one (6月12日, 9月, 第三季度), as a reader infers it:
    当年/同年 is the year last written; a weekday fixes the year (周一（2月7日）); so does a year written earlier
    in the sentence (2021年1-9月); a month later in the year
    than the published month is last year's, unless the sentence looks ahead (预计, 将); without a published
    date, the latest year the text writes (an annual report's dates are in its year)."""
    start = m.start()
    if text[max(0, start - 2):start] in _SAME_YEAR and last_year is not None:
        return last_year
    pub_year, pub_month = pub
    month = _first_month(m)
    if m.group("d2") and (w := _WEEKDAY.search(text, max(0, start - 6), start)) is not None:
        y = _weekday_year(pub_year, latest, month, _num(m.group("d2")), _WEEKDAYS[w.group("wd")])
        if y is not None:
            return y
    if last_year is not None and last_end is not None and _SENTENCE_END.search(text, last_end, start) is None:
        return last_year  # 2021年1-9月, 2022年，央行分别于7月与12月: the year written earlier in the sentence
    if pub_year is None:
        return latest
    if pub_month is not None and month > pub_month and not _looks_ahead(text, m):
        return pub_year - 1
    return pub_year


def _first_month(m: re.Match[str]) -> int:
    """The month a year-less date is in, or a quarter or half starts in."""
    if m.group("m5") or m.group("m2"):
        return _num(m.group("m5") or m.group("m2"))
    q = m.group("q3") or m.group("q4")
    return (_num(q) - 1) * 3 + 1 if q else (1 if m.group("half") == "上半年" else 7)


def _weekday_year(pub_year: int | None, latest: int | None, month: int, day: int, weekday: int) -> int | None:
    """周一（2月7日）: the nearest year (to the published year, else from the latest year written on) in which the
    day falls on that weekday."""
    base = pub_year or latest
    if base is None or not 1 <= month <= 12:
        return None
    # the nearest year with that weekday; from the latest year written only later years are possible
    years = sorted(range(base - 11, base + 12), key=lambda y: (abs(y - base), y)) if pub_year \
        else range(base, base + 12)
    for y in years:
        if _valid(y, month, day) and calendar.weekday(y, month, day) == weekday:
            return y
    return None


def _looks_ahead(text: str, m: re.Match[str]) -> bool:
    """预计, 有望 earlier in the sentence, or 将/拟 right before or 将 right after the date: it is not in the past."""
    start = m.start()
    sentence_start = max(text.rfind("。", 0, start), text.rfind("\n", 0, start), start - 40)
    anywhere, near = _ahead_cues()
    # 「金融科技先鋒聯網」計劃: a plan named in quotes is a noun, not a look ahead
    ahead = [a for a in anywhere.finditer(text, sentence_start + 1, start) if text[a.start() - 1:a.start()]
             not in ("」", "》", "”", '"')]
    return bool(ahead) \
        or near.search(text, max(0, start - 10), m.end("cue") if m.group("cue") else start) is not None \
        or text.startswith(("将", "將"), m.end())


def _published(published: str | None) -> tuple[int | None, int | None]:
    """(year, month) of the published date, each None when not stated."""
    m = re.match(r"((?:19|20)\d\d)(?:-(0[1-9]|1[0-2]))?", published or "")
    return (int(m.group(1)), int(m.group(2)) if m.group(2) else None) if m else (None, None)


def _resolve(m: re.Match[str], pub: tuple[int | None, int | None]) -> tuple[str | None, str]:
    value, qualifier = _resolve_value(m, pub)
    before = m.group("before") or m.group("fbefore") or m.group("before2") or m.group("before5")
    if value is None or not before:
        return value, qualifier
    # 年底前 = by the end of the year; 8月31日或之前 = on or before; 10月前 = before October.
    if m.group("part") in ("底", "末", "年底", "年末") or m.group("mpart5") in ("底", "末") or "或" in before:
        return value, "at_most"
    return value, "less_than"


_Pub = tuple[int | None, int | None]  # the published (year, month), each None when not stated
_Groups = re.Match[str]  # a DATE_ZH match, read by group name (g["y"]; None for a group not set)
_Resolved = tuple[str | None, str]  # (ISO value or None when it is no date, qualifier)
_NO_DATE: _Resolved = (None, "exact")


def _resolve_value(m: re.Match[str], pub: _Pub) -> _Resolved:
    """A DATE_ZH match's value and qualifier, read by the alternative that matched (the first group set)."""
    g = m  # by name from the match itself: a groupdict() of DATE_ZH's 39 groups cost 4 µs per date
    for group, read in _ALTERNATIVES:
        if g[group]:
            return read(g, pub)
    return _year_date(g, pub)


def _fiscal_year(g: _Groups, pub: _Pub) -> _Resolved:
    """2024财年 is 2024; 2024/25财年 is named by the year it ends in."""
    start = int(g["fy1"])
    return (f"{start + 1 if g['fy2'] and int(g['fy2']) == (start + 1) % 100 else start:04d}", "exact")


def _written_year(group: str) -> Callable[[_Groups, _Pub], _Resolved]:
    """去(2024)年, 2024全年: the year as written."""
    return lambda g, pub: (g[group], "exact")


def _dateline_day(g: _Groups, pub: _Pub) -> _Resolved:
    """今(12)日, 昨（9）日: the day, in the published month."""
    pub_year, pub_month = pub
    if pub_year is None or pub_month is None:
        return _NO_DATE
    return (_iso(pub_year, pub_month, int(g["dld"])), "exact")


def _yearless_month(g: _Groups, pub: _Pub) -> _Resolved:
    """10月底 without a year: the year given (the published year, or the one inferred)."""
    return _month(pub[0], _num(g["m5"]), g["mpart5"])


def _yearless_period(g: _Groups, pub: _Pub) -> _Resolved:
    """第三季度, 三季度末, 上半年 without a year."""
    pub_year = pub[0]
    if pub_year is None:
        return _NO_DATE
    q = g["q3"] or g["q4"]
    if q and g["qend3"]:
        return (_quarter_end(pub_year, _num(q)), "exact")
    return (f"{pub_year:04d}-Q{_num(q)}" if q else f"{pub_year:04d}-H{1 if g['half'] == '上半年' else 2}", "exact")


def _full_date(g: _Groups, pub: _Pub) -> _Resolved:
    """2025-05-07, 2025/5/7."""
    return (_iso(_year(g["y1"]), int(g["m1"]), int(g["d1"])), "exact")


def _yearless_day(g: _Groups, pub: _Pub) -> _Resolved:
    """6月12日 without a year: in the year given, else a day of no known year (--06-12)."""
    month, day = _num(g["m2"]), _num(g["d2"])
    if pub[0] is None:
        return (f"--{month:02d}-{day:02d}" if _valid(2000, month, day) else None, "exact")
    return (_iso(pub[0], month, day), "exact")


def _relative_month(g: _Groups, pub: _Pub) -> _Resolved:
    """本月15日, 上月底: a month counted from the published month."""
    pub_year, pub_month = pub
    relm = g["relm"]
    if pub_year is None or pub_month is None or relm is None:
        return _NO_DATE
    y, mo = divmod(pub_year * 12 + pub_month - 1 + REL_MONTHS[relm], 12)
    if g["d4"]:
        return (_iso(y, mo + 1, _num(g["d4"])), "exact")
    return _month(y, mo + 1, g["mpart"])


# The alternatives of DATE_ZH other than a year with its month, day or part, by the group that marks each,
# in the order they are tried.
_ALTERNATIVES: tuple[tuple[str, Callable[[_Groups, _Pub], _Resolved]], ...] = (
    ("fiscal", _fiscal_year),
    ("relm", _relative_month),
    ("dly", _written_year("dly")),
    ("yp", _written_year("yp")),
    ("dld", _dateline_day),
    ("m5", _yearless_month),
    ("q3", _yearless_period),
    ("q4", _yearless_period),
    ("half", _yearless_period),
    ("full", _full_date),
    ("m2", _yearless_day),
)


def _year_date(g: _Groups, pub: _Pub) -> _Resolved:
    """A year (2025年, 民國113年, 今年) with what follows it: a month, a day, a quarter or a part of the year."""
    y = _stated_year(g, pub[0])
    if y is None:
        return _NO_DATE
    mo = _num(g["m"]) if g["m"] else None
    if g["d"]:
        return (_iso(y, mo, _num(g["d"])), "exact")
    if mo is not None:
        return _month_of_year(y, mo, g["part"])
    return _part_of_year(y, g)


def _stated_year(g: _Groups, pub_year: int | None) -> int | None:
    """The year written: relative to the published year (今年, 去年), a Minguo year (+1911), or the year itself."""
    if g["rel"]:
        return None if pub_year is None else pub_year + REL_YEARS[g["rel"]]
    if g["roc"]:
        return int(g["rocn"] or g["rocb"]) + 1911
    return _year(g["y"])


def _month_of_year(y: int, mo: int, part: str | None) -> _Resolved:
    """2025年6月, 6月底 (the month's last day), 6月初 or 上旬 (about the month)."""
    if not 1 <= mo <= 12:
        return _NO_DATE
    if part in ("底", "末", "年底", "年末"):
        return (_iso(y, mo, calendar.monthrange(y, mo)[1]), "exact")
    if part in ("初", "中", "上旬", "中旬", "下旬"):
        return (f"{y:04d}-{mo:02d}", "approx")
    return (f"{y:04d}-{mo:02d}", "exact")


def _part_of_year(y: int, g: _Groups) -> _Resolved:
    """2025年第三季度 (末), 年底, 年初, 上半年, or the year alone."""
    part = g["part"]
    quarter = g["q"] or g["q2"]
    if quarter:
        if g["qend"]:
            return (_quarter_end(y, _num(quarter)), "exact")
        return (f"{y:04d}-Q{_num(quarter) if not quarter.isdigit() else int(quarter)}", "exact")
    if part in ("年底", "年末", "底", "末"):
        return (f"{y:04d}-12-31", "exact")
    if part in ("年初", "年中", "初", "中"):
        return (f"{y:04d}", "approx")
    if part == "上半年":
        return (f"{y:04d}-H1", "exact")
    if part == "下半年":
        return (f"{y:04d}-H2", "exact")
    return (f"{y:04d}", "exact")


def _quarter_end(y: int, q: int) -> str | None:
    """第三季末 → the quarter's last day."""
    if not 1 <= q <= 4:
        return None
    return _iso(y, q * 3, calendar.monthrange(y, q * 3)[1])


def _month(y: int | None, mo: int, part: str | None) -> tuple[str | None, str]:
    if y is None:
        return (f"--{mo:02d}", "exact") if not part else (None, "exact")
    if part in ("底", "末"):
        return (_iso(y, mo, calendar.monthrange(y, mo)[1]), "exact")
    return (f"{y:04d}-{mo:02d}", "approx" if part else "exact")


def _valid(y: int, mo: int, d: int) -> bool:
    return 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]


def _iso(y: int, mo: int | None, d: int) -> str | None:
    if mo is None or not _valid(y, mo, d):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"
