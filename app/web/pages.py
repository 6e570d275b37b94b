"""The pages: events (verdicts, charts), an event's groups and figures, documents with their claims marked, sources
and their aliases, the change log, search, and the review forms. Every write is a POST form with the session's CSRF
token, answered by a redirect back (so a reload never sends it twice) with a one-line message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from app.claims import ClaimFilter, Page, get_claim, list_claims
from app.compare import compare
from app.documents import get_document, list_documents
from app.errors import InputError
from app.events import get_event, list_events
from app.models import CLAIM_KINDS, CLAIM_STATUSES, FIGURE_KINDS
from app.review import (
    claim_history,
    confirm_event,
    count_changes,
    edit_claim,
    link_claims,
    list_changes,
    merge_events,
    merge_sources,
    parse_bound,
    pending,
    set_status,
    set_status_many,
)
from app.schemas import MAX_COUNT, ClaimOut
from app.search import search
from app.sources import list_sources
from app.users import user_for_token
from app.web import db_session
from app.web.chart import chart
from app.web.security import authenticate, check_form, csrf_token, safe_next

router = APIRouter(include_in_schema=False)
PAGE_ROWS = 100
MAX_FORM_FIELDS = 20_000
"""A batch may tick every claim of a large event: one field per claim."""

SessionDep = Annotated[Session, Depends(db_session)]


def _reviewer(request: Request, session: SessionDep) -> str:
    return authenticate(request, session)


async def _form(request: Request) -> FormData:
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    check_form(request, form)
    return form


ReviewerDep = Annotated[str, Depends(_reviewer)]
FormDep = Annotated[FormData, Depends(_form)]


def render(request: Request, name: str, user: str | None, **context: Any) -> HTMLResponse:
    flash = request.session.pop("flash", None)
    template = request.app.state.templates.get_template(name)
    html = template.render(
        request=request,
        user=user,
        logged_in=isinstance(request.session.get("user"), str),
        csrf=csrf_token(request),
        flash=flash,
        back=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        **context,
    )
    return HTMLResponse(html)


def _done(request: Request, message: str, back: object, default: str) -> RedirectResponse:
    request.session["flash"] = message
    return RedirectResponse(safe_next(back, default), status_code=303)


def _int(value: object, what: str) -> int:
    try:
        n = int(str(value))
    except ValueError:
        raise InputError(f"bad {what} {value!r}: a whole number") from None
    if not 0 < n <= MAX_COUNT:
        raise InputError(f"bad {what} {value!r}")
    return n


def _text(form: FormData, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def marked(c: ClaimOut) -> tuple[str, str, str]:
    """A claim's sentence split around its figure or quote: (before, the claim's words, after)."""
    offset = c.start - c.sentence_start if c.sentence_start is not None else c.sentence.find(c.text)
    if offset < 0 or c.sentence[offset : offset + len(c.text)] != c.text:
        offset = c.sentence.find(c.text)
    if offset < 0:
        return c.sentence, "", ""
    return c.sentence[:offset], c.text, c.sentence[offset + len(c.text) :]


@dataclass
class Span:
    """A piece of a document's text: plain (`claim` None), or a claim with the pieces inside it (a figure inside a
    quote is marked inside the quote's mark)."""

    text: str = ""
    claim: ClaimOut | None = None
    inside: list[Span] = field(default_factory=list)


def segments(text: str, claims: list[ClaimOut]) -> list[Span]:
    """A document's text cut into plain runs and marked claims, nested where one claim lies inside another; a claim
    that only partly overlaps one already marked is left unmarked (it is in the table below the text)."""
    ordered = sorted(claims, key=lambda c: (c.start, -c.end, c.id or 0))

    def build(items: list[ClaimOut], start: int, end: int) -> list[Span]:
        out: list[Span] = []
        pos, i = start, 0
        while i < len(items):
            c = items[i]
            j = i + 1
            while j < len(items) and items[j].start < c.end:
                j += 1
            if c.start >= pos:
                inner = [d for d in items[i + 1 : j] if d.end <= c.end]
                out.append(Span(text=text[pos : c.start]))
                out.append(Span(claim=c, inside=build(inner, c.start, c.end)))
                pos = c.end
                i = j
            else:
                i += 1
        out.append(Span(text=text[pos:end]))
        return [s for s in out if s.claim is not None or s.text]

    return build(ordered, 0, len(text))


# ---------------------------------------------------------------- reading


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/events", status_code=303)


EVENT_ROWS = 50
"""Events per page: each shown event's groups are compared for its verdicts."""


@router.get("/events")
def events_page(request: Request, session: SessionDep, user: ReviewerDep, offset: int = 0) -> Response:
    every = list_events(session)
    offset = max(0, offset)
    rows = every[offset : offset + EVENT_ROWS]
    verdicts: dict[str | None, list[str]] = {}
    if len(rows) == len(every):  # every event on one page: one comparison of all groups
        for g in compare(session, include_single=True):
            verdicts.setdefault(g.event, []).append(g.verdict)
    else:
        for e in rows:
            if e.claims:
                verdicts[e.slug] = [g.verdict for g in compare(session, event=e.slug, include_single=True)]
    return render(
        request,
        "events.html.j2",
        user,
        events=rows,
        verdicts=verdicts,
        total=len(every),
        offset=offset,
        page_rows=EVENT_ROWS,
    )


@router.get("/events/{slug}")
def event_page(request: Request, slug: str, session: SessionDep, user: ReviewerDep) -> Response:
    event = get_event(session, slug=slug)
    groups = compare(session, event=slug, include_single=True)
    quotes = list_claims(session, flt=ClaimFilter(event=slug, kind="quote", include_rejected=False))
    rejected = list_claims(session, flt=ClaimFilter(event=slug, status="rejected"))
    return render(
        request,
        "event.html.j2",
        user,
        event=event,
        groups=[{"group": g, "chart": chart(g.figures), "rows": [(c, marked(c)) for c in g.figures]} for g in groups],
        quotes=[(c, marked(c)) for c in quotes],
        rejected=[(c, marked(c)) for c in rejected],
        others=[e for e in list_events(session) if e.slug != slug],
    )


@router.get("/claims/{claim_id}")
def claim_page(request: Request, claim_id: int, session: SessionDep, user: ReviewerDep) -> Response:
    claim = get_claim(session, claim_id)
    return render(
        request,
        "claim.html.j2",
        user,
        claim=claim,
        parts=marked(claim),
        history=claim_history(session, claim_id=claim_id),
        events=list_events(session),
        kinds=FIGURE_KINDS if claim.kind != "quote" else ("quote",),
    )


@router.get("/review")
def review_page(request: Request, session: SessionDep, user: ReviewerDep, offset: int = 0) -> Response:
    every = pending(session)
    offset = max(0, offset)
    rows = every[offset : offset + PAGE_ROWS]
    return render(
        request,
        "review.html.j2",
        user,
        rows=[(c, marked(c)) for c in rows],
        total=len(every),
        offset=offset,
        page_rows=PAGE_ROWS,
        events=list_events(session),
    )


@router.get("/documents")
def documents_page(request: Request, session: SessionDep, user: ReviewerDep, offset: int = 0) -> Response:
    every = list_documents(session)
    offset = max(0, offset)
    return render(
        request,
        "documents.html.j2",
        user,
        documents=every[offset : offset + PAGE_ROWS],
        total=len(every),
        offset=offset,
        page_rows=PAGE_ROWS,
    )


@router.get("/documents/{document_id}")
def document_page(request: Request, document_id: int, session: SessionDep, user: ReviewerDep) -> Response:
    document = get_document(session, document_id=document_id)
    claims = list_claims(session, flt=ClaimFilter(document_ids=(document_id,)))
    return render(
        request,
        "document.html.j2",
        user,
        document=document,
        segments=segments(document.text, claims),
        rows=[(c, marked(c)) for c in claims],
        events=list_events(session),
    )


@router.get("/sources")
def sources_page(request: Request, session: SessionDep, user: ReviewerDep, offset: int = 0) -> Response:
    every = list_sources(session)
    offset = max(0, offset)
    return render(
        request,
        "sources.html.j2",
        user,
        sources=every[offset : offset + PAGE_ROWS],
        total=len(every),
        offset=offset,
        page_rows=PAGE_ROWS,
    )


@router.get("/changes")
def changes_page(request: Request, session: SessionDep, user: ReviewerDep, offset: int = 0) -> Response:
    offset = max(0, offset)
    rows = list_changes(session, page=Page(limit=PAGE_ROWS, offset=offset))
    return render(
        request,
        "changes.html.j2",
        user,
        changes=rows,
        total=count_changes(session),
        offset=offset,
        page_rows=PAGE_ROWS,
    )


@router.get("/search")
def search_page(
    request: Request,
    session: SessionDep,
    user: ReviewerDep,
    q: str = "",
    event: str = "",
    kind: str = "",
    source: str = "",
    status: str = "",
) -> Response:
    found = search(session, query=q, event=event, kind=kind, source=source, status=status) if q.strip() else None
    return render(
        request,
        "search.html.j2",
        user,
        q=q,
        found=found,
        filters={"event": event, "kind": kind, "source": source, "status": status},
        events=list_events(session),
        kinds=CLAIM_KINDS,
        statuses=CLAIM_STATUSES,
        rows=[(c, marked(c)) for c in found.sentences] if found else [],
    )


# ---------------------------------------------------------------- review


def _claim_ref(raw: object) -> tuple[int, int | None]:
    """'31:4' (claim 31 as loaded at version 4) or '31' (no version check)."""
    ident, _, version = str(raw).partition(":")
    return _int(ident, "claim id"), (_int(version, "version") if version else None)


def review_claims(session: Session, form: FormData, reviewer: str) -> str:
    """Confirm, reject or link the claims a form names: one (a row's button, `one=ACTION:ID:VERSION`) or the ticked
    ones (`claim=ID:VERSION` checkboxes with `action`), each with the version the page showed."""
    note = _text(form, "note") or None
    one = form.get("one")
    if isinstance(one, str) and one:
        action, _, ref = one.partition(":")
        refs = [_claim_ref(ref)]
    else:
        action = _text(form, "action")
        refs = [_claim_ref(v) for v in form.getlist("claim")]
    ids = list(dict.fromkeys(c for c, _ in refs))
    if not ids:
        raise InputError("tick the claims to change first")
    versions = {c: v for c, v in refs if v is not None}
    if action in ("confirm", "reject"):
        status = "confirmed" if action == "confirm" else "rejected"
        if len(ids) == 1:
            claim = set_status(
                session, claim_id=ids[0], status=status, note=note, reviewer=reviewer, version=versions.get(ids[0])
            )
            text = claim.text if len(claim.text) <= 80 else claim.text[:79] + "…"
            return f"claim {claim.id} {status}: {text!r}"
        changed = set_status_many(
            session, status=status, claim_ids=ids, versions=versions, note=note, reviewer=reviewer
        )
        return f"{len(changed)} claim(s) {status}"
    if action == "link":
        target = _text(form, "target")
        if not target:
            raise InputError("choose the event to link the claims to")
        link_claims(session, event=target, claim_ids=ids, versions=versions, note=note, reviewer=reviewer)
        return f"linked {len(ids)} claim(s) to {target}"
    raise InputError(f"unknown action {action!r}: confirm, reject or link")


@router.post("/claims/review")
def review_post(request: Request, session: SessionDep, user: ReviewerDep, form: FormDep) -> Response:
    message = review_claims(session, form, user)
    return _done(request, message, form.get("back"), "/review")


@router.post("/claims/{claim_id}/edit")
def edit_post(request: Request, claim_id: int, session: SessionDep, user: ReviewerDep, form: FormDep) -> Response:
    current = get_claim(session, claim_id)
    changes: dict[str, Any] = {}
    if current.kind != "quote":
        for bound in ("low", "high"):
            if bound in form:
                value = parse_bound(_text(form, bound))
                if value != getattr(current, bound):
                    changes[bound] = value
    kind = _text(form, "kind")
    if kind and kind != current.kind:
        changes["kind"] = kind
    if "event" in form:
        event = _text(form, "event") or None
        if event != current.event:
            changes["event"] = event
    if "subgroup" in form:
        subgroup = _text(form, "subgroup")
        if (subgroup or None) != current.subgroup:
            changes["subgroup"] = subgroup
    asserter = _text(form, "asserter")
    if asserter and asserter != (current.attributed_to or ""):
        changes["asserter"] = asserter
    if not changes:
        raise InputError("nothing to change: the form holds the claim's values as they are")
    version = _int(form["version"], "version") if "version" in form else None
    claim = edit_claim(
        session, claim_id=claim_id, version=version, note=_text(form, "note") or None, reviewer=user, **changes
    )
    return _done(request, f"claim {claim.id} edited: {', '.join(changes)}", f"/claims/{claim_id}", "/")


@router.post("/events/{slug}/merge")
def event_merge_post(request: Request, slug: str, session: SessionDep, user: ReviewerDep, form: FormDep) -> Response:
    other = _text(form, "other")
    if not other:
        raise InputError("choose the event to merge into this one")
    out = merge_events(session, keep=slug, merge=other, note=_text(form, "note") or None, reviewer=user)
    return _done(request, f"merged {other} into {out.slug} ({out.claims} claims)", f"/events/{out.slug}", "/events")


@router.post("/events/{slug}/confirm")
def event_confirm_post(request: Request, slug: str, session: SessionDep, user: ReviewerDep, form: FormDep) -> Response:
    out = confirm_event(session, event=slug, note=_text(form, "note") or None, reviewer=user)
    return _done(request, f"event {out.slug} confirmed", f"/events/{out.slug}", "/events")


@router.post("/sources/merge")
def source_merge_post(request: Request, session: SessionDep, user: ReviewerDep, form: FormDep) -> Response:
    keep, other = _text(form, "keep"), _text(form, "other")
    if not keep or not other:
        raise InputError("name the source to keep and the one to fold into it")
    name = merge_sources(session, keep=keep, merge=other, note=_text(form, "note") or None, reviewer=user)
    return _done(request, f"merged {other!r} into {name!r}", "/sources", "/sources")


# ---------------------------------------------------------------- accounts


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html.j2", None, next=safe_next(next), failed=False)


def _token_owner(request: Request, token: str) -> str | None:
    with request.app.state.sessions() as session:
        return user_for_token(session, token=token)


@router.post("/login")
async def login_post(request: Request) -> Response:
    form = await request.form()
    check_form(request, form)
    token = form.get("token")
    target = safe_next(form.get("next"))
    name = await run_in_threadpool(_token_owner, request, token) if isinstance(token, str) else None
    if name is None:
        response = render(request, "login.html.j2", None, next=target, failed=True)
        response.status_code = 401
        return response
    request.session.clear()  # a new session: a CSRF token fixed before login is not carried over
    request.session["user"] = name
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout_post(request: Request) -> Response:
    form = await request.form()
    check_form(request, form)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
