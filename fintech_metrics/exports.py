"""The downloads of each snapshot: `<warehouse>/exports/<snapshot_id>/<name>.<format>`, one Parquet and one CSV file
per table and view, written from that snapshot the first time anyone asks for it (the server's `/exports/…`, or
`fintech-metrics export`) and kept while its snapshot is published or was just before. A run costs what it changed:
it publishes a manifest, never a rewrite of every export.

A file is written once: under an exclusive lock of its own (`.<name>.<format>.lock` beside it; two first requests
in any processes write it once, and the second waits, then reads it), to a temporary name renamed into place, so a
reader sees the whole file or none, and a writer killed part way leaves only a temporary file the next one
overwrites. The writer is a connection of its own, read-only at that snapshot with the writer's memory cap and a
spill folder of its own; never the locked-down connection that runs users' SQL.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from . import lake, warehouse
from .settings import Settings

FORMATS = ("parquet", "csv")  # what warehouse.write_export writes (Parquet first: the CSV copies it)
EXPORT_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class NoSuchExport(LookupError):
    """No table or view of that name in the snapshot, or not a format exports are written in."""


class NoSuchSnapshot(LookupError):
    """The warehouse keeps no such snapshot (expired, or not made yet), or has none published."""


def export_folder(exports_dir: Path, snapshot: int) -> Path:
    return exports_dir / str(int(snapshot))


def export_files(settings: Settings, snapshot: int, wanted: Iterable[tuple[str, str]],
                 exports_dir: Path | None = None) -> list[Path]:
    """The file of each (name, format) of `wanted` at `snapshot`, written first if it is not there yet (under
    `exports_dir`, default the warehouse's `exports/`). NoSuchExport: a name the snapshot has no table or view of,
    or an unknown format; NoSuchSnapshot: the warehouse keeps no such snapshot."""
    folder = export_folder(exports_dir or settings.exports_dir, snapshot)
    paths = []
    with ExitStack() as stack:
        con: duckdb.DuckDBPyConnection | None = None
        keys: dict[str, tuple[str, ...] | None] = {}
        for name, fmt in wanted:
            if fmt not in FORMATS or not EXPORT_NAME.fullmatch(name):
                raise NoSuchExport(f"no export named {name}.{fmt}")
            path = folder / f"{name}.{fmt}"
            paths.append(path)
            if path.is_file():
                continue
            folder.mkdir(parents=True, exist_ok=True)
            with _locked(folder / f".{name}.{fmt}.lock"):
                if path.is_file():  # written by whoever held the lock before
                    continue
                if con is None:
                    con = stack.enter_context(_open_snapshot(settings, snapshot, exports_dir))
                    keys = warehouse.export_keys(con)
                if name not in keys:
                    raise NoSuchExport(f"snapshot {snapshot} has no table or view named {name!r}")
                parquet = folder / f"{name}.parquet"
                warehouse.write_export(con, name, keys[name], path,
                                       sorted_parquet=parquet if fmt != "parquet" and parquet.is_file() else None)
    return paths


def export_snapshot(settings: Settings, to: Path, at: int | datetime | None = None) -> tuple[int, list[Path]]:
    """Every table and view of the published snapshot (or `at`, an earlier one by id or time) to `to`: copies of
    the files the server sends (written first, where they are not yet). Gives the snapshot id and the files.
    NoSuchSnapshot: nothing published yet, or the warehouse keeps no such snapshot."""
    snapshot = resolve_snapshot(settings, at)
    with _open_snapshot(settings, snapshot) as con:
        names = list(warehouse.export_keys(con))
    files = export_files(settings, snapshot, [(name, fmt) for name in names for fmt in FORMATS])
    to.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in files:
        # copied, not linked: the cached files must stay as written whatever is done to the copies
        tmp = to / f".{path.name}.tmp"
        shutil.copyfile(path, tmp)
        os.replace(tmp, to / path.name)
        copies.append(to / path.name)
    return snapshot, copies


def resolve_snapshot(settings: Settings, at: int | datetime | None = None) -> int:
    """The id of the published snapshot, of snapshot `at`, or of the snapshot that held at time `at`."""
    published = lake.published_snapshot(settings.warehouse_dir)
    if published is None or lake.configured(settings).missing():
        raise NoSuchSnapshot(f"no published warehouse at {settings.warehouse_dir}; run `fintech-metrics run` first")
    if at is None:
        return published
    with _open_snapshot(settings, at) as con:
        return lake.current_snapshot(con)


def superseded(exports_dir: Path, before: int | None) -> list[Path]:
    """The export folders of snapshots older than `before` (none without one)."""
    return [folder for folder, snapshot in _folders(exports_dir) if before is not None and snapshot < before]


def not_kept(exports_dir: Path, kept: Iterable[int]) -> list[Path]:
    """The export folders of snapshots the warehouse no longer keeps."""
    keep = set(kept)
    return [folder for folder, snapshot in _folders(exports_dir) if snapshot not in keep]


def remove_folders(folders: Iterable[Path]) -> int:
    """Remove each folder; how many there were. A download under way keeps reading its open file."""
    removed = 0
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def _folders(exports_dir: Path) -> list[tuple[Path, int]]:
    """(folder, snapshot id) of every snapshot's export folder."""
    if not exports_dir.is_dir() or exports_dir.is_symlink():  # a link into `published/`: an older layout's
        return []
    return [(p, int(p.name)) for p in exports_dir.iterdir() if p.name.isdigit() and p.is_dir()]


@contextmanager
def _open_snapshot(settings: Settings, at: int | datetime, exports_dir: Path | None = None
                   ) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writer's connection to the lake, read-only at `at`: the memory cap, and a spill folder of its own under
    `<exports>/.tmp` (the one folder a server writes to)."""
    spill = (exports_dir or settings.exports_dir) / ".tmp" / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        con = lake.connect(lake.configured(settings), read_only=True, at=at,
                           config=warehouse._writer_config(settings, spill_to=spill))
    except duckdb.Error as exc:
        raise NoSuchSnapshot(f"the warehouse keeps no snapshot {at} (expired, or not made yet): {exc}") from None
    try:
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path`, waited for; the kernel drops it if the holder dies."""
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
