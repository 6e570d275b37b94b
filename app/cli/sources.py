"""`claimdb sources`."""

from __future__ import annotations

import typer

from app.cli.common import DbOption, JsonOption, console, handle_errors, print_json, session_for, table
from app.sources import list_sources


def register(app: typer.Typer) -> None:
    app.command("sources", epilog="Example: claimdb sources --json")(sources)


@handle_errors
def sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List sources (outlets, organisations, people, crowds, unnamed) with their aliases."""
    with session_for(db) as session:
        rows = list_sources(session)
    if as_json:
        print_json(rows)
        return
    console().print(
        table(
            f"{len(rows)} sources",
            ["id", "name", "kind", "aliases", "documents", "claims"],
            [(s.id, s.name, s.kind, ", ".join(s.aliases), s.documents, s.claims) for s in rows],
        )
    )
