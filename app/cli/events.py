"""`claimdb events`."""

from __future__ import annotations

import typer

from app.cli.common import DbOption, JsonOption, console, handle_errors, print_json, session_for, table
from app.events import list_events


def register(app: typer.Typer) -> None:
    app.command("events", epilog="Example: claimdb events --json")(events)


@handle_errors
def events(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the event catalogue, with how many claims each event has."""
    with session_for(db) as session:
        rows = list_events(session)
    if as_json:
        print_json(rows)
        return
    console().print(
        table(
            f"{len(rows)} events",
            ["slug", "name", "from", "to", "place", "claims"],
            [(e.slug + (" (proposed)" if e.proposed else ""), e.name, e.start, e.end, e.place, e.claims) for e in rows],
        )
    )
