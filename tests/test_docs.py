"""The README stays complete: every command, table and view is documented (as Datasette's docs tests do)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fintech_metrics.cli import app
from schemas import TABLES, VIEWS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(c.name or c.callback.__name__ for c in app.registered_commands))
def test_every_command_is_in_the_readme(command):
    assert f"`fintech-metrics {command}" in README


@pytest.mark.parametrize("name", sorted([*TABLES, *VIEWS]))
def test_every_table_and_view_is_in_the_readme(name):
    assert f"| `{name}` |" in README


def test_no_merge_leftovers():
    for marker in ("<<<<<<<", ">>>>>>>", "\n=======\n"):
        assert marker not in README


def _options() -> list[tuple[str, str]]:
    import typer.main

    commands = typer.main.get_command(app).commands
    return sorted({(name, opt) for name, command in commands.items() for param in command.params
                   for opt in param.opts if opt.startswith("--") and opt != "--help"})


@pytest.mark.parametrize(("command", "option"), _options())
def test_every_option_is_in_the_readme(command, option):
    assert option in README, f"{command} {option}"


@pytest.mark.parametrize(("table", "column"), sorted((t, c) for t, spec in TABLES.items() for c in spec.columns))
def test_every_table_column_is_in_the_readme(table, column):
    assert f"`{column}`" in README, f"{table}.{column}"
