"""fintech-metrics: figures and metrics from fintech news articles."""

from importlib.metadata import PackageNotFoundError, version

from . import compilation

try:
    __version__ = version("fintech-metrics")  # declared once, in pyproject.toml
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"

# Before any parser module is imported: compiled parsers run only if built from the sources as they are now.
PARSERS = compilation.install()
