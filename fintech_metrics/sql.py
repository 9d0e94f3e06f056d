"""SQL text built from values: quoted identifiers and literals, and a setting changed for one block."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def string(value: str | Path) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def literal(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if isinstance(value, int | float) else string(str(value))


@contextmanager
def setting(con: duckdb.DuckDBPyConnection, name: str, value: object) -> Iterator[None]:
    """SET `name` for the block, then back to what it was."""
    before = con.execute(f"SELECT current_setting({string(name)})").fetchall()[0][0]
    con.execute(f"SET {name} = {literal(value)}").fetchall()
    try:
        yield
    finally:
        con.execute(f"SET {name} = {literal(before)}").fetchall()
