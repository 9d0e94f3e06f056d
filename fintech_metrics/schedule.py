"""`fintech-metrics schedule`: serve the flow on a cron schedule with Prefect's own scheduler.

Prefect cannot schedule on its temporary server, so without PREFECT_API_URL this starts a Prefect
server on loopback (its data under the warehouse's Prefect home), serves on it, and stops both on
Ctrl-C or SIGTERM. With PREFECT_API_URL set it uses that server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .settings import Settings, prefect_environment

DEPLOYMENT = "scheduled"
SERVER_START_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def local_prefect_server(settings: Settings, port: int | None = None) -> Iterator[str]:
    """A `prefect server start` on 127.0.0.1 for as long as the block runs; yields its API URL."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/api"
    # The UI asks the server where its API is; unless told, the server answers with the default port 4200.
    env = {**os.environ, **prefect_environment(settings), "PREFECT_UI_API_URL": url,
           "PREFECT_SERVER_API_HOST": "127.0.0.1", "PREFECT_SERVER_API_PORT": str(port)}
    env.pop("PREFECT_API_URL", None)
    prefect = Path(sys.executable).with_name("prefect")
    log = settings.prefect_home / "server.log"
    settings.prefect_home.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        server = subprocess.Popen(
            [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        wait_healthy(url, server, "the Prefect server", poll_s=0.5, see=f"; see {log}")
        yield url
    finally:
        stop_server(server, grace_s=20)


def wait_healthy(url: str, server: subprocess.Popen, name: str, poll_s: float, see: str = "") -> None:
    """Wait until the Prefect server at `url` answers its health check; an error naming it (and `see`, where its log
    is) if it exits or does not answer within SERVER_START_TIMEOUT_S."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{name} exited with status {server.returncode}{see}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(poll_s)
    raise RuntimeError(f"{name} did not answer within {SERVER_START_TIMEOUT_S} s{see}")


def stop_server(server: subprocess.Popen, grace_s: float) -> None:
    """Terminate a server process, killing it if it has not exited within grace_s."""
    server.terminate()
    try:
        server.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def serve(settings: Settings, cron: str, batch_size: int | None = None) -> None:
    """Serve the flow on `cron` against the current PREFECT_API_URL until stopped."""
    from flows.pipeline import build

    build.serve(
        name=DEPLOYMENT,
        cron=cron,
        parameters={"raw_dir": str(settings.raw_dir), "warehouse_dir": str(settings.warehouse_dir),
                    "batch_size": batch_size, "catalog": settings.catalog, "data_path": settings.data_path},
        pause_on_shutdown=False,
        description=f"Bring {settings.warehouse_dir} up to date with {settings.raw_dir}.",
    )
