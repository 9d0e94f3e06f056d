"""Compiles the parsers with mypyc at install; everything else about the package is in pyproject.toml.

The parsers are pure Python. Compiled, they take about a quarter less time per article (docs/performance.md) and
give the same output. Without a C compiler, or with FINTECH_METRICS_PURE_PYTHON=1, the install keeps the sources.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def _compilation() -> ModuleType:
    """fintech_metrics/compilation.py, which says what is compiled, read without importing the package."""
    path = ROOT / "fintech_metrics" / "compilation.py"
    spec = importlib.util.spec_from_file_location("_fintech_metrics_compilation", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # a dataclass looks its module up
    spec.loader.exec_module(module)
    return module


compilation = _compilation()


def _warn(why: str) -> None:
    print(f"fintech-metrics: the parsers are not compiled ({why}); they run from their Python sources, more slowly",
          file=sys.stderr)


def _extensions() -> list[Extension]:
    if compilation.pure_python_asked():
        return []
    try:
        from mypyc.build import mypycify

        # relative to the project folder, where pip runs this: mypyc names each module from its path
        sources = [os.path.relpath(compilation.PARSERS_DIR / f"{name}.py") for name in compilation.compiled_modules()]
        # separate: one library per module, so the C compiler runs on every core
        return mypycify(["--ignore-missing-imports", *sources], opt_level="3", debug_level="0", separate=True)
    except (Exception, SystemExit) as e:  # no mypyc, or a type error it refuses to compile
        _warn(f"mypyc: {e}")
        return []


class BuildParsers(build_ext):
    """Compiles on every core, writes the digest of the sources beside what they compiled to, and keeps the sources
    when they cannot be compiled."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if not self.parallel:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        try:
            super().run()
        except Exception as e:  # no C compiler (CCompilerError, DistutilsExecError, DistutilsPlatformError)
            _warn(str(e))
            return
        parsers = [e.name for e in self.extensions if e.name.startswith(f"{compilation.PACKAGE}.")]
        if parsers:  # beside the parser modules, wherever this build puts them (the source tree when editable)
            built = Path(self.get_ext_fullpath(parsers[0])).parent
            (built / compilation.STAMP).write_text(compilation.digest() + "\n", "ascii")


setup(ext_modules=_extensions(), cmdclass={"build_ext": BuildParsers})
