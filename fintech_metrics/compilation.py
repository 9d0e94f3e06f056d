"""Whether the parsers run compiled (mypyc) or from their sources, decided once, when the package is imported.

The install compiles every module of `fintech_metrics.parsers` but its `__init__` (setup.py) and writes the digest
of their sources beside them. Compiled code that no longer matches its sources (a source edited after an editable
install) must never run, so then, and when FINTECH_METRICS_PURE_PYTHON is set, the package imports the sources:
what runs is always what the files say, compiled or not; only the speed differs.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

PACKAGE = "fintech_metrics.parsers"
PARSERS_DIR = Path(__file__).resolve().parent / "parsers"
STAMP = "compiled-sources.sha256"  # beside the compiled modules: the digest of the sources they were built from
PURE_PYTHON = "FINTECH_METRICS_PURE_PYTHON"
_NEVER_COMPILED = frozenset({"__init__"})


def compiled_modules(folder: Path = PARSERS_DIR) -> list[str]:
    """The modules the install compiles."""
    return sorted(p.stem for p in folder.glob("*.py") if p.stem not in _NEVER_COMPILED)


def digest(folder: Path = PARSERS_DIR) -> str:
    """One hash of the compiled modules' names and sources."""
    h = hashlib.sha256()
    for name in compiled_modules(folder):
        h.update(f"{name}\0".encode())
        h.update((folder / f"{name}.py").read_bytes())
        h.update(b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class Mode:
    compiled: bool
    reason: str  # why the sources run, or how the compiled modules were checked

    def __str__(self) -> str:
        return f"compiled (mypyc): {self.reason}" if self.compiled else f"Python sources: {self.reason}"


def _has_extension(folder: Path, name: str) -> bool:
    return any((folder / f"{name}{suffix}").exists() for suffix in importlib.machinery.EXTENSION_SUFFIXES)


def pure_python_asked(environ: Mapping[str, str] = os.environ) -> bool:
    """FINTECH_METRICS_PURE_PYTHON is set (to anything but 0): at install, compile nothing; at import, run the
    sources."""
    return environ.get(PURE_PYTHON, "") not in ("", "0")


def decide(folder: Path = PARSERS_DIR, environ: Mapping[str, str] = os.environ) -> Mode:
    """Compiled only when every module has its extension and the stamp matches the sources as they are now."""
    names = compiled_modules(folder)
    if pure_python_asked(environ):
        return Mode(False, f"{PURE_PYTHON} is set")
    missing = [n for n in names if not _has_extension(folder, n)]
    if len(missing) == len(names):
        return Mode(False, "not compiled at install (no C compiler, or the install set FINTECH_METRICS_PURE_PYTHON)")
    stamp = folder / STAMP
    if missing or not stamp.exists() or stamp.read_text("ascii").strip() != digest(folder):
        return Mode(False, "the sources changed since they were compiled; `pip install -e .` compiles them again")
    return Mode(True, "the sources are those it was built from")


class _Sources(importlib.abc.MetaPathFinder):
    """Finds the parser modules' .py files before the extension modules beside them."""

    def __init__(self, folder: Path, names: list[str]) -> None:
        self.folder, self.names = folder, frozenset(names)

    def find_spec(self, fullname: str, path: object = None, target: ModuleType | None = None
                  ) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != PACKAGE or name not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, self.folder / f"{name}.py")


def install() -> Mode:
    """Decide, and make the package import the sources when they are to run. Before any parser module imports."""
    mode = decide()
    if not mode.compiled and not any(isinstance(f, _Sources) for f in sys.meta_path):
        sys.meta_path.insert(0, _Sources(PARSERS_DIR, compiled_modules()))
    return mode
