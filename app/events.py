"""The event catalogue: protests, massacres and crackdowns that figures are about."""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.models import Claim, Event
from app.schemas import EventIn, EventOut


def load_events(session: Session, events: list[EventIn]) -> int:
    """Insert catalogue events whose slug is new; returns how many were added. Existing events are kept as they
    are, so a reviewer's edits survive a reload."""
    known = set(session.scalars(select(Event.slug)))
    rows = [
        {
            "slug": e.slug,
            "name": e.name,
            "start_date": e.start,
            "end_date": e.end,
            "place": e.place,
            "keywords": list(e.keywords),
            "proposed": False,
        }
        for e in events
        if e.slug not in known
    ]
    if rows:
        session.execute(insert(Event), rows)
    return len(rows)


def event_ids(session: Session) -> dict[str, int]:
    return {slug: eid for slug, eid in session.execute(select(Event.slug, Event.id))}


def list_events(session: Session) -> list[EventOut]:
    counts = select(Claim.event_id, func.count().label("n")).group_by(Claim.event_id).subquery()
    rows = session.execute(
        select(Event, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.event_id == Event.id)
        .order_by(Event.start_date.is_(None), Event.start_date, Event.slug)
    ).all()
    return [
        EventOut(
            id=e.id,
            slug=e.slug,
            name=e.name,
            start=e.start_date,
            end=e.end_date,
            place=e.place,
            keywords=list(e.keywords or []),
            proposed=e.proposed,
            claims=n,
        )
        for e, n in rows
    ]


def catalogue(session: Session) -> list[EventIn]:
    """The events as the extractor's catalogue (proposed events included, so later documents link to them)."""
    return [
        EventIn(
            slug=e.slug, name=e.name, start=e.start_date, end=e.end_date, place=e.place, keywords=list(e.keywords or [])
        )
        for e in session.scalars(select(Event).order_by(Event.id))
    ]
