"""`claimdb review`, `claimdb claim …`, `claimdb source merge`, `claimdb quotes`."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from app.cli.claims import EventOption, render_claims
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
from app.errors import InputError
from app.quote_variants import VARIANT_THRESHOLD, quote_variants
from app.render import explanation_lines
from app.review import (
    UNSET,
    claim_history,
    edit_claim,
    merge_sources,
    pending,
    set_status,
    set_status_many,
)
from app.schemas import MAX_COUNT

NoteOption = Annotated[str | None, typer.Option("--note", "-n", help="Why: kept in the change log.")]

claim_app = typer.Typer(help="Review one claim: confirm, reject, edit, history.", rich_markup_mode=None)
source_app = typer.Typer(help="Curate sources.", rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.command("review", epilog="Example: claimdb review --json")(review)
    app.command("quotes", epilog="Example: claimdb quotes --variants")(quotes)
    app.add_typer(claim_app, name="claim")
    app.add_typer(source_app, name="source")


@handle_errors
def review(
    limit: LimitOption = None, offset: OffsetOption = 0, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """List extracted claims awaiting review, the least confident first (confirm, reject or edit them with
    'claimdb claim')."""
    page = page_of(limit, offset, as_json=as_json)
    with session_for(db) as session:
        every = pending(session)
    rows = paged(every, page)
    if as_json:
        print_json(rows)
    else:
        render_claims(rows, shown(f"{len(every)} claims awaiting review", page=page, rows=len(rows), total=len(every)))


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


ClaimIdsArg = Annotated[list[int] | None, typer.Argument(help="Claim ids (or select with --event / --document).")]
SelectEvent = Annotated[str | None, typer.Option("--event", "-e", help="Every claim of this event.")]
SelectDocument = Annotated[
    str | None, typer.Option("--document", "-d", help="Every claim of this document (origin, prefix or id).")
]


@claim_app.command("confirm", epilog="Example: claimdb claim confirm 42 43 --note 'checked against the original'")
@handle_errors
def confirm(
    claim_ids: ClaimIdsArg = None,
    event: SelectEvent = None,
    document: SelectDocument = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Mark claims confirmed: the ids given, or every claim of an event or document."""
    _set_status(claim_ids, event, document, "confirmed", note, db)


@claim_app.command("reject", epilog="Example: claimdb claim reject 42 --note 'a year, not a count'")
@handle_errors
def reject(
    claim_ids: ClaimIdsArg = None,
    event: SelectEvent = None,
    document: SelectDocument = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Mark claims rejected: they leave the comparison but stay in the database."""
    _set_status(claim_ids, event, document, "rejected", note, db)


def _set_status(
    claim_ids: list[int] | None, event: str | None, document: str | None, status: str, note: str | None, db: str | None
) -> None:
    with session_for(db) as session:
        if claim_ids and len(claim_ids) == 1 and not (event or document):
            claim = set_status(session, reviewer=reviewer_name(), claim_id=claim_ids[0], status=status, note=note)
            typer.echo(f"claim {claim.id} {status}: {claim.text!r}")
            return
        changed = set_status_many(
            session,
            reviewer=reviewer_name(),
            status=status,
            claim_ids=claim_ids,
            event=event,
            document=document,
            note=note,
        )
    typer.echo(f"{len(changed)} claim(s) {status}")


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
            reviewer=reviewer_name(),
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


@claim_app.command("show", epilog="Example: claimdb claim show 42")
@handle_errors
def show(
    claim_id: Annotated[int, typer.Argument(help="The claim's id.")], db: DbOption = None, as_json: JsonOption = False
) -> None:
    """One claim in full: its figure or quote, sentence, event, who asserts it through whom, and — for an extracted
    claim — which rule decided each field, with the cue words and where they stand."""
    from app.claims import get_claim

    if not 0 < claim_id <= MAX_COUNT:
        raise InputError(f"no claim {claim_id}")
    with session_for(db) as session:
        claim = get_claim(session, claim_id)
    if as_json:
        print_json(claim)
        return
    render_claims([claim], f"claim {claim.id} ({claim.status}, {claim.origin})")
    typer.echo(f"sentence: {claim.sentence}")
    for line in explanation_lines(claim.explanation):
        typer.echo(line)


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
            ["at", "reviewer", "action", "change", "note"],
            [
                (
                    r.at.isoformat(timespec="seconds"),
                    r.reviewer or "(command line)",
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
        name = merge_sources(session, reviewer=reviewer_name(), keep=keep, merge=other, note=note)
    typer.echo(f"merged {other!r} into {name!r}")


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
