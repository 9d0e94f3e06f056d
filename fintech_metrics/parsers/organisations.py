"""Organisations the entity list does not know, named before a figure (METRICS.md 4.4's naming rule).

An English text gives an unlisted organisation's name, and its key is the snake_case of that name (Keppel ->
`keppel`, BT Asia Ltd -> `bt_asia`). A Chinese text names it in Chinese only: the caller learns that an organisation
is named there, so that the row does not go to the nearest listed entity instead. The word lists are data
(`data/organisations.toml`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import lexicon


@dataclass(frozen=True, slots=True)
class Organisation:
    start: int
    key: str | None  # None: named in Chinese, or a reference (该公司) to the company the article is about
    type: str = "company"  # bank, organisation or company, by the words of an English name
    reference: bool = False
    financial: bool = False  # a word of its name puts it in the financial sector (Acme Financial Corp)


@dataclass(frozen=True)
class _English:
    run: re.Pattern[str]
    verbs: re.Pattern[str]
    ends: frozenset[str]
    legal: frozenset[str]
    not_names: frozenset[str]
    joiners: frozenset[str]
    types: dict[str, str]
    financial: frozenset[str]
    classes: frozenset[str]
    owned: re.Pattern[str]
    quoting: re.Pattern[str]
    partner: re.Pattern[str]


@cache
def _english() -> _English:
    spec = lexicon.load("organisations.toml")["english"]
    word = r"[A-Z][A-Za-z0-9'’&.\-]*(?:/[A-Z][A-Za-z0-9'’&.\-]*)?"  # (CBS/Fox Video Co)
    joiner = "|".join(re.escape(j) for j in spec["joiners"])
    types = {w: "bank" for w in spec["bank_ends"]} | {w: "organisation" for w in spec["organisation_ends"]}
    return _English(re.compile(rf"(?<![A-Za-z0-9]){word}(?:\s+(?:(?:{joiner})\s+)?{word})*"),
                    re.compile(r"\s+(?:" + "|".join(spec["subject_verbs"]) + r")\b"),
                    frozenset(spec["name_ends"]), frozenset(spec["legal_forms"]),
                    frozenset(spec["not_names"]) | frozenset(spec["legal_forms"]), frozenset(spec["joiners"]), types,
                    frozenset(spec["financial_words"]), frozenset(spec["class_nouns"]),
                    re.compile(r"\s+(?:(?:(?:19|20)\d\d|" + "|".join(spec["owned_modifiers"]) + r")\s+){0,3}(?:"
                               + "|".join(spec["owned_nouns"]) + r")\b", re.I),
                    re.compile(r"\s+(?:also\s+)?(?:" + "|".join(spec["quoting_verbs"]) + r")\b"),
                    # (a firm's name may have a comma in it: "analyst at Smith Barney, Harris Upham and Co")
                    re.compile(r"\b(?:" + lexicon.alternation(spec["partner_before"]) + r")\s+(?:the\s+)?"
                               r"(?-i:(?:[A-Z][\w&.'’-]*\s+){0,2}[A-Z][\w&.'’-]*,\s+)?\Z", re.I))


@cache
def _sector() -> re.Pattern[str]:
    words = lexicon.load("organisations.toml")["sector"]["words"]
    return re.compile(r"(?<![A-Za-z0-9])(?:" + lexicon.alternation(words) + r")(?![A-Za-z0-9])", re.I)


def about_the_sector(text: str) -> bool:
    """The article is about the financial technology sector (fintech, virtual banks, payments, digital assets): any
    company's commitment or valuation in it is the catalogue's, not only a financial firm's."""
    return _sector().search(text) is not None


@cache
def _name_goes_on() -> re.Pattern[str]:
    ends = lexicon.alternation(sorted(_english().ends))
    return re.compile(r"(?:[ \t]+(?:(?:and|&|of)[ \t]+)?[A-Z][A-Za-z&.\-]*){0,3}?[ \t]+(?:" + ends + r")(?![A-Za-z])")


def begins_a_name(text: str, end: int) -> bool:
    """The capitalised words after text[:end] make it the start of an organisation's name (Shanghai Commercial
    Bank, Singapore Airlines Ltd): a place there is part of a name, not the place."""
    return _name_goes_on().match(text, end) is not None


def not_names() -> frozenset[str]:
    """Capitalised words that begin no name (sentence openers, titles, calendar words) and legal forms."""
    return _english().not_names


@cache
def _chinese() -> tuple[re.Pattern[str], tuple[str, ...], re.Pattern[str]]:
    spec = lexicon.load("organisations.toml")["chinese"]
    ends = re.compile("|".join(re.escape(w) for w in sorted(spec["name_ends"], key=len, reverse=True)))
    references = re.compile("|".join(re.escape(w) for w in sorted(spec["references"], key=len, reverse=True)))
    return ends, tuple(spec["generic"]), references


# An aside after a name that names others: "CBS/Fox Video Co, an equal partnership of CBS Inc and 20th Century-Fox
# Film Corp, expects…", "Alcoa of Australia, owned 51 pct by Aluminum Co of America, said…", "The company, which
# has agreed to merge with Lomak, lost…", "Acme, which yesterday agreed to buy Beta AG, saw…": the organisations in it
# are not the sentence's subject.
_ASIDE_OPENING = re.compile(r",\s*(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,3}(?:unit|subsidiary|partnership|affiliate|"
                            r"division|arm|parent|owner|partner|member|shareholder|holding\s+company)\s+(?:of|in|for)\b"
                            r"[^,;]*$|"
                            r",\s*(?:\d+\s+pct\s+)?(?:owned|controlled|backed|held)\s+(?:\d+\s+pct\s+)?by\b[^,;]*$|"
                            r",\s*which\b[^,;]*$|"
                            # ", defending itself against a bid from Acme Plc,": a participle's clause
                            r",\s*(?!managing\b)[a-z]+ing\b[^,;]*$", re.I)


def named_before(text: str, lo: int, hi: int, listed: list[tuple[int, int]]) -> Organisation | None:
    """The last unlisted organisation named in text[lo:hi], outside the spans of listed entities and of asides that
    name others (", a unit of …", ", owned by …") and other than a deal's other party ("merger with …") unless the
    figure describes it (", with assets of …"): the subject is named before such an aside, even if not as a name this
    module knows."""
    partner = _english().partner
    found = [o for o in (*_english_names(text, lo, hi), *_chinese_names(text, lo, hi))
             if not any(s <= o.start < e for s, e in listed) and not _in_aside(text, lo, o.start)
             and not (partner.search(text[max(lo, o.start - 40):o.start]) and not _DESCRIBED.search(text, o.start, hi))]
    return max(found, key=lambda o: o.start) if found else None


# "the acquisition of Acme Bank, with assets of 26 mln dlrs": the figure describes the deal's other party
_DESCRIBED = re.compile(r",\s*(?:which|with|that)\b")


def _in_aside(text: str, lo: int, start: int) -> bool:
    m = _ASIDE_OPENING.search(text, lo, start)
    return m is not None and bool(text[lo:m.start()].strip())


def _english_names(text: str, lo: int, hi: int) -> list[Organisation]:
    en = _english()
    out = []
    for m in en.run.finditer(text, lo, hi):
        for start, words in _names_in_run(m.group(), m.start(), en.legal):
            found = _organisation(text, lo, start, words, m.end(), en)
            if found is not None:
                out.append(found)
    return out


def _names_in_run(run: str, at: int, legal: frozenset[str]) -> list[tuple[int, list[str]]]:
    """A run of capitalised words as names (start, words): a legal form ends one (A Co Ltd and B Ltd), unless "of"
    goes on with it (Aluminum Co of America), and a "New York-based" word is not part of the name after it."""
    out: list[tuple[int, list[str]]] = []
    words: list[str] = []
    start = at
    found = list(re.finditer(r"\S+", run))
    for i, m in enumerate(found):
        w = m.group()
        if w.endswith("-based"):
            words = []
            continue
        if not words:
            start = at + m.start()
        words.append(w)
        # "British Petroleum Co of Australia Ltd", "Aluminum Co of America": the name goes on after "of"
        goes_on = i + 1 < len(found) and found[i + 1].group() == "of" and w == _bare(w)
        if len(words) > 1 and _bare(w) in legal and not goes_on:
            out.append((start, words))
            words = []
    if words:
        out.append((start, words))
    return out


def _organisation(text: str, lo: int, start: int, words: list[str], run_end: int, en: _English) -> Organisation | None:
    """The organisation a name of the run is, if it is one: it ends with an organisation word or a legal form, or it
    is one word that a subject verb follows (Keppel reported)."""
    while words and words[0] in en.joiners | en.not_names:
        start = text.index(words[0], start) + len(words[0])  # The National Pork Board, Last month Keppel, "and B"
        words = words[1:]
    if not words:
        return None
    start = text.index(words[0], start)
    named = [w for w in words if _bare(w) not in en.legal] or words
    last = _bare(named[-1])
    # Vista Bank of Marion County: an organisation word before "of" names it as well as one at its end
    of_name = any(_bare(w) in en.ends and nxt == "of" for w, nxt in zip(named, named[1:], strict=False))
    by_end = (last in en.ends and len(named) > 1) or of_name or len(named) < len(words)
    if (len(words) > 3 and words[2] == "of" and not {_bare(w) for w in words[:2]} & en.ends
            and en.quoting.match(text, run_end)):
        return None  # Alan Smith of Acme Securities Ltd said: a person, quoted
    if len(words) == 1 and _bare(words[0]) in en.classes:
        return None  # "Manufacturers' earnings will rise": a class of firms, no name
    possessive = words[-1].endswith(("'s", "’s", "'", "’")) and en.owned.match(text, run_end) is not None
    # one word is a name only as the subject after an opening phrase (Last month, Keppel reported): at a sentence's
    # start or after other words (Faster payment System recorded) a capital says nothing
    # (or after a reporting verb: "He said Cavendish will have…")
    after_phrase = (text[lo:start].rstrip().endswith((",", ";")) and bool(text[lo:start].strip(" ,;\n"))
                    or _REPORTED.search(text, lo, start) is not None)
    alone = len(words) == 1 and last not in en.ends and start + len(words[0]) == run_end
    by_verb = alone and after_phrase and en.verbs.match(text, run_end) is not None
    # "Ford, which earned 3.28 billion dlrs in 1986": a relative clause of results makes one word a name anywhere
    by_which = alone and _WHICH_RESULTS.match(text, run_end) is not None
    if not (by_end or by_verb or by_which or possessive):
        return None
    kind = en.types.get(last) or next((en.types[_bare(w)] for w in named if _bare(w) in en.types), "company")
    financial = any(_bare(w) in en.financial for w in words)
    return Organisation(start, key_of(" ".join(words), en.legal), kind, financial=financial)


_REPORTED = re.compile(r"\b(?:said|says)\s+$")
_WHICH_RESULTS = re.compile(r",\s+which\s+(?:earned|reported|posted|lost|recorded)\b")


def _bare(word: str) -> str:
    """A word without its possessive and trailing punctuation: Keppel's -> Keppel, Ltd. -> Ltd., Makers' -> Makers."""
    return word.removesuffix("'s").removesuffix("’s").rstrip(".,'’")


def key_of(name: str, legal: frozenset[str] = frozenset()) -> str:
    """An organisation's entity key: the snake_case of its name without its legal form."""
    words = name.replace("’", "'").split()
    while len(words) > 1 and (_bare(words[-1]) in legal or words[-1] in ("and", "&", "of")):
        words.pop()  # Merrill Lynch and Co -> merrill_lynch
    return re.sub(r"[^a-z0-9]+", "_", " ".join(words).lower().replace("'s", "").replace("&", " and ")).strip("_")


def _chinese_names(text: str, lo: int, hi: int) -> list[Organisation]:
    ends, generic, references = _chinese()
    out = []
    for m in ends.finditer(text, lo, hi):
        if ends.match(text, m.end()):
            continue  # 科技 of 科技公司: the longer name ends later
        before = text[max(lo, m.start() - 6):m.start()]
        if len(before) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in before[-2:]):
            continue
        if any(before.endswith(g) for g in generic):
            continue  # 金融科技公司, 上市公司: a class of companies
        out.append(Organisation(m.start() - 2, None))
    out += [Organisation(m.start(), None, reference=True) for m in references.finditer(text, lo, hi)
            if text.startswith(("该", "該"), m.start()) or m.start() == lo]
    return out
