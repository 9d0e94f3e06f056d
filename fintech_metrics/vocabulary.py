"""The one vocabulary of states the tables record: the Pandera checks, the flow's code and the warehouse's SQL
all name these members, never a string of their own."""

from __future__ import annotations

from enum import StrEnum


class SourceStatus(StrEnum):
    """What a file of the raw folder became (`sources.status`)."""

    LOADED = "loaded"
    DUPLICATE = "duplicate"  # its content is another file's article
    QUARANTINED = "quarantined"
    MISSING = "missing"  # gone from the raw folder; its article is kept


class FileState(StrEnum):
    """What a run finds of a file against the `sources` table (a run plan's `state`)."""

    NEW = "new"
    CHANGED = "changed"  # content, sidecar or extractor version changed, or the file that held its content went
    UNCHANGED = "unchanged"


class Stage(StrEnum):
    """Where an input or a row was stopped (`quarantine.stage`)."""

    READ = "read"
    DECODE = "decode"
    META = "meta"
    DUPLICATE = "duplicate"
    VALIDATE = "validate"


class RunStatus(StrEnum):
    """How a flow run ended (`runs.status`)."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


def members(vocabulary: type[StrEnum]) -> list[str]:
    """The values, in declaration order: what a Pandera `isin` check accepts."""
    return [member.value for member in vocabulary]


def sql_list(*values: StrEnum) -> str:
    """`('loaded', 'missing')`: members as an SQL list (the values are identifiers: no quote to escape)."""
    return "(" + ", ".join(f"'{value.value}'" for value in values) + ")"
