"""`claimdb sources`."""

from __future__ import annotations

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
    session_for,
    shown,
    table,
)
from app.sources import list_sources


def register(app: typer.Typer) -> None:
    app.command("sources", epilog="Example: claimdb sources --json")(sources)


@handle_errors
def sources(
    limit: LimitOption = None, offset: OffsetOption = 0, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """List sources (outlets, organisations, people, crowds, unnamed) with their aliases. Reliability is each
    source's track record (0-1): how closely its figures agree with the truth discovered from independent others,
    over `evidence` groups (see 'claimdb estimate')."""
    page = page_of(limit, offset, as_json=as_json)
    from app.estimate import track_records

    with session_for(db) as session:
        every = list_sources(session, records=track_records(session))
    rows = paged(every, page)
    if as_json:
        print_json(rows)
        return
    console().print(
        table(
            shown(f"{len(every)} sources", page=page, rows=len(rows), total=len(every)),
            ["id", "name", "kind", "aliases", "documents", "claims", "reliability", "evidence"],
            [
                (
                    s.id,
                    s.name,
                    s.kind,
                    ", ".join(s.aliases),
                    s.documents,
                    s.claims,
                    f"{s.reliability:.2f}" if s.reliability is not None else None,
                    s.evidence or None,
                )
                for s in rows
            ],
        )
    )
