"""Connections to a DuckLake: its extensions loaded from the installed packages (never the network), its catalog
(a SQLite file by default, or a Postgres connection string) and its data path (a folder, or an object store through
httpfs), attached for writing, or read-only at the last committed snapshot or an older one.

Each extension ships in a package of the index (`duckdb-extension-<name>`, of DuckDB's own version) holding
`extensions/v<version>/<name>.duckdb_extension`; DuckDB takes an extension's name from its file name, and the
SQLite one must be loaded as `sqlite_scanner` (the Postgres one as `postgres_scanner`), so those two are loaded
through a link of that name.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from . import sql
from .settings import Settings

ALIAS = "warehouse"  # what queries may name the tables by (warehouse.figures)


@dataclass(frozen=True)
class Extension:
    package: str  # on the package index
    module: str  # what the package installs
    file: str  # its file under extensions/v<version>/
    loads_as: str  # the name DuckDB expects


EXTENSIONS = {
    "ducklake": Extension("duckdb-extension-ducklake", "duckdb_extension_ducklake", "ducklake", "ducklake"),
    "sqlite": Extension("duckdb-extension-sqlite", "duckdb_extension_sqlite", "sqlite", "sqlite_scanner"),
    "postgres": Extension("duckdb-extension-postgres", "duckdb_extension_postgres", "postgres", "postgres_scanner"),
    "httpfs": Extension("duckdb-extension-httpfs", "duckdb_extension_httpfs", "httpfs", "httpfs"),
}
CATALOGS = ("sqlite", "postgres")
OBJECT_STORES = ("s3://", "gs://", "gcs://", "r2://")  # the URLs httpfs reads and writes


class MissingExtension(RuntimeError):
    """An extension's package is not installed (or not for this DuckDB): the message names the package."""


def extension_file(name: str) -> Path:
    """The installed `.duckdb_extension` file of EXTENSIONS[name] for this DuckDB."""
    ext = EXTENSIONS[name]
    spec = importlib.util.find_spec(ext.module)
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "extensions" / f"v{duckdb.__version__}" / f"{ext.file}.duckdb_extension"
        if path.is_file():
            return path
    found = "not installed" if not folders else f"installed, but not for DuckDB {duckdb.__version__}"
    raise MissingExtension(f"the DuckDB extension {name} is {found}: pip install "
                           f"'{ext.package}=={duckdb.__version__}'")


@dataclass(frozen=True)
class Lake:
    """catalog: `sqlite:<file>` or `postgres:<libpq connection string>`; data_path: a folder (or an object-store
    URL) for the Parquet files; folder: the warehouse folder, which holds what is not the lake's (the published
    manifest and exports, the run lock, our links to the extensions) whatever the catalog."""

    catalog: str
    data_path: str
    folder: Path
    moves_with_folder: bool = True  # the data is the warehouse folder's own: a moved or copied folder reads its own

    @property
    def backend(self) -> str:
        return self.catalog.split(":", 1)[0]

    @property
    def catalog_file(self) -> Path | None:
        """The SQLite catalog's file; None for a Postgres catalog."""
        return Path(self.catalog.split(":", 1)[1]) if self.backend == "sqlite" else None

    @property
    def links(self) -> Path:
        return self.folder / ".extensions"

    @property
    def in_object_store(self) -> bool:
        return self.data_path.startswith(OBJECT_STORES)

    def extensions(self) -> list[str]:
        """The extensions this lake needs, in the order they load."""
        return ["ducklake", self.backend, *(["httpfs"] if self.in_object_store else [])]

    def missing(self) -> bool:
        """True when the catalog is a SQLite file that is not there (a Postgres catalog is only known by
        connecting, which creates it)."""
        file = self.catalog_file
        return file is not None and not file.is_file()

    def shown(self) -> str:
        """The catalog for messages, a password in a Postgres connection string hidden."""
        return str(self.catalog_file) if self.backend == "sqlite" else without_password(self.catalog)

    def reader_paths(self) -> tuple[list[str], list[str]]:
        """What a locked-down reader must still reach, as (files, folders): a SQLite catalog file and the data
        path; nothing else of the warehouse folder (DuckDB's allowed_paths and allowed_directories). A Postgres
        catalog needs neither: the postgres extension's connection is not a file access."""
        file = self.catalog_file
        return ([str(file)] if file is not None else []), [self.data_path]


_PASSWORD = re.compile(r"(password\s*=\s*)('[^']*'|[^\s\"]+)")


def without_password(text: str) -> str:
    """`text` with the value of any `password=` of a libpq connection string in it hidden."""
    return _PASSWORD.sub(r"\1***", text)


def lake_in(warehouse_dir: Path, catalog: str | None = None, data_path: str | None = None) -> Lake:
    """The lake of a warehouse folder: its catalog in `catalog.sqlite` and its data under `data/` unless given."""
    if catalog is not None and catalog.split(":", 1)[0] not in CATALOGS:
        raise ValueError(f"catalog {catalog!r}: give sqlite:<file> or postgres:<connection string>")
    if data_path is not None and "://" in data_path and not data_path.startswith(OBJECT_STORES):
        raise ValueError(f"data_path {data_path!r}: give a folder or an object-store URL "
                         f"({', '.join(s + '…' for s in OBJECT_STORES)})")
    if data_path is None:
        data = str(warehouse_dir / "data") + os.sep
    elif "://" in data_path:
        data = data_path.rstrip("/") + "/"
    else:
        data = str(Path(data_path)) + os.sep
    return Lake(catalog or f"sqlite:{warehouse_dir / 'catalog.sqlite'}", data, warehouse_dir,
                moves_with_folder=data_path is None)


def configured(settings: Settings) -> Lake:
    """The lake the settings name: their warehouse folder, catalog and data path."""
    return lake_in(settings.warehouse_dir, settings.catalog, settings.data_path)


def load_extensions(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    """DuckLake, its catalog's extension and (for an object store) httpfs, from the installed packages."""
    for name in lake.extensions():
        ext = EXTENSIONS[name]
        target = extension_file(name)
        if ext.loads_as == ext.file:
            con.execute(f"LOAD {sql.string(target)}").fetchall()
            continue
        lake.links.mkdir(parents=True, exist_ok=True)
        link = lake.links / f"{ext.loads_as}.duckdb_extension"
        if not link.is_symlink() or Path(os.readlink(link)) != target:
            tmp = link.with_name(f".{link.name}.{os.getpid()}")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(target)
            os.replace(tmp, link)  # readers may be loading the old link: replace it whole
        con.execute(f"LOAD {sql.string(link)}").fetchall()


def attach(con: duckdb.DuckDBPyConnection, lake: Lake, *, read_only: bool = False,
           at: int | datetime | None = None) -> None:
    """Attach the lake as ALIAS and use it: for writing, or read-only at the last committed snapshot, a snapshot
    id, or the snapshot that held at a time."""
    options = [f"DATA_PATH {sql.string(lake.data_path)}"]
    if lake.moves_with_folder:
        # the catalog keeps its files' paths relative to the data path, and the data path it was made with: a
        # warehouse folder moved or copied elsewhere reads the data beside its catalog
        options.append("OVERRIDE_DATA_PATH TRUE")
    if read_only:
        options.append("READ_ONLY")
    if isinstance(at, datetime):
        options.append(f"SNAPSHOT_TIME {sql.string(at.isoformat())}")
    elif at is not None:
        options.append(f"SNAPSHOT_VERSION {int(at)}")
    con.execute(f"ATTACH {sql.string('ducklake:' + lake.catalog)} AS {ALIAS} ({', '.join(options)})").fetchall()
    con.execute(f"USE {ALIAS}").fetchall()


def connect(lake: Lake, *, read_only: bool = False, at: int | datetime | None = None,
            config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached (see `attach`); extensions never download."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False,
                                 **(config or {})})
    try:
        load_extensions(con, lake)
        attach(con, lake, read_only=read_only, at=at)
    except duckdb.Error as exc:
        con.close()
        # DuckDB's message quotes the catalog's connection string, which readers pass on (the server to clients)
        message = without_password(str(exc))
        if message != str(exc):
            raise type(exc)(message) from None
        raise
    except BaseException:
        con.close()
        raise
    return con


def snapshots(con: duckdb.DuckDBPyConnection) -> list[tuple[int, datetime]]:
    """(snapshot_id, snapshot_time) of every snapshot the catalog keeps, oldest first."""
    return [(row[0], row[1]) for row in con.execute(
        f"SELECT snapshot_id, snapshot_time FROM ducklake_snapshots({sql.string(ALIAS)}) ORDER BY snapshot_id"
    ).fetchall()]


def current_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    """The id of the snapshot the connection reads (for a writer, the last committed)."""
    return con.execute(f"SELECT id FROM {ALIAS}.current_snapshot()").fetchall()[0][0]


def published_snapshot(warehouse_dir: Path) -> int | None:
    """The snapshot the last publish wrote its exports and manifest from (None before any): what readers read by
    default, so a query, the page and every download agree."""
    return manifest_snapshot(warehouse_dir / "published")


def manifest_snapshot(folder: Path) -> int | None:
    """The `snapshot_id` of the manifest.json in a published snapshot's folder; None without a readable one."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return int(manifest["snapshot_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
