"""Each query in a process of its own, its memory capped by the kernel and its time by a kill."""

from __future__ import annotations

import io
import math
import pickle
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from ..lake import Lake
from ..settings import DEFAULTS
from .connection import open_reader
from .results import FORMATS, QueryResult, render
from .statement import QueryRefused, check_sql

# --- Running ------------------------------------------------------------------------------------


# What one query may use. Each query runs in a child process of its own (see ``run_query``).
DEFAULT_MEMORY_LIMIT = DEFAULTS["memory_mb"] << 20  # bytes: the child's data segment (RLIMIT_DATA); DuckDB gets half
DEFAULT_MAX_RESULT_BYTES = 128 << 20  # bytes: the rendered result the child may hand back
QUERY_THREADS = 2
# Formats the child renders the result into (``QueryResult.body``); None keeps the rows as Python values.
RENDERINGS = (*FORMATS, "api-json", "api-json-objects", "parquet")


def run_query(
    sql: str,
    snapshot: Path | Lake,
    *,
    max_rows: int = DEFAULTS["query_max_rows"],
    timeout_s: float = DEFAULTS["query_timeout"],
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
    fmt: str | None = None,
    max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES,
    at: int | datetime | None = None,
) -> QueryResult:
    """Check ``sql`` and run it on a locked-down reader in a process of its own; return at most ``max_rows``.

    The child's memory is capped by the kernel (``memory_limit`` bytes of data segment, DuckDB's own
    memory_limit at half of it), so allocations outside DuckDB's buffer manager (a 4 GB string from
    ``repeat``, a billion-element list from ``range``) fail in the child instead of growing the caller;
    the child is killed at ``timeout_s`` whether or not DuckDB notices an interrupt. Every failure is a
    ``QueryRefused`` with a code: ``timeout``, ``memory_limit``, ``result_too_large``, ``query_error``
    (DuckDB's message), ``busy`` (the snapshot could not be read), ``no_snapshot`` (``at`` names none the
    warehouse keeps), or one of ``check_sql``'s. ``at``: an earlier snapshot, by id or by the time it held
    (default: the published one). ``snapshot``: the lake, or a SQLite catalog's path (see ``open_reader``)."""
    if max_rows < 0:
        raise ValueError("max_rows must not be negative")
    if fmt is not None and fmt not in RENDERINGS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(RENDERINGS)}")
    check_sql(sql)  # here too, so a refused statement never costs a process
    target = snapshot if isinstance(snapshot, Lake) else Path(snapshot)
    job = _Job(sql, target, max_rows, int(memory_limit), fmt, int(max_result_bytes), float(timeout_s), at)
    child = subprocess.Popen(
        [sys.executable, "-P", "-c", "from fintech_metrics.reader.process import _child_main; _child_main()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = child.communicate(pickle.dumps(job), timeout=timeout_s)
    except subprocess.TimeoutExpired:
        raise QueryRefused(f"query cancelled after {timeout_s:.1f} s (time limit)", code="timeout") from None
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    if child.returncode != 0 or not out:
        raise QueryRefused(_died_message(memory_limit, child.returncode, err), code="memory_limit")
    outcome = pickle.loads(out)
    if isinstance(outcome, QueryResult):
        return outcome
    code, message = outcome
    raise QueryRefused(message, code=code)


@dataclass(frozen=True)
class _Job:
    sql: str
    snapshot: Path | Lake
    max_rows: int
    memory_limit: int
    fmt: str | None
    max_result_bytes: int
    timeout_s: float
    at: int | datetime | None = None


def _data_segment() -> int:
    """This process's data segment now, in bytes (what RLIMIT_DATA counts)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def _child_main() -> None:
    """A query process: read one job on stdin, cap memory and lifetime, run it, write one pickled outcome
    (a QueryResult, or (code, message)) on stdout, exit. Started by ``run_query`` as a fresh interpreter:
    nothing of the caller (threads, locks, open connections) comes along."""
    job = pickle.loads(sys.stdin.buffer.read())
    signal.alarm(math.ceil(job.timeout_s) + 1)
    try:
        opened = _open(job)
        if not isinstance(opened[1], duckdb.DuckDBPyConnection):
            outcome: Any = opened  # refused, or the snapshot could not be opened
        else:
            # The kernel refuses any allocation past the cap, wherever it comes from (DuckDB's buffer manager,
            # its strings and lists, Python). The cap is counted from the opened connection: the lake's
            # extensions and catalog (about 80 MB, the same for every query) are not the query's to spend. The
            # alarm ends the process a second after the caller gave up, even if the caller itself was killed.
            cap = _data_segment() + job.memory_limit
            resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
            outcome = _execute(job, *opened)
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        if len(payload) > job.max_result_bytes:
            payload = pickle.dumps(("result_too_large", _too_large_message(job.max_result_bytes)))
    except MemoryError:
        payload = pickle.dumps(("memory_limit", _memory_message(job.memory_limit)))
    except Exception as exc:  # a value Python or Arrow cannot convert, say: still one clear answer
        payload = pickle.dumps(("query_error", f"the query failed: {type(exc).__name__}: {exc}"))
    sys.stdout.buffer.write(payload)
    sys.stdout.buffer.flush()


def _open(job: _Job) -> tuple[str, duckdb.DuckDBPyConnection] | tuple[str, str]:
    """(the checked statement, a reader connection), or (code, message) for the caller to raise as QueryRefused."""
    try:
        text = check_sql(job.sql)
        return text, open_reader(job.snapshot, threads=QUERY_THREADS,
                                 memory_limit=f"{job.memory_limit // 2 >> 20}MB", at=job.at)
    except QueryRefused as exc:
        return exc.code, str(exc)
    except duckdb.IOException as exc:
        return "busy", f"the published snapshot could not be read: {exc}"
    except duckdb.Error as exc:
        return "query_error", str(exc)


def _execute(job: _Job, text: str, con: duckdb.DuckDBPyConnection) -> QueryResult | tuple[str, str]:
    """The query's outcome: a QueryResult, or (code, message) for the caller to raise as QueryRefused."""
    try:
        started = time.perf_counter()
        if job.fmt == "parquet":
            result = _fetch_parquet(con, text, job.max_rows)
        else:
            result = _fetch_rows(con, text, job.max_rows)
        result.elapsed_ms = round((time.perf_counter() - started) * 1000, 3)
        if job.fmt not in (None, "parquet"):
            result.body = render(result, job.fmt)
            result.rows = []
        return result
    except QueryRefused as exc:
        return exc.code, str(exc)
    except (duckdb.OutOfMemoryException, MemoryError):
        return "memory_limit", _memory_message(job.memory_limit)
    except duckdb.PermissionException as exc:
        return "file_access", f"refused by the database: {exc}"
    except duckdb.Error as exc:
        return "query_error", str(exc)
    except RecursionError:
        return "too_complex", "the result is nested too deeply to render"
    finally:
        con.close()


def _fetch_rows(con: duckdb.DuckDBPyConnection, text: str, max_rows: int) -> QueryResult:
    result = con.execute(text)
    description = result.description or []
    # Results stream in DuckDB 2.0, so fetching max_rows + 1 stops the scan early.
    fetched = result.fetchmany(max_rows + 1)
    return QueryResult(
        columns=[str(col[0]) for col in description],
        types=[str(col[1]).strip('"') for col in description],
        rows=[tuple(row) for row in fetched[:max_rows]],
        truncated=len(fetched) > max_rows,
        row_limit=max_rows,
        elapsed_ms=0.0,
    )


def _fetch_parquet(con: duckdb.DuckDBPyConnection, text: str, max_rows: int) -> QueryResult:
    """The rows as Parquet, through Arrow: every DuckDB type Arrow has (UUID as text, dates beyond year
    9999) keeps its value, where Python objects could not hold them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    relation = con.sql(text)
    columns, types = list(relation.columns), [str(kind).strip('"') for kind in relation.types]
    batches, count = [], 0
    for batch in relation.to_arrow_reader(min(max(max_rows, 1), 100_000) + 1):
        batches.append(batch)
        count += batch.num_rows
        if count > max_rows:
            break
    schema = batches[0].schema if batches else relation.limit(0).to_arrow_table().schema
    table = pa.Table.from_batches(batches, schema=schema).slice(0, max_rows)
    buffer = io.BytesIO()
    try:
        pq.write_table(table, buffer, compression="zstd")
    except (pa.ArrowException, ValueError) as exc:
        raise QueryRefused(
            f"the result cannot be written as Parquet ({exc}); cast that column, e.g. to VARCHAR", code="bad_format"
        ) from None
    return QueryResult(columns, types, [], count > max_rows, max_rows, 0.0, body=buffer.getvalue())


def _size(limit: int) -> str:
    return f"{limit / (1 << 30):.1f} GB" if limit >= 1 << 30 else f"{limit >> 20} MB"


def _memory_message(limit: int) -> str:
    return f"the query needed more than its memory limit of {_size(limit)}; filter or aggregate more"


def _died_message(limit: int, exitcode: int | None, stderr: bytes) -> str:
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit status {exitcode}"
    last = stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
    detail = f"; {last[0][:300]}" if last[0] else ""
    return f"the query process ended without an answer ({how}{detail}); {_memory_message(limit)}"


def _too_large_message(limit: int) -> str:
    return f"the result is larger than {_size(limit)}; select fewer rows or columns"
