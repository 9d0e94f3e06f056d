"""What the server reads and how much it lets one query use."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from ..lake import Lake
from ..reader import DEFAULT_MAX_RESULT_BYTES, DEFAULT_MEMORY_LIMIT
from ..settings import DEFAULTS


@dataclass(frozen=True)
class ServeConfig:
    snapshot_path: Path
    exports_dir: Path  # where downloads are written on first request, a folder per snapshot (exports.py)
    token: str | None = None
    max_rows: int = DEFAULTS["page_max_rows"]
    max_download_rows: int = DEFAULTS["max_download_rows"]
    timeout_s: float = DEFAULTS["serve_timeout"]
    max_concurrent_queries: int = 4
    retry_after_s: int = 2
    memory_limit: int = DEFAULT_MEMORY_LIMIT  # bytes, per query process
    max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES
    # Answer only requests addressed to a loopback name (Host) and not sent by another site (Origin,
    # Sec-Fetch-Site): what a loopback server without a token needs against DNS rebinding and
    # cross-site requests. `fintech-metrics serve` turns it on when it runs without a token.
    local_only: bool = False
    # The warehouse's lake when its catalog is not the SQLite file at snapshot_path (a Postgres one, or another
    # data path); snapshot_path's folder is still the warehouse folder, with the published manifest.
    lake: Lake | None = None

    @property
    def reads(self) -> Path | Lake:
        """What the readers open (reader.open_reader)."""
        return self.lake or self.snapshot_path

    def __post_init__(self) -> None:
        if self.max_rows < 1 or self.max_download_rows < 1:
            raise ValueError("row limits must be at least 1")
        if self.max_concurrent_queries < 1:
            raise ValueError("max_concurrent_queries must be at least 1")
        if self.timeout_s <= 0:
            raise ValueError("the time limit must be positive")
        if self.memory_limit < 64 << 20:
            raise ValueError("the memory limit must be at least 64 MB")


def is_loopback(host: str) -> bool:
    """True for names and addresses only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(value: str) -> str:
    """The host part of a Host header or URL authority: ``[::1]:8000`` → ``::1``, ``localhost:80`` → ``localhost``."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value
