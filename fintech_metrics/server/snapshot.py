"""Short-lived read-only connections to the published snapshot, for the server's own queries."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from ..reader import QueryRefused, open_reader
from .config import ServeConfig


class Busy(Exception):
    """The snapshot is missing or cannot be read right now; the client should retry."""

    def __init__(self, detail: str, *, code: str) -> None:
        super().__init__(detail)
        self.code = code


@contextmanager
def reading(config: ServeConfig) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh locked-down connection (``reader.open_reader``), interrupted after the time limit."""
    try:
        con = open_reader(config.reads)
    except QueryRefused as exc:
        raise Busy(str(exc), code=exc.code) from None
    except duckdb.Error as exc:
        # A flow run replaces the file with os.replace, so this is rare and passes; say so.
        raise Busy(f"the published snapshot could not be opened: {exc}", code="busy") from None
    timer = threading.Timer(config.timeout_s, con.interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield con
    finally:
        timer.cancel()
        con.close()


def snapshot_version(config: ServeConfig) -> tuple[int, int, int] | None:
    """Changes whenever a run publishes a new snapshot (a new manifest, through the switched `published` link);
    None if missing."""
    try:
        stat = (config.snapshot_path.parent / "published" / "manifest.json").stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size
