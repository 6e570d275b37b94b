"""`claimdb compare`."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.claims import EventOption, KindOption
from app.cli.common import DbOption, JsonOption, console, handle_errors, print_json, session_for, table
from app.compare import DEFAULT_FACTOR, compare
from app.render import interval_label, short_document


def register(app: typer.Typer) -> None:
    app.command("compare", epilog="Example: claimdb compare --event iran-protests-2017-18 --factor 3")(compare_cmd)


@handle_errors
def compare_cmd(
    event: EventOption = None,
    kind: KindOption = None,
    factor: Annotated[
        float, typer.Option(help="Best estimates this many times apart make overlapping figures divergent.")
    ] = DEFAULT_FACTOR,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Figures side by side per (event, kind, subgroup, unit), with a verdict: consistent, divergent or
    conflicting."""
    with session_for(db) as session:
        groups = compare(session, event=event, kind=kind, factor=factor)
    if as_json:
        print_json(groups)
        return
    out = console()
    if not groups:
        out.print("No figures from more than one document to compare.")
    for g in groups:
        title = f"{g.event or 'no event'} · {g.kind}" + (f" · {g.subgroup}" if g.subgroup else "")
        title += f" · {g.unit}" if g.unit and g.unit != "people" else ""
        out.print(
            table(
                f"{title}: {g.verdict.upper()}",
                ["figure", "interval", "asserted by", "via", "publisher", "document"],
                [
                    (
                        c.text,
                        interval_label(c.low, c.high),
                        c.attributed_to or "(own voice)",
                        c.conduit,
                        c.publisher,
                        short_document(c.document),
                    )
                    for c in g.figures
                ],
            )
        )
        out.print(g.explanation, markup=False)
        out.print()
