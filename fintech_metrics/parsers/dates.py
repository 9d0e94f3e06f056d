"""Dates and periods as Chinese text writes them, resolved to ISO 8601 at the precision stated."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .numerals import parse_number

_YEAR = r"(?P<y>(?:19|20)\d{2}|[零〇○一二三四五六七八九]{4})"
_MON = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
_PART = (
    r"(?P<part>上半年|下半年|年初|年中|年底|年末|年内|年內|初|中|底|末|上旬|中旬|下旬|"
    r"第(?P<q>[一二三四1-4])季度?|(?P<q2>[一二三四1-4])季度|前)?"
)

DATE_ZH = re.compile(
    rf"(?P<cue>截至|截止|截止到|截止至|到|至|于|於|在|自|从|從|由|预计到|預計到|直至)?"
    rf"(?:"
    rf"(?P<full>{_YEAR.replace('?P<y>', '?P<y1>')}\s*[-/.]\s*(?P<m1>1[0-2]|0?[1-9])\s*[-/.]\s*"
    rf"(?P<d1>3[01]|[12]\d|0?[1-9])(?!\d)"
    rf"(?:[ T]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?)"
    rf"|(?:{_YEAR}\s*年度?\s*(?:{_MON}\s*月份?\s*(?:{_DAY}\s*[日号號])?)?{_PART})"
    rf"|(?:(?<![\d年])(?<!第){_MON.replace('?P<m>', '?P<m2>')}\s*月\s*{_DAY.replace('?P<d>', '?P<d2>')}\s*[日号號])"
    rf")"
)

AS_OF_CUES = ("截至", "截止", "截止到", "截止至")
TARGET_CUES = ("到", "至", "预计到", "預計到", "直至")


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int  # without the cue word
    end: int
    value: str
    qualifier: str
    cue: str | None  # "as_of", "target", or None


def _num(s: str) -> int:
    return int(parse_number(s))


def _year(s: str) -> int:
    return _num(s)


def find_dates_zh(text: str, published: str | None) -> list[DateMatch]:
    pub_year = int(published[:4]) if published else None
    out = []
    for m in DATE_ZH.finditer(text):
        if not m.group(0) or m.start("cue" if m.group("cue") else 0) == m.end():
            continue
        value, qualifier = _resolve(m, pub_year)
        if value is None:
            continue
        cue = m.group("cue")
        start = m.end("cue") if cue else m.start()
        end = m.end()
        kind = "as_of" if cue in AS_OF_CUES else "target" if cue in TARGET_CUES else None
        out.append(DateMatch(start, end, value, qualifier, kind))
    return out


def _resolve(m: re.Match[str], pub_year: int | None) -> tuple[str | None, str]:
    g = m.groupdict()
    if g["full"]:
        y, mo, d = _year(g["y1"]), int(g["m1"]), int(g["d1"])
        return (_iso(y, mo, d), "exact")
    if g["m2"]:
        mo, d = _num(g["m2"]), _num(g["d2"])
        if pub_year is None:
            return (f"--{mo:02d}-{d:02d}" if _valid(2000, mo, d) else None, "exact")
        return (_iso(pub_year, mo, d), "exact")
    y = _year(g["y"])
    mo = _num(g["m"]) if g["m"] else None
    d = _num(g["d"]) if g["d"] else None
    part = g["part"]
    if d is not None:
        return (_iso(y, mo, d), "exact")
    if mo is not None:
        if not 1 <= mo <= 12:
            return (None, "exact")
        if part in ("底", "末", "年底", "年末"):
            return (_iso(y, mo, calendar.monthrange(y, mo)[1]), "exact")
        if part in ("初", "中", "上旬", "中旬", "下旬"):
            return (f"{y:04d}-{mo:02d}", "approx")
        return (f"{y:04d}-{mo:02d}", "exact")
    quarter = g["q"] or g["q2"]
    if quarter:
        return (f"{y:04d}-Q{_num(quarter) if not quarter.isdigit() else int(quarter)}", "exact")
    if part in ("年底", "年末", "底", "末"):
        return (f"{y:04d}-12-31", "exact")
    if part in ("年初", "年中", "初", "中"):
        return (f"{y:04d}", "approx")
    if part == "上半年":
        return (f"{y:04d}-H1", "exact")
    if part == "下半年":
        return (f"{y:04d}-H2", "exact")
    if part == "前":
        return (f"{y:04d}", "less_than")
    return (f"{y:04d}", "exact")


def _valid(y: int, mo: int, d: int) -> bool:
    return 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]


def _iso(y: int, mo: int | None, d: int) -> str | None:
    if mo is None or not _valid(y, mo, d):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"
