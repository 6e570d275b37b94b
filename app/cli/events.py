"""`claimdb events` (list, import) and `claimdb event …` (add, link, confirm, rename, merge, split)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import (
    DbOption,
    JsonOption,
    LimitOption,
    OffsetOption,
    console,
    handle_errors,
    page_of,
    paged,
    print_json,
    reviewer_name,
    session_for,
    shown,
    table,
)
from app.dates import parse_published
from app.errors import InputError
from app.schemas import EventCatalogue, EventIn, EventOut, load_json_file

NoteOption = Annotated[str | None, typer.Option("--note", "-n", help="Why: kept in the change log.")]
EventArg = Annotated[str, typer.Argument(help="The event's slug.")]
ClaimIds = Annotated[list[int], typer.Argument(help="Claim ids.")]

events_app = typer.Typer(
    help="List the events (catalogued, discovered, confirmed) with their claim counts; import a catalogue.",
    rich_markup_mode=None,
    invoke_without_command=True,
)
event_app = typer.Typer(help="Steer events: add, link, confirm, rename, merge, split.", rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(events_app, name="events")
    app.add_typer(event_app, name="event")


def render_events(rows: list[EventOut], title: str) -> None:
    console().print(
        table(
            title,
            ["slug", "status", "when", "claims", "name"],
            [(e.slug, e.status, _when(e), e.claims, e.name) for e in rows],
        )
    )


def _when(e: EventOut) -> str:
    if e.start is None:
        return ""
    return str(e.start) if e.end in (None, e.start) else f"{e.start} – {e.end}"


@events_app.callback(epilog="Example: claimdb events --status discovered --json")
@handle_errors
def events(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="Only events of this status: catalogued, discovered, confirmed.")
    ] = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List events, with how many claims each has. Discovered events are the ones claimdb founded from what
    articles say; confirm, rename or merge them with 'claimdb event'."""
    if ctx.invoked_subcommand is not None:
        return
    from app.events import list_events
    from app.models import EVENT_STATUSES

    if status is not None and status not in EVENT_STATUSES:
        raise InputError(f"unknown status {status!r}: choose from {', '.join(EVENT_STATUSES)}")
    page = page_of(limit, offset, as_json=as_json)
    with session_for(db) as session:
        every = list_events(session, status=status)
    rows = paged(every, page)
    if as_json:
        print_json(rows)
    else:
        render_events(rows, shown(f"{len(every)} events", page=page, rows=len(rows), total=len(every)))


@events_app.command("import", epilog="Example: claimdb events import my-events.json --note 'desk catalogue'")
@handle_errors
def events_import(
    file: Annotated[Path, typer.Argument(help='A catalogue file: {"events": [{slug, name, start, end, …}]}.')],
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Extend the catalogue from a file in the format of fixtures/events.json. Slugs already present are kept as
    they are and reported."""
    from app.review import import_events

    catalogue = load_json_file(file, EventCatalogue)
    with session_for(db) as session:
        added, present = import_events(session, reviewer=reviewer_name(), events=list(catalogue.events), note=note)
    for slug in present:
        typer.echo(f"{slug}: already in the catalogue; skipped", err=True)
    typer.echo(f"{len(added)} added, {len(present)} skipped")


@event_app.command(
    "add", epilog="Example: claimdb event add mahsa-amini-protests --name 'Mahsa Amini protests' --start 2022-09-16"
)
@handle_errors
def event_add(
    slug: Annotated[str, typer.Argument(help="Short id: lower case, digits and dashes.")],
    name: Annotated[str, typer.Option(help="The event's name.")],
    start: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option(help="Last day (YYYY-MM-DD).")] = None,
    place: Annotated[str | None, typer.Option(help="Where.")] = None,
    keyword: Annotated[list[str] | None, typer.Option(help="A word or phrase naming the event; repeatable.")] = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Add an event to the catalogue; the extractor links new documents to it."""
    from pydantic import ValidationError

    from app.review import add_event

    try:
        event = EventIn(
            slug=slug,
            name=name,
            start=parse_published(start)[0] if start else None,
            end=parse_published(end)[0] if end else None,
            place=place,
            keywords=keyword or [],
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(f"{'.'.join(str(p) for p in err['loc']) or 'event'}: {err['msg']}") from None
    with session_for(db) as session:
        event_id = add_event(session, reviewer=reviewer_name(), event=event, note=note)
    typer.echo(f"event {slug} added (id {event_id})")


@event_app.command("link", epilog="Example: claimdb event link iran-protests-2019-11 31 34 52")
@handle_errors
def event_link(event: EventArg, claim_ids: ClaimIds, note: NoteOption = None, db: DbOption = None) -> None:
    """Link claims to an event. Only their event changes, not their review status; each change is logged."""
    from app.review import link_claims

    with session_for(db) as session:
        claims = link_claims(session, reviewer=reviewer_name(), event=event, claim_ids=claim_ids, note=note)
    typer.echo(f"linked {len(claims)} claim(s) to {event}")


@event_app.command("confirm", epilog="Example: claimdb event confirm morocco-earthquake-2023-09")
@handle_errors
def event_confirm(event: EventArg, note: NoteOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Confirm that a discovered event is one real incident (its status becomes confirmed)."""
    from app.review import confirm_event

    with session_for(db) as session:
        out = confirm_event(session, reviewer=reviewer_name(), event=event, note=note)
    if as_json:
        print_json(out)
    else:
        typer.echo(f"event {out.slug} confirmed: {out.name} ({out.claims} claims)")


@event_app.command(
    "rename", epilog="Example: claimdb event rename morocco-earthquake-2023-09 --slug al-haouz-earthquake"
)
@handle_errors
def event_rename(
    event: EventArg,
    slug: Annotated[str | None, typer.Option("--slug", help="New slug.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Give an event a new slug or name."""
    from app.review import rename_event

    with session_for(db) as session:
        out = rename_event(session, reviewer=reviewer_name(), event=event, slug=slug, name=name, note=note)
    typer.echo(f"event {event} is now {out.slug}: {out.name}")


@event_app.command(
    "merge", epilog="Example: claimdb event merge morocco-earthquake-2023-09 morocco-earthquake-2023-09-2"
)
@handle_errors
def event_merge(
    keep: Annotated[str, typer.Argument(help="The event to keep.")],
    other: Annotated[str, typer.Argument(help="The event folded into it (then deleted).")],
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Merge two events that are one incident: OTHER's claims move to KEEP (each move logged) and OTHER goes."""
    from app.review import merge_events

    with session_for(db) as session:
        out = merge_events(session, reviewer=reviewer_name(), keep=keep, merge=other, note=note)
    typer.echo(f"merged {other} into {out.slug} ({out.claims} claims)")


@event_app.command(
    "split", epilog="Example: claimdb event split turkey-earthquake-2023-02 41 42 --into syria-earthquake-2023-02"
)
@handle_errors
def event_split(
    event: EventArg,
    claim_ids: ClaimIds,
    into: Annotated[str, typer.Option("--into", help="Slug of the new event.")],
    name: Annotated[str | None, typer.Option("--name", help="Name of the new event.")] = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Move claims of EVENT into a new event (for figures claimdb put in the wrong incident)."""
    from app.review import split_event

    with session_for(db) as session:
        out = split_event(
            session, reviewer=reviewer_name(), event=event, claim_ids=claim_ids, into=into, name=name, note=note
        )
    typer.echo(f"split {out.claims} claim(s) from {event} into {out.slug}")
