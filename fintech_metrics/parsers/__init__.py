"""The parsers: pure functions from an article's text to figures. No I/O, no Prefect, no DuckDB."""

from __future__ import annotations

import hashlib
from dataclasses import fields
from importlib import resources

from ..records import Article, Figure, Metric
from . import attribution, en, lexicon, metrics, segments, zh
from . import region as _region

__all__ = ["EXTRACTOR_VERSION", "article_figures", "article_metrics", "detect_region", "extract_figures", "metrics_of",
           "report_period_of_title"]

detect_region = _region.detect_region

metrics_of = metrics.metrics_of
report_period_of_title = metrics.report_period_of_title


def extract_figures(text: str, *, published: str | None = None, language: str | None = None,
                    article_id: str = "", region: str | None = None) -> list[Figure]:
    """Every figure the text states, in text order. `region` (HK, TW, CN, SG, IN …) says whose money a bare 元,
    $ or dollar is; without it the region is detected from the text.

    >>> [f.surface for f in extract_figures("香港的金融科技公司已超过1200家。", published="2025-11")]
    ['超过1200家']
    """
    cands = en.find_figures_en(text, published) if language == "en" else zh.find_figures_zh(text, published)
    if not cands:
        return []
    where = region if region is not None else detect_region(text, language=language)
    _region.apply_context_currency(cands, text, language, where)
    segs = segments.split(text)
    mentions = attribution.find_mentions(text)
    cand_starts = [c.start for c in cands]
    mention_starts = [m.start for m in mentions]
    breaks = segments.clause_breaks(text)
    figures = []
    sentence = None
    for cand in cands:
        if cand.rule.endswith(".deictic"):
            continue  # 今年, last year: no figure, though it dated the figures around it (read in attribution)
        si = segs.index_of(cand.start)
        if sentence is None or sentence.index != si:
            sentence = attribution.sentence(text, segs, si, cands, cand_starts, mentions, mention_starts, breaks)
        who = attribution.attribute(text, sentence, cand, published)
        # Positional, in _FIGURE_ORDER: keywords cost 0.8 µs more per figure.
        figures.append(Figure(
            cand.start, cand.end, text[cand.start:cand.end], cand.kind, cand.value, cand.unit, cand.currency,
            cand.qualifier, cand.change, cand.value_from, who.subject, who.entity, sentence.text, sentence.start,
            sentence.end, article_id, cand.rule, who.entity_key, who.period, who.as_of, who.as_of_source,
            who.forecast,
        ))
    attribution.forget_article()
    return figures


# The field order extract_figures passes a Figure's fields in.
_FIGURE_ORDER = ("start", "end", "surface", "kind", "value", "unit", "currency", "qualifier", "change", "value_from",
                 "subject", "entity", "sentence", "sentence_start", "sentence_end", "article_id", "rule", "entity_key",
                 "period", "as_of", "as_of_source", "forecast")
if tuple(field.name for field in fields(Figure)) != _FIGURE_ORDER:
    raise ImportError("records.Figure's fields changed order: update extract_figures and _FIGURE_ORDER")


def article_figures(article: Article) -> list[Figure]:
    """The figures of a loaded article, read with its language and published date."""
    where = _region.normalise(article.region) or detect_region(
        article.text, language=article.language, title=article.title, url=article.url, source=article.source)
    return extract_figures(article.text, published=article.published, language=article.language,
                           article_id=article.article_id, region=where)


def article_metrics(article: Article, figures: list[Figure]) -> list[Metric]:
    """The metric rows of a loaded article's figures: the whole text read, dated by its published date and by the
    period it reports (the sidecar's `report_period`, else the one its title names: 2022年年報, Annual Report 2023)."""
    report = article.report_period or report_period_of_title(article.title)
    return metrics_of(figures, article.text, article.published, report=report)


def _version() -> str:
    """Derived from the parser code and rule files: a change to either re-extracts what it touched."""
    digest = hashlib.sha256(lexicon.data_bytes())
    package = resources.files(__package__)
    for source in sorted((p for p in package.iterdir() if p.name.endswith(".py")), key=lambda p: p.name):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


EXTRACTOR_VERSION = _version()
