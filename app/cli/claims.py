"""`claimdb claims` and `claimdb who-says`."""

from __future__ import annotations

from typing import Annotated

import typer

from app.claims import ClaimFilter, count_claims, count_who_says, iter_claims, iter_who_says
from app.cli.common import (
    AsOfOption,
    DbOption,
    JsonOption,
    LimitOption,
    MinConfidenceOption,
    OffsetOption,
    as_of_date,
    console,
    handle_errors,
    page_of,
    print_json_stream,
    session_for,
    shown,
    table,
)
from app.render import interval_label, plural, short_document
from app.schemas import ClaimOut

EventOption = Annotated[str | None, typer.Option("--event", "-e", help="Only this event (its slug).")]
KindOption = Annotated[
    str | None, typer.Option("--kind", "-k", help="Only this kind: death_toll, arrest_count, …, quote.")
]


def register(app: typer.Typer) -> None:
    app.command("claims", epilog="Example: claimdb claims --event iran-protests-2017-18 --kind arrest_count")(claims)
    app.command("who-says", epilog="Example: claimdb who-says 1500 --kind death_toll")(who_says_cmd)


def render_claims(rows: list[ClaimOut], title: str) -> None:
    console().print(
        table(
            title,
            ["id", "kind", "figure", "interval", "event", "asserted by", "document"],
            [
                (
                    c.id,
                    c.kind + (f" ({c.subgroup})" if c.subgroup else ""),
                    c.text if len(c.text) <= 60 else c.text[:57] + "…",
                    "" if c.kind == "quote" else interval_label(c.low, c.high),
                    (f"{c.event} (discovered)" if c.event_status == "discovered" else c.event)
                    or (f"{c.incident} (new)" if c.incident else None),
                    (c.attributed_to or "(own voice)") + (f" via {c.conduit}" if c.conduit else ""),
                    short_document(c.document),
                )
                for c in rows
            ],
        )
    )


@handle_errors
def claims(
    event: EventOption = None,
    kind: KindOption = None,
    source: Annotated[
        str | None,
        typer.Option("--source", "-s", help="Only claims this source asserts, carries or publishes."),
    ] = None,
    document: Annotated[
        str | None,
        typer.Option("--document", "-d", help="Only this document (origin file name, prefix or id)."),
    ] = None,
    status: Annotated[str | None, typer.Option(help="Only this status: extracted, confirmed, rejected.")] = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List claims: figures and quotes, with who asserts them and where."""
    flt = ClaimFilter(event=event, kind=kind, source=source, document=document, status=status)
    page = page_of(limit, offset, as_json=as_json)
    with session_for(db) as session:
        if as_json:
            print_json_stream(iter_claims(session, flt=flt, page=page))
            return
        rows = list(iter_claims(session, flt=flt, page=page))
        total = count_claims(session, flt=flt) if len(rows) == page.limit or offset else len(rows)
    render_claims(rows, shown(plural(total, "claim"), page=page, rows=len(rows), total=total))


@handle_errors
def who_says_cmd(
    number: Annotated[int, typer.Argument(help="The figure to look for, e.g. 1500.")],
    event: EventOption = None,
    kind: KindOption = None,
    loose: Annotated[
        bool, typer.Option(help="Also open intervals far from the number ('dozens' contains 1500).")
    ] = False,
    asserter: Annotated[str | None, typer.Option(help="Only figures this source asserts.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Only figures in documents this source publishes.")] = None,
    min_confidence: MinConfidenceOption = None,
    as_of: AsOfOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every figure whose interval contains NUMBER, with asserter, conduit, publisher, document and sentence. A
    figure that writes NUMBER with "more than" or "fewer than" counts too ("more than 8,000" says 8,000).
    --asserter and --publisher tell apart who says a figure from who prints it."""
    flt = ClaimFilter(
        event=event,
        kind=kind,
        asserter=asserter,
        publisher=publisher,
        include_rejected=False,
        min_confidence=min_confidence,
        as_of=as_of_date(as_of),
    )
    page = page_of(limit, offset, as_json=as_json)
    with session_for(db) as session:
        if as_json:
            print_json_stream(iter_who_says(session, value=number, flt=flt, loose=loose, page=page))
            return
        rows = list(iter_who_says(session, value=number, flt=flt, loose=loose, page=page))
        total = (
            count_who_says(session, value=number, flt=flt, loose=loose)
            if len(rows) == page.limit or offset
            else len(rows)
        )
    title = f"{plural(total, 'figure')} contain{'s' if total == 1 else ''} {number:,}"
    render_claims(rows, shown(title, page=page, rows=len(rows), total=total))
    for c in rows:
        typer.echo(f"[{c.id}] {c.document}: {c.sentence}")
