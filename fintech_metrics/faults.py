"""Crash points for the kill tests: `FINTECH_METRICS_CRASH_AT=<point>` makes a run SIGKILL itself there,
so tests can prove a run killed at that moment leaves the warehouse whole; `<point>:<n>` waits for the n-th
time the run reaches it (`export:5`: after the fifth export file)."""

from __future__ import annotations

import os
import signal

POINTS = ("extract", "load", "export", "publish")
_reached: dict[str, int] = {}


def crash_point(name: str) -> None:
    point, _, nth = os.environ.get("FINTECH_METRICS_CRASH_AT", "").partition(":")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
