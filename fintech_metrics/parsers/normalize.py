"""One expression to its kind and value: 九万四 → number 94000, 百分之二十八 → percent 28,
１．０７５３美元 → money 1.0753 USD. Pure functions; the `normalize` command reads these line by line.

Kinds: `number` (a bare numeral, fractions included: 三分之一 → 0.333…, a share written as a fraction is
a number, not a percent, as the text did not say 百分), `percent` (%, 百分之, 千分之/万分之 scaled to percent,
N成 = N×10%, N折 = the discounted price as a percent, 厘 as an interest rate), `points` (个百分点, 基点 in
percentage points), `money` (a currency word, symbol or code before or after; a currency name alone has
value None), `count` (a number with a measure word: 20个比特币).
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache

from . import lexicon
from .numerals import CN_DIGITS, MAX_DIGITS, multiplier, parse_mixed

_ASCII = r"[+-]?(?:[0-9]+(?:,[0-9]{3})*(?:\.[0-9]*)?|\.[0-9]+)"
_SCI = re.compile(rf"({_ASCII})(?:e([+-]?[0-9]+))?", re.I)
_POWER = re.compile(rf"({_ASCII})\^([+-]*)([0-9]+(?:\.[0-9]+)?)")
_SUFFIX = re.compile(rf"({_ASCII})([kmb])", re.I)
_SLASH = re.compile(r"(?:([+-]?[0-9]+) )?([+-]?[0-9]+)/([0-9]+)")
_SCALED = re.compile(r"([百佰千仟万萬亿億]+)分之(.+)")
_SUFFIX_FACTORS = {"k": 1e3, "m": 1e6, "b": 1e9}
_SIGNS = ("负", "負", "-", "−")
_FILLERS = re.compile(r"零?[几幾多余餘]")  # 二十几万, 一百零几万, 十余万: the approximate part is dropped
_POINTS = {"个百分点": 1, "個百分點": 1, "百分点": 1, "百分點": 1, "个基点": 0.01, "個基點": 0.01, "基点": 0.01,
           "基點": 0.01}
_HALF_OFF = ("对折", "對折", "半折")
MAX_LENGTH = 200  # one expression; a longer line is prose or noise


def normalize(text: str) -> dict[str, object]:
    """{"text", "kind", "value", "currency"} for one expression, or {"text", "error"}."""
    if len(text) > MAX_LENGTH:
        return {"text": text, "error": "too long for one expression"}
    try:
        kind, value, currency = _read(_compact(text))
    except (ValueError, KeyError, ZeroDivisionError, OverflowError, IndexError, RecursionError):
        return {"text": text, "error": "not a number, percentage or amount"}
    if value is not None and not math.isfinite(value):
        return {"text": text, "error": "out of range"}
    return {"text": text, "kind": kind, "value": None if value is None else _clean(value), "currency": currency}


def _compact(text: str) -> str:
    """Full-width forms folded and spaces dropped, except in a mixed fraction (1 3/5)."""
    s = " ".join(unicodedata.normalize("NFKC", text).split())
    return s if _SLASH.fullmatch(s) else s.replace(" ", "")


def _clean(value: float) -> float | int:
    if value == int(value) and abs(value) < 2**53:
        return int(value)
    return float(f"{value:.15g}")


def _read(s: str) -> tuple[str, float | None, str | None]:
    if not s:
        raise ValueError("empty")
    if (p := _percent(s)) is not None:
        return p
    if (m := _money(s)) is not None:
        return m
    if (c := _count(s)) is not None:
        return c
    return "number", number(s), None


def _percent(s: str) -> tuple[str, float | None, str | None] | None:
    if s.endswith("%"):
        return "percent", number(s[:-1]), None
    for sign in ("", *_SIGNS):
        for word in ("百分之", "佰分之"):
            if s.startswith(sign + word):
                return "percent", number(sign + s[len(sign + word):]), None
    if (m := _SCALED.fullmatch(s)) is not None:
        return "percent", number(m.group(2)) * 100 / multiplier(m.group(1)), None
    for word, factor in _POINTS.items():
        if s.endswith(word) and len(s) > len(word):
            return "points", number(s[:-len(word)]) * factor, None
    if s.endswith("厘") and len(s) > 1:  # 1.47厘: a monthly or annual interest rate in percent
        return "percent", number(s[:-1]), None
    if "成" in s:
        return "percent", _tenths(s), None
    if s in _HALF_OFF:
        return "percent", 50, None
    if s.endswith("折"):
        return "percent", _discount(s[:-1]), None
    return None


def _tenths(s: str) -> float:
    """三成 → 30, 三成半 → 35, 七成六 → 76, 半成 → 5, 7.2成 → 72."""
    head, _, tail = s.partition("成")
    value = 5.0 if head == "半" else number(head) * 10
    if tail == "半":
        return value + 5
    return value + (number(tail) if tail else 0)


def _discount(head: str) -> float:
    """七折 = 70%, 75折 / 三八折 = 75% / 38%, 9.9折 = 99%: the price paid as a share of the list price."""
    value = number(head)
    return value if value >= 10 else value * 10


@cache
def _money_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[str, float]]]:
    units = {w: (code, 1.0) for w, code in lexicon.currency_words().items()}
    units.update(lexicon.currency_subunits())
    prefixes = [*lexicon.currency_symbols(), *lexicon.currency_words()]
    prefix = re.compile(rf"({lexicon.alternation(prefixes)})(.*)", re.S)
    piece = re.compile(rf"又?(.*?)({lexicon.alternation(list(units))})", re.S)
    return prefix, piece, units


def _money(s: str) -> tuple[str, float | None, str | None] | None:
    prefix, piece, units = _money_patterns()
    currency = None
    if (m := prefix.fullmatch(s)) is not None and m.group(1) not in lexicon.currency_subunits():
        code = lexicon.currency_symbols().get(m.group(1)) or lexicon.currency_words()[m.group(1)]
        if not m.group(2):
            return "money", None, code
        s, currency = m.group(2), code
    total, pos, major = 0.0, 0, False
    while pos < len(s) and (p := piece.match(s, pos)) is not None and p.group(1):
        code, factor = units[p.group(2)]
        total += number(p.group(1)) * factor
        currency = currency or code
        major = major or factor >= 1
        pos = p.end()
    if pos < len(s):
        if currency is None or pos:
            return None
        return "money", number(s), currency  # HK$100亿, 人民币50
    return ("money", total, currency) if major else None


def _count(s: str) -> tuple[str, float | None, str | None] | None:
    words = lexicon.load("lexicon.toml")["measure_words"]["zh"]["words"]
    m = re.match(rf"(.+?)(?:{lexicon.alternation(words)})", s)
    if m is None:
        return None
    try:
        return "count", number(m.group(1)), None
    except ValueError:
        return None


def number(s: str) -> float:
    """A numeral in any form this project reads: 九万四, 4.78万亿, 三百五又三分之一, 2.7890e-1, 40k, 1 3/5."""
    if not s:
        raise ValueError("empty")
    if "又" in s:
        whole, _, frac = s.partition("又")
        sign = -1 if whole.startswith(_SIGNS) else 1
        return number(whole) + sign * number(frac)
    if "分之" in s:
        below, _, above = s.partition("分之")
        return number(above) / number(below)
    if s.startswith(_SIGNS):
        return -number(s[1:])
    if s[0] in "0123456789.+" and (v := _try_ascii(s)) is not None:
        return v
    return _chinese(s)


def _try_ascii(s: str) -> float | None:
    try:
        return _ascii(s)
    except ValueError:
        return None


def _ascii(s: str) -> float:
    if len(s) > MAX_DIGITS * 2:
        raise ValueError("too long")
    if (m := _SCI.fullmatch(s)) is not None:
        return float(m.group(1).replace(",", "") + (f"e{m.group(2)}" if m.group(2) else ""))
    if (m := _POWER.fullmatch(s)) is not None:
        exponent = float(m.group(3)) * (-1 if m.group(2).count("-") % 2 else 1)
        base = float(m.group(1).replace(",", ""))
        return math.copysign(abs(base) ** exponent, base)
    if (m := _SUFFIX.fullmatch(s)) is not None:
        return float(m.group(1).replace(",", "")) * _SUFFIX_FACTORS[m.group(2).lower()]
    if (m := _SLASH.fullmatch(s)) is not None:
        whole = float(m.group(1) or 0)
        return whole + math.copysign(int(m.group(2)) / int(m.group(3)), whole or 1)
    raise ValueError(f"not an Arabic numeral: {s!r}")


def _chinese(s: str) -> float:
    """Chinese (or mixed) numerals with 点 decimals, 打 dozens, 半 halves and approximate fillers."""
    if s.endswith("打"):
        return number(s[:-1]) * 12
    s = _FILLERS.sub("", s)
    if s.startswith("半") and len(s) > 1:
        return 0.5 * multiplier(s[1:])
    whole, dot, frac = s.replace("點", "点").partition("点")
    value = parse_mixed(whole) if whole else 0.0
    if dot:
        if not frac or len(frac) > MAX_DIGITS:
            raise ValueError("no decimals")
        digits = "".join(str(CN_DIGITS[ch]) if ch in CN_DIGITS else str(int(ch)) for ch in frac)
        value += float("0." + digits)
    return value
