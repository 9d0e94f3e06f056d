"""Figures to canonical metrics: the taxonomy (metrics.toml) says what a figure measures, the entity
rules say about whom, and the reference rates (rates.toml) give its value in US dollars."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cache

from ..records import Figure, Metric
from . import lexicon, scanning


@dataclass(frozen=True, slots=True)
class MetricRule:
    key: str
    description: str
    kinds: tuple[str, ...]
    subjects: tuple[tuple[str, ...], ...]  # each alternative: words that must all appear (lower-cased)
    phrases: tuple[tuple[str, ...], ...]  # the same, in the sentence of a figure without a subject
    context: tuple[str, ...]
    entity_prefix: tuple[str, ...]
    change: bool | None
    unit: str | None


@cache
def taxonomy() -> tuple[MetricRule, ...]:
    return tuple(
        MetricRule(
            key=key,
            description=spec["description"],
            kinds=tuple(spec["kinds"]),
            subjects=tuple(tuple(alt.lower().split("+")) for alt in spec["subjects"]),
            phrases=tuple(tuple(alt.lower().split("+")) for alt in spec.get("phrases", ())),
            context=tuple(spec.get("context", ())),
            entity_prefix=tuple(spec.get("entity_prefix", ())),
            change=spec.get("change"),
            unit=spec.get("unit"),
        )
        for key, spec in lexicon.load("metrics.toml").items()
    )


def _any_all(alternatives: tuple[tuple[str, ...], ...], lowered: str) -> bool:
    return any(all(word in lowered for word in alt) for alt in alternatives)


def _matches(rule: MetricRule, figure: Figure, subject: str) -> bool:
    """subject: the figure's subject, lower-cased once for every rule."""
    if figure.kind not in rule.kinds:
        return False
    if subject:
        if not _any_all(rule.subjects, subject):
            return False
    elif not _any_all(rule.phrases, figure.sentence.lower()):
        return False
    if rule.context and not any(word in figure.sentence for word in rule.context):
        return False
    if rule.entity_prefix and not (figure.entity_key or "").startswith(rule.entity_prefix):
        return False
    return rule.change is None or rule.change == (figure.change is not None)


@dataclass(frozen=True, slots=True)
class _Index:
    """Which rules a figure can match, found without testing every rule: a rule whose subject words do not
    occur in the subject cannot match it, and a figure without a subject can only match a rule with phrases."""

    finder: re.Pattern[str]  # the longest subject word at each position (group 1), overlapping ones too
    rules_by_word: dict[str, frozenset[int]]  # a word found -> rules with it or a shorter word inside it
    always: frozenset[int]  # rules with an empty subject word, which is in every subject
    with_phrases: tuple[int, ...]


@cache
def _index() -> _Index:
    rules = taxonomy()
    by_word: dict[str, set[int]] = {}
    always: set[int] = set()
    for i, rule in enumerate(rules):
        for word in {w for alt in rule.subjects for w in alt}:
            (by_word.setdefault(word, set()) if word else always).add(i)
    # The finder gives the longest word at each position; a word inside it is there too.
    rules_by_word = {
        found: frozenset(i for word, ids in by_word.items() if word in found for i in ids) for found in by_word
    }
    return _Index(
        finder=scanning.gate(scanning.initials(list(by_word)), re.compile(f"({lexicon.alternation(list(by_word))})"))
        if by_word else re.compile("(?!)"),
        rules_by_word=rules_by_word,
        always=frozenset(always),
        with_phrases=tuple(i for i, rule in enumerate(rules) if rule.phrases),
    )


def _candidates(subject: str) -> list[int]:
    """The rules, in taxonomy order, that the figure's subject (lower-cased) could match."""
    index = _index()
    if not subject:
        return list(index.with_phrases)
    found = set(index.always)
    for m in index.finder.finditer(subject):
        found |= index.rules_by_word[m.group(1)]
    return sorted(found)


def classify(figure: Figure) -> MetricRule | None:
    """The first taxonomy entry the figure matches; dates are never metrics (they give as_of/period)."""
    if figure.kind == "date":
        return None
    subject = (figure.subject or "").lower()
    rules = taxonomy()
    return next((rules[i] for i in _candidates(subject) if _matches(rules[i], figure, subject)), None)


def metrics_of(figures: list[Figure]) -> list[Metric]:
    out = []
    for figure in figures:
        rule = classify(figure)
        if rule is None:
            continue
        value = float(figure.value)
        out.append(Metric(
            metric=rule.key, entity=figure.entity_key, kind=figure.kind, value=value, unit=rule.unit,
            currency=figure.currency, value_usd=to_usd(value, figure.currency, figure.as_of),
            qualifier=figure.qualifier, change=figure.change,
            value_from=None if figure.value_from is None else float(figure.value_from),
            as_of=figure.as_of, as_of_end=period_end(figure.as_of), period=figure.period,
            forecast=figure.forecast, article_id=figure.article_id, start=figure.start, end=figure.end,
            surface=figure.surface, rule=f"{figure.rule}+metrics.toml:{rule.key}",
        ))
    return out


@cache
def _rate_tables() -> tuple[tuple[str, dict[str, float]], ...]:
    tables = lexicon.load("rates.toml")["tables"]
    return tuple(sorted((t["date"], dict(t["usd_per_unit"])) for t in tables))


def to_usd(value: float, currency: str | None, as_of: str | None) -> float | None:
    """Money in US dollars with the latest reference table dated on or before as_of."""
    if currency is None:
        return None
    tables = _rate_tables()
    day = period_end(as_of) or tables[-1][0]
    chosen = [rates for date, rates in tables if date <= day] or [tables[0][1]]
    rate = chosen[-1].get(currency)
    return None if rate is None else round(value * rate, 2)


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
