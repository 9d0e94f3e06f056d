"""The record types every layer shares: one per concept, defined once."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

FIGURE_KINDS = ("count", "money", "percent", "points", "multiple", "date", "duration")
QUALIFIERS = ("exact", "more_than", "less_than", "at_least", "at_most", "approx")
CHANGES = ("increase", "decrease")
AS_OF_SOURCES = ("sentence", "lead", "report", "dateline", "published")  # METRICS.md 2.4, most trusted first

# The fields `extract --format jsonl` prints, in order: the public contract of a figure.
FIGURE_FIELDS = (
    "article_id", "start", "end", "surface", "kind", "value", "unit", "currency", "qualifier",
    "change", "value_from", "subject", "entity", "sentence",
)


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What a `<name>.meta.json` sidecar says about an article (all optional)."""

    title: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    published: str | None = None  # ISO 8601 at the precision known: 2025, 2025-11, 2025-11-03
    region: str | None = None  # whose money a bare 元 or $ is (HK, TW, CN, SG, IN …); detected when absent
    report_period: str | None = None  # the period a report covers (2024, 2024-H1, 2024-Q3, 2024-09): METRICS.md 2.4


@dataclass(frozen=True, slots=True)
class Article:
    article_id: str  # first 16 hex digits of content_sha256
    source_path: str  # relative to the raw folder, '/'-separated
    text: str  # decoded, BOM removed
    title: str | None
    source: str | None
    url: str | None
    language: str  # zh-Hans, zh-Hant, en, und
    published: str | None
    encoding: str
    char_count: int
    content_sha256: str
    region: str | None = None  # from the sidecar; the parsers detect it from the text when absent
    report_period: str | None = None  # from the sidecar; else read from a title that names a report's period


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not be loaded, and why: it goes to the quarantine table."""

    source_path: str
    stage: str  # read, decode, meta, validate
    failed_check: str
    reason: str
    values: str | None = None  # JSON of the offending values


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and the parsers make one per
# figure: 2.8 µs each against 0.9 µs, 5% of the parse time of an article.
@dataclass(slots=True)
class Figure:
    """One figure a text states. `value` is a number, or an ISO 8601 string for dates."""

    start: int
    end: int
    surface: str
    kind: str
    value: float | int | str
    unit: str | None = None
    currency: str | None = None
    qualifier: str = "exact"
    change: str | None = None
    value_from: float | int | str | None = None
    subject: str | None = None
    entity: str | None = None
    sentence: str = ""
    # The sentence's span in the text: the table stores these, not the sentence (the text is stored once, with
    # its article), so a figure's row stays small however long its sentence.
    sentence_start: int = 0
    sentence_end: int = 0
    article_id: str = ""
    rule: str = ""
    # Attribution details the metrics layer uses; not part of the printed contract.
    entity_key: str | None = None
    period: str | None = None
    as_of: str | None = None
    as_of_source: str | None = None  # sentence or published (the metrics layer may find a lead or dateline)
    forecast: bool = False

    def public(self) -> dict[str, Any]:
        data = asdict(self)
        return {name: data[name] for name in FIGURE_FIELDS}


@dataclass(frozen=True, slots=True)
class Metric:
    """A figure that measures a known metric, in canonical, language-neutral terms."""

    metric: str
    entity: str | None
    kind: str
    value: float
    unit: str | None
    currency: str | None
    value_usd: float | None
    usd_rate: float | None  # US dollars per unit of currency used for value_usd
    usd_rate_table: str | None  # the rate table's span (2024-01-01/2024-12-31) and source, as rates.toml says
    qualifier: str
    change: str | None
    value_from: float | None
    as_of: str | None
    as_of_end: str | None  # the last day of as_of, for ordering; as_of keeps the stated precision
    as_of_source: str | None  # sentence, lead, report, dateline or published: where as_of was read
    period: str | None
    forecast: bool
    article_id: str
    start: int
    end: int
    surface: str
    rule: str
