"""Cross-language parity of metric rows on parallel texts: the HKMA annual-report chapters exist in English
(`NN_Title.md`) and Traditional Chinese (`CNN_Title.md`), line-aligned, so both should yield the same metric rows
(metric, entity, value, as_of).

    python bench/parity.py [CORPUS_DIR] [--show N] [--context]

CORPUS_DIR holds one folder per report year with an `md/` folder of chapters (the layout of
`hkma-annual-reports/ranking/references/track2raw/document_v3`). The report for year Y is taken as published on
30 April of Y+1. Prints per year: chapters, metric rows in each language, rows agreeing, precision (Chinese rows
found in English), recall (English rows found in Chinese) and F1; then the share of non-date figures that became
metric rows (coverage). A row is compared as (metric, entity, value, as_of); a Chinese from-to whose start value has
a date of its own also counts that start as a point of the series (the English "to Y from X a year earlier" makes it a
row), and a change stated as a multiple counts as the per cent a translation states. With --show, N rows that only
one language has; with --context also the line of each such row in both languages (the chapters are line-aligned),
to read a disagreement beside its sentences.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from fintech_metrics.parsers import extract_figures, metrics_of

DEFAULT = (Path(__file__).resolve().parents[2] / "shared" / "corpus" / "hkma-annual-reports" / "ranking" / "references"
           / "track2raw" / "document_v3")
_CHAPTER = re.compile(r"(\d\d)_.+\.md")


def rows(text: str, language: str, published: str | None, report: str | None = None,
         lines: dict | None = None) -> tuple[Counter[tuple], int]:
    """The metric rows of a chapter as (metric, entity, value, as_of), and its non-date figures; `lines`, when
    given, gets each row's line number (0-based) in the chapter."""
    figures = extract_figures(text, published=published, language=language)
    dates = [f for f in figures if f.kind == "date"]
    found = Counter()
    for m in metrics_of(figures, text, published, report=report):
        keys = [(m.metric, m.entity, _comparable(m), m.as_of)]
        start = _dated_start(m, text, dates)
        if start is not None:
            keys.append((m.metric, m.entity, round(m.value_from, 6), start))
        for key in keys:
            found[key] += 1
            if lines is not None:
                line_start = text.rfind("\n", 0, m.start) + 1
                lines.setdefault(key, (text.count("\n", 0, m.start), m.start - line_start))
    return found, sum(1 for f in figures if f.kind != "date")


def _comparable(m) -> float:
    """The value as the other language would state it: a change stored as written as a multiple (急增2.3倍, "an
    increase of 2.3 times") is the relative change in per cent the translation gives (soared 230%)."""
    if m.metric.endswith("_change") and m.kind == "multiple" and m.change in ("increase", "decrease"):
        return round(m.value * 100, 6)
    return round(m.value, 6)


_FROM = re.compile(r"(?:由|從|从)\s*$")
_OF_START = re.compile(r"\s*的\s*(\d[\d,]*(?:\.\d+)?)")


def _dated_start(m, text: str, dates: list) -> str | None:
    """The date of a Chinese from-to's start value when the text gives it its own (由2015年底的0.69%升至2016年底的
    0.72%): METRICS.md 2.4 keeps that start as the row's value_from, while the English "to 0.72% from 0.69% a year
    earlier" makes it a row of its own at its date. Both state the same point of the series, so both count."""
    if not m.rule.startswith("zh.") or m.value_from is None or m.metric.endswith("_change"):
        return None
    found = None
    for d in dates:
        if not (m.start - 40 <= d.start and d.end <= m.start) or not _FROM.search(text[max(0, d.start - 3):d.start]):
            continue
        x = _OF_START.match(text, d.end)
        if x is None or "至" not in text[x.end():m.end] and "到" not in text[x.end():m.end]:
            continue
        n = float(x.group(1).replace(",", ""))
        ratio = abs(m.value_from) / n if n else 0.0
        if ratio > 0 and any(abs(ratio / 10 ** k - 1) < 1e-9 for k in (0, 3, 4, 6, 8, 9, 12)):
            found = str(d.value)
    return None if found == m.as_of else found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--show", type=int, default=0, help="rows that only one language has, to print")
    ap.add_argument("--context", action="store_true", help="with --show, print each row's line in both languages")
    a = ap.parse_args()
    if not a.corpus.is_dir():
        print(f"no corpus at {a.corpus}", file=sys.stderr)
        return 2
    total = Counter()
    only: list[tuple[str, str, tuple, str]] = []
    print(f"{'year':6} {'pairs':>5} {'en':>5} {'zh':>5} {'agree':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for year_dir in sorted(p for p in a.corpus.iterdir() if (p / "md").is_dir()):
        published = f"{int(year_dir.name) + 1}-04-30" if year_dir.name.isdigit() else None
        c = Counter()
        for en_path in sorted((year_dir / "md").glob("[0-9][0-9]_*.md")):
            number = _CHAPTER.fullmatch(en_path.name)
            zh_paths = sorted((year_dir / "md").glob(f"C{number.group(1)}_*.md")) if number else []
            if not zh_paths:
                continue
            report = year_dir.name if year_dir.name.isdigit() else None  # the sidecar's report_period of a chapter
            en_text, zh_text = en_path.read_text("utf-8"), zh_paths[0].read_text("utf-8")
            en_lines: dict = {}
            zh_lines: dict = {}
            en, en_figures = rows(en_text, "en", published, report, en_lines)
            zh, zh_figures = rows(zh_text, "zh-Hant", published, report, zh_lines)
            both = en & zh
            c.update(pairs=1, en=sum(en.values()), zh=sum(zh.values()), agree=sum(both.values()),
                     en_figures=en_figures, zh_figures=zh_figures)
            only += [(en_path.name, "en", r, _both_lines(en_lines[r], en_text, zh_text, "en") if a.context else "")
                     for r in (en - zh).elements()]
            only += [(zh_paths[0].name, "zh", r, _both_lines(zh_lines[r], en_text, zh_text, "zh") if a.context else "")
                     for r in (zh - en).elements()]
        total.update(c)
        _line(year_dir.name, c)
    _line("all", total)
    print(f"coverage: metric rows / non-date figures: en {total['en']}/{total['en_figures']} = "
          f"{total['en'] / max(total['en_figures'], 1):.1%}, zh-Hant {total['zh']}/{total['zh_figures']} = "
          f"{total['zh'] / max(total['zh_figures'], 1):.1%}")
    for name, lang, row, context in only[: a.show]:
        print(f"only {lang}: {name}: {row}{context}")
    return 0


def _both_lines(at: tuple[int, int], en_text: str, zh_text: str, own: str) -> str:
    """The stretch of the row's line around the row, and the same stretch (by proportion) of the other language's
    line."""
    n, col = at
    out = [f"\n  line {n + 1}"]
    own_line = (en_text if own == "en" else zh_text).split("\n")[n]
    for lang, text in (("en", en_text), ("zh", zh_text)):
        lines = text.split("\n")
        line = lines[n] if n < len(lines) else ""
        centre = col if lang == own else int(col * len(line) / max(len(own_line), 1))
        half = 160 if lang == "en" else 80
        out.append(f"  {lang}: {line[max(0, centre - half):centre + half]}")
    return "\n".join(out)


def _line(label: str, c: Counter) -> None:
    p = c["agree"] / c["zh"] if c["zh"] else 0.0
    r = c["agree"] / c["en"] if c["en"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{label:6} {c['pairs']:5} {c['en']:5} {c['zh']:5} {c['agree']:5} {p:6.3f} {r:6.3f} {f:6.3f}")


if __name__ == "__main__":
    sys.exit(main())
