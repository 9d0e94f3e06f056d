"""Benchmark: extraction speed on one core, then the whole flow end to end at several corpus sizes,
with reruns (nothing new, 1% changed). Prints a table; asserts nothing.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python bench/run.py --corpus ../shared/corpus --articles 100000

The generated corpus and warehouses go to --workdir (default: a temporary folder), never the repo.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from corpus import change_articles, load_pools, write_corpus

import fintech_metrics

ROOT = Path(__file__).resolve().parents[1]
# What a scan for figures cannot do without: digits (ASCII and full-width) and Chinese numerals.
BARE_SCAN = re.compile(r"[0-9０-９]+(?:[.,][0-9]+)*|[〇零一二两兩三四五六七八九十百千万萬亿億]+")
PHASES = re.compile(r"seconds: (.+)")


@dataclass
class Timing:
    seconds: float
    peak_rss: int
    flow_seconds: float | None = None
    phases: str | None = None  # the run's own log line: "scan 1.3, extract 205.0, … (50 batches of …)"


def _tree_rss(proc: psutil.Process) -> int:
    try:
        tree = [proc, *proc.children(recursive=True)]
    except psutil.Error:  # the run exited while its children were listed
        return 0
    total = 0
    for p in tree:
        with contextlib.suppress(psutil.Error):  # a child may exit between listing and reading
            total += p.memory_info().rss
    return total


def run_flow(raw: Path, wh: Path, args: argparse.Namespace) -> Timing:
    """`fintech-metrics run` in a subprocess; peak RSS of its whole process tree, sampled."""
    cmd = [sys.executable, "-m", "fintech_metrics.cli", "run", "--raw", str(raw), "--warehouse", str(wh),
           "--runner", args.runner]
    if args.batch_size:
        cmd += ["--batch-size", str(args.batch_size)]
    log = wh.parent / f"{wh.name}.log"
    offset = log.stat().st_size if log.exists() else 0
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "INFO"}  # the flow logs its phases at INFO
    started = time.perf_counter()
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        ps = psutil.Process(proc.pid)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss(ps))
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        done.set()
        sampler.join()
    seconds = time.perf_counter() - started
    if code != 0:
        sys.exit(f"run failed ({code}); see {log}")
    with open(log, "rb") as written:
        written.seek(offset)
        phases = PHASES.findall(written.read().decode("utf-8", "replace"))
    return Timing(seconds, peak, _flow_seconds(wh), phases[-1] if phases else None)


def _flow_seconds(wh: Path) -> float | None:
    """From the run's start (runs.started_at) to its published manifest: the flow without Prefect's start-up."""
    from fintech_metrics import lake

    manifest = wh / "published" / "manifest.json"
    with lake.connect(lake.lake_in(wh), read_only=True) as con:
        started = con.sql("SELECT epoch(max(started_at)) FROM runs").fetchall()[0][0]
    return manifest.stat().st_mtime - started if started else None


def extraction(paths: list[Path], root: Path) -> dict[str, float]:
    """Parsers alone on one core (texts already decoded), beside a bare regex scan of the same texts."""
    from fintech_metrics.ingest import read_article
    from fintech_metrics.parsers import article_figures, metrics_of
    from fintech_metrics.records import Article

    articles = [a for a in (read_article(p, root) for p in paths) if isinstance(a, Article)]
    mb = sum(len(a.text.encode()) for a in articles) / 1e6
    chars = sum(len(a.text) for a in articles) / len(articles)
    article_figures(articles[0])  # load the rule files first
    # CPU time of this process: what one core spends, whatever else the machine is doing.
    figures = 0
    figure_s = metric_s = 0.0
    for a in articles:
        started = time.process_time()
        found = article_figures(a)  # as a batch reads an article: its language, published date and region
        between = time.process_time()
        metrics_of(found, a.text, a.published)
        figure_s += between - started
        metric_s += time.process_time() - between
        figures += len(found)
    parse = figure_s + metric_s
    started = time.perf_counter()
    for a in articles:
        sum(1 for _ in BARE_SCAN.finditer(a.text))
    scan = time.perf_counter() - started
    started = time.perf_counter()
    for p in paths:
        read_article(p, root)
    read = time.perf_counter() - started
    n = len(articles)
    return {"articles": n, "chars": chars, "figures": figures / n, "parse_ms": parse / n * 1000,
            "figures_ms": figure_s / n * 1000, "metrics_ms": metric_s / n * 1000, "parse_aps": n / parse,
            "parse_mbs": mb / parse, "scan_ms": scan / n * 1000, "scan_mbs": mb / scan, "read_ms": read / n * 1000}


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True, help="folder of source texts (JSON, .md, .sgm, .txt)")
    ap.add_argument("--articles", type=int, default=100_000, help="the largest corpus size")
    ap.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes for the end-to-end runs")
    ap.add_argument("--repeat", type=int, default=1, help="end-to-end runs per size (the median is shown)")
    ap.add_argument("--extract-sample", type=int, default=1000, help="articles in the one-core extraction test")
    ap.add_argument("--batch-size", type=int, help="files per task (default: the flow's own choice)")
    ap.add_argument("--runner", default="process")
    ap.add_argument("--changed", type=float, default=0.01, help="share of articles changed for the last rerun")
    ap.add_argument("--reruns", type=int, default=1,
                    help="changed reruns after each first run, each changing another share (the median is shown)")
    ap.add_argument("--workdir", type=Path, help="where the corpus and warehouses go (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the workdir")
    args = ap.parse_args()
    sizes = sorted({n for n in map(int, args.sizes.split(",")) if n < args.articles} | {args.articles})
    work = args.workdir or Path(tempfile.mkdtemp(prefix="fm-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if work.resolve().is_relative_to(ROOT) and not work.resolve().is_relative_to(ROOT / "bench" / "work"):
        sys.exit("--workdir inside the project must be under bench/work/ (git-ignored)")
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GiB RAM; "
          f"Python {sys.version.split()[0]}; workdir {work}")
    print(f"parsers: {fintech_metrics.PARSERS}")
    try:
        started = time.perf_counter()
        pools = load_pools(args.corpus)
        print("source paragraphs: " + ", ".join(f"{k} {len(v):,} ({sum(map(len, v)):,} chars)"
                                                 for k, v in sorted(pools.paragraphs.items())))
        every = work / "corpus"
        if not every.exists() or len(list(every.rglob("*.txt"))) != sizes[-1]:
            shutil.rmtree(every, ignore_errors=True)
            write_corpus(pools, every, sizes[-1])
        paths = sorted(every.rglob("*.txt"))
        print(f"corpus: {len(paths):,} articles, {_mb(_dir_size(every))} "
              f"(built in {time.perf_counter() - started:.0f} s)\n")

        ex = extraction(paths[: args.extract_sample], every)
        print(f"## extraction, one core ({ex['articles']:,} articles, {ex['chars']:,.0f} chars, "
              f"{ex['figures']:.1f} figures each)")
        print("| step | ms/article | articles/s | MB/s |\n| --- | --- | --- | --- |")
        print(f"| parsers (figures + metrics) | {ex['parse_ms']:.2f} | {ex['parse_aps']:,.0f} | "
              f"{ex['parse_mbs']:.2f} |")
        print(f"| figures alone (article_figures) | {ex['figures_ms']:.2f} | {1000 / ex['figures_ms']:,.0f} | |")
        print(f"| metric rows alone (metrics_of) | {ex['metrics_ms']:.2f} | {1000 / ex['metrics_ms']:,.0f} | |")
        print(f"| bare regex scan (digits, numerals) | {ex['scan_ms']:.3f} | {1000 / ex['scan_ms']:,.0f} | "
              f"{ex['scan_mbs']:.1f} |")
        print(f"| read + decode + detect language | {ex['read_ms']:.2f} | {1000 / ex['read_ms']:,.0f} | |")
        print(f"parsers / bare scan: {ex['parse_ms'] / ex['scan_ms']:.0f}x\n")

        print(f"## end to end: fintech-metrics run (runner {args.runner}, batch size {args.batch_size or 'auto'}, "
              f"{os.cpu_count()} cores; median of {args.repeat}, changed reruns median of {args.repeat * args.reruns})")
        print("| articles | run | wall s | flow s | articles/s | peak RSS (tree) | warehouse | snapshot |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        phases: list[str] = []
        for n in sizes:
            rows: dict[str, list[Timing]] = {"first": [], "rerun, nothing new": [],
                                             f"rerun, {args.changed:.0%} changed": []}
            for _ in range(args.repeat):
                raw, wh = work / f"raw-{n}", work / f"wh-{n}"
                shutil.rmtree(raw, ignore_errors=True)
                shutil.rmtree(wh, ignore_errors=True)
                for p in paths[:n]:  # links, not copies: the raw folder of each size costs no space
                    target = raw / p.relative_to(every)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.link(p, target)
                first, again = run_flow(raw, wh, args), run_flow(raw, wh, args)
                rows["first"].append(first)
                rows["rerun, nothing new"].append(again)
                for k in range(args.reruns):
                    change_articles(pools, sorted(raw.rglob("*.txt")), args.changed, seed=11 + k)
                    rows[f"rerun, {args.changed:.0%} changed"].append(run_flow(raw, wh, args))
            db = (wh / "catalog.sqlite").stat().st_size + _dir_size(wh / "data")  # the DuckLake
            exports = wh / "exports"  # a link into published/ before the exports were written on request
            snap = _dir_size((wh / "published").resolve()) + (0 if exports.is_symlink() else _dir_size(exports))
            phases.extend(f"- {n:,}, {label}: {t[-1].phases}" for label, t in rows.items() if t and t[-1].phases)
            for label, timings in rows.items():
                if not timings:
                    continue  # --reruns 0
                wall = statistics.median(t.seconds for t in timings)
                flow_s = statistics.median(t.flow_seconds or 0 for t in timings)
                peak = max(t.peak_rss for t in timings)
                touched = n if label == "first" else max(1, round(n * args.changed)) if "changed" in label else 0
                rate = f"{touched / wall:,.0f}" if touched else "-"
                print(f"| {n:,} | {label} | {wall:.1f} | {flow_s:.1f} | {rate} | {_mb(peak)} | {_mb(db)} | "
                      f"{_mb(snap)} |", flush=True)
            shutil.rmtree(work / f"raw-{n}", ignore_errors=True)
            if not args.keep:
                shutil.rmtree(work / f"wh-{n}", ignore_errors=True)
        print("\nflow phases in seconds (the last run of each kind):\n" + "\n".join(phases))
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
