"""Figures as English text states them: pure functions, text in, records out.

A figure is a number with what makes it a figure: a currency, a percent or points unit, a multiple, a time
unit, or a counted noun ("1,200 fintech companies"). Qualifiers, change verbs and ranges around it join the
span. Bare numbers, and numbers that are part of names, codes, references or ordinals, are not figures.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from . import lexicon, scanning
from .candidate import Candidate
from .en_dates import date_from, find_dates_en
from .numerals import tidy


@cache
def _word_set(section: str, key: str) -> frozenset[str]:
    """An English word list of lexicon.toml (`[section.en] key`) as a set."""
    return frozenset(lexicon.load("lexicon.toml")[section]["en"][key])


_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
         "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES = {w: i + 1 for i, w in enumerate(_ONES)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_WORD = "(?:" + "|".join(sorted(WORD_VALUES, key=len, reverse=True)) + ")"
_WORD_NUMBER = rf"{_WORD}(?:-{_WORD})?(?:\s+hundred(?:\s+(?:and\s+)?{_WORD}(?:-{_WORD})?)?)?"
# Digits: 1,200 / 1.2 / .5; a glued minus only after a space or bracket (-3.5%, not COVID-19).
# A currency code may be glued to the digits (RMB95 million, USD5bn, Rs.500 crore).
_GLUED_CODE = "|".join(sorted(c for c in lexicon.currency_symbols() if len(c) == 3 and c.isalpha() and c.isupper()))
NUMBER_EN = re.compile(
    r"(?P<neg>(?<![\w.,)%-])[-−]|(?<![\w.,)%-])(?<!\d\s)–)?"
    rf"(?=\d)(?:(?<![\w.,])|(?<=[A-Z])(?<=(?:{_GLUED_CODE}))|(?<=Rs)|(?<=Rs\.))(?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?![\d,]\d)|\d+(?:\.\d+)?)"
    rf"|(?<![\w-])(?P<word>(?i:{_WORD_NUMBER}))(?:\b|(?=fold\b))"
)
_MAX_DIGITS = 15  # longer runs are ids or noise, and would not fit a float exactly
_PLURAL_EXCEPTIONS = ("ss", "us", "is", "'s", "’s")
# Spans that contain numbers but are not figures: phone numbers, clock times, numeric dates, versions.
_NOT_FIGURE_SPANS = re.compile(
    r"(?<![\w.])(?:\+\d{1,3}[\s-]?)?(?:\(\d{2,4}\)\s?)?\d{4}[\s-]\d{4}(?![\d,.]\d)"
    r"|(?<![\w.])\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?"
    r"|(?<![\w./])\d{1,4}/\d{1,2}(?:/\d{2,4})?(?![\d/])"
    r"|(?<![\w.])\d+(?:\.\d+){2,}"
    r"|\[\d{1,3}\]|\(\d{1,2}\)(?=\s*[A-Z(])"
)
# Every number of a text, NUMBER_EN's matches in one scan. A quick test at each position keeps the pattern off most
# of the text: a number opens with a digit or a sign, or with a number word at a word start, whose first three
# letters ("the" and "for" fail) are tested before the whole pattern. Numbers are dense in financial news, so one
# scan in C costs less than a gate's search and a match in Python for each.
_NUMBER_WORD_OPENINGS = scanning.any_case_words(sorted({w[:3] for w in WORD_VALUES}))
_NUMBER_SCAN = re.compile(
    rf"(?=[-−–\d{scanning.either_case(''.join(sorted({w[0] for w in WORD_VALUES})))}])"
    rf"(?:(?=[-−–\d])|(?<![\w-])(?={_NUMBER_WORD_OPENINGS}))(?:{NUMBER_EN.pattern})")
_NOT_FIGURE_GATE = scanning.gate(r"\d+(\[", _NOT_FIGURE_SPANS)


@dataclass(slots=True)
class _Amount:
    """A number with its currency, scale and unit, before qualifiers and changes are read around it."""

    start: int
    end: int
    value: float
    kind: str | None = None
    unit: str | None = None
    currency: str | None = None
    scaled: bool = False
    word: str | None = None  # the written number, if it was written in words
    plus: bool = False  # 1,000+
    coordinated: bool = False  # "five banks and one SVF": a numeral "one" in a list of counts is a count
    frequency: bool = False  # three times a year
    noun: str | None = None


_DURATION_KEYS = ("cues_before", "modifiers", "within")


def _alt(words: list[str] | tuple[str, ...]) -> str:
    """Words as an alternation; a space in a word matches any run of white space, so hard-wrapped newswire
    ("4.5 mln H.K.\ndlrs", "more\nthan") reads as if unwrapped."""
    return f"(?:{lexicon.alternation(list(words)).replace(chr(92) + ' ', chr(92) + 's+')})"


def _norm(words: str) -> str:
    """A matched word with its white space as the lexicon writes it: one space."""
    return " ".join(words.split())


@cache
def _scale_factors() -> dict[str, dict[str, float]]:
    """The factor of each scale word: "scale" as written after a space (1.2 billion), "glued" to the digits (5bn)."""
    lex = lexicon.load("lexicon.toml")
    factors = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "lakh": 1e5, "crore": 1e7,
               "lakh_crore": 1e12}
    return {table: {w: factors[k] for k, ws in lex["scales"][key].items() for w in ws}
            for table, key in (("scale", "en"), ("glued", "en_glued"))}


@cache
def _words() -> dict[str, dict[str, str]]:
    lex = lexicon.load("lexicon.toml")
    return {
        "units": {w: k for k, ws in lex["units"]["en"].items() for w in ws},
        "durations": {w: k for k, ws in lex["durations"]["en"].items() if k not in _DURATION_KEYS for w in ws},
        "quals": lexicon.word_table("qualifiers", "en"),
        "quals_after": lexicon.word_table("qualifiers", "en_after"),
        "limits_after": lexicon.word_table("qualifiers", "en_limit_after"),
        "limits_before": lexicon.word_table("qualifiers", "en_limit_before"),
        "changes": lexicon.word_table("changes", "en"),
        "change_nouns": lexicon.word_table("changes", "en_nouns"),
        "changes_after": {**lexicon.word_table("changes", "en_after"),
                          **lexicon.word_table("changes", "en_after_plural")},
        "changes_after_plural": lexicon.word_table("changes", "en_after_plural"),
        "bracket_nouns": lexicon.word_table("changes", "en_bracket_nouns"),
        "count_nouns": lexicon.word_table("changes", "en_count_nouns"),
    }


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    w, factors = _words(), _scale_factors()
    lex = lexicon.load("lexicon.toml")
    symbols = lexicon.currency_symbols()
    codes = [s for s in symbols if s.isalpha()]
    signs = [s for s in symbols if not s.isalpha() and not any("\u4e00" <= ch <= "\u9fff" for ch in s)]
    durations = w["durations"]
    return {
        "currency_before": re.compile(rf"(?:(?<![A-Za-z]){_alt(codes)}\s?|(?<![A-Za-z]){_alt(signs)}\s?)$"),
        "currency_at": re.compile(rf"(?:{_alt(codes)}|{_alt(signs)})\s?"),
        "currency_after": re.compile(
            rf"\s+(?:{_alt([*lexicon.currency_english(), *lexicon.currency_english_subunits()])})\b"),
        "scale": re.compile(rf"\s?(?i:{_alt(list(factors['scale']))})\b"),
        "glued": re.compile(rf"(?:{_alt(list(factors['glued']))})\b"),
        "unit": re.compile(rf"(?:\s?(?:%|{_alt([u for u in w['units'] if u != '%'])})(?![\w%])|%)", re.I),
        "duration": re.compile(rf"(?:\s+|-)(?:(?:{_alt(lex['durations']['en']['modifiers'])})\s+)?"
                               rf"(?P<u>{_alt(list(durations))})\b(?![-‐]old\b)", re.I),
        "within": re.compile(rf"\b(?:{_alt(lex['durations']['en']['within'])})\s+$", re.I),
        "duration_cue": re.compile(rf"\b(?:{_alt(lex['durations']['en']['cues_before'])})\s+$", re.I),
        "qual_before": re.compile(rf"\b(?:{_alt(list(w['quals']))})\s*$", re.I),
        "qual_after": re.compile(rf"\s*(?:\+|\s(?:{_alt([q for q in w['quals_after'] if q != '+'])})\b)", re.I),
        "change_before": re.compile(
            rf"\b(?P<verb>{_alt(list(w['changes']))})(?:\s+\w+ly)?(?:\s+(?P<prep>by|to))?\s+$", re.I),
        "change_noun": re.compile(rf"\b(?P<noun>{_alt([*w['change_nouns'], *w['count_nouns']])})\s+$", re.I),
        "from": re.compile(rf"\b(?:(?P<verb>{_alt(list(w['changes']))})(?:\s+\w+ly)?\s+)?from\s+$", re.I),
        "between": re.compile(r"\bbetween\s+$", re.I),
        "range_to": re.compile(r"\s*(?:-|–|—|\bto\b)\s*"),
        "range_dash": re.compile(r"\s*(?:-|–|—)\s*"),
        "and": re.compile(r"\s+and\s+"),
        "to": re.compile(r"\s+to\s+"),
        "from_after": re.compile(r"\s+from\s+(?:(?i:about|around|some|roughly|approximately|nearly|almost)\s+)?"),
        "to_before": re.compile(r"\b(?i:to)\s+$"),
        # "rose from 1.2 million in 2023 to ": an earlier value with a date of its own, before the figure.
        "dated_from": re.compile(r"(?:\b(?P<verb>[A-Za-z]+)\s+)?\b(?i:from)\s+(?P<x>\S.{0,40}?)\s+"
                                 r"(?i:in|at|as\s+at|as\s+of|on|by)\s+(?P<d>\S.{0,30}?)\s+(?i:to)\s+$", re.S),
        "yoy": re.compile(r"\s*\(?(?i:(?:year|quarter|month|week)[- ](?:on|over)[- ](?:year|quarter|month|week)"
                          r"|yoy|y-o-y|qoq|q-o-q|m-o-m)\)?"),
        "limit_before": re.compile(
            rf"\b(?P<w>{_alt(list(w['limits_before']))})\s+(?:[a-z][a-z-]*\s+){{0,2}}(?:of|at)\s+$", re.I),
        "limit_after": re.compile(rf"\s+(?:[a-z][a-z-]*\s+)?(?P<w>{_alt(list(w['limits_after']))})\b"),
        "change_after": re.compile(rf"\s+(?:{_alt(list(w['changes_after']))})\b", re.I),
        "reference": re.compile(rf"(?<![\w.])(?:{_alt(lex['not_figures']['en']['before'])})\s*$", re.I),
        "tenor": re.compile(rf"\s+(?:[A-Z][A-Za-z.]*\s+)?"
                            rf"(?:[A-Z]{{3,}}\b|(?i:{_alt(lex['not_figures']['en']['tenor_after'])})\b)"),
        "chrome": re.compile(rf"\s+(?:{_alt(lex['not_figures']['en']['chrome_after'])})\b", re.I),
        "only_one": re.compile(r"\b(?i:only|just|exactly|at\s+least|at\s+most|more\s+than|no\s+more\s+than)\s+$"),
        "noun_word": re.compile(r"(?:[ \t]+|[ \t]*\n[ \t]{0,2}(?=[a-z]))"
                                r"(?P<w>[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*|\([A-Z][A-Za-z]+\))"),
        "of_count": re.compile(r"\s+of\s+(?:the\s+|its\s+|their\s+)?(?:[A-Za-z]+['’]s\s+)?\d"),
        "of_which": re.compile(r"\s+of\s+(?:which|whom|them|these|those)\b"),
        "and_before": re.compile(r"(?:\d|\b[a-z]+)[^.;:()]{0,40}?\s(?:and|or)\s+$"),
        "list_next": re.compile(r"\s*,\s*(?:and\s+)?(?!or\b)|\s+(?:and|or)\s+"),
        # A list ends with and/or before its last number: "286, 92 and 16 basis points" (", or" restates).
        "list_end": re.compile(r"(?:[ \t]*,[ \t]*[-−–]?\d[\d.,]{0,20}[ \t]*(?:[A-Za-z]{1,20}[ \t]*)?){0,5}"
                               r"(?:[ \t]*,[ \t]*and|\s+(?:and|or))\s+"),
        "prev_word": re.compile(r"(?P<w>[A-Za-z][\w.'’-]*)\s+$"),
        "frequency": re.compile(r"\s+(?:a|an|per|each|every)\s+(?:year|month|week|day|quarter)\b", re.I),
    }


@cache
def _look_backs() -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    """The look-back patterns, each with a gate on the first characters of its words (see scanning.gate)."""
    w = _words()
    lex = lexicon.load("lexicon.toml")
    p = _patterns()
    firsts = {
        "between": "Bb",
        "from": scanning.initials([*w["changes"], "from"]),
        "qual_before": scanning.initials(list(w["quals"])),
        "change_before": scanning.initials(list(w["changes"])),
        "change_noun": scanning.initials([*w["change_nouns"], *w["count_nouns"]]),
        "duration_cue": scanning.initials(lex["durations"]["en"]["cues_before"]),
        "reference": scanning.initials(lex["not_figures"]["en"]["before"]),
    }
    return {name: (scanning.gate(chars, p[name]), p[name]) for name, chars in firsts.items()}


# Look-backs that end in `word\s+$`: a window that does not end so cannot match. (Their letters have no
# other case under IGNORECASE, unlike i, k and s, so lower() compares them as `re` does.)
_LAST_WORD = {"between": "between", "from": "from"}


@cache
def _look_back_ends() -> dict[str, tuple[tuple[str, ...], bool]]:
    r"""For each other look-back: the last words of its words and phrases, lower-case, and whether white space must
    follow them (`\s+$`, not `\s*$`). A window whose last word (in ASCII) ends with none of them cannot match: most
    windows do not, and are not searched."""
    w = _words()
    lex = lexicon.load("lexicon.toml")
    words = {
        "qual_before": (list(w["quals"]), False),
        # A change verb, then an adverb (-ly) and by or to, each optional.
        "change_before": ([*w["changes"], "ly", "by", "to"], True),
        "change_noun": ([*w["change_nouns"], *w["count_nouns"]], True),
        "duration_cue": (list(lex["durations"]["en"]["cues_before"]), True),
        "reference": (list(lex["not_figures"]["en"]["before"]), False),
    }
    return {name: (tuple(sorted({word.split()[-1].lower() for word in table if word.strip()})), spaced)
            for name, (table, spaced) in words.items() if all(word.isascii() for word in table)}


def _before(name: str, text: str, end: int, width: int) -> re.Match[str] | None:
    """_patterns()[name] searched in the `width` characters before `end`."""
    start = max(0, end - width)
    if (word := _LAST_WORD.get(name)) is not None:
        window = text[start:end]
        stripped = window.rstrip()
        if len(stripped) == len(window) or stripped[-len(word):].lower() != word:
            return None
    elif (ends := _look_back_ends().get(name)) is not None:
        window = text[start:end]
        stripped = window.rstrip()
        if not stripped or (ends[1] and len(stripped) == len(window)):
            return None
        last = stripped.split()[-1]
        # Outside ASCII, lower() is not how `re` ignores case (ſ is an s): such a word is searched.
        if last.isascii() and not last.lower().endswith(ends[0]):
            return None
    gate, pattern = _look_backs()[name]
    return scanning.search(gate, pattern, text, start, end)


@cache
def _outside_span() -> frozenset[str]:
    return frozenset(lexicon.load("lexicon.toml")["changes"]["en_outside_span"]["words"])


@cache
def _boundaries() -> frozenset[str]:
    return frozenset(lexicon.load("lexicon.toml")["boundaries"]["en"]["words"])


@cache
def _boundary_verbs() -> frozenset[str]:
    return frozenset(lexicon.load("lexicon.toml")["boundaries"]["en"]["verbs"])


@cache
def _function_words() -> frozenset[str]:
    """Capitalised words that may stand before a figure without making it part of a name."""
    w = _words()
    extra = {"from", "between", "only", "just", "and", "at", "to", "by", "with", "nearly", "total", "all",
             "another", "its", "their", "some", "those", "these", "of"}
    words = set(_boundaries()) | extra
    for table in (w["quals"], w["changes"], w["change_nouns"]):
        words |= {word.split()[0].lower() for word in table}
    return frozenset(words)


def find_figures_en(text: str, published: str | None) -> list[Candidate]:
    """Every figure in an English text, in text order, without overlaps."""
    out: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for d in find_dates_en(text, published):
        out.append(Candidate(d.start, d.end, "date", d.value, qualifier=d.qualifier,
                             rule="en.date.deictic" if d.deictic else "en.date",
                             value_from=None if d.deictic else date_from(text, d), date_cue=d.cue))
        taken.append((d.start, d.end))
    taken.extend(m.span() for m in scanning.finditer(_NOT_FIGURE_GATE, _NOT_FIGURE_SPANS, text))
    blocked = _Blocked(taken)
    absorbed: set[int] = set()
    for m in _NUMBER_SCAN.finditer(text):
        if blocked.hits(*m.span()):
            continue
        cands, earlier = _read(text, m, blocked)
        if earlier is not None:
            absorbed.add(earlier)
        for cand in cands:
            if blocked.hits(cand.start, cand.end):
                break
            out.append(cand)
            blocked.add(cand.start, cand.end)
    if absorbed:  # "from 32% in 2024 to 43%": the start of a from-to is not a figure of its own
        out = [c for c in out if c.kind == "date" or c.start not in absorbed]
    out.sort(key=lambda c: c.start)
    _directions(text, [c for c in out if c.kind != "date"])
    return out


class _Blocked:
    """Spans already read. Figures are found in text order, so only the last few can overlap a new one."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.fixed = sorted(spans)
        self.found: list[tuple[int, int]] = []

    def add(self, s: int, e: int) -> None:
        self.found.append((s, e))

    def has(self, s: int, e: int) -> bool:
        """Whether (s, e) is exactly one of the spans given at the start (a date, say)."""
        i = bisect_left(self.fixed, (s, e))
        return i < len(self.fixed) and self.fixed[i] == (s, e)

    def hits(self, s: int, e: int) -> bool:
        i = bisect_left(self.fixed, (e, e))
        for spans in (self.fixed[max(0, i - 4):i + 1], self.found[-4:]):
            for a, b in spans:
                if a < e and s < b:
                    return True
        return False


def _number_value(m: re.Match[str]) -> float | None:
    if m.group("digits"):
        digits = m.group("digits")
        if sum(ch.isdigit() for ch in digits) > _MAX_DIGITS:
            return None
        value = float(digits.replace(",", ""))
        return -value if m.group("neg") else value
    return float(_word_value(m.group("word")))


def _word_value(words: str) -> int:
    total = 0
    for part in re.split(r"[\s-]+", words.lower()):
        if part == "hundred":
            total *= 100
        elif part in WORD_VALUES:
            total += WORD_VALUES[part]
    return total


def _is_part_of_name(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]]) -> bool:
    s, e = m.span("digits") if m.group("digits") else m.span("word")
    before = text[s - 1] if s else ""
    after = text[e] if e < len(text) else ""
    if m.group("digits"):
        if (before and before in "#№^") or (before == "." and s >= 2 and text[s - 2].isalpha()
                                            and not text.endswith("Rs.", 0, s)):
            return True  # #3, footnote marker after a full stop
        if before == "-" and s >= 2 and text[s - 2].isalpha():
            return True  # COVID-19, Basel-3
        if after == "." and e + 1 < len(text) and text[e + 1].isdigit():
            return True
        if after.isalpha() and p["glued"].match(text, e) is None and p["unit"].match(text, e) is None:
            return True  # 5G, 2nd, 1990s
    if _before("reference", text, s, 16):
        return True
    return _after_a_name(text, s, p)


def _after_a_name(text: str, s: int, p: dict[str, re.Pattern[str]]) -> bool:
    """Fintech 2025, Project mBridge 2.0: a number right after a capitalised content word names something."""
    prev = p["prev_word"].search(text, max(0, s - 30), s)
    if prev is None or prev.end() != s:
        return False
    word = prev.group("w")
    if word.lower().rstrip(".") in _function_words() or lexicon.currency_symbols().get(word):
        return False
    return any(ch.isupper() for ch in word)


def _read_amount(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]]) -> _Amount | None:
    """Currency before, the number, its scale and its unit."""
    value = _number_value(m)
    if value is None:
        return None
    start, e = m.span()
    amount = _Amount(start, e, value, word=m.group("word"))
    if amount.word is not None and (f := _FRACTION.match(text, e)) is not None:
        # three-quarters, two-fifths: a share, in percent (CONVENTIONS §4)
        amount.value, amount.kind, amount.unit, amount.end = 100 * value / _DENOMINATORS[f.group(1).lower()], \
            "percent", f.group(1).lower(), f.end()
        return amount
    if (c := p["currency_before"].search(text, max(0, start - 6), start)) is not None:
        amount.currency = lexicon.currency_symbols()[_norm(c.group())]
        amount.unit, amount.kind, amount.start = _norm(c.group()), "money", c.start()
    _read_scale(text, amount, p)
    if text.startswith("+", amount.end):
        amount.plus, amount.end = True, amount.end + 1
    _read_unit(text, amount, p)
    return amount


_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
                 "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
                 "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}
_FRACTION = re.compile(rf"-({'|'.join(_DENOMINATORS)})\b(?!-)", re.I)


def _read_scale(text: str, a: _Amount, p: dict[str, re.Pattern[str]]) -> None:
    if (g := p["glued"].match(text, a.end)) is not None and a.word is None \
            and (a.currency is not None or not g.group()[0].isupper()):
        a.value *= _scale_factors()["glued"][g.group()]
        a.end, a.scaled = g.end(), True
    elif (s := p["scale"].match(text, a.end)) is not None:
        a.value *= _scale_factors()["scale"][_norm(s.group()).lower()]
        a.end, a.scaled = s.end(), True


def _read_unit(text: str, a: _Amount, p: dict[str, re.Pattern[str]]) -> None:
    if a.kind == "money":
        return
    if (u := p["unit"].match(text, a.end)) is not None:
        unit = _norm(u.group()).lstrip("-")
        label = _words()["units"].get(unit) or _words()["units"].get(unit.lower(), "multiple")
        if label == "multiple" and (p["frequency"].match(text, u.end()) or u.group() == " x"):
            a.frequency = True  # three times a year: a frequency; 3 x 4: a product
            return
        a.kind, a.unit, a.end = ("points" if label == "basis_points" else label), unit, u.end()
        if label == "basis_points":
            a.value /= 100
    elif (c := p["currency_after"].match(text, a.end)) is not None:
        a.kind, a.unit, a.end = "money", _norm(c.group()), c.end()
        if (subunit := lexicon.currency_english_subunits().get(a.unit)) is not None:
            a.currency, a.value = subunit[0], a.value * subunit[1]
        else:
            a.currency = lexicon.currency_english()[a.unit]
    elif not a.scaled and (d := p["duration"].match(text, a.end)) is not None:
        word = " ".join(d.group("u").lower().split())
        a.kind, a.unit, a.end = "duration", _words()["durations"][word], d.end()


def _read_noun(text: str, a: _Amount, p: dict[str, re.Pattern[str]]) -> None:
    """The counted noun phrase: up to four words (a name's capitalised words and a bracketed acronym do not
    count), ending at its last plural noun."""
    if p["of_which"].match(text, a.end) and not (a.word is not None and a.value == 1):
        a.kind = "count"  # "17 licensees, four of which are banks"
        return
    words: list[re.Match[str]] = []
    pos, common = a.end, 0
    while common < 4 and len(words) < 8 and (w := p["noun_word"].match(text, pos)) is not None:
        word = w.group("w")
        low = word.lower()
        if low in _boundaries() or low.endswith("ly") or low in _words()["durations"] \
                or (words and low in _boundary_verbs()):
            break
        words.append(w)
        common += not (word[0].isupper() or word[0] == "(")
        pos = w.end()
    plural = [i for i, w in enumerate(words) if _is_plural(w.group("w"))]
    if plural:
        last = words[plural[-1]]
    elif words and a.value == 1 and (a.word is None or a.coordinated):
        last = words[0]
    else:
        return
    a.noun, a.kind, a.end = text[words[0].start("w"):last.end()], "count", last.end()


_YEARLIKE = re.compile(r"(?:19|20)\d\d")
_NUMBER_OF = re.compile(r"\bnumbers?\s+of\b[^.;!?]{0,150}?\b(?:was|were|is|are|stood\s+at|reached|hit|totall?ed|"
                        r"came\s+to|amounted\s+to|(?:rose|grew|fell|increased|decreased|climbed|dropped)\s+to)\s+$",
                        re.I)


def _states_a_number_of(text: str, start: int) -> bool:
    """"The number of FPS transactions was 831,000": a bare number stated as the number of something."""
    window = text[max(0, start - 200):start]
    return "number" in window.lower() and _NUMBER_OF.search(window) is not None


def _shared_noun(text: str, a: _Amount, nxt: re.Match[str], p: dict[str, re.Pattern[str]]) -> None:
    """"two and one investment, respectively", "25 and 30 billion marks", "by 286, 92 and 16 basis points":
    numbers listed with and/or share the noun, or the scale and unit, written after the last."""
    for _ in range(6):
        b = _read_amount(text, nxt, p)
        if b is None:
            return
        if b.kind is None and not b.scaled:
            b.coordinated = True
            _read_noun(text, b, p)
        if b.kind is not None or b.scaled:
            break
        if (m2 := _second(text, b.end, p["list_next"])) is None:
            return
        nxt = m2
    else:
        return
    if b.kind == "duration" or (b.noun is None and (a.word is not None or _YEARLIKE.fullmatch(text, a.start, a.end))):
        return  # "in year one and 21 mln dlrs", "notes due 2000 and 35 mln dlrs": not a list of amounts
    a.kind, a.unit, a.currency = (b.kind or "count"), (b.unit if b.noun is None else None), b.currency
    # The scale and the unit's factor written once serve every item (basis points, cents, billion).
    if not a.scaled and abs(a.value) < 1000 and (written := _number_value(nxt)):
        a.value *= b.value / written
        a.scaled = b.scaled


def _is_plural(word: str) -> bool:
    low = word.lower()
    if low in _word_set("plurals", "irregular"):  # people, staff, data
        return True
    return len(low) > 2 and low.endswith("s") and not low.endswith(_PLURAL_EXCEPTIONS)


def _extend_range(text: str, a: _Amount, m_next: re.Match[str] | None, p: dict[str, re.Pattern[str]]
                  ) -> tuple[_Amount, float | None]:
    """10-20%, 10 to 20 banks, US$1-2 billion: the second number carries the unit for both."""
    if m_next is None:
        return a, None
    b = _read_amount(text, m_next, p)
    if b is None or (a.kind == b.kind == "money" and a.unit != b.unit):
        return a, None  # "fell 50 cents to 12 dlrs": a change and a level, not a range
    if b.currency is None and a.currency is not None:
        b.currency, b.unit, b.kind, b.start = a.currency, a.unit, "money", b.start
    if b.kind is None and a.kind is None:
        _read_noun(text, b, p)
        b = b  # _read_noun may have set b.kind: forget it was None (mypyc checks the narrowed type at run time)
        if b.kind is None and b.scaled:
            b.kind = "count"  # "between 30 and 35 billion": a scaled number is a quantity on its own
    if b.kind is None or (a.kind is not None and a.kind != b.kind):
        return a, None
    low = a.value
    if not a.scaled and b.scaled and (unscaled := _number_value(m_next)):
        low *= b.value / unscaled  # the scale written once serves both: 1-2 billion
    b.start = a.start
    return b, low


def _second(text: str, pos: int, joiner: re.Pattern[str]) -> re.Match[str] | None:
    """The number after "to"/"and"/"-", past a repeated currency sign ($10 million to $20 million)."""
    j = joiner.match(text, pos)
    if j is None:
        return None
    c = _patterns()["currency_at"].match(text, j.end())
    return NUMBER_EN.match(text, c.end() if c else j.end())


def _read(text: str, m: re.Match[str], blocked: _Blocked) -> tuple[list[Candidate], int | None]:
    """The figure at m, with the base of its comparison when one follows ("to Y from X"), and the start of
    an earlier figure it takes as its start ("from X in 2023 to Y")."""
    p = _patterns()
    if _is_part_of_name(text, m, p):
        return [], None
    a = _read_amount(text, m, p)
    if a is None:
        return [], None
    value_from: float | None = None
    range_kind: str | None = None
    opener: re.Match[str] | None = None  # the "between" or "(rose) from" that opens the range
    if (between := _before("between", text, a.start, 9)) is not None:
        a, value_from = _extend_range(text, a, _second(text, a.end, p["and"]), p)
        if value_from is not None:
            range_kind, opener = "between", between
    elif (from_ := _before("from", text, a.start, 30)) is not None:
        a, value_from = _extend_range(text, a, _second(text, a.end, p["to"]), p)
        if value_from is not None:
            range_kind, opener = "from", from_
    elif a.kind is None or a.kind in ("percent", "money", "points", "multiple"):
        # After a change verb, "to" after a whole amount starts the level reached: "rose 0.6 pct to 53.6 pct" is
        # two figures; "rose 10 to 15 pct" (the unit written once) and "rose 10-20%" are one.
        second = _second(text, a.end, p["range_to"])
        if second is not None and a.kind is not None and _before("change_before", text, a.start, 40) is not None:
            second = _second(text, a.end, p["range_dash"])
        a, value_from = _extend_range(text, a, second, p)
        range_kind = "range" if value_from is not None else None
    if a.word is not None and a.value == 1 and (p["and_before"].search(text, max(0, a.start - 60), a.start)
                                                 or p["only_one"].search(text, max(0, a.start - 24), a.start)):
        a.coordinated = True  # "five banks and one SVF", "only one licence": a numeral, not the article
    if a.kind is None and (a.word is None or a.value != 1 or a.coordinated):
        _read_noun(text, a, p)
    if a.kind is None and (nxt := _second(text, a.end, p["list_next"])) is not None \
            and p["list_end"].match(text, a.end):
        _shared_noun(text, a, nxt, p)
    if a.kind is None and a.scaled:
        a.kind = "count"  # "registrations grew to 13.6 million": a scaled number is a quantity on its own
    if a.kind is None and a.word is None and (p["of_count"].match(text, a.end) or _states_a_number_of(text, a.start)):
        a.kind = "count"  # "600 of the city's 1,100 branches"; "the number of transactions was 831,000"
    if not _acceptable(text, m, a):
        return [], None
    stated_change = None
    base: _Amount | None = None
    absorbed: int | None = None
    if range_kind is None and p["to_before"].search(text, max(0, a.start - 8), a.start) is not None:
        if (base := _earlier_value(text, m, a, blocked, p)) is not None:
            range_kind = "to_from"
        elif (dated := _dated_earlier_value(text, m, a, blocked, p)) is not None:
            value_from, stated_change, absorbed = dated
            range_kind = "dated_from"
    cand = _surroundings(text, a, value_from, range_kind, opener, p, stated_change)
    if base is None:
        return [cand], absorbed
    # "rose to 2.4% from 1.9%": the level takes the direction (of its verb, else of the two values) and the
    # base of the comparison is a figure of its own, with no change (CONVENTIONS §7).
    if cand.change is None and base.value != a.value:
        cand.change = "increase" if a.value > base.value else "decrease"
    qualifier = "approx" if _APPROX_WORD.search(text, a.end, base.start) else "exact"
    return [cand, Candidate(base.start, base.end, a.kind or "count", tidy(base.value), a.unit, a.currency, qualifier,
                            rule=f"en.{a.kind}.base", noun=a.noun if a.noun and a.kind == "count" else None)], None


# Between a change and a figure that takes its direction: the level it reached ("rose 12% in value to
# HK$9.3b", "fell 5 per cent month-on-month to 16.1 billion") or the next item of a list ("rose 5% and 9%
# respectively", "a rise of 13 per cent in value and 14 per cent in volume", "fell HK$80m, or 15%").
_LEVEL_AFTER = re.compile(r"(?:[^.,;:()\n]|\n(?!\s*\n)){0,60}?\bto\s+$")  # a wrapped line, not a paragraph
_NEXT_ITEM = re.compile(r"(?:\s+(?:in|for|of|on|at)\s+(?:the\s+)?[A-Za-z-]+(?:\s+[A-Za-z-]+)?)?"
                        r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
_CONVERSION = re.compile(r"\s*[(（]\s*(?:(?i:about|around|approximately|some|roughly|or|equivalent\s+to)\s+)?")
_BRACKET_OPEN = re.compile(r"\(\s*$")
_BRACKETED = re.compile(r"\([^()]*\)")


def _directions(text: str, cands: list[Candidate]) -> None:
    """Directions a figure takes from the figures before it, and a sign written before it: a level reached
    after a change-by clause, an item of a list under one change, a signed figure in brackets after a change
    noun ("an increase in fee income (+12%)")."""
    prev: Candidate | None = None
    for c in cands:
        if c.start and text[c.start - 1] == "+" and (c.start < 2 or not text[c.start - 2].isalnum()):
            c.start -= 1  # +12%: the sign is part of the span, and not a direction by itself
        if c.change is None and prev is not None and prev.change is not None and prev.end <= c.start \
                and _takes_direction(text[prev.end:c.start], prev, c):
            c.change = prev.change
        if prev is not None and c.qualifier == "exact" and prev.qualifier in ("at_least", "at_most") \
                and _OR_ALTERNATIVE.fullmatch(text, prev.end, c.start):
            c.qualifier = prev.qualifier  # a minimum of HK$10 million or 2% of reserves: each is bounded
        if c.change is None and c.kind in ("percent", "money", "points") and text[c.start] in "+-−–" \
                and (b := _BRACKET_OPEN.search(text, max(0, c.start - 3), c.start)) is not None:
            c.change = _bracket_noun(text, b.start())
        prev = c
    for c, nxt in zip(cands, cands[1:], strict=False):
        # "210% and 40% increases, respectively": the change written after the last item covers the first.
        if c.change is None and nxt.change is not None and c.kind == nxt.kind and c.end <= nxt.start \
                and _NEXT_ITEM.fullmatch(text, c.end, nxt.start) and _RESPECTIVELY.match(text, nxt.end):
            c.change = nxt.change


_OR_ALTERNATIVE = re.compile(r"\s*,?\s+or\s+")
_RESPECTIVELY = re.compile(r"[\s,]+(?:[a-z-]+\s+){0,2}?respectively\b")


def _takes_direction(between: str, prev: Candidate, c: Candidate) -> bool:
    """Whether c, written `between` after the change prev, is the level it reached or the next item of its list."""
    if _LEVEL_AFTER.fullmatch(between):
        return c.kind in ("money", "count", "percent", "points") and " and " not in between
    if prev.kind == c.kind == "money" and _CONVERSION.fullmatch(between):
        return True  # rose to HK$2.5 billion (US$320 million): a conversion has the change of its amount
    if not _NEXT_ITEM.fullmatch(between):
        return False
    if prev.kind == "money" and c.kind == "percent":
        return True  # fell HK$80m, or 15%
    return c.kind == prev.kind and not between.rstrip().endswith("or")  # "90,000 dlrs, or two cts a share"


def _bracket_noun(text: str, pos: int) -> str | None:
    """The direction of the change noun a bracketed figure stands for: "growths in interbank lending (+4.4%)"."""
    nouns = _words()["bracket_nouns"]
    # The clause before the bracket, without the brackets of earlier items: "growths in bonds (+8.6%) and
    # interbank lending (+4.4%)" gives both the direction of "growths".
    window = re.split(r"[.;,]", _BRACKETED.sub(" ", text[max(0, pos - 120):pos]))[-1]
    words: list[str] = re.findall(r"[a-z]+", window.lower())  # typed: mypyc cannot iterate reversed(Any)
    for word in reversed(words):
        if word in nouns:
            return nouns[word]
    return None


def _dated_earlier_value(text: str, m: re.Match[str], a: _Amount, blocked: _Blocked,
                         p: dict[str, re.Pattern[str]]) -> tuple[float, str | None, int] | None:
    """"rose from 1.2 million in 2023 to 2.5 million in 2024" (a figure after "to"): the earlier value and the
    verb's change. The date between is a figure of its own, so this figure keeps its span and takes the
    earlier value."""
    f = p["dated_from"].search(text, max(0, a.start - 100), a.start)
    if f is None or not blocked.has(*f.span("d")):
        return None
    c = p["currency_at"].match(text, f.start("x"))
    m_x = NUMBER_EN.match(text, c.end() if c else f.start("x"))
    b = _read_amount(text, m_x, p) if m_x is not None else None
    if b is None or b.end != f.end("x") or not _same_measure(text, m, a, b, p):
        return None
    verb = (f.group("verb") or "").lower()
    return b.value, _words()["changes"].get(verb), b.start


def _same_measure(text: str, m: re.Match[str], a: _Amount, b: _Amount, p: dict[str, re.Pattern[str]]) -> bool:
    """Whether b, an earlier value of the figure a, measures the same thing; b takes what it leaves out
    (the unit, the currency, a scale on a number under 1,000) from a."""
    if (b.kind is not None and b.kind != a.kind) or (b.currency or a.currency) != a.currency:
        return False
    if a.noun is not None and b.kind is None:
        _read_noun(text, b, p)  # "to 3 banks from 5 economies" counts two things: not a change
        if b.noun is not None and b.noun.lower() != a.noun.lower():
            return False
    if a.scaled and not b.scaled and abs(b.value) < 1000 and (unscaled := _number_value(m)):
        b.value *= a.value / unscaled
    return True


def _earlier_value(text: str, m: re.Match[str], a: _Amount, blocked: _Blocked, p: dict[str, re.Pattern[str]]
                   ) -> _Amount | None:
    """"rose 12.1 pct to 9.61 billion dlrs from 8.57 billion" (a figure after "to"): the value before the
    change, written after the figure, as newswire writes it, with what it leaves out taken from the figure."""
    m_next = _second(text, a.end, p["from_after"])
    if m_next is None or blocked.hits(*m_next.span()):
        return None  # from 1990: a date
    b = _read_amount(text, m_next, p)
    if b is None or not _same_measure(text, m, a, b, p):
        return None
    return b


# "well above the minimum requirement of 8%": a limit named as the benchmark of a comparison stays exact.
_BENCHMARK = re.compile(r"\b(?i:above|below|over|under|exceeds?|exceeded|exceeding|than|against|compared\s+with|versus|"
                        r"vs\.?)\s+(?:(?i:the|its|their|a|an)\s+)?(?:[a-z-]+\s+){0,3}$")
def _limit_hint(window: str) -> bool:
    """A cheap test before the limit look-back: does a limit word occur at all?"""
    low = window.lower()
    return any(word in low for word in _words()["limits_before"])


_APPROX_WORD = re.compile(r"(?i:about|around|some|roughly|approximately|nearly|almost)")


def _acceptable(text: str, m: re.Match[str], a: _Amount) -> bool:
    if a.kind is None or a.frequency:
        return False
    p = _patterns()
    if a.kind == "duration" and text.startswith("-", m.end()) and p["tenor"].match(text, a.end):
        return False  # 3-month SOFR, a 10-year Treasury yield: an instrument's tenor (CONVENTIONS §12)
    if a.kind == "count" and p["chrome"].match(text, m.end()):
        return False  # 208 views: page furniture
    if a.word is not None and a.value == 1 and a.kind == "count" and not a.coordinated:
        return False  # "one bank": a prose article
    digits = m.group("digits") or ""
    # A plain 4-digit number like 2025 before a noun is a year used as a name ("2025 strategy").
    return not (a.kind == "count" and re.fullmatch(r"(?:19|20)\d\d", digits) and not a.scaled)


def _surroundings(text: str, a: _Amount, value_from: float | None, range_kind: str | None,
                  opener: re.Match[str] | None, p: dict[str, re.Pattern[str]], stated_change: str | None = None
                  ) -> Candidate:
    """Qualifiers and change words around the amount, which join the span."""
    w = _words()
    kind = a.kind
    if kind is None:
        raise ValueError("an amount without a kind is not a figure (_acceptable refuses it)")
    start, end = a.start, a.end
    qualifier, change, rule = ("more_than" if a.plus else "exact"), None, f"en.{kind}"
    if (q := p["qual_after"].match(text, end)) is not None:
        qualifier, end = w["quals_after"][_norm(q.group()).lower()], q.end()
    if opener is not None:
        start, rule = opener.start(), f"en.{kind}.range"
        if range_kind == "from" and opener.group("verb"):
            change, rule = w["changes"][_norm(opener.group("verb")).lower()], f"en.{kind}.from_to"
            start = opener.start("verb")
    elif range_kind == "range":
        rule = f"en.{kind}.range"
    if opener is None:
        if qualifier == "exact" and _limit_hint(text[max(0, start - 40):start]) \
                and (lim := p["limit_before"].search(text, max(0, start - 40), start)) is not None \
                and not _BENCHMARK.search(text, max(0, lim.start() - 40), lim.start()):
            qualifier = w["limits_before"][lim.group("w").lower()]  # a minimum capital of HK$10 million
        if (q := _before("qual_before", text, start, 24)) is not None:
            label = w["quals"][" ".join(q.group().lower().split())]
            qualifier = label if qualifier == "exact" else qualifier
            start = q.start()
        if (c := _before("change_before", text, start, 40)) is not None and \
                (c.group("prep") or kind in ("percent", "points", "money")):
            verb = _norm(c.group("verb")).lower()
            change = w["changes"][verb]
            if verb not in _outside_span():
                start = c.start()  # "doubling to $600 billion": a word without a numeral stays out of the span
            rule = f"en.{kind}.change_to" if (c.group("prep") or "").lower() == "to" else f"en.{kind}.change_by"
        elif (c := _before("change_noun", text, start, 30)) is not None and (
                _norm(c.group("noun")).lower() in (w["count_nouns"] if kind == "count" else w["change_nouns"])):
            noun = _norm(c.group("noun")).lower()
            change, start = (w["change_nouns"].get(noun) or w["count_nouns"][noun]), c.start()
            rule = f"en.{kind}.change_by"
        elif kind == "duration" and (c := _before("duration_cue", text, start, 12)):
            start = c.start()
        if kind == "duration" and qualifier == "exact" and (c := p["within"].search(text, max(0, start - 12), start)):
            qualifier, start = "at_most", c.start()  # within two business days
    if range_kind == "dated_from":
        rule = f"en.{kind}.from_to"  # a change verb before "to" has given its word
        change = change or stated_change
        if change is None and value_from is not None and value_from != a.value:
            change = "increase" if a.value > value_from else "decrease"
    if kind in ("percent", "points", "money"):
        change, end, rule = _change_after(text, end, change, rule, kind, p)
        if qualifier == "exact" and (lim := p["limit_after"].match(text, end)) is not None:
            qualifier = w["limits_after"][lim.group("w")]
    return Candidate(start, end, kind, tidy(a.value), a.unit, a.currency, qualifier, change,
                     None if value_from is None else tidy(value_from), rule, a.noun)


_LOSS_AFTER = re.compile(r"\s+in\s+(?:[A-Za-z'’-]+\s+){0,3}?loss(?:es)?\b")


def _change_after(text: str, end: int, change: str | None, rule: str, kind: str, p: dict[str, re.Pattern[str]]
                  ) -> tuple[str | None, int, str]:
    """"5% higher", "a 15% year-on-year increase": a change word after the figure."""
    y = p["yoy"].match(text, end)
    after = y.end() if y else end
    if change is None and (c := p["change_after"].match(text, after)) is not None:
        word = _norm(c.group()).lower()
        if word in _words()["changes_after_plural"] and not _RESPECTIVELY.match(text, c.end()):
            return change, end, rule  # "the $100 million falls under the scheme": a verb, not a change noun
        if word == "improvement" and _LOSS_AFTER.match(text, c.end()):
            return "decrease", c.end(), f"en.{kind}.change_by"  # a 12% improvement in its loss: the loss shrank
        return _words()["changes_after"][word], c.end(), f"en.{kind}.change_by"
    if change is not None and y is not None:
        return change, y.end(), rule
    return change, end, rule


# --------------------------------------------------------------------------- attribution

_TOKEN = re.compile(r"[A-Za-z][\w'’.&-]*[\w'’]|[A-Za-z]|\S+")


def subject_en(text: str, cand: Candidate, cands: list[Candidate], cs: int, ce: int) -> tuple[str, tuple[int, int]]:
    """What an English figure measures, and the text range its entity may be named in."""
    if cand.noun:
        noun_start = cand.end - len(cand.noun)
        return cand.noun, (noun_start, _of_phrase_end(text, cand.end, ce))
    if cand.kind != "date" and (of := _OF_AFTER.match(text, cand.end, ce)) is not None \
            and of.group().split()[0] == "of":
        np_end = _np_end(text, of.end(), ce)
        if np_end > of.end():
            return text[of.end():np_end], (of.end(), np_end)
    previous_end = max([c.end for c in cands if cs <= c.end <= cand.start and c is not cand], default=cs)
    for start in dict.fromkeys((previous_end, cs)):
        found = _subject_before(text, start, cand.start)
        if found is not None:
            return found
    return "", (cs, cand.start)


_OF_AFTER = re.compile(r"\s+(?:of|in|among|at|from)\s+(?:the\s+)?(?=[A-Za-z])")


def _np_end(text: str, pos: int, limit: int) -> int:
    """End of a noun phrase of up to six words from pos, stopping at function words and punctuation."""
    end, count = pos, 0
    verbs = _word_set("attribution", "verbs")
    for m in _TOKEN.finditer(text, pos, limit):
        word = m.group()
        if count == 6 or not word[0].isalpha() or (count and text[end:m.start()].strip(" \t\n") != ""):
            break
        low = word.lower()
        if low in _boundaries() or low in verbs:
            break
        end, count = m.end(), count + 1
    return end


def _of_phrase_end(text: str, pos: int, limit: int) -> int:
    of = _OF_AFTER.match(text, pos, limit)
    return _np_end(text, of.end(), limit) if of else pos


def _subject_before(text: str, start: int, end: int) -> tuple[str, tuple[int, int]] | None:
    """The noun phrase before the first verb of text[start:end]: "Hong Kong's fintech revenue will …"."""
    tokens = _clause_tokens(text, start, end)
    words = _words_before_verb(tokens)
    if not words:
        return None
    scope_start = words[0].start()
    head = _head(words)
    if not head:
        return None
    return text[head[0].start():head[-1].end()], (scope_start, words[-1].end())


def _clause_tokens(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The words of text[start:end] after the last bracket, quote or dash that a subject cannot run across."""
    verbs = _word_set("attribution", "verbs")
    tokens: list[re.Match[str]] = []
    for m in _TOKEN.finditer(text, start, end):
        if m.group()[0].isalnum():
            tokens.append(m)
        elif tokens and tokens[-1].group().lower() not in verbs and not m.group().startswith(("'", "’")):
            tokens = []
    return tokens


def _words_before_verb(tokens: list[re.Match[str]]) -> list[re.Match[str]]:
    """The words before the first verb (or before a trailing "of": "Total assets of HK$5 trillion"); after a
    reporting verb, the words of what was reported ("The HKMA said deposits rose 3.5%"); leading words dropped."""
    verbs = _word_set("attribution", "verbs")
    verb = next((i for i, t in enumerate(tokens) if t.group().lower() in verbs), None)
    if verb is None:
        if not (len(tokens) >= 2 and tokens[-1].group().lower() == "of"):
            return []
        verb = len(tokens) - 1
    words = tokens[:verb]
    if tokens[verb].group().lower() in _word_set("attribution", "reporting"):
        later = next((i for i in range(verb + 2, len(tokens)) if tokens[i].group().lower() in verbs), len(tokens))
        if later > verb + 1:
            words = [t for t in tokens[verb + 1:later] if t.group().lower() != "that"]
    that = [i for i, w in enumerate(words) if w.group().lower() == "that"]
    words = words[that[-1] + 1:] if that else words
    leading = _word_set("attribution", "leading")
    while words and words[0].group().lower() in leading:
        words = words[1:]
    return words[-8:]


def _head(words: list[re.Match[str]]) -> list[re.Match[str]]:
    """The head of a noun phrase: after a possessor (Hong Kong's fintech revenue: the possessor is the entity)
    and before a preposition (revenue of the industry), without articles."""
    head = [w for w in words if w.group().lower() not in ("the", "a", "an")]
    for i, w in enumerate(head):
        if w.group().endswith(("'s", "’s", "s'")):
            head = head[i + 1:]
            break
    prepositions = _word_set("attribution", "prepositions")
    for i, w in enumerate(head):
        if w.group().lower() in prepositions and i:
            return head[:i]
    return head
