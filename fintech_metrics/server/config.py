"""What the server reads and how much it lets one query use."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServeConfig:
    snapshot_path: Path
    exports_dir: Path
    token: str | None = None
    max_rows: int = 1000
    max_download_rows: int = 100_000
    timeout_s: float = 5.0
    max_concurrent_queries: int = 4
    retry_after_s: int = 2

    def __post_init__(self) -> None:
        if self.max_rows < 1 or self.max_download_rows < 1:
            raise ValueError("row limits must be at least 1")
        if self.max_concurrent_queries < 1:
            raise ValueError("max_concurrent_queries must be at least 1")
        if self.timeout_s <= 0:
            raise ValueError("the time limit must be positive")


def is_loopback(host: str) -> bool:
    """True for names and addresses only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
