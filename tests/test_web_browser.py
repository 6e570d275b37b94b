"""The web app in a real browser: `claimdb serve` on a free 127.0.0.1 port over the fixtures database, driven by
Playwright in Debian's headless Chromium (/usr/bin/chromium; no browser is downloaded). A reviewer opens an event,
rejects a claim and sees the verdict change; screenshots go to tmp_path. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed (pip install -e '.[dev]')"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no /usr/bin/chromium (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(loaded_db: str, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli.main", "serve", "--port", str(port), "--db", loaded_db],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError((tmp_path / "server.log").read_text())
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not start in 30 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def page() -> Iterator[Page]:
    assert sync_playwright is not None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        yield tab
        assert errors == [], errors  # no script error, no blocked resource
        browser.close()


def test_reject_a_claim_and_see_the_verdict_change(server: str, page: Page, tmp_path: Path) -> None:
    page.goto(f"{server}/events")
    assert page.title() == "Events · claimdb"
    page.click("text=iran-protests-2017-18")
    page.wait_for_url("**/events/iran-protests-2017-18")
    arrests = page.locator("section.group", has=page.locator("h2", has_text="arrest_count"))
    assert arrests.locator(".verdict").inner_text() == "DIVERGENT" or (
        arrests.locator(".verdict").get_attribute("data-verdict") == "divergent"
    )
    page.screenshot(path=str(tmp_path / "event-before.png"), full_page=True)
    row = arrests.locator("tr", has=page.locator("mark", has_text="more than 8,000"))
    assert row.count() == 1
    row.locator("button.reject").click()
    page.wait_for_url("**/events/iran-protests-2017-18")
    assert "rejected: 'more than 8,000'" in page.locator(".flash").inner_text()
    arrests = page.locator("section.group", has=page.locator("h2", has_text="arrest_count"))
    assert arrests.locator(".verdict").get_attribute("data-verdict") != "divergent"
    assert arrests.locator("mark", has_text="more than 8,000").count() == 0  # out of the comparison
    rejected = page.locator("h2", has_text="Rejected")
    assert rejected.count() == 1
    page.screenshot(path=str(tmp_path / "event-after.png"), full_page=True)
    # the change log names who did it
    page.click("text=Change log")
    assert page.locator("td", has_text="reject").count() >= 1
    for shot in ("event-before.png", "event-after.png"):
        data = (tmp_path / shot).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
