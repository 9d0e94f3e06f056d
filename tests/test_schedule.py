"""`fintech-metrics schedule` as an operator runs it: a local Prefect server, a one-minute cron, a file
dropped into raw/ picked up by the next run, and a clean stop on SIGTERM. Takes two to three minutes."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from fintech_metrics.reader import QueryRefused, run_query

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]


def _published(wh: Path, sql: str) -> int | None:
    try:
        return run_query(sql, wh / "catalog.sqlite").rows[0][0]
    except (QueryRefused, OSError):
        return None


def _wait_for(check, what: str, timeout_s: float, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(2)
    pytest.fail(f"timed out waiting for {what}; schedule log:\n{log.read_text(errors='replace')[-3000:]}")


def test_a_scheduled_run_picks_up_a_new_file(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "wh"
    shutil.copytree(ROOT / "raw", raw)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    log = tmp_path / "schedule.log"
    cmd = [sys.executable, "-m", "fintech_metrics.cli", "schedule", "--cron", "* * * * *", "--raw", str(raw),
           "--warehouse", str(wh)]
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for(lambda: (_published(wh, "select count(*) from runs") or 0) >= 1, "the first scheduled run",
                  180, log)
        assert _published(wh, "select count(*) from articles") == 1
        _assert_ui_finds_its_api(log.read_text())
        (raw / "new.txt").write_text("香港现有8家虚拟银行。", encoding="utf-8")
        _wait_for(lambda: _published(wh, "select count(*) from articles") == 2, "a run that loads new.txt", 150,
                  log)
        assert _published(wh, "select count(*) from sources where source_path = 'new.txt'") == 1
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=90) == 0, log.read_text(errors="replace")[-3000:]
        printed = log.read_text()
        assert "stopped the schedule and the Prefect server" in printed
        assert re.search(r"run [\w-]+: started\n", printed), printed
        assert re.search(r"run [\w-]+: finished: files: 1 \(1 new, 0 changed", printed), printed
        assert re.search(r"run [\w-]+: finished: files: 2 \(1 new, 0 changed, 1 unchanged", printed), printed
    finally:
        leftovers = _alive_in_group_after(proc.pid, EXIT_GRACE_S)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert leftovers == [], f"processes outlived the schedule command by {EXIT_GRACE_S} s"


def _assert_ui_finds_its_api(printed: str) -> None:
    """The UI address the command prints works: the UI is told the API's real address, not Prefect's default."""
    ui = re.search(r"started a Prefect server at (http://127\.0\.0\.1:\d+) ", printed)
    assert ui, printed
    with urllib.request.urlopen(f"{ui[1]}/ui-settings", timeout=10) as response:
        assert json.load(response)["api_url"] == f"{ui[1]}/api"


# multiprocessing's resource tracker only sees its parent's end when the parent has gone, so it is still
# exiting for a moment after the command returns; anything alive after this grace period was left behind.
EXIT_GRACE_S = 10


def _alive_in_group_after(pgid: int, grace_s: float) -> list[str]:
    """Processes of the group still running after `grace_s` (zombies are exited, merely unreaped)."""
    deadline = time.monotonic() + grace_s
    while True:
        ps = subprocess.run(["ps", "-o", "pid=,stat=,args=", "-g", str(pgid)], capture_output=True, text=True).stdout
        alive = [line.strip() for line in ps.splitlines() if line.split() and line.split()[1][0] != "Z"]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)
