"""The DuckDB writer: apply a run's staged batches in one transaction (one DuckLake snapshot), then publish
it: a manifest naming the snapshot, which readers switch to atomically. Exports are written on demand
(exports.py) with write_export."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from schemas import TABLES, VIEWS, ddl, view_ddl

from . import exports, lake, sorted_export, sql
from .faults import crash_point
from .frames import write_frames
from .settings import SETTINGS, Settings
from .vocabulary import SourceStatus, sql_list

KEEP_SNAPSHOTS = 3
DERIVED = ("articles", "figures", "metrics")  # rows that belong to an article


LEGACY_DATABASE = "fintech.duckdb"  # the single DuckDB file of the versions before DuckLake


class OutdatedWarehouse(RuntimeError):
    """A warehouse folder an older version built, which this one does not migrate."""


def refuse_legacy(settings: Settings) -> None:
    """Raise OutdatedWarehouse for a folder the versions before DuckLake built (one DuckDB file) and no lake has
    taken over since: no SQLite catalog beside it, or a Postgres catalog (its published files would be the old
    version's)."""
    catalog_file = lake.configured(settings).catalog_file
    if (settings.warehouse_dir / LEGACY_DATABASE).exists() and not (catalog_file and catalog_file.exists()):
        raise OutdatedWarehouse(
            f"{settings.warehouse_dir} was built by a version before DuckLake ({LEGACY_DATABASE}); rebuild it from "
            f"raw/: move the folder away (or run with another --warehouse) and run `fintech-metrics run`")


def _writer_config(settings: Settings, spill_to: Path | None = None) -> dict[str, object]:
    """Memory capped (the setting duckdb_memory), spilling to `spill_to` (default `<warehouse>/.duckdb-tmp`),
    insertion order not kept: what loads and exports need to stay within the cap."""
    return {"temp_directory": str(spill_to or settings.warehouse_dir / ".duckdb-tmp"),
            "preserve_insertion_order": False, "memory_limit": SETTINGS["duckdb_memory"].from_env()}


def connect(settings: Settings) -> duckdb.DuckDBPyConnection:
    """The writer connection: the warehouse's DuckLake attached for writing (lake.lake_in). Its memory is capped
    (the setting duckdb_memory, default 1GB) and what does not fit spills to `<warehouse>/.duckdb-tmp`: loads
    stream rows and exports sort on disk, so the cap holds however large the warehouse grows."""
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    refuse_legacy(settings)
    con = lake.connect(lake.configured(settings), config=_writer_config(settings))
    try:
        _migrate(con)
        _ensure_schema(con)
    except BaseException:
        con.close()
        raise
    return con


def _ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what the catalog lacks of the tables and views, or a view whose SQL this version changed, in one
    transaction; nothing when all is there (every change commits a snapshot: a run must commit one)."""
    tables = {row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()}
    views = dict(con.execute(
        "SELECT view_name, sql FROM duckdb_views() WHERE database_name = current_database()").fetchall())
    statements = [ddl(table) for name, table in TABLES.items() if name not in tables]
    statements += [view_ddl(view) for name, view in VIEWS.items() if views.get(name) != _view_sql()[name]]
    if not tables:
        # zstd: article texts in Parquet at a third of the default's size (the lake's option, kept in its catalog)
        statements.append(f"CALL {lake.ALIAS}.set_option('parquet_compression', 'zstd')")
    if not statements:
        return
    con.execute("BEGIN TRANSACTION").fetchall()
    for statement in statements:
        con.execute(statement).fetchall()
    con.execute("COMMIT").fetchall()


@cache
def _view_sql() -> dict[str, str]:
    """Each view's SQL as DuckDB stores it (normalised), from an empty in-memory copy of the schema."""
    with duckdb.connect() as scratch:
        for table in TABLES.values():
            scratch.execute(ddl(table)).fetchall()
        for view in VIEWS.values():
            scratch.execute(view_ddl(view)).fetchall()
        return dict(scratch.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal").fetchall())


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse written before a table's columns changed (figures: `sentence` became `sentence_start` and
    `sentence_end`). A table of rows derived from the articles is dropped, to be made again, and every file is
    read again by the next run (its `sources` row no longer has this extractor version). Any other table cannot
    be derived again: the warehouse must be rebuilt, and the error says so."""
    existing: dict[str, list[str]] = {}
    for table, column in con.execute(
        "SELECT c.table_name, c.column_name FROM duckdb_columns() c JOIN duckdb_tables() t USING (table_oid) "
        "WHERE c.database_name = current_database() AND c.schema_name = 'main' ORDER BY c.column_index"
    ).fetchall():
        existing.setdefault(table, []).append(column)
    stale = [name for name, table in TABLES.items() if name in existing and existing[name] != list(table.columns)]
    if not stale:
        return
    underived = sorted(set(stale) - set(DERIVED))
    if underived:
        raise RuntimeError(f"the warehouse's {', '.join(underived)} table has other columns than this version "
                           "writes; build a new warehouse (run with another --warehouse, or move this one away)")
    con.execute("BEGIN TRANSACTION").fetchall()
    for name in stale:
        con.execute(f"DROP TABLE {sql.identifier(name)}").fetchall()
    if "sources" in existing:
        con.execute("UPDATE sources SET extractor_version = 'layout-changed'").fetchall()
    con.execute("COMMIT").fetchall()


def exported() -> dict[str, tuple[str, ...]]:
    """Every table and view that is published, with the columns its export is ordered by."""
    return {**{n: t.key for n, t in TABLES.items()}, **{n: v.order for n, v in VIEWS.items()}}


def read_sources(settings: Settings) -> pl.DataFrame:
    refuse_legacy(settings)
    if lake.configured(settings).missing():
        return TABLES["sources"].empty()
    with connect(settings) as con:
        return con.sql("SELECT * FROM sources ORDER BY source_path").pl()


def _sql_list(paths: Iterable[Path]) -> str:
    return "[" + ", ".join(sql.string(p) for p in paths) + "]"


def _columns(names: Iterable[str]) -> str:
    """A quoted column list."""
    return ", ".join(map(sql.identifier, names))


# What a run's load reads beside the staged batches, with the columns of each.
RUN_INPUTS = {
    "new_sources": tuple(TABLES["sources"].columns),  # the new row of every processed or missing file
    "owners": ("batch", "source_path", "article_id"),  # the batch whose rows of an article go in
    "extra_quarantine": tuple(TABLES["quarantine"].columns),  # duplicates found across batches
    "processed": ("source_path",),  # every file this run read
    "run_row": tuple(TABLES["runs"].columns),
}


def write_run_inputs(folder: Path, frames: dict[str, pl.DataFrame]) -> dict[str, Path]:
    """Each of RUN_INPUTS to `<folder>/<name>.parquet`. The load reads them from there: DuckDB streams them,
    and the flow need not hold them (nor DuckDB a copy of each) while the writer works at its memory cap."""
    missing = set(RUN_INPUTS) - set(frames)
    if missing:
        raise ValueError(f"run inputs missing: {', '.join(sorted(missing))}")
    return write_frames(folder, {name: frames[name].select(columns) for name, columns in RUN_INPUTS.items()})


def apply_run(con: duckdb.DuckDBPyConnection, staged: dict[str, list[Path]], inputs: dict[str, Path]
              ) -> dict[str, int]:
    """Make the warehouse reflect this run, all or nothing.

    staged: per table, the Parquet files the batches wrote (validated rows), one folder per batch.
    inputs: the files write_run_inputs wrote. owners names, for every file loaded, the one batch whose
    rows of that article are inserted (a content read from two files is loaded once); new_sources holds
    the new rows for every processed or missing file. A file's old rows give way to its new ones; rows
    of an article no file holds any more are dropped, but a deleted file keeps its article (present=false).
    Rows stream from the staged files into the tables: nothing is sorted, so memory stays flat.
    """
    counts = {}
    try:
        for name, columns in RUN_INPUTS.items():
            con.execute(f"CREATE OR REPLACE TEMP VIEW {sql.identifier(name)} AS SELECT "
                        f"{_columns(columns)} FROM read_parquet({sql.string(inputs[name])})"
                        ).fetchall()
        con.execute("BEGIN TRANSACTION").fetchall()
        try:
            # DuckLake has no keys to replace on: a file's old row is deleted, then its new one inserted
            con.execute("DELETE FROM sources WHERE source_path IN (SELECT source_path FROM new_sources)").fetchall()
            con.execute("INSERT INTO sources SELECT * FROM new_sources").fetchall()
            con.execute("DELETE FROM quarantine WHERE source_path IN (SELECT source_path FROM processed)").fetchall()
            for name in DERIVED:
                con.execute(f"DELETE FROM {name} WHERE article_id IN (SELECT article_id FROM owners)").fetchall()
            for name in DERIVED:
                counts[name] = _insert_owned(con, name, staged.get(name, []))
            counts["quarantine"] = _insert_quarantine(con, staged.get("quarantine", []))
            held = ("SELECT article_id FROM sources WHERE article_id IS NOT NULL AND status IN "
                    f"{sql_list(SourceStatus.LOADED, SourceStatus.MISSING)}")
            for name in DERIVED:
                con.execute(f"DELETE FROM {name} WHERE article_id NOT IN ({held})").fetchall()
            present = ("article_id IN (SELECT article_id FROM sources WHERE status IN "
                       f"{sql_list(SourceStatus.LOADED, SourceStatus.DUPLICATE)} AND article_id IS NOT NULL)")
            con.execute(f"UPDATE articles SET present = {present} WHERE present IS DISTINCT FROM ({present})"
                        ).fetchall()
            # the transaction commits the snapshot after the one it read (one writer: the run lock)
            con.execute(f"INSERT INTO runs SELECT * REPLACE ((SELECT id + 1 FROM {lake.ALIAS}.current_snapshot()) "
                        "AS snapshot_id) FROM run_row").fetchall()
            crash_point("load")
            con.execute("COMMIT").fetchall()
        except BaseException:
            con.execute("ROLLBACK").fetchall()
            raise
    finally:
        for name in RUN_INPUTS:
            con.execute(f"DROP VIEW IF EXISTS {sql.identifier(name)}").fetchall()
    return counts


def _insert_owned(con: duckdb.DuckDBPyConnection, name: str, files: list[Path]) -> int:
    """Insert the staged rows of `name` that belong to the batch owning their article."""
    if not files:
        return 0
    match = "o.article_id = s.article_id AND o.batch = parse_dirpath(s.filename)"
    if name == "articles":
        match += " AND o.source_path = s.source_path"
    staged_columns = ", ".join(f"s.{sql.identifier(c)}" for c in TABLES[name].columns)
    # a few batches' files per statement: a DuckLake insert holds what it writes until its files are done, and all
    # of a 100,000-article run's figures at once passed the writer's memory cap (still one transaction, one snapshot)
    return sum(con.execute(
        f"INSERT INTO {name} ({_columns(TABLES[name].columns)}) SELECT {staged_columns} "
        f"FROM read_parquet({_sql_list(files[i:i + _FILES_PER_INSERT])}, filename = true) s JOIN owners o ON {match}"
    ).fetchall()[0][0] for i in range(0, len(files), _FILES_PER_INSERT))


_FILES_PER_INSERT = 4


def _insert_quarantine(con: duckdb.DuckDBPyConnection, files: list[Path]) -> int:
    cols = _columns(TABLES["quarantine"].columns)
    source = f"SELECT {cols} FROM extra_quarantine"
    if files:
        source = f"SELECT {cols} FROM read_parquet({_sql_list(files)}) UNION ALL {source}"
    key = _columns(TABLES["quarantine"].key)
    con.execute(f"CREATE OR REPLACE TEMP TABLE new_quarantine AS SELECT DISTINCT ON ({key}) * FROM ({source})"
                ).fetchall()
    con.execute(f"DELETE FROM quarantine WHERE ({key}) IN (SELECT {key} FROM new_quarantine)").fetchall()
    count = con.execute(f"INSERT INTO quarantine ({cols}) SELECT {cols} FROM new_quarantine").fetchall()[0][0]
    con.execute("DROP TABLE new_quarantine").fetchall()
    return count


# Row groups bounded in bytes: 122,880 article texts in one group would not fit the writer's memory cap.
_COPY_OPTIONS = {"parquet": sorted_export.PARQUET_OPTIONS, "csv": "FORMAT csv, HEADER true"}


def export_keys(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...] | None]:
    """Every table and view the connection reads that is exported, with the columns its export is ordered by:
    the registered ones by their key, any other (None) by all its columns."""
    relations: dict[str, tuple[str, ...] | None] = dict(exported())
    return relations | {name: None for name in _other_relations(con) if name not in relations}


def write_export(con: duckdb.DuckDBPyConnection, name: str, key: tuple[str, ...] | None, final: Path,
                 sorted_parquet: Path | None = None) -> None:
    """`name` ordered by `key` into `final` (its format from its suffix), through a temporary name and a rename.
    `sorted_parquet`: the relation's Parquet export, already sorted, for another format to copy as it is."""
    fmt = final.suffix.removeprefix(".")
    if fmt not in _COPY_OPTIONS:
        raise ValueError(f"unknown export format(s): {fmt}")
    tmp = final.with_name(f".{final.name}.tmp")
    if fmt == "parquet":
        sorted_export.write_sorted_parquet(con, name, key, tmp)
    else:
        source = (f"SELECT * FROM read_parquet({sql.string(sorted_parquet)})" if sorted_parquet is not None else
                  f"SELECT * FROM {sql.identifier(name)} ORDER BY {sorted_export.order_by(key)}")
        # the copy keeps the sorted order only with insertion order kept (the writer loads with it off)
        with sql.setting(con, "preserve_insertion_order", True):
            con.execute(f"COPY ({source}) TO {sql.string(tmp)} ({_COPY_OPTIONS[fmt]})").fetchall()
    os.replace(tmp, final)
    crash_point("export")


def _other_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """User tables and views of the main schema, by name."""
    return [row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT internal AND NOT temporary "
        "UNION SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY 1"
    ).fetchall()]


def content_generation(con: duckdb.DuckDBPyConnection) -> str | None:
    """The committed data's generation: the id of the last run that changed the content (read a new or
    changed file, or found one gone), as the committed `runs` table says; None before any. A load writes
    its run's row in the transaction that changes the content, so the stamp moves exactly when the
    committed content does, whether or not the run that changed it lived to publish."""
    row = con.execute("SELECT run_id FROM runs WHERE files_new + files_changed + files_missing > 0 "
                      "ORDER BY started_at DESC, run_id DESC LIMIT 1").fetchall()
    return row[0][0] if row else None


def publish(settings: Settings, run_id: str) -> Path:
    """Write `snapshots/<run_id>/manifest.json` for the last committed snapshot (its DuckLake `snapshot_id`, the
    run, the data's `generation` and the rows of every table and view) and point `published` at it with one
    atomic rename: readers read the lake at that snapshot from then on.

    Nothing is exported here: the downloads of a snapshot are written from it when first asked for (see
    exports.py), so a run costs what it changed. The export folders of snapshots before the one published
    until now are removed (a download under way keeps its open file)."""
    snapshots = settings.warehouse_dir / "snapshots"
    snap = snapshots / run_id
    snap.mkdir(parents=True, exist_ok=True)
    with connect(settings) as con:
        snapshot_id = lake.current_snapshot(con)
        generation = content_generation(con)
        tables = {name: {"rows": con.execute(f"SELECT count(*) FROM {sql.identifier(name)}").fetchall()[0][0]}
                  for name in export_keys(con)}
    manifest = {"run_id": run_id, "generation": generation, "snapshot_id": snapshot_id, "tables": tables}
    tmp = snap / ".manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, snap / "manifest.json")
    crash_point("publish")
    before = lake.published_snapshot(settings.warehouse_dir)
    _switch(settings.warehouse_dir / "published", Path("snapshots") / run_id)
    if settings.exports_dir.is_symlink():  # the link into `published/` of the layout before DuckLake's snapshots
        settings.exports_dir.unlink()
    exports.remove_folders(exports.superseded(settings.exports_dir, before))
    _prune(snapshots, keep={run_id})
    return snap


def _switch(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target)
    if link.is_dir() and not link.is_symlink():  # a real folder from an older layout
        shutil.rmtree(link)
    os.replace(tmp, link)


def _prune(snapshots: Path, keep: set[str]) -> None:
    """Keep the manifests of the newest few publishes (a reader may have just read the one before)."""
    ordered = sorted((p for p in snapshots.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime_ns)
    for old in ordered[:-KEEP_SNAPSHOTS]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def clear_staging(settings: Settings) -> None:
    shutil.rmtree(settings.warehouse_dir / ".staging", ignore_errors=True)
