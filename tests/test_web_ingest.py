"""`claimdb add` from the web: URLs, local pages, WARC archives and feeds, served by a test server on 127.0.0.1.

The pages are real public-domain articles of the development corpus (Voice of America, tests/real), wrapped at run
time in the HTML a news site sends: navigation, scripts, a footer, and the metadata trafilatura and htmldate read."""

from __future__ import annotations

import gzip
import html
import io
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from app import capture
from app.cli.main import app

REAL = Path(__file__).parent / "real"
NORWAY = REAL / "norway-attacks-2011-07" / "01_voa"
NEPAL = REAL / "nepal-earthquake-2015-04" / "04_voa"


@dataclass(frozen=True)
class Story:
    title: str
    paragraphs: list[str]
    url: str
    published: str


def _story(stem: Path) -> Story:
    meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    parts = [p.strip() for p in stem.with_suffix(".txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return Story(title=parts[0], paragraphs=parts[1:], url=meta["url"], published=meta["published"])


def _page(story: Story, *, canonical: str) -> bytes:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(story.title)} | Voice of America</title>
<link rel="canonical" href="{canonical}">
<meta property="og:site_name" content="Voice of America">
<meta property="og:title" content="{html.escape(story.title)}">
<meta name="author" content="VOA News">
<meta property="article:published_time" content="{story.published}T12:00:00Z">
<script>window.analytics = {{"track": true}};</script>
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/africa">Africa</a> | <a href="/asia">Asia</a></nav>
<main><article><h1>{html.escape(story.title)}</h1>
<div class="byline">VOA News</div>
{body}
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Markets rally</a></li><li><a href="/b">Sports roundup</a></li></ul></aside>
<footer>Voice of America. Share this story. Follow us.</footer>
</body></html>""".encode()


def _feed(base: str, stories: list[tuple[str, Story]]) -> bytes:
    items = "\n".join(
        f"<item><title>{html.escape(s.title)}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>Mon, 25 Jul 2011 10:00:00 GMT</pubDate></item>"
        for path, s in stories
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>VOA World</title><link>{base}/</link>
<description>Test feed</description>{items}</channel></rss>""".encode()


class Site:
    """A small news site: pages, a feed, and the ways fetching goes wrong."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.hits: dict[str, int] = {}
        self.base = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                if self.path == "/slow":
                    time.sleep(1.5)
                status, headers, body = site.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"gone"))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that stops reading (the size limit) is expected here, not an error to print


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    server = _QuietServer(("127.0.0.1", 0), s.handler())
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    norway, nepal = _story(NORWAY), _story(NEPAL)
    page = {"Content-Type": "text/html; charset=utf-8"}
    s.routes = {
        "/norway": (200, page, _page(norway, canonical=f"{s.base}/world/norway-gunman")),
        "/nepal": (200, page, _page(nepal, canonical=f"{s.base}/nepal")),
        "/old-norway": (301, {"Location": "/norway"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/slow": (200, page, _page(nepal, canonical=f"{s.base}/slow")),
        "/logo.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        "/big": (200, page, b"<html><body>" + b"<p>x</p>" * 200_000 + b"</body></html>"),
        "/empty": (200, page, b"<html><head><title>Login</title></head><body><form></form></body></html>"),
        "/feed.xml": (
            200,
            {"Content-Type": "application/rss+xml"},
            _feed(s.base, [("/norway", norway), ("/nepal", nepal)]),
        ),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield s
    finally:
        server.shutdown()
        server.server_close()


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_add_a_url_keeps_article_metadata_and_the_raw_response(site: Site, empty_db: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["add", f"{site.base}/old-norway", "--db", empty_db])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{site.base}/old-norway: added as document 1 (")
    assert lines[-1] == "1 added, 0 skipped"
    [(title, url, canonical, author, published, precision, publisher, body)] = _rows(
        empty_db,
        "SELECT d.title, d.url, d.canonical_url, d.author, d.published, d.published_precision, s.name, d.text "
        "FROM document d JOIN source s ON s.id = d.publisher_id",
    )
    norway = _story(NORWAY)
    assert title == norway.title and publisher == "Voice of America" and author == "VOA News"
    assert url == f"{site.base}/old-norway" and canonical == f"{site.base}/world/norway-gunman"
    assert str(published) == norway.published and precision == "day"
    paragraphs = str(body).split("\n\n")
    assert paragraphs[0] == norway.title  # the headline first, then the article's paragraphs, spaces as a page shows
    assert paragraphs[1:] == [" ".join(p.split()) for p in norway.paragraphs[:-1]] + [
        " ".join(norway.paragraphs[-1].split()) + "\n"
    ]
    assert "Most read" not in str(body) and "analytics" not in str(body) and "Follow us" not in str(body)
    [(final_url, status, content_type, sha, warc)] = _rows(
        empty_db, "SELECT final_url, status, content_type, sha256, warc FROM capture"
    )
    assert (final_url, status, content_type) == (f"{site.base}/norway", 200, "text/html")
    records = [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(bytes(warc)))  # type: ignore[arg-type]
    ]
    assert len(records) == 1
    rec_type, target, payload = records[0]
    assert (rec_type, target) == ("response", f"{site.base}/norway")
    assert payload == site.routes["/norway"][2]
    import hashlib

    assert sha == hashlib.sha256(payload).hexdigest()
    claims = _rows(empty_db, "SELECT count(*) FROM claim")[0][0]
    assert claims and int(str(claims)) > 0


def test_the_same_url_again_is_skipped_without_fetching(site: Site, empty_db: str, runner: CliRunner) -> None:
    assert runner.invoke(app, ["add", f"{site.base}/nepal", "--db", empty_db]).exit_code == 0
    again = runner.invoke(app, ["add", f"{site.base}/nepal", "--db", empty_db])
    assert again.exit_code == 0
    assert again.stderr == f"{site.base}/nepal: already in the database; skipped (document 1)\n"
    assert again.stdout == "0 added, 1 skipped\n"
    assert site.hits["/nepal"] == 1
    # the canonical address counts as the same page
    canonical = runner.invoke(app, ["add", f"{site.base}/world/norway-gunman", "--db", empty_db])
    assert canonical.exit_code == 1  # not served: the page is only known under its canonical name after adding


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP 404 Not Found"),
        ("/logo.png", "image/png is not something claimdb reads here"),
        ("/loop", "more than 5 redirects"),
        ("/empty", "no article text found in the page"),
    ],
)
def test_a_failing_url_is_one_line_and_the_others_still_land(
    site: Site, empty_db: str, runner: CliRunner, path: str, message: str
) -> None:
    result = runner.invoke(app, ["add", f"{site.base}{path}", f"{site.base}/nepal", "--db", empty_db])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {site.base}{path}: {message}"), line
    assert result.stdout.splitlines()[-1] == "1 added, 0 skipped, 1 failed"
    assert _rows(empty_db, "SELECT count(*) FROM document")[0][0] == 1
    assert "Traceback" not in result.stderr


def test_size_limit_and_timeout(site: Site, empty_db: str, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMDB_MAX_PAGE_MB", "1")
    big = runner.invoke(app, ["add", f"{site.base}/big", "--db", empty_db])
    assert big.exit_code == 1
    assert big.stderr == f"error: {site.base}/big: 1.6 MB is over the 1 MB page limit\n"
    monkeypatch.setattr(capture, "TIMEOUT_SECONDS", 0.3)
    slow = runner.invoke(app, ["add", f"{site.base}/slow", "--db", empty_db])
    assert slow.exit_code == 1
    assert slow.stderr == f"error: {site.base}/slow: no answer within 0.3 s\n"
    assert _rows(empty_db, "SELECT count(*) FROM document")[0][0] == 0


def test_a_feed_adds_each_new_item_once(site: Site, empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    first = runner.invoke(app, ["add", "--feed", f"{site.base}/feed.xml", "--db", empty_db])
    assert first.exit_code == 0, first.stderr
    assert first.stdout.splitlines()[-1] == "2 added, 0 skipped"
    assert {r[0] for r in _rows(empty_db, "SELECT url FROM document")} == {f"{site.base}/norway", f"{site.base}/nepal"}
    feed_file = tmp_path / "feed.xml"
    feed_file.write_bytes(site.routes["/feed.xml"][2])
    again = runner.invoke(app, ["add", "--feed", str(feed_file), "--db", empty_db])
    assert again.exit_code == 0
    assert again.stdout == "0 added, 0 skipped\n"
    assert site.hits["/norway"] == site.hits["/nepal"] == 1


def test_not_a_feed_is_refused(site: Site, empty_db: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["add", "--feed", f"{site.base}/nepal", "--db", empty_db])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {site.base}/nepal: not an RSS or Atom feed")
    assert _rows(empty_db, "SELECT count(*) FROM document")[0][0] == 0


def test_local_page_and_web_archive(site: Site, empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "norway.html"
    page.write_bytes(site.routes["/norway"][2])
    fetched = capture.fetch(f"{site.base}/nepal", accept=capture.HTML_TYPES)
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(capture.warc_record(fetched))
    result = runner.invoke(app, ["add", str(page), str(archive), "--db", empty_db])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "2 added, 0 skipped"
    rows = _rows(
        empty_db,
        "SELECT d.origin, d.url, c.final_url, c.warc FROM document d JOIN capture c ON c.document_id = d.id ORDER BY d.id",
    )
    (origin1, url1, final1, warc1), (origin2, url2, final2, _) = rows
    assert origin1 == "norway.html" and url1 is None and str(final1).startswith("file:")
    assert [r.rec_type for r in ArchiveIterator(io.BytesIO(bytes(warc1)))] == ["resource"]  # type: ignore[arg-type]
    assert origin2 == url2 == final2 == f"{site.base}/nepal"


def test_unreadable_archive_and_unknown_file_kinds_are_refused(
    empty_db: str, runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.warc.gz"
    bad.write_bytes(gzip.compress(b"this is not a WARC record"))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    for path, message in [
        (bad, f"error: {bad}: not a readable WARC file"),
        (pdf, f"error: {pdf}: not a document claimdb reads (*.txt, *.md, *.html, *.htm, *.warc, *.warc.gz)"),
    ]:
        result = runner.invoke(app, ["add", str(path), "--db", empty_db])
        assert result.exit_code == 1
        assert result.stderr.startswith(message), result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert _rows(empty_db, "SELECT count(*) FROM document")[0][0] == 0


def test_json_reports_new_document_and_claim_ids(site: Site, empty_db: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["add", f"{site.base}/norway", f"{site.base}/nepal", "--json", "--db", empty_db])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["added"], report["skipped"], report["failed"]) == (2, 0, [])
    for doc in report["documents"]:
        ids = [
            r[0] for r in _rows(empty_db, f"SELECT id FROM claim WHERE document_id = {doc['document_id']} ORDER BY id")
        ]
        assert doc["claim_ids"] == ids and doc["claims"] == len(ids) > 0


def test_ctrl_c_stops_between_documents(
    site: Site, empty_db: str, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli import add as documents

    real_add = documents.add_one
    calls = {"n": 0}

    def interrupted_on_the_second(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real_add(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "add_one", interrupted_on_the_second)
    result = runner.invoke(app, ["add", f"{site.base}/norway", f"{site.base}/nepal", "--db", empty_db])
    assert result.exit_code == 130
    assert result.stderr == (
        "interrupted after 1 of 2 documents: the ones reported are in the database, the one being added is not\n"
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{site.base}/norway: added as document 1 (")  # reported as it landed
    assert lines[-1] == "1 added, 0 skipped"
    assert _rows(empty_db, "SELECT url FROM document") == [(f"{site.base}/norway",)]
