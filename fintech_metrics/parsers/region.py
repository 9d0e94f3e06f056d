"""The article's region, and the currency a bare 元, $ or dollar takes from it: pure functions, data in regions.toml."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Protocol
from urllib.parse import urlsplit

from . import lexicon, scanning

# Dollars written with a prefix that names whose dollar they are: when an article writes one, a bare $ in it is
# another dollar (a conversion into US dollars, or the US dollar itself).
_PREFIXED_DOLLAR = re.compile(r"(?:US|U\.S\.|HK|S|NT|A|C)\s?\$")
_US_DOLLARS = re.compile(r"\bU\.?S\.?\s+(?:dlrs?|dollars?)\b", re.I)
# the Asian dollar market (Singapore's offshore market) deals in US dollars
_ASIAN_DOLLAR = re.compile(r"\bAsian\s+dollar\b", re.I)
_BARE_DOLLAR_UNITS = frozenset({"$", "dollars", "dollar", "dlrs", "dlr"})
_DETECT_CHARS = 20_000  # the opening of a long text says where it is
_LEAD_CHARS = 300  # its title and lead


class _Money(Protocol):
    start: int
    end: int
    kind: str
    unit: str | None
    currency: str | None
    value_from: float | int | str | None


@cache
def _currency_word() -> re.Pattern[str]:
    words = [w for w in lexicon.currency_words() if w != "元"]
    return re.compile(lexicon.alternation(words))


def _named_inside(text: str, start: int, end: int) -> str | None:
    m = _currency_word().search(text, start, end)
    return lexicon.currency_words()[m.group()] if m is not None else None


@cache
def _table() -> dict:
    return lexicon.load("regions.toml")


@cache
def _word_pattern() -> tuple[scanning.WordScan, dict[str, list[tuple[str, int]]]]:
    by_word: dict[str, list[tuple[str, int]]] = {}
    for region, spec in _table()["regions"].items():
        for word, weight in spec["words"]:
            by_word.setdefault(word, []).append((region, int(weight)))
    # A prefix tree of the words: one branch tried per position, not each word (the text is scanned whole).
    return lexicon.trie_scan(list(by_word)), by_word


@cache
def _lead_places() -> frozenset[str]:
    return frozenset(_table()["settings"]["lead_places"])


def regions() -> tuple[str, ...]:
    """The region codes the table knows (HK, TW, CN, SG, IN, US …)."""
    return tuple(_table()["regions"])


def detect_region(text: str, *, language: str | None = None, title: str | None = None, url: str | None = None,
                  source: str | None = None) -> str | None:
    """The region an article's money is in, from its words, address and source; None when nothing says.

    >>> detect_region("金管會統計，去年非現金支付金額達8.3兆元。", language="zh-Hant")
    'TW'
    >>> detect_region("The Monetary Authority of Singapore (MAS) will give $100 million.", language="en")
    'SG'
    """
    table = _table()
    settings = table["settings"]
    scores: dict[str, int] = {}
    for region, spec in table["regions"].items():
        prior = spec.get("scripts", {}).get(language or "", 0)
        if prior:
            scores[region] = prior
    host = ""
    if url:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
    for region, spec in table["regions"].items():
        if host and any(host.endswith(d) or f"{d}." in host for d in spec["domains"]):
            scores[region] = scores.get(region, 0) + int(settings["domain_weight"])
    pattern, by_word = _word_pattern()
    for i, part in enumerate((title, source, text[:_DETECT_CHARS])):
        if not part:
            continue
        for m in scanning.word_matches(pattern, part):
            if m.group().isupper() and "/" in (part[m.start() - 1:m.start()], part[m.end():m.end() + 1]):
                continue  # CAD/CAM, USD/CAD: an acronym or a currency pair, no place
            # a place the opening (a title, the lead) names says where the story is
            lead = 2 if i == 2 and m.start() < _LEAD_CHARS and m.group() in _lead_places() else 1
            for region, weight in by_word[m.group()]:
                scores[region] = scores.get(region, 0) + weight * lead
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, score = ranked[0]
    if score < int(settings["min_score"]) or (len(ranked) > 1 and ranked[1][1] == score):
        return None
    return best


def normalise(region: str | None) -> str | None:
    """A region code as the sidecar may write it (hk, Hong Kong → HK); None for one the table does not know."""
    if not region:
        return None
    code = region.strip().upper()
    aliases = {"HONG KONG": "HK", "TAIWAN": "TW", "CHINA": "CN", "MAINLAND": "CN", "SINGAPORE": "SG", "INDIA": "IN",
               "USA": "US", "UNITED STATES": "US", "AUSTRALIA": "AU", "CANADA": "CA"}
    code = aliases.get(code, code)
    return code if code in _table()["regions"] else None


def bare_yuan(region: str | None, language: str | None) -> str | None:
    """What a bare 元 means: the region's currency, else the script's default (Simplified: CNY, Traditional: HKD)."""
    if region is not None and (spec := _table()["regions"].get(region)) is not None:
        return str(spec["yuan"])
    default = _table()["settings"]["default_yuan"].get(language or "")
    return str(default) if default else None


def bare_dollar(region: str | None, text: str) -> str:
    """What a bare $ means: the local dollar of a region that has one, unless the article writes a prefixed
    dollar (US$, HK$, S$): then the bare $ is another dollar than the one it names, the US dollar."""
    if (region is None or _PREFIXED_DOLLAR.search(text) is not None or _US_DOLLARS.search(text, 0, _LEAD_CHARS)
            or _ASIAN_DOLLAR.search(text)):
        return "USD"  # (or the lead states its amounts in U.S. dollars: "assets rose to 200.6 billion U.S. dlrs")
    spec = _table()["regions"].get(region)
    return str(spec["dollar"]) if spec is not None else "USD"


_SAME_BELOW = re.compile(r"\s?[（(]\s?下同\s?[)）]")
_CLAUSE_BREAKS = re.compile(r"[，,；;。！？!?\n]")
_CONVERSION = re.compile(r"[（(]\s?(?:约|約|相当于|相當於|折合)?\s?$")


def apply_context_currency(cands: Sequence[_Money], text: str, language: str | None, region: str | None) -> None:
    """Set the currency of bare amounts (元, $, dollars) from their context: in Chinese, a currency named with
    (下同) holds for the bare 元 after it until another currency is named, and one named in a clause holds for
    the bare amounts later in the clause (港元 … 亿元); else the article's region decides."""
    yuan = bare_yuan(region, language)
    dollar: str | None = None
    chinese = language != "en"
    same_below: str | None = None  # 3,000元人民币（下同）
    named: tuple[str, int] | None = None  # the currency last named, and where its amount ends
    for cand in cands:
        if cand.kind != "money":
            continue
        bare = cand.unit == "元" or (cand.unit is None and cand.currency is None and chinese)
        if chinese and not bare and cand.currency is not None \
                and _CONVERSION.search(text, max(0, cand.start - 4), cand.start) is None:
            if _SAME_BELOW.match(text, cand.end) is not None:
                same_below = cand.currency
            elif same_below is not None and cand.currency != same_below:
                same_below = None  # another currency named: (下同) no longer holds
            named = (cand.currency, cand.end)
            continue
        if bare and yuan is not None:
            inside = _named_inside(text, cand.start, cand.end - 1) if cand.value_from is not None else None
            if inside is not None:
                cand.currency = inside  # 由50亿港元增至60亿元: the from-to names it once
            elif same_below is not None:
                cand.currency = same_below
            elif named is not None and _CLAUSE_BREAKS.search(text, named[1], cand.start) is None:
                cand.currency = named[0]
            else:
                cand.currency = yuan
        elif cand.unit in _BARE_DOLLAR_UNITS:
            if dollar is None:
                dollar = bare_dollar(region, text)
            cand.currency = dollar
