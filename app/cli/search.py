"""`claimdb search`: the web app's full-text search at the terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.common import DbOption, JsonOption, console, handle_errors, print_json, session_for, table


def register(app: typer.Typer) -> None:
    app.command("search", epilog="Example: claimdb search 'martyrs november' --kind death_toll")(search_cmd)


@handle_errors
def search_cmd(
    query: Annotated[str, typer.Argument(help="Words to find; each matches as the start of a word.")],
    event: Annotated[
        str | None, typer.Option(help="Only sentences and documents with claims about this event.")
    ] = None,
    kind: Annotated[str | None, typer.Option(help="Only claims of this kind.")] = None,
    source: Annotated[str | None, typer.Option(help="Only claims this source asserts or publishes.")] = None,
    status: Annotated[str | None, typer.Option(help="Only claims with this status.")] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=1000, help="At most this many of each: documents, sentences, sources.")
    ] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search documents, the sentences claims stand in, and source names: every word must be there (SQLite FTS5 or
    PostgreSQL full-text search), with the claim filters of the web app."""
    from app.render import short_document
    from app.search import search

    with session_for(db) as session:
        found = search(session, query=query, event=event, kind=kind, source=source, status=status, limit=limit)
    if as_json:
        print_json(found)
        return
    out = console()
    out.print(
        table(
            f"documents with {' '.join(found.terms)}: {len(found.documents)}",
            ["id", "document", "publisher", "text"],
            [
                (h.document.id, short_document(h.document.origin), h.document.publisher, h.snippet)
                for h in found.documents
            ],
        )
    )
    out.print(
        table(
            f"claim sentences: {len(found.sentences)}",
            ["id", "kind", "figure", "asserted by", "document", "sentence"],
            [
                (c.id, c.kind, c.text, c.attributed_to or "(own voice)", short_document(c.document), c.sentence)
                for c in found.sentences
            ],
        )
    )
    out.print(
        table(
            f"sources: {len(found.sources)}",
            ["id", "name", "kind", "aliases"],
            [(s.id, s.name, s.kind, ", ".join(s.aliases)) for s in found.sources],
        )
    )
