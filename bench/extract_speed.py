"""Throughput of `extract_figures` on the shipped articles: articles/s and ms/article.

Usage: python bench/extract_speed.py [--repeat 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from fintech_metrics.parsers import extract_figures

RAW = Path(__file__).resolve().parent.parent / "raw"


def _articles() -> list[tuple[str, str | None]]:
    out = []
    for path in sorted(RAW.glob("*.txt")):
        meta = path.with_name(path.stem + ".meta.json")
        published = json.loads(meta.read_text("utf-8")).get("published") if meta.exists() else None
        out.append((path.read_text("utf-8"), published))
    return out


def measure(repeat: int, rounds: int) -> float:
    """Best seconds per article over `rounds` runs of `repeat` passes (best-of damps machine noise)."""
    articles = _articles()
    extract_figures(articles[0][0], published=articles[0][1])  # load the rule files before timing
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(repeat):
            for text, published in articles:
                extract_figures(text, published=published)
        best = min(best, (time.perf_counter() - t0) / (repeat * len(articles)))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    per = measure(args.repeat, args.rounds)
    print(f"{1 / per:.1f} articles/s  {per * 1000:.3f} ms/article  (best of {args.rounds} x {args.repeat})")


if __name__ == "__main__":
    main()
