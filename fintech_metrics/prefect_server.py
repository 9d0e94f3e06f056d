"""Prefect's temporary server for one `fintech-metrics run`, started before the run imports Prefect.

Without PREFECT_API_URL, Prefect starts the same server itself, but only once the flow is called: after the
command's imports (about 4 s), and the server then takes 4–11 s more to start (on a warehouse's first run it
creates its database). Started first, it starts on the second core while the command imports on the first.
The server is Prefect's own (`create_app` under uvicorn, as `SubprocessASGIServer` runs it): no UI, and none of
the background services of `prefect server start`, which would take CPU from the workers.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .schedule import free_port, stop_server, wait_healthy

# What SubprocessASGIServer sets for the server it starts: no UI, an ephemeral (temporary) server.
EPHEMERAL_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}


def server_command(port: int) -> list[str]:
    """Prefect's temporary server on 127.0.0.1:port, as SubprocessASGIServer starts it."""
    spec = importlib.util.find_spec("prefect")  # its folder, without importing Prefect (1–3 s)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Prefect is not installed")
    app_dir = Path(next(iter(spec.submodule_search_locations))).parent
    return [sys.executable, "-m", "uvicorn", "--app-dir", str(app_dir), "--factory",
            "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on"]


def start_early() -> Callable[[], None]:
    """Point PREFECT_API_URL at a temporary server started now, or at the one this process started already (one a
    process, stopped when it exits, as Prefect's own); the caller's work runs while it starts, and the function
    returned waits until it answers. Nothing is started when PREFECT_API_URL names another server."""
    global _started
    given = os.environ.get("PREFECT_API_URL")
    if given and (_started is None or given != _started[0]):
        return lambda: None
    if _started is None:
        port = free_port()
        server = subprocess.Popen(server_command(port), env={**os.environ, **EPHEMERAL_ENV})
        # At exit, after Prefect's own exit handlers (threading's, run first) have sent the last logs and events.
        atexit.register(stop_server, server, 5)
        _started = (f"http://127.0.0.1:{port}/api", server)
    url, server = _started
    os.environ["PREFECT_API_URL"] = url
    os.environ.setdefault("PREFECT_UI_URL", "")  # no UI is served: no "View at" link to it
    return lambda: wait_healthy(url, server, "Prefect's temporary server", poll_s=0.1)


_started: tuple[str, subprocess.Popen] | None = None
