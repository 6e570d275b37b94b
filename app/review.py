"""The review workflow: confirm, reject or edit extracted claims, merge sources, add events and link claims to them.

Every change is one transaction and is written to the change log with its time and an optional note, so a claim's
history can be shown (`claim_history`). Rejected claims stay in the database; they only leave the comparison.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from pydantic import BaseModel
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from app.claims import ClaimFilter, get_claim, list_claims
from app.errors import InputError, NotFoundError
from app.models import CLAIM_KINDS, Attribution, Change, Claim, Document, Event, Source, SourceAlias
from app.schemas import MAX_COUNT, ClaimOut, EventIn
from app.sources import SourceResolver

UNSET: Any = object()
"""Marks an edit argument that was not given (None means: make the bound open)."""


class ChangeOut(BaseModel):
    id: int
    at: dt.datetime
    entity: str
    entity_id: int
    action: str
    details: dict[str, Any]
    note: str | None


def _log(session: Session, entity: str, entity_id: int, action: str, details: dict[str, Any], note: str | None) -> None:
    session.execute(
        insert(Change).values(entity=entity, entity_id=entity_id, action=action, details=details, note=note)
    )


P = ParamSpec("P")
R = TypeVar("R")


def _unit_of_work(fn: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Session, P], R]:
    """One reviewer action, one transaction: committed whole, or rolled back with a one-line reason."""

    @functools.wraps(fn)
    def wrapper(session: Session, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = fn(session, *args, **kwargs)
            session.commit()
            return result
        except IntegrityError as exc:
            session.rollback()
            raise InputError(f"the database refused the change: {str(exc.orig).splitlines()[0]}") from None
        except BaseException:
            session.rollback()
            raise

    return wrapper


def _claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id) if 0 < claim_id <= MAX_COUNT else None
    if claim is None:
        raise NotFoundError(f"no claim {claim_id}")
    return claim


def pending(session: Session) -> list[ClaimOut]:
    """Extracted claims awaiting review."""
    return list_claims(session, flt=ClaimFilter(status="extracted"))


@_unit_of_work
def set_status(session: Session, *, claim_id: int, status: str, note: str | None = None) -> ClaimOut:
    claim = _claim(session, claim_id)
    before = claim.status
    session.execute(update(Claim).where(Claim.id == claim_id).values(status=status))
    _log(
        session, "claim", claim_id, "confirm" if status == "confirmed" else "reject", {"status": [before, status]}, note
    )
    return get_claim(session, claim_id)


@_unit_of_work
def edit_claim(
    session: Session,
    *,
    claim_id: int,
    low: int | None = UNSET,
    high: int | None = UNSET,
    kind: str | None = None,
    event: str | None = UNSET,
    subgroup: str | None = UNSET,
    asserter: str | None = None,
    note: str | None = None,
) -> ClaimOut:
    """Change a claim's bounds, kind, event, subgroup or asserter. An edited claim counts as confirmed."""
    claim = _claim(session, claim_id)
    values: dict[str, Any] = {}
    if low is not UNSET:
        values["low"] = low
    if high is not UNSET:
        values["high"] = high
    if kind is not None:
        if kind not in CLAIM_KINDS:
            raise InputError(f"unknown kind {kind!r}: choose from {', '.join(CLAIM_KINDS)}")
        values["kind"] = kind
    if subgroup is not UNSET:
        values["subgroup"] = subgroup or None
    if event is not UNSET:
        if event is None:
            values["event_id"] = None
        else:
            event_id = session.scalar(select(Event.id).where(Event.slug == event))
            if event_id is None:
                raise NotFoundError(f"no event {event!r} (see 'claimdb events')")
            values["event_id"] = event_id
    new_kind = values.get("kind", claim.kind)
    if (new_kind == "quote") != (claim.kind == "quote"):
        raise InputError("a quote cannot become a figure, nor a figure a quote: reject it and add the right claim")
    new_low = values.get("low", claim.low)
    new_high = values.get("high", claim.high)
    if new_low is not None and new_high is not None and new_low > new_high:
        raise InputError(f"low {new_low} is above high {new_high}")
    if new_kind == "quote" and (new_low is not None or new_high is not None):
        raise InputError("a quote has no bounds")
    if new_kind != "quote" and new_low is None and new_high is None:
        raise InputError("a figure needs a low or a high bound")
    details: dict[str, Any] = {k: [_plain(getattr(claim, k)), _plain(v)] for k, v in values.items()}
    if values:
        values["status"] = "confirmed"
        session.execute(update(Claim).where(Claim.id == claim_id).values(**values))
    if asserter is not None:
        resolver = SourceResolver(session)
        source_id = resolver.get_or_create(asserter, kind="unknown")
        current = session.execute(
            select(Attribution.id, Source.name)
            .join(Source, Source.id == Attribution.source_id)
            .where(Attribution.claim_id == claim_id, Attribution.role == "asserter")
        ).first()
        old = current.name if current else None
        if current:  # the cue words and their span stay: only who stands behind them changes
            session.execute(update(Attribution).where(Attribution.id == current.id).values(source_id=source_id))
        else:
            session.execute(insert(Attribution).values(claim_id=claim_id, source_id=source_id, role="asserter"))
        session.execute(update(Claim).where(Claim.id == claim_id).values(status="confirmed"))
        details["asserter"] = [old, session.scalar(select(Source.name).where(Source.id == source_id))]
    if not details:
        raise InputError("nothing to change: give --low, --high, --kind, --event, --subgroup or --asserter")
    _log(session, "claim", claim_id, "edit", details, note)
    return get_claim(session, claim_id)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def claim_history(session: Session, *, claim_id: int) -> list[ChangeOut]:
    _claim(session, claim_id)
    rows = session.scalars(
        select(Change).where(Change.entity == "claim", Change.entity_id == claim_id).order_by(Change.id)
    )
    return [ChangeOut.model_validate(r, from_attributes=True) for r in rows]


@_unit_of_work
def merge_sources(session: Session, *, keep: str, merge: str, note: str | None = None) -> str:
    """Fold source `merge` into `keep`: its aliases, attributions and documents move; it is deleted."""
    resolver = SourceResolver(session)
    keep_id, merge_id = resolver.find(keep), resolver.find(merge)
    if keep_id is None:
        raise NotFoundError(f"no source {keep!r} (see 'claimdb sources')")
    if merge_id is None:
        raise NotFoundError(f"no source {merge!r} (see 'claimdb sources')")
    if keep_id == merge_id:
        raise InputError(f"{keep!r} and {merge!r} are already one source")
    merged_name = session.scalar(select(Source.name).where(Source.id == merge_id))
    # an attribution that would repeat one the kept source already has on the same claim is dropped
    kept = aliased(Attribution)
    repeats = (
        select(kept.id)
        .where(kept.source_id == keep_id, kept.claim_id == Attribution.claim_id, kept.role == Attribution.role)
        .exists()
    )
    session.execute(delete(Attribution).where(Attribution.source_id == merge_id, repeats))
    moved = len(
        session.execute(
            update(Attribution)
            .where(Attribution.source_id == merge_id)
            .values(source_id=keep_id)
            .returning(Attribution.id)
        ).all()
    )
    session.execute(update(SourceAlias).where(SourceAlias.source_id == merge_id).values(source_id=keep_id))
    session.execute(update(Document).where(Document.publisher_id == merge_id).values(publisher_id=keep_id))
    session.execute(delete(Source).where(Source.id == merge_id))
    _log(session, "source", keep_id, "merge", {"merged": merged_name, "attributions": moved}, note)
    return str(session.scalar(select(Source.name).where(Source.id == keep_id)))


@_unit_of_work
def add_event(session: Session, *, event: EventIn, note: str | None = None) -> int:
    if session.scalar(select(Event.id).where(Event.slug == event.slug)) is not None:
        raise InputError(f"event {event.slug!r} exists already")
    event_id = session.execute(
        insert(Event)
        .values(
            slug=event.slug,
            name=event.name,
            start_date=event.start,
            end_date=event.end,
            place=event.place,
            keywords=list(event.keywords),
            proposed=False,
        )
        .returning(Event.id)
    ).scalar_one()
    _log(session, "event", event_id, "add", {"slug": event.slug}, note)
    return int(event_id)


@_unit_of_work
def link_claims(session: Session, *, event: str, claim_ids: list[int], note: str | None = None) -> list[ClaimOut]:
    """Link claims to an event (a reviewer's decision: the claims count as confirmed)."""
    event_id = session.scalar(select(Event.id).where(Event.slug == event))
    if event_id is None:
        raise NotFoundError(f"no event {event!r} (see 'claimdb events')")
    for claim_id in claim_ids:
        claim = _claim(session, claim_id)
        old = session.scalar(select(Event.slug).where(Event.id == claim.event_id)) if claim.event_id else None
        session.execute(update(Claim).where(Claim.id == claim_id).values(event_id=event_id, status="confirmed"))
        _log(session, "claim", claim_id, "link", {"event": [old, event]}, note)
        _log(session, "event", event_id, "link", {"claim": claim_id}, note)
    return [get_claim(session, c) for c in claim_ids]
