"""Where the flow's batch tasks run: a process pool on this machine (the default; parsing is
CPU-bound Python, so threads would share one core), or a Dask cluster through prefect-dask."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner


class Runner(StrEnum):
    process = "process"
    dask = "dask"


def check_runner(kind: Runner | str, address: str | None) -> None:
    """ValueError with a message a person can act on, for a runner that cannot be built."""
    try:
        kind = Runner(kind)
    except ValueError:
        raise ValueError(f"unknown runner {kind!r}: use one of {', '.join(r.value for r in Runner)}") from None
    if kind is Runner.process and address:
        raise ValueError("--address is for --runner dask")


def worker_count(workers: int | None) -> int:
    """The workers a run asked for, else one per core: what the local pool and a LocalCluster start."""
    return workers or os.cpu_count() or 1


def task_runner(kind: Runner | str = Runner.process, *, address: str | None = None,
                workers: int | None = None) -> TaskRunner:
    """process: one worker per core. dask: the cluster at `address`, else a LocalCluster of `workers`."""
    check_runner(kind, address)
    kind = Runner(kind)
    if kind is Runner.process:
        return ProcessPoolTaskRunner(max_workers=worker_count(workers))
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": worker_count(workers), "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})


@contextmanager
def shared_api() -> Iterator[None]:
    """Point worker processes at this process's temporary Prefect server: started without
    PREFECT_API_URL, each would start a server of its own (about 10 s and 200 MB apiece)."""
    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    if server.server_process is None:
        yield
        return
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield
