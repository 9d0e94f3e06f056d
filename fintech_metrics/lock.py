"""One writer at a time: a second run on the same warehouse is refused while the first holds the lock."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class RunInProgress(RuntimeError):
    pass


@contextmanager
def run_lock(warehouse_dir: Path) -> Iterator[None]:
    """An exclusive lock on `<warehouse>/.run.lock`. The kernel drops it when the process dies,
    so a killed run never leaves a stale lock behind."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = warehouse_dir / ".run.lock"
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise RunInProgress(
                f"another run is writing {warehouse_dir} ({holder}); wait for it to finish and run again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
