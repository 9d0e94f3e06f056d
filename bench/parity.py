"""Cross-language parity of metric rows on parallel texts: the HKMA annual-report chapters exist in English
(`NN_Title.md`) and Traditional Chinese (`CNN_Title.md`), line-aligned, so both should yield the same metric rows
(metric, entity, value, as_of).

    python bench/parity.py [CORPUS_DIR] [--show N]

CORPUS_DIR holds one folder per report year with an `md/` folder of chapters (the layout of
`hkma-annual-reports/ranking/references/track2raw/document_v3`). The report for year Y is taken as published on
30 April of Y+1. Prints per year: chapters, metric rows in each language, rows agreeing, precision (Chinese rows
found in English), recall (English rows found in Chinese) and F1; then the share of non-date figures that became
metric rows (coverage); with --show, N rows that only one language has.
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


def rows(text: str, language: str, published: str | None, report: str | None = None) -> tuple[Counter[tuple], int]:
    figures = extract_figures(text, published=published, language=language)
    found = Counter((m.metric, m.entity, round(m.value, 6), m.as_of)
                    for m in metrics_of(figures, text, published, report=report))
    return found, sum(1 for f in figures if f.kind != "date")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--show", type=int, default=0, help="rows that only one language has, to print")
    a = ap.parse_args()
    if not a.corpus.is_dir():
        print(f"no corpus at {a.corpus}", file=sys.stderr)
        return 2
    total = Counter()
    only: list[tuple[str, str, tuple]] = []
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
            en, en_figures = rows(en_path.read_text("utf-8"), "en", published, report)
            zh, zh_figures = rows(zh_paths[0].read_text("utf-8"), "zh-Hant", published, report)
            both = en & zh
            c.update(pairs=1, en=sum(en.values()), zh=sum(zh.values()), agree=sum(both.values()),
                     en_figures=en_figures, zh_figures=zh_figures)
            only += [(en_path.name, "en", r) for r in (en - zh).elements()]
            only += [(zh_paths[0].name, "zh", r) for r in (zh - en).elements()]
        total.update(c)
        _line(year_dir.name, c)
    _line("all", total)
    print(f"coverage: metric rows / non-date figures: en {total['en']}/{total['en_figures']} = "
          f"{total['en'] / max(total['en_figures'], 1):.1%}, zh-Hant {total['zh']}/{total['zh_figures']} = "
          f"{total['zh'] / max(total['zh_figures'], 1):.1%}")
    for name, lang, row in only[: a.show]:
        print(f"only {lang}: {name}: {row}")
    return 0


def _line(label: str, c: Counter) -> None:
    p = c["agree"] / c["zh"] if c["zh"] else 0.0
    r = c["agree"] / c["en"] if c["en"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{label:6} {c['pairs']:5} {c['en']:5} {c['zh']:5} {c['agree']:5} {p:6.3f} {r:6.3f} {f:6.3f}")


if __name__ == "__main__":
    sys.exit(main())
