"""DuckLake connections: extensions from the installed packages, readers in other processes see the last committed
snapshot while a writer works, older snapshots by id or time, and a locked-down reader still reads the lake."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pytest

from fintech_metrics import lake

READ_IN_ANOTHER_PROCESS = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from fintech_metrics import lake
    the_lake = lake.lake_in(Path(sys.argv[1]))
    at = int(sys.argv[2]) if len(sys.argv) > 2 else None
    con = lake.connect(the_lake, read_only=True, at=at)
    files, folders = (", ".join("'" + p + "'" for p in paths) for paths in the_lake.reader_paths())
    for statement in (f"SET allowed_paths = [{files}]", f"SET allowed_directories = [{folders}]",
                      "SET enable_external_access = false",
                      "SET lock_configuration = true"):
        con.execute(statement).fetchall()
    print(json.dumps(con.execute("SELECT list(v ORDER BY id) FROM t").fetchall()[0][0]))
""")


def _read(warehouse: Path, at: int | None = None) -> list[str]:
    args = [sys.executable, "-c", READ_IN_ANOTHER_PROCESS, str(warehouse), *([str(at)] if at is not None else [])]
    out = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_a_reader_sees_the_last_committed_snapshot_while_the_writer_works_and_older_ones_by_id(tmp_path):
    the_lake = lake.lake_in(tmp_path)
    with lake.connect(the_lake) as con:
        con.execute("CREATE TABLE t (id BIGINT, v VARCHAR)").fetchall()
        con.execute("INSERT INTO t VALUES (1, 'first')").fetchall()
        first = lake.snapshots(con)[-1][0]
        con.execute("BEGIN TRANSACTION").fetchall()
        con.execute("DELETE FROM t WHERE id = 1").fetchall()
        con.execute("INSERT INTO t VALUES (2, 'second'), (3, 'third')").fetchall()
        assert _read(tmp_path) == ["first"]  # the writer's open transaction is not seen
        con.execute("COMMIT").fetchall()
        assert _read(tmp_path) == ["second", "third"]
        assert _read(tmp_path, at=first) == ["first"]
        ids = [snapshot for snapshot, _ in lake.snapshots(con)]
    assert ids[-1] == first + 1  # one commit, one snapshot
    assert (tmp_path / "catalog.sqlite").is_file()  # small changes are inlined there; larger ones go to data/


def test_a_snapshot_is_read_by_the_time_it_held(tmp_path):
    the_lake = lake.lake_in(tmp_path)
    with lake.connect(the_lake) as con:
        con.execute("CREATE TABLE t (id BIGINT, v VARCHAR)").fetchall()
        con.execute("INSERT INTO t VALUES (1, 'first')").fetchall()
        held = lake.snapshots(con)[-1][1]
        con.execute("INSERT INTO t VALUES (2, 'second')").fetchall()
    with lake.connect(the_lake, read_only=True, at=held) as old:
        assert old.execute("SELECT count(*) FROM t").fetchall() == [(1,)]


@pytest.mark.parametrize("name", ["sqlite", "httpfs"])
def test_a_missing_extension_package_is_named_with_the_command_that_installs_it(monkeypatch, name):
    import duckdb

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda module, *a: None if module == f"duckdb_extension_{name}" else real(module, *a))
    with pytest.raises(lake.MissingExtension) as caught:
        lake.extension_file(name)
    assert str(caught.value) == (f"the DuckDB extension {name} is not installed: pip install "
                                 f"'duckdb-extension-{name}=={duckdb.__version__}'")
    assert lake.extension_file("ducklake").name == "ducklake.duckdb_extension"


def test_the_catalog_is_sqlite_in_the_warehouse_unless_given(tmp_path):
    default = lake.lake_in(tmp_path)
    assert (default.catalog, default.data_path) == (f"sqlite:{tmp_path / 'catalog.sqlite'}", f"{tmp_path}/data/")
    assert (default.extensions(), default.reader_paths()) == (
        ["ducklake", "sqlite"], ([str(tmp_path / "catalog.sqlite")], [f"{tmp_path}/data/"]))
    given = lake.lake_in(tmp_path, catalog="postgres:dbname=lake host=db password=s3cret", data_path="s3://bucket/lake")
    assert (given.backend, given.data_path, given.catalog_file, given.missing()) == (
        "postgres", "s3://bucket/lake/", None, False)
    assert (given.extensions(), given.reader_paths()) == (["ducklake", "postgres", "httpfs"], ([], ["s3://bucket/lake/"]))
    assert given.shown() == "postgres:dbname=lake host=db password=***"
    with pytest.raises(ValueError, match="give sqlite:<file> or postgres:<connection string>"):
        lake.lake_in(tmp_path, catalog="mysql:db")
    with pytest.raises(ValueError) as caught:
        lake.lake_in(tmp_path, data_path="az://container/lake")
    assert str(caught.value) == ("data_path 'az://container/lake': give a folder or an object-store URL "
                                 "(s3://…, gs://…, gcs://…, r2://…)")


def test_a_data_path_in_an_object_store_loads_httpfs_from_its_package(tmp_path):
    the_lake = lake.lake_in(tmp_path, data_path="s3://no-such-bucket/lake/")
    with lake.connect(the_lake) as con:
        assert con.execute("SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'httpfs'").fetchall() == [
            (True,)]
        con.execute("CREATE TABLE t (id BIGINT)").fetchall()
        con.execute("INSERT INTO t VALUES (1)").fetchall()  # a few rows stay in the catalog: no bucket is reached
        assert con.execute("SELECT data_path FROM ducklake_settings('warehouse')").fetchall() == [
            ("s3://no-such-bucket/lake/",)]


def test_a_password_in_the_catalog_is_in_no_message(tmp_path):
    import duckdb

    the_lake = lake.lake_in(tmp_path, catalog=f"postgres:dbname=lake host={tmp_path} port=5999 password='s3 cret'")
    with pytest.raises(duckdb.IOException) as caught:
        lake.connect(the_lake, read_only=True)
    assert "s3 cret" not in str(caught.value)
    assert f'Unable to connect to Postgres at "dbname=lake host={tmp_path} port=5999 password=***"' in str(caught.value)


def test_a_catalog_the_lake_cannot_take_is_one_error_line(tmp_path):
    from typer.testing import CliRunner

    from fintech_metrics.cli import app

    result = CliRunner().invoke(app, ["query", "select 1", "--warehouse", str(tmp_path), "--catalog", "mysql:db"])
    assert (result.exit_code, result.stderr) == (
        2, "error: catalog 'mysql:db': give sqlite:<file> or postgres:<connection string>\n")


def test_a_warehouse_of_the_versions_before_ducklake_is_refused_with_how_to_rebuild(tmp_path):
    from typer.testing import CliRunner

    from fintech_metrics.cli import app

    wh = tmp_path / "wh"
    wh.mkdir()
    (wh / "fintech.duckdb").write_bytes(b"")
    result = CliRunner().invoke(app, ["run", "--warehouse", str(wh), "--raw", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {wh} was built by a version before DuckLake (fintech.duckdb); rebuild it from raw/: move the folder "
        "away (or run with another --warehouse) and run `fintech-metrics run`")


@pytest.mark.e2e
def test_each_run_records_its_snapshot_and_query_at_reads_an_earlier_one(raw_copy, tmp_path, prefect_harness):
    from typer.testing import CliRunner

    from fintech_metrics.cli import app
    from flows.pipeline import build

    wh = tmp_path / "wh"
    build(raw_dir=str(raw_copy), warehouse_dir=str(wh))
    (raw_copy / "second.en.txt").write_text("The HKMA said 12 virtual banks held HK$50 billion of deposits.\n",
                                            encoding="utf-8")
    build(raw_dir=str(raw_copy), warehouse_dir=str(wh))

    def query(sql: str, *options: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, ["query", sql, "--warehouse", str(wh), "--format", "csv", *options])
        return result.exit_code, result.stdout + result.stderr

    code, out = query("select snapshot_id from runs order by started_at")
    first, second = (int(line) for line in out.split()[1:])
    assert code == 0 and second > first
    assert query("select count(*) as n from articles") == (0, "n\n2\n")
    assert query("select count(*) as n from articles", "--at", str(first)) == (0, "n\n1\n")
    code, out = query("select 1", "--at", "yesterday")
    assert code == 2 and "'yesterday' is neither a snapshot id nor a time" in out
    code, out = query("select 1", "--at", "999999")
    assert code == 2 and out.startswith("error: the warehouse keeps no snapshot 999999 (expired, or not made yet)")

    # export: the same files as the downloads, of the published snapshot or an earlier one
    result = CliRunner().invoke(app, ["export", "--warehouse", str(wh), "--to", str(tmp_path / "old"), "--at",
                                      str(first)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"snapshot {first}: ")
    assert pl.read_parquet(tmp_path / "old" / "articles.parquet").height == 1
    assert pl.read_csv(tmp_path / "old" / "runs.csv").height == 1
    result = CliRunner().invoke(app, ["export", "--warehouse", str(wh), "--to", str(tmp_path / "now")])
    assert result.stdout == f"snapshot {second}: 20 files in {tmp_path / 'now'}\n"
    assert (tmp_path / "now" / "figures.parquet").read_bytes() == (
        wh / "exports" / str(second) / "figures.parquet").read_bytes()  # the file the server sends
    assert sorted(p.name for p in (wh / "exports").iterdir()) == sorted([str(first), str(second)])

    # maintain: every snapshot before the published one is past a policy of 0 days
    result = CliRunner().invoke(app, ["maintain", "--warehouse", str(wh), "--keep-days", "0"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("files merged: ") and "snapshots expired: " in result.stdout
    assert result.stdout.endswith("; export folders removed: 1\n")
    assert sorted(p.name for p in (wh / "exports").iterdir()) == [str(second)]  # the downloads of `first` are gone
    code, out = query("select 1", "--at", str(first))
    assert code == 2 and out.startswith(f"error: the warehouse keeps no snapshot {first}")
    assert query("select count(*) as n from articles") == (0, "n\n2\n")  # the published snapshot stays
    with lake.connect(lake.lake_in(wh), read_only=True) as con:
        assert [sid for sid, _ in lake.snapshots(con)] == [second]
