"""The command line as a user runs it: extract, query, and their errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fintech_metrics.cli import app
from fintech_metrics.records import FIGURE_FIELDS

ARTICLE = Path(__file__).resolve().parents[1] / "raw" / "hk-fintech-week-2025.zh-Hans.txt"

runner = CliRunner()


def test_extract_jsonl_prints_exactly_the_figure_fields():
    result = runner.invoke(app, ["extract", str(ARTICLE), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 24
    assert all(tuple(r) == FIGURE_FIELDS for r in rows)
    first = rows[0]
    assert (first["surface"], first["value"], first["start"], first["end"]) == ("11月3日", "2025-11-03", 220, 225)


def test_extract_reads_standard_input():
    result = runner.invoke(app, ["extract", "-", "--format", "jsonl", "--published", "2025-11"],
                           input="香港的金融科技公司已超过1200家。11月3日开幕。".encode())
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["surface"], r["value"], r["entity"]) for r in rows] == [
        ("超过1200家", 1200, "香港"), ("11月3日", "2025-11-03", None)]


def test_extract_table_format():
    result = runner.invoke(app, ["extract", str(ARTICLE)])
    assert result.exit_code == 0
    assert "24 figures" in result.stdout and "超过6000亿美元" in result.stdout


def test_extract_names_a_bad_file_and_goes_on(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(empty), str(ARTICLE), "--format", "jsonl"])
    assert result.exit_code == 1
    assert f"error: {empty}: " in result.stderr and "empty" in result.stderr
    assert len(result.stdout.splitlines()) == 24


@pytest.mark.parametrize(("args", "stdin"), [
    (["extract", str(ARTICLE), "--format", "jsonl"], ""),
    (["evaluate", str(Path(__file__).parent / "fixtures" / "evaluate")], ""),
    (["normalize"], "九万四\n"),
], ids=lambda v: v[0] if isinstance(v, list) else "")
def test_the_quick_commands_import_neither_prefect_pandera_nor_duckdb(args: list[str], stdin: str):
    code = ("import sys; from fintech_metrics.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('LOADED', 'prefect' in sys.modules, 'pandera' in sys.modules, 'duckdb' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "LOADED False False False"


def test_query_answers_from_the_warehouse(built_warehouse: Path):
    result = runner.invoke(app, ["query", "select kind, count(*) as n from figures group by kind order by kind",
                                 "--format", "csv", "--warehouse", str(built_warehouse)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "kind,n\ncount,9\ndate,6\nduration,1\nmoney,2\npercent,6\n"


def test_a_relative_warehouse_is_taken_from_the_current_folder(built_warehouse: Path, monkeypatch):
    monkeypatch.chdir(built_warehouse.parent)
    result = runner.invoke(app, ["query", "select count(*) as n from figures", "--format", "csv",
                                 "--warehouse", built_warehouse.name])
    assert result.exit_code == 0, result.output
    assert result.stdout == "n\n24\n"


@pytest.mark.parametrize("sql, message", [
    ("delete from figures", "only read queries (SELECT) may run; this is a DELETE statement"),
    ("select 1; select 2", "only one statement may run at a time; found 2"),
    ("select * from read_csv('/etc/passwd')", "read_csv() reads files or the network and is not allowed"),
    ("attach '/tmp/x.duckdb'", "this is an ATTACH statement"),
    ("install httpfs", "this is an INSTALL statement"),
    ("set threads = 8", "this is a SET statement"),
    ("copy figures to '/tmp/f.csv'", "this is a COPY statement"),
])
def test_query_refuses_anything_but_one_read(built_warehouse: Path, sql: str, message: str):
    result = runner.invoke(app, ["query", sql, "--warehouse", str(built_warehouse)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not Path("/tmp/f.csv").exists()


def test_query_without_a_warehouse_says_what_to_do(tmp_path: Path):
    result = runner.invoke(app, ["query", "select 1", "--warehouse", str(tmp_path)])
    assert result.exit_code == 2
    assert "fintech-metrics run" in result.stderr


@pytest.mark.parametrize("command", ["run", "schedule"])
def test_a_batch_size_below_one_is_refused_before_anything_runs(tmp_path: Path, command: str):
    result = runner.invoke(app, [command, "--batch-size", "0", "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 2
    message = " ".join(result.output.replace("│", " ").split())
    assert ("Invalid value for '--batch-size' (env var: 'FINTECH_METRICS_BATCH_SIZE'): Input should be greater "
            "than or equal to 1") in message
    assert not (tmp_path / "wh").exists()


def test_version_and_short_help():
    from fintech_metrics import __version__
    from fintech_metrics.parsers import EXTRACTOR_VERSION

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"fintech-metrics {__version__} (extractor {EXTRACTOR_VERSION})\n"
    assert __version__ == "0.1.0"  # pyproject.toml's, read from the installed package's metadata
    short = runner.invoke(app, ["query", "-h"])
    assert short.exit_code == 0 and "--format" in short.stdout


@pytest.mark.parametrize("command", ["run", "schedule"])
def test_a_missing_raw_folder_is_one_line_and_creates_nothing(tmp_path: Path, command: str):
    wh = tmp_path / "wh"
    result = runner.invoke(app, [command, "--raw", str(tmp_path / "nosuch"), "--warehouse", str(wh)])
    assert result.exit_code == 2
    assert result.stderr == (f"error: the raw folder {tmp_path / 'nosuch'} does not exist "
                             "(--raw or FINTECH_METRICS_RAW)\n")
    assert not wh.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["run", "--nosuch"], "error: No such option: --nosuch (see fintech-metrics run -h)\n"),
    (["nosuch"], "error: No such command 'nosuch'. (see fintech-metrics -h)\n"),
    (["query", "select 1", "--max-rows", "0"], "error: Invalid value for '--max-rows' (env var: "
     "'FINTECH_METRICS_QUERY_MAX_ROWS'): Input should be greater than or equal to 1 (see fintech-metrics query -h)\n"),
    (["extract", "/no/such/article.txt"], "error: /no/such/article.txt: no such file\n"),
])
def test_a_mistake_on_the_command_line_is_one_error_line(args, message):
    out = subprocess.run([sys.executable, "-m", "fintech_metrics.cli", *args], capture_output=True, text=True)
    assert (out.returncode, out.stderr) == (2 if args[0] != "extract" else 1, message)
