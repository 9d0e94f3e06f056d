"""Crash points for the kill tests: `FINTECH_METRICS_CRASH_AT=<point>` makes a run SIGKILL itself there,
so tests can prove a run killed at that moment leaves the warehouse whole."""

from __future__ import annotations

import os
import signal

POINTS = ("extract", "load", "export", "publish")


def crash_point(name: str) -> None:
    if os.environ.get("FINTECH_METRICS_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
