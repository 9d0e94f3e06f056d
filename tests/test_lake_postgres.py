"""The warehouse with its DuckLake catalog in a real PostgreSQL server (the `catalog` setting): runs commit to it,
readers read it locked down, `query --at` reads an earlier snapshot, `maintain` expires them.

The server is Debian's (package postgresql; `.ci/run` installs it), started for the session in a temporary folder
and listening on a Unix socket only."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fintech_metrics import lake

SERVER_PACKAGE = "postgresql"


def server_binaries() -> Path | None:
    """The folder of PostgreSQL's initdb, pg_ctl and createdb: on PATH, else Debian's
    /usr/lib/postgresql/<version>/bin (the newest); None when the server is not installed."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    installed = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb") if p.parent.parent.name.isdigit()]
    return max(installed, key=lambda folder: int(folder.parent.name)) if installed else None


@pytest.fixture(scope="session")
def postgres_catalog() -> Iterator[str]:
    """A fresh PostgreSQL cluster with an empty database `lake`, as the `catalog` setting names it."""
    binaries = server_binaries()
    if binaries is None:
        pytest.skip(f"PostgreSQL's server (initdb, pg_ctl) is not installed: apt-get install {SERVER_PACKAGE}")
    as_server: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip(f"running as root with no postgres user to run the server as (Debian's {SERVER_PACKAGE} "
                        "makes it)")
        as_server = ["runuser", "-u", "postgres", "--"]
    # Not under pytest's temporary folder, which only root may enter: the server's user must reach it.
    home = Path(tempfile.mkdtemp(prefix="fm-pg-"))
    if as_server:
        shutil.chown(home, "postgres")
    data, port = home / "data", "5432"  # a socket of our own folder: no port is taken

    def server(tool: str, *args: str, check: bool = True) -> None:
        done = subprocess.run([*as_server, str(binaries / tool), *args], capture_output=True, text=True, timeout=60)
        log = home / "server.log"
        assert done.returncode == 0 or not check, (
            f"{tool} failed: {done.stderr}{log.read_text() if log.exists() else ''}")

    try:
        server("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")
        server("pg_ctl", "-D", str(data), "-l", str(home / "server.log"), "-w", "-o",
               f"-k {home} -p {port} -c listen_addresses='' -c fsync=off", "start")
        server("createdb", "-h", str(home), "-p", port, "-U", "postgres", "lake")
        yield f"postgres:dbname=lake host={home} port={port} user=postgres"
    finally:
        server("pg_ctl", "-D", str(data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(home, ignore_errors=True)


@pytest.mark.e2e
def test_a_warehouse_with_its_catalog_in_postgres(postgres_catalog, raw_copy, tmp_path, prefect_harness,
                                                  monkeypatch):
    import duckdb
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from fintech_metrics.cli import app
    from fintech_metrics.reader import open_reader
    from fintech_metrics.server import ServeConfig, create_app

    wh = tmp_path / "wh"
    the_lake = lake.lake_in(wh, catalog=postgres_catalog)

    def cli(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, [*args, "--warehouse", str(wh)])
        return result.exit_code, result.stdout + result.stderr

    def query(sql: str, *options: str) -> tuple[int, str]:
        return cli("query", sql, "--format", "csv", *options)

    def snapshot_ids() -> list[int]:
        with lake.connect(the_lake, read_only=True) as con:
            return [sid for sid, _ in lake.snapshots(con)]

    code, out = cli("run", "--raw", str(raw_copy), "--catalog", postgres_catalog)
    assert code == 0, out
    assert f"warehouse: {postgres_catalog}\n" in out
    assert not (wh / "catalog.sqlite").exists()  # the catalog is the server's
    first = snapshot_ids()[-1]
    assert query("select count(*) as n from articles", "--catalog", postgres_catalog) == (0, "n\n1\n")

    # the second run names the catalog by its environment variable, and commits one more snapshot
    monkeypatch.setenv("FINTECH_METRICS_CATALOG", postgres_catalog)
    (raw_copy / "second.en.txt").write_text("The HKMA said 12 virtual banks held HK$50 billion of deposits.\n",
                                            encoding="utf-8")
    code, out = cli("run", "--raw", str(raw_copy))
    assert code == 0, out
    second = first + 1
    assert snapshot_ids()[-2:] == [first, second]
    assert query("select (select count(*) from articles) as articles, (select count(*) from figures join articles "
                 "using (article_id) where source_path = 'second.en.txt') as its_figures, (select string_agg("
                 "snapshot_id::varchar, ' ' order by started_at) from runs) as snapshots"
                 ) == (0, f"articles,its_figures,snapshots\n2,2,{first} {second}\n")
    assert query("select count(*) as n from articles", "--at", str(first)) == (0, "n\n1\n")

    # a locked-down reader still reads the catalog, and no file; but external access off does not stop the
    # postgres extension's own connections: the first wall refuses them (docs/deploying.md says so)
    scan = f"select count(*) as n from postgres_scan('{postgres_catalog.removeprefix('postgres:')}', 'public', " \
           "'ducklake_snapshot')"
    with open_reader(the_lake) as con:
        assert con.execute("select count(*) from articles").fetchall() == [(2,)]
        assert con.execute("select current_setting('enable_external_access')").fetchall() == [(False,)]
        with pytest.raises(duckdb.PermissionException):
            con.execute("select * from read_csv('/etc/passwd')").fetchall()
        with pytest.raises(duckdb.InvalidInputException, match="configuration has been locked"):
            con.execute("SET enable_external_access = true").fetchall()
        assert con.execute(scan).fetchall() == [(len(snapshot_ids()),)]
    assert query(scan) == (2, "error: postgres_scan() reads files or the network and is not allowed; query the "
                              "warehouse tables instead\n")

    # the server reads the same lake
    config = ServeConfig(snapshot_path=wh / "catalog.sqlite", exports_dir=wh / "exports", lake=the_lake)
    answer = TestClient(create_app(config)).get("/api/query", params={"sql": "select count(*) as n from articles"})
    assert (answer.status_code, answer.json()["rows"]) == (200, [[2]])

    # maintain: every snapshot before the published one is past a policy of 0 days
    code, out = cli("maintain", "--keep-days", "0")
    assert code == 0, out
    assert snapshot_ids() == [second]
    code, out = query("select 1", "--at", str(first))
    assert code == 2 and out.startswith(f"error: the warehouse keeps no snapshot {first}")
