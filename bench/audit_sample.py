"""A manual audit sample of metric rows, stratified by corpus: the extractor runs on the three shared corpora
(Chinese financial news, the HKMA annual-report chapters, English newswire) and N rows of each are drawn with a
fixed seed, each printed beside its sentence, for a person to judge key, entity, value and as_of.

    python bench/audit_sample.py [CORPUS_ROOT] [--per 20] [--seed 19] [--articles N]

CORPUS_ROOT holds `fincuge-zh/FinCUGE_Publish/finna/eval_list.json` ([title, article] pairs, no dates),
`hkma-annual-reports/ranking/references/track2raw/document_v3/<year>/md/*.md` (the report for year Y taken as
published on 30 April of Y+1, its report period Y) and `reuters21578/reuters21578/reut2-*.sgm` (newswire of 1987,
each story's <DATE> its published date, its text the title, the dateline and the body as the wire printed them).
At most --articles articles of the news corpora are read, drawn with the seed; every HKMA chapter is read. The
sample is printed, never written: the texts are third-party material and stay out of the repository
(docs/metrics-audit.md describes the judged rows without quoting them).
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from fintech_metrics.parsers import extract_figures, metrics_of

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_REUTERS = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
_DATE = re.compile(r"<DATE>\s*(\d+)-([A-Z]{3})-(\d{4})")
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_DATELINE = re.compile(r"<DATELINE>(.*?)</DATELINE>", re.S)
_TRADITIONAL_HINTS = frozenset("這們個說為與將從對於會來發經過還當實動機關開間")


def zh_news(root: Path, rng: random.Random, limit: int) -> Iterator[tuple[str, str, str, str | None, str | None]]:
    items = json.loads((root / "fincuge-zh" / "FinCUGE_Publish" / "finna" / "eval_list.json").read_text("utf-8"))
    for i in sorted(rng.sample(range(len(items)), min(limit, len(items)))):
        title, body = items[i][0], items[i][1]
        text = f"{title}\n\n{body}"
        lang = "zh-Hant" if any(ch in _TRADITIONAL_HINTS for ch in text) else "zh-Hans"
        yield f"finna#{i}", text, lang, None, None


def hkma(root: Path) -> Iterator[tuple[str, str, str, str | None, str | None]]:
    base = root / "hkma-annual-reports" / "ranking" / "references" / "track2raw" / "document_v3"
    for year_dir in sorted(p for p in base.iterdir() if (p / "md").is_dir() and p.name.isdigit()):
        for path in sorted((year_dir / "md").glob("*.md")):
            lang = "zh-Hant" if path.name.startswith("C") else "en"
            yield (f"{year_dir.name}/{path.name}", path.read_text("utf-8"), lang, f"{int(year_dir.name) + 1}-04-30",
                   year_dir.name)


def newswire(root: Path, rng: random.Random, limit: int) -> Iterator[tuple[str, str, str, str | None, str | None]]:
    stories = []
    for path in sorted((root / "reuters21578" / "reuters21578").glob("reut2-*.sgm")):
        for m in _REUTERS.finditer(path.read_text("latin-1")):
            body = _BODY.search(m.group(2))
            if body:
                stories.append((m.group(1), m.group(2), body.group(1)))
    for newid, raw, body in sorted(rng.sample(stories, min(limit, len(stories)))):
        date = _DATE.search(raw)
        published = (datetime.strptime(f"{date.group(1)}-{date.group(2)}-{date.group(3)}", "%d-%b-%Y")
                     .strftime("%Y-%m-%d") if date else None)
        title = _TITLE.search(raw)
        # the dateline opens the story as the wire printed it ("TORONTO, March 9 - "): where it was filed
        dateline = _DATELINE.search(raw)
        text = html.unescape((title.group(1).strip() + "\n\n" if title else "")
                             + (dateline.group(1).strip() + " " if dateline else "") + body.replace("\x03", "").strip())
        yield f"reuters#{newid}", text, "en", published, None


def sample(docs: Iterator[tuple[str, str, str, str | None, str | None]], rng: random.Random, n: int) -> list[dict]:
    pool = []
    for name, text, lang, published, report in docs:
        figures = extract_figures(text, published=published, language=lang)
        for m in metrics_of(figures, text, published, report=report):
            pool.append({"doc": name, "lang": lang, "metric": m.metric, "entity": m.entity, "value": m.value,
                         "kind": m.kind, "unit": m.unit, "currency": m.currency, "change": m.change,
                         "as_of": m.as_of, "as_of_source": m.as_of_source, "period": m.period,
                         "forecast": m.forecast, "surface": text[m.start:m.end],
                         "context": _sentence(text, m.start, m.end)})
    return pool, sorted(rng.sample(range(len(pool)), min(n, len(pool))))


def _sentence(text: str, start: int, end: int) -> str:
    """The figure's sentence, one line (newswire wraps its lines: a single line break is no sentence end)."""
    lo = max(text.rfind(c, 0, start) for c in ("。", ". ", ".\n", "\n\n", "；")) + 1
    hi = min((i for i in (text.find(c, end) for c in ("。", ". ", ".\n", "\n\n")) if i >= 0), default=len(text))
    lo = max(lo, start - 300)
    return " ".join(text[lo:min(hi + 1, end + 300)].split())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("root", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--per", type=int, default=20, help="rows to draw from each corpus")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--articles", type=int, default=100000, help="news articles to read from each news corpus")
    ap.add_argument("--json", action="store_true", help="print the sample as JSON lines")
    a = ap.parse_args()
    if not a.root.is_dir():
        print(f"no corpora at {a.root}", file=sys.stderr)
        return 2
    n = 0
    for label, docs in (("zh-news", lambda r: zh_news(a.root, r, a.articles)), ("hkma", lambda r: hkma(a.root)),
                        ("newswire", lambda r: newswire(a.root, r, a.articles))):
        rng = random.Random(f"{a.seed}:{label}")
        pool, picked = sample(docs(rng), rng, a.per)
        print(f"# {label}: {len(pool)} metric rows, {len(picked)} drawn")
        for i in picked:
            n += 1
            row = pool[i]
            if a.json:
                print(json.dumps({"n": n, "corpus": label, **row}, ensure_ascii=False))
                continue
            print(f"[{n}] {label} {row['doc']} ({row['lang']})\n    {row['metric']} | {row['entity']} | {row['value']}"
                  f" {row['kind']} {row['currency'] or ''} unit={row['unit']} change={row['change']} | as_of="
                  f"{row['as_of']} ({row['as_of_source']}) period={row['period']} forecast={row['forecast']}\n"
                  f"    surface: {' '.join(row['surface'].split())}\n    context: {row['context']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
