"""What `run` shows while it works: its phases with counts on a terminal, nothing in a pipe or a log."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from fintech_metrics import progress


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def phase(self, name: str, total: int | None = None, unit: str = "") -> None:
        self.events.append(("phase", name, total, unit))

    def advance(self, items: int) -> None:
        self.events.append(("advance", items))

    def finish(self) -> None:
        self.events.append(("finish",))


@pytest.mark.e2e
def test_the_flow_reports_each_phase_with_its_counts(prefect_harness, raw_copy: Path, tmp_path: Path):
    from flows.pipeline import build

    (raw_copy / "b.txt").write_text("香港有8家虚拟银行。", encoding="utf-8")
    (raw_copy / "c.txt").write_text("The fund grew 5% in 2024.", encoding="utf-8")
    with progress.installed(Recorder()) as shown:
        build(raw_dir=str(raw_copy), warehouse_dir=str(tmp_path / "wh"), batch_size=2)
    assert shown.events == [
        ("phase", "scan", None, "files"), ("advance", 3),
        ("phase", "extract", 3, "files"), ("advance", 2), ("advance", 1),
        ("phase", "load", None, ""), ("phase", "publish", None, ""), ("finish",),
    ]


def test_a_terminal_gets_a_progress_display_and_a_pipe_gets_nothing():
    assert isinstance(progress.for_console(Console(file=io.StringIO())), progress.Quiet)
    out = io.StringIO()
    shown = progress.for_console(Console(file=out, force_terminal=True, width=100))
    assert isinstance(shown, progress.RichReporter)
    with progress.installed(shown):
        shown.phase("scan", unit="files")
        shown.advance(1200)
        shown.phase("extract", total=1200, unit="files")
        shown.advance(1200)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    assert re.search(r"✓ scan .* 1,200/1,200 ", text) and re.search(r"✓ extract .* 1,200/1,200 ", text)
    assert isinstance(progress.report(), progress.Quiet)  # the run's display is gone with the run
