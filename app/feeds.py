"""RSS and Atom feeds: the items a feed lists, each a link to an article to bring in once (feedparser)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.errors import InputError


@dataclass(frozen=True)
class FeedItem:
    link: str
    title: str | None
    published: dt.date | None
    summary: str | None


def read_feed(data: bytes, *, origin: str) -> tuple[str | None, list[FeedItem]]:
    """The feed's title and its items with a web link, in the feed's order. Raises InputError for what is not a
    feed, or a feed with no item."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({str(reason).splitlines()[0]})" if reason else ""
        raise InputError(f"{origin}: not an RSS or Atom feed{detail}")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link.lower().startswith(("http://", "https://")) or link in seen:
            continue
        seen.add(link)
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            FeedItem(
                link=link,
                title=(entry.get("title") or "").strip() or None,
                published=dt.date(when.tm_year, when.tm_mon, when.tm_mday) if when else None,
                summary=(entry.get("summary") or "").strip() or None,
            )
        )
    if not items:
        raise InputError(f"{origin}: the feed lists no item with a web link")
    title = (parsed.feed.get("title") or "").strip() or None
    return title, items
