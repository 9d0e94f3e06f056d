"""Warehouse upkeep: merge the small files runs leave, expire snapshots past the policy, delete their files and
their downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from . import exports, lake, sql, warehouse
from .lock import run_lock
from .settings import Settings


@dataclass(frozen=True)
class Upkeep:
    files_merged: int
    expired: list[int]  # snapshot ids
    files_deleted: int
    kept: int  # snapshots left
    export_folders_removed: int = 0  # the downloads of snapshots no longer kept

    def line(self) -> str:
        shown = f" ({', '.join(map(str, self.expired))})" if self.expired else ""
        return (f"files merged: {self.files_merged}; snapshots expired: {len(self.expired)}{shown}; "
                f"files deleted: {self.files_deleted}; snapshots kept: {self.kept}; "
                f"export folders removed: {self.export_folders_removed}")


def maintain(settings: Settings, keep_days: float, now: datetime | None = None) -> Upkeep:
    """Under the run lock (no run writes meanwhile): merge adjacent small files, expire the snapshots older
    than `keep_days` (never the published one nor any after it: readers read those) and delete the files no
    snapshot left needs, and the export folders of the snapshots no longer kept."""
    name = sql.string(lake.ALIAS)
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    with run_lock(settings.warehouse_dir), warehouse.connect(settings) as con:
        merged = len(con.execute(f"CALL ducklake_merge_adjacent_files({name})").fetchall())
        published = lake.published_snapshot(settings.warehouse_dir)
        newest = lake.current_snapshot(con)
        floor = min(newest, published) if published is not None else newest
        expired = [sid for sid, held in lake.snapshots(con) if held < cutoff and sid < floor]
        if expired:
            con.execute(f"CALL ducklake_expire_snapshots({name}, versions => {expired})").fetchall()
        deleted = len(con.execute(f"CALL ducklake_cleanup_old_files({name}, cleanup_all => true)").fetchall())
        kept = [sid for sid, _ in lake.snapshots(con)]
        removed = exports.remove_folders(exports.not_kept(settings.exports_dir, kept))
    return Upkeep(merged, expired, deleted, len(kept), removed)
