"""Small formatting helpers shared by the CLI and the reports."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.schemas import Estimate

_NUMBERED = re.compile(r"^(\d+)_[0-9a-f]{8,}$")


def number(n: int | None) -> str:
    return "…" if n is None else f"{n:,}"


def interval_label(low: int | None, high: int | None) -> str:
    """`[8,001, …)` for an open upper bound, `(…, 5]` for an open lower bound, `1,500` for an exact figure."""
    if low is not None and low == high:
        return number(low)
    left = f"[{number(low)}" if low is not None else "(…"
    right = f"{number(high)}]" if high is not None else "…)"
    return f"{left}, {right}"


def short_document(origin: str | None, width: int = 12) -> str:
    """A document's origin file name shortened for tables: no extension, at most `width` characters."""
    if not origin:
        return ""
    stem = origin.rsplit(".", 1)[0] if "." in origin else origin
    numbered = _NUMBERED.match(stem)
    if numbered:  # "000_90b9c9883493c8aa": a running number and a content hash; the number is the name
        return numbered.group(1)
    return stem if len(stem) <= width else stem[: width - 1] + "…"


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def date_label(date: object, precision: str | None) -> str:
    """'2020-06-05', '2020-06', '2020', or '≈ 2018-01-10 (estimated)': an estimate is never shown as exact."""
    if date is None:
        return ""
    text = str(date)
    if precision == "month":
        return text[:7]
    if precision == "year":
        return text[:4]
    if precision == "estimated":
        return f"≈ {text} (estimated)"
    return text


def event_heading(event: str | None, name: str | None, status: str | None) -> str:
    """An event's heading in a report: its slug, and for a discovered event its name and that claimdb found it."""
    if event is None:
        return "No event"
    if status == "discovered":
        return f"{event} (discovered by claimdb: {name})"
    return event


def explanation_lines(explanation: dict[str, dict[str, Any]] | None) -> list[str]:
    """An explanation as lines for people: 'asserter: according-to — "according to" at 120-132'."""
    if not explanation:
        return ["(no explanation: a curated or reviewed claim)"]
    out = []
    for field in ("kind", "interval", "asserter", "conduit", "event"):
        step = explanation.get(field)
        if step is None:
            continue
        cue = f' — "{step["cue"]}" at {step["start"]}-{step["end"]}' if "cue" in step else ""
        out.append(f"  {field}: {step['rule']}{cue}")
    return out


def estimate_line(e: Estimate) -> str:
    """'best 2,000 (1,001 to 8,001 or more), from 3 independent origins'."""
    best = f"{e.best:,}" if e.best is not None else "?"
    if e.low == e.best == e.high:
        line = f"best {best}" + (" or more" if e.high_open else "")
    else:
        low = f"{e.low:,}" if e.low is not None else "?"
        high = (f"{e.high:,}" if e.high is not None else "?") + (" or more" if e.high_open else "")
        line = f"best {best} ({low} to {high})"
    line += f", from {plural(len(e.origins), 'independent origin')}"
    return line + ("; two independent origins agree" if e.corroborated else "")
