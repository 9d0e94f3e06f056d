"""The temporary Prefect server `fintech-metrics run` starts before it imports Prefect."""

from __future__ import annotations

import json
import os
import urllib.request

from fintech_metrics import prefect_server
from fintech_metrics.schedule import stop_server


def test_a_server_named_by_prefect_api_url_is_used_and_none_is_started(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setattr(prefect_server, "_started", None)
    prefect_server.start_early()()
    assert prefect_server._started is None
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:9/api"


def test_the_early_server_answers_and_is_started_once_a_process(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_UI_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    monkeypatch.setattr(prefect_server, "_started", None)
    try:
        prefect_server.start_early()()
        url = os.environ["PREFECT_API_URL"]
        with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
            assert json.loads(response.read()) is True
        prefect_server.start_early()()  # a second run in the same process: the same server
        assert os.environ["PREFECT_API_URL"] == url
        assert os.environ["PREFECT_UI_URL"] == ""  # no UI is served: Prefect links to none
    finally:
        if prefect_server._started is not None:
            stop_server(prefect_server._started[1], 5)
