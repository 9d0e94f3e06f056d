"""The README stays complete: every command, table and view is documented (as Datasette's docs tests do)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fintech_metrics.cli import app
from schemas import TABLES, VIEWS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


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


def _slug(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.name)
def test_every_link_between_the_docs_resolves(page: Path):
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
        if target.startswith(("http://", "https://")):
            continue
        file, _, anchor = target.partition("#")
        dest = (page.parent / file).resolve() if file else page
        if not dest.exists():
            broken.append(target)
        elif anchor and dest.suffix == ".md":
            headings = re.findall(r"(?m)^#+ (.*)$", dest.read_text(encoding="utf-8"))
            if anchor not in {_slug(h) for h in headings}:
                broken.append(target)
    assert broken == []
