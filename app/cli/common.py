"""What every command shares: the --db option, error handling, JSON and table output."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db import open_session
from app.errors import ClaimdbError, InputError
from app.paging import Page
from app.settings import ENV_VAR, Settings

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=ENV_VAR,
        show_envvar=True,
        help="Database: a file path (SQLite) or a SQLAlchemy URL such as postgresql://user@host/db. "
        "Default ./claimdb.sqlite.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]
MinConfidenceOption = Annotated[
    float | None,
    typer.Option(
        "--min-confidence",
        min=0.0,
        max=1.0,
        help="Leave out extracted figures less trusted than this (0-1; see 'claimdb claim show'); curated and "
        "confirmed claims always count.",
    ),
]

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Only what had been published by then: YYYY-MM-DD, or YYYY-MM / YYYY for the end of that month or "
        "year. Undated documents are left out.",
    ),
]


def as_of_date(value: str | None) -> dt.date | None:
    """The day --as-of means: a day as given, a month or a year at its end (read as publication dates are)."""
    if value is None:
        return None
    from app.dates import parse_published

    try:
        day, precision = parse_published(value)
    except InputError:
        raise InputError(f"--as-of {value!r}: a date such as 2019-11-30, 2019-11 or 2019") from None
    if precision == "year":
        return dt.date(day.year, 12, 31)
    if precision == "month":
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return day


REVIEWER_VAR = "CLAIMDB_REVIEWER"


def reviewer_name() -> str:
    """Who makes a change from the command line, for the change log: CLAIMDB_REVIEWER, else the system user."""
    import getpass

    name = os.environ.get(REVIEWER_VAR, "").strip()
    if name:
        return name[:100]
    try:
        return getpass.getuser()[:100]
    except (KeyError, OSError):
        return "command line"


TABLE_LIMIT = 100
"""A table shows this many rows unless --limit says otherwise; --json gives them all (streamed)."""
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit", min=0, help=f"At most this many rows (default: {TABLE_LIMIT} in a table, all with --json)."
    ),
]
OffsetOption = Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows first.")]


def page_of(limit: int | None, offset: int, *, as_json: bool) -> Page:
    """The rows a listing shows: what --limit and --offset ask, a table's default limit otherwise."""
    return Page(limit=limit if limit is not None or as_json else TABLE_LIMIT, offset=offset)


def paged(rows: list[Any], page: Page) -> list[Any]:
    """The rows of a short listing (sources, events, documents) that the page asks for."""
    end = None if page.limit is None else page.offset + page.limit
    return rows[page.offset : end]


def shown(title: str, *, page: Page, rows: int, total: int) -> str:
    """A table's title, saying which rows of how many it shows when it does not show them all."""
    if rows >= total and page.offset == 0:
        return title
    if not rows:
        return f"{title} (none from row {page.offset + 1:,} of {total:,})"
    return (
        f"{title} (rows {page.offset + 1:,}-{page.offset + rows:,} of {total:,}; --limit, --offset or --json for more)"
    )


P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise."""
    first = message.strip().splitlines()[0] if message.strip() else "failed"
    print(f"error: {first}", file=sys.stderr)
    return typer.Exit(code)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn the project's exceptions into one line on stderr and exit code 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except ClaimdbError as exc:
            raise fail(str(exc)) from None
        except SQLAlchemyError as exc:
            orig = getattr(exc, "orig", None)
            raise fail(f"database error: {orig or exc}") from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None

    return wrapper


@contextmanager
def session_for(db: str | None) -> Iterator[Session]:
    with open_session(Settings.load(db).db_url) as session:
        yield session


def print_json(data: Any) -> None:
    if isinstance(data, BaseModel):
        text = data.model_dump_json(indent=2)
    elif isinstance(data, list) and all(isinstance(x, BaseModel) for x in data):
        print_json_stream(data)
        return
    else:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(text + "\n")


def print_json_stream(items: Iterable[BaseModel]) -> None:
    """A JSON array written item by item as the items come, each serialised by pydantic's compiled serialiser (the
    standard library's encoder runs in Python once it indents: most of a large listing's time went there)."""
    out = sys.stdout
    first = True
    for item in items:
        text = item.model_dump_json(indent=2)
        out.write(("[\n  " if first else ",\n  ") + text.replace("\n", "\n  "))  # no line of indented JSON is blank
        first = False
    out.write("[]\n" if first else "\n]\n")


def console() -> Console:
    return Console(soft_wrap=False, highlight=False)


def err_console() -> Console:
    return Console(stderr=True, highlight=False)


NO_WRAP = frozenset(
    {
        "id",
        "slug",
        "interval",
        "verdict",
        "from",
        "to",
        "claims",
        "set",
        "cases",
        "fig P",
        "fig R",
        "fig F1",
        "quote F1",
        "attrib",
        "speaker",
        "spkr",
        "via",
        "on",
        "dates",
        "status",
        "P",
        "R",
        "F1",
        "F1 min",
        "no event",
        "events",
    }
)
"""Columns whose values are identifiers: never broken across lines, so they can be copied and searched."""


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """A table whose cells are plain text: brackets in quotes ("[groups]") are shown, never read as markup."""
    t = Table(title=Text(title) if title else None, show_lines=False, header_style="bold")
    for col in columns:
        t.add_column(col, overflow="fold", no_wrap=col in NO_WRAP)
    for row in rows:
        t.add_row(*[Text("" if v is None else str(v)) for v in row])
    return t
