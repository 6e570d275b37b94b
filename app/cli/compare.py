"""`claimdb compare`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from app.cli.claims import EventOption, KindOption
from app.cli.common import (
    AsOfOption,
    DbOption,
    JsonOption,
    MinConfidenceOption,
    as_of_date,
    console,
    handle_errors,
    print_json,
    print_json_stream,
    session_for,
    table,
)
from app.compare import DEFAULT_FACTOR, iter_compare

if TYPE_CHECKING:
    from rich.console import Console

    from app.schemas import GroupOut
from app.render import estimate_line, interval_label, number, plural, short_document


def register(app: typer.Typer) -> None:
    app.command("compare", epilog="Example: claimdb compare --event iran-protests-2017-18 --factor 3")(compare_cmd)
    app.command("estimate", epilog="Example: claimdb estimate --event iran-protests-2019-11 --as-of 2019-12-31")(
        estimate_cmd
    )


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
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Figures side by side per (event, kind, subgroup, unit), with how many independent origins they have and a
    verdict: single-source, corroborated, consistent, divergent or conflicting. Copies count once; a later figure
    from the same asserter is an update, not a conflict."""
    with session_for(db) as session:
        groups = iter_compare(
            session,
            event=event,
            kind=kind,
            factor=factor,
            asserter=asserter,
            publisher=publisher,
            include_single=include_single,
            min_confidence=min_confidence,
            as_of=as_of_date(as_of),
        )
        if as_json:
            print_json_stream(groups)  # a group at a time: memory holds one event's figures
            return
        out = console()
        shown = 0
        for g in groups:
            shown += 1
            _print_group(out, g)
    if not shown:
        out.print("No figures to compare." if include_single else "No figures from more than one document to compare.")


def _print_group(out: Console, g: GroupOut) -> None:
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
    if g.estimate is not None:
        out.print(f"estimate: {estimate_line(g.estimate)}", markup=False)
    for r in g.revisions:
        out.print(f"update by {r.asserter}: {r.label} ({r.before_date} → {r.after_date})", markup=False)
    for family in g.copy_families:
        out.print(f"copy family: {', '.join(family)}", markup=False)
    out.print()


@handle_errors
def estimate_cmd(
    event: EventOption = None,
    kind: KindOption = None,
    min_confidence: MinConfidenceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The most likely figure per (event, kind, subgroup, unit): low, best and high from independent origins only,
    each weighed by its source's track record and its confidence. --json shows which origins, which weights, and
    the rule."""
    from app.estimate import estimates

    with session_for(db) as session:
        found = estimates(session, event=event, kind=kind, as_of=as_of_date(as_of), min_confidence=min_confidence)
    if as_json:
        print_json(
            [
                {"event": c.event, "kind": c.kind, "subgroup": c.subgroup or None, "unit": c.unit or None}
                | e.model_dump(mode="json")
                for c, e in found
            ]
        )
        return
    if not found:
        console().print("No figures to estimate.")
        return
    console().print(
        table(
            f"{plural(len(found), 'estimate')}",
            ["event", "kind", "subgroup", "low", "best", "high", "origins", "two agree"],
            [
                (
                    c.event,
                    c.kind,
                    c.subgroup or None,
                    number(e.low),
                    number(e.best),
                    number(e.high) + ("+" if e.high_open else ""),
                    len(e.origins),
                    "yes" if e.corroborated else "no",
                )
                for c, e in found
            ],
        )
    )
