"""Shared fixtures. Prefect runs against a throwaway test server with its home in a temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = ROOT / "raw" / "hk-fintech-week-2025.zh-Hans.txt"

# Before anything imports Prefect: keep its state out of ~/.prefect and send nothing anywhere.
_PREFECT_HOME = tempfile.mkdtemp(prefix="fm-prefect-home-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)


def open_lake(warehouse: Path, *, write: bool = False, at: int | None = None):
    """The warehouse's DuckLake, as a test reads (or, with `write`, changes) it: the last committed snapshot."""
    from fintech_metrics import lake

    return lake.connect(lake.lake_in(warehouse), read_only=not write, at=at)


def small_warehouse(root: Path, *statements: str) -> Path:
    """A warehouse of the tables `statements` make, published as a run publishes it (a manifest naming its
    snapshot): the catalog file readers open."""
    from fintech_metrics import lake

    with lake.connect(lake.lake_in(root)) as con:
        for statement in statements:
            con.execute(statement).fetchall()
        snapshot = lake.current_snapshot(con)
    (root / "published").mkdir(parents=True, exist_ok=True)
    (root / "published" / "manifest.json").write_text(json.dumps({"snapshot_id": snapshot, "tables": {}}))
    return root / "catalog.sqlite"


@pytest.fixture(scope="session")
def article_text() -> str:
    return ARTICLE.read_text(encoding="utf-8-sig")


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((FIXTURES / "hk-fintech-week-2025.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A temporary copy of the shipped raw/ folder."""
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    return raw


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory, prefect_harness) -> Path:
    """A warehouse built by one run of the flow over the shipped raw/ folder."""
    from flows.pipeline import build

    root = tmp_path_factory.mktemp("built")
    build(raw_dir=str(ROOT / "raw"), warehouse_dir=str(root))
    return root


@pytest.fixture(scope="module")
def served_warehouse(built_warehouse: Path, tmp_path_factory) -> Path:
    """A copy of the built warehouse whose one run finished at a known time, republished."""
    import datetime as dt

    from fintech_metrics import warehouse
    from fintech_metrics.settings import load_settings

    root = tmp_path_factory.mktemp("served")
    shutil.copytree(built_warehouse, root, dirs_exist_ok=True, symlinks=True)
    settings = load_settings(ARTICLE.parent, root)
    with open_lake(root, write=True) as con:
        con.execute("UPDATE runs SET finished_at = ?", [dt.datetime(2025, 11, 5, 8, 30, tzinfo=dt.UTC)]).fetchall()
    warehouse.publish(settings, "served")
    return root
