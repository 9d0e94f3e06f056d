"""Run user SQL against the published warehouse snapshot, read-only and locked down.

Two walls stand between user SQL and the machine:

1. ``check_sql`` (this module) parses the text with DuckDB's own parser and lets through exactly one
   statement of type SELECT. DuckDB reports ``WITH … SELECT``, ``VALUES``, ``FROM tbl``, ``DESCRIBE``,
   ``SHOW`` / ``SHOW TABLES`` and ``SUMMARIZE`` as SELECT statements, so analysts keep them; they
   only read the catalog or the tables. Everything else is refused, including ``EXPLAIN`` (DuckDB
   gives ``EXPLAIN ANALYZE`` the same statement type, and it executes the query), ``PIVOT`` (a
   multi-statement rewrite) and ``CALL`` / ``PRAGMA`` / ``CHECKPOINT``. Table functions that read
   files or the network (``read_csv``, ``glob``, ``sniff_csv`` …) and quoted file paths used as tables
   are refused by walking the parse tree from ``json_serialize_sql``; table functions must be on an
   allow-list, and names DuckDB would read as files (``figures.csv``) are refused.
2. ``open_reader`` gives DuckDB itself no way out: the snapshot is attached READ_ONLY, external
   access and extension loading are off, resources are capped and the configuration is locked.

``run_query`` runs every statement in a fresh process of its own whose memory the kernel caps and which
is killed at the time limit: DuckDB's memory_limit covers only its buffer manager (a string from
``repeat`` or a list from ``range`` is allocated outside it), and DuckDB does not look at interrupts
inside one function call, so neither limit can be left to DuckDB alone.

The settings are defence in depth, not a sandbox: a public endpoint should still run this in a
container or low-privilege process (see DuckDB's "Securing DuckDB" page).
"""

from .connection import SNAPSHOT_ALIAS, open_reader
from .process import DEFAULT_MAX_RESULT_BYTES, DEFAULT_MEMORY_LIMIT, RENDERINGS, run_query
from .results import FORMATS, PIPE_WIDTH, QueryResult, format_result, render, table_renderable
from .statement import QueryRefused, check_sql

__all__ = [
    "DEFAULT_MAX_RESULT_BYTES",
    "DEFAULT_MEMORY_LIMIT",
    "FORMATS",
    "PIPE_WIDTH",
    "RENDERINGS",
    "SNAPSHOT_ALIAS",
    "QueryRefused",
    "QueryResult",
    "check_sql",
    "format_result",
    "open_reader",
    "render",
    "run_query",
    "table_renderable",
]
