"""The parsers: pure functions from an article's text to figures. No I/O, no Prefect, no DuckDB."""

from __future__ import annotations

import hashlib
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
        figures.append(Figure(
            start=cand.start, end=cand.end, surface=text[cand.start:cand.end], kind=cand.kind,
            value=cand.value, unit=cand.unit, currency=cand.currency, qualifier=cand.qualifier,
            change=cand.change, value_from=cand.value_from, subject=who.subject, entity=who.entity,
            sentence=sentence.text, sentence_start=sentence.start, sentence_end=sentence.end,
            article_id=article_id, rule=cand.rule,
            entity_key=who.entity_key, period=who.period, as_of=who.as_of, as_of_source=who.as_of_source,
            forecast=who.forecast,
        ))
    attribution.forget_article()
    return figures


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
