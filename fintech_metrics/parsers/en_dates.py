"""Dates and periods as English text writes them, resolved to ISO 8601 at the precision stated.

Fiscal years: "FY2025", "fiscal year 2025" and "2024/25" are valued as the calendar year the fiscal year
ends in ("2025"), because fiscal years end in different months and the label year is how reports name them.
"""

from __future__ import annotations

import calendar
import re
from functools import cache

from . import scanning
from .dates import DateMatch

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
# Month names are matched capitalised only: "may" is a verb, "March" next to a number is a month.
_FULL = [m for m in _MONTHS if len(m) > 4 or m in ("may", "june", "july")]
_ABBR = [m for m in _MONTHS if m not in _FULL]
_MON = "(?:" + "|".join(sorted([m.capitalize() for m in _FULL] + [m.upper() for m in _FULL], key=len, reverse=True)) \
    + "|(?:" + "|".join(sorted([m.capitalize() for m in _ABBR] + [m.upper() for m in _ABBR], key=len, reverse=True)) \
    + r")\.?)"
_YEAR = r"(?<![\d.,$£€])(?:19|20)\d{2}(?![\d%]|,\d|\.\d)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%])"
_PART = r"(?i:early|mid|late|end|end\s+of|beginning\s+of|start\s+of|middle\s+of|year-end|year\s+end)"

DATE_EN = re.compile(
    rf"(?P<iso>(?<![\d.])(?P<iy>(?:19|20)\d{{2}})-(?P<im>1[0-2]|0[1-9])-(?P<id>3[01]|[12]\d|0[1-9])(?![\d-]))"
    rf"|(?P<dmy>(?<![\d.])(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MON})(?:,?\s+(?P<y1>{_YEAR}))?)(?![A-Za-z])"
    rf"|(?P<mdy>(?:(?P<p2>{_PART})[-\s]+)?(?P<m2>{_MON})(?:\s+(?P<d2>{_DAY})(?:,?\s+(?P<y2>{_YEAR}))?"
    rf"|,?\s+(?P<y3>{_YEAR})))(?![A-Za-z])"
    rf"|(?P<qtr>(?:Q(?P<q1>[1-4])|(?P<q2>[1-4])Q)(?:\s+|\s*of\s+|-)?(?P<y4>{_YEAR})"
    rf"|(?P<y5>{_YEAR})\s*-?\s*Q(?P<q3>[1-4])"
    rf"|(?i:(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?)(?P<y6>{_YEAR}))(?![A-Za-z])"
    rf"|(?P<half>(?:H(?P<h1>[12])|(?P<h2>[12])H)(?:\s+|-)?(?P<y7>{_YEAR})"
    rf"|(?i:(?P<hw>first|second|1st|2nd)\s+half\s+(?:of\s+)?)(?P<y8>{_YEAR}))(?![A-Za-z])"
    rf"|(?P<fy>(?:(?<![A-Za-z])FY\s?|(?i:fiscal|financial)\s+(?:year\s+)?)(?P<y9>{_YEAR}|(?<=FY)\d{{2}}(?!\d)))"
    rf"|(?P<split>(?P<ys1>{_YEAR})\s*(?P<sep>[/–-]|\s(?:to|until|through)\s)\s*(?P<ys2>{_YEAR}|(?<=[/–-])\d{{2}}(?![\d%])))"
    rf"|(?P<yp>(?P<p3>{_PART})[-\s]*(?P<y10>{_YEAR}))"
    rf"|(?P<ye>(?P<y11>{_YEAR})[-\s]+(?i:year[-\s]?end))(?![A-Za-z])"
    rf"|(?P<bare>{_YEAR})"
    rf"|(?P<rel>(?i:this|last|next|previous|current)\s+year)(?![-\w])"
)

# Where a date can start: scanning only these positions keeps the big pattern off most of the text.
_TRIGGER_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TRIGGER_WORDS = ("early", "mid", "late", "end", "beginning", "start", "middle", "year", "first", "second", "third",
                  "fourth", "fiscal", "financial", "this", "last", "next", "previous", "current")
_TRIGGER = re.compile(
    rf"\b(?:\d|Q\d|H\d|FY|(?:{'|'.join(_TRIGGER_MONTHS + tuple(m.upper() for m in _TRIGGER_MONTHS))})"
    rf"|(?i:{'|'.join(_TRIGGER_WORDS)})\b)"
)
# The dates themselves, found in one scan: a trigger (at a word start) where a date matches.
_DATES_GATE = scanning.gate(
    rf"\dQHF{''.join(sorted({m[0] for m in _TRIGGER_MONTHS}))}"
    rf"{scanning.either_case(''.join(sorted({w[0] for w in _TRIGGER_WORDS})))}",
    _TRIGGER, DATE_EN, before=r"(?<!\w.)")

# A bare year is a date only after these words (any case), or next to another date.
_YEAR_CONTEXT = re.compile(
    r"(?i:\b(?:in|by|since|from|to|until|till|through|of|as\s+of|as\s+at|before|after|during|for|year|between|"
    r"and|or|circa|around|about|early|late|mid|end|spring|summer|autumn|fall|winter|calendar|within|throughout|"
    r"beyond|starting|ending|begin|beginning|than|versus|vs\.?|against))\s+(?:the\s+year\s+)?$"
)
_CUE = re.compile(
    r"(?i:\b(?P<cue>as\s+of|as\s+at|by|to|until|till|through|before|prior\s+to|after|since|in|on|from|of|"
    r"at|during|until\s+the|between|and|by\s+the|to\s+the|before\s+the|after\s+the|in\s+the|at\s+the|since\s+the)"
    r")\s+$"
)
_CUE_KIND = {"as of": ("as_of", "exact"), "as at": ("as_of", "exact"), "by": ("target", "at_most"),
             "to": ("target", "exact"), "until": ("target", "exact"), "till": ("target", "exact"),
             "through": ("target", "exact"), "before": (None, "less_than"), "prior to": (None, "less_than"),
             "after": (None, "more_than")}


@cache
def _pattern() -> re.Pattern[str]:
    return DATE_EN


def find_dates_en(text: str, published: str | None) -> list[DateMatch]:
    """Every English date in text order; the span leaves out the cue word ("by", "as of")."""
    pub_year = int(published[:4]) if published and published[:4].isdigit() else None
    out: list[DateMatch] = []
    for m in scanning.finditer(_DATES_GATE, _pattern(), text):
        if m.group("bare") and not _bare_year_is_date(text, m.start(), out):
            continue
        resolved = _resolve(m, pub_year)
        if resolved is None:
            continue
        value, qualifier = resolved
        cue_kind, cue_qual = _cue(text, m.start())
        if qualifier == "exact" and cue_qual != "exact":
            qualifier = cue_qual
        out.append(DateMatch(m.start(), m.end(), value, qualifier, cue_kind))
    return out


def year_range(m: re.Match[str]) -> tuple[str, str] | None:
    """(from, to) of a year range match "2024 to 2032", or None for a fiscal year "2024/25"."""
    if not m.group("split"):
        return None
    y1, y2 = int(m.group("ys1")), _full_year(m.group("ys1"), m.group("ys2"))
    return None if _is_fiscal(m, y1, y2) else (str(y1), str(y2))


def date_from(text: str, d: DateMatch) -> str | None:
    """The low end of a year range date ("2024 to 2032" → "2024")."""
    m = _pattern().match(text, d.start)
    if m is None or m.end() != d.end:
        return None
    r = year_range(m)
    return r[0] if r else None


def _cue(text: str, start: int) -> tuple[str | None, str]:
    c = _CUE.search(text, max(0, start - 16), start)
    if c is None:
        return None, "exact"
    word = " ".join(c.group("cue").lower().split())
    word = word.removesuffix(" the")
    return _CUE_KIND.get(word, (None, "exact"))


def _bare_year_is_date(text: str, start: int, found: list[DateMatch]) -> bool:
    if found and 0 <= start - found[-1].end <= 6 and text[found[-1].end:start].strip(" ,") in ("", "and", "or"):
        return True
    if _YEAR_CONTEXT.search(text, max(0, start - 24), start) is None:
        return False
    # "in 2025 strategy"-like names after a cue still need the year to stand alone.
    return not (start >= 1 and text[start - 1] in "#$")


def _full_year(y1: str, y2: str) -> int:
    if len(y2) == 2:
        return int(y1[:2] + y2) if int(y2) >= int(y1[2:]) else int(str(int(y1[:2]) + 1) + y2)
    return int(y2)


def _is_fiscal(m: re.Match[str], y1: int, y2: int) -> bool:
    return y2 == y1 + 1 and m.group("sep") in "/–-" and m.group("sep").strip() != ""


def _resolve(m: re.Match[str], pub_year: int | None) -> tuple[str, str] | None:
    g = m.groupdict()
    if g["iso"]:
        return _day(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["dmy"] or (g["mdy"] and g["d2"]):
        d, mo, y = (g["d1"], g["m1"], g["y1"]) if g["dmy"] else (g["d2"], g["m2"], g["y2"])
        year = int(y) if y else pub_year
        if year is None:
            return _no_year(_month(mo), _daynum(d))
        return _day(year, _month(mo), _daynum(d))
    if g["mdy"]:
        return _month_value(int(g["y3"]), _month(g["m2"]), g["p2"])
    if g["qtr"]:
        q = g["q1"] or g["q2"] or g["q3"] or str(_ORDINALS[g["qw"].lower()])
        return f"{g['y4'] or g['y5'] or g['y6']}-Q{q}", "exact"
    if g["half"]:
        h = g["h1"] or g["h2"] or str(_ORDINALS[g["hw"].lower()])
        return f"{g['y7'] or g['y8']}-H{h}", "exact"
    if g["fy"]:
        y = g["y9"]
        return (y if len(y) == 4 else f"20{y}"), "exact"
    if g["split"]:
        y1, y2 = int(g["ys1"]), _full_year(g["ys1"], g["ys2"])
        return (str(y2), "exact") if y2 > y1 else None
    if g["yp"]:
        return _year_value(int(g["y10"]), g["p3"])
    if g["ye"]:
        return f"{g['y11']}-12-31", "exact"
    if g["bare"]:
        return g["bare"], "exact"
    if pub_year is None:
        return None
    offset = {"last": -1, "previous": -1, "next": 1}.get(g["rel"].lower().split()[0], 0)
    return str(pub_year + offset), "exact"


def _part(part: str | None) -> str:
    return " ".join(part.lower().split()).removesuffix(" of") if part else ""


def _month_value(y: int, mo: int, part: str | None) -> tuple[str, str]:
    p = _part(part)
    if p in ("end", "year-end", "year end"):
        return f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}", "exact"
    return f"{y:04d}-{mo:02d}", "approx" if p else "exact"


def _year_value(y: int, part: str | None) -> tuple[str, str]:
    p = _part(part)
    if p in ("end", "year-end", "year end"):
        return f"{y:04d}-12-31", "exact"
    return f"{y:04d}", "approx"


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _daynum(d: str) -> int:
    return int(d.rstrip("stndrh"))


def _day(y: int, mo: int, d: int) -> tuple[str, str] | None:
    if not 1 <= d <= calendar.monthrange(y, mo)[1]:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}", "exact"


def _no_year(mo: int, d: int) -> tuple[str, str] | None:
    return (f"--{mo:02d}-{d:02d}", "exact") if 1 <= d <= calendar.monthrange(2000, mo)[1] else None
