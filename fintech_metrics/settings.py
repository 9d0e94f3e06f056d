"""Every setting in one list (`SETTINGS`): its option, environment variable, default and help. The CLI's
options, the server's and the query runner's defaults, and the README's settings table (a test holds them
to it) all come from this list; nothing else reads the environment for them.

Paths resolve from the project folder: FINTECH_METRICS_ROOT, else the current folder, never the folder the
package happens to be installed in.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    commands: tuple[str, ...] = ()  # the commands that take it as an option; () for the environment only
    flag: str = ""  # the option, when it is not the name with dashes
    env: str = ""  # the environment variable, when it is not FINTECH_METRICS_<NAME>
    kind: type | None = None  # the value's type, when the default (None) does not tell it

    @property
    def option(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    @property
    def envvar(self) -> str:
        return self.env or "FINTECH_METRICS_" + self.name.upper()

    def from_env(self) -> Any:
        """The environment's value (typed like the default), else the default."""
        raw = os.environ.get(self.envvar)
        if raw is None or raw == "":
            return self.default
        kind = self.kind or (type(self.default) if self.default is not None else str)
        return kind(raw)


WAREHOUSE_COMMANDS = ("run", "schedule", "query", "export", "serve", "maintain")  # the commands that open it

SETTINGS = {s.name: s for s in [
    Setting("root", None, "Project folder: raw/ and warehouse/ default to folders in it (default: the current "
            "folder)."),
    Setting("raw", None, "Folder of articles (default: raw/ in the project folder).", ("run", "schedule")),
    Setting("warehouse", None, "Warehouse folder (default: warehouse/ in the project folder).", WAREHOUSE_COMMANDS),
    Setting("catalog", None, "The warehouse's DuckLake catalog: sqlite:<file>, or postgres:<libpq connection "
            "string> (dbname=… host=…) for a team (default: catalog.sqlite in the warehouse folder).",
            WAREHOUSE_COMMANDS),
    Setting("data_path", None, "Where the warehouse's Parquet files go: a folder, or an s3://, gs:// or r2:// URL "
            "(default: data/ in the warehouse folder).", WAREHOUSE_COMMANDS),
    Setting("batch_size", None, "Files per Prefect task (default: about four batches per worker, 500 to 2,000 "
            "files).", ("run", "schedule"), kind=int),
    Setting("runner", "process", "Where batches run: process (all cores here) or dask.", ("run",)),
    Setting("address", None, "Dask scheduler (tcp://host:8786); none: a LocalCluster.", ("run",)),
    Setting("workers", None, "Worker processes (default: one per core).", ("run",), kind=int),
    Setting("cron", "0 * * * *", "When to run, as a cron expression (UTC).", ("schedule",)),
    Setting("prefect_port", None, "Port for the local Prefect server (default: a free one).", ("schedule",),
            flag="--port", kind=int),
    Setting("query_max_rows", 10_000, "Rows a query returns at most.", ("query",), flag="--max-rows"),
    Setting("query_timeout", 30.0, "Seconds before a query is cancelled.", ("query",), flag="--timeout"),
    Setting("memory_mb", 1024, "Memory one query may use, in MB (its process is capped).", ("query", "serve")),
    Setting("host", "127.0.0.1", "Address to bind; anything but loopback requires a token.", ("serve",)),
    Setting("port", 8000, "Port to listen on.", ("serve",)),
    Setting("token", None, "Required by the query API and the SQL page.", ("serve",)),
    Setting("page_max_rows", 1000, "Rows shown on the page or returned as JSON.", ("serve",), flag="--max-rows"),
    Setting("max_download_rows", 100_000, "Rows in a CSV or Parquet query result.", ("serve",)),
    Setting("serve_timeout", 5.0, "Seconds before a query of the server is cancelled.", ("serve",),
            flag="--timeout"),
    Setting("reader_tmp", None, "Folder read-only queries spill to, a folder per connection (default: "
            ".reader-tmp/ in the warehouse)."),
    Setting("keep_days", 30.0, "Days of warehouse snapshots `maintain` keeps for `query --at`; older ones are "
            "expired and their files deleted (the published snapshot is always kept).", ("maintain",)),
    Setting("duckdb_memory", "1GB", "Memory the writer's DuckDB connection may use during a run (load and "
            "publish)."),
]}


DEFAULTS = {name: setting.default for name, setting in SETTINGS.items()}


def project_root() -> Path:
    root = SETTINGS["root"].from_env()
    return Path(root).resolve() if root else Path.cwd()


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse_dir: Path
    catalog: str | None = None  # the DuckLake catalog (lake.lake_in); None: catalog.sqlite in the warehouse
    data_path: str | None = None  # a folder or an object-store URL; None: data/ in the warehouse

    @property
    def exports_dir(self) -> Path:
        return self.warehouse_dir / "exports"

    @property
    def snapshot_path(self) -> Path:
        """The default catalog's file, `catalog.sqlite` in the warehouse folder. Readers open the configured lake
        (`lake.configured(settings)`): this file's, unless the `catalog` setting names another."""
        return self.warehouse_dir / "catalog.sqlite"

    @property
    def prefect_home(self) -> Path:
        return self.warehouse_dir / ".prefect"


def load_settings(raw_dir: Path | str | None = None, warehouse_dir: Path | str | None = None,
                  catalog: str | None = None, data_path: str | None = None) -> Settings:
    """The paths given, else the environment's, else the project folder's raw/ and warehouse/ (and the lake's
    defaults in the warehouse). A relative path, of a folder or of a SQLite catalog, is taken from the project
    folder."""
    root = project_root()
    raw = Path(raw_dir or SETTINGS["raw"].from_env() or root / "raw")
    wh = Path(warehouse_dir or SETTINGS["warehouse"].from_env() or root / "warehouse")
    catalog = catalog or SETTINGS["catalog"].from_env()
    data_path = data_path or SETTINGS["data_path"].from_env()
    if catalog and catalog.startswith("sqlite:"):
        catalog = f"sqlite:{_absolute(Path(catalog.removeprefix('sqlite:')), root)}"
    if data_path and "://" not in data_path:
        data_path = str(_absolute(Path(data_path), root))
    return Settings(_absolute(raw, root), _absolute(wh, root), catalog or None, data_path or None)


def _absolute(path: Path, root: Path) -> Path:
    return (path if path.is_absolute() else root / path).resolve()


def prefect_environment(settings: Settings) -> dict[str, str]:
    """Prefect settings for a local run: data under the warehouse, no analytics, quiet logs."""
    return {
        "PREFECT_HOME": str(settings.prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
    }


def reader_spill_dir(warehouse_dir: Path) -> str:
    """A folder of its own for one read-only connection to spill to: under FINTECH_METRICS_READER_TMP, else
    under `<warehouse>/.reader-tmp`. DuckDB creates the folder when a query first spills and removes it when the
    connection closes; a folder per connection, because closing one removes its folder, spills and all. ''
    (spill nowhere: a query that does not fit in memory fails) when the parent cannot be created, as for a
    server given no write access."""
    configured = SETTINGS["reader_tmp"].from_env()
    base = Path(configured) if configured else Path(warehouse_dir).absolute() / ".reader-tmp"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return ""
    return str(base / f"{os.getpid()}-{uuid.uuid4().hex[:12]}")
