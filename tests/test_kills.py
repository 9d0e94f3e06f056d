"""Runs killed in every phase (at each crash point, and by SIGKILL at random moments): the warehouse is never
half-loaded, and what readers see (a query, the page, every download, the manifest) always describes one committed
snapshot, both right after the kill and after the next run (which must finish the work)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from conftest import open_lake
from fastapi.testclient import TestClient

from fintech_metrics.faults import POINTS
from fintech_metrics.reader import run_query
from fintech_metrics.server import ServeConfig, create_app
from fintech_metrics.warehouse import content_generation

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ("articles", "figures", "metrics", "quarantine", "sources")
COMMITTED = ("publish",)  # crash points after the load's commit


def _dump(warehouse: Path) -> dict[str, list[tuple]]:
    with open_lake(warehouse) as con:
        return {t: con.sql(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in CONTENT}


def published_state(wh: Path) -> dict[str, int]:
    """Rows per relation of the published snapshot, after checking that the manifest (snapshot, generation, row
    counts), a query (as readers query), the page (the server's catalogue) and every download (Parquet and CSV, as
    the server sends them, written on first request) agree on it."""
    manifest = json.loads((wh / "published" / "manifest.json").read_text("utf-8"))
    snapshot = manifest["snapshot_id"]
    with open_lake(wh, at=snapshot) as con:
        assert manifest["generation"] == content_generation(con)
        relations = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
            "AND NOT internal UNION SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND NOT internal").fetchall()}
    assert set(manifest["tables"]) == relations
    client = TestClient(create_app(ServeConfig(snapshot_path=wh / "catalog.sqlite", exports_dir=wh / "exports")))
    page = client.get("/api/tables").json()
    assert page["snapshot_id"] == snapshot
    on_page = {t["name"]: t["rows"] for t in page["tables"]}
    counts = {}
    for name, entry in manifest["tables"].items():
        queried = run_query(f'select count(*) from "{name}"', wh / "catalog.sqlite").rows[0][0]
        parquet, csv = (client.get(f"/exports/{name}.{fmt}") for fmt in ("parquet", "csv"))
        assert [r.headers["x-warehouse-snapshot"] for r in (parquet, csv)] == [str(snapshot)] * 2, name
        in_parquet = pq.ParquetFile(io.BytesIO(parquet.content)).metadata.num_rows
        in_csv = pl.scan_csv(io.BytesIO(csv.content), infer_schema=False).select(pl.len()).collect().item()
        assert queried == entry["rows"] == on_page[name] == in_parquet == in_csv, (
            name, queried, entry["rows"], on_page[name], in_parquet, in_csv)
        counts[name] = queried
    return counts


def _prefect_env(home: Path) -> dict[str, str]:
    """The runs use the test session's Prefect server (prefect_harness): starting one per run costs more
    than the run."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": str(PREFECT_API_URL.value())}


def _start(raw: Path, wh: Path, log: Path, crash_at: str | None = None) -> subprocess.Popen:
    env = _prefect_env(wh.parent / "prefect-home")
    env.pop("FINTECH_METRICS_CRASH_AT", None)
    if crash_at:
        env["FINTECH_METRICS_CRASH_AT"] = crash_at
    cmd = [sys.executable, "-m", "fintech_metrics.cli", "run", "--raw", str(raw), "--warehouse", str(wh)]
    # Output to a file, not a pipe: a killed run's children could hold a pipe open.
    with open(log, "w", encoding="utf-8") as out:
        return subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _finish(proc: subprocess.Popen, timeout: float = 240) -> int:
    try:
        return proc.wait(timeout=timeout)
    finally:
        with contextlib.suppress(ProcessLookupError):  # the whole group: a killed run's workers too
            os.killpg(proc.pid, signal.SIGKILL)


def _run(raw: Path, wh: Path, crash_at: str | None = None) -> subprocess.CompletedProcess:
    log = wh.parent / f"run-{crash_at or 'clean'}-{time.monotonic_ns()}.log"
    code = _finish(_start(raw, wh, log, crash_at))
    text = log.read_text(encoding="utf-8")
    return subprocess.CompletedProcess([], code, text, text)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, prefect_harness) -> tuple[Path, Path]:
    """A warehouse after one clean run over the shipped article."""
    root = tmp_path_factory.mktemp("baseline")
    raw = root / "raw"
    shutil.copytree(ROOT / "raw", raw)
    done = _run(raw, root / "wh")
    assert done.returncode == 0, done.stderr[-2000:]
    return raw, root / "wh"


def _copy(baseline: tuple[Path, Path], into: Path) -> tuple[Path, Path]:
    raw, wh = into / "raw", into / "wh"
    shutil.copytree(baseline[0], raw)
    shutil.copytree(baseline[1], wh, symlinks=True)
    return raw, wh


@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_at_any_point_leaves_the_warehouse_whole_and_the_next_run_publishes_it(
        baseline, tmp_path, point):
    raw, wh = _copy(baseline, tmp_path)
    before = _dump(wh)
    published_before = published_state(wh)
    (raw / "new.txt").write_text("香港有超过1200家金融科技公司,其中8家是虚拟银行。", encoding="utf-8")

    killed = _run(raw, wh, crash_at=point)
    assert killed.returncode == -signal.SIGKILL
    after_kill = _dump(wh)
    if point in COMMITTED:  # the load had committed: the warehouse is the new state, readers still see the old
        assert len(after_kill["articles"]) == len(before["articles"]) + 1
    else:
        assert after_kill == before
    assert published_state(wh) == published_before  # readers still see the last good snapshot, whole

    done = _run(raw, wh)  # after a kill past the commit, this run has nothing new to read
    assert done.returncode == 0, done.stderr[-2000:]
    published = published_state(wh)
    assert (published["articles"], published["figures"]) == (2, 26)
    assert len(_dump(wh)["articles"]) == len(before["articles"]) + 1
    assert not (wh / ".staging").exists()


def test_a_publish_after_a_load_that_died_unpublished_names_the_committed_snapshot(built_warehouse, tmp_path):
    """What a run killed after its load's commit leaves: committed content the published snapshot lacks. Readers and
    downloads stay on the published snapshot; the next publish (of a run with nothing new) moves them all to the
    committed one, and the downloads of the one before it go with the next publish."""
    from fintech_metrics import warehouse
    from fintech_metrics.settings import load_settings

    wh = tmp_path / "wh"
    shutil.copytree(built_warehouse, wh, symlinks=True)
    settings = load_settings(ROOT / "raw", wh)
    stale = published_state(wh)
    first = json.loads((wh / "published" / "manifest.json").read_text("utf-8"))["snapshot_id"]
    with open_lake(settings.warehouse_dir, write=True) as con:  # a load that committed, then died before publishing
        con.execute("DELETE FROM figures WHERE kind = 'date'").fetchall()
        con.execute("INSERT INTO runs SELECT * REPLACE ('killed' AS run_id, files_new + 1 AS files_new, "
                    "started_at + INTERVAL 1 HOUR AS started_at) FROM runs").fetchall()
        committed = con.execute("SELECT id FROM warehouse.current_snapshot()").fetchall()[0][0]
    assert published_state(wh) == stale
    warehouse.publish(settings, "next")
    published = published_state(wh)
    assert published["figures"] == stale["figures"] - 6
    manifest = json.loads((wh / "published" / "manifest.json").read_text("utf-8"))
    assert (manifest["generation"], manifest["snapshot_id"]) == ("killed", committed)
    assert sorted(p.name for p in (wh / "exports").iterdir()) == [str(first), str(committed)]

    warehouse.publish(settings, "again")  # nothing committed since: the same snapshot, its downloads kept
    assert published_state(wh) == published
    assert sorted(p.name for p in (wh / "exports").iterdir()) == [str(committed)]


def _phase_reached(wh: Path, code: int | None) -> str:
    """Where a killed run had got to: nothing committed, committed but not published, or published."""
    if code == 0:
        return "finished"
    manifest = json.loads((wh / "published" / "manifest.json").read_text("utf-8"))
    with open_lake(wh) as con:
        committed = content_generation(con)
    return "before the commit" if committed == manifest["generation"] else "between the commit and the switch"


def _article(i: int) -> str:
    """A short article of its own (distinct text, so a distinct id) stating three figures."""
    return (f"第{i}号报告显示，香港有超过{1000 + i}家金融科技公司。"
            f"其中{i % 7 + 2}家是虚拟银行，年增长率高达{10 + i % 50}%。")


@pytest.mark.slow
def test_random_kills_in_every_phase_never_leave_the_published_state_inconsistent(baseline, tmp_path):
    """Kills after changes to raw/ (new, changed and deleted files), every other one a SIGKILL at a random moment
    of the run, the others at a random crash point. After every kill the published state agrees with itself, and
    one clean run then publishes what raw/ holds.
    FINTECH_METRICS_KILLS (default 4) and FINTECH_METRICS_KILL_SEED choose how many kills and when."""
    raw, wh = _copy(baseline, tmp_path)
    rng = random.Random(int(os.environ.get("FINTECH_METRICS_KILL_SEED", "17")))
    files: dict[str, int] = {}
    n = 0
    started = time.monotonic()
    clean = _run(raw, wh)  # a run with nothing new, timed: kills land anywhere in a run's length
    assert clean.returncode == 0, clean.stderr[-2000:]
    length = time.monotonic() - started
    outcomes = []
    for kill in range(int(os.environ.get("FINTECH_METRICS_KILLS", "4"))):
        n += 1
        name = f"k{n:02d}.txt"
        (raw / name).write_text(_article(n), encoding="utf-8")
        files[name] = n
        if kill % 2 and len(files) > 1:  # change one file, delete another
            changed = rng.choice(sorted(files))
            n += 1
            (raw / changed).write_text(_article(n), encoding="utf-8")
            files[changed] = n
            gone = rng.choice(sorted(set(files) - {changed}))
            (raw / gone).unlink()
            del files[gone]
        log = tmp_path / f"kill-{kill}.log"
        point = rng.choice(POINTS) if kill % 2 else None
        proc = _start(raw, wh, log, crash_at=point)
        if point is None:
            time.sleep(rng.uniform(0.2, 1.5) * length)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        _finish(proc)
        published_state(wh)  # whatever it holds, it agrees with itself
        outcomes.append(_phase_reached(wh, proc.returncode))
    print("kills:", {phase: outcomes.count(phase) for phase in sorted(set(outcomes))})
    done = _run(raw, wh)
    assert done.returncode == 0, done.stderr[-2000:]
    published = published_state(wh)
    with open_lake(wh) as con:
        present = con.sql("SELECT source_path FROM articles WHERE present ORDER BY 1").fetchall()
        committed = {t: con.sql(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in published}
    assert [p for (p,) in present] == sorted([*files, "hk-fintech-week-2025.zh-Hans.txt"])
    assert published == committed
    assert not (wh / ".staging").exists()
