"""`claimdb add`: documents from files, folders, standard input, URLs, feeds and web archives, one transaction each."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text
from sqlalchemy.orm import Session

from app.capture import FEED_TYPES, HTML_TYPES, TEXT_TYPES, fetch, is_url
from app.cli.common import (
    DbOption,
    console,
    err_console,
    handle_errors,
    print_json,
    session_for,
)
from app.dates import parse_published
from app.db import refresh_statistics
from app.errors import InputError
from app.events import catalogue
from app.extract.pipeline import extract_claims
from app.feeds import FeedItem, read_feed
from app.ingest import (
    DocumentIn,
    Extractor,
    decode_document,
    expand_paths,
    extracted_in_parallel,
    find_by_url,
    local_documents,
    page_document,
)
from app.ingest import add_document as add_one
from app.render import plural
from app.schemas import ClaimsFile, EventIn, IngestResult, load_json_file
from app.settings import max_document_bytes
from app.sources import SourceResolver


def register(app: typer.Typer) -> None:
    app.command(
        "add",
        epilog="Example: claimdb add article.txt --publisher 'Iran Focus' --published 2018-01-03",
    )(add)


@dataclass
class _Job:
    """One document to add: ready (read from a file), or a URL to fetch when its turn comes."""

    label: str
    document: DocumentIn | None = None
    url: str | None = None
    fallback: FeedItem | None = None


@dataclass
class _Outcome:
    results: list[IngestResult] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


@handle_errors
def add(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help="Documents: text files (.txt; .md is read as plain text), web pages (.html, .htm), web archives "
            "(.warc, .warc.gz), folders of these, http(s) URLs; '-' reads text from stdin."
        ),
    ] = None,
    feed: Annotated[
        list[str] | None,
        typer.Option(
            "--feed",
            help="An RSS or Atom feed, URL or file: fetch and add each item not yet in the database; repeatable.",
        ),
    ] = None,
    publisher: Annotated[
        str | None,
        typer.Option(
            help="Who published the documents; default: the page's site name, the agency of a dateline "
            "('(Reuters)'), else unknown."
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="The document's title; default: the page's.")] = None,
    url: Annotated[str | None, typer.Option(help="Where the document was found (a URL argument is its own).")] = None,
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY (precision follows); default: the page's metadata, "
            "the dateline or date line at the top of the text, else estimated from the dates it mentions."
        ),
    ] = None,
    claims: Annotated[
        Path | None, typer.Option(help="Curated claims for the document, in the fixture claims format.")
    ] = None,
    no_extract: Annotated[
        bool, typer.Option("--no-extract", help="Do not run the claim extractor on the new documents.")
    ] = False,
    jobs_: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Extract local documents in this many processes while one writer adds them in order; default: "
            "the number of cores.",
        ),
    ] = None,
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the new documents' and claims' ids as JSON at the end.")
    ] = False,
) -> None:
    """Add documents, one transaction each, and extract their claims (status 'extracted'); curated --claims win
    over extracted ones on the same span. The same text again, or a URL already added, is reported and skipped.

    A web page (fetched or local) becomes its article's main text with its title, site name, author, canonical URL
    and publication date; the raw response is kept as a WARC record. An undated document gets the date its dateline
    or date line gives, else one estimated from its content, marked estimated. Figures about an incident the
    catalogue does not hold join the discovered event of that incident, or found one.

    Local files are all checked before anything is written; a URL that cannot be fetched is reported on stderr and
    the others are still added (exit 1 at the end). Ctrl-C stops between documents."""
    date, precision = parse_published(published) if published else (None, "unknown")
    curated = load_json_file(claims, ClaimsFile).claims if claims else None
    given = files or []
    if not given and not feed:
        raise InputError("nothing to add: give files, folders, URLs, '-' or --feed")
    urls = [f for f in given if is_url(f)]
    paths = expand_paths(Path(f) for f in given if f != "-" and not is_url(f))
    # Local documents are read and checked before anything is written: one bad file does not leave half a batch.
    jobs: list[_Job] = []
    if "-" in given:
        text = decode_document(sys.stdin.buffer.read(max_document_bytes() + 1), origin="stdin")
        jobs.append(_Job("stdin", DocumentIn(text=text, origin="stdin")))
    for path in paths:
        jobs.extend(_Job(d.origin, d) for d in local_documents(path))
    jobs.extend(_Job(u, url=u) for u in urls)
    overrides: dict[str, Any] = {
        k: v
        for k, v in (("publisher", publisher), ("title", title), ("url", url), ("published", date))
        if v is not None
    }
    if date is not None:
        overrides["precision"] = precision
    for job in jobs:
        if job.document is not None:
            job.document = replace(job.document, **overrides)  # before extraction: a given date is the one it reads
    with session_for(db) as session:
        for source in feed or []:
            jobs.extend(_feed_jobs(session, source))
        if curated is not None and len(jobs) != 1:
            raise InputError("--claims goes with exactly one document")
        resolver = SourceResolver(session)
        events = catalogue(session)
        extractor = None if no_extract else functools.partial(extract_claims, catalogue=events)
        parallel = (jobs_ or os.cpu_count() or 1) if extractor is not None else 1
        outcome = _Outcome()
        try:
            _run(
                session,
                jobs,
                outcome,
                overrides=overrides,
                ingest={"claims": curated, "resolver": resolver, "extractor": extractor},
                quiet=as_json,
                parallel=(parallel, events),
            )
        except KeyboardInterrupt:
            done = len(outcome.results) + len(outcome.failed)
            typer.echo(
                f"interrupted after {done} of {len(jobs)} documents: the ones reported are in the database, the one "
                "being added is not",
                err=True,
            )
            _summary(outcome, as_json)
            raise typer.Exit(130) from None
        if any(r.added for r in outcome.results):
            refresh_statistics(session)
    _summary(outcome, as_json)
    if outcome.failed:
        raise typer.Exit(1)


def _feed_jobs(session: Session, source: str) -> list[_Job]:
    """The items of a feed not yet in the database, as URLs to fetch."""
    if is_url(source):
        data = fetch(source, accept=FEED_TYPES + HTML_TYPES).body
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{source}: no such file") from None
        except OSError as exc:
            raise InputError(f"{source}: cannot read: {exc.strerror}") from None
    _, items = read_feed(data, origin=source)
    return [_Job(item.link, url=item.link, fallback=item) for item in items if find_by_url(session, item.link) is None]


def _prepared(jobs: list[_Job], parallel: tuple[int, list[EventIn]]) -> Iterator[tuple[_Job, Extractor | None]]:
    """The jobs in order, local documents with their claims found ahead by worker processes when there are several
    of both; URLs are fetched and extracted in turn by the writer."""
    workers, events = parallel
    local = [j for j in jobs if j.document is not None]
    if workers > 1 and len(local) > 1:
        found = extracted_in_parallel((j.document for j in local if j.document), catalogue=events, jobs=workers)
        for job, (_, extractor) in zip(local, found, strict=True):
            yield job, extractor
    else:
        yield from ((job, None) for job in local)
    yield from ((job, None) for job in jobs if job.document is None)


def _run(
    session: Session, jobs: list[_Job], outcome: _Outcome, *, overrides: dict[str, Any], ingest: dict[str, Any],
    quiet: bool, parallel: tuple[int, list[EventIn]],
) -> None:  # fmt: skip
    """Add the jobs in order, reporting each as it lands: above a progress bar on a terminal, one flushed line
    each when the output is redirected."""
    out = console()
    bar = out if out.is_terminal else err_console()
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=bar,
        transient=True,
        disable=len(jobs) <= 1 or not bar.is_terminal,
    )

    def say(line: str, *, error: bool = False) -> None:
        if quiet and not error:
            return
        if error:
            if progress.live.is_started and bar.stderr:
                progress.console.print(Text(line))
            else:
                typer.echo(line, err=True)
            return
        if progress.live.is_started and not bar.stderr:
            progress.console.print(Text(line))
        else:
            typer.echo(line)
            sys.stdout.flush()

    with progress:
        task = progress.add_task("adding", total=len(jobs))
        for job, found in _prepared(jobs, parallel if ingest["extractor"] is not None else (1, [])):
            progress.update(task, description=_short(job.label))
            try:
                document = job.document or _fetched(session, job)
            except InputError as exc:
                outcome.failed.append((job.label, str(exc)))
                say(f"error: {exc}", error=True)
                progress.advance(task)
                continue
            if document is None:
                result = IngestResult(
                    origin=job.label,
                    document_id=find_by_url(session, job.url or ""),
                    added=False,
                    message="already in the database; skipped",
                )
            else:
                document = document if job.document is not None else replace(document, **overrides)
                result = add_one(session, document=document, **(ingest | ({"extractor": found} if found else {})))
            outcome.results.append(result)
            for line, error in _lines(result):
                say(line, error=error)
            progress.advance(task)


def _fetched(session: Session, job: _Job) -> DocumentIn | None:
    """The page at the job's URL as a document, or None when that URL is in the database already."""
    assert job.url is not None
    if find_by_url(session, job.url) is not None:
        return None
    document = page_document(fetch(job.url, accept=HTML_TYPES + TEXT_TYPES), origin=job.url)
    if job.fallback is not None:  # what the feed said, where the page says nothing
        item = job.fallback
        if document.title is None and item.title:
            document = replace(document, title=item.title)
        if document.published is None and item.published:
            document = replace(document, published=item.published, precision="day")
    return document


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else "…" + label[-(width - 1) :]


def _lines(r: IngestResult) -> list[tuple[str, bool]]:
    if not r.added:
        return [(f"{r.origin}: {r.message} (document {r.document_id})", True)]
    notes = [plural(r.claims, "claim")]
    if r.events:
        notes.append(
            "events: " + ", ".join(f"{slug} (new, discovered)" if slug in r.founded else slug for slug in r.events)
        )
    if r.without_event:
        notes.append(f"{plural(r.without_event, 'figure')} about no recognisable incident, without an event")
    lines = [(f"{r.origin}: added as document {r.document_id} ({'; '.join(notes)})", False)]
    lines += [(f"{r.origin}: a claim was left out: {reason}", True) for reason in r.dropped]
    return lines


def _summary(outcome: _Outcome, as_json: bool) -> None:
    added = sum(r.added for r in outcome.results)
    skipped = len(outcome.results) - added
    if as_json:
        print_json(
            {
                "documents": [r.model_dump(mode="json") for r in outcome.results],
                "failed": [{"input": label, "error": error} for label, error in outcome.failed],
                "added": added,
                "skipped": skipped,
            }
        )
        return
    line = f"{added} added, {skipped} skipped"
    if outcome.failed:
        line += f", {len(outcome.failed)} failed"
    typer.echo(line)
