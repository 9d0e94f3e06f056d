"""Who and what a figure is about: subject, entity, as-of date, period and forecast, read from
the sentence and clause around it (the measured noun, the topic before the verb, the nearest named
entity in the clause, the event or programme the paragraph is about)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache

from . import en, lexicon, organisations, scanning
from .candidate import Candidate
from .memo import last_text
from .segments import Clauses, Segments, clause_bounds, clauses, sentence_clauses, split

_QUOTED = re.compile(r"[“「『\"]([^”」』\"]{1,40})[”」』\"]")
_COHORT = re.compile(
    r"第(?P<n>[一二三四五六七八九十\d]+)[期批届屆]|(?P<first>首)[期批届屆]|"
    r"(?:cohort|phase|batch)\s+(?P<en>\d+)|(?P<enfirst>first)\s+(?:cohort|phase|batch)|"
    r"(?P<enord>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:cohort|phase|batch)",
    re.I,
)
_EN_ORDINAL = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
               "ninth": 9, "tenth": 10}
_CN_ORDINAL = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_TOPIC_PRIORITY = {"event": 0, "programme": 0, "bank": 1, "virtual_bank": 1, "company": 1, "svf_operator": 1,
                   "payment_system": 1, "exchange": 1, "fund": 1, "organisation": 1, "lender": 1, "group": 2,
                   "regulator": 2, "place": 3}
_PERIOD_UNITS = {"年": "Y", "个月": "M", "個月": "M", "月": "M", "天": "D", "日": "D", "周": "W", "週": "W",
                 "星期": "W", "季度": "Q", "year": "Y", "years": "Y", "month": "M", "months": "M",
                 "weeks": "W", "days": "D", "quarters": "Q"}


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    surface: str
    key: str
    type: str


@dataclass(slots=True)  # one per figure: not frozen, which would set each field through object.__setattr__
class Attribution:
    subject: str | None
    entity: str | None
    entity_key: str | None
    as_of: str | None
    period: str | None
    forecast: bool
    as_of_source: str | None = None


@dataclass(slots=True)
class Sentence:
    """A sentence and what attribution reads around it, worked out once for all its figures."""

    segs: Segments
    index: int
    start: int
    end: int
    text: str
    cands: list[Candidate]  # the figures that start in it
    mentions: list[Mention]  # the mentions from two sentences before it to its end
    clauses: Clauses


def sentence(text: str, segs: Segments, index: int, cands: list[Candidate], cand_starts: list[int],
             mentions: list[Mention], mention_starts: list[int], breaks: tuple[list[int], list[int]]
             ) -> Sentence:
    """Attribution reads only a sentence's figures and the mentions from the two sentences before it:
    handing it just those keeps a text with many figures linear."""
    ss, se = segs.sentence(index)
    ms = segs.sentence(max(0, index - 2))[0]
    return Sentence(segs, index, ss, se, text[ss:se], cands[bisect_left(cand_starts, ss):bisect_left(cand_starts, se)],
                    mentions[bisect_left(mention_starts, ms):bisect_left(mention_starts, se)],
                    sentence_clauses(text, ss, se, breaks))


@dataclass(frozen=True, slots=True)
class _ZhWords:
    """The Chinese word lists attribution reads, from lexicon.toml."""

    boundaries: tuple[str, ...]  # longest first
    not_boundaries: tuple[str, ...]
    openers: tuple[str, ...]
    continuers: tuple[str, ...]
    forecast: re.Pattern[str]
    near_forecast: re.Pattern[str]
    compared_forecast: re.Pattern[str]
    trailing: re.Pattern[str]
    trailing_reach: int  # a trailing word ends at the end (or before a last newline): it starts no further back
    leading: re.Pattern[str]


@cache
def _words() -> _ZhWords:
    lex = lexicon.load("lexicon.toml")
    quals = [w for ws in lex["qualifiers"]["zh"].values() for w in ws]
    return _ZhWords(
        boundaries=tuple(sorted(lex["boundaries"]["zh"]["words"], key=len, reverse=True)),
        not_boundaries=tuple(lex["boundaries"]["zh"]["not_boundaries"]),
        openers=tuple(lex["adverbial"]["zh"]["openers"]),
        continuers=tuple(lex["adverbial"]["zh"]["continuers"]),
        forecast=re.compile(lexicon.trie_alternation(lex["forecast"]["zh"]["cues"])),
        near_forecast=re.compile(rf"(?:{lexicon.trie_alternation(lex['forecast']['zh']['near_cues'])})"
                                 rf"(?:{lexicon.trie_alternation(quals)})?$"),
        compared_forecast=re.compile(rf"(?:{lexicon.trie_alternation(lex['forecast']['zh']['compared_before'])})"
                                     r"[^，,。；;]{0,8}$"),
        trailing=re.compile(rf"(?:{lexicon.trie_alternation(lex['boundaries']['zh']['trailing'] + quals)})$"),
        trailing_reach=max(map(len, lex["boundaries"]["zh"]["trailing"] + quals), default=0) + 1,
        leading=re.compile(rf"^(?:{lexicon.trie_alternation(lex['boundaries']['zh']['words'] + ['起'])})"),
    )


@cache
def _english_forecast() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The English forecast cues, with a gate on their first letters (see scanning.gate)."""
    cues = lexicon.load("lexicon.toml")["forecast"]["en"]["cues"]
    pattern = re.compile(rf"\b(?:{lexicon.trie_alternation(cues)})\b", re.I)
    return scanning.gate(scanning.initials(cues), pattern), pattern


_TICKER_BEFORE = re.compile(r"\d[. ]$")


@cache
def _entity_contexts() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """key -> (other key, words): an ambiguous alias takes the other key when its sentence or the article's
    opening has one of the words (证监会 in mainland news is the CSRC)."""
    return {key: tuple((other, tuple(words)) for other, words in spec["context"].items())
            for key, spec in lexicon.load("entities.toml").items() if spec.get("context")}


@cache
def entity_types() -> dict[str, str]:
    return {e.key: e.type for e in lexicon.entities()}


@cache
def jurisdictions() -> dict[str, str]:
    """regulator key -> the place whose market statistics it reports."""
    return {key: spec["jurisdiction"] for key, spec in lexicon.load("entities.toml").items()
            if spec.get("jurisdiction")}


def find_mentions(text: str) -> list[Mention]:
    """The entity mentions of `text`: a list of the caller's own; the figure parsers and the metric rules both read
    them, so they are found once per article (`_mentions`)."""
    return list(_mentions(text))


@last_text
def _mentions(text: str) -> tuple[Mention, ...]:
    return tuple(_find_mentions(text))


def _find_mentions(text: str) -> list[Mention]:
    by_alias = lexicon.entity_pattern()[1]
    contexts = _entity_contexts()
    segs: Segments | None = None
    out = []
    for m in scanning.word_matches(lexicon.entity_scan(), text):
        entity = by_alias[m.group()]
        if entity.type == "not_entity":
            continue  # a currency, asset class or longer name that contains an alias
        surface = m.group()
        if len(surface) <= 3 and surface.isupper() and _TICKER_BEFORE.search(text, max(0, m.start() - 2), m.start()):
            continue  # 00926.HK, 0700 HK: a stock code
        if entity.type in _INSTITUTION_TYPES and surface[0].isupper() and (
                _inside_a_longer_name(text, m.start()) or _NAME_GOES_ON.match(text, m.end())):
            continue  # "the Asia Trust Bank Ltd", "Societe Generale de Belgique": no mention of the listed one
        if entity.type == "place" and surface[0].isupper() and organisations.begins_a_name(text, m.end()):
            continue  # Shanghai Commercial Bank, Singapore Airlines Ltd: a name that contains a place (4.3, rule 2)
        key = entity.key
        if key in contexts:
            segs = segs or split(text)
            ss, se = segs.sentence(segs.index_of(m.start()))
            around = text[ss:se] + text[:200]
            key = next((other for other, words in contexts[key] if any(w in around for w in words)), key)
        q = _enclosing_quote(text, m.start(), m.end())
        if q is not None:
            surface = q
        out.append(Mention(m.start(), m.end(), surface, key, entity_types().get(key, entity.type)))
    return out


_NAME_GOES_ON = re.compile(r"\s+(?:de|du|des|della|van|von)\s+[A-Z]")
_INSTITUTION_TYPES = frozenset({"bank", "virtual_bank", "svf_operator", "company"})
# (on its line or across one line break: a heading above is no part of the name)
_CAPITALISED_BEFORE = re.compile(r"(?<![\w'’])([A-Z][A-Za-z&.\-]*)(?:[ \t]+|[ \t]*\n[ \t]*)\Z")


def _inside_a_longer_name(text: str, start: int) -> bool:
    """A Latin institution's alias right after a capitalised word that is not an opener (The, In) is the end of a
    longer name (METRICS.md 4.3, rule 1)."""
    m = _CAPITALISED_BEFORE.search(text, max(0, start - 30), start)
    return m is not None and m.group(1) not in organisations.not_names()


def _enclosing_quote(text: str, s: int, e: int) -> str | None:
    """The whole quoted name around a mention: “香港金融科技周x StartmeupHK创业节”."""
    left = max(text.rfind("“", max(0, s - 40), s), text.rfind("「", max(0, s - 40), s))
    if left < 0:
        return None
    m = _QUOTED.match(text, left)
    return m.group(1) if m and m.end() >= e else None


@cache
def _boundaries_by_last_char() -> dict[str, tuple[str, ...]]:
    """Boundary words by their last character, longest first: only those can end at a given position."""
    by_last: dict[str, list[str]] = {}
    for word in filter(None, _words().boundaries):
        by_last.setdefault(word[-1], []).append(word)
    return {ch: tuple(words) for ch, words in by_last.items()}


@cache
def _not_boundary_at() -> tuple[re.Pattern[str], int]:
    """The longest content word (会议, 其他) starting at each position, tried at every position; and the
    length of the longest."""
    words = _words().not_boundaries
    return re.compile(f"(?=({lexicon.trie_alternation(words)}))"), max(map(len, words), default=0)


def _is_boundary_at(text: str, j: int) -> int:
    """Length of a boundary word ending at j (0 if none, or if a content word covers it)."""
    if j <= 0:
        return 0
    for word in _boundaries_by_last_char().get(text[j - 1], ()):
        k = j - len(word)
        if k >= 0 and text.startswith(word, k):
            # A content word overlapping [k, j) starts before j and ends after k; the longest one starting
            # at a position reaches furthest.
            pattern, longest = _not_boundary_at()
            for m in pattern.finditer(text, max(0, k - longest + 1), j + longest - 1):
                if m.start() < j and m.end(1) > k:
                    return 0
            return len(word)
    return 0


def _noun_before(text: str, start: int, end: int) -> tuple[str, str]:
    """(head, modifier) of the noun phrase ending at `end`: 香港的金融科技公司已 → (金融科技公司, 香港)."""
    w = _words()
    seg_end = end
    while seg_end > start:
        m = w.trailing.search(text, max(start, seg_end - w.trailing_reach), seg_end)
        if m is None or m.end() != seg_end:
            break
        seg_end = m.start()
    boundary_ends = _boundaries_by_last_char()
    j = seg_end
    while j > start:
        ch = text[j - 1]
        if not (ch.isalnum() or ch in "()（）.+-"):
            break
        if j < seg_end and ch in boundary_ends and _is_boundary_at(text, j):
            break
        j -= 1
    head = text[j:seg_end]
    modifier = ""
    if j > start and text[j - 1] == "的":
        k = j - 1
        while k > start and (text[k - 1].isalnum() or text[k - 1] in "()（）") and not _is_boundary_at(text, k):
            k -= 1
        modifier = text[k:j - 1]
    return head, modifier


def _strip_phrase(phrase: str) -> str:
    w = _words()
    phrase = phrase.strip(" “”「」『』\"'，,。！？；")
    for _ in range(4):
        m = w.trailing.search(phrase, max(0, len(phrase) - w.trailing_reach))
        if m is None or not m.group():
            break
        phrase = phrase[: m.start()]
    for _ in range(3):
        m = w.leading.match(phrase)
        if m is None or not m.group() or len(m.group()) >= len(phrase) or phrase.startswith(w.not_boundaries):
            break
        phrase = phrase[m.end():]
    return phrase.strip(" “”「」『』\"'")


def _is_enumerated(text: str, m: Mention) -> bool:
    before = text[m.start - 1] if m.start else ""
    after = text[m.end:m.end + 2].lstrip("”」")
    return before == "、" or after[:1] in ("、", "等")


def _is_adverbial(text: str, cs: int, ce: int) -> bool:
    clause = text[cs:ce]
    return clause.startswith(_words().openers)


def forget_article() -> None:
    """Drop the per-sentence answers of the last article: they hold its text, and no other article asks."""
    _sentence_topic.cache_clear()
    _setting_at.cache_clear()


def _topic(text: str, mentions: list[Mention], ss: int, se: int, prefer_types: bool) -> Mention | None:
    """The topic of a sentence: the first mention of its first clause that is not a setting."""
    in_sentence = tuple(m for m in mentions if ss <= m.start < se)
    return _sentence_topic(text, in_sentence, ss, se, prefer_types) if in_sentence else None


@lru_cache(maxsize=4096)  # each figure of a sentence asks again: answer once per sentence
def _sentence_topic(text: str, in_sentence: tuple[Mention, ...], ss: int, se: int, prefer_types: bool
                    ) -> Mention | None:
    for cs, ce in clauses(text, ss, se):
        inside = [m for m in in_sentence if cs <= m.start < max(ce, cs + 1) and not _is_enumerated(text, m)]
        if inside and not _is_adverbial(text, cs, ce):
            if prefer_types:
                return min(inside, key=lambda m: (_TOPIC_PRIORITY.get(m.type, 4), m.start))
            return inside[0]
    return None


def attribute(text: str, sentence: Sentence, cand: Candidate, published: str | None) -> Attribution:
    """cand: a figure in the sentence."""
    ss, cands = sentence.start, sentence.cands
    cs, ce = sentence.clauses.at(cand.start)
    english = cand.rule.startswith("en.")
    if english:
        subject, scope = en.subject_en(text, cand, cands, cs, ce)
    else:
        subject, scope = _subject(text, cand, sentence, cs, ce)
    mention = _entity(text, cand, sentence, cs, scope) if sentence.mentions else None
    entity = mention.surface if mention else None
    key = mention.key if mention else None
    if mention is not None and mention.type == "programme":
        cohort = _cohort(text[ss:cand.end])
        if cohort is not None:
            entity = f"{entity} {cohort[0]}"
            key = f"{key}_cohort_{cohort[1]}"
    as_of, period, as_of_from_published = _when(cand, cands, ss, cs, published, text)
    if english:
        # English states the target year after the figure, in its clause: "exceed US$600bn by 2032"; and the
        # date it holds at: "2.5 million in 2024", "HK$57.6 billion at the end of 2024".
        period = period or next((str(c.value) for c in cands if cand.end <= c.start < ce and c.kind == "date"
                                 and c.date_cue == "target"), None)
        right_after = _date_right_after(text, cand, cands)
        if right_after:
            as_of, as_of_from_published = right_after, False
        forecast = cand.kind != "date" and scanning.search(*_english_forecast(), text, ss, cand.start) is not None
    else:
        forecast = cand.kind != "date" and bool(
            _zh_forecast_cue(text, ss, cand.start)
            or _words().near_forecast.search(text[max(ss, cand.start - 6):cand.start]))
    source = None if as_of is None else "published" if as_of_from_published else "sentence"
    return Attribution(subject or None, entity, key, as_of, period, forecast, source)


def _zh_forecast_cue(text: str, ss: int, end: int) -> bool:
    """A forecast cue before the figure in its sentence that is not a forecast the figure is compared with."""
    words = _words()
    for m in words.forecast.finditer(text, ss, end):
        if not words.compared_forecast.search(text, max(ss, m.start() - 8), m.start()):
            return True
    return False


def _subject(text: str, cand: Candidate, sentence: Sentence, cs: int, ce: int) -> tuple[str, tuple[int, int]]:
    """The subject as written, and the text range it came from (where the entity may be named)."""
    if cand.noun:
        return cand.noun, (cand.end - len(cand.noun), cand.end)
    cands = sentence.cands
    if cand.kind == "date":
        return _date_subject(text, cand, sentence, cs, ce)
    if cand.kind == "duration":
        after = text[cand.end:_next_figure(cands, cand.end, ce)]
        return after.strip(" ，,。"), (cand.end, ce)
    if text.startswith("的", cand.end):
        return text[cand.end + 1:min(ce, cand.end + 21)].strip(" 。！？"), (cand.end + 1, ce)
    previous_end = max([c.end for c in cands if cs <= c.end <= cand.start], default=cs)
    head, modifier = _noun_before(text, previous_end, cand.start)
    if not head and cand.kind in ("count", "percent"):
        return "", (cs, cand.start)
    return head, (cand.start - len(head) - len(modifier) - (1 if modifier else 0), cand.start)


def _date_subject(text: str, cand: Candidate, sentence: Sentence, cs: int, ce: int) -> tuple[str, tuple[int, int]]:
    before = _strip_phrase(text[cs:cand.start])
    if len(before) >= 2:
        return before, (cs, cand.start)
    start, end = cand.end, ce
    if text[cand.end:ce].strip(" ，,") == "" and ce < sentence.end:
        start, end = sentence.clauses.at(ce + 1)
    end = _next_figure(sentence.cands, start, end)
    return _strip_phrase(text[start:end]), (start, end)


def _next_figure(cands: list[Candidate], start: int, end: int) -> int:
    return min([c.start for c in cands if start <= c.start < end], default=end)


def _entity(text: str, cand: Candidate, sentence: Sentence, cs: int, scope: tuple[int, int]) -> Mention | None:
    ss, se, mentions, segs, si = sentence.start, sentence.end, sentence.mentions, sentence.segs, sentence.index
    in_scope = [m for m in mentions if scope[0] <= m.start < scope[1]]
    if in_scope:
        return in_scope[0]
    if cand.kind == "date":
        return None
    usable = [m for m in mentions if ss <= m.start < cand.start and not _is_enumerated(text, m)
              and not _in_setting(text, ss, se, m)]
    in_clause = [m for m in usable if m.start >= cs]
    if in_clause:
        return in_clause[-1]
    if text[cs:cand.start].startswith(_words().continuers):
        topic = _topic(text, mentions, ss, se, prefer_types=False)
        if topic is not None:
            return topic
    if usable:
        return usable[-1]
    for back in (1, 2):
        if si - back < 0:
            break
        ps, pe = segs.sentence(si - back)
        topic = _topic(text, mentions, ps, pe, prefer_types=True)
        if topic is not None:
            return topic
    return None


def _in_setting(text: str, ss: int, se: int, m: Mention) -> bool:
    return _setting_at(text, ss, se, m.start)


@lru_cache(maxsize=65536)  # asked for every figure after the mention in its sentence
def _setting_at(text: str, ss: int, se: int, start: int) -> bool:
    """A mention inside 从X到Y or a 在…下 clause is an example or a setting, not what is measured."""
    cs, ce = clause_bounds(text, ss, se, start)
    clause = text[cs:ce]
    return (clause.startswith(("从", "從")) and ("到" in clause or "至" in clause)) or _is_adverbial(text, cs, ce)


def _cohort(text: str) -> tuple[str, int] | None:
    found = list(_COHORT.finditer(text))
    if not found:
        return None
    m = found[-1]
    if m.group("first") or m.group("enfirst"):
        return m.group(), 1
    if m.group("enord"):
        return m.group(), _EN_ORDINAL[m.group("enord").lower()]
    n = m.group("n") or m.group("en")
    number = int(n) if n.isdigit() else sum(_CN_ORDINAL.get(ch, 0) for ch in n) if len(n) == 1 else \
        _CN_ORDINAL.get(n[-1], 0) + 10 * (_CN_ORDINAL.get(n[0], 1) if n[0] != "十" else 1)
    return m.group(), number


_AT_DATE = re.compile(r"\s+(?:in|at|as\s+at|as\s+of|on)(?:\s+the)?\s+", re.I)


def period_unit(word: str) -> str:
    """The ISO 8601 designator of a duration's unit word (年 -> Y, months -> M), Y when unknown."""
    w = word.strip().lower()
    return next((code for unit, code in sorted(_PERIOD_UNITS.items(), key=lambda kv: -len(kv[0])) if unit in w), "Y")


def _date_right_after(text: str, cand: Candidate, cands: list[Candidate]) -> str | None:
    """The exact date just after an English figure, joined by in/at/as at/as of/on: the date it holds at."""
    if cand.kind == "date" or cand.from_after:  # "to 138.2 mln dlrs from 87.8 mln in 1985": 1985 is the earlier's
        return None
    i = bisect_left(cands, cand.end, key=lambda c: c.start)
    if i == len(cands) or cands[i].kind != "date" or cands[i].qualifier != "exact" or cands[i].date_cue == "target":
        return None
    gap = _AT_DATE.fullmatch(text, cand.end, cands[i].start)
    return str(cands[i].value) if gap is not None else None


# 與2019年底相比, 較2019年: a date compared with is a base, not when the figure holds
_ZH_BASE_DATE_BEFORE = re.compile(r"(?:與|与|較|较|比)\s*$")
_ZH_BASE_DATE_AFTER = re.compile(r"\s*(?:相比|相較|相较|比較|比较)")


def compared_date(text: str, start: int, end: int) -> bool:
    """The Chinese date at text[start:end] is what a figure is compared with (與2019年底相比): a base, not when the
    figure holds."""
    return bool(_ZH_BASE_DATE_BEFORE.search(text, max(0, start - 2), start) and _ZH_BASE_DATE_AFTER.match(text, end))


def _when(cand: Candidate, cands: list[Candidate], ss: int, cs: int, published: str | None, text: str = ""
          ) -> tuple[str | None, str | None, bool]:
    """as_of: the date the sentence says the figure holds at, else the article's date.
    period: a target year before it in the sentence (到2032年), or a span before it in the clause (未来三年).
    The flag: as_of is the published date (no date in the sentence)."""
    if cand.kind == "date":
        return published, None, True
    as_of, period, from_published = published, None, True
    before = [c for c in cands if ss <= c.start < cand.start]
    for c in reversed(before):
        if c.kind == "date" and c.date_cue == "target":
            period = period or str(c.value)
        elif c.kind == "date" and from_published and c.qualifier == "exact" and not (
                text and not c.rule.startswith("en.") and compared_date(text, c.start, c.end)):
            as_of, from_published = str(c.value), False
        elif c.kind == "duration" and c.start >= cs and period is None:
            period = f"P{c.value}{_PERIOD_UNITS.get(c.unit or '', 'Y')}"
    return as_of, period, from_published
