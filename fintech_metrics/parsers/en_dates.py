"""Dates and periods as English text writes them, resolved to ISO 8601 at the precision stated.

Fiscal years: "FY2025", "fiscal year 2025" and "2024/25" are valued as the calendar year the fiscal year
ends in ("2025"), because fiscal years end in different months and the label year is how reports name them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, partial

from . import lexicon, scanning
from .dates import DateMatch


@dataclass(slots=True)  # not frozen, as DateMatch
class EnDate(DateMatch):
    """An English date; a range ("between January and March 2024") carries its start."""

    value_from: str | None = None
    year_stated: bool = True  # "March" alone takes its year from elsewhere
    deictic: bool = False  # "last year": no figure, but it dates the figures of its sentence

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
# A month name alone ("in March", "The March spike") is a date too; abbreviations alone are too ambiguous.
_MON_ALONE = "(?:" + "|".join(sorted([m.capitalize() for m in _FULL], key=len, reverse=True)) + ")"
_YEAR = r"(?<![\d.,$£€])(?:19|20)\d{2}(?![\d%]|,\d|\.\d)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%])"
_PART = r"(?i:early|mid|late|end|end\s+of|beginning\s+of|start\s+of|middle\s+of|year-end|year\s+end)"
# newswire spells a day under ten after its month: "the five weeks ended March One"
_SPELLED_DAYS = {"One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5, "Six": 6, "Seven": 7, "Eight": 8, "Nine": 9}
_SPELLED_DAY = "(?:" + "|".join(_SPELLED_DAYS) + r")(?![A-Za-z])"

DATE_EN = re.compile(
    rf"(?P<iso>(?<![\d.])(?P<iy>(?:19|20)\d{{2}})-(?P<im>1[0-2]|0[1-9])-(?P<id>3[01]|[12]\d|0[1-9])(?![\d-]))"
    rf"|(?P<dmy>(?<![\d.])(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MON})(?:,?\s+(?P<y1>{_YEAR}))?)(?![A-Za-z])"
    rf"|(?P<mdy>(?:(?P<p2>{_PART})[-\s]+)?(?P<m2>{_MON})(?:\s+(?P<d2>{_DAY}|{_SPELLED_DAY})(?:,?\s+(?P<y2>{_YEAR}))?"
    rf"|,?\s+(?P<y3>{_YEAR})))(?![A-Za-z])"
    rf"|(?P<mo>(?:(?P<p4>{_PART})[-\s]+)?(?P<m4>{_MON_ALONE}))(?![A-Za-z0-9'’-])"
    rf"|(?P<qtr>(?:Q(?P<q1>[1-4])|(?P<q2>[1-4])Q)(?:\s+|\s*of\s+|-)?(?P<y4>{_YEAR}|(?<=Q)\d{{2}}(?![\d%]))"
    rf"|(?P<y5>{_YEAR})\s*-?\s*Q(?P<q3>[1-4])"
    rf"|(?i:(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th)[-\s]+quarter\s+(?:of\s+)?)(?P<y6>{_YEAR}))(?![A-Za-z])"
    rf"|(?P<half>(?:H(?P<h1>[12])|(?P<h2>[12])H)(?:\s+|-)?(?P<y7>{_YEAR}|(?<=H)\d{{2}}(?![\d%]))"
    rf"|(?i:(?P<hw>first|second|1st|2nd)[-\s]+half\s+(?:of\s+)?)(?P<y8>{_YEAR}))(?![A-Za-z])"
    rf"|(?P<fy>(?:(?<![A-Za-z])FY\s?|(?i:fiscal|financial)\s+(?:year\s+)?)(?P<y9>{_YEAR}|(?<=FY)\d{{2}}(?!\d))"
    rf"(?:\s?[/–-]\s?(?P<y9b>(?:19|20)?\d{{2}})(?![\d%]))?)"
    rf"|(?P<yq>(?P<y12>{_YEAR})\s+(?:(?i:(?P<qw3>first|second|third|fourth|1st|2nd|3rd|4th))[-\s]+)?"
    rf"(?i:(?P<yqwhat>quarter|half)))(?![-\w])"
    rf"|(?P<qa>(?<![A-Za-z0-9])(?:Q(?P<q6>[1-4])|H(?P<h6>[12]))(?![\w'’-]))"
    rf"|(?P<split>(?P<ys1>{_YEAR})\s*(?P<sep>[/–-]|\s(?:to|until|through)\s)\s*(?P<ys2>{_YEAR}|(?<=[/–-])\d{{2}}(?![\d%])))"
    rf"|(?P<yp>(?P<p3>{_PART})[-\s]*(?P<y10>{_YEAR}))"
    rf"|(?P<ye>(?P<y11>{_YEAR})[-\s]+(?i:year[-\s]?end))(?![A-Za-z])"
    rf"|(?P<qd>(?i:(?P<qw4>first|second|third|fourth|1st|2nd|3rd|4th)[-\s]+(?P<qdwhat>quarter|half))(?![-\w])"
    rf"(?:(?:\s+of)?\s+(?P<qdrel>(?i:this|last|next|the\s+current))\s+year)?)"
    rf"|(?P<bare>{_YEAR})"
    rf"|(?P<rel>(?i:this|last|next|previous|current)\s+(?i:calendar\s+)?year(?:(?:'s|’s)\s+(?P<relpart>(?i:first|second|third|fourth)\s+"
    rf"(?:quarter|half)))?)(?![-\w])"
)

# Where a date can start: scanning only these positions keeps the big pattern off most of the text.
_TRIGGER_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TRIGGER_WORDS = ("early", "mid", "late", "end", "beginning", "start", "middle", "year", "first", "second", "third",
                  "fourth", "fiscal", "financial", "this", "last", "next", "previous", "current")
# A date that opens with a digit opens with a year, a day before a month's capital (6 December, 1st of March), 1st…4th,
# or 2Q/1H: other numbers are no trigger, and the date pattern is not tried at them (at a day before any white space,
# two thirds of the triggers were followed by no date).
_DIGIT_TRIGGER = r"(?:19|20)\d\d|\d\d?(?i:st|nd|rd|th)?\s+(?:of\s+)?[ADFJMNOS]|[1-4](?:Q|(?i:st|nd|rd|th))|[12]H"
_TRIGGER = re.compile(
    rf"\b(?:{_DIGIT_TRIGGER}|Q\d|H\d|FY|(?:{'|'.join(_TRIGGER_MONTHS + tuple(m.upper() for m in _TRIGGER_MONTHS))})"
    rf"|(?:{scanning.any_case_words(_TRIGGER_WORDS)})\b)"
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
# A year that dates the results it names: "a 1986 loss", "its 2024 net profit", "2023's revenue"
_RESULTS_AFTER = re.compile(r"(?:'s|’s)?\s+(?:(?:net|pre-?tax|pretax|after-tax|operating|attributable|consolidated|"
                            r"full-year|annual|group|domestic|parent|company|fiscal|year|full)\s+){0,3}"
                            r"(?:profits?|loss(?:es)?|earnings|revenues?|sales|"
                            r"income|results|turnover)\b", re.I)
_CUE = re.compile(
    r"(?i:\b(?P<cue>as\s+of|as\s+at|on\s+or\s+before|no\s+later\s+than|by|to|until|till|through|before|prior\s+to|"
    r"after|since|in|on|from|of|"
    r"at|during|until\s+the|between|and|by\s+the|to\s+the|before\s+the|after\s+the|in\s+the|at\s+the|since\s+the)"
    r")\s+$"
)
# "by 2030" states a target, not a bound (CONVENTIONS §6): exact.
_CUE_KIND = {"as of": ("as_of", "exact"), "as at": ("as_of", "exact"), "by": ("target", "exact"),
             "to": ("target", "exact"), "until": ("target", "exact"), "till": ("target", "exact"),
             "through": ("target", "exact"), "before": (None, "less_than"), "on or before": (None, "at_most"),
             "no later than": (None, "at_most"), "prior to": (None, "less_than"),
             "after": (None, "more_than")}


@cache
def _pattern() -> re.Pattern[str]:
    return DATE_EN


def find_dates_en(text: str, published: str | None) -> list[EnDate]:
    """Every English date in text order; the span leaves out the cue word ("by", "as of").

    A date without a year ("March", "6 December", "Q1") takes the published year, or the year before when its
    month comes later in the year than the published month; without a published date, the year the article
    last stated. A deictic year without a numeral ("last year") is not a figure: it comes back marked `deictic`,
    resolved against the published year, to date the figures of its sentence.
    """
    ref = _reference(published)
    out: list[EnDate] = []
    deictic: list[EnDate] = []
    for m in scanning.finditer(_DATES_GATE, _pattern(), text):
        if m.group("rel"):
            year = deictic_year(m.group("rel"), m.group("relpart"), published)
            if year is not None and not _COMPARISON_BASE.search(text, max(0, m.start() - 40), m.start()):
                deictic.append(EnDate(m.start(), m.end(), year, "exact", _cue(text, m.start())[0], deictic=True))
            continue
        if m.group("qd"):
            if (period := _deictic_period(text, m, ref, out, deictic)) is not None:
                deictic.append(period)
            continue
        if m.group("bare") and not _bare_year_is_date(text, m.start(), out):
            continue
        if m.group("yq") and not m.group("qw3") and not _DETERMINER_BEFORE.search(text, max(0, m.start() - 8),
                                                                                  m.start()):
            continue  # "in 1987 half the staff"; "the 1985 quarter" is a date
        if (m.group("mo") and not _month_alone_is_date(text, m)) or _in_a_title(text, m):
            continue
        resolved = _resolve(m, partial(_infer_year, ref=ref, found=out, text=text, at=m.start()))
        if resolved is None:
            continue
        value, qualifier, end = resolved
        end = max(end, m.end())
        cue_kind, cue_qual = _cue(text, m.start())
        if qualifier == "exact" and cue_qual != "exact":
            qualifier = cue_qual
        out.append(EnDate(m.start(), end, value, qualifier, cue_kind, year_stated=_year_stated(m)))
    dated = _later_years(_ranges(text, _listed_years(text, out)))
    return sorted(dated + deictic, key=lambda d: d.start) if deictic else dated


# "from the same period last year", "than last year": the base of a comparison, not when the figure holds
_COMPARISON_BASE = re.compile(r"(?:\bsame\s+(?:period|quarter|month|time|half)\s+(?:of\s+)?|\b(?:from|than|over|versus|"
                              r"vs\.?|against|compared\s+(?:with|to))\s+)$", re.I)
_DEICTIC_YEARS = {"this": 0, "current": 0, "last": -1, "next": 1}


def deictic_year(words: str, part: str | None, published: str | None) -> str | None:
    """"last year" is the published year's year before, "last year's first quarter" its Q1; "the previous year"
    points back to a period the text names, not to the published date, so it is left to the metric rules."""
    shift = _DEICTIC_YEARS.get(words.split()[0].lower())
    if shift is None or not published or not published[:4].isdigit():
        return None
    year = str(int(published[:4]) + shift)
    if part is None:
        return year
    ordinal, what = part.lower().split()
    n = _ORDINALS[ordinal]
    if what == "half":
        return f"{year}-H{n}" if n <= 2 else year
    return f"{year}-Q{n}"


_PERIOD_ENDED = re.compile(r",?\s+(?:which\s+)?(?:ended|ending|ends|to)\b", re.I)
_YEAR_AGO_BEFORE = re.compile(r"\b(?:year[-\s](?:ago|earlier)|prior[-\s]year|previous[-\s]year)\s+$", re.I)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|its|their|a)\s+$", re.I)
_ORDINAL_PERIOD = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[-\s]+(quarter|half)\b", re.I)


def _deictic_period(text: str, m: re.Match[str], ref: tuple[int | None, int | None], found: list[EnDate],
                    earlier: list[EnDate]) -> EnDate | None:
    """"the first quarter", "first-half": no figure, but it dates the figures of its sentence. Its year is inferred
    as a month's is, from the period's first month ("the fourth quarter" in March is last year's, "the second
    quarter" in April this year's: a fiscal quarter just ended), a year before after "year-ago", or the year "of
    this year" names. A period "ended March 31" is dated by its date."""
    if _PERIOD_ENDED.match(text, m.end()) or _COMPARISON_BASE.search(text, max(0, m.start() - 40), m.start()):
        return None
    n, half = _ORDINALS[m.group("qw4").lower()], m.group("qdwhat").lower() == "half"
    if half and n > 2:
        return None
    if m.group("qdrel"):
        if ref[0] is None:
            return None
        year = ref[0] + _DEICTIC_YEARS[m.group("qdrel").split()[-1].lower()]
    else:
        if (inferred := _infer_year(6 * n - 5 if half else 3 * n - 2, ref, found, text, m.start())) is None:
            return None
        if _YEAR_AGO_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            # "a loss in the second quarter compared to … in the year-ago second quarter": a year before the one named
            named = f"-{'H' if half else 'Q'}{n}"
            year = next((int(d.value[:4]) for d in reversed(earlier) if d.value.endswith(named)), inferred) - 1
        else:
            year = inferred
    return EnDate(m.start(), m.end(), f"{year:04d}-{'H' if half else 'Q'}{n}", "exact", _cue(text, m.start())[0],
                  deictic=True)


def _ordinal_before(text: str, at: int, what: str) -> int | None:
    """The ordinal of the last "fourth quarter" of the sentence before `at`: "the 1985 quarter" is that quarter."""
    sentence = text.rfind(". ", max(0, at - 200), at) + 1 or max(0, at - 200)
    last = None
    for m in _ORDINAL_PERIOD.finditer(text, sentence, at):
        if m.group(2).lower() == what:
            last = _ORDINALS[m.group(1).lower()]
    return last


_PREV_WORD = re.compile(r"([A-Za-z]+)[-\s]+$")
# The clause before a year-less date looks ahead: a later month is this year's ("will launch in October").
_LOOKS_AHEAD = re.compile(r"\b(?:will|shall|expects?|expected|plans?|planned|scheduled|due|upcoming|forthcoming"
                          r"|aims?|intends?)\b[^.;!?]*$", re.I)
_LAST = re.compile(r"\b(?i:last)\s+$")
_NEXT_WORD = re.compile(r"\s+[A-Z][a-z]")
_QUARTER_AFTER = re.compile(r"\s+quarter\b")
_TITLE_AFTER = re.compile(r"\s+(?:(?:[A-Z][\w&'’-]*|of|the|and|on|for|in)\s+){0,5}"
                          r"(?:Report|Outlook|Survey|Index|Review|Study|Barometer|Summit|Forum|Conference|Awards?)\b")
_RANGE_OPENER = re.compile(r"\b(?P<w>(?i:between|from))\s+$")
_RANGE_JOINER = {"between": re.compile(r"\s+and\s+"), "from": re.compile(r"\s*(?:–|-|\s(?:to|until|through)\s)\s*")}


@cache
def _month_cues() -> frozenset[str]:
    return frozenset(lexicon.load("lexicon.toml")["dates"]["en"]["month_cues"])


def _month_alone_is_date(text: str, m: re.Match[str]) -> bool:
    """"in March", "The March spike", "early October": a month named alone, not a name ("April Jones") or the
    modal "May"."""
    if m.group("p4"):
        return True
    prev = _PREV_WORD.search(text, max(0, m.start() - 20), m.start())
    word = prev.group(1) if prev else None
    if word is not None and word.lower() in _month_cues():
        return True
    if m.group("m4") == "May" or (word is not None and word[0].isupper()):
        return False
    return _NEXT_WORD.match(text, m.end()) is None  # "April Jones": a name


def _in_a_title(text: str, m: re.Match[str]) -> bool:
    """"its Q1 2024 State of Fintech Report": a period in the title of a named publication."""
    return not (m.group("iso") or m.group("dmy") or m.group("d2")) and _TITLE_AFTER.match(text, m.end()) is not None


def _year_stated(m: re.Match[str]) -> bool:
    return not (m.group("mo") or m.group("qa") or (m.group("dmy") and not m.group("y1"))
                or (m.group("mdy") and m.group("d2") and not m.group("y2")))


def _looks_ahead(text: str, at: int) -> bool:
    """Whether the clause before a year-less date looks ahead ("will launch in October"); "last October" never."""
    return _LOOKS_AHEAD.search(text, max(0, at - 80), at) is not None \
        and _LAST.search(text, max(0, at - 6), at) is None


def _reference(published: str | None) -> tuple[int | None, int | None]:
    if not published or not published[:4].isdigit():
        return None, None
    month = int(published[5:7]) if len(published) >= 7 and published[5:7].isdigit() else None
    return int(published[:4]), month


_TO_REPORT = re.compile(r"\b(?:expects?|expected)\s+to\s+(?:report|post|record|show)\b[^.;!?]*$", re.I)


def _infer_year(month: int, ref: tuple[int | None, int | None], found: list[EnDate], text: str = "", at: int = 0
                ) -> int | None:
    pub_year, pub_month = ref
    if pub_year is not None:
        if pub_month is None or month <= pub_month:
            return pub_year
        # (results one expects to report are of a period that has begun: the fourth quarter in March is last year's)
        ahead = _looks_ahead(text, at) and not (month - pub_month > 3 and _TO_REPORT.search(text, max(0, at - 80), at))
        return pub_year if ahead else pub_year - 1
    for d in reversed(found):
        if d.year_stated and d.value[:4].isdigit():
            return int(d.value[:4])
    return None


_LIST_JOINER = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s)\s*")


def _listed_years(text: str, dates: list[EnDate]) -> list[EnDate]:
    """"in September and October 2021": months listed before a month with a year take its year."""
    out = list(dates)
    for i in range(len(out) - 2, -1, -1):
        d, e = out[i], out[i + 1]
        if d.year_stated or len(d.value) not in (4, 7) or (j := _LIST_JOINER.match(text, d.end)) is None \
                or j.end() != e.start or len(e.value) != 7 or not e.value[:4].isdigit():
            continue
        month = d.value[-2:]
        year = int(e.value[:4]) - (1 if month > e.value[5:7] else 0)
        out[i] = replace(d, value=f"{year:04d}-{month}", year_stated=e.year_stated)
    return out


def _later_years(dates: list[EnDate]) -> list[EnDate]:
    """A month or day before any stated year takes the year of the next date that states one; a month alone
    with no year anywhere is dropped (a day keeps --MM-DD)."""
    out: list[EnDate] = []
    for i, d in enumerate(dates):
        if d.value.startswith("--"):
            later = next((e for e in dates[i + 1:] if e.year_stated and e.value[:4].isdigit()), None)
            if later is None and len(d.value) == 4:
                continue
            if later is not None:
                d = replace(d, value=later.value[:4] + d.value[1:])
        out.append(d)
    return out


def _ranges(text: str, dates: list[EnDate]) -> list[EnDate]:
    """"between January and March 2024", "from July to September": one date, the end with its start."""
    out: list[EnDate] = []
    i = 0
    while i < len(dates):
        d = dates[i]
        if i + 1 < len(dates) and (o := _RANGE_OPENER.search(text, max(0, d.start - 9), d.start)) is not None:
            e = dates[i + 1]
            j = _RANGE_JOINER[o.group("w").lower()].match(text, d.end)
            if j is not None and j.end() == e.start and e.value_from is None:
                start = d.value
                if not d.year_stated and e.year_stated and e.value[:4].isdigit():
                    body = start[2:] if start.startswith("--") else start[5:]
                    year = int(e.value[:4]) - (1 if body[:2] > e.value[5:7] else 0)
                    start = f"{year:04d}-{body}"
                out.append(EnDate(o.start(), e.end, e.value, "exact", None, value_from=start,
                                  year_stated=e.year_stated))
                i += 2
                continue
        out.append(d)
        i += 1
    return out


def year_range(m: re.Match[str]) -> tuple[str, str] | None:
    """(from, to) of a year range match "2024 to 2032", or None for a fiscal year "2024/25"."""
    if not m.group("split"):
        return None
    y1, y2 = int(m.group("ys1")), _full_year(m.group("ys1"), m.group("ys2"))
    return None if _is_fiscal(m, y1, y2) else (str(y1), str(y2))


def date_from(text: str, d: DateMatch) -> str | None:
    """The low end of a range date ("2024 to 2032" → "2024", "between January and March 2024" → "2024-01")."""
    if isinstance(d, EnDate) and d.value_from is not None:
        return d.value_from
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


def results_after(text: str, at: int) -> bool:
    """A results noun follows a year at `at` ("1986 pretax profits", "1986's net loss")."""
    return _RESULTS_AFTER.match(text, at) is not None


def _bare_year_is_date(text: str, start: int, found: list[EnDate]) -> bool:
    if found and 0 <= start - found[-1].end <= 6 and text[found[-1].end:start].strip(" ,") in ("", "and", "or"):
        return True
    if _YEAR_CONTEXT.search(text, max(0, start - 24), start) is None:
        return _RESULTS_AFTER.match(text, start + 4) is not None
    # "in 2025 strategy"-like names after a cue still need the year to stand alone.
    return not (start >= 1 and text[start - 1] in "#$")


def _full_year(y1: str, y2: str) -> int:
    if len(y2) == 2:
        return int(y1[:2] + y2) if int(y2) >= int(y1[2:]) else int(str(int(y1[:2]) + 1) + y2)
    return int(y2)


def _is_fiscal(m: re.Match[str], y1: int, y2: int) -> bool:
    return y2 == y1 + 1 and m.group("sep") in "/–-" and m.group("sep").strip() != ""


def _resolve(m: re.Match[str], year_of: Callable[[int], int | None]) -> tuple[str, str, int] | None:
    """(value, qualifier, end of the span); year_of(month) gives the year of a date that states none."""
    g = m  # read by group name from the match: a groupdict() of every group cost more than the reading
    end = m.end()
    if g["iso"]:
        return _with_end(_day(int(g["iy"]), int(g["im"]), int(g["id"])), end)
    if g["dmy"] or (g["mdy"] and g["d2"]):
        d, mo, y = (g["d1"], g["m1"], g["y1"]) if g["dmy"] else (g["d2"], g["m2"], g["y2"])
        year = int(y) if y else year_of(_month(mo))
        if year is None:
            return _with_end(_no_year(_month(mo), _daynum(d)), end)
        return _with_end(_day(year, _month(mo), _daynum(d)), end)
    if g["mdy"]:
        return _with_end(_month_value(int(g["y3"]), _month(g["m2"]), g["p2"]), end)
    if g["mo"]:
        mo = _month(g["m4"])
        year = year_of(mo)
        if year is None:
            return f"--{mo:02d}", "exact", end  # the year is filled in from a later date, or it is dropped
        if not g["p4"] and (after := _QUARTER_AFTER.match(m.string, end)) is not None:
            return f"{year:04d}-Q{(mo + 2) // 3}", "exact", after.end()  # the June quarter
        return _with_end(_month_value(year, mo, g["p4"]), end)
    if g["qtr"]:
        q = g["q1"] or g["q2"] or g["q3"] or str(_ORDINALS[g["qw"].lower()])
        y = g["y4"] or g["y5"] or g["y6"]
        return f"{_full_year('2000', y) if len(y) == 2 else y}-Q{q}", "exact", end
    if g["yq"]:
        what = g["yqwhat"].lower()
        n = _ORDINALS[g["qw3"].lower()] if g["qw3"] else _ordinal_before(m.string, m.start(), what)
        if n is None:
            return g["y12"], "exact", end
        if what == "half" and n > 2:
            return None
        return f"{g['y12']}-{'H' if what == 'half' else 'Q'}{n}", "exact", end
    if g["qa"]:
        first_month = 3 * int(g["q6"]) - 2 if g["q6"] else 6 * int(g["h6"]) - 5
        if (year := year_of(first_month)) is None:
            return None
        return (f"{year:04d}-Q{g['q6']}" if g["q6"] else f"{year:04d}-H{g['h6']}"), "exact", end
    if g["half"]:
        h = g["h1"] or g["h2"] or str(_ORDINALS[g["hw"].lower()])
        y = g["y7"] or g["y8"]
        return f"{_full_year('2000', y) if len(y) == 2 else y}-H{h}", "exact", end
    if g["fy"]:
        y = g["y9"]
        y = y if len(y) == 4 else f"20{y}"
        if g["y9b"]:
            y2 = _full_year(y, g["y9b"])
            if y2 != int(y) + 1:
                return None
            y = str(y2)  # financial year 2024-25: the year it ends
        return y, "exact", end
    if g["split"]:
        y1, y2 = int(g["ys1"]), _full_year(g["ys1"], g["ys2"])
        return (str(y2), "exact", end) if y2 > y1 else None
    if g["yp"]:
        return _with_end(_year_value(int(g["y10"]), g["p3"]), end)
    if g["ye"]:
        return f"{g['y11']}-12-31", "exact", end
    return g["bare"], "exact", end


def _with_end(resolved: tuple[str, str] | None, end: int) -> tuple[str, str, int] | None:
    return None if resolved is None else (*resolved, end)


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
    return _SPELLED_DAYS[d] if d in _SPELLED_DAYS else int(d.rstrip("stndrh"))


def _day(y: int, mo: int, d: int) -> tuple[str, str] | None:
    if not 1 <= d <= calendar.monthrange(y, mo)[1]:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}", "exact"


def _no_year(mo: int, d: int) -> tuple[str, str] | None:
    return (f"--{mo:02d}-{d:02d}", "exact") if 1 <= d <= calendar.monthrange(2000, mo)[1] else None
