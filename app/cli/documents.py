"""`claimdb add` and `claimdb documents`."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from app.cli.common import (
    DbOption,
    JsonOption,
    console,
    err_console,
    handle_errors,
    print_json,
    session_for,
    table,
)
from app.dates import parse_published
from app.documents import list_documents
from app.errors import InputError
from app.events import catalogue
from app.extract.pipeline import extract_claims
from app.families import copy_families
from app.ingest import DocumentIn, decode_document, expand_paths, read_document
from app.ingest import add_document as add_one
from app.render import plural
from app.schemas import ClaimsFile, load_json_file
from app.settings import max_document_bytes
from app.sources import SourceResolver

PROGRESS_AFTER = 5
"""Show a progress bar when adding more documents than this (and stderr is a terminal)."""


def register(app: typer.Typer) -> None:
    app.command(
        "add",
        epilog="Example: claimdb add article.txt --publisher 'Iran Focus' --published 2018-01-03",
    )(add)
    app.command("documents", epilog="Example: claimdb documents --json")(documents)


@handle_errors
def add(
    files: Annotated[list[str], typer.Argument(help="Text files to add, or folders of .txt files; '-' reads stdin.")],
    publisher: Annotated[
        str | None,
        typer.Option(
            help="Who published the documents; default: the agency of a dateline ('(Reuters)'), else unknown."
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="The document's title.")] = None,
    url: Annotated[str | None, typer.Option(help="Where the document was found.")] = None,
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY (precision follows); default: the dateline or date "
            "line at the top of the text, else estimated from the dates it mentions."
        ),
    ] = None,
    claims: Annotated[
        Path | None, typer.Option(help="Curated claims for the document, in the fixture claims format.")
    ] = None,
    no_extract: Annotated[
        bool, typer.Option("--no-extract", help="Do not run the claim extractor on the new documents.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Add documents, one transaction each, and extract their claims (status 'extracted'); curated --claims win
    over extracted ones on the same span. The same text again is reported and skipped. An undated document gets the
    date its dateline or date line gives, else one estimated from its content, marked estimated. Figures about an
    incident the catalogue does not hold join the discovered event of that incident, or found one."""
    date, precision = parse_published(published) if published else (None, "unknown")
    curated = load_json_file(claims, ClaimsFile).claims if claims else None
    paths = expand_paths(Path(f) for f in files if f != "-")
    if curated is not None and len(paths) + files.count("-") != 1:
        raise InputError("--claims goes with exactly one document")
    inputs: list[tuple[str, Path | None]] = [("-", None)] * min(files.count("-"), 1) + [(p.name, p) for p in paths]
    # Validate every file before writing anything, so one bad file does not leave half a batch.
    texts = []
    for origin, path in inputs:
        text = (
            read_document(path)
            if path
            else decode_document(sys.stdin.buffer.read(max_document_bytes() + 1), origin="stdin")
        )
        texts.append((origin if path else "stdin", text))
    with session_for(db) as session:
        resolver = SourceResolver(session)
        extractor = None if no_extract else functools.partial(extract_claims, catalogue=catalogue(session))
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err_console(),
            transient=True,
            disable=len(texts) <= PROGRESS_AFTER,
        )
        results = []
        with progress:
            task = progress.add_task("adding", total=len(texts))
            for origin, text in texts:
                doc = DocumentIn(
                    text=text,
                    origin=origin,
                    publisher=publisher,
                    title=title,
                    url=url,
                    published=date,
                    precision=precision,
                )
                results.append(add_one(session, document=doc, claims=curated, resolver=resolver, extractor=extractor))
                progress.advance(task)
    for r in results:
        if r.added:
            notes = [plural(r.claims, "claim")]
            if r.events:
                notes.append(
                    "events: "
                    + ", ".join(f"{slug} (new, discovered)" if slug in r.founded else slug for slug in r.events)
                )
            if r.without_event:
                notes.append(f"{plural(r.without_event, 'figure')} about no recognisable incident, without an event")
            typer.echo(f"{r.origin}: added as document {r.document_id} ({'; '.join(notes)})")
            for reason in r.dropped:
                typer.echo(f"{r.origin}: a claim was left out: {reason}", err=True)
        else:
            typer.echo(f"{r.origin}: {r.message} (document {r.document_id})", err=True)
    added = sum(r.added for r in results)
    typer.echo(f"{added} added, {len(results) - added} skipped")


@handle_errors
def documents(
    families: Annotated[
        bool, typer.Option("--families", help="Group documents into copy families (near-duplicates, shared passages).")
    ] = False,
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
    if as_json:
        print_json(rows)
        return
    console().print(
        table(
            f"{len(rows)} documents",
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
