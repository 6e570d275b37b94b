"""Bringing pages in from the web, and keeping what came back.

`fetch` asks a URL with a maintained HTTP client (httpx): timeouts, a size limit read as the body streams in,
redirects followed up to a limit, the content type checked against what the caller can read. What the server sent
is a `Capture`: the URL asked and the URL answered, status, headers, body, capture time and the body's sha256.
`warc_record` keeps a capture as one gzipped WARC response record (warcio), the archive format web archives use;
`read_warc` reads the response records of a .warc or .warc.gz file back as captures.

Every failure is a `FetchError` whose message is one line naming the URL and what went wrong."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from app.errors import InputError

PAGE_MB_VAR = "CLAIMDB_MAX_PAGE_MB"
DEFAULT_PAGE_MB = 10.0
"""The largest page `fetch` reads: a news article's HTML is some hundreds of kilobytes."""
TIMEOUT_SECONDS = 20.0
"""Connect, read, write and pool timeout, each."""
MAX_REDIRECTS = 5
USER_AGENT = "claimdb (+https://github.com/claimdb; a fact-checking database)"

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
)


class FetchError(InputError):
    """A URL could not be brought in: refused, unreachable, too large, of a type claimdb cannot read."""


@dataclass(frozen=True)
class Capture:
    """What a server sent for one URL, as it was sent."""

    url: str
    """The URL asked for."""
    final_url: str
    """The URL that answered, after redirects."""
    status: int
    content_type: str
    """The media type, lower case, without parameters ('text/html')."""
    charset: str | None
    headers: tuple[tuple[str, str], ...]
    body: bytes
    captured_at: dt.datetime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


def max_page_bytes() -> int:
    raw = os.environ.get(PAGE_MB_VAR)
    try:
        mb = float(raw) if raw else DEFAULT_PAGE_MB
    except ValueError:
        raise InputError(f"{PAGE_MB_VAR}={raw!r}: a number of megabytes") from None
    if mb <= 0:
        raise InputError(f"{PAGE_MB_VAR}={raw!r}: must be more than 0")
    return int(mb * 1_000_000)


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _media_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    parts = [p.strip() for p in header.split(";")]
    charset = next((p.split("=", 1)[1].strip("\"' ") for p in parts[1:] if p.lower().startswith("charset=")), None)
    return parts[0].lower(), charset


def fetch(url: str, *, accept: tuple[str, ...], max_bytes: int | None = None) -> Capture:
    """GET `url`, following redirects, and return what came back if it is one of the `accept`ed media types and
    no larger than `max_bytes` (default: CLAIMDB_MAX_PAGE_MB, else 10 MB). Raises FetchError with one line."""
    import httpx

    limit = max_page_bytes() if max_bytes is None else max_bytes
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise FetchError(f"{url}: not an http(s) URL")
    captured_at = dt.datetime.now(dt.UTC)
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=TIMEOUT_SECONDS,
                headers={"User-Agent": USER_AGENT, "Accept": ", ".join(accept) + ", */*;q=0.1"},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
            media, charset = _media_type(response.headers.get("content-type"))
            if media and media not in accept:
                raise FetchError(f"{url}: {media} is not something claimdb reads here (wanted {', '.join(accept)})")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{url}: {int(declared) / 1e6:.1f} MB is over the {limit / 1e6:g} MB page limit")
            body = io.BytesIO()
            for chunk in response.iter_bytes():
                body.write(chunk)
                if body.tell() > limit:
                    raise FetchError(f"{url}: more than the {limit / 1e6:g} MB page limit")
            return Capture(
                url=url,
                final_url=str(response.url),
                status=response.status_code,
                content_type=media or accept[0],
                charset=charset,
                headers=tuple(response.headers.multi_items()),
                body=body.getvalue(),
                captured_at=captured_at,
            )
    except httpx.TooManyRedirects:
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise FetchError(f"{url}: no answer within {TIMEOUT_SECONDS:g} s") from None
    except httpx.HTTPError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FetchError(f"{url}: cannot fetch: {reason}") from None


def warc_record(capture: Capture) -> bytes:
    """The capture as one gzipped WARC/1.1 record with its target URI, date and payload digest: a `response`
    record (HTTP status and headers kept) for what a server sent, a `resource` record for a local file."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
    warc_headers = {"WARC-Date": capture.captured_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if capture.final_url.startswith("file:"):
        record = writer.create_warc_record(
            capture.final_url,
            "resource",
            payload=io.BytesIO(capture.body),
            warc_content_type=capture.content_type,
            warc_headers_dict=warc_headers,
        )
    else:
        dropped = ("content-encoding", "transfer-encoding", "content-length")  # the body is kept decoded
        headers = [(k, v) for k, v in capture.headers if k.lower() not in dropped]
        headers.append(("Content-Length", str(len(capture.body))))
        phrase = HTTPStatus(capture.status).phrase if capture.status in HTTPStatus._value2member_map_ else ""
        http_headers = StatusAndHeaders(f"{capture.status} {phrase}".strip(), headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            capture.final_url,
            "response",
            payload=io.BytesIO(capture.body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
    writer.write_record(record)
    return out.getvalue()


def read_warc(path: Path) -> Iterator[Capture]:
    """The HTML and text response records of a WARC file, each as a capture (`warc_record` writes it back)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    with stream:
        records = 0
        try:
            for record in ArchiveIterator(stream):
                if record.format == "arc" and record.http_headers is None:
                    continue  # warcio reads any text as an old ARC record; one without HTTP headers is no record
                records += 1
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                media, charset = _media_type(record.http_headers.get_header("Content-Type"))
                if media not in HTML_TYPES + TEXT_TYPES:
                    continue
                body = record.content_stream().read()
                status_line = record.http_headers.get_statuscode() or "200"
                date = record.rec_headers.get_header("WARC-Date") or ""
                try:
                    captured = dt.datetime.fromisoformat(date.replace("Z", "+00:00"))
                except ValueError:
                    captured = dt.datetime.now(dt.UTC)
                url = record.rec_headers.get_header("WARC-Target-URI") or str(path)
                capture = Capture(
                    url=url,
                    final_url=url,
                    status=int(status_line) if status_line.isdigit() else 200,
                    content_type=media,
                    charset=charset,
                    headers=tuple(record.http_headers.headers),
                    body=body,
                    captured_at=captured,
                )
                yield capture
        except ArchiveLoadFailed as exc:
            raise InputError(f"{path}: not a readable WARC file ({str(exc).splitlines()[0]})") from None
        if records == 0:
            raise InputError(f"{path}: not a readable WARC file (no record in it)")


def local_capture(path: Path, body: bytes, *, content_type: str) -> Capture:
    """A local file as if it had been fetched: its file URI, the time it was read."""
    uri = path.resolve().as_uri()
    return Capture(
        url=uri,
        final_url=uri,
        status=200,
        content_type=content_type,
        charset=None,
        headers=(("Content-Type", content_type),),
        body=body,
        captured_at=dt.datetime.now(dt.UTC),
    )
