"""Dates as users write them, with their precision."""

from __future__ import annotations

import datetime as dt
import re

import dateparser

from app.errors import InputError

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_published(value: str) -> tuple[dt.date, str]:
    """Parse a publication date: `2020-06-05` (day), `2020-06` (month), `2020` (year), or a written date such as
    `June 5, 2020` (day). The precision says how much of the date was given."""
    raw = value.strip()
    match = _ISO.match(raw)
    try:
        if match:
            year, month, day = match.groups()
            if day:
                return dt.date(int(year), int(month), int(day)), "day"
            if month:
                return dt.date(int(year), int(month), 1), "month"
            return dt.date(int(year), 1, 1), "year"
    except ValueError as exc:
        raise InputError(f"bad date {value!r}: {exc}") from None
    if raw and any(ch.isdigit() for ch in raw) and len(raw) <= 40:
        parsed = dateparser.parse(
            raw,
            languages=["en"],
            settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
        )
        if parsed is not None:
            return parsed.date(), "day"
    raise InputError(f"bad date {value!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
