"""Adding documents and their claims. One document is one transaction: it lands whole or not at all."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from sqlalchemy import Table, insert, or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.capture import HTML_TYPES, Capture, local_capture, read_warc, warc_record
from app.db import insert_ignore, retryable
from app.errors import FixtureError, InputError
from app.events import Discovery, event_ids, load_events
from app.families import sketch, store_signature
from app.models import Attribution, Claim, Document
from app.models import Capture as CaptureRow
from app.schemas import (
    ClaimIn,
    ClaimsFile,
    EventCatalogue,
    EventIn,
    IngestResult,
    Manifest,
    ManifestEntry,
    SourceCatalogue,
    load_json_file,
)
from app.settings import FIXTURES_DIR, MAX_DOCUMENT_MB_VAR, max_document_bytes
from app.sources import SourceResolver

if TYPE_CHECKING:
    from app.extract.pipeline import Extraction


class Extractor(Protocol):
    """Reads a document's text (with its date, if known) and returns the claims it finds; given `on_claims`, it may
    hand them over in batches as it goes instead: `functools.partial(extract_claims, catalogue=…)` is one."""

    def __call__(
        self,
        text: str,
        /,
        *,
        published: dt.date | None = ...,
        on_claims: Callable[[list[ClaimIn]], None] | None = ...,
    ) -> Extraction: ...


STREAM_ABOVE_CHARS = 1_000_000
"""A document longer than this has its extracted claims written batch by batch as they are found."""


@dataclass(frozen=True)
class DocumentIn:
    """A document ready to be added: its text and what is known about it."""

    text: str
    origin: str
    publisher: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    precision: str = "unknown"
    canonical_url: str | None = None
    author: str | None = None
    capture: Capture | None = None
    """What a server (or a local page or archive) sent for it, kept as a WARC record."""


def _check_size(size: int, origin: str) -> None:
    limit = max_document_bytes()
    if size > limit:
        raise InputError(
            f"{origin}: {size / 1e6:.1f} MB is over the {limit / 1e6:g} MB limit for one document "
            f"(set {MAX_DOCUMENT_MB_VAR} to change it)"
        )


def decode_document(data: bytes, *, origin: str) -> str:
    """Turn raw bytes into document text, refusing what is not a text document or is over the size limit."""
    _check_size(len(data), origin)
    if not data.strip():
        raise InputError(f"{origin}: empty document")
    if b"\x00" in data:
        raise InputError(f"{origin}: binary file, not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{origin}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(path: Path) -> str:
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give the document files inside it")
    try:
        _check_size(path.stat().st_size, str(path))
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return decode_document(data, origin=str(path))


TEXT_SUFFIXES = (".txt", ".md")
"""Read as plain text: a Markdown file's text is its markup as written."""
PAGE_SUFFIXES = (".html", ".htm")
ARCHIVE_SUFFIXES = (".warc", ".warc.gz")
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + PAGE_SUFFIXES + ARCHIVE_SUFFIXES


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return next((s for s in ARCHIVE_SUFFIXES if name.endswith(s)), path.suffix.lower())


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a directory stands for the documents directly inside it: text (.txt, .md), pages (.html,
    .htm) and web archives (.warc, .warc.gz). A file of another kind is refused, never taken silently."""
    out: list[Path] = []
    kinds = ", ".join(f"*{s}" for s in DOCUMENT_SUFFIXES)
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and _suffix(p) in DOCUMENT_SUFFIXES)
            if not found:
                raise InputError(f"{path}: directory has no documents ({kinds})")
            out.extend(found)
        elif not path.exists():
            raise InputError(f"{path}: no such file")
        elif _suffix(path) not in DOCUMENT_SUFFIXES and not path.is_fifo():
            raise InputError(f"{path}: not a document claimdb reads ({kinds})")
        else:
            out.append(path)
    return out


def page_document(capture: Capture, *, origin: str) -> DocumentIn:
    """A fetched or archived page as a document: its article text and metadata (app/pages.py), the capture kept.
    A plain-text response is taken as it is."""
    from app.pages import decode_html, read_page

    _check_size(len(capture.body), origin)
    if capture.content_type not in HTML_TYPES:
        return DocumentIn(
            text=decode_document(capture.body, origin=origin), origin=origin, url=capture.url, capture=capture
        )
    article = read_page(decode_html(capture.body, capture.charset), url=capture.final_url, origin=origin)
    return DocumentIn(
        text=article.text,
        origin=origin,
        publisher=article.publisher,
        title=article.title,
        url=capture.url if not capture.url.startswith("file:") else None,
        published=article.published,
        precision="day" if article.published else "unknown",
        canonical_url=article.canonical_url if article.canonical_url != capture.url else None,
        author=article.author,
        capture=capture,
    )


def local_documents(path: Path) -> list[DocumentIn]:
    """The documents one local file holds: a text file one, a page one, a web archive one per HTML response."""
    suffix = _suffix(path)
    if suffix in PAGE_SUFFIXES:
        try:
            _check_size(path.stat().st_size, str(path))
            body = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror}") from None
        return [page_document(local_capture(path, body, content_type="text/html"), origin=path.name)]
    if suffix in ARCHIVE_SUFFIXES:
        documents = [page_document(capture, origin=capture.url) for capture in read_warc(path)]
        if not documents:
            raise InputError(f"{path}: the archive holds no HTML or text response")
        return documents
    return [DocumentIn(text=read_document(path), origin=path.name)]


def find_by_url(session: Session, url: str) -> int | None:
    """The document brought in from `url`, or whose page names `url` as its canonical address."""
    return session.scalar(
        select(Document.id).where(or_(Document.url == url, Document.canonical_url == url)).order_by(Document.id)
    )


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_claims(text: str, claims: Iterable[ClaimIn], *, where: str, known_events: set[str]) -> None:
    """Spans must match the text and events must exist; the message names the file and field."""
    for i, claim in enumerate(claims):
        if claim.end > len(text) or text[claim.start : claim.end] != claim.text:
            found = text[claim.start : claim.end] if claim.end <= len(text) else "(past the end of the text)"
            raise FixtureError(
                f"{where}: claims.{i}.text: {claim.text!r} is not at {claim.start}:{claim.end} (found {found!r})"
            )
        proposed = claim.proposed_event is not None and claim.proposed_event.slug == claim.event
        if claim.event is not None and claim.event not in known_events and not proposed:
            raise FixtureError(f"{where}: claims.{i}.event: unknown event {claim.event!r}")
        for j, attr in enumerate(claim.attributions):
            if (
                attr.cue_start is not None
                and attr.cue_end is not None
                and (attr.cue_end > len(text) or text[attr.cue_start : attr.cue_end] != attr.cue)
            ):
                raise FixtureError(
                    f"{where}: claims.{i}.attributions.{j}.cue: {attr.cue!r} is not at {attr.cue_start}:{attr.cue_end}"
                )


def find_document(session: Session, text: str) -> int | None:
    return session.scalar(select(Document.id).where(Document.sha256 == sha256_text(text)))


def add_document(
    session: Session,
    *,
    document: DocumentIn,
    claims: list[ClaimIn] | None = None,
    claims_origin: str = "manual",
    extractor: Extractor | None = None,
    resolver: SourceResolver | None = None,
) -> IngestResult:
    """Add one document with its curated `claims` and, if an `extractor` is given, the claims it finds.

    Curated claims win over extracted ones on the same span. The same text again is skipped, not an error, also
    when another writer adds it at the same moment. Everything happens in one transaction, committed at the end and
    rolled back on any error; a transaction that lost a race with a concurrent writer (SQLite busy, PostgreSQL
    deadlock) is run again, up to `RETRIES` times.

    A document's claims are found before its transaction starts, so that a writer holds the database for as short
    a time as it can; a document over `STREAM_ABOVE_CHARS` has its claims written as the extractor finds them,
    inside the transaction, so that memory stays bounded by the batch, not the document."""
    resolver = resolver or SourceResolver(session)
    if isinstance(extractor, _Precomputed) and extractor.given == document:
        document = extractor.dated  # dated by the worker that extracted it
    else:
        document = date_document(document)
    streamed = len(document.text) > STREAM_ABOVE_CHARS
    extraction = (
        extractor(document.text, published=document.published)
        if extractor is not None and document.text.strip() and not streamed
        else None
    )
    for attempt in range(RETRIES + 1):
        try:
            result = _add_document(
                session,
                document=document,
                claims=claims or [],
                claims_origin=claims_origin,
                extraction=extraction,
                extractor=extractor if streamed else None,
                resolver=resolver,
            )
            session.commit()
            return result
        except _AlreadyPresent as present:
            session.rollback()
            resolver.reload()
            return present.result
        except DBAPIError as exc:
            session.rollback()
            resolver.reload()
            if attempt == RETRIES or not retryable(exc):
                raise
            time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
        except BaseException:
            session.rollback()
            resolver.reload()
            raise
    raise AssertionError("unreachable")  # pragma: no cover


# ---------------------------------------------------------------- extraction on every core

_WORKER_CATALOGUE: list[EventIn] = []


def _start_worker(catalogue: list[EventIn]) -> None:
    global _WORKER_CATALOGUE
    _WORKER_CATALOGUE = catalogue


def _extract_one(document: DocumentIn) -> _Precomputed | None:
    """In a worker: what `add_document` would extract from the document (after dating it), the document dated and
    its copy sketch, or None for a document so long that its claims are streamed into its transaction instead."""
    from app.extract.pipeline import extract_claims

    dated = date_document(document)
    if len(dated.text) > STREAM_ABOVE_CHARS or not dated.text.strip():
        return None
    extraction = extract_claims(dated.text, published=dated.published, catalogue=_WORKER_CATALOGUE)
    return _Precomputed(extraction, sketch(dated.text), given=document, dated=dated)


def extracted_in_parallel(
    documents: Iterator[DocumentIn], *, catalogue: list[EventIn], jobs: int
) -> Iterator[tuple[DocumentIn, Extractor | None]]:
    """The documents in their order, each with an extractor that hands back its claims already found by one of
    `jobs` worker processes, a bounded window of documents ahead of the writer (so memory does not grow with the
    batch). None for a document the writer must extract itself (a streamed one)."""
    import concurrent.futures as cf
    import multiprocessing

    from app.extract.pipeline import extract_claims

    extract_claims("warm-up: 1 person was hurt in Paris on Monday.", published=None, catalogue=catalogue)  # forked
    context = multiprocessing.get_context("fork")  # the workers inherit the warmed gazetteer and lexicon
    window = 4 * jobs
    with cf.ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(catalogue,)) as pool:
        pending: list[tuple[DocumentIn, cf.Future[_Precomputed | None]]] = []
        try:
            for document in documents:
                pending.append((document, pool.submit(_extract_one, document)))
                if len(pending) >= window:
                    first, future = pending.pop(0)
                    yield first, future.result()
            for document, future in pending:
                yield document, future.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


@dataclass(frozen=True)
class _Precomputed:
    """An extractor that has already run: it hands back what a worker found, and the worker's copy sketch of the
    text and dating of the document (`given`, as the worker was given it): the writer does neither again."""

    extraction: Extraction
    signature: tuple[int, list[int]]
    given: DocumentIn
    dated: DocumentIn

    def __call__(
        self,
        text: str,
        /,
        *,
        published: dt.date | None = None,
        on_claims: Callable[[list[ClaimIn]], None] | None = None,
    ) -> Extraction:
        return self.extraction


def date_document(document: DocumentIn, *, today: dt.date | None = None) -> DocumentIn:
    """Fill in what the text says of an undated document: the date of its dateline or date line (precision day,
    or estimated where the year is left out) and the agency of its dateline as publisher. A publication date in
    the future is refused."""
    today = today or dt.date.today()
    if document.published is not None:
        if document.published > today:
            raise InputError(f"{document.origin}: publication date {document.published} is in the future")
        return document if document.precision != "unknown" else replace(document, precision="day")
    from app.extract.dateline import read_dateline
    from app.extract.link import estimate_published

    found = read_dateline(document.text, today=today, latest=estimate_published(document.text))
    if found is None:
        return document
    return replace(
        document,
        published=found.published or document.published,
        precision=found.precision if found.published else document.precision,
        publisher=document.publisher or found.agency,
    )


WAL_CHECKPOINT_PAGES = 10_000
"""A SQLite writer moves its write-ahead log into the database file after this many pages (40 MB), not after
SQLite's default 1,000: every document rewrites some hundreds of pages of the copy index, and a checkpoint (with its
fsync) every few documents cost more than the document's own work; a page written again before the checkpoint is
copied once."""


def _writer_settings(session: Session) -> None:
    """Settings of the connection a writer holds, made once per connection."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return
    pooled = conn.connection
    if not pooled.info.get("claimdb.writer"):
        conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
        pooled.info["claimdb.writer"] = True


RETRIES = 8
"""How often a document's transaction is run again after losing a race with another writer."""


class _AlreadyPresent(Exception):
    def __init__(self, result: IngestResult) -> None:
        super().__init__(result.message)
        self.result = result


def _overlaps(a: ClaimIn, b: ClaimIn) -> bool:
    return a.start < b.end and b.start < a.end and (a.kind == "quote") == (b.kind == "quote")


def _add_document(
    session: Session,
    *,
    document: DocumentIn,
    claims: list[ClaimIn],
    claims_origin: str,
    extraction: Extraction | None,
    extractor: Extractor | None,
    resolver: SourceResolver,
) -> IngestResult:
    """Add the document, then its curated claims, then the extracted ones: those `extraction` holds, or, for a
    large document, those `extractor` finds, written batch by batch as it finds them."""
    text = document.text
    if not text.strip():
        raise InputError(f"{document.origin}: empty document")
    _writer_settings(session)
    existing = find_document(session, text)
    if existing is not None:
        return IngestResult(
            origin=document.origin,
            document_id=existing,
            added=False,
            message="already in the database; skipped",
        )
    events = event_ids(session, {c.event for c in claims if c.event is not None})  # only the slugs claims name
    check_claims(text, claims, where=document.origin, known_events=set(events))
    published, precision = document.published, document.precision
    if published is None:
        estimated = extraction.published if extraction is not None else None
        if extraction is None and extractor is not None:
            from app.extract.link import estimate_published

            estimated = estimate_published(text)  # what the extractor will say, before it has said it
        if estimated is not None:
            published, precision = estimated, "estimated"
    publisher_id = resolver.get_or_create(document.publisher, kind="outlet") if document.publisher else None
    doc_id = session.execute(
        insert_ignore(session, Document, ["sha256"])
        .values(
            publisher_id=publisher_id,
            title=document.title,
            url=document.url,
            published=published,
            published_precision=precision if published else "unknown",
            text=text,
            text_length=len(text),
            sha256=sha256_text(text),
            origin=document.origin,
            canonical_url=document.canonical_url,
            author=document.author,
        )
        .returning(Document.id)
    ).scalar()
    if doc_id is None:  # another writer added the same text since we looked
        raise _AlreadyPresent(
            IngestResult(
                origin=document.origin,
                document_id=find_document(session, text),
                added=False,
                message="already in the database; skipped",
            )
        )
    worked = extractor.signature if isinstance(extractor, _Precomputed) else None
    store_signature(session, document_id=doc_id, text=text, signature=worked)
    if document.capture is not None:
        c = document.capture
        session.execute(
            insert(CaptureRow).values(
                document_id=doc_id,
                url=c.url,
                final_url=c.final_url,
                status=c.status,
                content_type=c.content_type,
                captured_at=c.captured_at,
                sha256=c.sha256,
                warc=warc_record(c),
            )
        )
    writer = _ClaimWriter(session, doc_id=doc_id, text=text, events=events, resolver=resolver)
    writer.write([(c, claims_origin, "confirmed") for c in claims])

    def extracted(batch: Iterable[ClaimIn]) -> None:
        writer.write([(c, "extractor", "extracted") for c in batch if not any(_overlaps(c, k) for k in claims)])

    dropped: list[str] = []
    if extraction is None and extractor is not None:
        extraction = extractor(text, published=document.published, on_claims=extracted)
    if extraction is not None:
        extracted(extraction.claims)
        dropped = list(extraction.dropped)
    return IngestResult(
        origin=document.origin,
        document_id=doc_id,
        added=True,
        claims=writer.count,
        claim_ids=sorted(writer.ids),
        message="added",
        dropped=dropped,
        events=writer.linked(),
        founded=sorted(set(writer.discovery.founded)),
        without_event=writer.without_event,
    )


_CLAIM_TABLE = cast(Table, Claim.__table__)
_INSERT_CLAIMS = insert(_CLAIM_TABLE).returning(
    _CLAIM_TABLE.c.id, _CLAIM_TABLE.c.kind, _CLAIM_TABLE.c.span_start, _CLAIM_TABLE.c.span_end
)
"""Claims written as Core rows, keyed by column name (span_start, span_end), in one multi-row INSERT … RETURNING
per batch: each id comes back with its claim's (kind, start, end), unique within a document, so the ids are matched
to the claims by that key rather than by the order RETURNING gives them. (`sort_by_parameter_order` would keep the
order, but SQLite has no way to, and SQLAlchemy then inserts one row per statement.)"""


class _ClaimWriter:
    """Writes one document's claims, a batch at a time, with Core bulk inserts: each claim's event (catalogued,
    proposed or discovered), its sentence, and its attributions' sources."""

    def __init__(
        self, session: Session, *, doc_id: int, text: str, events: dict[str, int], resolver: SourceResolver
    ) -> None:
        from app.extract.segment import SpanIndex

        self.session, self.doc_id, self.text, self.events, self.resolver = session, doc_id, text, events, resolver
        self.sentences = SpanIndex.of_sentences(text)
        self.discovery = Discovery(session)
        self.seen: set[tuple[str, int, int]] = set()
        self.linked_ids: set[int | None] = set()
        self.count = 0
        self.ids: list[int] = []
        self.without_event = 0

    def write(self, rows: list[tuple[ClaimIn, str, str]]) -> None:
        if not rows:
            return
        self.count += len(rows)
        named = {c.event for c, _, _ in rows if c.event is not None and c.event not in self.events}
        if named:
            self.events.update(event_ids(self.session, named))  # the catalogued events these claims name
        proposals = {c.proposed_event.slug: c.proposed_event for c, _, _ in rows if c.proposed_event}
        new = [e for slug, e in proposals.items() if slug not in self.events]
        if new:
            load_events(self.session, new)
            self.events.update(event_ids(self.session, [e.slug for e in new]))
        event_of: list[int | None] = []
        for claim, _, _ in rows:
            if claim.event is not None:
                event_of.append(self.events[claim.event])
            elif claim.incident is not None:
                event_of.append(self.discovery.resolve(claim.incident))
            else:
                event_of.append(None)
            if event_of[-1] is None and claim.kind != "quote":
                self.without_event += 1
        self.linked_ids.update(event_of)
        self._insert(rows, event_of)

    def linked(self) -> list[str]:
        """The slugs of the events the claims written are linked to, founded or joined."""
        discovery = self.discovery
        ids = self.linked_ids
        return sorted(
            {slug for slug, eid in self.events.items() if eid in ids} | set(discovery.founded) | set(discovery.joined)
        )

    def _insert(self, rows: list[tuple[ClaimIn, str, str]], event_of: list[int | None]) -> None:
        text = self.text
        unique = []
        for (claim, origin, status), event_id in zip(rows, event_of, strict=True):
            key = (claim.kind, claim.start, claim.end)
            if key not in self.seen:
                self.seen.add(key)
                unique.append((claim, origin, status, event_id))
        if not unique:
            return
        values = []
        for claim, origin, status, event_id in unique:
            sentence = self.sentences.covering(claim.start, claim.end)
            values.append(
                {
                    "document_id": self.doc_id,
                    "document_length": len(text),
                    "event_id": event_id,
                    "kind": claim.kind,
                    "low": claim.low,
                    "high": claim.high,
                    "qualifier": claim.qualifier,
                    "unit": claim.unit,
                    "subgroup": claim.subgroup,
                    "quote_form": claim.quote_form,
                    "text": claim.text,
                    "span_start": claim.start,
                    "span_end": claim.end,
                    "sentence_start": sentence.start,
                    "sentence_end": sentence.end,
                    "asserted_on": claim.asserted_on,
                    "explanation": claim.explanation,
                    "confidence": claim.confidence if status == "extracted" else None,
                    "status": status,
                    "origin": origin,
                }
            )
        conn = self.session.connection()  # Core statements: no ORM bookkeeping for rows nobody reads back
        id_of = {(kind, start, end): claim_id for claim_id, kind, start, end in conn.execute(_INSERT_CLAIMS, values)}
        ids = [id_of[(claim.kind, claim.start, claim.end)] for claim, _, _, _ in unique]
        self.ids.extend(ids)
        attributions = []
        for claim_id, (claim, _, status, _) in zip(ids, unique, strict=True):
            done: set[tuple[str, int]] = set()
            for attr in claim.attributions:
                try:
                    source_id = self.resolver.get_or_create(attr.source, kind=attr.source_kind or "unknown")
                except InputError:
                    if status != "extracted":
                        raise  # a curated claim names its source: a bad name is bad input
                    continue  # what the extractor read as a name is none: the figure stays, unattributed
                if (attr.role, source_id) in done:
                    continue
                done.add((attr.role, source_id))
                attributions.append(
                    {
                        "claim_id": claim_id,
                        "source_id": source_id,
                        "role": attr.role,
                        "cue": attr.cue,
                        "cue_start": attr.cue_start,
                        "cue_end": attr.cue_end,
                        "title": attr.title,
                    }
                )
        if attributions:
            conn.execute(insert(Attribution), attributions)


# ---------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class FixtureSet:
    """A validated fixtures folder: nothing is written until every file has passed."""

    sources: SourceCatalogue
    events: EventCatalogue
    documents: list[tuple[ManifestEntry, str, list[ClaimIn]]]


def read_fixtures(path: Path = FIXTURES_DIR) -> FixtureSet:
    if not path.is_dir():
        raise FixtureError(f"{path}: no fixtures folder")
    sources = load_json_file(path / "sources.json", SourceCatalogue)
    events = load_json_file(path / "events.json", EventCatalogue)
    manifest = load_json_file(path / "manifest.json", Manifest)
    slugs = {e.slug for e in events.events}
    documents = []
    for i, entry in enumerate(manifest.documents):
        doc_path = path / "documents" / entry.file
        if not doc_path.is_file():
            raise FixtureError(f"{path / 'manifest.json'}: documents.{i}.file: {entry.file} not found in documents/")
        text = read_document(doc_path)
        claims: list[ClaimIn] = []
        if entry.claims:
            claims_path = path / entry.claims
            claims_file = load_json_file(claims_path, ClaimsFile)
            if claims_file.document != entry.file:
                raise FixtureError(f"{claims_path}: document: names {claims_file.document}, manifest says {entry.file}")
            check_claims(text, claims_file.claims, where=str(claims_path), known_events=slugs)
            claims = list(claims_file.claims)
        documents.append((entry, text, claims))
    return FixtureSet(sources=sources, events=events, documents=documents)


def load_fixtures(
    session: Session, *, path: Path = FIXTURES_DIR, on_document: Callable[[IngestResult], None] | None = None
) -> list[IngestResult]:
    """Load the fixtures: sources and events first, then each document with its curated claims, one transaction
    each. Loading twice changes nothing."""
    fixtures = read_fixtures(path)
    resolver = SourceResolver(session)
    try:
        for source in fixtures.sources.sources:
            resolver.add(source)
        load_events(session, fixtures.events.events)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    results = []
    for entry, text, claims in fixtures.documents:
        doc = DocumentIn(
            text=text,
            origin=entry.file,
            publisher=entry.publisher,
            title=entry.title,
            url=entry.url,
            published=entry.published,
            precision=entry.published_precision,
        )
        result = add_document(session, document=doc, claims=claims, claims_origin="fixture", resolver=resolver)
        results.append(result)
        if on_document:
            on_document(result)
    return results
