"""Where things live. Every path resolves from the project root, never the working directory."""

from __future__ import annotations

import os
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
