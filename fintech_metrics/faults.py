"""Crash points for the kill tests: `FINTECH_METRICS_CRASH_AT=<point>` makes a process SIGKILL itself there,
so tests can prove one killed at that moment leaves the warehouse whole; `<point>:<n>` waits for the n-th
time the process reaches it. POINTS are a run's; `export` (after an export file is renamed into place) is the
download writer's (exports.py)."""

from __future__ import annotations

import os
import signal

POINTS = ("extract", "load", "publish")
_reached: dict[str, int] = {}


def crash_point(name: str) -> None:
    point, _, nth = os.environ.get("FINTECH_METRICS_CRASH_AT", "").partition(":")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
