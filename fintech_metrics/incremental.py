"""Which files a run must read, and what each processed file becomes. `fingerprints` stats the raw
folder (it reads no content); the rest is pure: the flow passes it the fingerprints and the `sources`
table and applies the outcome.

Everything here is a Polars frame, not a Python object per file: the flow's process keeps what it held
once (Python does not give the memory of many small objects back), and a run of a million files would
carry about 600 MB of such objects into the load and the publish.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .ingest import listing, sidecar_path
from .records import Rejected
from .vocabulary import FileState, SourceStatus, Stage

LOADED, DUPLICATE, QUARANTINED, MISSING = SourceStatus
NEW, CHANGED, UNCHANGED = FileState

FINGERPRINTS = {"source_path": pl.String, "fingerprint": pl.String}
# resolve's input; article_id null: quarantined; has_meta: the file has a sidecar
EXTRACTED = {"source_path": pl.String, "article_id": pl.String, "has_meta": pl.Boolean}
NO_SIDECAR = "-"  # the sidecar part of a fingerprint when the file has none
RESOLVED = {"source_path": pl.String, "article_id": pl.String, "status": pl.String, "owner": pl.String}
# Files whose fingerprints are Python strings at once: the listing becomes a frame this many at a time.
LISTED_AT_ONCE = 20_000
_KNOWN = ("source_path", "article_id", "fingerprint", "status", "extractor_version")


@dataclass(frozen=True)
class RunPlan:
    """files: source_path, fingerprint and state (new, changed or unchanged: content, sidecar or extractor
    version changed) of every file in the raw folder now, sorted by path.
    missing: the `sources` rows of files known, present before, gone now."""

    files: pl.DataFrame
    missing: pl.DataFrame

    def count(self, state: str) -> int:
        return self.missing.height if state == MISSING else int((self.files["state"] == state).sum())

    def reading(self) -> pl.DataFrame:
        """source_path and fingerprint of each file the run must read (new or changed), in path order."""
        return self.files.filter(pl.col("state") != UNCHANGED).select("source_path", "fingerprint")


def fingerprints(raw_root: Path) -> pl.DataFrame:
    """source_path and fingerprint of every article file under raw_root, sorted by path: the size and
    modification time of the file and of its sidecar, cheap to read for 100,000 files (one stat per file,
    and one per sidecar the folder lists). A file that is touched but not changed is re-read, hashed to
    the same id, and changes nothing."""
    parts: list[pl.DataFrame] = []
    paths: list[str] = []
    stamps: list[str] = []
    for item in listing(raw_root):
        sidecar = _stamp(sidecar_path(Path(item.entry.path))) if item.has_sidecar else NO_SIDECAR
        paths.append(item.source_path)
        stamps.append(f"{_stamp(item.entry.path)}|{sidecar}")
        if len(paths) == LISTED_AT_ONCE:
            parts.append(pl.DataFrame({"source_path": paths, "fingerprint": stamps}, schema=FINGERPRINTS))
            paths, stamps = [], []
    parts.append(pl.DataFrame({"source_path": paths, "fingerprint": stamps}, schema=FINGERPRINTS))
    return pl.concat(parts).sort("source_path")


def has_sidecar() -> pl.Expr:
    """Whether a `fingerprint` column's file had a sidecar."""
    return ~pl.col("fingerprint").str.ends_with(f"|{NO_SIDECAR}")


def _stamp(path: str | Path) -> str:
    """size:mtime of a file; of a symbolic link, of what it leads to ("-" if nothing) and `@inode:mtime` of the
    link itself, so a link re-pointed at another file is a change even if the two look alike."""
    try:
        st = os.lstat(path)
    except OSError:
        return "-"
    if not stat.S_ISLNK(st.st_mode):
        return f"{st.st_size}:{st.st_mtime_ns}"
    try:
        target = os.stat(path)
    except OSError:  # dangling, a loop
        return f"-@{st.st_ino}:{st.st_mtime_ns}"
    return f"{target.st_size}:{target.st_mtime_ns}@{st.st_ino}:{st.st_mtime_ns}"


def plan_run(current: pl.DataFrame, known: pl.DataFrame, version: str) -> RunPlan:
    """current: fingerprints of the raw folder now; known: the `sources` table."""
    known = known.select(_KNOWN)
    before = known.rename({name: f"known_{name}" for name in _KNOWN if name != "source_path"})
    files = current.join(before, on="source_path", how="left").with_columns(
        state=pl.when(pl.col("known_status").is_null()).then(pl.lit(NEW))
        .when((pl.col("known_status") == MISSING) | (pl.col("known_fingerprint") != pl.col("fingerprint"))
              | (pl.col("known_extractor_version") != version)).then(pl.lit(CHANGED))
        .otherwise(pl.lit(UNCHANGED)))
    missing = known.filter(~pl.col("source_path").is_in(current["source_path"].implode())
                           & (pl.col("status") != MISSING)).sort("source_path")
    # A duplicate must be read again when the file that held its content changes or goes away.
    moving = pl.concat([
        files.filter((pl.col("state") == CHANGED) & (pl.col("known_status") == LOADED))["known_article_id"],
        missing.filter(pl.col("status") == LOADED)["article_id"],
    ])
    files = files.with_columns(state=pl.when(
        (pl.col("state") == UNCHANGED) & (pl.col("known_status") == DUPLICATE)
        & pl.col("known_article_id").is_in(moving.implode())).then(pl.lit(CHANGED)).otherwise(pl.col("state")))
    return RunPlan(files.select("source_path", "fingerprint", "state").sort("source_path"), missing)


def holders(known: pl.DataFrame, plan: RunPlan) -> pl.DataFrame:
    """article_id and source_path of each file loaded before that keeps its article over a newcomer: one the
    run neither reads again nor finds gone."""
    leaving = pl.concat([plan.reading()["source_path"], plan.missing["source_path"]]).implode()
    return known.filter((pl.col("status") == LOADED) & pl.col("article_id").is_not_null()
                        & ~pl.col("source_path").is_in(leaving)).select("article_id", "source_path")


def resolve(extracted: pl.DataFrame, holders: pl.DataFrame) -> pl.DataFrame:
    """extracted: source_path and article_id (null if quarantined) of every processed file; holders: see
    `holders`. Gives source_path, article_id, status and owner (the file whose article it is) of each, sorted
    by path.

    One content is one article: a file whose content is already loaded from another file that is
    still present becomes a duplicate of it. A file loaded before keeps its article over a newcomer;
    among newcomers a file with a sidecar (title, source, date) wins over one without, then the first path
    in sorted order.
    """
    claims = pl.concat([
        holders.select("article_id", owner="source_path", newcomer=pl.lit(False), bare=pl.lit(False)),
        extracted.filter(pl.col("article_id").is_not_null()).select(
            "article_id", owner="source_path", newcomer=pl.lit(True), bare=~pl.col("has_meta").fill_null(False)),
    ])
    owners = (claims.sort("newcomer", "bare", "owner").unique("article_id", keep="first", maintain_order=True)
              .drop("newcomer", "bare"))
    out = extracted.drop("has_meta").sort("source_path").join(owners, on="article_id", how="left",
                                                              maintain_order="left")
    status = (pl.when(pl.col("article_id").is_null()).then(pl.lit(QUARANTINED))
              .when(pl.col("owner") == pl.col("source_path")).then(pl.lit(LOADED)).otherwise(pl.lit(DUPLICATE)))
    return out.with_columns(status=status).select(RESOLVED.keys()).cast(RESOLVED)


def duplicates(resolved: pl.DataFrame) -> list[Rejected]:
    """The quarantine reason of each file that repeats the content of another."""
    rows = resolved.filter(pl.col("status") == DUPLICATE).select("source_path", "article_id", "owner").iter_rows()
    return [Rejected(path, Stage.DUPLICATE.value, "unique_content",
                     f"same content as {owner} (article_id {article_id})")
            for path, article_id, owner in rows]
