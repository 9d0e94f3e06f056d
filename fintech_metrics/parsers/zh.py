"""Figures as Chinese (Simplified and Traditional) text states them: pure functions, text in, records out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import lexicon
from .dates import find_dates_zh
from .numerals import CN_DIGITS, parse_number, tidy

_ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
_CHINESE = r"[零〇一二两兩三四五六七八九十百千万亿萬億壹贰貳叁參肆伍陆陸柒捌玖拾佰仟]+"
_NUMBER = (
    rf"(?P<neg>[负負])?(?:(?P<ar>{_ARABIC})(?P<arq>[多余餘])?(?P<mult>[十百千万亿萬億]*)"
    rf"|(?P<cn>{_CHINESE})(?P<cnq>[多余餘](?=[万亿萬億]))?(?P<cnmult>[万亿萬億]*))"
)
NUMBER = re.compile(_NUMBER)
_LONE_ARTICLE = set("一壹")  # 一个/一场/一款 are prose articles, not counts


@dataclass(slots=True)
class Candidate:
    """A figure before attribution: where it is and what it says."""

    start: int
    end: int
    kind: str
    value: float | int | str
    unit: str | None = None
    currency: str | None = None
    qualifier: str = "exact"
    change: str | None = None
    value_from: float | int | str | None = None
    rule: str = ""
    noun: str | None = None  # the measured noun read after a measure word
    date_cue: str | None = None


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    quals = lexicon.word_table("qualifiers", "zh")
    after = lexicon.word_table("qualifiers", "zh_after")
    changes = lexicon.word_table("changes", "zh")
    mw = lexicon.load("lexicon.toml")["measure_words"]["zh"]["words"]
    dur = lexicon.load("lexicon.toml")["durations"]["zh"]
    money = lexicon.currency_words()
    return {
        "qual_before": re.compile(rf"(?:{lexicon.alternation(list(quals))})了?$"),
        "qual_after": re.compile(lexicon.alternation(list(after))),
        "change_before": re.compile(rf"(?:{lexicon.alternation(list(changes))})(?P<to>至|到|了)?$"),
        "percent": re.compile(r"\s*(?:%|％|个百分点|個百分點|百分点|百分點|个基点|個基點|基点|基點|倍)"),
        "currency": re.compile(rf"\s*(?:{lexicon.alternation(list(money))})"),
        "duration": re.compile(rf"(?:{lexicon.alternation(dur['units'])})"),
        "duration_cue": re.compile(rf"(?:{lexicon.alternation(dur['cues_before'])})$"),
        "measure": re.compile(lexicon.alternation(mw)),
        "boundary": re.compile(lexicon.alternation(lexicon.load("lexicon.toml")["boundaries"]["zh"]["words"])),
        "from_to": re.compile(
            rf"(?P<from>[从從由])(?P<x>{_NUMBER.replace('?P<', '?P<x_')})(?P<xu>[^\d，,。；;从從由]{{0,4}}?)"
            rf"(?P<verb>{lexicon.alternation(list(changes))})(?:至|到)"
        ),
    }


@cache
def _not_figures() -> tuple[str, ...]:
    return tuple(lexicon.load("lexicon.toml")["not_figures"]["zh"]["words"])


def _value(m: re.Match[str], prefix: str = "") -> float:
    g = lambda name: m.group(prefix + name)  # noqa: E731
    if g("ar"):
        return parse_number(g("ar") + (g("mult") or "")) * (-1 if g("neg") else 1)
    return parse_number(g("cn") + (g("cnmult") or "")) * (-1 if g("neg") else 1)


def find_figures_zh(text: str, published: str | None) -> list[Candidate]:
    """Every figure in a Chinese text, in text order, without overlaps."""
    p = _patterns()
    out: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for d in find_dates_zh(text, published):
        out.append(Candidate(d.start, d.end, "date", d.value, qualifier=d.qualifier, rule="zh.date",
                             date_cue=d.cue))
        taken.append((d.start, d.end))
    for m in NUMBER.finditer(text):
        s, e = m.span()
        if any(a < e and s < b for a, b in taken):
            continue
        if s and text[s - 1] in "从從由" and p["from_to"].match(text, s - 1):
            continue  # the X of "from X to Y": read with Y
        if text.startswith(_not_figures(), s):
            continue
        cand = _read_number(text, m, p)
        if cand is None:
            continue
        if any(a < cand.end and cand.start < b for a, b in taken):
            continue
        out.append(cand)
        taken.append((cand.start, cand.end))
    out.sort(key=lambda c: c.start)
    return out


def _is_part_of_name(text: str, s: int, e: int) -> bool:
    before = text[s - 1] if s else ""
    after = text[e] if e < len(text) else ""
    # Web3, H5, A.I.2: digits glued to Latin letters belong to a name or code.
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()) \
        or before in "第#＃№" or (before == "." and s >= 2 and text[s - 2].isdigit())


def _read_number(text: str, m: re.Match[str], p: dict[str, re.Pattern[str]]) -> Candidate | None:
    s, e = m.span()
    if _is_part_of_name(text, s, e):
        return None
    cn = m.group("cn")
    if cn and not any(ch in CN_DIGITS or ch in "十拾" for ch in cn):
        return None  # 千家万户, 百花: a bare multiplier is an idiom, not a figure
    value = _value(m)
    qualifier = "more_than" if (m.group("arq") or m.group("cnq")) else "exact"
    rest = text[e:e + 12]

    kind = unit = currency = noun = None
    end = e
    if (u := p["percent"].match(rest)) is not None:
        unit = u.group().strip()
        kind = {"%": "percent", "％": "percent", "倍": "multiple"}.get(unit, "points")
        if kind == "points" and "基" in unit:
            value /= 100
        end = e + u.end()
    elif (u := p["currency"].match(rest)) is not None:
        kind, unit = "money", u.group().strip()
        currency = lexicon.currency_words()[unit]
        end = e + u.end()
    elif (u := p["duration"].match(rest)) is not None:
        if cn and cn in _LONE_ARTICLE and not p["duration_cue"].search(text[max(0, s - 4):s]):
            return None
        kind, unit = "duration", u.group()
        end = e + u.end()
    elif (u := p["measure"].match(rest)) is not None:
        if cn and cn in _LONE_ARTICLE:
            return None
        kind, unit = "count", u.group()
        end = e + u.end()
        if qualifier == "exact" and (a := p["qual_after"].match(text, end)) is not None \
                and a.group() not in ("多", "余", "餘"):
            qualifier = lexicon.word_table("qualifiers", "zh_after")[a.group()]
            end = a.end()
        noun = _noun_after(text, end, p)
        end += len(noun)
    if kind is None:
        return None

    if qualifier == "exact" and (a := p["qual_after"].match(text, end)) is not None \
            and a.group() not in ("多", "余", "餘"):
        qualifier = lexicon.word_table("qualifiers", "zh_after")[a.group()]
        end = a.end()

    start = s
    change = None
    window = text[max(0, s - 8):s]
    if (q := p["qual_before"].search(window)) is not None:
        word = q.group().rstrip("了")
        label = lexicon.word_table("qualifiers", "zh")[word]
        if qualifier == "exact":
            qualifier = label
        start = s - len(q.group())
        window = text[max(0, start - 8):start]
    if (c := p["change_before"].search(window)) is not None:
        verb = c.group()[: len(c.group()) - len(c.group("to") or "")]
        change = lexicon.word_table("changes", "zh")[verb]
        start -= len(c.group())
    elif kind == "duration" and (c := p["duration_cue"].search(window)) is not None:
        start -= len(c.group())
    value_from = None
    rule = f"zh.{kind}"
    if change and c.group("to") in ("至", "到"):
        rule = f"zh.{kind}.change_to"
        if (ft := p["from_to"].search(text, max(0, start - 30), start + len(c.group()))) is not None \
                and ft.end() == start + len(c.group()):
            value_from = tidy(_value(ft, "x_"))
            start = ft.start()
            rule = f"zh.{kind}.from_to"
    elif change:
        rule = f"zh.{kind}.change_by"
    return Candidate(start, end, kind, tidy(value), unit, currency, qualifier, change, value_from, rule, noun)


def _noun_after(text: str, i: int, p: dict[str, re.Pattern[str]]) -> str:
    """The measured noun after a measure word: 家银行 → 银行, stopping at function words and verbs."""
    j = i
    limit = min(len(text), i + 12)
    while j < limit:
        ch = text[j]
        if not (ch.isalpha() or ch.isdigit()) or ch.isdigit() and j == i:
            break
        if j > i and p["boundary"].match(text, j):
            break
        j += 1
    return text[i:j]
