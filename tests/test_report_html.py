"""The HTML report in a real browser: it renders, logs no console error, and shows document text as text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no headless Chromium on this machine (apt-get install chromium)"
)
HOSTILE = (
    'Police said 40 people were arrested in Lyon <script>document.title="pwned"</script> and '
    "<img src=x onerror=\"document.title='pwned'\"> on Sunday.\n"
)


def _chromium(url: str, *extra: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def test_console_detector_sees_errors(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>console.error('boom'); undefinedCall();</script></body></html>")
    run = _chromium(page.as_uri(), "--dump-dom", profile=tmp_path / "profile")
    assert console_errors(run.stderr), run.stderr[-2000:]


def test_html_report_renders_escaped(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "hostile.txt"
    doc.write_text(HOSTILE, encoding="utf-8")
    added = runner.invoke(
        app, ["add", str(doc), "--publisher", "Le Progrès", "--published", "2018-01-05", "--db", loaded_db]
    )
    assert added.exit_code == 0, added.stderr
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--format", "html", "-o", str(report), "--db", loaded_db])
    assert result.exit_code == 0, result.stderr
    html = report.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html  # self-contained: nothing to fetch
    assert "&lt;script&gt;" in html and "<script>" not in html

    dom = _chromium(report.as_uri(), "--dump-dom", profile=tmp_path / "p1")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not console_errors(dom.stderr), console_errors(dom.stderr)
    assert "<title>claimdb discrepancy report</title>" in dom.stdout  # no injected script ran
    assert "<img" not in dom.stdout  # the document's markup is text, not elements
    assert "&lt;img src=x onerror=" in dom.stdout
    assert "<svg" in dom.stdout and "<mark>more than 8,000</mark>" in dom.stdout

    shot = tmp_path / "report.png"
    run = _chromium(report.as_uri(), f"--screenshot={shot}", "--window-size=1200,1600", profile=tmp_path / "p2")
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
