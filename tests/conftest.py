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


@pytest.fixture(scope="module")
def served_warehouse(tmp_path_factory) -> Path:
    """A warehouse for the server, built by the layers the flow calls (no Prefect): the shipped article,
    one recorded run, Parquet and CSV exports, a published snapshot."""
    import datetime as dt

    import polars as pl

    from fintech_metrics import batch, warehouse
    from fintech_metrics.settings import load_settings
    from fintech_metrics.validation import validate_batch
    from schemas import TABLES

    root = tmp_path_factory.mktemp("served")
    settings = load_settings(ARTICLE.parent, root)
    result = batch.extract_batch([ARTICLE], ARTICLE.parent)
    articles, figures, quarantine = validate_batch(result.articles, result.figures)
    run = pl.DataFrame([{
        "run_id": "run-1", "started_at": dt.datetime(2025, 11, 5, 8, 29, 58, tzinfo=dt.UTC),
        "finished_at": dt.datetime(2025, 11, 5, 8, 30, tzinfo=dt.UTC), "status": "completed",
        "raw_dir": str(ARTICLE.parent), "articles_read": 1, "articles_loaded": 1, "figures_loaded": 24,
        "rows_quarantined": 0, "extractor_version": "test",
    }], schema=TABLES["runs"].polars_schema())
    with warehouse.connect(settings.db_path) as con:
        warehouse.replace_content(con, {"articles": articles, "figures": figures, "quarantine": quarantine})
        warehouse.record_run(con, run)
        warehouse.export_tables(con, settings.exports_dir)
    warehouse.publish_snapshot(settings.db_path, settings.snapshot_path)
    return root
