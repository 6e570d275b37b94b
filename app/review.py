"""The review workflow: confirm, reject or edit extracted claims, merge sources, add events and link claims to them.

Every change is one transaction and is written to the change log with its time and an optional note, so a claim's
history can be shown (`claim_history`). Rejected claims stay in the database; they only leave the comparison.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Concatenate, ParamSpec, TypeVar

from pydantic import BaseModel
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from app.claims import ClaimFilter, Page, get_claim, list_claims
from app.errors import ConflictError, InputError, NotFoundError
from app.models import CLAIM_KINDS, Attribution, Change, Claim, Document, Event, Source, SourceAlias
from app.schemas import MAX_COUNT, ClaimOut, EventIn, EventOut
from app.sources import SourceResolver

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_SLUG = 100


def _check_slug(slug: str) -> None:
    if not _SLUG.fullmatch(slug) or len(slug) > MAX_SLUG:
        raise InputError(f"bad slug {slug!r}: lower case letters, digits and dashes, at most {MAX_SLUG} characters")


def parse_bound(value: str) -> int | None:
    """A bound as a reviewer types it: a whole number ("1,500" too), or 'open' (or nothing) for an open bound."""
    value = value.strip()
    if value.lower() in ("", "none", "open", "-", "…"):
        return None
    try:
        n = int(value.replace(",", "").replace("_", ""))
    except ValueError:
        raise InputError(f"bad bound {value!r}: a whole number, or 'open'") from None
    if not 0 <= n <= MAX_COUNT:
        raise InputError(f"bad bound {value!r}: must be between 0 and {MAX_COUNT:,}")
    return n


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
    reviewer: str | None = None


def _log(
    session: Session,
    entity: str,
    entity_id: int,
    action: str,
    details: dict[str, Any],
    note: str | None,
    reviewer: str | None = None,
) -> None:
    session.execute(
        insert(Change).values(
            entity=entity, entity_id=entity_id, action=action, details=details, note=note, reviewer=reviewer
        )
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


def _bump(session: Session, claim_ids: Iterable[int], versions: Mapping[int, int] | None = None) -> None:
    """Raise the version of claims a change touches, by one. A claim in `versions` (its id and the version the
    reviewer loaded) must still be at that version: the check and the raise are one UPDATE, so of two reviewers
    changing one claim at once, the second finds it changed and gets a `ConflictError`, never overwriting."""
    ids = list(dict.fromkeys(claim_ids))
    versions = versions or {}
    for claim_id in ids:
        if claim_id not in versions:
            continue
        loaded = versions[claim_id]
        raised = session.execute(
            update(Claim)
            .where(Claim.id == claim_id, Claim.version == loaded)
            .values(version=Claim.version + 1)
            .returning(Claim.id)
        ).first()
        if raised is None:
            now = session.scalar(select(Claim.version).where(Claim.id == claim_id))
            if now is None:
                raise NotFoundError(f"no claim {claim_id}")
            raise ConflictError(
                f"claim {claim_id} was changed by someone else since you loaded it (version {loaded}, now {now}): "
                "reload it and make your change again"
            )
    rest = [c for c in ids if c not in versions]
    for start in range(0, len(rest), 500):
        chunk = rest[start : start + 500]
        session.execute(update(Claim).where(Claim.id.in_(chunk)).values(version=Claim.version + 1))


def _check_loaded(session: Session, versions: Mapping[int, int] | None, claim_ids: Iterable[int]) -> None:
    """Claims a batch asked for but leaves as they are must still be the ones the reviewer loaded."""
    wanted = {c: v for c, v in (versions or {}).items() if c in set(claim_ids)}
    if not wanted:
        return
    now = dict(session.execute(select(Claim.id, Claim.version).where(Claim.id.in_(list(wanted)))).all())
    for claim_id, loaded in wanted.items():
        if claim_id in now and now[claim_id] != loaded:
            raise ConflictError(
                f"claim {claim_id} was changed by someone else since you loaded it (version {loaded}, "
                f"now {now[claim_id]}): reload it and make your change again"
            )


def pending(session: Session) -> list[ClaimOut]:
    """Extracted claims awaiting review, the least confident first (quotes, which have no confidence, last)."""
    rows = list_claims(session, flt=ClaimFilter(status="extracted"))
    return sorted(rows, key=lambda c: (c.confidence is None, c.confidence or 0.0))


@_unit_of_work
def set_status(
    session: Session,
    *,
    claim_id: int,
    status: str,
    note: str | None = None,
    reviewer: str | None = None,
    version: int | None = None,
) -> ClaimOut:
    """Confirm or reject one claim. With `version` (the one the reviewer loaded), a claim changed since is refused
    with a `ConflictError`."""
    claim = _claim(session, claim_id)
    before = claim.status
    _bump(session, [claim_id], {claim_id: version} if version is not None else None)
    session.execute(update(Claim).where(Claim.id == claim_id).values(status=status))
    action = "confirm" if status == "confirmed" else "reject"
    _log(session, "claim", claim_id, action, {"status": [before, status]}, note, reviewer)
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
    reviewer: str | None = None,
    version: int | None = None,
) -> ClaimOut:
    """Change a claim's bounds, kind, event, subgroup or asserter. An edited claim counts as confirmed. With
    `version` (the one the reviewer loaded), a claim changed since is refused with a `ConflictError`."""
    claim = _claim(session, claim_id)
    _bump(session, [claim_id], {claim_id: version} if version is not None else None)
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
    _log(session, "claim", claim_id, "edit", details, note, reviewer)
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
def merge_sources(
    session: Session, *, keep: str, merge: str, note: str | None = None, reviewer: str | None = None
) -> str:
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
    touched = list(session.scalars(select(Attribution.claim_id).where(Attribution.source_id == merge_id)))
    moved = len(
        session.execute(
            update(Attribution)
            .where(Attribution.source_id == merge_id)
            .values(source_id=keep_id)
            .returning(Attribution.id)
        ).all()
    )
    _bump(session, touched)
    session.execute(update(SourceAlias).where(SourceAlias.source_id == merge_id).values(source_id=keep_id))
    session.execute(update(Document).where(Document.publisher_id == merge_id).values(publisher_id=keep_id))
    session.execute(delete(Source).where(Source.id == merge_id))
    _log(session, "source", keep_id, "merge", {"merged": merged_name, "attributions": moved}, note, reviewer)
    return str(session.scalar(select(Source.name).where(Source.id == keep_id)))


@_unit_of_work
def add_event(session: Session, *, event: EventIn, note: str | None = None, reviewer: str | None = None) -> int:
    if session.scalar(select(Event.id).where(Event.slug == event.slug)) is not None:
        raise InputError(f"event {event.slug!r} exists already")
    from app.events import catalogue_row

    event_id = session.execute(insert(Event).values(**catalogue_row(event)).returning(Event.id)).scalar_one()
    _log(session, "event", event_id, "add", {"slug": event.slug}, note, reviewer)
    return int(event_id)


def _event(session: Session, slug: str) -> Event:
    event = session.scalars(select(Event).where(Event.slug == slug)).one_or_none()
    if event is None:
        raise NotFoundError(f"no event {slug!r} (see 'claimdb events')")
    return event


def _check_ids(claim_ids: list[int]) -> None:
    bad = next((c for c in claim_ids if not 0 < c <= MAX_COUNT), None)
    if bad is not None:
        raise NotFoundError(f"no claim {bad}")


def _log_many(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(Change), rows)


def _move_claims(
    session: Session,
    *,
    claim_ids: list[int],
    to: Event,
    action: str,
    note: str | None,
    reviewer: str | None,
    versions: Mapping[int, int] | None = None,
) -> list[int]:
    """Link claims to `to`, one change-log line per claim; their review status stays as it is."""
    _check_ids(claim_ids)
    known = dict(
        session.execute(
            select(Claim.id, Event.slug).outerjoin(Event, Event.id == Claim.event_id).where(Claim.id.in_(claim_ids))
        ).all()
    )
    missing = [c for c in claim_ids if c not in known]
    if missing:
        raise NotFoundError(f"no claim {missing[0]}")
    moved = [c for c in dict.fromkeys(claim_ids) if known[c] != to.slug]
    _check_loaded(session, versions, [c for c in claim_ids if c not in moved])
    if moved:
        _bump(session, moved, versions)
        session.execute(update(Claim).where(Claim.id.in_(moved)).values(event_id=to.id))
        _log_many(
            session,
            [
                {
                    "entity": "claim",
                    "entity_id": c,
                    "action": action,
                    "details": {"event": [known[c], to.slug]},
                    "note": note,
                    "reviewer": reviewer,
                }
                for c in moved
            ],
        )
    return moved


@_unit_of_work
def link_claims(
    session: Session,
    *,
    event: str,
    claim_ids: list[int],
    note: str | None = None,
    reviewer: str | None = None,
    versions: Mapping[int, int] | None = None,
) -> list[ClaimOut]:
    """Link claims to an event. Only the event changes, never a claim's review status; each claim's change is
    logged, and the event's. `versions` (claim id: the version the reviewer loaded) refuses claims changed
    since with a `ConflictError`."""
    target = _event(session, event)
    claim_ids = list(dict.fromkeys(claim_ids))
    moved = _move_claims(
        session, claim_ids=claim_ids, to=target, action="link", note=note, reviewer=reviewer, versions=versions
    )
    if moved:
        _log(session, "event", target.id, "link", {"claims": moved}, note, reviewer)
    return [get_claim(session, c) for c in claim_ids]


@_unit_of_work
def confirm_event(session: Session, *, event: str, note: str | None = None, reviewer: str | None = None) -> EventOut:
    """A reviewer confirms that a discovered event is one real incident."""
    target = _event(session, event)
    if target.status != "discovered":
        raise InputError(f"event {event!r} is {target.status}, not discovered: nothing to confirm")
    session.execute(update(Event).where(Event.id == target.id).values(status="confirmed"))
    _log(session, "event", target.id, "confirm", {"status": ["discovered", "confirmed"]}, note, reviewer)
    return _event_out(session, target.id)


def _event_out(session: Session, event_id: int) -> EventOut:
    from app.events import event_out

    session.expire_all()
    event = session.get_one(Event, event_id)
    n = session.scalar(select(func.count()).select_from(Claim).where(Claim.event_id == event_id)) or 0
    return event_out(event, n)


@_unit_of_work
def rename_event(
    session: Session,
    *,
    event: str,
    slug: str | None = None,
    name: str | None = None,
    note: str | None = None,
    reviewer: str | None = None,
) -> EventOut:
    """Give an event a new slug, a new name, or both."""
    target = _event(session, event)
    values: dict[str, Any] = {}
    if slug is not None and slug != target.slug:
        _check_slug(slug)
        if session.scalar(select(Event.id).where(Event.slug == slug)) is not None:
            raise InputError(f"event {slug!r} exists already")
        values["slug"] = slug
    if name is not None and name.strip() and name != target.name:
        values["name"] = name.strip()
    if not values:
        raise InputError("nothing to change: give --slug or --name")
    details = {k: [getattr(target, k), v] for k, v in values.items()}
    session.execute(update(Event).where(Event.id == target.id).values(**values))
    _log(session, "event", target.id, "rename", details, note, reviewer)
    return _event_out(session, target.id)


@_unit_of_work
def merge_events(
    session: Session, *, keep: str, merge: str, note: str | None = None, reviewer: str | None = None
) -> EventOut:
    """Fold event `merge` into `keep`: its claims move (each move logged), its dates, places and keywords join
    KEEP's, and it is deleted. The change log keeps both events' history."""
    kept, merged = _event(session, keep), _event(session, merge)
    if kept.id == merged.id:
        raise InputError(f"{keep!r} and {merge!r} are one event")
    claim_ids = list(session.scalars(select(Claim.id).where(Claim.event_id == merged.id).order_by(Claim.id)))
    _move_claims(session, claim_ids=claim_ids, to=kept, action="merge", note=note, reviewer=reviewer)
    values: dict[str, Any] = {}
    starts = [d for d in (kept.start_date, merged.start_date) if d]
    ends = [d for d in (kept.end_date, merged.end_date) if d]
    if starts and min(starts) != kept.start_date:
        values["start_date"] = min(starts)
    if ends and max(ends) != kept.end_date:
        values["end_date"] = max(ends)
    for column in ("keywords", "kinds", "countries", "places"):
        old = list(getattr(kept, column) or [])
        new = old + [x for x in getattr(merged, column) or [] if x not in old]
        if new != old:
            values[column] = new
    if values:
        session.execute(update(Event).where(Event.id == kept.id).values(**values))
    _log(
        session,
        "event",
        kept.id,
        "merge",
        {"merged": merged.slug, "name": merged.name, "claims": claim_ids},
        note,
        reviewer,
    )
    _log(session, "event", merged.id, "merged-into", {"into": kept.slug}, note, reviewer)
    session.execute(delete(Event).where(Event.id == merged.id))
    return _event_out(session, kept.id)


@_unit_of_work
def split_event(
    session: Session,
    *,
    event: str,
    claim_ids: list[int],
    into: str,
    name: str | None = None,
    note: str | None = None,
    reviewer: str | None = None,
) -> EventOut:
    """Move some claims of an event into a new event `into` (made like the old one: its kinds, countries and
    places, status confirmed — a reviewer made it)."""
    source = _event(session, event)
    claim_ids = list(dict.fromkeys(claim_ids))
    _check_ids(claim_ids)
    _check_slug(into)
    if session.scalar(select(Event.id).where(Event.slug == into)) is not None:
        raise InputError(f"event {into!r} exists already: use 'claimdb event link'")
    outside = list(
        session.scalars(select(Claim.id).where(Claim.id.in_(claim_ids), Claim.event_id.is_distinct_from(source.id)))
    )
    if outside:
        raise InputError(f"claim {outside[0]} is not in event {event!r}")
    if not claim_ids:
        raise InputError("give the ids of the claims to split off")
    new_id = session.execute(
        insert(Event)
        .values(
            slug=into,
            name=name or f"{source.name} (split)",
            start_date=source.start_date,
            end_date=source.end_date,
            place=source.place,
            keywords=[],
            kinds=list(source.kinds or []),
            countries=list(source.countries or []),
            places=list(source.places or []),
            status="catalogued" if source.status == "catalogued" else "confirmed",
        )
        .returning(Event.id)
    ).scalar_one()
    target = session.get_one(Event, new_id)
    _move_claims(session, claim_ids=claim_ids, to=target, action="split", note=note, reviewer=reviewer)
    _log(session, "event", new_id, "split", {"from": source.slug, "claims": claim_ids}, note, reviewer)
    _log(session, "event", source.id, "split", {"into": into, "claims": claim_ids}, note, reviewer)
    return _event_out(session, new_id)


@_unit_of_work
def import_events(
    session: Session, *, events: list[EventIn], note: str | None = None, reviewer: str | None = None
) -> tuple[list[str], list[str]]:
    """Add catalogue events from a file; (added slugs, slugs already present)."""
    from app.events import load_events

    seen: set[str] = set()
    for i, e in enumerate(events):
        if e.slug in seen:
            raise InputError(f"events.{i}.slug: {e.slug!r} is in the file twice")
        seen.add(e.slug)
    present = set(session.scalars(select(Event.slug).where(Event.slug.in_([e.slug for e in events]))))
    load_events(session, [e for e in events if e.slug not in present])
    added = [e.slug for e in events if e.slug not in present]
    ids = dict(session.execute(select(Event.slug, Event.id).where(Event.slug.in_(added))).all())
    _log_many(
        session,
        [
            {
                "entity": "event",
                "entity_id": ids[s],
                "action": "import",
                "details": {"slug": s},
                "note": note,
                "reviewer": reviewer,
            }
            for s in added
        ],
    )
    return added, sorted(present)


@_unit_of_work
def set_status_many(
    session: Session,
    *,
    status: str,
    claim_ids: list[int] | None = None,
    event: str | None = None,
    document: str | None = None,
    note: str | None = None,
    reviewer: str | None = None,
    versions: Mapping[int, int] | None = None,
) -> list[int]:
    """Confirm or reject many claims at once: the ids given and every claim of an event or document. Claims
    already in that status are left alone; each change is logged. `versions` (claim id: the version the reviewer
    loaded) refuses the whole batch with a `ConflictError` when one of them was changed since."""
    chosen: list[int] = list(claim_ids or [])
    _check_ids(chosen)
    if not chosen and not (event or document):
        raise InputError("give claim ids, --event or --document")
    if event or document:
        chosen += [c.id for c in list_claims(session, flt=ClaimFilter(event=event, document=document)) if c.id]
    current = dict(session.execute(select(Claim.id, Claim.status).where(Claim.id.in_(chosen))).all())
    missing = [c for c in chosen if c not in current]
    if missing:
        raise NotFoundError(f"no claim {missing[0]}")
    changed = [c for c in dict.fromkeys(chosen) if current[c] != status]
    _check_loaded(session, versions, [c for c in chosen if c not in changed])
    if changed:
        _bump(session, changed, versions)
        session.execute(update(Claim).where(Claim.id.in_(changed)).values(status=status))
        action = "confirm" if status == "confirmed" else "reject"
        _log_many(
            session,
            [
                {
                    "entity": "claim",
                    "entity_id": c,
                    "action": action,
                    "details": {"status": [current[c], status]},
                    "note": note,
                    "reviewer": reviewer,
                }
                for c in changed
            ],
        )
    return changed


def list_changes(
    session: Session, *, entity: str | None = None, reviewer: str | None = None, page: Page | None = None
) -> list[ChangeOut]:
    """The change log, newest first: every reviewer's change, with its time, reviewer and note."""
    query = select(Change).order_by(Change.id.desc())
    if entity:
        query = query.where(Change.entity == entity)
    if reviewer:
        query = query.where(Change.reviewer == reviewer)
    rows = session.scalars((page or Page()).apply(query))
    return [ChangeOut.model_validate(r, from_attributes=True) for r in rows]


def count_changes(session: Session, *, entity: str | None = None, reviewer: str | None = None) -> int:
    query = select(func.count(Change.id))
    if entity:
        query = query.where(Change.entity == entity)
    if reviewer:
        query = query.where(Change.reviewer == reviewer)
    return session.scalar(query) or 0
