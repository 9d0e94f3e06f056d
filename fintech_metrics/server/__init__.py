"""`fintech-metrics serve`: the published snapshot and its exports over HTTP (no Prefect here)."""

from .app import create_app
from .config import ServeConfig, is_loopback

__all__ = ["ServeConfig", "create_app", "is_loopback"]
