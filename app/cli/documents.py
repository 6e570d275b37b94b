"""`claimdb documents`: the documents in the database, and their copy families."""

from __future__ import annotations

from typing import Annotated, Any

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
from app.documents import list_documents
from app.families import copy_families


def register(app: typer.Typer) -> None:
    app.command("documents", epilog="Example: claimdb documents --json")(documents)


@handle_errors
def documents(
    families: Annotated[
        bool, typer.Option("--families", help="Group documents into copy families (near-duplicates, shared passages).")
    ] = False,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List documents with publisher, date (and its precision) and claim count; with --families, the copy families
    (documents that copy each other, whose shared figures count once)."""
    with session_for(db) as session:
        rows = list_documents(session)
        family_of = copy_families(session) if families else {}
    if families:
        groups: dict[int, list[str]] = {}
        for d in rows:
            groups.setdefault(family_of[d.id].id, []).append(d.origin)
        listing: list[dict[str, Any]] = [
            {"family": fid, "documents": docs, "links": [list(link) for link in family_of[fid].links]}
            for fid, docs in sorted(groups.items())
        ]
        if as_json:
            print_json(listing)
            return
        console().print(
            table(
                f"{len(listing)} copy families of {len(rows)} documents",
                ["family", "documents", "shared (containment)"],
                [
                    (f["family"], ", ".join(f["documents"]), "; ".join(f"{a} ~ {b}: {c:.2f}" for a, b, c in f["links"]))
                    for f in listing
                ],
            )
        )
        return
    page = page_of(limit, offset, as_json=as_json)
    every, rows = rows, paged(rows, page)
    if as_json:
        print_json(rows)
        return
    console().print(
        table(
            shown(f"{len(every)} documents", page=page, rows=len(rows), total=len(every)),
            ["id", "origin", "publisher", "published", "title", "claims"],
            [
                (
                    d.id,
                    d.origin,
                    d.publisher,
                    f"{d.published} ({d.published_precision})" if d.published else "unknown",
                    d.title,
                    d.claims,
                )
                for d in rows
            ],
        )
    )
