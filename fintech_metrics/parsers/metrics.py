"""Figures to canonical metrics: the catalogue (metrics.toml) says what a figure measures, the entity rules
(entities.toml) say about whom, the dates around it say when, and the reference rates (rates.toml) give its value
in US dollars.

A figure is a metric row when a word of a catalogue entry names what it measures: in its subject, else the nearest
such word around it in its sentence. A change (增长X%, up 30%, 新增N) goes to the entry's `<key>_change` companion
with its comparison basis in `unit`; decreases and losses on signed keys are negative. See METRICS.md of the gold
set for the specification, and the README's Metrics section.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache

from ..records import Figure, Metric
from . import attribution, en_dates, lexicon, organisations, scanning
from .segments import Segments, opens_with_a_dateline, split

CHANGE_KINDS = ("percent", "points", "multiple")


@dataclass(frozen=True, slots=True)
class MetricRule:
    key: str
    description: str
    kinds: tuple[str, ...]
    subjects: tuple[tuple[str, ...], ...]  # each alternative: words that must all appear (lower-cased)
    phrases: tuple[tuple[str, ...], ...]  # the same, in the sentence of a figure without a subject
    context: tuple[str, ...]
    entity_prefix: tuple[str, ...]
    change: bool | None  # true: the key itself is a change; false: levels only
    unit: str | None
    nature: str = "stock"
    companion: bool = False  # has a generated <key>_change
    signed: bool = False
    results: bool = False
    not_subjects: tuple[str, ...] = ()
    entity_types: tuple[str, ...] = ()
    default_entity: str | None = None
    level: str | None = None  # on a generated companion: the level key
    context_in_passage: bool = False  # the context may be named earlier in the passage or in the title
    not_context: tuple[str, ...] = ()  # words anywhere in the sentence that make it about something else
    cumulative: bool = False  # a running total since launch: a month's or a quarter's amount is its change
    book: bool = False  # a book of many borrowers: loans to one named borrower or country are no row of it
    sector: bool = False  # an unlisted company's row only when its name or the article is the financial sector's
    banking: bool = False  # a place's row only when its sentence is about its banks


RULE_FIELDS = frozenset({
    "description", "kinds", "subjects", "phrases", "context", "entity_prefix", "change", "unit", "nature",
    "change_companion", "signed", "results", "not_subjects", "entity_types", "default_entity", "context_in",
    "not_context", "cumulative", "book", "sector", "banking"})


def _rule(key: str, spec: dict) -> MetricRule:
    if unknown := sorted(set(spec) - RULE_FIELDS):
        # a misspelt field would otherwise be ignored without a word, and the rule quietly not do what it says
        raise ValueError(f"metrics.toml [{key}]: unknown field(s) {', '.join(unknown)}; the fields are listed at the "
                         "top of the file")
    return MetricRule(
        key=key,
        description=spec["description"],
        kinds=tuple(spec["kinds"]),
        subjects=tuple(tuple(alt.lower().split("+")) for alt in spec["subjects"]),
        phrases=tuple(tuple(alt.lower().split("+")) for alt in spec.get("phrases", ())),
        context=tuple(spec.get("context", ())),
        entity_prefix=tuple(spec.get("entity_prefix", ())),
        change=spec.get("change"),
        unit=spec.get("unit"),
        nature=spec.get("nature", "stock"),
        companion=bool(spec.get("change_companion", False)),
        signed=bool(spec.get("signed", False)),
        results=bool(spec.get("results", False)),
        not_subjects=tuple(w.lower() for w in spec.get("not_subjects", ())),
        entity_types=tuple(spec.get("entity_types", ())),
        default_entity=spec.get("default_entity"),
        context_in_passage=spec.get("context_in") == "passage",
        not_context=tuple(spec.get("not_context", ())),
        cumulative=bool(spec.get("cumulative", False)),
        book=bool(spec.get("book", False)),
        sector=bool(spec.get("sector", False)),
        banking=bool(spec.get("banking", False)),
    )


@cache
def catalogue() -> tuple[MetricRule, ...]:
    """The entries of metrics.toml, in order (the level keys)."""
    return tuple(_rule(key, spec) for key, spec in lexicon.load("metrics.toml").items())


@cache
def taxonomy() -> tuple[MetricRule, ...]:
    """Every metric key a row may have: the catalogue's, then the generated `<key>_change` companions."""
    rules = catalogue()
    companions = tuple(
        MetricRule(key=f"{r.key}_change", description=f"Change of {r.key}: {r.description}",
                   kinds=tuple(dict.fromkeys((*r.kinds, *CHANGE_KINDS))), subjects=r.subjects, phrases=(),
                   context=r.context, entity_prefix=r.entity_prefix, change=True, unit=None, nature=r.nature,
                   signed=r.signed, results=r.results, not_subjects=r.not_subjects, entity_types=r.entity_types,
                   default_entity=r.default_entity, level=r.key, context_in_passage=r.context_in_passage,
                   not_context=r.not_context, cumulative=r.cumulative, book=r.book, sector=r.sector,
                   banking=r.banking)
        for r in rules if r.companion
    )
    return rules + companions


@cache
def _by_key() -> dict[str, MetricRule]:
    return {r.key: r for r in taxonomy()}


# ------------------------------------------------------------------------------------------------ words


@cache
def _word_index() -> tuple[re.Pattern[str], dict[str, tuple[int, ...]]]:
    """One pattern over every subject word (lower-cased; Latin words on word boundaries) and word -> rules."""
    by_word: dict[str, list[int]] = {}
    for i, rule in enumerate(catalogue()):
        for alt in rule.subjects:
            if alt[0]:
                by_word.setdefault(alt[0], []).append(i)
    # A rule's excluded phrase that holds one of its words ("operating profit" holds "profit") is a word of its own,
    # naming the rules the inner word names but that one: the longest word at a position wins, so the inner word
    # found anywhere in the sentence ("Operating profit at the unit fell 4.5 pct to 150 mln dlrs") no longer names it.
    shadows: dict[str, set[int]] = {}
    for rule in catalogue():
        for phrase in rule.not_subjects:
            inner = [w for w in by_word if w != phrase and phrase.isascii() and _holds(phrase, w)]
            if inner and phrase not in by_word:
                shadows.setdefault(phrase, set()).update(j for w in inner for j in by_word[w])
    for phrase, ids in shadows.items():
        by_word[phrase] = [j for j in sorted(ids) if phrase not in catalogue()[j].not_subjects]
    # a prefix tree: the longest word at each position (Latin words on word boundaries), one branch tried per
    # character instead of every word
    return re.compile(lexicon._trie_pattern(list(by_word))), {w: tuple(ids) for w, ids in by_word.items()}


_ZH_CHANGE_BY = re.compile(
    r"(?:增加|增长|增長|上升|上涨|上漲|下降|下跌|减少|減少|新增|增幅|跌幅|降幅|升幅|增|升|跌|降|扩大|擴大|收窄|提升|提高|多蝕|多出|大升|大增|"
    r"按年|按季|按月|同比|环比|環比|年增|季增|月增|年减|季减|月减)"
    r"(?:了|约|約|逾|超过|超過|超|近|达|達|高达|高達|大约|大約)?$")
_EN_CHANGE_BY = re.compile(
    r"\b(?:rose|rise|rises|risen|rising|increased|increase|increases|grew|grow|grown|growth|jumped|jump|climbed|"
    r"fell|fall|fallen|falls|declined|decline|declines|dropped|drop|decreased|decrease|slipped|slid|surged|soared|"
    r"up|down|added|adding|gained|lost|widened|narrowed|improved|improve|improves|expanded|contracted|higher|lower|"
    r"increment|reduced|reduce|boosted|boost|lifted|lowered)"
    r"(?:\s+(?:by|of|over|about|nearly|some|around|almost|more than|over|just|a|an))*\s*$", re.I)
# "a 3.4 mln stg rise in profits": the amount of a change named after it
_EN_CHANGE_NOUN_AFTER = re.compile(r"\s+(?:rise|increase|fall|drop|decline|jump|gain|improvement|reduction|"
                                   r"decrease)\s+in\b", re.I)
_CHANGE_NOUN_END = re.compile(r"\s(?:rise|increase|fall|drop|decline|jump|gain|improvement|reduction|decrease)$",
                              re.I)
_IN_AFTER = re.compile(r"\s+in\b")
_AMOUNT_OF = re.compile(r"\s+(?:of|in)\s+(?:[\w-]+\s+){0,4}(?:loans?|deposits?|assets?|debts?|bonds?|notes?|"
                        r"shares?|stock|securities|preferred|debentures?|credits?|reserves?)\b", re.I)
# "net excludes a gain of 12 mln", "net income of 28,000 dlrs, including a 103,000 dlrs credit": an item of the
# results, not the results
# ", or 39 cts a share": a per-share aside between a result and the words about it
# (the share may go unsaid after a result in millions: "income of 142 mln dlrs or 1.46 dlrs on sales of…")
_OR_PER_SHARE = (r",?\s+or\s+(?:[\d.]+|[a-z]+(?:-[a-z]+)?)\s+(?:cts|cents|dlrs?|dollars|pence)"
                 r"(?:\s+(?:(?:a|per)\s+)?(?:share|shr)|(?=\s+(?:on|in|for|versus|vs|against|compared)\b)),?")
_ITEM_OF_RESULTS = re.compile(r"\b(?:excludes?|excluding|includes?|including|included)\b"
                             r"(?:[^.;,]|[.,](?=\d)|,(?=\s+(?:or|and|respectively)\s)|(?<=respectively),)*$", re.I)
# "an extraordinary gain of 5 mln dlrs", "earnings from its 35 pct stake in X will fall to…": an item, or another
# company's result, not the reporting company's
_ITEM_BEFORE = re.compile(r"\bpreviously\s+(?:announced|reported|estimated|forecast)\s+$|"  # superseded by the new one
                          r"\b(?:extraordinary|one-time|one-off|nonrecurring|non-recurring)\s+(?:after-?tax\s+|"
                          r"pre-?tax\s+)?(?:gain|profit|loss|charge|credit|item|provision|write-?down|income)s?\s+"
                          r"(?:of\s+)?(?:about\s+|nearly\s+|some\s+)?$|"
                          r"\b(?:earnings|income|profits?|contribution)\s+from\s+(?:its|the|a|their)\s+(?:[\w-]+\s+){0,4}"
                          r"(?:stake|holding|interest|shareholding)\s+in\b[^.;]*$|"
                          # "earnings from exploration and production", "revenues from TPA": a line of the business
                          r"\b(?:earnings|profits?|income|revenues?)\s+from\s+(?!continuing\b|operations\b|a\s+year|"
                          r"the\s+(?:year|same|prior|previous)\b|last\b|\d)[A-Za-z][\w-]*\b"
                          r"(?:[^.;,]|[.,](?=\d))*$|"
                          # "its life insurance operations earned", "its property-casualty companies had a net loss of":
                          # a part of the company, not the company
                          r"\bits\s+(?:[\w-]+\s+){0,3}(?:operations|companies|divisions?|units?|subsidiar(?:y|ies)|"
                          r"arm|businesses|segments?)\s+(?:had|earned|posted|reported|made|lost|recorded)\b"
                          r"(?:[^.;,]|[.,](?=\d))*$", re.I)
# "corrected its net income to 485,380 dlrs from 528,790 dlrs reported earlier today": the figure it replaces
# "revised its loss for the year to 4.7 mln dlrs from the loss of 3.1 mln dlrs": the figure it replaced
_REVISED_FROM = re.compile(r"\b(?:revised|restated|corrected|adjusted)\b(?:[^.;]|\.(?=\d)){0,80}?\bto\s+"
                           r"(?:[^.;]|\.(?=\d)){1,30}?\bfrom\s+"
                           r"(?:the\s+|a\s+|its\s+)?(?:previously\s+reported\s+)?(?:net\s+)?(?:loss|profit|earnings|"
                           r"income|net)?\s*(?:of\s+)?$", re.I)
_SUPERSEDED_AFTER = re.compile(rf"(?:{_OR_PER_SHARE})?\s+(?:as\s+)?(?:it\s+)?(?:had\s+)?(?:reported|announced|stated|"
                               r"given)\s+(?:earlier|previously)\b", re.I)
_LOANS_TO_A_BORROWER = re.compile(r"\b[Ll]oans?\s+to\s+(?:borrowers\s+in\s+)?[A-Z]|\b(?:of|in)\s+[A-Z][a-z]+\s+loans\b")
# "a loss of 33.9 mln dlrs from the previously reported sale of its leasing business", "net profits of about 16 mln
# dlrs from the deal": a one-off item
# (the period may come first: "a loss of two mln dlrs in its third quarter ended February 28 from the sale of…")
_FROM_AN_ITEM = re.compile(rf"(?:{_OR_PER_SHARE})?(?:\s+(?:loss|gain|charge)(?:es|s)?(?:\s+incurred)?)?"
                           r"(?:\s+(?:in|for)\s+(?:its|the)\s+(?:[\w-]+\s+){0,2}(?:quarter|half|year|period)"
                           r"(?:\s+(?:ended|ending)\s+[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s+\d{4})?)?,?)?"
                           r"\s+(?:from|on|for)\s+"
                           r"(?:(?:the|its|a|an)\s+(?:[\w-]+\s+){0,3}(?:sale|disposal|sell-off|writedown|write-down|"
                           r"write-off|writeoff|closure|restructuring|settlement|reorganization|reorganisation|placement|"
                           r"deal|transaction)s?\b|"
                           r"(?:placing|selling|writing\s+(?:off|down)|closing)\b)", re.I)
# a result on a condition: what would follow if something happened, not what happened or is expected
_HYPOTHETICAL = re.compile(r"\b(?:if|unless)\s[^.;]{0,200},\s*[^.;,]*\b(?:will|would)\s+(?:[\w-]+\s+){0,3}$|"
                           # "under U.S. practices, Acme would have reported a loss of X vs a yr-ago loss of Y"
                           r"\bwould\s+have\s+(?:reported|posted|earned|shown|recorded|lost)\b(?:[^.;]|\.(?=\d))*$",
                           re.I)
# the price of a sale or a purchase: "agreed to sell its Acme Manufacturing Inc unit for 100,000 dlrs cash"
# (its asides may come between: "sold most of its assets to Acme Bank, a unit of Beta Corp, of Ohio, for …")
_PRICE_OF_A_SALE = re.compile(r"\b(?:sell|sells|sold|selling|buy|buys|bought|buying)\b[^.;]{0,150}?\bfor\s+"
                              r"(?:about\s+|some\s+|nearly\s+|around\s+|approximately\s+)?$", re.I)
# what a move does to the results, not the results: "a move that will reduce first quarter earnings by 7.2 mln dlrs"
def _no_statistic(art: _Article, figure: Figure, ss: int) -> bool:
    """(English) a figure on a condition, a price paid in a sale, what a move does to the results, a part of a
    total the sentence opens with ("Of Acme's total revenues expected for the quarter, about 43 mln dlrs will…"), or
    the margin by which one figure beats another ("surpassing the previous record (HK$142.2 billion) by HK$121.8
    billion")."""
    return bool(_HYPOTHETICAL.search(art.text, ss, figure.start) or _OF_A_TOTAL.match(art.text, ss)
                or _MARGIN_BY.search(art.text, max(ss, figure.start - 80), figure.start)
                or _PRICE_OF_A_SALE.search(art.text, max(ss, figure.start - 170), figure.start)
                or _IMPACT_ON_RESULTS.search(art.text, max(ss, figure.start - 60), figure.start)
                or _RESULTS_IMPACTED.search(art.text, max(ss, figure.start - 60), _after_a_move_verb(figure)))


_MARGIN_BY = re.compile(r"\b(?:surpass|surpassed|surpassing|exceed|exceeded|exceeding|beat|beating|outstrip|"
                        r"outstripped|outstripping|top|topped|topping)\b(?:[^.;]|\.(?=\d))*\bby\s+"
                        r"(?:about\s+|some\s+|nearly\s+)?$",
                        re.I)
# 比2007年的次高成績（1,422億港元）高出1,218億港元: the margin over another year's figure
_ZH_MARGIN = re.compile(r"比\s*(?:19|20)\d\d\s*年(?:[^，。；,;]|,(?=\d))*?(?:高出|多出|超出)\s*$")
_OF_A_TOTAL = re.compile(r"\s*Of\s+(?:the\s+|its\s+|their\s+|[A-Z][\w.&'’-]*\s+)?(?:[\w'’-]+\s+){0,3}total\b")
_MOVE_VERB_LEAD = re.compile(r"(?:reduced|cut|lowered|boosted|increased|trimmed|raised)\s+by\s+(?:about\s+|some\s+|"
                             r"nearly\s+|around\s+)?", re.I)


def _after_a_move_verb(figure: Figure) -> int:
    """Where the amount starts when the figure's span opens with its verb ("reduced by about seven mln dlrs")."""
    m = _MOVE_VERB_LEAD.match(figure.surface)
    return figure.start + (m.end() if m else 0)


# (or said of the results: "first-quarter net income will be reduced by about seven mln dlrs")
_RESULTS_IMPACTED = re.compile(r"\b(?:earnings|profits?|net|income|results)\s+(?:will|would|could|may|might|were|was|"
                               r"is|are|has|have|had)\s+(?:be\s+|been\s+)?(?:reduced|cut|lowered|boosted|increased|"
                               r"hurt|depressed|trimmed|raised)\s+by\s+(?:about\s+|some\s+|nearly\s+|around\s+)?$",
                               re.I)
_IMPACT_ON_RESULTS = re.compile(r"\b(?:reduce[sd]?|reducing|cut|cuts|cutting|lower(?:s|ed)?|boost(?:s|ed)?|add(?:s|ed)?"
                                r"\s+to|increase[sd]?|depress(?:es|ed)?|hurt|hit)\s+(?:its\s+|the\s+|our\s+|their\s+)?"
                                r"(?:[\w-]+\s+){0,5}(?:earnings|profits?|net|income|results)\s+by\s+"
                                r"(?:about\s+|some\s+|nearly\s+|around\s+|approximately\s+)?$", re.I)
_LOST = re.compile(r"\b(?:lost|loses|lose)\s+(?:about\s+|nearly\s+|some\s+)?$", re.I)  # a company "lost 7.1 mln dlrs"
_LEVEL_AFTER_MOVE = re.compile(r"(?:至|到|达|達|为|為|\bto|\bat|\breach(?:ed|ing)?|\bstood at)\s*$", re.I)
_REACHED = re.compile(r"(?:至|到|\bto)\s*$", re.I)
_NUMBER_START = re.compile(r"[\d０-９一二三四五六七八九十两兩〇○零百千万萬亿億]")

_DECREASE = re.compile(r"下降|下跌|减少|減少|跌|降|收窄|回落|下滑|fell|fall|declin|drop|decreas|down|lower|slid|slipp|"
                       r"shr[iu]nk|contract", re.I)
_LOSS = re.compile(r"亏损|虧損|蝕|净亏|淨虧|loss|deficit|in the red|净卖出|淨賣出|net sell|sold a net", re.I)
# a 38.6 mln dlr net loss, a 2.20 billion dlr 1986 loss
_LOSS_AFTER = re.compile(r"\s*(?:(?:fiscal\s+)?(?:19|20)\d\d\s+)?"
                         r"(?:(?:first|second|third|fourth)[-\s](?:quarter|half)\s+)?"
                         r"(?:parent\s+(?:company\s+)?|group\s+|consolidated\s+)?"
                         r"(?:net\s+|operating\s+|pre-?tax\s+|current\s+)?(?:loss|deficit)\b", re.I)
# what closes the stretch before a figure that a loss word may govern (a loss for the period of about 175 mln; not
# the loss of "profit of 5.1 mln against a loss of 129.6 mln" for the profit)
_LOSS_STRETCH_BREAK = re.compile(r".*(?:\bvs\b|\bversus\b|\bagainst\b|\bcompared\b|"
                                 r"\bfrom\b(?!\s+(?:continuing\s+)?operations)|\bprofit|\bincome\b|"
                                 r"\bearn|[,;:，；。])", re.I | re.S)


_COMMA_ASIDE = re.compile(r",\s*(?:without|before|after|excluding|including|net\s+of)\b[^,;]{0,40},", re.I)


def _loss_before(text: str, ss: int, start: int) -> bool:
    """A loss word in the 60 characters before the figure, with no comparison or profit word between them ("a loss
    for the first quarter in the range of 55 mln to 65 mln dlrs")."""
    # (an aside between the loss word and its amount does not close the stretch: "a loss, without tax benefit, of")
    before = _COMMA_ASIDE.sub(" ", text[max(ss, start - 60):start])
    cut = _LOSS_STRETCH_BREAK.match(before)
    return bool(_LOSS.search(before[cut.end():] if cut else before))


def _is_loss(text: str, ss: int, figure: Figure, reach: int) -> bool:
    """A loss word next to the amount: in the 20 characters before it up to `reach` after it, right after it (a 6 mln
    dlr loss), or governing the stretch before it."""
    return bool(_LOSS.search(text, max(ss, figure.start - 20), reach) or _LOSS_AFTER.match(text, figure.end)
                or _loss_before(text, ss, figure.start) or _LOST.search(text, max(ss, figure.start - 12), figure.start))


# what joins two amounts of one list: "losses of 5 mln dlrs for the quarter and 9 mln dlrs for the year"
_LIST_GAP = re.compile(r"[^;；。]{0,50}?(?:\band\b|、|及|和|,|，)[^;；。]{0,30}", re.I)


def _listed_after_a_loss(art: _Article, figure: Figure, ss: int) -> bool:
    """The amount is listed after a loss ("losses of 5 mln dlrs for the quarter and 9 mln dlrs for the year"), with
    no comparison or profit word between them."""
    i = bisect_left(art.figure_starts, figure.start)
    prev = next((f for f in _before(art.figures, i) if f.kind not in ("date", "duration")), None)
    if prev is None or prev.start < ss or prev.kind != figure.kind:
        return False
    gap = art.text[prev.end:figure.start]
    return (_LIST_GAP.fullmatch(gap) is not None and _LOSS_STRETCH_BREAK.match(gap.replace(",", " ")) is None
            and _is_loss(art.text, ss, prev, prev.end))


_WIDEN = re.compile(r"扩大|擴大|多蝕|widen|deepen", re.I)
_NARROW = re.compile(r"收窄|减少|減少|少蝕|narrow", re.I)

_NOT_AFTER_NUMERAL = r"(?<![\d〇○零一二三四五六七八九十])"
_BASIS = (
    ("yoy", re.compile(r"按年|同比|" + _NOT_AFTER_NUMERAL + r"年增|" + _NOT_AFTER_NUMERAL + r"年[减減]|较去年同期|"
                       r"較去年同期|较上年|較上年|较去年|較去年|與去年同期|与去年同期|比去年|"
                       r"year[- ]on[- ]year|year[- ]over[- ]year|\byoy\b|\by-o-y\b|from a year earlier|"
                       r"than a year earlier|from a year ago|a year earlier|a year ago|a year before|the previous year|"
                       r"same period (?:of )?last year|去年同期|上年同期|"
                       r"compared with 20\d\d|compared to 20\d\d|from 20\d\d|over 20\d\d|than in 20\d\d|"
                       r"较20\d\d年|較20\d\d年", re.I)),
    ("qoq", re.compile(r"按季|" + _NOT_AFTER_NUMERAL + r"季增|" + _NOT_AFTER_NUMERAL + r"季[减減]|较上季|較上季|上一季|"
                       r"quarter[- ]on[- ]quarter|\bqoq\b|from the previous quarter|sequential", re.I)),
    ("mom", re.compile(r"按月|" + _NOT_AFTER_NUMERAL + r"月增|" + _NOT_AFTER_NUMERAL + r"月[减減]|较上月|較上月|单月|"
                       r"單月|当月新增|當月新增|month[- ]on[- ]month|\bmom\b|from the previous month", re.I)),
    ("ytd", re.compile(r"较年初|較年初|较去年底|較去年底|较上年末|較上年末|年初至今|year[- ]to[- ]date|\bytd\b|"
                       r"since the end of|from end-20\d\d", re.I)),
    ("hoh", re.compile(r"半年对比|較上半年|较上半年|half[- ]on[- ]half", re.I)),
    ("wow", re.compile(r"按周|按週|周增|週增|week[- ]on[- ]week", re.I)),
    ("dod", re.compile(r"按日|day[- ]on[- ]day", re.I)),
)
# a change during a year, a half or a quarter: of a stock, since the end of the previous one (ytd); of a flow, against
# the same period a year before (yoy)
_DURING = re.compile(r"during the year|in the year|全年|年內|年内|in (?:19|20)\d\d\b|"
                     r"(?:19|20)\d\d年(?!\d|底|末|[一二三四五六七八九十\d]+月)", re.I)
# the words that open a comparison's base, for the base's month and fiscal year below
_COMPARED = r"(?:compared\s+with|compared\s+to|from|than|over|against|versus)"
# the base's month: "over February", "from 278 million in July", 相當於2019年12月的3倍
_BASE_MONTH = re.compile(_COMPARED + r"\s+(?:the\s+)?"
                         r"(?:level\s+(?:of|in)\s+|[^,;]{0,40}?\bin\s+)?"
                         r"(January|February|March|April|May|June|July|August|September|October|November|December)"
                         r"(?:\s+(\d{4}))?|(?:较|較|比|相當於|相当于|对比|對比)(\d{4})年(\d{1,2})月", re.I)
_BASE_FISCAL = re.compile(_COMPARED + r"\s+[^,;]{0,40}?"
                          r"\bin\s+(?:the\s+)?FY\s?(\d{4}|\d{2})\b")
_DAILY = re.compile(r"日均|每日平均|平均每日|每日|daily|a day|per day", re.I)
_WEEKLY = re.compile(r"周均|週均|每周平均|每週平均|weekly average|a week|per week", re.I)
_SWAP = {"more_than": "less_than", "less_than": "more_than", "at_least": "at_most", "at_most": "at_least"}


# ------------------------------------------------------------------------------------------------ article context


@dataclass
class _Article:
    text: str
    segs: Segments
    mentions: list[attribution.Mention]
    mention_starts: list[int]
    figure_starts: list[int]
    figures: list[Figure]
    published: str | None
    dateline: str | None
    heading_dates: list[tuple[int, str | None]]  # (line start, the date of a dated heading or lead sentence)
    report: str | None  # the quarter or half the article reports, named in its title or first sentence
    word_hits: dict[int, tuple[list[tuple[int, int, str]], list[tuple[int, int]]]]  # per sentence start
    windows: dict[tuple[int, int], tuple[int, int, int]]  # per figure span: _window's answer
    promotions: dict[int, bool] = field(default_factory=dict)  # per sentence start: it states an offer's terms
    wordless: dict[int, bool] = field(default_factory=dict)  # per sentence start: it holds no catalogue word
    not_rows: dict[tuple[int, int], tuple[bool, bool, bool, bool, bool]] = field(default_factory=dict)  # per figure
    around: dict[int, tuple[str, bool]] = field(default_factory=dict)  # per figure start: _around's answer
    results_items: dict[int, bool] = field(default_factory=dict)  # per figure start: _results_item's answer
    sector: bool | None = None  # organisations.about_the_sector, asked once
    respective: dict[int, bool] = field(default_factory=dict)  # per sentence start: it says "respectively" (分別)
    annual: bool = False  # the sidecar says the text is an annual report: `report` is its year

    def about_the_sector(self) -> bool:
        if self.sector is None:
            self.sector = organisations.about_the_sector(self.text)
        return self.sector

    def sentence(self, offset: int) -> tuple[int, int]:
        return self.segs.sentence(self.segs.index_of(offset))

    def says_respectively(self, offset: int) -> bool:
        """_RESPECTIVELY in the sentence at offset: asked for the figures of every sentence with a catalogue word."""
        ss, se = self.sentence(offset)
        found = self.respective.get(ss)
        if found is None:
            found = self.respective[ss] = _RESPECTIVELY.search(self.text, ss, se) is not None
        return found

    def is_promotion(self, ss: int, se: int) -> bool:
        """_PROMOTION in the sentence: asked for every rule tried on every figure of it."""
        found = self.promotions.get(ss)
        if found is None:
            found = self.promotions[ss] = _PROMOTION_GATE.search(self.text, ss, se) is not None
        return found


_LINE = re.compile(r"[^\n]+")
_LEAD_DATE_REACH = 60
# "… reached HK$3,618.7 billion at the end of 2016.": a lead that states a level at a day dates its paragraph
_AT_A_DAY_BEFORE = re.compile(r"\b(?:at|as\s+at|as\s+of|by)\s+(?:the\s+)?(?:end\s+of\s+|end-)?\s*$", re.I)


def _context(figures: list[Figure], text: str, published: str | None, structure: bool = True,
             report: str | None = None) -> _Article:
    """What the metric rules read of an article. structure: the text is the article (not its sentences strung
    together), so its dateline and dated leads mean something."""
    segs = split(text)
    mentions = attribution.find_mentions(text)
    figures = sorted(figures, key=lambda f: f.start)
    dates = [f for f in figures if f.kind == "date" and f.qualifier == "exact" and not str(f.value).startswith("-")]
    # the dateline: a day (a timestamp, 本报北京3月12日电, 今(12)日) in the first two lines or 120 characters
    second_line = text.find("\n", text.find("\n") + 1)
    reach = max(120, second_line if second_line > 0 else 0)
    pub_end = period_end(published) if published else None
    first = next((f for f in dates if f.start < reach and len(str(f.value)) == 10
                  and (pub_end is None or str(f.value) <= pub_end)), None)
    dateline = str(first.value) if structure and first is not None else None
    annual = bool(report) and len(report or "") == 4
    if not report:  # (the sidecar's report period, else the one the text states)
        report = _report_period(text, segs, dates, dateline or published) if structure else None
    # an annual report's paragraph is dated by a date that opens its lead ("At the end of 2016, …"); one deep in the
    # lead is an event's ("designated four systems … in August"), not the paragraph's
    reach_in_lead = _LEAD_DATE_REACH if annual else len(text)
    heading_dates: list[tuple[int, str | None]] = []
    date_starts = [f.start for f in dates]
    for m in _LINE.finditer(text if structure else ""):
        s, e = m.span()
        i = bisect_left(date_starts, s)  # the line's first date, if in its lead (most lines have none)
        if i < len(dates) and dates[i].start < e and dates[i].start < segs.sentence(segs.index_of(s))[1]:
            # (a wire dateline dates the story, not the paragraph it opens: a lead that dates nothing)
            dates_nothing = opens_with_a_dateline(text, s) or (
                dates[i].start - s > reach_in_lead and not _AT_A_DAY_BEFORE.search(text, s, dates[i].start))
            heading_dates.append((s, None if dates_nothing else str(dates[i].value)))
    return _Article(text, segs, mentions, [m.start for m in mentions], [f.start for f in figures], figures,
                    published, dateline, heading_dates, report, {}, {}, annual=annual)


# The date of a comparison's base (to 2.1 billion from 2.2 billion in January; 较去年同期): not the period reported.
_BASE_DATE = re.compile(r"(?:\bfrom\b[^,;]{0,30}\bin|\bthan\s+(?:in\s+)?|"
                        r"\bcompared\s+(?:with|to)\s+(?:that\s+of\s+)?|较|較|比|相比|相較|相较)\s*$", re.I)
_BASE_FIGURE_IN = re.compile(r"\b(?:from|than|compared\s+(?:with|to)|versus|against)\s+[^,;]{1,40}?\d[^,;]{0,20}?"
                             r"\bin\s+(?:the\s+)?$", re.I)
_EVENT_DATE = re.compile(r"(?:\b(?:launch|launched|founded|established|introduced|opened|operational|since|started|"
                         r"began)|推出|成立|開業|开业|啟用|启用|自|起)\s*(?:in\s+|on\s+|於|于)?\s*$", re.I)


_MONTH_QUARTER_HALF = re.compile(r"\d{4}-(?:[QH]\d|\d{2})")


def _report_period(text: str, segs: Segments, dates: list[Figure], ref: str | None = None) -> str | None:
    """The quarter, half or month the article reports (METRICS.md 2.4, rule 3): named in its title or in the first
    sentence of its body (UPI transactions reached record highs in March 2025, …; …growth in the first quarter)."""
    spans = []
    for m in _LINE.finditer(text[:1500]):
        s, e = m.span()
        line = m.group().strip()
        if not line:
            continue
        if len(line) < 120 and not line.endswith(("。", ".", "！", "!")):
            spans.append((s, e))  # a title or heading line
            continue
        spans.append((s, segs.sentence(segs.index_of(s))[1]))  # the first sentence of the body
        break
    for lo, hi in spans:
        for f in dates:
            if lo <= f.start < hi and _MONTH_QUARTER_HALF.fullmatch(str(f.value)) and not _EVENT_DATE.search(
                    text[max(0, f.start - 30):f.start]) and not _BASE_DATE.search(text[max(lo, f.start - 40):f.start]):
                return str(f.value)
    ref_end = period_end(ref) if ref else None
    for lo, hi in spans:
        # a quarter or half named without its year (growth in Q1, in the first quarter of the year): the latest one
        # up to the dateline or published date
        for m in _EN_QUARTER.finditer(text, lo, hi):
            n, what = (_ORDINAL[m.group(1).lower()], m.group(2).lower()) if m.group(1) else (int(m.group(3)), "q")
            if what == "half" and n > 2:
                continue
            if ref_end is None:
                return None
            last = 6 * n if what == "half" else 3 * n
            year = int(ref_end[:4]) - (1 if last > int(ref_end[5:7]) else 0)
            return f"{year:04d}-{'H' if what == 'half' else 'Q'}{n}"
    if spans:
        # (the body's opening 400 characters, over a hard-wrapped line or two sentences: "Bank profits … are under
        # pressure. Results for 1986 show …")
        spans.append((spans[-1][0], spans[-1][0] + 400))
    for lo, hi in spans:
        # the year whose results the title or lead reports (BOWATER 1986 PROFIT …; Acme's 1986 pretax profits of …),
        # a year over by the time of writing (not "SEES PROFIT IN 1987" in February 1987)
        for f in dates:
            stated = str(f.value)
            if lo <= f.start < hi and re.fullmatch(r"\d{4}", stated) and (ref_end is None or stated < ref_end[:4]) and (
                    en_dates.results_after(text, f.end) or _RESULTS_FOR.search(text, max(lo, f.start - 20), f.start)):
                return stated
    return None


_RESULTS_FOR = re.compile(r"\b(?:results|profits?|earnings)\s+(?:for|in)\s+$", re.I)


_EN_QUARTER = re.compile(r"\b(?:in|for|during)\s+the\s+(first|second|third|fourth)\s+(half|quarter)\b(?!\s+of\s+\d)"
                         r"(?!\s*,?\s*\d{4})|\bin\s+Q([1-4])\b(?!\s*,?\s*'?\d)", re.I)


# ------------------------------------------------------------------------------------------------ classification


def _window(art: _Article, figure: Figure) -> tuple[int, int, int]:
    key = (figure.start, figure.end)
    found = art.windows.get(key)
    if found is None:
        found = art.windows[key] = _compute_window(art, figure)
    return found


_CLAUSE_END = re.compile(r"[，,；;。]")


def _before(figures: list[Figure], i: int) -> Iterator[Figure]:
    """figures[i - 1], figures[i - 2], … without copying the list (the walks stop after a few)."""
    return (figures[k] for k in range(i - 1, -1, -1))


def _after(figures: list[Figure], i: int) -> Iterator[Figure]:
    """figures[i + 1], figures[i + 2], … without copying the list."""
    return (figures[k] for k in range(i + 1, len(figures)))


def _compute_window(art: _Article, figure: Figure) -> tuple[int, int, int]:
    """(start of the words that describe the figure, sentence start, end of the words after it): from the previous
    non-date figure of the sentence (or the sentence start) to the next one (or the clause end)."""
    ss, se = art.sentence(figure.start)
    i = bisect_left(art.figure_starts, figure.start)
    prev_end = ss
    for f in _before(art.figures, i):
        if f.start < ss:
            break
        if f.kind != "date" and f.end <= figure.start:
            prev_end = f.end
            break
    nxt = se
    for f in _after(art.figures, i):
        if f.start >= se:
            break
        if f.kind != "date" and f.start >= figure.end:
            nxt = f.start
            break
    m = _CLAUSE_END.search(art.text, figure.end, se)
    after = min(nxt, m.start() if m else se, figure.end + 40)
    return prev_end, ss, after


@cache
def _flat_words() -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """(first word, rule, the other words it needs) for every subject alternative of the catalogue."""
    return tuple((alt[0], i, alt[1:]) for i, r in enumerate(catalogue()) for alt in r.subjects if alt[0])


@cache
def _words_by_first_char() -> dict[str, tuple[tuple[str, int, tuple[str, ...]], ...]]:
    out: dict[str, list[tuple[str, int, tuple[str, ...]]]] = {}
    for entry in _flat_words():
        out.setdefault(entry[0][0], []).append(entry)
    return {ch: tuple(entries) for ch, entries in out.items()}


def _hits_before(art: _Article, ss: int, start: int) -> list[tuple[int, str]]:
    """The catalogue words of the sentence before `start` as (end relative to the sentence, word), leaving out the
    words of a bracketed aside that closes before it."""
    sentence = art.word_hits.get(ss)
    if sentence is None:
        se = art.sentence(ss)[1]
        lowered = art.text[ss:se].lower().replace("\n", " ")  # a hard-wrapped "pretax\nprofits"
        # text extracted from PDF may space out the characters of a word (貸 存 比 率): match without those spaces
        if not lowered.isascii() and _SPACE_IN_CJK.search(lowered):
            keep, compact = _compact(lowered)
            words = [(keep[m.start()], keep[m.end() - 1] + 1, m.group()) for m in _word_index()[0].finditer(compact)]
        else:
            words = [(m.start(), m.end(), m.group()) for m in scanning.word_matches(_word_scan(), lowered)
                     if not _negated(lowered, m.start())]
        sentence = (words, [m.span() for m in _ASIDE.finditer(lowered)])
        art.word_hits[ss] = sentence
    words, asides = sentence
    rel = start - ss
    closed = [(a, b) for a, b in asides if b <= rel]
    if not closed:  # most sentences have no bracketed aside: no test per word
        return [(e, w) for b, e, w in words if e <= rel]
    return [(e, w) for b, e, w in words if e <= rel and not any(a <= b < z for a, z in closed)]


# Opens with the space, not a look-behind: `re` then skips ahead to the next space.
_SPACE_IN_CJK = re.compile(r" (?<=[\u4e00-\u9fff] )(?=[\u4e00-\u9fff])")


def _compact(lowered: str) -> tuple[list[int], str]:
    """The text without the spaces between two CJK characters, and where each of its characters stands."""
    keep = [i for i, ch in enumerate(lowered) if not (ch == " " and 0 < i < len(lowered) - 1
                                                       and _is_cjk(lowered[i - 1]) and _is_cjk(lowered[i + 1]))]
    return keep, "".join(lowered[i] for i in keep)


@cache
def _word_scan() -> scanning.WordScan:
    """_word_index's pattern, split for a faster scan of English text (scanning.word_matches)."""
    return lexicon.trie_scan(list(_word_index()[1]))


@cache
def _any_word() -> re.Pattern[str]:
    """Any subject or phrase word of the catalogue as a bare substring (no word boundaries): a sentence it does not
    match gives no figure of it a rule but through the figure's subject."""
    return _substring_trie({*_word_index()[1], *_phrase_words()})


@cache
def _any_ascii_word() -> re.Pattern[str]:
    """_any_word for ASCII text, where only the ASCII words can occur: after a failed branch `re` still compares the
    first character of every later one, and most of them open with a CJK character."""
    return _substring_trie({w for w in (*_word_index()[1], *_phrase_words()) if w.isascii()})


def _names_any_word(lowered: str) -> bool:
    """_any_word() occurs in the lower-cased text."""
    return (_any_ascii_word() if lowered.isascii() else _any_word()).search(lowered) is not None


def _substring_trie(words: set[str]) -> re.Pattern[str]:
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def branch(node: dict) -> str:
        if "" in node:
            return ""  # a word ends here: its prefix of any longer word is enough
        alts = [re.escape(ch) + branch(child) for ch, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return re.compile(branch(trie))


def _wordless(art: _Article, figure: Figure) -> bool:
    """The figure's sentence (which holds its span) names no catalogue word, even with the spaces of spaced-out
    CJK text taken out: no word before, in or after the figure can give it a rule."""
    ss, se = art.sentence(figure.start)
    if figure.end > se:
        return False
    found = art.wordless.get(ss)
    if found is None:
        lowered = art.text[ss:se].lower().replace("\n", " ")
        found = not _names_any_word(lowered) and (
            lowered.isascii() or not _SPACE_IN_CJK.search(lowered) or not _names_any_word(_compact(lowered)[1]))
        art.wordless[ss] = found
    return found


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@cache
def _phrase_rules() -> tuple[tuple[int, tuple[tuple[str, ...], ...]], ...]:
    return tuple((i, r.phrases) for i, r in enumerate(catalogue()) if r.phrases)


@cache
def _phrase_words() -> frozenset[str]:
    """Every word of the phrase rules: a stretch holding none matches none of them."""
    return frozenset(w for _, alts in _phrase_rules() for alt in alts for w in alt)


def _candidates(art: _Article, figure: Figure) -> list[int]:
    if _wordless(art, figure) and not (figure.subject and _rules_named_in(figure.subject.lower())):
        return []  # most figures: what _candidates_by_words would find, without its per-figure scans
    order = _candidates_by_words(art, figure)
    nxt = _next_level(art, figure, _window(art, figure)[2]) if figure.kind in CHANGE_KINDS else None
    if nxt is not None:
        # "climbed 9.9 per cent to 144.6 trillion yuan": the change is of the level it reached, money or count
        rules = catalogue()
        order.sort(key=lambda i: nxt.kind not in rules[i].kinds)
    return order


@lru_cache(maxsize=4096)
def _rules_named_in(subject: str) -> tuple[int, ...]:
    """The catalogue rules all of whose words (of one alternative) the lower-cased subject holds, longest words
    first. Cached: the figures of a sentence share their subject."""
    if not _names_any_word(subject):
        return ()  # no first word of an alternative is in it (most subjects)
    by_first = _words_by_first_char()
    matched: dict[int, int] = {}
    for ch in set(subject):
        for first, i, rest in by_first.get(ch, ()):
            if _holds(subject, first) and all(_holds(subject, w) for w in rest):
                matched[i] = max(matched.get(i, 0), len(first) + sum(len(w) for w in rest))
    # the longest word first: 淨利息收入 is net interest income before 淨利 (net profit) inside it
    return tuple(sorted(matched, key=lambda i: (-matched[i], i)))


def _negated(lowered: str, i: int) -> bool:
    """The catalogue word at lowered[i:] is negated by a prefix: a "non-profit" body names no profit."""
    return lowered.endswith(("non-", "not-for-"), 0, i)


def _holds(lowered: str, word: str) -> bool:
    """`word` in the lower-cased text; a Latin word only as a whole word (nim is not in "Enim", rate not in
    "corporate")."""
    i = lowered.find(word)
    if i < 0 or not word[0].isascii():
        return i >= 0
    n = len(word)
    while i >= 0:
        if not _is_word_char(lowered, i - 1) and not _is_word_char(lowered, i + n) and not _negated(lowered, i):
            return True
        i = lowered.find(word, i + 1)
    return False


def _is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()


def _candidates_by_words(art: _Article, figure: Figure) -> list[int]:
    """Catalogue rules, most likely first: the words in the figure's subject, then words nearest the figure before
    it (in its own stretch, then earlier in the sentence), then right after it."""
    pattern, by_word = _word_index()
    order: list[int] = []

    def add(ids: tuple[int, ...] | list[int]) -> None:
        order.extend(i for i in ids if i not in order)

    own, ss, after = _window(art, figure)
    if _ON_SALES.search(art.text, own, figure.start):
        return order  # "net income of 17.2 mln dlrs on sales 146.0 mln": the sentence's subject is the profit's
    english = figure.rule.startswith("en.")
    # "pretax profit rose 48 pct to 120 mln stg on turnover 12 pct higher": only the words after "on" name it
    on = _ON_NOUN.search(art.text, max(own, figure.start - 40), figure.start) if english else None
    # "record earnings and for sales to exceed 10 mln dlrs": only the words from that noun on name the figure (not
    # the sentence's subject either: "reported a net loss after sales fell to 2.27 billion dlrs")
    reach = _reaching_noun(art, figure) if english else None
    if (result := _result_a_base_skips_to(art, figure)) is not None:
        # "earnings dropped to 139 mln dlrs on revenues of 34.1 billion dlrs, from 1.56 billion dlrs": the base is
        # the result's, not the revenues' the words between name
        add(_candidates_by_words(art, result))
    if (first := _listed_after(art, figure)) is not None:
        # "losses of about 57 mln dlrs for the fourth quarter and 68 mln dlrs for the full year": the same measure,
        # whatever the words after it ("… on revenues of …") name
        return _candidates_by_words(art, first)
    if (word := _respective_word(art, figure, ss)) is not None:
        # "revenues and earnings rose 15 pct and 13 pct, respectively": the second figure is the second noun's
        add(by_word[word])
    subject = (figure.subject or "").lower()
    prev = _previous_figure(art, figure, skip_dates=True) if subject else None
    if prev is not None and prev.surface.lower() in subject:
        subject = ""  # "with 15.8 million registrations … and daily transactions rising to 1.65 million": another's
    # "the loss was mainly due to write downs totalling 2.084 billion dlrs": the figure is the cause's, not the
    # result's named before it
    cause = _last_cause(art, ss, figure) if english else None
    # a figure in brackets is the noun's just before them, whatever its sentence's subject
    bracketed = _IN_BRACKETS_AFTER_NOUN.search(art.text, max(ss, figure.start - 3), figure.start) is not None
    if subject and on is None and reach is None and cause is None and not bracketed:
        add(_rules_named_in(subject))
    hits = _hits_before(art, ss, figure.start)
    near = sorted((h for h in hits if h[0] + ss >= own), key=lambda h: (-h[0], -len(h[1])))
    far = sorted((h for h in hits if h[0] + ss < own), key=lambda h: (-h[0], -len(h[1])))
    for m in pattern.finditer(figure.surface.lower()):
        add(by_word[m.group()])
    if figure.kind == "count" and not english and (noun := pattern.match(art.text[figure.end:after].lower())):
        add(by_word[noun.group()])  # 逾120萬觀眾: the noun right after a bare count is what it counts
    if figure.kind in CHANGE_KINDS and not bracketed:
        # "25 per cent in value", "14 per cent in volume": the words right after say what changed
        for m in pattern.finditer(art.text[figure.end:min(after, figure.end + 12)].lower()):
            add(by_word[m.group()])
    if bracketed:
        # "income from fees and commissions (+15.4%)": only the words just before the brackets name the figure
        # (a Chinese word is a few characters: 淨利息收入（+2.8%）)
        reach_back = 30 if english else 12
        near, far = [h for h in near if h[0] + ss >= figure.start - reach_back], []
    if on is not None:
        near, far = [h for h in near if h[0] + ss >= on.start()], []
    if reach is not None:
        near, far = [h for h in near if h[0] + ss >= reach.start()], []
    if cause is not None:
        near, far = [h for h in near if h[0] + ss >= cause], []
    if _own_noun(figure):
        # 1,100 bank branches, 12 SVFs: the figure names what it counts; only that name can make it a metric
        return order
    for _, word in near:
        add(by_word[word])
    stretch = art.text[own:after].lower()
    if any(w in stretch for w in _phrase_words()):
        add([i for i, alts in _phrase_rules() if any(all(w in stretch for w in alt) for alt in alts)])
    if not near and _LEVEL_JOIN.fullmatch(art.text[own:figure.start]):
        # 扩大1.07倍至3.61亿港元: the level reached has the subject of the change before it
        for _, word in far:
            add(by_word[word])
    # "sales of 2.7 billion dlrs and net income of 47.6 mln": a figure its noun governs is not named by later words
    # (nor the words after a figure in brackets: "dividends received (+123.5%) and net interest income (+2.8%)")
    if not bracketed and not _ON_ANOTHER.match(art.text, figure.end) and not _governed_by_noun(
            art.text[own:figure.start]):
        for m in pattern.finditer(art.text[figure.end:after].lower().replace("\n", " ")):
            add(by_word[m.group()])
    if not far:
        return order  # whether its own words name it decides only about the words earlier in the sentence
    stretch_before = art.text[own:figure.start]
    if (_PAIR_JOINER.fullmatch(stretch_before) and art.says_respectively(figure.start)
            and (pair := _previous_figure(art, figure)) is not None):
        # 股息收入及外匯業務收入分別上升123.5%及39.7%: the second of a pair has the first one's words
        stretch_before = art.text[_window(art, pair)[0]:pair.start]
    if figure.kind != "multiple" and (_has_own_subject(stretch_before) or _governed_by_noun(stretch_before)):
        # (a multiple's own words name its base, 推出首月的10倍, tenfold of that in 2018: not what it measures)
        # 可轉讓債務工具（+8.6%）, "on sales of 40 mln": the words just before the figure name something the
        # catalogue does not
        return order
    for _, word in far:
        add(by_word[word])
    return order


_PAIR_JOINER = re.compile(r"\s*(?:及|和|与|與|、|and)\s*")
_RESPECTIVELY = re.compile(r"分別|分别|respectively", re.I)
# between the figures of a list, and between the nouns they are of (with a modifier: "revenues and net earnings")
_LIST_JOINER = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\b|及|和|与|與|、|以及)\s*(?:(?:about|some|nearly|around)\s+)?",
                          re.I)
_NOUN_JOINER = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\b|及|和|与|與|、|以及)\s*(?:[a-z-]+\s+)?", re.I)


# "57 mln dlrs for the fourth quarter and 68 mln dlrs", "… in 1986, and 12 mln dlrs": a time phrase, then "and"
_SAME_MEASURE_JOIN = re.compile(r"\s*,?\s*(?:(?:for|in|during)\s+(?:the\s+)?[\w -]{1,30}?\s*,?\s*)?(?:and|or)\s+"
                                r"(?:(?:about|some|nearly|around|almost)\s+)?", re.I)


def _listed_after(art: _Article, figure: Figure) -> Figure | None:
    """(English) The figure of the same kind a list joins this one to ("X for the quarter and Y for the year")."""
    if not figure.rule.startswith("en.") or figure.kind != "money":
        return None  # (a count names what it counts: "15 use cases from 10 banks and four technology partners")
    i = bisect_left(art.figure_starts, figure.start)
    prev = next((f for f in _before(art.figures, i) if f.kind != "date"), None)
    if (prev is None or prev.kind != figure.kind or prev.start < art.sentence(figure.start)[0]
            or not _SAME_MEASURE_JOIN.fullmatch(art.text, prev.end, figure.start)):
        return None
    return prev


def _respective_word(art: _Article, figure: Figure, ss: int) -> str | None:
    """The catalogue word a figure of a "respectively" list is of: the list's i-th figure is the i-th of as many
    coordinated nouns just before the list ("revenues and earnings at … 15 pct and about 13 pct, respectively")."""
    if not art.says_respectively(figure.start):
        return None
    i = bisect_left(art.figure_starts, figure.start)
    first = last = i
    while first > 0 and art.figures[first - 1].start >= ss and art.figures[first - 1].kind == figure.kind and (
            _LIST_JOINER.fullmatch(art.text, art.figures[first - 1].end, art.figures[first].start)):
        first -= 1
    while last + 1 < len(art.figures) and art.figures[last + 1].kind == figure.kind and (
            _LIST_JOINER.fullmatch(art.text, art.figures[last].end, art.figures[last + 1].start)):
        last += 1
    n = last - first + 1
    if n < 2:
        return None
    hits = _hits_before(art, ss, art.figures[first].start)
    for k in range(len(hits) - n, -1, -1):  # the last run of as many coordinated nouns as figures
        nouns = hits[k:k + n]
        if all(_NOUN_JOINER.fullmatch(art.text, ss + a, ss + b - len(w))
               for (a, _), (b, w) in zip(nouns, nouns[1:], strict=False)):
            return nouns[i - first][1]
    return None


def _previous_figure(art: _Article, figure: Figure, skip_dates: bool = False) -> Figure | None:
    i = bisect_left(art.figure_starts, figure.start)
    return next((f for f in _before(art.figures, i) if not (skip_dates and f.kind == "date")), None)


_ON_NOUN = re.compile(r"\bon\s+(?:[\w-]+\s+){1,3}(?:of\s+)?$", re.I)
# "income from fees and commissions (+15.4%)": the figure in brackets is the noun's before them
_IN_BRACKETS_AFTER_NOUN = re.compile(r"[A-Za-z]\s*\(\s*$|[\u4e00-\u9fff](?<![年月日])\s*[（(]\s*$")
# "earned 232.8 mln dlrs on net interest revenues of 1.08 billion": what follows "on" is another figure's
_ON_ANOTHER = re.compile(r"\s*on\s", re.I)
_SEVERAL = re.compile(r"(?:\d+|[两兩二三四五六七八九十]+)\s*(?:家|間|间|个|個)\s*[\u4e00-\u9fff]{0,4}"
                      r"(?:银行|銀行|公司|机构|機構)|"
                      r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s+){0,2}(?:banks|companies|firms|"
                      r"lenders|institutions|startups|start-ups|fintechs)\b", re.I)
_SEVERAL_AFTER = re.compile(r"\s*(?:raised|invested|secured)?\s*by\s+(?:\w+\s+){0,2}(?:startups|start-ups|companies|"
                            r"firms|fintechs|banks)\b", re.I)
_ASIDE = re.compile(r"[（(][^（()）]{0,80}[)）]")
# (a time may stand between the change and the level: "will rise 75.9 pct in the current year to 38 billion yen")
_LEVEL_JOIN = re.compile(r"\s*(?:(?:in|for|during)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:year|quarter|half|period|"
                         r"(?:19|20)\d\d)\s+)?(?:至|到|达|達|to|at)\s*", re.I)
_LEVEL_JOIN_END = re.compile(r"(?:至|到|达|達|\bto|\bat)\s*$", re.I)


def _next_level(art: _Article, figure: Figure, after: int) -> Figure | None:
    i = bisect_left(art.figure_starts, figure.end)
    while i < len(art.figures) and art.figures[i].kind == "date":
        i += 1  # "from the same period last year to 144.6 trillion yuan"
    if i < len(art.figures):
        f = art.figures[i]
        gap = art.text[figure.end:f.start]
        if f.kind in ("money", "count") and len(gap) < 45 and _LEVEL_JOIN_END.search(gap):
            return f
    return None


_EN_NOUN_AFTER = re.compile(r"(?:[\d%)]|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|"
                            r"hundred|thousand))\s*(?:(?:million|billion|trillion|thousand|mln|bln|crore|lakh|m|bn|k)\b\s*)?"
                            r"([A-Za-z][A-Za-z-]+(?:\s+[A-Za-z][A-Za-z-]+)*)\s*$")
_ZH_NOUN_AFTER = re.compile(r"[\d一二三四五六七八九十百千万萬亿億两兩]+(?:多)?[个個家名间間位项項宗笔筆只隻台户戶座]"
                            r"([\u4e00-\u9fff]{2,})$")
_NOT_NOUNS = frozenset({"per", "cent", "percent", "times", "fold", "points", "basis", "a", "the", "and", "or", "of",
                        "million", "billion", "trillion", "thousand", "mln", "bln", "crore", "lakh", "m", "bn", "k",
                        "in", "at", "on", "to", "from", "by", "for", "with", "as"})


def _own_noun(figure: Figure) -> bool:
    """The surface ends with the noun the figure counts (1,100 bank branches, 37000多名高管)."""
    if figure.kind != "count":
        return False
    m = _EN_NOUN_AFTER.search(figure.surface)
    if m and not set(m.group(1).lower().split()) <= _NOT_NOUNS:
        return True
    return _ZH_NOUN_AFTER.search(figure.surface) is not None


_FUNCTION_WORDS = re.compile(
    r"[\d.,，、；;：:（）()\[\]「」『』“”\"'%％+\-–—\s]|年|月|日|季|的|为|為|是|达|達|至|到|由|从|從|较|較|比|约|約|逾|近|超过|超過|"
    r"共|合共|合计|合計|累计|累計|录得|錄得|不但|而且|高於|高于|低於|低于|相比|相較|相较|對比|对比|同比|按年|按季|按月|环比|環比|增长|增長|增加|上升|下降|下跌|减少|減少|跌幅|升幅|增幅|"
    r"其中|分别|分別|以及|及|和|与|與|并|並|而|则|則|亦|也|仍|再|更|大幅|高达|高達|期内|期內|同期|年内|年內|全年|首|前|"
    r"\b(?:the|a|an|of|in|on|at|by|to|from|and|or|with|its|their|was|were|is|are|has|have|had|been|be|which|that|"
    r"while|as|for|up|down|rose|fell|grew|increased|decreased|declined|per|cent|percent|year|quarter|month|"
    r"compared|against|versus|vs|respectively|total|about|around|nearly|over|more|than|less|some|also|further|since|million|billion|"
    r"trillion|thousand|times|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|end|early|late|mid)\b", re.I)


def _has_own_subject(stretch: str) -> bool:
    """Words of substance between the previous figure and this one: they say what it measures."""
    if len(_CJK_CHAR.findall(stretch)) < 4 and len(_LATIN_LETTER.findall(stretch)) < 12:
        return False  # taking out the function words leaves fewer still
    rest = _FUNCTION_WORDS.sub("", stretch)
    return len(_CJK_CHAR.findall(rest)) >= 4 or len(_LATIN_LETTER.findall(rest)) >= 12


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
# "<noun> of" right before the figure names what it is: "earned 2 mln dlrs on sales of 40 mln dlrs"
_NOUN_OF = re.compile(r"\b([a-z][a-z-]+)\s+of\s+(?:about\s+|around\s+|approximately\s+|nearly\s+|some\s+|"
                      r"over\s+|almost\s+|roughly\s+|an\s+estimated\s+)?$", re.I)


_ON_SALES = re.compile(r"\bon\s+(?:net\s+)?sales\s+$", re.I)  # "net income of 17.2 mln dlrs on sales 146.0 mln"


# "<noun> to exceed" right before the figure names what it is: "record earnings and for sales to exceed 10 mln dlrs"
# (the verb may open the figure's own span, a qualifier: "exceed 10 mln dlrs")
# ("sales rose 17 pct to 2.88 billion dlrs": the noun of a verb of change is the subject of both figures)
_NOUN_TO_REACH = re.compile(r"\b([a-z][a-z-]+)(?:\s+(?:for|in|of)\s+the\s+[a-z]+|\s+(?:that|which))?\s+(?:"
                            r"(?:to|will|would|should|could|may|might)\s+(?:\w+\s+){0,2}?"
                            r"(?:exceed|reach|total|top|surpass|be|(?:rise|climb|fall|grow|increase|amount)\s+to)|"
                            r"(?:rose|fell|increased|decreased|declined|climbed|dropped|jumped|grew|totalled|totaled|"
                            r"reached|amounted\s+to|were|was|rising|falling|climbing|growing|increasing|jumping)"
                            r"(?:\s+(?:by\s+)?[\d.]+\s+(?:pct|percent|per\s+cent),?\s+to)?"
                            # "sales rising 36 pct to pass one billion stg"
                            r"(?:\s+(?:pass|exceed|reach|top|surpass))?"
                            r")\s+(?:about\s+|around\s+|some\s+|nearly\s+|more\s+than\s+|over\s+)?$", re.I)
_REACH_VERB = re.compile(r"(?:exceed|reach|total|top|surpass|rose|fell|increased|decreased|declined|climbed|dropped|"
                         r"jumped|grew)\s+", re.I)


_FROM_BASE_GAP = re.compile(r"\s+from\s+(?:about\s+|some\s+)?", re.I)


_COMMA_FROM = re.compile(r"\s*,?\s+from\s+(?:about\s+|some\s+)?", re.I)


def _result_a_base_skips_to(art: _Article, figure: Figure) -> Figure | None:
    """(English) The result a base "from X" is of when the revenues the result was earned on stand between them."""
    if not figure.rule.startswith("en.") or figure.kind != "money":
        return None
    i = bisect_left(art.figure_starts, figure.start)
    if i == 0 or not _COMMA_FROM.fullmatch(art.text, art.figures[i - 1].end, figure.start):
        return None
    result = _result_it_accompanies(art, art.figures[i - 1])
    return result if result is not None and result.change is not None else None


def _level_of_base(art: _Article, figure: Figure) -> Figure | None:
    """The level the figure is the base of, right before it: "rising to 257.4 mln dlrs from 152.9 mln"."""
    i = bisect_left(art.figure_starts, figure.start)
    if i == 0 or not _FROM_BASE_GAP.fullmatch(art.text, art.figures[i - 1].end, figure.start):
        return None
    level = art.figures[i - 1]
    # a level a move reached, of the same kind ("15 use cases from 10 banks" is no move)
    if level.kind != figure.kind or not (level.change is not None or _REACHED.search(
            art.text, max(0, level.start - 6), level.start)):
        return None
    return level


def _reaching_noun(art: _Article, figure: Figure) -> re.Match[str] | None:
    """The noun the figure is what reaches ("sales to exceed 10 mln dlrs"), one that names a figure the catalogue does
    not measure."""
    # "sales fell to 2.27 billion dlrs from 2.94 billion": the base is the noun's too
    figure = _level_of_base(art, figure) or figure
    verb = _REACH_VERB.match(figure.surface)
    # (from the sentence, not the figure's own stretch: "sales rose 17 pct to 2.88 billion dlrs" has a figure between)
    m = _NOUN_TO_REACH.search(art.text, max(art.sentence(figure.start)[0], figure.start - 60),
                              figure.start + (verb.end() if verb else 0))
    return m if m is not None and m.group(1).lower() in _other_figure_nouns() else None


@cache
def _other_figure_nouns() -> frozenset[str]:
    return frozenset(lexicon.load("lexicon.toml")["metrics"]["en"]["other_figure_nouns"])


def _governed_by_noun(stretch: str) -> bool:
    """An English noun the catalogue does not hold takes the figure with "of" (sales of, a price of): the figure
    is that noun's, not a metric's named earlier in the sentence."""
    m = _NOUN_OF.search(stretch)
    return m is not None and m.group(1).lower() not in _carrier_nouns()


@cache
def _carrier_nouns() -> frozenset[str]:
    return frozenset(lexicon.load("lexicon.toml")["metrics"]["en"]["carrier_nouns"])


def _all_words(rule: MetricRule, lowered: str) -> bool:
    return any(all(_holds(lowered, w) for w in alt) for alt in rule.subjects)


def _is_change_by(art: _Article, figure: Figure, own: int) -> bool:
    """The figure states a change by an amount (增加310,000, rose 12%, 新增2959人), not the level reached."""
    if figure.value_from is not None:
        return False
    m = _NUMBER_START.search(figure.surface)
    prefix = figure.surface[: m.start()] if m else ""
    before = (art.text[max(own, figure.start - 30):figure.start] + prefix).rstrip()
    if _LEVEL_AFTER_MOVE.search(before):
        return False
    if (_ZH_CHANGE_BY.search(before) or _EN_CHANGE_BY.search(before)
            or _EN_CHANGE_NOUN_AFTER.match(art.text, figure.end)
            or (_CHANGE_NOUN_END.search(figure.surface) and _IN_AFTER.match(art.text, figure.end))):
        return True
    subject = figure.subject or ""
    return subject.startswith(("新增", "单月新增", "單月新增", "当月新增", "當月新增")) or (
        "新增" in art.text[own:figure.start])


_VS_BEFORE = re.compile(r"\bvs\.?\s+$")


def _around(art: _Article, figure: Figure, ss: int, after: int) -> tuple[str, bool]:
    """What _accepts reads of a figure's text whatever the rule, once per figure: the words around it (with its
    subject's) and whether it is no statistic at all."""
    # what the figure is of may follow it in its clause (raising $50 million via an offering of notes)
    # (newswire wraps its lines: the clause may go on past the sentence the segmenter saw)
    reach = min(figure.end + 40, len(art.text))
    # (a cause after it is not what it is of: "net earnings fell 22.8 pct in part due to higher expenses")
    ends = [m.start() for m in (_CLAUSE_END.search(art.text, figure.end, reach),
                                _SENTENCE_END.search(art.text, figure.end, reach),
                                _CAUSE_AFTER.search(art.text, figure.end, reach)) if m]
    # (a base's words are its level's: "investment banking revenues rose to 257.4 mln dlrs from 152.9 mln")
    level = _level_of_base(art, figure) or figure
    lo = level.start - 60
    if _VS_BEFORE.search(art.text, max(ss, figure.start - 12), figure.start):
        # a results table's line, "Loss on discontinued business nil vs 40.6 mln stg": its item names the figure
        # (newswire wraps a line and indents the next item: the item starts at an indented line)
        line = art.text.rfind("\n", 0, figure.start)
        indented = art.text.rfind("\n ", max(0, figure.start - 200), figure.start)
        lo = min(lo, (indented if indented >= 0 and art.text[line + 1:line + 2] not in (" ", "\t") else line) + 1)
    local = art.text[max(ss, lo):max(min(after, figure.end + 20), min(ends, default=reach))]
    # (the figure's subject too; a NUL keeps words from running across the join)
    words = f"{local}\0{figure.subject or ''}\0{level.subject or ''}".lower().replace("\n", " ")
    # "if interest is not paid …, its profits for the year will be cut by 6.9 mln dlrs"
    no_statistic = (_no_statistic(art, figure, ss) if figure.rule.startswith("en.")
                    else _ZH_MARGIN.search(art.text, max(ss, figure.start - 60), figure.start) is not None)
    return words, no_statistic


_CAUSE_AFTER = re.compile(r"\b(?:due\s+to|because\s+of|owing\s+to|as\s+a\s+result\s+of|thanks\s+to)\b", re.I)


def _last_cause(art: _Article, ss: int, figure: Figure) -> int | None:
    """Where the last cause connective before the figure in its sentence ends (due to, because of), if any."""
    found = None
    for m in _CAUSE_AFTER.finditer(art.text, max(ss, figure.start - 80), figure.start):
        found = m.end()
    return found


def _results_item(art: _Article, figure: Figure, ss: int) -> bool:
    """An item of results, not the results ("placing 540 mln dlrs of Brazilian loans on non-accrual": an amount of
    loans); once per figure, asked only by the results rules."""
    found = art.results_items.get(figure.start)
    if found is None:
        found = art.results_items[figure.start] = bool(
            _AMOUNT_OF.match(art.text, figure.end) or _FROM_AN_ITEM.match(art.text, figure.end)
            or _SUPERSEDED_AFTER.match(art.text, figure.end)
            or _REVISED_FROM.search(art.text, max(ss, figure.start - 150), figure.start)
            or _ITEM_OF_RESULTS.search(art.text, max(ss, figure.start - 300), figure.start)
            or _ITEM_BEFORE.search(art.text, max(ss, figure.start - 120), figure.start))
    return found


def _accepts(rule: MetricRule, art: _Article, figure: Figure) -> tuple[bool, bool]:
    """(the rule takes the figure, as a change row)."""
    own, ss, after = _window(art, figure)
    se = art.sentence(figure.start)[1]
    sentence = art.text[ss:se]
    found = art.around.get(figure.start)
    if found is None:
        found = art.around[figure.start] = _around(art, figure, ss, after)
    words_around, no_statistic = found
    if rule.not_subjects and any(w in words_around for w in rule.not_subjects):
        return False, False
    if no_statistic or (rule.results and _results_item(art, figure, ss)):
        return False, False
    if _breakdown(art, figure, ss, rule):
        return False, False
    if rule.book and _LOANS_TO_A_BORROWER.search(art.text[max(ss, figure.start - 30):
                                                                                min(se, figure.end + 40)]):
        return False, False  # "1.98 billion dlrs in loans to Brazil": one borrower's share, not the loan book
    if rule.results and figure.kind == "money" and abs(float(figure.value)) < 1000:
        return False, False  # "estimates ranged from an even dollar to 1.20 dlrs": a per-share amount, no result
    if rule.not_context and any(w in sentence for w in rule.not_context):
        return False, False
    if _not_a_row(art, figure, own, after, rule):
        return False, False
    if rule.context and not any(w in sentence for w in rule.context):
        # the scheme or system may be named earlier in the passage or in the article's title and lead
        passage = art.text[max(0, ss - 400):ss] + art.text[:200] if rule.context_in_passage else ""
        if not any(w in passage for w in rule.context):
            return False, False
    if rule.entity_prefix and not (figure.entity_key or "").startswith(rule.entity_prefix):
        return False, False
    if rule.change is True:  # the key itself is a change
        return (figure.kind in rule.kinds and figure.change is not None), False
    if figure.kind == "count" and re.search(r"(?:首|前)\s*$", art.text[max(own, figure.start - 3):figure.start]):
        return False, False  # 首5,000名客户, 前5大: the first N, a rank or a threshold
    if figure.kind in rule.kinds and rule.cumulative and rule.companion and _PERIOD_AMOUNT.search(
            art.text[ss:figure.start]) and not _CUMULATIVE.search(art.text[max(own, ss):figure.start]):
        return True, True  # 单月完成跨境汇划29.15亿元: the month's remittances are the change of the running total
    if figure.kind in rule.kinds:
        change_by = figure.kind not in CHANGE_KINDS and _is_change_by(art, figure, own) and not (
            rule.signed and _LOST.search(art.text, max(own, figure.start - 12), figure.start))
        if figure.kind in CHANGE_KINDS and rule.companion:
            # a rate: a level unless it is stated as a move by an amount (上升0.3%, up 0.2%)
            change_by = _is_change_by(art, figure, own)
        if change_by:
            return rule.companion, True
        return rule.change is not False or figure.change is None, False
    if figure.kind == "percent" and (figure.value_from is not None or _REACHED.search(
            art.text[max(own, figure.start - 6):figure.start])):
        return False, False  # 由2.58%下降至2.38%, rose to 0.89%: the level of some ratio, not a change of this metric
    if figure.kind in CHANGE_KINDS and rule.companion:
        # a change must say it is one: a direction, a basis, a sign or 倍 (else 3.76% is a share of something)
        return _states_change(art, figure, own, after), True
    return False, False


_CHANGE_CUE = re.compile(
    r"增|升|涨|漲|跌|降|减|減|扩|擴|收窄|提高|提升|回落|下滑|攀|倍|按年|按季|按月|同比|环比|環比|较|較|"
    r"rose|rise|grew|grow|growth|increase|jump|climb|fell|fall|declin|drop|decreas|up\b|down\b|gain|lost|"
    r"widen|narrow|improv|expand|contract|higher|lower|surge|soar|slip|slid|year[- ]on[- ]year|from a year|"
    r"than a year|compared", re.I)


def _states_change(art: _Article, figure: Figure, own: int, after: int) -> bool:
    signed = figure.surface.lstrip()[:1] in "+-–−" or art.text[max(0, figure.start - 2):figure.start].strip()[-1:] in (
        "+", "-", "–", "−")
    if figure.change is not None or figure.kind == "multiple" or signed:
        return True
    if _CHANGE_CUE.search(art.text[max(own, figure.start - 25):min(after, figure.end + 25)]) is not None:
        return True
    # "rose 15 pct and 13 pct, respectively": the list's later figures are changes as its first is
    prev = _previous_figure(art, figure)
    if (prev is not None and prev.kind == figure.kind and _LIST_JOINER.fullmatch(art.text, prev.end, figure.start)
            and art.says_respectively(figure.start)):
        own_prev, _, after_prev = _window(art, prev)
        return _states_change(art, prev, own_prev, after_prev)
    return False


_SHARE = re.compile(r"(?:占|佔|比重|占比|佔比|份额|份額|share of|accounted for|accounting for|of the total|of total|"
                    r"of all|proportion)[^，,；;。]{0,12}$", re.I)
_THRESHOLD = re.compile(r"上限|限额|限額|门槛|門檻|最低|不得|不少于|不少於|须|須|规定|規定|要求|"
                        r"minimum|\bcap\b|capped|limit|threshold|"
                        r"requirement|at most|no more than|抽样|抽樣|受访|受訪|调查|調查|surveyed|survey|"
                        r"respondents|排名|排行|ranked|ranking|\bNo\.|第[一二三四五六七八九十\d]+[名位大]|top\s+\d|"
                        r"目标|目標|\btarget|"
                        r"罚款|罰款|罚没|罰沒|\bfined\b|\bpenalt(?:y|ies)\b", re.I)  # a fine or penalty is no statistic
_PROMOTION = re.compile(r"优惠|優惠|现金赏|現金賞|奖赏|獎賞|回赠|回贈|赠送|贈送|抽奖|抽獎|红包|紅包|签账满|簽賬滿|"
                        r"cashback|cash back|rebate|promotion|promotional|lucky draw|coupon|voucher|"
                        r"welcome offer", re.I)
_CONVERSION = re.compile(r"^\s*[（(]\s*(?:约|約|约合|約合|折合|合|相当于|相當於|about|around|approximately|approx\.|or|"
                         r"equivalent to|roughly|港币|港幣|港元|人民币|人民幣|下同|[^)）]{0,12}[，,])?\s*$", re.I)


_PART_AFTER = re.compile(r"\s*of\s+(?:which|them|these|those)\b", re.I)
_PER_SHARE = re.compile(r"每股|per share|\bEPS\b", re.I)
_CENTS = re.compile(r"\b(?:cts|cents?)\b|仙", re.I)  # a results line in cents is a per-share amount (14 cts)
_SHR_LINE = re.compile(r"\bshr\b", re.I)  # a newswire results table's per-share line: "Shr loss two cts vs profit…"
# Patterns that ignore case, or open with a word boundary, are tried at every character: these gates skip ahead.
_PER_SHARE_GATE, _SHR_LINE_GATE = scanning.gate_of(_PER_SHARE), scanning.gate_of(_SHR_LINE)
# a price per unit (a share, a tonne, per Acme share) is no total
_PER_SHARE_ASIDE = re.compile(_OR_PER_SHARE, re.I)
_PER_SHARE_AFTER = re.compile(r"\s*(?i:a|per)\s+(?:[A-Z][a-z]+\s+|(?:fully\s+)?diluted\s+|primary\s+)?"
                              r"(?i:share|tonne|ton|barrel|ounce|pound|bushel|unit)s?\b|\s*(?i:shr)\b|"
                              # "rose to 1.04 dlrs from 83 cts a share": the pair is per share
                              r"\s+(?i:from|versus|vs\.?)\s+[\d.]+\s+(?i:cts|cents)\s+(?i:a|per)\s+(?i:share|shr)\b")
_SEGMENT_SHARE = re.compile(r"^[^。；;]{0,30}?(?:占|佔)(?:总|總|全部|集团|集團|公司)?(?:营业|營業)?"
                            r"(?:收入|营收|營收)|"
                            r"^[^.;]{0,40}?\bof (?:its |the |the group's |total )?(?:total )?(?:revenue|income)\b",
                            re.I)
_SINCE_EVENT = re.compile(r"(?:不足|不到|少於|少于|未足|less than|within)\s*(?:a|one|\d+|[一二三四五六七八九十两兩])\s*"
                          r"(?:個|个)?\s*(?:months?|weeks?|days?|月|星期|周|週|日|天)", re.I)
# Whether these occur, asked of a sentence or a clause: gated on their first characters (see scanning.gate_of).
_OR_MORE = re.compile(r"\bor\s+(?:more|less|above|over|greater|larger)\s*$", re.I)
_WITH_BEFORE = re.compile(r"\b(?:with|having|of)\s+$", re.I)
_TAKES_EFFECT = re.compile(r"[^,;.]{0,50}?\b(?:(?:goes|go|went|come|comes|came)\s+into|takes?|took)\s+effect\b",
                           re.I)
_THRESHOLD_GATE, _PROMOTION_GATE, _SINCE_EVENT_GATE = map(scanning.gate_of, (_THRESHOLD, _PROMOTION, _SINCE_EVENT))
_PERIOD_AMOUNT = re.compile(r"单月|單月|当月|當月|本月|上月|同月|本季|当季|當季|in the month|during the month|"
                            r"this month|in the quarter|during the quarter", re.I)
_CUMULATIVE = re.compile(r"累计|累計|累积|累積|总额|總額|cumulative|since (?:its )?launch|in total", re.I)
_BANKING_SECTOR = re.compile(r"銀行業|银行业|銀行體系|银行体系|banking sector|banking system", re.I)
_BREAKDOWN = re.compile(r"其中|之中|當中|当中|包括|of which|of the total|including|among them|among these|among those|"
                        r"out of these|out of them|\bthis included\b|comprising|comprised|consisting of", re.I)
_BREAKDOWN_GATE = scanning.gate_of(_BREAKDOWN)


def _breakdown(art: _Article, figure: Figure, ss: int, rule: MetricRule) -> bool:
    """A part of a total (其中…, of which, of the total loans, …): a row only when it is the part of one entity the
    metric takes (其中内地投资者11.16万人)."""
    before = art.text[ss:figure.start]
    ends = [m.end() for m in scanning.finditer(_BREAKDOWN_GATE, _BREAKDOWN, before)]
    if not ends:
        return False
    lo = ss + ends[-1]
    comma = max(art.text.rfind("，", lo, figure.start), art.text.rfind(", with ", lo, figure.start))
    if comma >= 0 and any(all(w in art.text[comma:figure.start].lower() for w in alt) and sum(map(len, alt)) >= 8
                          for alt in rule.subjects):
        return False  # 當中包括私募股權…，已承擔但尚未提取作投資的總額為…: a clause of its own names the metric in full
    if "place" in rule.entity_types and _BANKING_SECTOR.search(art.text, lo, figure.start):
        return False  # 其中銀行業獲利…: the banking sector's part is the place's banking statistic
    h, i, j = (bisect_left(art.mention_starts, ss), bisect_left(art.mention_starts, lo),
               bisect_left(art.mention_starts, figure.start))
    whole = {m.key for m in art.mentions[h:i]}
    # the part of one entity (其中内地投资者11.16万人), not a part of the whole's own total
    # (外匯基金…包括…外匯基金投資控股附屬公司持有的其他投資收益: a breakdown by asset class)
    return not any(_usable(rule, m.key) and m.key not in whole for m in art.mentions[i:j])


def _not_a_row(art: _Article, figure: Figure, own: int, after: int, rule: MetricRule) -> bool:
    """What the catalogue never makes a row of: a share of a total it does not name, a threshold, limit, survey
    sample or rank, and an amount restated in another currency beside the stated one."""
    key = (figure.start, figure.end)
    found = art.not_rows.get(key)
    if found is None:
        found = art.not_rows[key] = _not_a_row_tests(art, figure, own, after)
    share, always, per_share, segment_share, since_event = found
    return (share and "share" not in rule.key) or always or (per_share and "per_share" not in rule.key) \
        or (segment_share and rule.results) or (since_event and rule.nature == "stock")


def _not_a_row_tests(art: _Article, figure: Figure, own: int, after: int) -> tuple[bool, bool, bool, bool, bool]:
    """The tests of _not_a_row that read only the figure and its text, once per figure (it is asked once per rule
    tried): (a share of a total, never a row, a per-share amount, a segment's share, an increment since an event)."""
    before = art.text[max(own, figure.start - 25):figure.start]
    ss, se = art.sentence(figure.start)
    share = figure.kind == "percent" and _SHARE.search(before) is not None
    # 每股基本亏损23.03港仙, earnings per share: a per-share amount, not the total
    per_share = bool(_PER_SHARE_GATE.search(art.text[own:figure.start]) or _PER_SHARE_AFTER.match(art.text, figure.end)
                     or (figure.kind == "money" and _CENTS.search(figure.surface)))
    # 收单业务实现营业收入…，占总收入的89.29%: a segment of the total, a breakdown
    segment_share = _SEGMENT_SHARE.search(art.text[figure.end:se]) is not None
    # 推出後不足1個月錄得…, in less than a month after: the increment over a span, not the level
    since_event = _SINCE_EVENT_GATE.search(art.text, ss, se) is not None
    return share, _never_a_row(art, figure, before), per_share, segment_share, since_event


def _never_a_row(art: _Article, figure: Figure, before: str) -> bool:
    if figure.kind == "points":
        # 占营业收入的3.76%，同比上升0.27个百分点: the change of a share the catalogue does not name
        i = bisect_left(art.figure_starts, figure.start)
        prev = next((f for f in _before(art.figures, i) if f.kind != "date"), None)
        ss = art.sentence(figure.start)[0]
        if prev is not None and prev.start >= ss and prev.kind == "percent" and _SHARE.search(
                art.text[max(ss, prev.start - 25):prev.start]):
            return True
    clause_end = _CLAUSE_END.search(art.text, figure.end, figure.end + 20)
    # the words after the figure in its own clause (", well above the minimum" / "，遠高於國際最低要求" compare it)
    if _THRESHOLD_GATE.search(before) or _THRESHOLD_GATE.search(
            art.text[figure.end:clause_end.start() if clause_end else figure.end + 20]):
        return True
    if _OR_MORE.search(figure.surface) and _WITH_BEFORE.search(before):
        return True  # "failed banks with 500 mln dlrs or more in assets": a class of institutions, by a threshold
    if _TAKES_EFFECT.match(art.text, figure.end):
        return True  # "a five pct capital adequacy ratio that goes into effect next year": a rule, not a statistic
    if figure.kind == "count" and _PART_AFTER.match(art.text, figure.end):
        return True  # "(four of which are SVFs issued by banks)": a part of the total just stated
    if figure.kind == "count" and re.search(r"\d\s*大$|[一二三四五六七八九十]\s*大$", figure.surface.strip()):
        return True  # 5大深水區, 十大銀行: a list of the N largest or N main things, not a count the catalogue names
    if _SHR_LINE_GATE.search(art.text, art.text.rfind("\n", 0, figure.start) + 1, figure.start):
        return True  # a newswire results table's per-share line (Shr loss two cts vs profit…)
    ss, se = art.sentence(figure.start)
    if art.is_promotion(ss, se):
        return True  # the terms of an offer (首5,000名客户, 累积达五次, spend HK$500 to get…) are not statistics
    if figure.kind == "money":
        i = bisect_left(art.figure_starts, figure.start)
        prev = next((f for f in _before(art.figures, i) if f.kind == "money"), None)
        if prev is not None and prev.end <= figure.start and _CONVERSION.match(art.text[prev.end:figure.start]):
            return True
    return False


def classify(figure: Figure, art: _Article | None = None) -> tuple[MetricRule, bool] | None:
    """The catalogue entry the figure measures and whether it is a change; dates and durations are never metrics
    (they give as_of and period)."""
    if figure.kind in ("date", "duration"):
        return None
    if art is None:
        text, (figure,) = _from_sentences([figure])
        art = _context([figure], text, None, structure=False)
    level = _level_of_base(art, figure) if figure.rule.startswith("en.") else None
    if level is not None and (of_level := classify(level, art)) is not None:
        # "a rise in pretax profits to 164.1 mln stg from 136.0 mln": the base measures what its level does
        ok, is_change = _accepts(of_level[0], art, figure)
        if ok and not is_change:
            return of_level[0], False
    rules = catalogue()
    for i in _candidates(art, figure):
        ok, is_change = _accepts(rules[i], art, figure)
        if ok:
            return _pre_tax_by_context(rules[i], art, figure), is_change
    return None


_PRE_TAX = re.compile(r"稅前|税前|pre-tax|before tax", re.I)
_AFTER_TAX = re.compile(r"淨利|净利|稅後|税后|after[- ]tax|post-tax|net profit|net income|net loss", re.I)


_PRE_TAX_AFTER = re.compile(r"\s*(?:pre-?tax|before\s+tax(?:es)?)\b", re.I)


def _pre_tax_by_context(rule: MetricRule, art: _Article, figure: Figure) -> MetricRule:
    """A bare 獲利/盈餘/profit whose passage names the statistic as pre-tax (金融業稅前盈餘合計…，其中銀行業獲利…)
    is pre-tax profit (METRICS.md, net_profit)."""
    if rule.key != "net_profit":
        return rule
    ss = art.sentence(figure.start)[0]
    own = _window(art, figure)[0]
    if _PRE_TAX_AFTER.match(art.text, figure.end):
        return _by_key()["pre_tax_profit"]  # "earned 116,000 dlrs pretax"
    if _AFTER_TAX.search(art.text[max(ss, own - 10):figure.end]):
        return rule
    previous = art.sentence(max(0, ss - 1))[0] if ss > 0 else ss
    if _PRE_TAX.search(art.text[previous:figure.start]) or (
            _PRE_TAX.search(art.text[:300]) and not _AFTER_TAX.search(art.text[:300])):
        return _by_key()["pre_tax_profit"]  # the statistic the article (its lead) reports is pre-tax
    return rule


# ------------------------------------------------------------------------------------------------ entity


@lru_cache(maxsize=4096)  # asked for every mention the entity rules weigh: the same few keys
def _entity_type(key: str) -> str | None:
    base = re.sub(r"_cohort_\d+$", "", key)
    return attribution.entity_types().get(base)


def _usable(rule: MetricRule, key: str | None) -> str | None:
    """The entity key a row of this metric takes for a mention: a regulator stands for its jurisdiction."""
    if key is None or (key == "world" and rule.default_entity != "world"):
        return None  # 全球金融危機, the world economy: the world is the entity only of a global market statistic
    etype = _entity_type(key)
    if etype == "regulator" and "regulator" not in rule.entity_types:
        return attribution.jurisdictions().get(key)
    if not rule.entity_types or etype in rule.entity_types:
        return key
    return None


_SYSTEM_TYPES = ("payment_system", "programme", "fund", "event")


_WHOLE_SECTOR = re.compile(r"整體銀行業|整体银行业|銀行業整體|银行业整体|整體銀行體系|整体银行体系|商业银行|商業銀行|"
                           r"整體銀行貸款|整体银行贷款|銀行貸款總額|银行贷款总额|total bank loans|total bank deposits|"
                           r"銀行體系的|银行体系的|"
                           r"所有認可機構|所有认可机构|"
                           r"banking (?:industry|sector|system) as a whole|whole banking (?:industry|sector|system)|"
                           r"\bof the banking (?:sector|system)\b|the banking (?:sector|system)['’]s|"
                           r"all authorized institutions|"
                           # a government's statistics are the place's (METRICS.md 4.3, rule 5)
                           r"\b(?:government|official)\s+(?:figures|data|statistics)\b", re.I)
_WHOLE_SECTOR_GATE = scanning.gate_of(_WHOLE_SECTOR)


def _entity(rule: MetricRule, art: _Article, figure: Figure) -> str | None:
    types = rule.entity_types
    if not types:
        return rule.default_entity
    rank = {t: i for i, t in enumerate(types)}
    own, ss, _ = _window(art, figure)
    se = art.sentence(figure.start)[1]

    def best(lo: int, hi: int, nearest: bool) -> str | None:
        i, j = bisect_left(art.mention_starts, lo), bisect_left(art.mention_starts, hi)
        found = [(m, _usable(rule, m.key)) for m in art.mentions[i:j]]
        found = [(m, k) for m, k in found if k is not None]
        if not found:
            return None
        if nearest:
            return max(found, key=lambda mk: (-rank.get(_entity_type(mk[1] or "") or "", 99), mk[0].start))[1]
        return min(found, key=lambda mk: (rank.get(_entity_type(mk[1] or "") or "", 99), mk[0].start))[1]

    def not_place(lo: int, hi: int) -> str | None:
        i, j = bisect_left(art.mention_starts, lo), bisect_left(art.mention_starts, hi)
        usable = [_usable(rule, m.key) for m in art.mentions[i:j]]
        # a group (retail banks) is the entity only where its sentence names it: a paragraph about retail banks may
        # go on to the whole sector's loans
        keys = [k for k in usable if k is not None and _entity_type(k) not in ("place", "group")]
        return min(keys, key=lambda k: rank.get(_entity_type(k) or "", 99)) if keys else None

    if figure.entity_key and "_cohort_" in figure.entity_key and _usable(rule, figure.entity_key):
        return figure.entity_key
    if rule.default_entity:
        # a market statistic (the stablecoin market, all WMC investors) takes the default unless its own words
        # name the entity (其中内地投资者)
        return best(own, figure.start, True) or rule.default_entity
    if types[0] in _SYSTEM_TYPES:
        # the system, programme, fund or event a statistic is about may be named anywhere in the passage
        para_start = art.text.rfind("\n", 0, ss) + 1
        primary = [k for k in (_usable(rule, m.key) for m in art.mentions[bisect_left(art.mention_starts, para_start):
                                                                             bisect_left(art.mention_starts, se)])
                   if k and _entity_type(k) == types[0]]
        opening = [k for k in (_usable(rule, m.key) for m in art.mentions[:bisect_left(art.mention_starts, 300)])
                   if k and _entity_type(k) == types[0]]
        in_sentence = best(own, figure.start, True) or best(ss, figure.start, True) or best(figure.end, se, False)
        if in_sentence and _entity_type(in_sentence) == types[0]:
            return in_sentence
        if primary or opening:
            return (primary or opening)[-1] if primary else opening[0]
    whole = list(scanning.finditer(_WHOLE_SECTOR_GATE, _WHOLE_SECTOR, art.text, ss, figure.start))
    groups = [m.start for m in art.mentions[bisect_left(art.mention_starts, ss):
                                            bisect_left(art.mention_starts, figure.start)]
              if _entity_type(m.key) in ("group", "bank", "virtual_bank")]
    if "place" in types and whole and (not groups or whole[-1].start() > groups[-1]):
        clause = whole[-1].start()
        # 同期，整體銀行業的特定分類貸款比率…, for the banking industry as a whole: the place's statistic, not the
        # group the sentence began with
        lo, hi = bisect_left(art.mention_starts, clause), bisect_left(art.mention_starts, figure.start)
        place = [k for k in (_usable(rule, m.key) for m in art.mentions[lo:hi]) if k and _entity_type(k) == "place"]
        reporters = [attribution.jurisdictions()[m.key] for m in art.mentions if m.key in attribution.jurisdictions()]
        if place or reporters:
            return place[-1] if place else max(dict.fromkeys(reporters), key=reporters.count)
        # (else the place the article is most about: "Government figures show that total loans rose …" in a story
        # about one of its banks is the place's statistic, not the bank's)
        if (most := _most_mentioned_place(rule, art)) is not None:
            return most
    clause_end = _CLAUSE_END.search(art.text, figure.end, se)
    unlisted = _unlisted_subject(rule, art, ss, figure)
    if unlisted is not None and not unlisted.reference:
        # Keppel reported…, 洛轲汽车完成…融资: an organisation the list does not know is whose the figure is, not the
        # nearest listed entity (4.4's naming rule; a Chinese name gives no key), and only where the metric is one
        # of its kind (a bank's total assets, a company's funding round)
        if unlisted.type not in types:
            return None
        if rule.sector and unlisted.type == "company" and not unlisted.financial and not art.about_the_sector():
            # a commitment or a valuation is the fintech sector's (METRICS.md 3.5): a drug maker's plant or a
            # contract "valued at" in general business news is not
            return None
        return unlisted.key
    # an entity after the figure names it only within its own clause (…growth of 4.4%, with the ratio of retail banks…)
    found = best(own, figure.start, True) or best(ss, figure.start, True) or best(
        figure.end, clause_end.start() if clause_end else se, False)
    if found:
        return found
    # the bank, system or programme the paragraph or the article (its title and lead) is about
    para_start = art.text.rfind("\n", 0, ss) + 1
    attributed = _usable(rule, figure.entity_key)
    if attributed and _entity_type(attributed) == "place":
        attributed = None  # a place from an earlier sentence is its topic, not this statistic's market
    found = not_place(para_start, ss) or attributed or not_place(0, min(len(art.text), 300))
    if unlisted is not None:
        # 该公司, 公司…: the company the article's title names, when the list knows it (the lead may name its sponsors,
        # lenders or investors first)
        title_end = art.text.find("\n")
        return not_place(0, title_end if 0 < title_end < 200 else min(len(art.text), 100))
    if found:
        return found
    if "place" in types and rule.nature != "event":
        # a market statistic: the jurisdiction of the regulator that reports it (金管局 -> hong_kong), else the place
        # the article is most about (an event, a commitment or a round, is a body's own: never a place by default)
        reporters = [attribution.jurisdictions()[m.key] for m in art.mentions if m.key in attribution.jurisdictions()]
        if reporters:
            return max(dict.fromkeys(reporters), key=reporters.count)
        return _most_mentioned_place(rule, art)
    return None


def _most_mentioned_place(rule: MetricRule, art: _Article) -> str | None:
    """The place the article names most often (the first of a tie), among those the rule takes."""
    places = [k for k in (_usable(rule, m.key) for m in art.mentions) if k and _entity_type(k) == "place"]
    return max(dict.fromkeys(places), key=places.count) if places else None


_SENTENCE_ENDS = (". ", ".\n", "\n\n", "。", "；", ";", "！", "？")
# Every alternative opens with a character (not a class): `re` then skips ahead to the next of them instead of
# trying the pattern at each position of the text.
_SENTENCE_END = re.compile(r"\.(?:\s|$)|\n\n|。|！|？|!|\?")
_ORGANISATION_TYPES = frozenset({"bank", "company", "organisation", "svf_operator", "virtual_bank"})


def _unlisted_subject(rule: MetricRule, art: _Article, ss: int, figure: Figure) -> organisations.Organisation | None:
    """An organisation the entity list does not know, named in the sentence before the figure after any listed
    entity the row could take."""
    if not _ORGANISATION_TYPES.intersection(rule.entity_types):
        return None
    # newswire wraps its lines: the sentence may have begun lines before the figure's
    lo = max(ss - 300, max(art.text.rfind(c, max(0, ss - 300), figure.start) for c in _SENTENCE_ENDS) + 1)
    i, j = bisect_left(art.mention_starts, lo), bisect_left(art.mention_starts, figure.start)
    mentions = art.mentions[i:j]
    org = organisations.named_before(art.text, lo, figure.start, [(m.start, m.end) for m in mentions])
    if org is None or any(m.start > org.start and _usable(rule, m.key) for m in mentions):
        return None
    return org


# ------------------------------------------------------------------------------------------------ dates


_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december")
_EN_HALF = re.compile(r"\b(?i:in|for|during)\s+the\s+(first|second|third|fourth)\s+(half|quarter)\b"
                      r"(?!\s+of\s+\d)(?!\s*,?\s*\d{4})", re.I)
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_MONTH_NAMES = "|".join(m.capitalize() for m in _EN_MONTHS)
_EN_MONTH = re.compile(r"\b(?i:in|for|during|of|since|by)\s+(?:(?i:early|mid|late|end)[- ]?\s*)?(" + _MONTH_NAMES +
                       r")\b(?!\s*,?\s*\d)|^\s*(" + "|".join(m.capitalize() for m in _EN_MONTHS) + r")\b(?!\s*,?\s*\d)")


def _reference_day(art: _Article) -> str | None:
    return period_end(art.published or art.dateline)


def _yearless_month(art: _Article, figure: Figure, month_after: bool = False) -> str | None:
    """'in March' (no year) around the figure, in the latest such month up to the dateline or published date, else in
    the year of the period the article reports. `month_after`: the month right after the figure is its own, before
    any in the words that lead to it."""
    # (an annual report's months are its year's: "registrations exceeded ten million in March" in the 2022 review)
    ref = (f"{art.report}-12-31" if art.annual else None) or _reference_day(art) or (
        f"{art.report[:4]}-12-31" if art.report else None)
    if ref is None:
        return None
    own, ss, after = _window(art, figure)
    # a date after a figure with a start value ("to 16.11 billion from 16.99 billion in January") is the start's
    spans = [(own, figure.start)] + ([] if figure.value_from is not None else [(figure.end, after)]) + [(ss, own)]
    if month_after:
        spans.insert(0, spans.pop(1))
    for lo, hi in spans:
        m = _EN_MONTH.search(art.text, lo, hi)
        if m and lo == figure.end and _BASE_GAP.search(art.text[figure.end:m.start()]):
            m = None  # "to Rs 21.48 trillion from Rs 23.48 trillion in January": the base's month
        if m:
            month = _EN_MONTHS.index((m.group(1) or m.group(2)).lower()) + 1
            year = int(ref[:4]) - (1 if month > int(ref[5:7]) else 0)
            return f"{year:04d}-{month:02d}"
        h = _EN_HALF.search(art.text, lo, hi)
        if h:
            n, what = _ORDINAL[h.group(1).lower()], h.group(2).lower()
            if what == "half" and n > 2:
                continue
            last_month = 6 * n if what == "half" else 3 * n
            year = int(ref[:4]) - (1 if last_month > int(ref[5:7]) else 0)
            return f"{year:04d}-{'H' if what == 'half' else 'Q'}{n}"
    return None


def _not_after_publication(art: _Article, as_of: str, figure: Figure | None = None) -> str:
    """A stated date the text gives without its year (31 December, 12月31日) was read in the published year; a
    statistic cannot hold after the text was written, so it is the year before (an annual report published in
    April is about the year before). A year the figure's sentence states (截至2021年12月末) is kept."""
    ref = _reference_day(art)
    if ref is None or len(as_of) < 7 or as_of[4] != "-" or not as_of[5:7].isdigit():
        return as_of
    if figure is not None and as_of[:4] in art.text[slice(*art.sentence(figure.start))]:
        return as_of
    start = as_of if len(as_of) == 10 else f"{as_of}-01"
    if start > ref:
        return f"{int(as_of[:4]) - 1:04d}{as_of[4:]}"
    return as_of


_BASE_BEFORE = re.compile(r"(?:较|較|比|相比|相較|相较|对比|對比|高於|高于|低於|低于|compared\s+with|compared\s+to|"
                          r"than|from|since|up\s+from|down\s+from|over)\s*(?:the\s+)?(?:same\s+(?:period|month|quarter)\s+(?:of\s+)?)?(?:end\s+of\s+)?(?:[同去上]?[年期])?\s*$",
                          re.I)
_AT_BEFORE = re.compile(r"(?:\bin|\bat|\bas\s+of|\bas\s+at|\bon|\bby|\bfor|\bduring|end(?:-|\s+of\s+))\s*"
                        r"(?:the\s+|its\s+|their\s+|all\s+(?:of\s+)?)?"
                        r"(?:calendar\s+)?(?:end\s+of\s+)?$|"
                        # "for the year ended December 31, 2030", "in the six months to June"
                        r"\b(?:year|quarter|half|period|months?|weeks?),?\s+(?:which\s+|that\s+)?(?:ended|ending|to)\s*$|"
                        # "in the first nine months of 2030"
                        r"\b(?:in|for|during|over)\s+the\s+first\s+(?:two|three|four|five|six|seven|eight|nine|ten|"
                        r"eleven|\d{1,2})\s+(?:months|quarters)\s+of\s+(?:fiscal\s+|calendar\s+)?$", re.I)
# ", or 39 cts a share" may stand between a result and its year: "96 mln dlrs, or 39 cts a share, a year earlier"
_A_YEAR_BEFORE = re.compile(rf"(?:{_OR_PER_SHARE})?"
                            # ("the 377,000 dlr loss reported in the year ago quarter")
                            r"(?:\s+(?:net\s+)?(?:loss|profit|deficit))?"
                            r"(?:\s+(?:it\s+|the\s+company\s+)?(?:reported|recorded|posted|earned))?\s*"
                            r"(?:previously(?!\s+(?:reported|announced))|(?:in\s+)?last\s+year(?!'|’)|"
                            r"a\s+year\s+(?:before|earlier|ago)|(?:(?:in|for)\s+)?the\s+(?:previous|prior)\s+year|"
                            r"(?:(?:in|for)\s+)?the\s+year\s+(?:before|earlier)|(?:(?:in|for)\s+)?the\s+same\s+"
                            r"(?:period|quarter|half|months?|weeks?)\s+(?:of\s+)?(?:last|the\s+previous|the\s+prior|a)\s+"
                            r"year(?:\s+(?:earlier|ago|before))?|(?:(?:in|for)\s+)?the\s+(?:same\s+|comparable\s+)?"
                            r"(?:year[-\s](?:ago|earlier)|prior[-\s]year|previous[-\s]year)\s+(?:period|quarter|half|"
                            r"months?))\b", re.I)
_BASE_OWN_VALUE = re.compile(r"\s*的\s*(?:增幅|升幅|跌幅|降幅|增長率|增长率|增速|水平|數字|数字)?\s*(?:為|为|是)?\s*")
_HELD_AS_OF = re.compile(r"\bas\s+(?:of|at)\s*$|截至\s*$|截止\s*$", re.I)


def _held_as_of(art: _Article, figure: Figure, as_of: str | None) -> bool:
    """A value the sentence says holds as of a date no later than the text (already serving 806,000 customers as of
    August 2024) is a level, not a forecast, whatever else the sentence expects."""
    ref = _reference_day(art)
    if not as_of or (ref and as_of[:7] > ref[:7]):
        return False
    se = art.sentence(figure.start)[1]
    for d in _dates_in(art, figure.end, min(se, figure.end + 40), exact=False):
        return bool(_HELD_AS_OF.search(art.text[figure.end:d.start]))
    return False


_AS_OF_THE = re.compile(r"\bas\s+(?:of|at)\s+the\b", re.I)  # "stood at 21.8% as of the end of 2024": no base
_BASE_GAP = re.compile(r"\b(?:of\s+that|of\s+the|than|from|since|compared|with|against|versus|vs|over\s+the|below|"
                       r"above|exceed|exceeds|surpass|match|top)\b", re.I)
# 由一年前的0.96%下降至0.86%: the base a year before the sentence's date
_ZH_A_YEAR_BEFORE = re.compile(r"(?:(?:由|從|从|较|較|比|相比|相較|相较|對比|对比)"
                               r"(?:一年前|去年同期|上年同期|上一年)的?|"
                               r"(?:相比|相較|相较|較|较|比)上一年(?:為|为|是)?)\s*$")
_FISCAL = re.compile(r"\bFY\s?(\d{2})\b|financial\s+year\s+(?:20)?\d{2}\s*[-–/]\s*(?:20)?(\d{2})\b|"
                     r"(?:20)?\d{2}\s*[/-]\s*(?:20)?(\d{2})\s*(?:財政年度|财政年度|財年|财年)|"
                     r"截至(\d{4})年(\d{1,2})月(?:\d{1,2}日)?止(?:年度|财年|財年|十二个月|十二個月)", re.I)
# Its first characters by hand (scanning.first_chars cannot read past the optional century of its third form).
_FISCAL_GATE = scanning.gate(r"fF\d截", _FISCAL)


def _dates_in(art: _Article, lo: int, hi: int, exact: bool = True, event: bool = True) -> list[Figure]:
    """The date figures in [lo, hi); without event, not the dates of an announcement (13日公布, announced on…)."""
    i, j = bisect_left(art.figure_starts, lo), bisect_left(art.figure_starts, hi)
    return [f for f in art.figures[i:j] if f.kind == "date" and (f.qualifier == "exact" or not exact)
            and not str(f.value).startswith("-") and (event or not _announcement(art, f))]


_ANNOUNCED_AFTER = re.compile(r"\s*(?:[(（][^)）]{0,8}[)）])?\s*(?:公布|公佈|宣布|宣佈|發布|发布|發表|发表|"
                              r"表示|指出|稱|称|"
                              r"披露|報道|报道|透露)")
_ANNOUNCED_BEFORE = re.compile(r"\b(?:announced|released|said|reported|published|disclosed)\s+(?:on\s+)?$", re.I)


def _announcement(art: _Article, d: Figure) -> bool:
    """The date an announcement was made is not the time of the figures it reports (METRICS.md 2.4, rule 1)."""
    return bool(_ANNOUNCED_AFTER.match(art.text, d.end)
                or _ANNOUNCED_BEFORE.search(art.text[max(0, d.start - 30):d.start]))


def _date_after(art: _Article, figure: Figure, se: int, event: bool = True) -> tuple[Figure, str] | None:
    """(English) the date just after the figure that its words join to it (1.31% in 2022, a loss for the year ended
    December 31, 2030), with the words between; none when another figure or a comparison's base stands between."""
    for d in _dates_in(art, figure.end, se, exact=False, event=event):
        gap = art.text[figure.end:d.start]
        asides = [m.span() for m in (*_ASIDE.finditer(gap), *_PER_SHARE_ASIDE.finditer(gap))]
        others = [f for f in art.figures[bisect_left(art.figure_starts, figure.end):
                                         bisect_left(art.figure_starts, d.start)]
                  if not any(a <= f.start - figure.end < b for a, b in asides) and f.kind != "duration"
                  and not _PER_SHARE_AFTER.match(art.text, f.end)]  # "…, or 15 cts a share, for the…"
        between = len(others)
        # (a length names the span: "for the nine months ended January 31")
        gap = _PER_SHARE_ASIDE.sub("", _ASIDE.sub("", gap))
        # "grew by 7% to HK$3,564 billion at the end of 2016": the change and the level it reached share the date
        reached = between == 1 and figure.change is not None and _TO_LEVEL.match(gap) is not None
        # "earned 174.6 mln dlrs on revenues of 4.93 billion dlrs in 1986": the pair shares the date
        reached = reached or (between == 1 and _ON_COMPANION.match(gap) is not None)
        # "earned 24.2 mln dlrs and employed 800 people during 1986": a coordinated clause of another kind shares it
        reached = reached or (between == 1 and others[0].kind != figure.kind and _AND_CLAUSE.match(gap) is not None)
        # "rose 15 pct and 13 pct, respectively, in 1986": the list shares the date after it
        reached = reached or (between > 0 and _RESPECTIVELY.search(gap) is not None and all(
            f.kind == figure.kind and _LIST_JOINER.fullmatch(art.text, e, f.start)
            for e, f in zip([figure.end, *(o.end for o in others)], others, strict=False)))
        if between == 0 and _BEFORE_A_RESULTS_YEAR.fullmatch(gap) and _RESULT_NOUN.match(art.text, d.end):
            # "a 2.20 billion dlr 1986 loss", "an 8.1 pct increase in net 1986 profit": the year stands inside the
            # figure's noun
            return d, gap
        # ("earnings of 300.8 mln dlrs on revenues of 3.77 billion dlrs it reported for 1986": a pair is longer)
        # ("… in revenues in its last fiscal year, which ended May 1987": a period's end names the date from further)
        far = reached or _PERIOD_ENDED_BEFORE.search(gap) is not None
        if (len(gap) < (65 if far else 45) and (between == 0 or reached) and _AT_BEFORE.search(gap)
                and not _BASE_BEFORE.search(gap) and not _BASE_GAP.search(_AS_OF_THE.sub(" ", gap))):
            return d, gap
        return None
    return None


_AND_CLAUSE = re.compile(r"\s+and\s+[a-z]+\s")
_PERIOD_ENDED_BEFORE = re.compile(r"\b(?:year|quarter|half|period),?\s+(?:which\s+|that\s+)?(?:ended|ending)\s*$",
                                  re.I)
_BEFORE_A_RESULTS_YEAR = re.compile(r"\s+(?:in\s+)?(?:(?:the|its|their|net|pre-?tax|group|calendar|fiscal)\s+)*", re.I)
_RESULT_NOUN = re.compile(r"\s+(?:net\s+|pre-?tax\s+|operating\s+)?(?:profits?|loss|earnings|income|net|revenues?|"
                          r"sales)\b", re.I)


_CLOSE_THEN_AT = re.compile(r"[^()（）]{0,60}?[)）]\s*(?:in|at|for|during)\s+(?:the\s+)?(?:end\s+of\s+)?", re.I)


def _date_after_brackets(art: _Article, figure: Figure, se: int, event: bool = True) -> tuple[Figure, str] | None:
    """(English) a figure in brackets dated after them: "505,000 transactions (worth HK$5.2 billion and RMB95
    million) in December 2020"."""
    if not _ASIDE_OPEN_BEFORE.search(art.text, max(0, figure.start - 40), figure.start):
        return None
    m = _CLOSE_THEN_AT.match(art.text, figure.end, se)
    if m is None:
        return None
    for d in _dates_in(art, m.end(), min(se, m.end() + 2), exact=False, event=event):
        return d, art.text[figure.end:d.start]
    return None


_ASIDE_OPEN_BEFORE = re.compile(r"[(（][^()（）]*$")


def _deictic_after(art: _Article, figure: Figure) -> str | None:
    """(English) a date without a numeral just after the figure, joined to it: "earned 2.4 mln dlrs for last year's
    second quarter" (such dates are no figures, so the date figures after it do not show them). The sentence is read
    from its start: what it says before the figure decides a year ("expects a loss in the second quarter")."""
    ss, se = art.sentence(figure.start)
    end = min(figure.end + 90, se)
    if not _DEICTIC_AFTER_GATE.search(art.text, figure.end, end):
        return None
    skip = figure.end - ss
    for d in en_dates.find_dates_en(art.text[ss:end], art.dateline or art.published):
        if d.start < skip:
            continue
        # "…, or 1.25 dlrs per share, it recorded for the…"
        gap = _PER_SHARE_ASIDE.sub("", art.text[figure.end:ss + d.start])
        gap = _YEAR_AGO_WORD.sub("", gap)  # "in the year-ago second quarter" (the date is a year back already)
        # (or right after it: "a net loss of 56 mln dlrs last year", "soared by 71 per cent last year")
        if d.deictic and len(gap) < 45 and (not gap.strip() or _AT_BEFORE.search(gap)) and not _NUMBER_IN.search(gap) \
                and not _BASE_GAP.search(gap):
            return d.value
    return None


_ON_COMPANION = re.compile(r"\s*,?\s*on\s+(?:[\w-]+\s+){0,2}of\s+[^,;]*$", re.I)
_YEAR_AGO_WORD = re.compile(r"\b(?:year[-\s](?:ago|earlier)|prior[-\s]year|previous[-\s]year)\s+$", re.I)
_DEICTIC_AFTER_GATE = re.compile(r"\b(?:last|this|current|next|first|second|third|fourth)\b", re.I)
_NUMBER_IN = re.compile(r"\d")


def _stated_date(art: _Article, figure: Figure, event: bool = True) -> str | None:
    """The date the sentence says the figure holds at: the last date before it that is not the base of a comparison
    (较2021年, than in 2019), else (English) one just after it joined by in/at/as of (1.31% in 2022)."""
    ss, se = art.sentence(figure.start)
    english = figure.rule.startswith("en.")
    if english and figure.value_from is None:
        own, _, after = _window(art, figure)
        month = _EN_MONTH.match(art.text, figure.end + len(art.text[figure.end:figure.end + 5]) -
                                len(art.text[figure.end:figure.end + 5].lstrip()))
        if month and re.fullmatch(r"\s+in\s+", art.text[figure.end:month.start(1)] if month.group(1) else "x"):
            # "HK$5.2 billion in September", "against HK$3.1 billion in June": that month, in the latest year
            return _yearless_month(art, figure, month_after=True)
        after_date = _date_after(art, figure, se, event) or _date_after_brackets(art, figure, se, event)
        if after_date is not None:
            d, gap = after_date
            target = (figure.forecast and not _HELD_AS_OF.search(gap) and not _is_comparison_base(art, figure)) or (
                str(d.value) == figure.period and not _ENDED_SPAN.search(gap))  # (not "in the year to end-1986")
            # "exceed US$600 billion by 2032" is a target; "already serving 806,000 customers as of August 2024" is not
            if not target:
                return str(d.value)
    for d in reversed(_dates_in(art, ss, figure.start, event=event)):
        if english and _BASE_FIGURE_IN.search(art.text[max(ss, d.start - 50):d.start]):
            continue  # "fell 4% to 8.2 billion from 8.5 billion in May, and value…": an earlier base's date
        start = _ZH_DATED_START.match(art.text, d.end)
        if start and start.end() - 1 < figure.start and _ZH_FROM_DATE.search(art.text[max(ss, d.start - 3):d.start]):
            continue  # 從2016年的0.72%降至0.54%: the start value's date, not the level's
        if english and figure.value_from is not None and _POSSESSIVE_GAP.fullmatch(art.text, d.end, figure.start):
            # "rose from 1985's 110.1 mln stg to 178.1 mln stg in 1986": the start value's year; the level's is the
            # one after it, or the year after that one
            after_date = _date_after(art, figure, se, event)
            if after_date is not None:
                return str(after_date[0].value)
            year = str(d.value)
            return str(int(year) + 1) if year.isdigit() and len(year) == 4 else None
        if figure.kind == "multiple" and _base_of_a_multiple(art, d):
            continue  # 相當於2019年12月…的3倍, three times of the 168,000 in December 2019: the base's date
        if not english and attribution.compared_date(art.text, d.start, d.end):
            continue  # 與2019年底相比維持穩定，為20.7%: the date compared with
        if figure.period and str(d.value) == figure.period and figure.forecast:
            continue  # the target the figure is forecast for ("US$600 billion by 2032, growing 28% a year")
            # (not forecast, 由推出至2030年底則共有193項: the time the count holds)
        if not _BASE_BEFORE.search(art.text[max(ss, d.start - 25):d.start]):
            return _in_the_reports_year(art, d)
        if _BASE_OWN_VALUE.fullmatch(art.text[d.end:figure.start]):
            return str(d.value)  # 相比2021年的增幅為4.6%: the figure is the base's own value, at the base's date
        if not _CHANGE_CUE.search(art.text[d.end:figure.end]) and not _LEVEL_JOIN_END.search(
                art.text[d.end:figure.start]):
            return str(d.value)  # 较2024年12月首期的15个用例: the figure is the base itself, at that date
            # (but "climbed 9.9 percent from the same period last year to 144.6 trillion": the level reached)
    return None


def _in_the_reports_year(art: _Article, d: Figure) -> str:
    """A date that states no year (3月份) in an annual report is in the report's year, not the published year's."""
    value = str(d.value)
    if art.annual and art.report and value[:4] > art.report and not _YEAR_DIGITS.search(d.surface):
        return art.report + value[4:]
    return value


_YEAR_DIGITS = re.compile(r"\d{4}|[〇零一二三四五六七八九]{4}")
_POSSESSIVE_GAP = re.compile(r"['’]s\s+")
_CLAUSE_END = re.compile(r"，|；|;|。|,(?!\d)")  # one character each: `re` skips ahead (see _SENTENCE_END)
_ZH_FROM_DATE = re.compile(r"(?:由|從|从)\s*$")
_ZH_DATED_START = re.compile(r"\s*的\s*\d")
_TO_LEVEL = re.compile(r"\s+to\s+(?:about\s+|around\s+|nearly\s+)?(?:[A-Z]{0,3}\$|RMB\s?)?\d")


def _base_of_a_multiple(art: _Article, d: Figure) -> bool:
    """A date in a clause that states a multiple of it (相當於2019年12月…的3倍; three times … in December 2019, tenfold
    of that in October 2018) is the date of the base of the comparison, not of the statistic."""
    ss, se = art.sentence(d.start)
    m = _CLAUSE_END.search(art.text, d.end, se)
    lo = max([ss] + [c.end() for c in _CLAUSE_END.finditer(art.text, ss, d.start)])
    hi = m.start() if m else se
    i, j = bisect_left(art.figure_starts, lo), bisect_left(art.figure_starts, hi)
    for f in art.figures[i:j]:
        if f.kind != "multiple":
            continue
        if f.start > d.end and re.search(r"的\s*$", art.text[d.end:f.start]):
            return True
        if f.end <= d.start and _BASE_GAP.search(art.text[f.end:d.start]):
            return True
    return False


def _fiscal(art: _Article, figure: Figure) -> tuple[str, str] | None:
    """A fiscal year that is not the calendar year (FY25, financial year 2024-25, 截至2018年3月31日止年度): as_of its
    last month (March unless the text says), period P12M."""
    ss = art.sentence(figure.start)[0]
    _, _, after = _window(art, figure)
    # the fiscal year named right after the figure (92.48 billion in FY24), else the last one before it in its sentence
    found = [m for m in scanning.finditer(_FISCAL_GATE, _FISCAL, art.text, figure.end,
                                          min(after + 12, art.sentence(figure.start)[1]))
             if re.fullmatch(r"\s*(?:in|for|during|of)?\s*(?:the\s+)?", art.text[figure.end:m.start()], re.I)]
    found = found[:1] or list(scanning.finditer(_FISCAL_GATE, _FISCAL, art.text, ss, figure.start))[-1:]
    for m in found:
        if m.group(4):
            return f"{m.group(4)}-{int(m.group(5)):02d}", "P12M"
        yy = m.group(1) or m.group(2) or m.group(3)
        return f"20{yy}-03", "P12M"
    return None


def _fiscal_in_lead(art: _Article, figure: Figure) -> tuple[str, str] | None:
    """The fiscal year named by the first sentence of the figure's paragraph (For the financial year 2024-25, …)."""
    line_start = art.text.rfind("\n", 0, figure.start) + 1
    lead_end = art.sentence(line_start)[1]
    if lead_end >= figure.start:
        return None
    for m in scanning.finditer(_FISCAL_GATE, _FISCAL, art.text, line_start, lead_end):
        if m.group(4):
            return f"{m.group(4)}-{int(m.group(5)):02d}", "P12M"
        return f"20{m.group(1) or m.group(2) or m.group(3)}-03", "P12M"
    return None


def _fiscal_in_opening(art: _Article) -> tuple[str, str] | None:
    for m in scanning.finditer(_FISCAL_GATE, _FISCAL, art.text, 0, min(len(art.text), 400)):
        if m.group(4):
            return f"{m.group(4)}-{int(m.group(5)):02d}", "P12M"
        return f"20{m.group(1) or m.group(2) or m.group(3)}-03", "P12M"
    return None


_EN_YEAR_END_AFTER = re.compile(r"\s*(?:at|by|as\s+at)\s+(?:the\s+)?(?:end\s+of\s+the\s+year|year[- ]end|end-year)\b",
                                re.I)
_EN_YEAR_END_BEFORE = re.compile(r"\b(?:at|by|as\s+at)\s+(?:the\s+)?end\s+of\s+the\s+year\b|\b(?:at\s+)?year-end\b",
                                 re.I)
_EN_IN_YEAR_AFTER = re.compile(r"\s*(?:during|in|for)\s+the\s+year\b", re.I)
_DIGIT = re.compile(r"\d")
_EN_IN_YEAR_BEFORE = re.compile(r"\b(?:for|over)\s+the\s+(?:whole\s+)?year\s+as\s+a\s+whole\b", re.I)
_ZH_YEAR_END = re.compile(r"(?<![\d０-９〇○零一二三四五六七八九年])(?:本年|今年)?(?:年底|年末|年終)")
_ZH_IN_YEAR = re.compile(r"(?<![\d０-９〇○零一二三四五六七八九])(?:年內|年内|本年|全年)")


_FROM_A_YEARS = re.compile(r"\s+from\s+((?:19|20)\d\d)(?:'s|’s)\s|"
                           # "a loss of 480 mln rupiah against a 1985 profit of 11.9 billion"
                           r"\s+(?:against|compared\s+(?:with|to)|versus)\s+(?:a|an)\s+((?:19|20)\d\d)\s+"
                           r"(?:net\s+|pre-?tax\s+)?(?:profit|loss|income|earnings)\b", re.I)


_CHANGE_FROM_A_YEAR = re.compile(r"\s+(?:from|over|on)\s+((?:19|20)\d\d)(?:\s+levels?)?()(?=\s*[.;,]|\s+(?:and|but)\b)",
                                 re.I)


def _year_after_its_base(art: _Article, figure: Figure) -> tuple[str, str] | None:
    """(English) "saw its earnings drop to 2.94 billion dlrs from 1985's 3.99 billion": a result in a sentence that
    dates nothing else is the year after its base's."""
    m = _FROM_A_YEARS.match(art.text, figure.end) if figure.rule.startswith("en.") else None
    if m is None and figure.rule.startswith("en.") and figure.kind in CHANGE_KINDS:
        m = _CHANGE_FROM_A_YEAR.match(art.text, figure.end)  # "turnover rose four pct from 1985"
    if m is None:
        return None
    ss = art.sentence(figure.start)[0]
    if any(d.end <= figure.start for d in _dates_in(art, ss, figure.start, False)):
        return None
    return f"{int(m.group(1) or m.group(2)) + 1:04d}", "sentence"


def _month_of_a_when_clause(art: _Article, figure: Figure) -> tuple[str, str] | None:
    """(English) "rose 1.3 pct to 523.74 billion dlrs from January, when they were up 3.3 pct": the month the clause
    is about, in the latest year up to the day of writing (or the year it names)."""
    if not figure.rule.startswith("en."):
        return None
    m = _MONTH_WHEN.search(art.text, max(art.sentence(figure.start)[0], figure.start - 90), figure.start)
    ref = _reference_day(art)
    if m is None or ref is None or _dates_in(art, m.end(), figure.start, False):
        return None
    if m.group(1).isdigit():
        return m.group(1), "sentence"  # "flat compared with 1986, when it earned 2.53 billion crowns"
    month = _EN_MONTHS.index(m.group(1).lower()) + 1
    return f"{int(ref[:4]) - (1 if month > int(ref[5:7]) else 0):04d}-{month:02d}", "sentence"


def _last_year_end(art: _Article, figure: Figure) -> tuple[str, str] | None:
    """(English) "had year-end assets of 40 mln dlrs" in a sentence with no date, in no annual report: the last year
    end before publication (as a month without its year is the latest before it)."""
    if art.report or not art.published or figure.forecast or not figure.rule.startswith("en."):
        return None
    own, ss, _ = _window(art, figure)
    if not (_EN_YEAR_END_AFTER.match(art.text, figure.end) or _EN_YEAR_END_BEFORE.search(art.text, ss, figure.start)):
        return None
    if _dates_in(art, ss, art.sentence(figure.start)[1], False):
        return None
    return f"{int(art.published[:4]) - 1:04d}-12-31", "sentence"


_THE_YEAR = r"(?:all\s+of\s+)?the\s+(?:full\s+)?year\b(?![-\s]+(?:ago|earlier|before|ended|ending|to)\b)"
# the year opens the sentence ("For the year, Acme reported…") or joins the figure ("net income for the year of X")
_MONTH_WHEN = re.compile(r"\b(" + "|".join(m.capitalize() for m in (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december")) + r"|(?:19|20)\d\d)(?:\s+(?:levels?|results|period))?,?\s+when\b(?:[^.;,]|[.,](?=\d))*(?:,[^.;,]*)?$")
_FOR_THE_YEAR_OPENS = re.compile(rf"\s*(?:for|in|during)\s+{_THE_YEAR}", re.I)
_FOR_THE_YEAR_NEAR = re.compile(rf"\b(?:for|in|during)\s+{_THE_YEAR}\s*(?:of|was|were|at)?\s*$", re.I)
_FOR_THE_YEAR_AFTER = re.compile(rf"(?:{_OR_PER_SHARE})?\s*(?:for|in|during)\s+{_THE_YEAR}", re.I)


_BASE_THEN_YEAR = re.compile(r"[^.;]*?\b(?:from|than|compared\s+(?:with|to)|against|versus)\s+[^,;]{1,40}?\s+in\s*$",
                             re.I)


def _results_for_the_year(art: _Article, figure: Figure) -> tuple[str, str] | None:
    """(English) "For the year, Acme reported a net loss of 116,793 dlrs" in news of January to April with no date in
    the sentence: the calendar year just over, whose results such news reports (its base a year before that)."""
    if art.report or not art.published or figure.forecast or not figure.rule.startswith("en."):
        return None
    if not art.published[5:7].isdigit() or int(art.published[5:7]) > 4:
        return None
    ss, se = art.sentence(figure.start)
    if not (_FOR_THE_YEAR_OPENS.match(art.text, ss) or _FOR_THE_YEAR_AFTER.match(art.text, figure.end)
            or _FOR_THE_YEAR_NEAR.search(art.text, max(ss, figure.start - 30), figure.start)):
        return None
    dates = _dates_in(art, ss, se, False)
    if not dates:
        year = int(art.published[:4]) - 1 - _is_base_a_year_before(art, figure)
        return f"{year:04d}", "sentence"
    # "revenues for the year were 30.7 mln dlrs, up from 23.0 mln dlrs in 1985": the only year is the base's
    if (len(dates) == 1 and figure.end <= dates[0].start and str(dates[0].value).isdigit()
            and _BASE_THEN_YEAR.match(art.text, figure.end, dates[0].start)):
        return f"{int(str(dates[0].value)) + 1:04d}", "sentence"
    return None


def _in_report_year(art: _Article, figure: Figure) -> tuple[str, str] | None:
    """In an annual report, the end of the year and during the year (年底, 年內, at the end of the year) are the
    report year's, not the publication year's (METRICS.md 2.4, rule 3)."""
    if not art.report or not re.fullmatch(r"\d{4}", art.report):
        return None
    own, ss, _ = _window(art, figure)
    if figure.rule.startswith("en."):
        if _EN_YEAR_END_AFTER.match(art.text, figure.end) or (
                _EN_YEAR_END_BEFORE.search(art.text, ss, figure.start) and not _dates_in(art, ss, figure.start, False)):
            return f"{art.report}-12-31", "sentence"
        if _EN_IN_YEAR_AFTER.match(art.text, figure.end) or (
                _EN_IN_YEAR_BEFORE.search(art.text, ss, figure.start) and not _dates_in(art, ss, figure.start, False)
                and not any(_AT_BEFORE.search(art.text[figure.end:d.start]) and not _DIGIT.search(
                    art.text, figure.end, d.start) for d in _dates_in(art, figure.end, figure.end + 25, False))):
            # "For the year as a whole, total lending increased by 3.5%" (全年), not "…, compared with 12.7% in 2014"
            return art.report, "sentence"
        return None
    before = art.text[own:figure.start]
    if _dates_in(art, own, figure.start, exact=False):
        return None
    if _ZH_YEAR_END.search(before):
        return f"{art.report}-12-31", "sentence"
    if _ZH_IN_YEAR.search(before):
        return art.report, "sentence"
    return None


def _as_of(art: _Article, figure: Figure, event: bool = True) -> tuple[str | None, str | None]:
    """as_of and its source: the sentence's date, else a dated heading or lead sentence of the paragraph, else the
    period of the report the article is about, else the dateline, else the published date."""
    if (companion := _result_it_accompanies(art, figure)) is not None:
        # "last year's earnings of 19.1 mln dlrs on 250.2 mln dlrs of revenues": the revenues are that year's too
        return _as_of(art, companion, event)
    in_report = _in_report_year(art, figure) or _last_year_end(art, figure)
    if in_report and in_report[0] and in_report[0][:4].isdigit() and _is_base_a_year_before(art, figure):
        # "At the end of the year, deposits stood at X, as compared with Y a year ago": Y a year before
        return f"{int(in_report[0][:4]) - 1:04d}{in_report[0][4:]}", in_report[1]
    in_report = (in_report or _results_for_the_year(art, figure) or _month_of_a_when_clause(art, figure)
                 or _year_after_its_base(art, figure))
    if in_report:
        return in_report
    english = figure.rule.startswith("en.")
    if english and art.published and _WITH_ASSETS.search(art.text, max(0, figure.start - 30), figure.start) and not (
            _dates_in(art, figure.end, art.sentence(figure.start)[1], exact=False)):
        # "the future purchase of The Nevada Bank, with assets of 615 mln dlrs" in a sentence dated only before it
        # (by changes that take effect in 1989): the aside states what the bank holds now
        return art.dateline or art.published, "dateline" if art.dateline else "published"
    owner = _YEARS_OWN.search(art.text, max(0, figure.start - 40), figure.start) if english else None
    if owner:
        # "will more than double last year's 29.8 mln dlrs": the year that owns the figure, whatever the sentence's
        year = en_dates.deictic_year(owner.group(1).replace("fiscal ", ""), None, art.dateline or art.published)
        if year:
            return year, "sentence"
    if _is_base_a_year_before(art, figure) or (
            figure.as_of_source == "sentence"
            and _ZH_A_YEAR_BEFORE.search(art.text, max(0, figure.start - 8), figure.start)):
        # "to 1.68% in 2023 from 1.31% a year before": the base holds a year before the sentence's date
        base = _stated_date(art, figure, event) or (figure.as_of if figure.as_of_source == "sentence" else "") or ""
        if base[:4].isdigit():
            return f"{int(base[:4]) - 1:04d}{base[4:]}", "sentence"
    if figure.as_of_source == "sentence" and figure.as_of:
        stated = _stated_date(art, figure, event)
        if stated and figure.forecast:
            return stated, "sentence"
        if stated:
            return _not_after_publication(art, stated, figure), "sentence"
        # the sentence's only date is the base of a comparison (Compared with March 2024, … was down 20 per cent)
        ss, se = art.sentence(figure.start)
        if all(str(d.value) != figure.as_of for d in _dates_in(art, ss, se, exact=False, event=event)):
            # the figure parser read the time from words that are no date figure (上半年, 今年前3季, fourth quarter),
            # unless such words join another to the figure ("expects first quarter earnings above the 4.8 mln dlrs it
            # recorded for the first quarter of last year")
            after = _deictic_after(art, figure) if english else None
            return _not_after_publication(art, after or figure.as_of, figure), "sentence"
    after = _stated_date(art, figure, event) or _deictic_after(art, figure) if english else None
    if after:
        return _not_after_publication(art, after, figure), "sentence"
    month = _yearless_month(art, figure)
    if month:
        return month, "sentence"
    ss = art.sentence(figure.start)[0]
    line_start = art.text.rfind("\n", 0, figure.start) + 1
    i = bisect_right([s for s, _ in art.heading_dates], line_start) - 1
    if i >= 0:
        s, value = art.heading_dates[i]
        # (in an annual report, a month its lead names is an event's, "於8月指定4個零售支付系統": it dates the
        # paragraph's events, not its levels)
        event_month = art.annual and len(value or "") == 7 and not event
        if value is not None and not event_month and (
                s == line_start and ss > s or s < line_start and _is_heading(art.text, s)):
            return value, "lead"
    if art.report and re.fullmatch(r"\d{4}", art.report) and ss > line_start:
        # an annual report's paragraph that opens at the end of the year (…reached HK$4,015.3 billion at year end.)
        lead_end = art.sentence(line_start)[1]
        lead = art.text[line_start:lead_end]
        if (_EN_YEAR_END_BEFORE.search(lead) or re.search(r"\bat\s+year[- ]end\b", lead, re.I)
                or _ZH_YEAR_END.search(lead)) and not _dates_in(art, line_start, lead_end, exact=False):
            return f"{art.report}-12-31", "lead"
    if art.report:
        return art.report, "report"
    if art.dateline and figure.start >= 80:
        return art.dateline, "dateline"
    if figure.as_of and figure.as_of_source != "sentence":  # a sentence date found to be a comparison base is not
        return figure.as_of, figure.as_of_source or "published"
    if art.published:
        return art.published, "published"
    return None, None


# "earnings of 19.1 mln dlrs, or 1.20 dlrs a share, on 250.2 mln dlrs of revenues", "… on sales of 3.6 billion"
_ON_A_RESULT = re.compile(r"(?:\s*,?\s*or\s+[\w.]+\s+(?:dlrs?|cts|cents)\s+(?:a|per)\s+share\s*,?)?\s+on\s+"
                          r"(?:(?:net\s+)?(?:revenues?|sales|turnover)\s+of\s+)?(?:about\s+|some\s+)?", re.I)


_TIME_AFTER = re.compile(r"\s*,?\s*(?:in|for|during|at)\s+(?:the\s+)?(?:first|second|third|fourth|latest|same|year|"
                         r"quarter|half|fiscal|period|\d{4})\b", re.I)


def _result_it_accompanies(art: _Article, figure: Figure) -> Figure | None:
    """(English) The result a revenue figure is joined to by "on": it holds for that result's period."""
    if not figure.rule.startswith("en.") or figure.kind != "money" or _TIME_AFTER.match(art.text, figure.end):
        return None  # (a time after the pair is both figures': "lost 243,064 dlrs on revenues of 7 mln in the quarter")
    prev = _previous_figure(art, figure)
    if prev is not None and _PER_SHARE_AFTER.match(art.text, prev.end):
        prev = _previous_figure(art, prev)  # the per-share amount between: "521.1 mln dlrs or 6.78 dlrs per share"
    if (prev is None or prev.kind != "money" or prev.start < art.sentence(figure.start)[0]
            or not _ON_A_RESULT.fullmatch(art.text, prev.end, figure.start)):
        return None
    return prev


# "…versus a loss of 1.4 mln dlrs", "compared with 80 billion": the figure is what a forecast is compared with
_BASE_LEAD = re.compile(r"\b(?:versus|vs\.?|compared\s+(?:with|to)|against|than|up\s+from|down\s+from|(?:below|above|"
                        r"exceed|surpass|over)\s+(?:the|its|last\s+year's)(?!\s+(?:next|coming|past|last|following)\b))\b[^,;]{0,30}$",
                        re.I)


def _is_comparison_base(art: _Article, figure: Figure) -> bool:
    """The figure is the base a statement compares with: a level already known, not what is expected."""
    if not figure.rule.startswith("en."):
        return False
    return _BASE_LEAD.search(art.text, max(_window(art, figure)[0], figure.start - 40), figure.start) is not None


def _is_base_a_year_before(art: _Article, figure: Figure) -> bool:
    """The figure is a comparison's base a year before: "against 61 billion in the previous year"."""
    # the comparison word may stand a few words back: "compared to a profit of 64 mln in the year earlier"
    return bool(_A_YEAR_BEFORE.match(art.text, figure.end)
                and _BASE_GAP.search(art.text[max(_window(art, figure)[0], figure.start - 32):figure.start])
                ) or _A_YEAR_BEFORE_NOUN.search(art.text, max(0, figure.start - 50), figure.start) is not None or (
        # 對比一年前的11,580億元: the base a year before the level's date
        not figure.rule.startswith("en.") and figure.as_of_source != "sentence"
        and _ZH_A_YEAR_BEFORE.search(art.text, max(0, figure.start - 8), figure.start) is not None) or (
        figure.rule.startswith("en.")
        and (_OPENS_A_YEAR_BEFORE.match(art.text, art.sentence(figure.start)[0]) is not None
             or _WHEN_A_YEAR_BEFORE.search(art.text, max(0, figure.start - 120), figure.start) is not None
             or _parallel_base_a_year_before(art, figure) or _results_base_a_year_before(art, figure)
             or _companion_of_a_base_a_year_before(art, figure)))


_ON_COMPANION_BEFORE = re.compile(r"\bon\s+(?:net\s+)?(?:revenues?|sales|turnover)\s+of\s+(?:about\s+|some\s+)?$", re.I)


def _companion_of_a_base_a_year_before(art: _Article, figure: Figure) -> bool:
    """(English) "compared to a profit the year earlier of 308 mln dlrs on revenues of 13.82 billion dlrs": the
    revenues of a year-before result are that year's too."""
    if not _ON_COMPANION_BEFORE.search(art.text, max(0, figure.start - 30), figure.start):
        return False
    prev = _previous_figure(art, figure)
    return (prev is not None and prev.kind == "money" and prev.start >= art.sentence(figure.start)[0]
            and not _ON_COMPANION_BEFORE.search(art.text, max(0, prev.start - 30), prev.start)
            and _is_base_a_year_before(art, prev))


# a result's base: "compared to a net income of 203,372 dlrs", "up from 4 mln dlrs"
_RESULTS_BASE_LEAD = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.?|against|(?:up|down)\s+from|"
                                # "rose to 20.14 mln stg from 18.55 mln"
                                r"to\s+(?:about\s+)?\d[\d.,]*\s+(?:mln|billion|million)?\s*[a-z]*\s+from)\s+"
                                r"(?:(?:a|an|the)\s+)?"
                                r"(?:(?:net\s+|pre-?tax\s+)?(?:profits?|loss(?:es)?|income|earnings|net|revenues?)\s+"
                                r"(?:of\s+)?)?(?:about\s+|some\s+|nearly\s+)?"
                                # (a per-share amount may come first: "a net income of 23 cts or 203,372 dlrs")
                                r"(?:[\d.]+\s+(?:cts|cents|dlrs?)\s+(?:a\s+share\s+)?or\s+)?$", re.I)
_RESULTS_BEFORE = re.compile(r"\b(?:net|profits?|loss|earned|earnings|income|revenues?)\b", re.I)
_PERIOD_BEFORE = re.compile(r"\b(?:quarter|half|year|months|weeks)\b", re.I)
# words that give a base its own time, or make the comparison one with the period before
_OWN_TIME = re.compile(r"\b(?:quarter|half|year|month|period|weeks?|sequential|sequentially|previous|preceding|prior|"
                       r"earlier|before|ago|last|restated|January|February|March|April|May|June|July|August|"
                       r"September|October|November|December)\b|\d{4}", re.I)


def _results_base_a_year_before(art: _Article, figure: Figure) -> bool:
    """(English) results news compares a period's result with the same period a year before unless it says
    otherwise: "For the year, Acme reported a net loss of 116,793 dlrs compared to a net income of 203,372 dlrs"."""
    ss, se = art.sentence(figure.start)
    lead = _RESULTS_BASE_LEAD.search(art.text, max(ss, figure.start - 50), figure.start)
    if lead is None:
        return False
    tail = _PER_SHARE_ASIDE.sub("", art.text[figure.end:se])
    tail = tail[:m.start()] if (m := _CLAUSE_END.search(tail)) else tail
    if _OWN_TIME.search(tail) or _OWN_TIME.search(art.text, ss, figure.start) is None:
        return False
    head = art.text[ss:lead.start()]
    return bool(_RESULTS_BEFORE.search(head) and _PERIOD_BEFORE.search(head)) and not (
        _SEQUENTIAL.search(art.text, ss, se))


_SEQUENTIAL = re.compile(r"\b(?:sequential|previous|preceding|prior|earlier|last)\s+(?:quarter|half|month|period)",
                         re.I)


_FROM_BEFORE = re.compile(r"\bfrom\s+(?:about\s+|some\s+)?$", re.I)
_AND_NEXT = re.compile(rf"(?:{_OR_PER_SHARE})?\s*,?\s+and\s", re.I)


def _parallel_base_a_year_before(art: _Article, figure: Figure) -> bool:
    """(English) "up 21 pct to 14.1 mln dlrs from 11.7 mln dlrs and nine month revenues were up 25 pct to 39.7 mln
    dlrs from 31.8 mln dlrs a year before": the year-before words that close the last of two parallel clauses date
    the base of the first as well."""
    if not (_FROM_BEFORE.search(art.text, max(0, figure.start - 12), figure.start)
            and _AND_NEXT.match(art.text, figure.end)):
        return False
    se = art.sentence(figure.start)[1]
    for f in art.figures[bisect_left(art.figure_starts, figure.end):bisect_left(art.figure_starts, se)]:
        if _FROM_BEFORE.search(art.text, max(0, f.start - 12), f.start) and _A_YEAR_BEFORE.match(art.text, f.end):
            return True
    return False


# "as compared to a year ago when the company reported income of 32 mln dlrs": the clause is about that time
_WHEN_A_YEAR_BEFORE = re.compile(r"\b(?:a\s+year\s+(?:ago|earlier)|the\s+(?:comparable\s+)?"
                                 r"(?:year[-\s]ago|prior[-\s]year|comparable)\s+"
                                 r"(?:quarter|period|half|year)(?:\s+a\s+year\s+ago)?),?[\"”]?\s+when\b[^.;]*$", re.I)


# "In the comparable quarter a year ago, Acme earned 8.5 mln dlrs": the sentence is about the period a year before
_OPENS_A_YEAR_BEFORE = re.compile(r"\s*(?:in|for|during)\s+the\s+(?:(?:comparable|same|corresponding)\s+"
                                  r"(?:quarter|period|half|months?)\s+(?:a|of\s+the|of\s+last|last)\s+"
                                  r"(?:year|fiscal\s+year)(?:\s+(?:ago|earlier))?|"
                                  # ("the year-ago second quarter" is a date the figure parser moves back itself)
                                  r"(?:year[-\s]ago|year[-\s]earlier|prior[-\s]year)\s+"
                                  r"(?:(?!first|second|third|fourth)[\w-]+\s+)?(?:quarter|period|half))\s*,",
                                  re.I)


# "a bank with assets of 615 mln dlrs": an aside on what an institution holds
_WITH_ASSETS = re.compile(r"\bwith\s+(?:total\s+)?assets\s+of\s+(?:about\s+|some\s+|nearly\s+)?$", re.I)
# a result's noun after the words that date it ("last year's net profit of", "year-earlier profit of")
_RESULT_WORDS = r"(?:net\s+|pre-?tax\s+|operating\s+)?(?:profits?|loss(?:es)?|earnings|income|net|revenues?|sales)"
# "will more than double last year's 29.8 mln dlrs": the year that owns the figure
_YEARS_OWN = re.compile(rf"\b((?:last|this|next)\s+(?:fiscal\s+)?year)(?:'s|’s)\s+(?:{_RESULT_WORDS}\s+(?:of\s+)?)?"
                        r"(?:about\s+|some\s+)?$", re.I)
# "compared to year-earlier profit of 7.0 mln dlrs", "the prior-year loss of 2.1 mln"
_A_YEAR_BEFORE_NOUN = re.compile(r"\b(?:year[-\s](?:earlier|ago)|prior[-\s]year|previous[-\s]year|(?:prior|previous)\s+"
                                 rf"year(?:'s|’s))\s+(?:{_RESULT_WORDS}\s+)?"
                                 # ("a year ago loss in the quarter of 169,000 dlrs")
                                 r"(?:(?:in|for)\s+the\s+(?:quarter|half|period|year)\s+)?"
                                 r"(?:of\s+)?(?:about\s+|nearly\s+|some\s+)?$",
                                 re.I)


def _a_year_back(as_of: str, source: str | None) -> str:
    """A period keeps its form (FY25 → FY24: 2024-03); a day of publication is no period: only its year is kept. The
    words that say so stand in the figure's sentence, so the caller makes the source `sentence` (METRICS.md 2.4)."""
    year = int(as_of[:4]) - 1
    return f"{year:04d}" if source in ("dateline", "published") else f"{year:04d}{as_of[4:]}"


def _is_heading(text: str, start: int) -> bool:
    line = text[start:text.find("\n", start) if "\n" in text[start:] else len(text)]
    return line.startswith("#") or (len(line) < 60 and not line.rstrip().endswith(("。", ".", "！", "!")))


def _period(rule: MetricRule, art: _Article, figure: Figure, is_change: bool) -> str | None:
    if figure.period:
        return figure.period
    own, ss, after = _window(art, figure)
    around = art.text[max(ss, figure.start - 40):after]
    if rule.nature == "flow" or is_change:
        if _DAILY.search(around):
            return "P1D"
        daily = list(_DAILY.finditer(art.text, ss, figure.start))
        if daily and not _NOT_DAILY.search(art.text, daily[-1].end(), figure.start):
            return "P1D"  # 平均每日交易量達…，相當於2019年12月168,000宗的3倍: the comparison is of daily averages
        if _WEEKLY.search(around):
            return "P1W"
    if rule.nature == "event" or figure.forecast:
        # a commitment's span of spending, a forecast's horizon: "over the next three years", 未来五年
        se = art.sentence(figure.start)[1]
        for f in art.figures:
            if ss <= f.start < se and f.kind == "duration" and _FORWARD.search(art.text[max(ss, f.start - 15):f.end]):
                unit = attribution.period_unit(f.unit or art.text[f.start:f.end])
                return f"P{f.value}{unit}"
    return None


_NOT_DAILY = re.compile(r"全月|全年|全季|單月|单月|累計|累计|總額|总额|總數|总数|合共|合計|合计|全期|"
                        r"\b(?:total|monthly|cumulative|annual|for the year|in the year|during the year)\b", re.I)
_FORWARD = re.compile(r"未来|未來|今后|今後|next|coming|over", re.I)


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "十一": 11, "十二": 12}
_EN_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
             "eleven": 11}
_ZH_SPAN = re.compile(r"(?:前|首)(十[一二]|[一二两兩三四五六七八九十]|\d{1,2})\s*(?:个|個)?\s*(季度?|月)")
_EN_SPAN = re.compile(r"\bfirst\s+(two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2})\s+(months|quarters)\b",
                      re.I)
_EN_SPAN_OF = re.compile(_EN_SPAN.pattern + r"\s+of\s+(?:(?:the|fiscal|calendar)\s+)?$", re.I)
_EN_SPAN_AFTER = re.compile(r"\s+(?:in|for|during|over)\s+the\s+" + _EN_SPAN.pattern.removeprefix(r"\b"), re.I)


_ENDED_SPAN = re.compile(r"\b(?:(?:fiscal|financial)\s+)?(?:(?P<what>(?:half[-\s])?year|quarter|half|month|"
                         r"(?<=fiscal\s)(?:19|20)\d\d)|(?P<n>two|three|four|five|six|"
                         r"seven|eight|nine|ten|eleven|\d{1,2})\s+(?P<unit>months|weeks)),?\s+(?:which\s+)?(?:ended|ending|to)\s+"
                         r"(?:on\s+|end-|end\s+of\s+)?$",
                         re.I)
_PART_OF_A_FISCAL_YEAR = re.compile(r"\b(half|quarter)\s+(?:of\s+)?(?:fiscal\s+)?$", re.I)
# (a fiscal year named by its year: 12)
_SPAN_MONTHS = {"year": 12, "quarter": 3, "half": 6, "half year": 6, "month": 1}


def _ended_span(art: _Article, figure: Figure, as_of: str | None) -> tuple[str, str | None] | None:
    """A flow over a span that ended on a day ("the fiscal year ended April 30", "nine months ended March 31"): the
    calendar period it is (the quarter ended March 31 is Q1), else its last month, with its length as period."""
    if not as_of or len(as_of) != 10 or not as_of[:4].isdigit():
        return None
    ss, se = art.sentence(figure.start)
    for d in _dates_in(art, ss, se, exact=False):
        # (a base "a year earlier" was moved back a year already: its day is the same)
        if str(d.value)[4:] != as_of[4:] or (m := _ENDED_SPAN.search(art.text, max(ss, d.start - 40), d.start)) is None:
            continue
        n = m.group("n")
        what = m.group("what")
        if what and what.isdigit():  # "first half fiscal 1987, ended Feb 28": the half, not the year
            what = _PART_OF_A_FISCAL_YEAR.search(art.text, max(ss, m.start() - 20), m.start())
            what = what.group(1) if what else "year"
        months = _SPAN_MONTHS.get(what.lower().replace("-", " "), 12) if what else (
            int(n) if n.isdigit() else _EN_COUNT[n.lower()])
        year, month = int(as_of[:4]), int(as_of[5:7])
        if m.group("unit") and m.group("unit").lower() == "weeks":
            return f"{year}-{month:02d}", f"P{months}W"  # the 53 weeks ended January 3
        if months == 12 and month == 12:
            return f"{year}", None
        if months == 6 and month in (6, 12):
            return f"{year}-H{month // 6}", None
        if months == 3 and month % 3 == 0:
            return f"{year}-Q{month // 3}", None
        if months == 1 and int(as_of[8:]) == calendar.monthrange(year, month)[1]:
            return f"{year}-{month:02d}", None  # "the month ended January 31": January
        return f"{year}-{month:02d}", f"P{months}M"
    return None


def _span(art: _Article, figure: Figure, as_of: str | None) -> tuple[str | None, str | None]:
    """A flow over the first months of a year (前三季度, 首9個月, first nine months): as_of its last month, period its
    length (P9M). The first six months are the calendar half (2023-H1)."""
    if as_of is None or not as_of[:4].isdigit():
        return as_of, None
    ss, se = art.sentence(figure.start)
    lo = ss
    for d in _dates_in(art, ss, figure.start, exact=False):
        if not _ZH_SPAN.match(art.text, d.start) and not _EN_SPAN.match(art.text, d.start) and not (
                _EN_SPAN_OF.search(art.text, max(ss, d.start - 40), d.start)):
            lo = max(lo, d.end)  # 2024全年的2188億元 after 首3季: a later date names the figure's own time
    # "rose to 51 mln dlrs in the first nine months of 2030": the span right after the figure is its own
    after = _EN_SPAN_AFTER.match(art.text, figure.end, se) if figure.rule.startswith("en.") else None
    text = art.text[lo:figure.start] + (after.group() if after else "")
    months = 0
    for m in _ZH_SPAN.finditer(text):
        n = int(m.group(1)) if m.group(1).isdigit() else _CN_DIGITS.get(m.group(1), 0)
        months = n * 3 if m.group(2).startswith("季") else n
    for m in _EN_SPAN.finditer(text):
        n = int(m.group(1)) if m.group(1).isdigit() else _EN_COUNT[m.group(1).lower()]
        months = n * 3 if m.group(2).lower().startswith("quarter") else n
    if not 0 < months < 12:
        return as_of, None
    if months == 6:
        return f"{as_of[:4]}-H1", None
    return f"{as_of[:4]}-{months:02d}", f"P{months}M"


def _basis(rule: MetricRule, art: _Article, figure: Figure, as_of: str | None) -> str | None:
    """The comparison basis of a change: stated next to it, else once for its sentence (On a year-on-year basis, …),
    else told by the base's month (over February, 相當於2019年12月的3倍), else by the period it happened in."""
    own, ss, after = _window(art, figure)
    se = art.sentence(figure.start)[1]
    near = art.text[max(ss, own - 20, figure.start - 40):after]
    for text in (near, art.text[ss:se]):
        for unit, pattern in _BASIS:
            if pattern.search(text):
                return unit
        base = _BASE_MONTH.search(text)
        if base and as_of and len(as_of) >= 7 and as_of[5:7].isdigit():
            if base.group(1):
                month = _EN_MONTHS.index(base.group(1).lower()) + 1
                year = int(base.group(2)) if base.group(2) else None
            else:
                month, year = int(base.group(4)), int(base.group(3))
            y, m = int(as_of[:4]), int(as_of[5:7])
            if month == m and year in (None, y - 1):
                return "yoy"
            if (month == m - 1 and year in (None, y)) or (m == 1 and month == 12 and year in (None, y - 1)):
                return "mom"
        fiscal = _BASE_FISCAL.search(text)
        if fiscal and as_of and as_of[:4].isdigit() and (
                _full_fiscal_year(fiscal.group(1), int(as_of[:4])) == int(as_of[:4]) - 1):
            return "yoy"  # up from HK$80 billion in FY29, in FY30
    if rule.results:
        return "yoy"
    if _DURING.search(near):
        return "ytd" if rule.nature == "stock" else "yoy"
    return None


def _full_fiscal_year(year: str, near: int) -> int:
    """FY24 in the century of the year it is compared with."""
    return int(year) if len(year) == 4 else near // 100 * 100 + int(year)


# ------------------------------------------------------------------------------------------------ rows


def _currency(art: _Article, figure: Figure, rule: MetricRule) -> str | None:
    if figure.kind == "money" or figure.currency:
        return figure.currency
    if "money" not in rule.kinds:
        return None
    ss, se = art.sentence(figure.start)
    money = [f for f in art.figures if ss <= f.start < se and f.kind == "money" and f.currency]
    if not money:
        return None
    return min(money, key=lambda f: abs(f.start - figure.start)).currency


def _from_sentences(figures: list[Figure]) -> tuple[str, list[Figure]]:
    """Without the article: its sentences, in order, as the text, and the figures moved onto it."""
    parts: list[str] = []
    offsets: dict[str, int] = {}
    size = 0
    moved = []
    for f in figures:
        if f.sentence not in offsets:
            offsets[f.sentence] = size
            parts.append(f.sentence)
            size += len(f.sentence) + 1
        at = offsets[f.sentence] + max(f.sentence.find(f.surface), 0)
        moved.append(replace(f, start=at, end=at + len(f.surface)))
    return "\n".join(parts), moved


# A title that names the report an article is: 金管局2022年年報, HKMA Annual Report 2023, 2024年中期报告
_REPORT_TITLE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年?度?\s*(?P<w>年報|年报|中期報告|中期报告|"
                           r"(?i:(?:annual|interim)\s+report))|(?P<w2>(?i:(?:annual|interim)\s+report))\s+(?P<y2>(?:19|20)\d{2})")


def report_period_of_title(title: str | None) -> str | None:
    """The period of the report a title names (an annual report's year, an interim report's first half)."""
    m = _REPORT_TITLE.search(title) if title else None
    if m is None:
        return None
    year, word = (m.group("y"), m.group("w")) if m.group("y") else (m.group("y2"), m.group("w2"))
    return f"{year}-H1" if word.lower().startswith(("中期", "interim")) else year


def metrics_of(figures: list[Figure], text: str | None = None, published: str | None = None,
               report: str | None = None) -> list[Metric]:
    """The metric rows of an article's figures. With the article's text (and published date) the whole article is
    read (the paragraph's lead, the dateline, entities in earlier sentences); without it, the figures' sentences.
    report: the period the text reports when its sidecar says (`report_period`: 2024 for an annual report, 2024-Q3),
    which dates what the text leaves undated before the dateline or published date (METRICS.md 2.4, rule 3)."""
    if not figures:
        return []
    moved = figures
    structure = text is not None
    if text is None:
        text, moved = _from_sentences(figures)
    art = _context(moved, text, published, structure=structure, report=report)
    out = []
    for figure, f in zip(figures, moved, strict=True):
        if figure.kind in ("date", "duration"):
            continue
        found = classify(f, art)
        if found is None:
            continue
        rule, is_change = found
        row = _row(rule, is_change, art, f)
        if row["entity"] is None:
            continue  # a value of no one joins no series: the text must name whose it is (or the metric has a default)
        several = _SEVERAL.search(text[art.sentence(f.start)[0]:f.start]) or _SEVERAL_AFTER.match(text, f.end)
        if several and _entity_type(row["entity"]) not in (
                "group", "place", "programme", "payment_system", "event", "fund"):
            continue  # 13家银行合计…, three banks each…: a value of several institutions is not one bank's
        own, ss = _window(art, f)[:2]
        if _EACH_BEFORE.search(text[max(own, f.start - 6):f.start]) or _EACH_AFTER.match(text, f.end):
            continue  # 资产规模均超过4500亿, which all raised $100 million apiece: one value for several
        if _entity_type(row["entity"]) == "place" and _ONE_INSTITUTION.search(text, ss, f.start):
            continue  # "the group's outstanding loans totalled …": one institution's, not the place's
        if rule.banking and _entity_type(row["entity"]) == "place" and (
                _other_sector(text, ss, f.start) or not _BANKING.search(text, ss, art.sentence(f.start)[1])):
            # 壽險業稅前盈餘…, 證券業…: a place's banking results are its banking sector's, not insurers'; a profit
            # whose sentence names no bank is some company's (a results table under its headline), not the place's
            continue
        base = _english_base(art, f, row) if not is_change else None
        if base is not None:
            # "rose to 590 million from 575 million in February": Y has no value_from; X is a row at its own date
            y_end, base_row, (bs, be) = base
            out.append(Metric(**{**row, "value_from": None, "start": figure.start, "end": figure.start + y_end}))
            if base_row is not None:
                out.append(Metric(**{**base_row, "start": figure.start + bs, "end": figure.start + be}))
            continue
        out.append(Metric(**{**row, "start": figure.start, "end": figure.end}))
    return _companion_currencies(_restatements(_headline_of_no_row(out, art)), art)


_EN_BASE = re.compile(r"\s+from\s+(?!the\b|a\b|an\b)(?=\S*\d)")
_BASE_AT_GAP = re.compile(r"\s*(?:in|at|as\s+of|as\s+at|on|by)\s+(?:the\s+)?(?:end\s+of\s+)?", re.I)


def _english_base(art: _Article, f: Figure, row: dict) -> tuple[int, dict | None, tuple[int, int]] | None:
    """An English "Y from X" figure (to 16.11 billion from 16.99 billion in January): (end of Y in the surface, the
    row of X at the date the text gives it, else None, X's span in the surface) (METRICS.md 2.4, from X to Y)."""
    if not f.rule.startswith("en.") or f.value_from is None or isinstance(f.value_from, str):
        return None
    m = _EN_BASE.search(f.surface)
    if m is None or m.start() == 0 or not _NUMBER_START.search(f.surface[:m.start()]):
        return None
    y_end, x_start = m.start(), m.end()
    date: str | None = None
    for d in _dates_in(art, f.end, min(len(art.text), f.end + 20), exact=False):
        if _BASE_AT_GAP.fullmatch(art.text[f.end:d.start]):
            date = str(d.value)
        break
    if date is None:
        gap = re.match(r"\s*", art.text[f.end:f.end + 5])
        month = _EN_MONTH.match(art.text, f.end + (gap.end() if gap else 0))
        ref = _reference_day(art)
        if month and month.group(1) and re.fullmatch(r"\s+in\s+", art.text[f.end:month.start(1)]) and ref:
            n = _EN_MONTHS.index(month.group(1).lower()) + 1
            date = f"{int(ref[:4]) - (1 if n > int(ref[5:7]) else 0):04d}-{n:02d}"
    if date is None:
        return y_end, None, (x_start, len(f.surface))
    value = -abs(float(f.value_from)) if row["value"] < 0 else float(f.value_from)
    currency = row["currency"]
    table = rate_for(currency, date) if f.kind == "money" else None
    base = {**row, "value": value, "value_from": None, "change": None, "qualifier": "exact", "as_of": date,
            "as_of_end": period_end(date), "as_of_source": "sentence", "surface": f.surface[x_start:],
            "value_usd": to_usd(value, currency, date) if f.kind == "money" else None,
            "usd_rate": table.usd_per_unit[currency] if table and currency else None,
            "usd_rate_table": f"{table.start}/{table.end}: {table.source}" if table else None}
    return y_end, base, (x_start, len(f.surface))


_ONE_INSTITUTION = re.compile(r"\bthe\s+(?:group|bank|company|firm|corporation)['’]s\s", re.I)
_EACH_BEFORE = re.compile(r"(?:均|皆|各自|都)\s*$|\b(?:each|both|all)\s+(?:\w+\s+){0,2}$", re.I)
_EACH_AFTER = re.compile(r"\s*(?:apiece|each)\b|\s*(?:元|亿|億|万|萬)?\s*(?:不等)", re.I)
_SECTOR = re.compile(r"(?P<other>保險業|保险业|壽險|寿险|產險|产险|證券|证券|期貨|期货|投信|"
                     r"金融三業|金融三业|金融業|金融业|"
                     r"insurance|insurers|securities firms|brokerages|finance companies|holding companies|"
                     # a nationality's banks in a place are a part of its sector, not the sector (Japanese banks)
                     r"(?:foreign|overseas|(?-i:[A-Z][a-z]+(?:ese|an|ish|ch)))\s+banks)|"
                     r"(?P<bank>銀行|银行|\bbank)", re.I)


# (English: banks or banking; "the bank posted a loss" is one bank's, not the place's sector)
_BANKING = re.compile(r"銀行|银行|認可機構|认可机构|金融業|金融业|金融機構|金融机构|\bbanks\b|\bbanking\b|"
                      r"authori[sz]ed institutions|financial institutions|lenders", re.I)


def _other_sector(text: str, ss: int, start: int) -> bool:
    found = list(_SECTOR.finditer(text, ss, start))
    return bool(found) and found[-1].group("other") is not None


def _headline_of_no_row(rows: list[Metric], art: _Article) -> list[Metric]:
    """A headline that restates a body statement the catalogue makes no row of (a segment's revenue, a breakdown)
    makes none either: a row in the first line whose value a body figure states, when no body row has it."""
    first_line = art.text.find("\n")
    if first_line <= 0 or not _is_heading(art.text, 0):
        return rows
    body_rows = {(m.kind, round(abs(m.value), 6)) for m in rows if m.start > first_line}
    body_figs = {(f.kind, round(abs(float(f.value)), 6)) for f in art.figures
                 if f.start > first_line and f.kind not in ("date", "duration") and isinstance(f.value, (int, float))}
    return [m for m in rows if m.start > first_line or (m.kind, round(abs(m.value), 6)) in body_rows
            or (m.kind, round(abs(m.value), 6)) not in body_figs]


def _companion_currencies(rows: list[Metric], art: _Article) -> list[Metric]:
    """A change of a money metric stated as a percentage joins its level's series: it takes the currency of the
    level rows of the same metric and entity in the article (else none: METRICS.md 2.1)."""
    levels: dict[tuple[str, str | None], str] = {}
    for m in rows:
        if m.currency and not m.metric.endswith("_change"):
            levels.setdefault((m.metric, m.entity), m.currency)
    out = []
    for m in rows:
        rule = _by_key().get(m.metric)
        if m.currency is None and rule is not None and rule.level and "money" in rule.kinds and m.kind != "money":
            currency = levels.get((rule.level, m.entity))
            if currency:
                m = replace(m, currency=currency)
        out.append(m)
    return out


_TRUSTED = {"sentence": 0, "lead": 1, "report": 2, "dateline": 3, "published": 4, None: 5}


def _restatements(rows: list[Metric]) -> list[Metric]:
    """A headline, standfirst or caption that restates a body statement (same metric, entity and value) takes that
    statement's as_of, period and forecast: the one whose as_of the text states most directly."""
    best: dict[tuple, Metric] = {}
    for m in rows:
        key = (m.metric, m.entity, round(m.value, 6))
        if key not in best or _TRUSTED[m.as_of_source] < _TRUSTED[best[key].as_of_source]:
            best[key] = m
    out = []
    for m in rows:
        b = best[(m.metric, m.entity, round(m.value, 6))]
        if _TRUSTED[b.as_of_source] < _TRUSTED[m.as_of_source]:
            m = replace(m, as_of=b.as_of, as_of_end=b.as_of_end, as_of_source=b.as_of_source, period=b.period,
                        forecast=b.forecast, value_usd=b.value_usd if m.currency == b.currency else m.value_usd)
        out.append(m)
    return out


def _row(rule: MetricRule, is_change: bool, art: _Article, figure: Figure) -> dict:
    own, ss, after = _window(art, figure)
    local = art.text[max(ss, figure.start - 30):after]
    value = float(figure.value)
    value_from = None if figure.value_from is None else float(figure.value_from)
    qualifier, change = figure.qualifier, figure.change
    key, unit = rule.key, rule.unit
    negative = False
    if is_change:
        key = f"{rule.key}_change"
        unit = _basis(rule, art, figure, _as_of(art, figure, rule.nature == "event")[0])
        if change is None:
            change = "decrease" if _DECREASE.search(art.text[max(own, figure.start - 12):figure.end]) else "increase"
        if rule.signed and _LOSS.search(local):
            change = "decrease" if _WIDEN.search(local) else "increase" if _NARROW.search(local) else change
        negative = change == "decrease"
        value_from = None
    elif rule.signed and (_is_loss(art.text, ss, figure, min(after, figure.end + 8))
                          or _listed_after_a_loss(art, figure, ss)):
        negative = True
        if _WIDEN.search(local):
            change = "decrease"
        elif _NARROW.search(local):
            change = "increase"
    if negative:
        value = -abs(value)
        value_from = None if value_from is None else -abs(value_from)
        qualifier = _SWAP.get(qualifier, qualifier)
    as_of, source = _as_of(art, figure, rule.nature == "event")
    # "against 61 billion in the previous year": _as_of moves a sentence's own date a year back itself;
    # any other date found for the figure, or a fiscal year put in its place below, is moved at the end
    base_a_year_before = _is_base_a_year_before(art, figure)
    move_back = base_a_year_before and source != "sentence"
    if as_of and as_of.startswith("--"):
        as_of, source = None, None  # 9月30日 in a text that gives no year anywhere: never guess one (2.4, rule 6)
    period = _period(rule, art, figure, is_change)
    if rule.nature == "flow" and as_of and len(as_of) == 10 and as_of in (art.published, art.dateline):
        # the day an article is dated is never the period of a flow: a results report's fiscal year in its opening
        fiscal = _fiscal_in_opening(art)
        if fiscal:
            as_of, source, period = fiscal[0], "lead", period or fiscal[1]
    if rule.nature == "flow":
        fiscal = _fiscal(art, figure)
        if source == "sentence" and (ended := _ended_span(art, figure, as_of)) is not None:
            as_of, period = ended[0], period or ended[1]
        elif fiscal and source in ("sentence", "lead", None, "published", "dateline"):
            as_of, source, period = fiscal[0], "sentence", period or fiscal[1]
            move_back = base_a_year_before
        elif source in ("lead", "published", "dateline", "report", None) and (lead := _fiscal_in_lead(art, figure)):
            as_of, source, period = lead[0], "lead", period or lead[1]
            move_back = base_a_year_before
        elif period is None or period not in ("P1D", "P1W"):
            spanned, span = _span(art, figure, as_of)
            if span and source in ("published", "dateline", None):
                source = "sentence"  # 前七月獲利 in a text of September: the span the sentence states
            if span or period is None:
                # 今年前3季投資收入: the span the sentence states is the figure's, whatever else was read as its period
                as_of, period = spanned, span
        if as_of and as_of.endswith("-12-31") and (is_change or (period is None and rule.results)):
            # a flow's change over the year stated at its end (截至2022年底…上升40%), a result at the year's end (a 1986
            # year end net loss): the year (a running total "as of 31 December" keeps its day)
            as_of = as_of[:4]
    if as_of is None and period and re.fullmatch(r"\d{4}(?:-\d{2})?", period) and not figure.forecast:
        as_of, source, period = period, "sentence", None  # "according to 2023 financial statements"
    if period and not period.startswith("P") and not figure.forecast and rule.nature != "event":
        # a date read as the period of a statement that is no target (by end-2023, 由推出至2020年底則共有193項) is
        # the time the value holds, when the sentence gives none more directly
        if source in (None, "lead", "report", "dateline", "published"):
            as_of, source = period, "sentence"
        period = None
    if move_back and as_of and as_of[:4].isdigit():
        as_of, source = _a_year_back(as_of, source), "sentence"
    elif (source == "report" and as_of and as_of[:4].isdigit() and figure.rule.startswith("en.")
          and _FROM_BEFORE.search(art.text, max(0, figure.start - 12), figure.start)):
        # an annual report's "decreased to 0.67% … from 0.85%" with no date: the base is the year before's
        as_of = _a_year_back(as_of, source)
    forecast = figure.forecast and rule.key != "investment_commitment" and not (
        source == "sentence" and _held_as_of(art, figure, as_of)) and not _is_comparison_base(art, figure) and not (
        # "down from the comparable year-ago quarter, when Salomon earned 117 mln dlrs": a past period's result
        figure.rule.startswith("en.") and (
            _WHEN_A_YEAR_BEFORE.search(art.text, max(0, figure.start - 120), figure.start)
            or _MONTH_WHEN.search(art.text, max(art.sentence(figure.start)[0], figure.start - 90), figure.start)))
    if forecast and (written := _reference_day(art)):
        # the period the figure is for: a date its words join after it (a profit of 90 mln for the year ending
        # December 31, 2032), else the date the sentence gives it
        after_date = _date_after(art, figure, art.sentence(figure.start)[1]) if figure.rule.startswith("en.") else None
        when = str(after_date[0].value) if after_date else as_of if source == "sentence" else None
        if when and (period_end(when) or "") < written:
            # "expects to report a loss for the quarter ended March 31": a past period's result, no forecast
            forecast, as_of, source = False, when, "sentence"
            if rule.nature == "flow" and (ended := _ended_span(art, figure, as_of)) is not None:
                as_of, period = ended[0], period or ended[1]
        elif when and (period is None or period.startswith("P")):
            # METRICS.md 2.6: a forecast's as_of is when it was made (the dateline, else the published date); the
            # period it is for is its target
            as_of, source, period = art.dateline or art.published, "dateline" if art.dateline else "published", when
        elif source == "report" and art.published:
            # the period the article reports is not what a forecast in it is for: it holds when it was made
            as_of, source = art.dateline or art.published, "dateline" if art.dateline else "published"
    if source == "sentence" and as_of and _a_fiscal_quarter(art, figure, as_of):
        as_of, source = None, None  # METRICS.md 2.4, rule 6: never guess a year
    if rule.results and not forecast and source in ("published", "dateline") and not _CURRENT_RATE.search(
            art.text, max(0, figure.start - 60), figure.start):
        # results are a period's: the day of writing is none ("Damon reported a loss of 2.5 mln dlrs on sales of 148
        # mln"), so no as_of rather than a wrong one (a stock holds on that day, and a month's payments were most
        # likely the last month's: they keep it)
        as_of, source = None, None
    currency = _currency(art, figure, rule)
    table = rate_for(currency, as_of) if figure.kind == "money" else None
    return dict(
        metric=key, entity=_entity(rule, art, figure), kind=figure.kind, value=value, unit=unit,
        currency=currency, value_usd=to_usd(value, currency, as_of) if figure.kind == "money" else None,
        usd_rate=table.usd_per_unit[currency] if table and currency else None,
        usd_rate_table=f"{table.start}/{table.end}: {table.source}" if table else None,
        qualifier=qualifier, change=change, value_from=value_from, as_of=as_of, as_of_end=period_end(as_of),
        as_of_source=source, period=period, forecast=forecast,
        article_id=figure.article_id, surface=figure.surface, rule=f"{figure.rule}+metrics.toml:{rule.key}",
    )


# "current annual gross revenues are about 14 mln dlrs": a rate that holds at the time of writing
_CURRENT_RATE = re.compile(r"\b(?:current|present)\s+(?:annual|yearly|annualised|annualized)?\s*(?:[\w-]+\s+)?"
                           r"(?:revenues?|sales|turnover|earnings|income)\b", re.I)
_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\b(?:last|this|next|current|previous|prior)\s+(?:fiscal\s+)?year\b|"
                      r"\byear[-\s](?:ago|earlier)\b", re.I)


_FISCAL_QUARTER = re.compile(r"\bfiscal\s+(?:(?:19|20)\d\d\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th)[- ]"
                             r"(?:quarter|qtr)\b|\b(?:first|second|third|fourth|1st|2nd|3rd|4th)[- ](?:quarter|qtr)\s+"
                             r"(?:of\s+)?(?:its\s+|the\s+)?fiscal\b", re.I)


_REPORTED_RESULTS = re.compile(r"\b(?:reported|reporting|posted|posting|earned)\b", re.I)
_ENDED_MONTH = re.compile(r"\b(?:ended|ending)\s+(?:" + _MONTH_NAMES + r")\b", re.I)


def _a_fiscal_quarter(art: _Article, figure: Figure, as_of: str) -> bool:
    """(English) "third quarter" with no year in news of March: the last calendar third quarter ended more than a
    quarter before, and results are reported within weeks, so it is a fiscal quarter whose months the text does not
    give."""
    if not figure.rule.startswith("en.") or not re.fullmatch(r"\d{4}-Q[1-4]", as_of) or not art.published:
        return False
    ss, se = art.sentence(figure.start)
    if (not figure.forecast and art.published[:10] < (period_end(as_of) or "")
            and _REPORTED_RESULTS.search(art.text, ss, se)):
        # results reported for a calendar quarter that had not ended when the text was written: a fiscal one (not
        # "a provision causing a second quarter loss", which foresees the quarter under way)
        return True
    if _FISCAL_QUARTER.search(art.text, ss, se) and not _ENDED_MONTH.search(art.text, ss, se):
        # "fiscal 1987 third quarter", "the second quarter of fiscal 1986": whose months are not given (unless a
        # quarter "ended March 30" gives them)
        return True
    if _YEAR_IN.search(art.text, ss, se):
        return False
    # the latest quarter the sentence names decides ("in the fourth quarter, up from … in the third quarter")
    quarters = [f.as_of for f in art.figures[bisect_left(art.figure_starts, ss):bisect_left(art.figure_starts, se)]
                if f.as_of and re.fullmatch(r"\d{4}-Q[1-4]", f.as_of)]
    end = period_end(max([as_of, *quarters])) or ""
    try:
        lag = (date.fromisoformat(art.published[:10]) - date.fromisoformat(end)).days
    except ValueError:
        return False
    return lag > 100


# ------------------------------------------------------------------------------------------------ rates


@dataclass(frozen=True, slots=True)
class RateTable:
    start: str  # first day the table covers
    end: str  # last day
    source: str
    usd_per_unit: dict[str, float]


@cache
def _rate_tables() -> tuple[RateTable, ...]:
    tables = lexicon.load("rates.toml")["tables"]
    return tuple(sorted((RateTable(t["start"], t["end"], t["source"], dict(t["usd_per_unit"])) for t in tables),
                        key=lambda t: t.start))


def rate_for(currency: str | None, as_of: str | None) -> RateTable | None:
    """The reference table that covers as_of (by its last day) and has the currency; None where none covers."""
    if currency is None:
        return None
    day = period_end(as_of)
    if day is None:
        return None
    covering = [t for t in _rate_tables() if t.start <= day <= t.end and currency in t.usd_per_unit]
    return covering[-1] if covering else None


def to_usd(value: float, currency: str | None, as_of: str | None) -> float | None:
    """Money in US dollars at the reference rate covering as_of; None where no table covers it."""
    table = rate_for(currency, as_of)
    if table is None or currency is None:
        return None
    return round(value * table.usd_per_unit[currency], 2)


def period_end(iso: str | None) -> str | None:
    """The last day of an ISO date at any precision: 2025 → 2025-12-31, 2025-Q3 → 2025-09-30."""
    if not iso or iso.startswith("-"):
        return None
    year = int(iso[:4])
    rest = iso[5:]
    if not rest:
        month = 12
    elif rest.startswith("Q"):
        month = 3 * int(rest[1])
    elif rest.startswith("H"):
        month = 6 * int(rest[1])
    elif len(rest) == 2:
        month = int(rest)
    else:
        return iso[:10]
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
