"""End to end in a real browser: `fintech-metrics serve` in a subprocess, driven by headless Chromium
through Playwright with JavaScript disabled (the page must not need it)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
KINDS_SQL = "select kind, count(*) as n from figures group by kind order by kind"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(served_warehouse: Path, tmp_path_factory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", "from fintech_metrics.cli import main; main()", "serve",
             "--port", str(port), "--warehouse", str(served_warehouse)],
            stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def page():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]'); browser test skipped")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.skip("chromium is not installed (apt-get install chromium); browser test skipped")
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists()
                                                 else shutil.which("chromium"), args=CHROMIUM_ARGS)
        except sync_api.Error as exc:
            pytest.skip(f"chromium could not be launched by playwright; browser test skipped: {exc}")
        context = browser.new_context(java_script_enabled=False, accept_downloads=True)
        yield context.new_page()
        context.close()
        browser.close()


def test_listing_download_and_query_in_a_browser(page, server: str):
    page.goto(f"{server}/")
    assert page.title() == "fintech-metrics"
    assert page.locator("#last-refreshed").inner_text() == "2025-11-05T08:30:00Z"
    names = page.locator("#catalogue tbody tr td:first-child").all_inner_texts()
    assert names == ["articles", "figures", "metrics", "quarantine", "sources", "runs", "metric_history",
                     "metric_latest", "metric_forecast_latest", "figures_in_context"]
    assert page.locator("#catalogue tbody tr td.rows").all_inner_texts() == ["1", "24", "17", "0", "1", "1", "17",
                                                                             "15", "2", "24"]
    assert page.locator("svg title").first.text_content() == "account_opening_success_rate — bank_of_east_asia (%)"

    with page.expect_download() as info:
        page.locator("#row-figures").get_by_role("link", name="Parquet").click()
    download = info.value
    assert download.suggested_filename == "figures.parquet"
    figures = pl.read_parquet(download.path())
    assert figures.height == 24
    assert figures.filter(pl.col("kind") == "money")["surface"].to_list() == ["超过6000亿美元", "1亿港元"]

    page.locator("#sql").fill(KINDS_SQL)
    page.get_by_role("button", name="Run query").click()
    page.wait_for_url("**/query?**")
    assert page.locator("#result-summary").inner_text().startswith("5 rows")
    header = page.locator("#result thead th").all_inner_texts()
    assert [h.split("\n")[0] for h in header] == ["kind", "n"]
    rows = [row.locator("td").all_inner_texts() for row in page.locator("#result tbody tr").all()]
    assert rows == [["count", "9"], ["date", "6"], ["duration", "1"], ["money", "2"], ["percent", "6"]]
    assert page.locator("#sql").input_value() == KINDS_SQL

    with page.expect_download() as info:
        page.locator("#download-parquet").click()
    result = pl.read_parquet(info.value.path())
    assert result.to_dicts()[0] == {"kind": "count", "n": 9}
    assert result.height == 5


def test_refused_query_shows_the_reason(page, server: str):
    page.goto(f"{server}/")
    page.locator("#sql").fill("drop table figures")
    page.get_by_role("button", name="Run query").click()
    page.wait_for_url("**/query?**")
    assert page.locator("#query-error").inner_text() == (
        "only read queries (SELECT) may run; this is a DROP statement")


def test_browse_a_table_click_a_facet_and_a_page_link(page, server: str, tmp_path: Path):
    page.goto(f"{server}/")
    page.locator("#catalogue").get_by_role("link", name="figures", exact=True).click()
    page.wait_for_url("**/tables/figures")
    assert page.locator("#count").inner_text().startswith("24 rows")
    page.goto(page.url + "?_size=5")
    page.locator("#facet-kind").get_by_role("link", name="count").click()
    assert page.locator("#count").inner_text().startswith("9 rows where kind exact 'count'")
    assert len(page.locator("#rows tbody tr").all()) == 5
    page.locator("#next").click()
    assert len(page.locator("#rows tbody tr").all()) == 4
    assert page.locator("#pages").inner_text().endswith("rows 6–9")
    kinds = page.locator("#rows tbody tr td:nth-child(5)").all_inner_texts()
    assert kinds == ["count"] * 4
    page.screenshot(path=str(tmp_path / "browse.png"), full_page=True)
    assert (tmp_path / "browse.png").stat().st_size > 10_000
