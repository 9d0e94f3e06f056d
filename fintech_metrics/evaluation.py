"""Score the extractor against annotated articles: figures by CONVENTIONS §13 of the gold set, metric rows by key,
entity and value, then field by field.

The scoring functions are pure (gold, text and predictions in, counts out); `load_folder` reads a gold folder and
`evaluate` runs a prediction function over it. The figure scoring agrees exactly with the reference scorer
(`score_figures.py`): the same matching, the same defaults, the same counts.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# ---------------------------------------------------------------------------------------------- figures

KIND_ALIASES = {"currency": "money", "year": "date", "period": "duration"}
QUALIFIER_ALIASES = {"up_to": "at_most"}
DEFAULTS: dict[str, Any] = {"qualifier": "exact", "currency": None, "change": None, "value_from": None}
FIGURE_FIELDS = ("value", "kind", "currency", "qualifier", "change", "value_from", "unit")

# Time-unit words, most specific first (工作日 before 日, 周年 before 周).
TIME_UNIT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("business_day", ("工作日", "營業日", "营业日", "交易日", "business day", "working day", "trading day",
                      "business_day")),
    ("year", ("周年", "週年", "anniversary")),
    ("week", ("星期", "礼拜", "禮拜", "周", "週", "week", "wk")),
    ("quarter", ("季", "quarter", "qtr")),
    ("month", ("月", "month")),
    ("day", ("天", "日", "day")),
    ("year", ("年", "year", "yr")),
    ("hour", ("小时", "小時", "hour")),
    ("minute", ("分钟", "分鐘", "minute")),
)


def norm_kind(kind: str | None) -> str | None:
    return KIND_ALIASES.get(kind, kind) if kind else kind


def gold_kind(g: dict) -> str | None:
    """The gold's kind; a gold file that gives only a unit category is mapped ('other' to multiple or points)."""
    if g.get("kind"):
        return norm_kind(g["kind"])
    unit = g.get("unit") or g.get("unit_raw")
    if unit == "other":
        blob = f"{g.get('surface', '')} {g.get('note') or ''}".lower()
        return "multiple" if any(w in blob for w in ("倍", "multiple", "times", "fold")) else "points"
    return norm_kind(unit)


def _date_string(v: Any) -> Any:
    """A date written as the number YYYYMMDD, YYYYMM or YYYY becomes its ISO string."""
    if isinstance(v, int) and not isinstance(v, bool):
        s = str(v)
        if len(s) == 8:
            return f"{s[:4]}-{s[4:6]}-{s[6:]}"
        if len(s) == 6:
            return f"{s[:4]}-{s[4:]}"
        return s
    return v


def _gold_field(g: dict, name: str) -> Any:
    v = g.get(name, DEFAULTS.get(name))
    if name == "qualifier":
        return QUALIFIER_ALIASES.get(v, v)
    if name in ("value", "value_from") and gold_kind(g) == "date":
        if name == "value" and g.get("iso"):
            return g["iso"]
        return _date_string(v)
    return v


def time_unit_of_word(word: Any) -> str | None:
    if not word:
        return None
    w = str(word).strip().lower()
    for unit, words in TIME_UNIT_WORDS:
        if w == unit or any(x in w for x in words):
            return unit
    return None


def _time_unit_of(p: dict) -> str | None:
    if p.get("time_unit"):
        return time_unit_of_word(p["time_unit"])
    return time_unit_of_word(p.get("unit")) or time_unit_of_word(p.get("surface"))


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return str(a) == str(b)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _spans(g: dict, text: str) -> list[tuple[int, int]]:
    """A gold item's span, or every occurrence of its surface when it has no offsets."""
    if g.get("start") is not None and g.get("end") is not None:
        return [(g["start"], g["end"])]
    out: list[tuple[int, int]] = []
    surface = g.get("surface") or ""
    i = text.find(surface) if surface else -1
    while i >= 0:
        out.append((i, i + len(surface)))
        i = text.find(surface, i + 1)
    return out


def figure_differences(p: dict, g: dict) -> list[str]:
    """The fields in which predicted figure p differs from gold figure g (empty when it is right)."""
    diffs = []
    if norm_kind(p.get("kind")) != gold_kind(g):
        diffs.append("kind")
    if not same_value(p.get("value"), _gold_field(g, "value")):
        diffs.append("value")
    for name, default in DEFAULTS.items():
        gv = _gold_field(g, name)
        pv = p.get(name, default)
        if name == "qualifier":
            pv = QUALIFIER_ALIASES.get(pv, pv)
        if name == "value_from":
            if (gv is None) != (pv is None) or (gv is not None and not same_value(pv, gv)):
                diffs.append(name)
        elif (gv or default) != (pv or default):
            diffs.append(name)
    gold_unit = g.get("time_unit")
    if gold_unit and norm_kind(p.get("kind")) == "duration" and _time_unit_of(p) != time_unit_of_word(gold_unit):
        diffs.append("unit")
    return diffs


@dataclass
class Error:
    """One scoring error, with where it is: `what` is wrong, missed, extra or negative."""

    what: str
    start: int
    end: int
    surface: str
    fields: tuple[str, ...] = ()
    gold: dict[str, Any] | None = None
    pred: dict[str, Any] | None = None
    note: str | None = None


@dataclass
class Tally:
    """Counts for one group (an article, a language, a kind): P/R/F1 follow from them."""

    files: int = 0
    gold: int = 0
    pred: int = 0
    correct: int = 0
    wrong: int = 0
    extra: int = 0
    missed: int = 0
    negatives: int = 0

    def add(self, other: Tally) -> None:
        for name in ("files", "gold", "pred", "correct", "wrong", "extra", "missed", "negatives"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.correct / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"files": self.files, "gold": self.gold, "pred": self.pred, "correct": self.correct,
                "wrong": self.wrong, "extra": self.extra, "missed": self.missed, "negatives": self.negatives,
                "precision": round(self.precision, 6), "recall": round(self.recall, 6), "f1": round(self.f1, 6)}


@dataclass
class FigureScore:
    tally: Tally
    by_kind: dict[str, Tally]
    by_field: Counter[str]
    errors: list[Error]


_FIGURE_SHOWN = ("kind", "value", "unit", "currency", "qualifier", "change", "value_from")


def score_figures(gold: dict | list, text: str, preds: Iterable[dict]) -> FigureScore:
    """Match predicted figures to the gold's by span overlap (CONVENTIONS §13) and count them."""
    gold = {"figures": gold, "negatives": []} if isinstance(gold, list) else gold
    figures = gold["figures"]
    preds = list(preds)
    gspans = [_spans(g, text) for g in figures]
    used: set[int] = set()
    errors: list[Error] = []
    by_kind: dict[str, Tally] = {}
    by_field: Counter[str] = Counter()
    matched: list[tuple[tuple[int, int], int | None]] = []
    tally = Tally(files=1, gold=len(figures), pred=len(preds))

    def kind_tally(kind: str | None) -> Tally:
        return by_kind.setdefault(kind or "?", Tally())

    for g in figures:
        kind_tally(gold_kind(g)).gold += 1
    for p in sorted(preds, key=lambda r: (r.get("start", 0), r.get("end", 0))):
        ps = (p.get("start", -1), p.get("end", -1))
        kind_tally(norm_kind(p.get("kind"))).pred += 1
        cands = [gi for gi, ss in enumerate(gspans) if gi not in used and any(_overlaps(ps, s) for s in ss)]
        # prefer a gold figure this prediction gets entirely right, then the one it overlaps most
        exact = [gi for gi in cands if not figure_differences(p, figures[gi])]
        ranked = exact or sorted(cands, key=lambda gi: -max(min(ps[1], s[1]) - max(ps[0], s[0]) for s in gspans[gi]))
        if not ranked:
            tally.extra += 1
            kind_tally(norm_kind(p.get("kind"))).extra += 1
            matched.append((ps, None))
            errors.append(Error("extra", ps[0], ps[1], p.get("surface") or text[ps[0]:ps[1]],
                                pred={k: p.get(k) for k in _FIGURE_SHOWN}))
            continue
        hit = ranked[0]
        used.add(hit)
        matched.append((ps, hit))
        g = figures[hit]
        diffs = figure_differences(p, g)
        if diffs:
            tally.wrong += 1
            kind_tally(gold_kind(g)).wrong += 1
            by_field.update(diffs)
            errors.append(Error("wrong", ps[0], ps[1], g.get("surface") or "", tuple(diffs),
                                gold={k: g.get(k, DEFAULTS.get(k)) for k in (*_FIGURE_SHOWN[:3], *DEFAULTS,
                                                                              "time_unit")},
                                pred={k: p.get(k) for k in _FIGURE_SHOWN}, note=g.get("note")))
        else:
            tally.correct += 1
            kind_tally(gold_kind(g)).correct += 1
    for gi, g in enumerate(figures):
        if gi not in used:
            tally.missed += 1
            kind_tally(gold_kind(g)).missed += 1
            s, e = gspans[gi][0] if gspans[gi] else (-1, -1)
            errors.append(Error("missed", s, e, g.get("surface") or "",
                                gold={k: g.get(k) for k in ("kind", "value", "currency", "qualifier", "change",
                                                            "value_from")}, note=g.get("note")))

    def reports(ps: tuple[int, int], hit: int | None, ns: tuple[int, int]) -> bool:
        # a prediction that overlaps a negative reports it, unless the gold figure it matched overlaps it too
        return _overlaps(ps, ns) and (hit is None or not any(_overlaps(ns, s) for s in gspans[hit]))

    for n in gold.get("negatives") or []:
        nspans = _spans(n, text)
        if any(reports(ps, hit, ns) for ns in nspans for ps, hit in matched):
            tally.negatives += 1
            s, e = nspans[0]
            errors.append(Error("negative", s, e, n.get("surface") or "", note=n.get("why")))
    errors.sort(key=lambda err: (err.start, err.what))
    return FigureScore(tally, by_kind, by_field, errors)


# ---------------------------------------------------------------------------------------------- metric rows

METRIC_KEY = ("metric", "entity", "value")
METRIC_FIELDS = ("unit", "currency", "qualifier", "change", "value_from", "as_of", "as_of_source", "period",
                 "forecast")
METRIC_DEFAULTS: dict[str, Any] = {"qualifier": "exact", "forecast": False}


def _metric_field(row: dict, name: str) -> Any:
    v = row.get(name)
    return METRIC_DEFAULTS.get(name) if v is None else v


def metric_key_differences(p: dict, g: dict) -> list[str]:
    """Which of metric, entity and value differ: a row is right when none does."""
    diffs = [name for name in ("metric", "entity") if p.get(name) != g.get(name)]
    if p.get("value") is None or g.get("value") is None or not same_value(p["value"], g["value"]):
        diffs.append("value")
    return diffs


def metric_field_differences(p: dict, g: dict) -> list[str]:
    """The other fields of a right row that differ (missing = null; qualifier exact; forecast false)."""
    diffs = []
    for name in METRIC_FIELDS:
        pv, gv = _metric_field(p, name), _metric_field(g, name)
        if name == "value_from":
            if (pv is None) != (gv is None) or (pv is not None and not same_value(pv, gv)):
                diffs.append(name)
        elif pv != gv:
            diffs.append(name)
    return diffs


@dataclass
class MetricScore:
    tally: Tally
    key_errors: Counter[str]  # among matched but wrong rows: metric, entity, value
    fields_right: Counter[str]  # among right rows: how many have each other field right
    fields_total: int  # right rows compared
    errors: list[Error]


_METRIC_SHOWN = ("metric", "entity", "value", *METRIC_FIELDS)


def score_metrics(gold_rows: list[dict], preds: Iterable[dict]) -> MetricScore:
    """Match predicted metric rows to gold rows by span overlap with the gold row's anchor figure; a match is right
    when metric, entity and value agree, and then each other field is compared."""
    preds = list(preds)
    used: set[int] = set()
    tally = Tally(files=1, gold=len(gold_rows), pred=len(preds))
    key_errors: Counter[str] = Counter()
    fields_right: Counter[str] = Counter()
    errors: list[Error] = []
    gspans = [(g["start"], g["end"]) for g in gold_rows]
    for p in sorted(preds, key=lambda r: (r["start"], r["end"])):
        ps = (p["start"], p["end"])
        cands = [gi for gi, gs in enumerate(gspans) if gi not in used and _overlaps(ps, gs)]
        exact = [gi for gi in cands if not metric_key_differences(p, gold_rows[gi])]
        ranked = exact or sorted(cands, key=lambda gi: -(min(ps[1], gspans[gi][1]) - max(ps[0], gspans[gi][0])))
        shown_p = {k: p.get(k) for k in _METRIC_SHOWN}
        if not ranked:
            tally.extra += 1
            errors.append(Error("extra", ps[0], ps[1], p.get("surface") or "", pred=shown_p))
            continue
        hit = ranked[0]
        used.add(hit)
        g = gold_rows[hit]
        shown_g = {k: g.get(k) for k in _METRIC_SHOWN}
        diffs = metric_key_differences(p, g)
        if diffs:
            tally.wrong += 1
            key_errors.update(diffs)
            errors.append(Error("wrong", ps[0], ps[1], g.get("surface") or "", tuple(diffs), shown_g, shown_p,
                                g.get("note")))
            continue
        tally.correct += 1
        field_diffs = metric_field_differences(p, g)
        fields_right.update(name for name in METRIC_FIELDS if name not in field_diffs)
        if field_diffs:
            errors.append(Error("field", ps[0], ps[1], g.get("surface") or "", tuple(field_diffs), shown_g, shown_p,
                                g.get("note")))
    for gi, g in enumerate(gold_rows):
        if gi not in used:
            tally.missed += 1
            errors.append(Error("missed", g["start"], g["end"], g.get("surface") or "",
                                gold={k: g.get(k) for k in _METRIC_SHOWN}, note=g.get("note")))
    errors.sort(key=lambda err: (err.start, err.what))
    return MetricScore(tally, key_errors, fields_right, tally.correct, errors)


# ---------------------------------------------------------------------------------------------- a gold folder


@dataclass
class GoldArticle:
    name: str
    text_path: Path
    text: str
    language: str
    gold: dict
    metric_rows: list[dict] | None  # None when the folder has no <name>.metrics.json


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def load_folder(folder: Path) -> list[GoldArticle]:
    """Every `<name>.gold.json` of a folder with its text, language (sidecar, else the gold's) and metric rows."""
    out = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        gold = _read_json(gold_path)
        if isinstance(gold, list):
            gold = {"figures": gold, "negatives": []}
        text_path = folder / f"{name}.txt"
        if not text_path.exists() and gold.get("article"):
            text_path = folder / gold["article"]
        if not text_path.exists():
            raise FileNotFoundError(f"{gold_path.name}: its text {text_path.name} is not in {folder}")
        meta_path = folder / f"{name}.meta.json"
        meta = _read_json(meta_path) if meta_path.exists() else {}
        text = text_path.read_text(encoding="utf-8-sig")
        if gold.get("strip_header"):
            text = "\n".join(line for line in text.split("\n") if not line.startswith("# "))
        metrics_path = folder / f"{name}.metrics.json"
        rows = None
        if metrics_path.exists():
            loaded = _read_json(metrics_path)
            rows = loaded.get("metrics", []) if isinstance(loaded, dict) else loaded
        out.append(GoldArticle(name, text_path, text, meta.get("language") or gold.get("language") or "?", gold,
                               rows))
    return out


@dataclass
class ArticleResult:
    name: str
    language: str
    text: str
    figures: FigureScore
    metrics: MetricScore | None


@dataclass
class Report:
    articles: list[ArticleResult] = field(default_factory=list)

    def figure_totals(self) -> tuple[dict[str, Tally], Tally]:
        by_lang: dict[str, Tally] = {}
        total = Tally()
        for a in self.articles:
            by_lang.setdefault(a.language, Tally()).add(a.figures.tally)
            total.add(a.figures.tally)
        return dict(sorted(by_lang.items())), total

    def kind_totals(self) -> dict[str, Tally]:
        out: dict[str, Tally] = {}
        for a in self.articles:
            for kind, t in a.figures.by_kind.items():
                out.setdefault(kind, Tally()).add(t)
        return dict(sorted(out.items()))

    def by_field(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for a in self.articles:
            out.update(a.figures.by_field)
        return out

    def has_metrics(self) -> bool:
        return any(a.metrics is not None for a in self.articles)

    def metric_totals(self) -> dict[str, tuple[Tally, Counter[str], Counter[str]]]:
        """Per language and 'all': the tally, the key errors and the fields right among right rows."""
        out: dict[str, tuple[Tally, Counter[str], Counter[str]]] = {}
        for a in self.articles:
            if a.metrics is None:
                continue
            for lang in (a.language, "all"):
                tally, keys, fields = out.setdefault(lang, (Tally(), Counter(), Counter()))
                tally.add(a.metrics.tally)
                keys.update(a.metrics.key_errors)
                fields.update(a.metrics.fields_right)
        return dict(sorted(out.items(), key=lambda kv: (kv[0] == "all", kv[0])))


Predict = Callable[[GoldArticle], tuple[list[dict], list[dict]]]
"""An article to its predicted figures and metric rows (dicts with start, end and the scored fields)."""


def evaluate(articles: list[GoldArticle], predict: Predict) -> Report:
    report = Report()
    for article in articles:
        figures, metric_rows = predict(article)
        report.articles.append(ArticleResult(
            article.name, article.language, article.text, score_figures(article.gold, article.text, figures),
            None if article.metric_rows is None else score_metrics(article.metric_rows, metric_rows),
        ))
    return report


# ---------------------------------------------------------------------------------------------- output

_HEAD = (f"{'lang':8} {'files':>5} {'gold':>5} {'pred':>5} {'correct':>7} {'wrong':>5} {'extra':>5} {'missed':>6} "
         f"{'neg':>4} {'P':>6} {'R':>6} {'F1':>6}")


def _row(label: str, t: Tally, files: bool = True) -> str:
    return (f"{label:8} {t.files if files else '':>5} {t.gold:5} {t.pred:5} {t.correct:7} {t.wrong:5} {t.extra:5} "
            f"{t.missed:6} {t.negatives:4} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}")


def _sentence_at(text: str, start: int) -> str:
    from .parsers.segments import split

    if start < 0:
        return ""
    return split(text).sentence_text(start).replace("\n", " ")


def _brief(d: dict | None) -> str:
    if not d:
        return ""
    return " ".join(f"{k}={v}" for k, v in d.items() if v is not None and v is not False and v != "exact")


def error_lines(result: ArticleResult, metrics: bool) -> list[str]:
    """Each error of an article beside its sentence."""
    lines = []
    errs = [("figure", e) for e in result.figures.errors]
    if metrics and result.metrics is not None:
        errs += [("metric", e) for e in result.metrics.errors]
    for scope, e in errs:
        head = f"{result.name}:{e.start} {scope} {e.what.upper()}"
        if e.fields:
            head += " " + ",".join(e.fields)
        head += f" {e.surface!r}"
        lines.append(head)
        if e.gold is not None:
            lines.append(f"    gold: {_brief(e.gold)}")
        if e.pred is not None:
            lines.append(f"    ours: {_brief(e.pred)}")
        if e.note:
            lines.append(f"    note: {e.note}")
        lines.append(f"    sentence: {_sentence_at(result.text, e.start)}")
    return lines


def format_table(report: Report, *, by_field: bool = False, errors: bool = False) -> str:
    out: list[str] = []
    if errors:
        for a in report.articles:
            out.extend(error_lines(a, metrics=True))
        if out:
            out.append("")
    out.append("figures by language")
    out.append(_HEAD)
    by_lang, total = report.figure_totals()
    out.extend(_row(lang, t) for lang, t in [*by_lang.items(), ("all", total)])
    out.append("")
    out.append("figures by kind")
    out.append(_HEAD.replace("lang    ", "kind    "))
    out.extend(_row(kind, t, files=False) for kind, t in report.kind_totals().items())
    counts = report.by_field()
    out.append("")
    out.append(f"wrong fields (wrong predictions: {total.wrong}): "
               + " ".join(f"{f}={counts.get(f, 0)}" for f in FIGURE_FIELDS))
    if by_field:
        out.append("wrong fields by language:")
        for lang in by_lang:
            c: Counter[str] = Counter()
            for a in report.articles:
                if a.language == lang:
                    c.update(a.figures.by_field)
            out.append(f"  {lang:8} " + " ".join(f"{f}={c.get(f, 0)}" for f in FIGURE_FIELDS))
    if report.has_metrics():
        out.append("")
        out.append("metric rows (right when metric, entity and value agree)")
        out.append(_HEAD)
        totals = report.metric_totals()
        out.extend(_row(lang, t) for lang, (t, _, _) in totals.items())
        out.append("")
        out.append("metric rows, wrong key fields (metric, entity, value) and other fields right among right rows:")
        for lang, (t, keys, fields) in totals.items():
            key_part = " ".join(f"{k}={keys.get(k, 0)}" for k in METRIC_KEY)
            field_part = " ".join(f"{f}={fields.get(f, 0)}/{t.correct}" for f in METRIC_FIELDS)
            out.append(f"  {lang:8} wrong: {key_part}; right: {field_part}")
    p, r, f = total.precision, total.recall, total.f1
    langs = " ".join(f"{lang}:F1={t.f1:.3f}" for lang, t in by_lang.items())
    out.append("")
    out.append(f"figures: {total.files} files, {total.gold} figures: P={p:.3f} R={r:.3f} F1={f:.3f} "
               f"(correct={total.correct} wrong={total.wrong} extra={total.extra} missed={total.missed} "
               f"negatives_reported={total.negatives}; {langs})")
    return "\n".join(out) + "\n"


def _error_dict(e: Error, text: str) -> dict[str, Any]:
    return {"what": e.what, "start": e.start, "end": e.end, "surface": e.surface, "fields": list(e.fields),
            "gold": e.gold, "pred": e.pred, "note": e.note, "sentence": _sentence_at(text, e.start)}


def to_json(report: Report, *, errors: bool = False) -> dict[str, Any]:
    by_lang, total = report.figure_totals()
    out: dict[str, Any] = {
        "figures": {
            "by_language": {lang: t.as_dict() for lang, t in by_lang.items()},
            "all": total.as_dict(),
            "by_kind": {kind: t.as_dict() for kind, t in report.kind_totals().items()},
            "wrong_fields": {f: report.by_field().get(f, 0) for f in FIGURE_FIELDS},
        },
        "articles": [{"name": a.name, "language": a.language, "figures": a.figures.tally.as_dict(),
                      "metrics": None if a.metrics is None else a.metrics.tally.as_dict()} for a in report.articles],
    }
    if report.has_metrics():
        out["metrics"] = {
            lang: {**t.as_dict(), "wrong_key_fields": {k: keys.get(k, 0) for k in METRIC_KEY},
                   "fields_right": {f: fields.get(f, 0) for f in METRIC_FIELDS}}
            for lang, (t, keys, fields) in report.metric_totals().items()
        }
    if errors:
        out["errors"] = [
            {"article": a.name, "scope": scope, **_error_dict(e, a.text)}
            for a in report.articles
            for scope, errs in (("figure", a.figures.errors), ("metric", a.metrics.errors if a.metrics else []))
            for e in errs
        ]
    return out
