"""Web pages as documents: the article's main text and what the page says about it.

`read_page` takes a page's HTML and returns an `Article`: the main text without navigation, adverts and comments
(trafilatura), its paragraphs separated by blank lines as the extractor expects and its headline first; the title,
the site's name (the publisher), the author, the canonical URL, and the publication date the page's own metadata
gives (htmldate, without guessing from the text: a date found in the text is the extractor's to estimate)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.errors import InputError

_LINE_BREAKS = re.compile(r"\n+")
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())  # what they warn of is reported as InputError here


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None
    publisher: str | None
    author: str | None
    published: dt.date | None
    canonical_url: str | None


def decode_html(body: bytes, charset: str | None) -> str:
    """The page's text, in the charset the server named, else the one the page declares, else UTF-8."""
    from trafilatura.utils import decode_file

    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    decoded = decode_file(body)
    return decoded if isinstance(decoded, str) else decoded.decode("utf-8", errors="replace")


def read_page(html: str, *, url: str | None, origin: str) -> Article:
    """The article in `html` (found at `url`, if it was fetched). Raises InputError when the page holds no article
    text (a login wall, an index page, a script-only page)."""
    import trafilatura
    from htmldate import find_date

    if not html.strip():
        raise InputError(f"{origin}: empty page")
    found = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,  # its cache spans calls: a page seen before would come back empty
    )
    body = (getattr(found, "text", None) or "").strip() if found is not None else ""
    if not body:
        raise InputError(f"{origin}: no article text found in the page")
    title = _clean(getattr(found, "title", None))
    paragraphs = [p.strip() for p in _LINE_BREAKS.split(body) if p.strip()]
    if title and (not paragraphs or paragraphs[0].rstrip(" .") != title.rstrip(" .")):
        paragraphs.insert(0, title)  # the headline is part of what the article says
    published = None
    try:
        day = find_date(html, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        day = None
    if day:
        published = dt.date.fromisoformat(day)
    canonical = getattr(found, "url", None)
    if canonical and urlsplit(canonical).scheme not in ("http", "https"):
        canonical = None
    return Article(
        text="\n\n".join(paragraphs) + "\n",
        title=title,
        publisher=_clean(getattr(found, "sitename", None)) or _host(url),
        author=_clean(getattr(found, "author", None)),
        published=published,
        canonical_url=canonical or url,
    )


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else None
    return value or None


def _host(url: str | None) -> str | None:
    if not url or urlsplit(url).scheme not in ("http", "https"):
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
