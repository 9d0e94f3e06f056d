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
