"""Settings are declared once: the CLI's options, their environment variables and defaults, and the README's
table all follow `SETTINGS`."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from fintech_metrics.cli import app
from fintech_metrics.server import ServeConfig
from fintech_metrics.settings import SETTINGS, load_settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(app).commands


@pytest.mark.parametrize("name", list(SETTINGS))
def test_every_setting_is_a_row_of_the_readme_table(name):
    setting = SETTINGS[name]
    row = next((line for line in README.splitlines() if line.startswith(f"| `{name}` |")), None)
    assert row is not None, f"no README row for the setting {name}"
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[2] == f"`{setting.envvar}`"
    assert cells[3] == ("—" if setting.default is None else f"`{setting.default}`")
    for command in setting.commands:
        assert f"`{command}`" in cells[1] and cells[1].startswith(f"`{setting.option}`")


@pytest.mark.parametrize(("name", "command"), [(n, c) for n, s in SETTINGS.items() for c in s.commands])
def test_every_option_takes_its_variable_and_default_from_the_list(name, command):
    setting = SETTINGS[name]
    [param] = [p for p in COMMANDS[command].params if p.envvar == setting.envvar]
    assert setting.option in param.opts
    assert param.default == setting.default and param.show_envvar


def test_options_that_are_settings_are_all_in_the_list():
    declared = {s.envvar for s in SETTINGS.values()}
    for name, command in COMMANDS.items():
        for param in command.params:
            if param.envvar:
                assert param.envvar in declared, f"{name} {param.opts}"


def test_the_server_and_the_query_runner_default_to_the_list():
    config = ServeConfig(Path("s.duckdb"), Path("exports"))
    assert (config.max_rows, config.max_download_rows, config.timeout_s, config.memory_limit) == (
        SETTINGS["page_max_rows"].default, SETTINGS["max_download_rows"].default,
        SETTINGS["serve_timeout"].default, SETTINGS["memory_mb"].default << 20)


def test_paths_come_from_the_project_folder_never_the_installed_package(tmp_path, monkeypatch):
    monkeypatch.delenv("FINTECH_METRICS_RAW", raising=False)
    monkeypatch.delenv("FINTECH_METRICS_WAREHOUSE", raising=False)
    monkeypatch.delenv("FINTECH_METRICS_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    here = load_settings()
    assert (here.raw_dir, here.warehouse_dir) == (tmp_path / "raw", tmp_path / "warehouse")
    monkeypatch.setenv("FINTECH_METRICS_ROOT", str(tmp_path / "project"))
    monkeypatch.setenv("FINTECH_METRICS_WAREHOUSE", "wh")
    there = load_settings()
    assert (there.raw_dir, there.warehouse_dir) == (tmp_path / "project" / "raw", tmp_path / "project" / "wh")
    assert load_settings(raw_dir=tmp_path / "given").raw_dir == tmp_path / "given"


def test_an_environment_variable_sets_an_option(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    monkeypatch.setenv("FINTECH_METRICS_RAW", str(tmp_path / "from-env"))
    result = CliRunner().invoke(app, ["run", "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 2
    assert f"the raw folder {tmp_path / 'from-env'} does not exist" in result.stderr


def test_the_catalog_and_the_data_path_are_taken_from_the_project_folder_unless_a_url(tmp_path, monkeypatch):
    for name in ("ROOT", "WAREHOUSE", "CATALOG", "DATA_PATH"):
        monkeypatch.delenv(f"FINTECH_METRICS_{name}", raising=False)
    monkeypatch.chdir(tmp_path)
    default = load_settings()
    assert (default.catalog, default.data_path) == (None, None)
    given = load_settings(catalog="sqlite:lake/catalog.sqlite", data_path="lake/data")
    assert (given.catalog, given.data_path) == (f"sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}",
                                                str(tmp_path / "lake" / "data"))
    monkeypatch.setenv("FINTECH_METRICS_CATALOG", "postgres:dbname=lake host=db")
    monkeypatch.setenv("FINTECH_METRICS_DATA_PATH", "s3://bucket/lake/")
    from_env = load_settings()
    assert (from_env.catalog, from_env.data_path) == ("postgres:dbname=lake host=db", "s3://bucket/lake/")
