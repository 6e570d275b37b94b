"""`claimdb review`, `claimdb claim …`, `claimdb source merge`, `claimdb event add|link`, `claimdb quotes`."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from app.cli.claims import EventOption, render_claims
from app.cli.common import DbOption, JsonOption, console, handle_errors, print_json, session_for, table
from app.dates import parse_published
from app.errors import InputError
from app.quote_variants import VARIANT_THRESHOLD, quote_variants
from app.review import (
    UNSET,
    add_event,
    claim_history,
    edit_claim,
    link_claims,
    merge_sources,
    pending,
    set_status,
)
from app.schemas import MAX_COUNT, EventIn

NoteOption = Annotated[str | None, typer.Option("--note", "-n", help="Why: kept in the change log.")]

claim_app = typer.Typer(help="Review one claim: confirm, reject, edit, history.", rich_markup_mode=None)
source_app = typer.Typer(help="Curate sources.", rich_markup_mode=None)
event_app = typer.Typer(help="Curate the event catalogue.", rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.command("review", epilog="Example: claimdb review --json")(review)
    app.command("quotes", epilog="Example: claimdb quotes --variants")(quotes)
    app.add_typer(claim_app, name="claim")
    app.add_typer(source_app, name="source")
    app.add_typer(event_app, name="event")


@handle_errors
def review(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List extracted claims awaiting review (confirm, reject or edit them with 'claimdb claim')."""
    with session_for(db) as session:
        rows = pending(session)
    if as_json:
        print_json(rows)
    else:
        render_claims(rows, f"{len(rows)} claims awaiting review")


def _bound(value: str | None) -> Any:
    if value is None:
        return UNSET
    if value.lower() in ("none", "open", "-"):
        return None
    try:
        n = int(value.replace(",", ""))
    except ValueError:
        raise InputError(f"bad bound {value!r}: a whole number, or 'open'") from None
    if not 0 <= n <= MAX_COUNT:
        raise InputError(f"bad bound {value!r}: must be between 0 and {MAX_COUNT:,}")
    return n


@claim_app.command("confirm", epilog="Example: claimdb claim confirm 42 --note 'checked against the original'")
@handle_errors
def confirm(
    claim_id: Annotated[int, typer.Argument(help="The claim's id.")], note: NoteOption = None, db: DbOption = None
) -> None:
    """Mark a claim confirmed."""
    _set_status(claim_id, "confirmed", note, db)


@claim_app.command("reject", epilog="Example: claimdb claim reject 42 --note 'a year, not a count'")
@handle_errors
def reject(
    claim_id: Annotated[int, typer.Argument(help="The claim's id.")], note: NoteOption = None, db: DbOption = None
) -> None:
    """Mark a claim rejected: it leaves the comparison but stays in the database."""
    _set_status(claim_id, "rejected", note, db)


def _set_status(claim_id: int, status: str, note: str | None, db: str | None) -> None:
    with session_for(db) as session:
        claim = set_status(session, claim_id=claim_id, status=status, note=note)
    typer.echo(f"claim {claim.id} {status}: {claim.text!r}")


@claim_app.command("edit", epilog="Example: claimdb claim edit 42 --low 1501 --high open --event iran-protests-2019-11")
@handle_errors
def edit(
    claim_id: Annotated[int, typer.Argument(help="The claim's id.")],
    low: Annotated[str | None, typer.Option(help="New lower bound, or 'open'.")] = None,
    high: Annotated[str | None, typer.Option(help="New upper bound, or 'open'.")] = None,
    kind: Annotated[str | None, typer.Option(help="New kind (death_toll, arrest_count, …).")] = None,
    event: Annotated[str | None, typer.Option(help="New event slug, or 'none'.")] = None,
    subgroup: Annotated[str | None, typer.Option(help="New subgroup, or '' for none.")] = None,
    asserter: Annotated[str | None, typer.Option(help="Who asserts it (a source name or alias).")] = None,
    note: NoteOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Correct a claim: bounds, kind, event, subgroup or asserter. The edit is logged; the claim is confirmed."""
    event_value = UNSET if event is None else (None if event.lower() == "none" else event)
    with session_for(db) as session:
        claim = edit_claim(
            session,
            claim_id=claim_id,
            low=_bound(low),
            high=_bound(high),
            kind=kind,
            event=event_value,
            subgroup=UNSET if subgroup is None else subgroup,
            asserter=asserter,
            note=note,
        )
    if as_json:
        print_json(claim)
    else:
        render_claims([claim], f"claim {claim.id} edited")


@claim_app.command("history", epilog="Example: claimdb claim history 42")
@handle_errors
def history(
    claim_id: Annotated[int, typer.Argument(help="The claim's id.")], db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Every change made to a claim, with time and note."""
    with session_for(db) as session:
        rows = claim_history(session, claim_id=claim_id)
    if as_json:
        print_json(rows)
        return
    console().print(
        table(
            f"history of claim {claim_id}",
            ["at", "action", "change", "note"],
            [
                (
                    r.at.isoformat(timespec="seconds"),
                    r.action,
                    "; ".join(
                        f"{k}: {v[0]!r} → {v[1]!r}" if isinstance(v, list) else f"{k}: {v}"
                        for k, v in r.details.items()
                    ),
                    r.note,
                )
                for r in rows
            ],
        )
    )


@source_app.command("merge", epilog="Example: claimdb source merge 'People's Mojahedin Organization of Iran' 'MKO'")
@handle_errors
def merge(
    keep: Annotated[str, typer.Argument(help="The source to keep.")],
    other: Annotated[str, typer.Argument(help="The source folded into it (its names become aliases).")],
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Merge two sources that are one: aliases, attributions and documents move to KEEP."""
    with session_for(db) as session:
        name = merge_sources(session, keep=keep, merge=other, note=note)
    typer.echo(f"merged {other!r} into {name!r}")


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
        event_id = add_event(session, event=event, note=note)
    typer.echo(f"event {slug} added (id {event_id})")


@event_app.command("link", epilog="Example: claimdb event link iran-protests-2019-11 31 34 52")
@handle_errors
def event_link(
    event: Annotated[str, typer.Argument(help="The event's slug.")],
    claim_ids: Annotated[list[int], typer.Argument(help="Claim ids.")],
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Link claims to an event."""
    with session_for(db) as session:
        claims = link_claims(session, event=event, claim_ids=claim_ids, note=note)
    typer.echo(f"linked {len(claims)} claim(s) to {event}")


@handle_errors
def quotes(
    variants: Annotated[
        bool, typer.Option("--variants", help="Pair up the same quote or chant reported in different words.")
    ] = False,
    event: EventOption = None,
    threshold: Annotated[
        float, typer.Option(help="Similarity (0-100) that makes two quotes variants.")
    ] = VARIANT_THRESHOLD,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List quotes; with --variants, the same quote worded differently across documents, with a word diff."""
    with session_for(db) as session:
        if not variants:
            from app.claims import ClaimFilter, list_claims

            rows = list_claims(session, flt=ClaimFilter(event=event, kind="quote"))
            if as_json:
                print_json(rows)
            else:
                render_claims(rows, f"{len(rows)} quotes")
            return
        pairs = quote_variants(session, event=event, threshold=threshold)
    if as_json:
        print_json(pairs)
        return
    out = sys.stdout
    out.write(f"{len(pairs)} quote variant pairs\n")
    for p in pairs:
        out.write(f"\n[{p.a.id}] {p.a.document} ({p.a.attributed_to or 'unattributed'}): {p.a.text}\n")
        out.write(f"[{p.b.id}] {p.b.document} ({p.b.attributed_to or 'unattributed'}): {p.b.text}\n")
        out.write(f"similarity {p.similarity:g}: {p.diff}\n")
