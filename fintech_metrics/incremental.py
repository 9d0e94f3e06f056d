"""Which files a run must read, and what each processed file becomes. `fingerprints` stats the raw
folder (it reads no content); the rest is pure: the flow passes it the fingerprints and the `sources`
table and applies the outcome."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .ingest import listing, sidecar_path
from .records import Rejected

LOADED, DUPLICATE, QUARANTINED, MISSING = "loaded", "duplicate", "quarantined", "missing"


@dataclass(frozen=True, slots=True)
class Known:
    """What the warehouse remembers of one source file (a row of `sources`)."""

    article_id: str | None
    fingerprint: str
    status: str
    extractor_version: str


@dataclass(frozen=True, slots=True)
class RunPlan:
    new: list[str]
    changed: list[str]  # content, sidecar or extractor version changed
    unchanged: list[str]
    missing: list[str]  # known, present before, gone now

    @property
    def to_process(self) -> list[str]:
        return sorted(self.new + self.changed)


def fingerprints(raw_root: Path) -> dict[str, str]:
    """source_path -> fingerprint of every article file under raw_root: the size and modification
    time of the file and of its sidecar, cheap to read for 100,000 files (one stat per file, and
    one per sidecar the folder lists). A file that is touched but not changed is re-read, hashed to
    the same id, and changes nothing."""
    found = {}
    for item in listing(raw_root):
        sidecar = _stamp(sidecar_path(Path(item.entry.path))) if item.has_sidecar else "-"
        found[item.source_path] = f"{_stamp(item.entry.path)}|{sidecar}"
    return found


def _stamp(path: str | Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}"


def plan_run(current: dict[str, str], known: dict[str, Known], version: str) -> RunPlan:
    """current: source_path -> fingerprint of every file in the raw folder now."""
    new, changed, unchanged = [], [], []
    for path, fp in sorted(current.items()):
        before = known.get(path)
        if before is None or before.status == MISSING:
            (new if before is None else changed).append(path)
        elif before.fingerprint != fp or before.extractor_version != version:
            changed.append(path)
        else:
            unchanged.append(path)
    missing = sorted(p for p, k in known.items() if p not in current and k.status != MISSING)
    # A duplicate must be read again when the file that held its content changes or goes away.
    moving = {known[p].article_id for p in [*changed, *missing] if known[p].status == LOADED}
    for path in [p for p in unchanged if known[p].status == DUPLICATE and known[p].article_id in moving]:
        unchanged.remove(path)
        changed.append(path)
    return RunPlan(new, sorted(changed), unchanged, missing)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one processed file became: its `sources` row, and a quarantine reason for a duplicate."""

    source_path: str
    article_id: str | None
    status: str
    duplicate: Rejected | None = None


def resolve(extracted: list[tuple[str, str | None]], known: dict[str, Known], plan: RunPlan) -> list[Outcome]:
    """extracted: (source_path, article_id or None if quarantined) for every processed file.

    One content is one article: a file whose content is already loaded from another file that is
    still present becomes a duplicate of it. A file loaded before keeps its article over a newcomer;
    among newcomers the first path in sorted order wins.
    """
    processed = {path for path, _ in extracted}
    gone = set(plan.missing)
    owner: dict[str, str] = {}
    for path, k in sorted(known.items()):
        if k.status == LOADED and k.article_id and path not in processed and path not in gone:
            owner.setdefault(k.article_id, path)
    out = []
    for path, article_id in sorted(extracted):
        if article_id is None:
            out.append(Outcome(path, None, QUARANTINED))
            continue
        first = owner.setdefault(article_id, path)
        if first == path:
            out.append(Outcome(path, article_id, LOADED))
        else:
            reason = f"same content as {first} (article_id {article_id})"
            out.append(Outcome(path, article_id, DUPLICATE, Rejected(path, "duplicate", "unique_content", reason)))
    return out
