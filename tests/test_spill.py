"""Where read-only queries spill: under the warehouse (or FINTECH_METRICS_READER_TMP), in a folder of their own
that goes with the connection, within a size cap; never into the current folder."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import small_warehouse

from fintech_metrics.reader import open_reader

SPILLS = "SELECT count(*) FROM (SELECT i, md5(i::VARCHAR) AS s FROM range(1000000) t(i) ORDER BY s)"


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return small_warehouse(tmp_path / "wh", "CREATE TABLE t AS SELECT 1 AS x")


def _setting(con: duckdb.DuckDBPyConnection, name: str) -> str:
    return con.execute(f"SELECT current_setting('{name}')").fetchall()[0][0]


def test_a_query_spills_under_the_warehouse_not_the_current_folder(snapshot: Path, tmp_path: Path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("FINTECH_METRICS_READER_TMP", raising=False)
    con = open_reader(snapshot, memory_limit="48MB")
    try:
        spill = Path(_setting(con, "temp_directory"))
        assert spill.parent == tmp_path / "wh" / ".reader-tmp"
        assert _setting(con, "max_temp_directory_size") != "90% of available disk space"
        assert con.execute(SPILLS).fetchall() == [(1000000,)]
        assert spill.is_dir()  # it did spill, there
        assert list(cwd.iterdir()) == []
    finally:
        con.close()
    assert not spill.exists()  # the connection's folder goes with it


def test_connections_spill_apart_and_a_configured_folder_wins(snapshot: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("FINTECH_METRICS_READER_TMP", str(tmp_path / "spill"))
    first, second = open_reader(snapshot), open_reader(snapshot)
    try:
        folders = {Path(_setting(con, "temp_directory")) for con in (first, second)}
        assert len(folders) == 2 and {f.parent for f in folders} == {tmp_path / "spill"}
    finally:
        first.close()
        second.close()


def test_without_a_writable_spill_folder_queries_run_in_memory_only(snapshot: Path, tmp_path: Path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FINTECH_METRICS_READER_TMP", str(blocker / "spill"))
    monkeypatch.chdir(tmp_path)
    con = open_reader(snapshot, memory_limit="48MB")
    try:
        assert _setting(con, "temp_directory") == ""
        assert con.execute("SELECT x FROM t").fetchall() == [(1,)]
        with pytest.raises(duckdb.OutOfMemoryException):
            con.execute(SPILLS).fetchall()
    finally:
        con.close()
    assert not (tmp_path / ".tmp").exists()
