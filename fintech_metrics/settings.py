"""Where things live. Every path resolves from the project root, never the working directory."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("FINTECH_METRICS_ROOT", Path(__file__).resolve().parents[1]))


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse_dir: Path

    @property
    def db_path(self) -> Path:
        return self.warehouse_dir / "fintech.duckdb"

    @property
    def exports_dir(self) -> Path:
        return self.warehouse_dir / "exports"

    @property
    def snapshot_path(self) -> Path:
        """The read-only copy readers use, so they never touch the file the flow writes."""
        return self.warehouse_dir / "published" / "fintech.duckdb"

    @property
    def prefect_home(self) -> Path:
        return self.warehouse_dir / ".prefect"


def load_settings(raw_dir: Path | str | None = None, warehouse_dir: Path | str | None = None) -> Settings:
    raw = Path(raw_dir or os.environ.get("FINTECH_METRICS_RAW") or PROJECT_ROOT / "raw")
    wh = Path(warehouse_dir or os.environ.get("FINTECH_METRICS_WAREHOUSE") or PROJECT_ROOT / "warehouse")
    return Settings(_absolute(raw), _absolute(wh))


def _absolute(path: Path) -> Path:
    return (path if path.is_absolute() else PROJECT_ROOT / path).resolve()


def prefect_environment(settings: Settings) -> dict[str, str]:
    """Prefect settings for a local run: data under the warehouse, no analytics, quiet logs."""
    return {
        "PREFECT_HOME": str(settings.prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
    }


READER_TMP_ENV = "FINTECH_METRICS_READER_TMP"


def reader_spill_dir(snapshot: Path | str) -> str:
    """A folder of its own for one read-only connection to spill to: under FINTECH_METRICS_READER_TMP, else
    under `<warehouse>/.reader-tmp` (the warehouse holding `published/fintech.duckdb`; any other snapshot file:
    `.reader-tmp` beside it). DuckDB creates the folder when a query first spills and removes it when the
    connection closes; a folder per connection, because closing one removes its folder, spills and all. ''
    (spill nowhere: a query that does not fit in memory fails) when the parent cannot be created, as for a
    server given no write access."""
    configured = os.environ.get(READER_TMP_ENV)
    if configured:
        base = Path(configured)
    else:
        folder = Path(snapshot).absolute().parent
        base = (folder.parent if folder.name == "published" else folder) / ".reader-tmp"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return ""
    return str(base / f"{os.getpid()}-{uuid.uuid4().hex[:12]}")
