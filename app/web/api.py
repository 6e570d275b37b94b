"""The JSON API under /api/: the same library functions and the same pydantic schemas as the command line's --json
(`claimdb events --json` is GET /api/events, `claims --json` GET /api/claims, `compare --json` GET /api/compare, …).
Its OpenAPI description is at /api/openapi.json. Writes take the claim versions the client read: a claim changed
since answers 409."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from app.claims import ClaimFilter, Page, count_claims, get_claim, iter_claims, who_says
from app.compare import DEFAULT_FACTOR, compare
from app.documents import list_documents
from app.errors import InputError
from app.events import list_events
from app.models import EVENT_STATUSES
from app.review import (
    UNSET,
    ChangeOut,
    claim_history,
    edit_claim,
    link_claims,
    list_changes,
    pending,
    set_status_many,
)
from app.schemas import MAX_COUNT, ClaimOut, DocumentOut, EventOut, GroupOut, SourceOut
from app.search import SearchOut, search
from app.sources import list_sources
from app.web import db_session
from app.web.security import authenticate, check_csrf

SessionDep = Annotated[Session, Depends(db_session)]


def _reviewer(request: Request, session: SessionDep) -> str:
    return authenticate(request, session)


def _writer(request: Request, session: SessionDep) -> str:
    name = authenticate(request, session)
    check_csrf(request, request.headers.get("x-csrf-token"))
    return name


ReviewerDep = Annotated[str, Depends(_reviewer)]
WriterDep = Annotated[str, Depends(_writer)]
router = APIRouter(prefix="/api", tags=["claimdb"])


def _page(limit: int | None, offset: int) -> Page:
    return Page(limit=limit, offset=offset)


@router.get("/events", response_model=list[EventOut], summary="Events with their claim counts (claimdb events)")
def api_events(_: ReviewerDep, session: SessionDep, status: str | None = None) -> list[EventOut]:
    if status is not None and status not in EVENT_STATUSES:
        raise InputError(f"unknown status {status!r}: choose from {', '.join(EVENT_STATUSES)}")
    return list_events(session, status=status)


@router.get(
    "/claims",
    response_model=list[ClaimOut],
    summary="Claims (claimdb claims), streamed a thousand at a time",
)
def api_claims(
    request: Request,
    _: ReviewerDep,
    session: SessionDep,
    event: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    document: str | None = None,
    status: str | None = None,
    limit: Annotated[int | None, Query(ge=0)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> StreamingResponse:
    flt = ClaimFilter(event=event, kind=kind, source=source, document=document, status=status)
    count_claims(session, flt=flt)  # an unknown event, kind, source or document is a 404 or 400 before streaming
    page = _page(limit, offset)
    sessions = request.app.state.sessions

    def body() -> Iterator[str]:
        with sessions() as reader:
            first = True
            for claim in iter_claims(reader, flt=flt, page=page):
                yield ("[" if first else ",") + claim.model_dump_json()
                first = False
            yield "[]" if first else "]"

    return StreamingResponse(body(), media_type="application/json")


@router.get("/claims/{claim_id}", response_model=ClaimOut, summary="One claim (claimdb claim show)")
def api_claim(_: ReviewerDep, session: SessionDep, claim_id: int) -> ClaimOut:
    return get_claim(session, claim_id)


@router.get("/claims/{claim_id}/history", response_model=list[ChangeOut], summary="claimdb claim history")
def api_claim_history(_: ReviewerDep, session: SessionDep, claim_id: int) -> list[ChangeOut]:
    return claim_history(session, claim_id=claim_id)


@router.get("/who-says/{number}", response_model=list[ClaimOut], summary="claimdb who-says")
def api_who_says(
    _: ReviewerDep,
    session: SessionDep,
    number: int,
    kind: str | None = None,
    event: str | None = None,
    loose: bool = False,
) -> list[ClaimOut]:
    flt = ClaimFilter(event=event, kind=kind, include_rejected=False)
    return who_says(session, value=number, flt=flt, loose=loose)


@router.get("/compare", response_model=list[GroupOut], summary="Groups of figures with a verdict (claimdb compare)")
def api_compare(
    _: ReviewerDep,
    session: SessionDep,
    event: str | None = None,
    kind: str | None = None,
    asserter: str | None = None,
    publisher: str | None = None,
    factor: Annotated[float, Query(gt=1)] = DEFAULT_FACTOR,
    all: bool = False,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
) -> list[GroupOut]:
    return compare(
        session,
        event=event,
        kind=kind,
        asserter=asserter,
        publisher=publisher,
        factor=factor,
        include_single=all,
        min_confidence=min_confidence,
    )


@router.get("/review", response_model=list[ClaimOut], summary="Claims awaiting review (claimdb review)")
def api_review(_: ReviewerDep, session: SessionDep) -> list[ClaimOut]:
    return pending(session)


@router.get("/sources", response_model=list[SourceOut], summary="Sources with aliases (claimdb sources)")
def api_sources(_: ReviewerDep, session: SessionDep) -> list[SourceOut]:
    return list_sources(session)


@router.get("/documents", response_model=list[DocumentOut], summary="Documents (claimdb documents)")
def api_documents(_: ReviewerDep, session: SessionDep) -> list[DocumentOut]:
    return list_documents(session)


@router.get("/changes", response_model=list[ChangeOut], summary="The change log, newest first")
def api_changes(
    _: ReviewerDep,
    session: SessionDep,
    entity: Literal["claim", "source", "event"] | None = None,
    reviewer: str | None = None,
    limit: Annotated[int | None, Query(ge=0)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ChangeOut]:
    return list_changes(session, entity=entity, reviewer=reviewer, page=_page(limit, offset))


@router.get("/search", response_model=SearchOut, summary="Full-text search over documents, sentences and sources")
def api_search(
    _: ReviewerDep,
    session: SessionDep,
    q: str,
    event: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> SearchOut:
    return search(session, query=q, event=event, kind=kind, source=source, status=status, limit=limit)


class StatusIn(BaseModel):
    status: Literal["confirmed", "rejected"]
    versions: dict[int, int] = Field(
        min_length=1, description="the claims to change, each with the version read: a claim changed since is a 409"
    )
    note: str | None = None


class LinkIn(BaseModel):
    event: str
    versions: dict[int, int] = Field(min_length=1, description="the claims to link, each with the version read")
    note: str | None = None


class EditIn(BaseModel):
    version: int = Field(description="the version read: a claim changed since is a 409")
    low: int | None = Field(None, ge=0, le=MAX_COUNT, description="null: an open bound; absent: unchanged")
    high: int | None = Field(None, ge=0, le=MAX_COUNT, description="null: an open bound; absent: unchanged")
    kind: str | None = None
    event: str | None = Field(None, description="an event's slug; null: no event; absent: unchanged")
    subgroup: str | None = None
    asserter: str | None = None
    note: str | None = None


@router.post("/claims/status", response_model=list[int], summary="Confirm or reject claims; the ids changed")
def api_set_status(user: WriterDep, session: SessionDep, body: StatusIn) -> list[int]:
    return set_status_many(
        session,
        status=body.status,
        claim_ids=list(body.versions),
        versions=body.versions,
        note=body.note,
        reviewer=user,
    )


@router.post("/claims/link", response_model=list[ClaimOut], summary="Link claims to an event")
def api_link(user: WriterDep, session: SessionDep, body: LinkIn) -> list[ClaimOut]:
    return link_claims(
        session, event=body.event, claim_ids=list(body.versions), versions=body.versions, note=body.note, reviewer=user
    )


@router.post("/claims/{claim_id}", response_model=ClaimOut, summary="Edit a claim (claimdb claim edit)")
def api_edit(user: WriterDep, session: SessionDep, claim_id: int, body: EditIn) -> ClaimOut:
    given = body.model_fields_set
    changes: dict[str, Any] = {}
    for name in ("low", "high", "event", "subgroup"):
        changes[name] = getattr(body, name) if name in given else UNSET
    return edit_claim(
        session,
        claim_id=claim_id,
        kind=body.kind,
        asserter=body.asserter,
        note=body.note,
        reviewer=user,
        version=body.version,
        **changes,
    )
