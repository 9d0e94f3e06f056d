"""The code stays ruff-clean, and the parsers type-check: part of the one test command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    path = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(path).exists():
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return path


def test_ruff_is_clean():
    out = subprocess.run([_tool("ruff"), "check", str(ROOT)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_parsers_type_check():
    """mypy over the files pyproject.toml names ([tool.mypy]): the parsers and their records."""
    out = subprocess.run([_tool("mypy")], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_chinese_parsers_stay_in_small_steps():
    """No function of the Chinese parsers, their dates and numerals is more complex than ruff's defaults allow
    (C901 at 10, PLR0912, PLR0915): the long ones were broken into named steps (issue 18)."""
    parsers = ROOT / "fintech_metrics" / "parsers"
    files = [str(parsers / name) for name in ("candidate.py", "zh.py", "dates.py", "numerals.py")]
    out = subprocess.run([_tool("ruff"), "check", "--select", "C901,PLR0912,PLR0915",
                          "--config", "lint.mccabe.max-complexity=10", *files], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
