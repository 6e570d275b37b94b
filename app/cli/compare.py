"""`claimdb compare`."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.claims import EventOption, KindOption
from app.cli.common import (
    DbOption,
    JsonOption,
    MinConfidenceOption,
    console,
    handle_errors,
    print_json,
    session_for,
    table,
)
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
    asserter: Annotated[str | None, typer.Option(help="Only groups in which this source asserts a figure.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Only groups with a figure this source publishes.")] = None,
    include_single: Annotated[bool, typer.Option("--all", help="Also groups reported by a single document.")] = False,
    min_confidence: MinConfidenceOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Figures side by side per (event, kind, subgroup, unit), with how many independent origins they have and a
    verdict: single-source, corroborated, consistent, divergent or conflicting. Copies count once; a later figure
    from the same asserter is an update, not a conflict."""
    with session_for(db) as session:
        groups = compare(
            session,
            event=event,
            kind=kind,
            factor=factor,
            asserter=asserter,
            publisher=publisher,
            include_single=include_single,
            min_confidence=min_confidence,
        )
    if as_json:
        print_json(groups)
        return
    out = console()
    if not groups:
        out.print("No figures to compare." if include_single else "No figures from more than one document to compare.")
    for g in groups:
        marker = " (discovered)" if g.event_status == "discovered" else ""
        title = f"{g.event or 'no event'}{marker} · {g.kind}" + (f" · {g.subgroup}" if g.subgroup else "")
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
        out.print(f"{g.independent_sources} independent origin(s). {g.explanation}", markup=False)
        for r in g.revisions:
            out.print(f"update by {r.asserter}: {r.label} ({r.before_date} → {r.after_date})", markup=False)
        for family in g.copy_families:
            out.print(f"copy family: {', '.join(family)}", markup=False)
        out.print()
