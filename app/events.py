"""Events: the incidents figures are about — catalogued by people, or discovered across documents.

Catalogued events come from the catalogue (`fixtures/events.json`, `claimdb event add`, `claimdb events import`);
the extractor links claims to them by keyword and date. A claim that no catalogued event covers carries the
incident its article describes (kinds, countries, places, dates: `app/extract/incidents.py`); `Discovery` matches
that incident to a discovered event or founds a new one:

- an event matches when its kinds fit the incident's (a kind in common, or kinds the lexicon pairs), a country is
  shared (or, for kinds that cross borders such as earthquakes and floods, the countries are neighbours), and the
  dates meet: the incident lies within some weeks of the event's days on either side, since reports are not added
  in order (the kind's `follow_up_days` in the lexicon: longer for floods and protests than for a blast);
- an undated report must name a year of the event's (beside its incident words, or in a full date) and a month
  of it, where it names any;
- for kinds that happen at one place (a stampede, a blast), places must not conflict (where both name cities of
  one country, some pair lies within 400 km, or they share a place) and, where both the event and the incident
  know the day it happened, the days lie less than 3 days apart;
- among matching events the one sharing most kinds, countries, places and incident words, nearest in time, wins;
  among equals, the one with most claims;
- a new event gets a readable slug and name from the incident's country, kind, place and month
  (`morocco-earthquake-2023-09`, "Earthquake in Al Haouz, Morocco, September 2023") and the status `discovered`;
  an event a later report joins grows its dates, places and keywords.

A discovered event never joins a catalogued one by itself: only a reviewer merges them (`claimdb event merge`).
Founding is safe against concurrent writers: the insert is INSERT … ON CONFLICT DO NOTHING on the slug, and a
writer that loses the race joins the event the winner made when it matches, or takes the next free slug.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import CompoundSelect, Date, Select, Text, cast, func, select, union_all, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.db import insert_ignore
from app.extract.incidents import OTHER_DAY, crosses_borders, describe, follow_up, kinds_compatible, local
from app.gazetteer import Place, distance_km, fold, gazetteer
from app.models import Claim, Event
from app.schemas import EventIn, EventOut, IncidentIn, PlaceIn

CLOSE_DAYS = 14
MAX_FOLLOW_UP = dt.timedelta(days=366)
"""No event is looked at whose last day lies further back than this (kinds set their own, shorter reach)."""
FAR_KM = 400.0
MAX_PLACES, MAX_KEYWORDS = 10, 24


def catalogue_row(e: EventIn) -> dict[str, Any]:
    """The row of a catalogued event."""
    return {
        "slug": e.slug,
        "name": e.name,
        "start_date": e.start,
        "end_date": e.end,
        "place": e.place,
        "keywords": list(e.keywords),
        "kinds": list(e.kinds),
        "countries": list(e.countries),
        "places": [],
        "status": "catalogued",
    }


def load_events(session: Session, events: list[EventIn]) -> int:
    """Insert catalogue events whose slug is new; returns how many were added. Existing events are kept as they
    are, so a reviewer's edits survive a reload."""
    rows = [catalogue_row(e) for e in events]
    added = 0
    for row in rows:  # one statement each: ON CONFLICT keeps a concurrent loader's row
        if session.execute(insert_ignore(session, Event, ["slug"]).values(**row).returning(Event.id)).first():
            added += 1
    return added


def event_ids(session: Session, slugs: Iterable[str] | None = None) -> dict[str, int]:
    """The ids of the events with these slugs (of every event, without `slugs`): a writer asks only for the slugs
    its claims name, so that its work per document does not grow with the events the database holds."""
    query = select(Event.slug, Event.id)
    if slugs is not None:
        wanted = sorted(set(slugs))
        if not wanted:
            return {}
        query = query.where(Event.slug.in_(wanted))
    return {slug: eid for slug, eid in session.execute(query)}


def event_out(e: Event, claims: int) -> EventOut:
    return EventOut(
        id=e.id,
        slug=e.slug,
        name=e.name,
        start=e.start_date,
        end=e.end_date,
        place=e.place,
        keywords=list(e.keywords or []),
        kinds=list(e.kinds or []),
        countries=list(e.countries or []),
        places=[p["name"] for p in e.places or []],
        status=e.status,
        claims=claims,
    )


def list_events(session: Session, *, status: str | None = None) -> list[EventOut]:
    counts = select(Claim.event_id, func.count().label("n")).group_by(Claim.event_id).subquery()
    query = (
        select(Event, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.event_id == Event.id)
        .order_by(Event.start_date.is_(None), Event.start_date, Event.slug)
    )
    if status:
        query = query.where(Event.status == status)
    return [event_out(e, n) for e, n in session.execute(query).all()]


def get_event(session: Session, *, slug: str) -> EventOut:
    """One event with its claim count."""
    event = session.scalars(select(Event).where(Event.slug == slug)).one_or_none()
    if event is None:
        from app.errors import NotFoundError

        raise NotFoundError(f"no event {slug!r} (see 'claimdb events')")
    n = session.scalar(select(func.count()).select_from(Claim).where(Claim.event_id == event.id)) or 0
    return event_out(event, n)


def catalogue(session: Session) -> list[EventIn]:
    """The catalogued events, as the extractor's catalogue. Discovered events are matched by `Discovery`, not by
    keyword: their keywords ("earthquake", "Morocco") name a kind of incident, not one incident."""
    return [
        EventIn(
            slug=e.slug,
            name=e.name,
            start=e.start_date,
            end=e.end_date,
            place=e.place,
            keywords=list(e.keywords or []),
            kinds=list(e.kinds or []),
            countries=list(e.countries or []),
        )
        for e in session.scalars(select(Event).where(Event.status == "catalogued").order_by(Event.id))
    ]


def _as_place(p: PlaceIn | dict[str, Any]) -> Place:
    d = p.model_dump() if isinstance(p, PlaceIn) else p
    return Place(key=d["key"], name=d["name"], kind=d["kind"], country=d["country"], lat=d.get("lat"), lon=d.get("lon"))


def _places_conflict(a: list[Place], b: list[Place]) -> tuple[bool, bool]:
    """(whether the places rule the match out, whether they share a place). Only places in the same country are
    weighed against each other: a report filed from New York or Geneva says nothing against an incident in
    Pakistan."""
    if {p.key for p in a} & {p.key for p in b} or {fold(p.name) for p in a} & {fold(p.name) for p in b}:
        return False, True
    distances = [d for x in a for y in b if x.country == y.country and (d := distance_km(x, y)) is not None]
    return bool(distances) and min(distances) > FAR_KM, False


def _neighbours(a: set[str], b: set[str]) -> bool:
    """Whether a country of `a` borders one of `b` (GeoNames' neighbours): an earthquake or a flood is reported
    from both sides of a border."""
    borders = gazetteer().neighbours
    return any(borders.get(x, frozenset()) & b for x in a)


def _days_apart(event: EventLike, incident: IncidentIn) -> int | None:
    if incident.start is None or incident.end is None or event.start_date is None or event.end_date is None:
        return None
    if incident.end < event.start_date:
        return (event.start_date - incident.end).days
    if incident.start > event.end_date:
        return (incident.start - event.end_date).days
    return 0


class EventLike(Protocol):
    """What matching reads of an event: an `Event` row, or a writer's `EventView` of one."""

    @property
    def id(self) -> int: ...
    @property
    def slug(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def start_date(self) -> dt.date | None: ...
    @property
    def end_date(self) -> dt.date | None: ...
    @property
    def day(self) -> dt.date | None: ...
    @property
    def kinds(self) -> list[str]: ...
    @property
    def countries(self) -> list[str]: ...
    @property
    def places(self) -> list[dict[str, Any]]: ...
    @property
    def keywords(self) -> list[str]: ...


@dataclass(frozen=True)
class EventView:
    """A discovered or confirmed event as the writer matches incidents against it: read as a plain row, its places
    made `Place`s once, not once for every incident compared with it."""

    id: int
    slug: str
    status: str
    start_date: dt.date | None
    end_date: dt.date | None
    day: dt.date | None
    kinds: list[str]
    countries: list[str]
    places: list[dict[str, Any]]
    keywords: list[str]
    place_list: list[Place]


def match_score(
    event: EventLike,
    incident: IncidentIn,
    *,
    event_places: list[Place] | None = None,
    incident_places: list[Place] | None = None,
) -> float | None:
    """How well an incident fits an existing event, or None where it cannot be that event. `event_places`,
    `incident_places`: their places as `Place`s, where the caller has made them already."""
    kinds = list(event.kinds or [])
    if not kinds or not kinds_compatible(kinds[:1], incident.kinds[:1]):
        return None  # the kinds each is mostly called by must fit: a flood report that recalls a quake is no quake
    shared_kinds = set(kinds) & set(incident.kinds)
    countries = set(event.countries or [])
    shared_countries = countries & set(incident.countries)
    if (
        countries
        and incident.countries
        and shared_countries
        and not (event.countries[0] in incident.countries or incident.countries[0] in countries)
    ):
        return None  # sharing only a country named in passing (where a report was filed) is not enough
    if (
        countries
        and incident.countries
        and not shared_countries
        and not (crosses_borders(sorted(shared_kinds)) and _neighbours(countries, set(incident.countries)))
    ):
        return None
    if (
        incident.start is not None
        and incident.end is not None
        and event.start_date is not None
        and event.end_date is not None
        and (
            incident.start > event.end_date + follow_up(sorted(shared_kinds) or incident.kinds)
            or incident.end < event.start_date - follow_up(sorted(shared_kinds) or incident.kinds)
        )
    ):
        return None
    if incident.start is None and incident.years and event.start_date is not None and event.end_date is not None:
        first, last = event.start_date.year, event.end_date.year
        if not any(first <= year <= last for year in incident.years):
            return None  # an undated report of 2008 is not about the event of 2006
    if incident.start is None and incident.months and event.start_date is not None and event.end_date is not None:
        span = (event.end_date.year - event.start_date.year) * 12 + event.end_date.month - event.start_date.month
        months = {(event.start_date.month - 1 + k) % 12 + 1 for k in range(min(span, 11) + 1)}
        if not months & set(incident.months):
            return None  # an undated report that names only July is not about an event of November
    conflict, shared_place = _places_conflict(
        event_places if event_places is not None else [_as_place(p) for p in event.places or []],
        incident_places if incident_places is not None else [_as_place(p) for p in incident.places],
    )
    if conflict and local(incident.kinds):  # a stampede here is not the stampede there; protests spread
        return None
    if (
        local(incident.kinds)
        and local(kinds)
        and event.day is not None
        and incident.day is not None
        and abs((event.day - incident.day).days) >= OTHER_DAY
    ):
        return None  # the boat that capsized on Friday is not the one that sank a week before
    days = _days_apart(event, incident)
    if not shared_kinds and not shared_place and not (shared_countries and (days is None or days <= CLOSE_DAYS)):
        return None  # kinds that only fit (a fire, a shipwreck) need a place or a week in common
    if not (countries and incident.countries) and not (shared_kinds and shared_place):
        return None  # without countries on both sides, only kind and place together say it is the same
    shared_words = len({w.lower() for w in event.keywords or []} & {w.lower() for w in incident.words})
    return (
        3.0 * len(shared_kinds)
        + 2.0 * len(shared_countries)
        + 2.0 * shared_place
        + min(shared_words, 3)  # "blasts" on trains, not "gunmen" in hotels: the same words for the same incident
        - (days or 0) / 15.0
    )


class _Unindexed(FunctionElement[dt.date]):
    """A date column as a value no index is read for: `+start_date` on SQLite, the column elsewhere. SQLite, with
    the statistics `add` leaves, reads a window of days on the index of start dates (every event that starts
    before it ends) rather than on the one of end dates (the events that end after it begins: as reports come in
    date order, the last months')."""

    type = Date()
    inherit_cache = True


@compiles(_Unindexed)
def _unindexed(element: _Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(next(iter(element.clauses)), **kw))


@compiles(_Unindexed, "sqlite")
def _unindexed_sqlite(element: _Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + str(compiler.process(next(iter(element.clauses)), **kw))


_EVENT = Event.__table__.c
_DISCOVERED = (
    select(
        _EVENT.id,
        _EVENT.slug,
        _EVENT.status,
        _EVENT.start_date,
        _EVENT.end_date,
        _EVENT.day,
        cast(_EVENT.kinds, Text),
        cast(_EVENT.countries, Text),
        cast(_EVENT.places, Text),
        cast(_EVENT.keywords, Text),
    )
    .where(_EVENT.status.in_(("discovered", "confirmed")))
    .order_by(_EVENT.id)
)
"""The discovered and confirmed events as `Discovery` matches them, their lists as the JSON text stored."""
EVENT_VIEWS = 100_000
"""Event rows remembered for one session, up to this many."""


def _view(row: tuple[Any, ...]) -> EventView:
    eid, slug, status, start, end, day, kinds, countries, places, keywords = row
    place_dicts = list(json.loads(places) or []) if places else []
    return EventView(
        id=eid,
        slug=slug,
        status=status,
        start_date=start,
        end_date=end,
        day=day,
        kinds=list(json.loads(kinds) or []) if kinds else [],
        countries=list(json.loads(countries) or []) if countries else [],
        places=place_dicts,
        keywords=list(json.loads(keywords) or []) if keywords else [],
        place_list=[_as_place(p) for p in place_dicts],
    )


def _year(year: int) -> int:
    return min(max(year, dt.MINYEAR), dt.MAXYEAR)


def _merge_lists(old: list[Any], new: list[Any], limit: int) -> list[Any]:
    out = list(old)
    for item in new:
        if item not in out:
            out.append(item)
    return out[:limit]


def _keywords(incident: IncidentIn) -> list[str]:
    return _merge_lists(incident.words, [p.name for p in incident.places], MAX_KEYWORDS)


class Discovery:
    """Matches the incidents of one document to discovered events, founding events where none matches. Lives for
    one transaction: what it founds or joins is written in the document's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._resolved: dict[tuple[object, ...], int] = {}
        self._events: list[EventView] | None = None
        self.founded: list[str] = []
        self.joined: list[str] = []

    def _views(self, query: Select[Any] | CompoundSelect) -> list[EventView]:
        """The events a query reads, as views. Their lists are read as the JSON text stored, and an event whose row
        reads exactly as one seen before in this session (one `add` run) is that one's view again: only new or
        changed rows are decoded, and a row another writer or this one changed is a new view."""
        seen: dict[tuple[Any, ...], EventView] = self.session.info.setdefault("claimdb.event_views", {})
        if len(seen) > EVENT_VIEWS:
            seen.clear()
        events = []
        for found in self.session.connection().execute(query):
            row = tuple(found)
            view = seen.get(row)
            if view is None:
                view = seen[row] = _view(row)
            events.append(view)
        return events

    def _discovered(self) -> list[EventView]:
        """All discovered and confirmed events, read once for the document (again after it changed one): what an
        incident without a time (no dates, no years) may be."""
        if self._events is None:
            self._events = self._views(_DISCOVERED)
        return self._events

    def _candidates(self, incident: IncidentIn) -> list[EventView]:
        """The events an incident may be, read by dates on the indexes of `event` (status with start_date, status
        with end_date): for a dated incident, those whose days lie within MAX_FOLLOW_UP of its own, or undated;
        for an undated one that names years, those whose days meet one of those years, or without a start or an
        end (`match_score` rules out no other). Only an incident with no time at all is compared with every event.
        Read afresh for each incident: what this document founded or joined a moment ago is seen as it is now."""
        if incident.start is not None and incident.end is not None:
            latest, earliest = incident.end + MAX_FOLLOW_UP, incident.start - MAX_FOLLOW_UP
            within = [_Unindexed(_EVENT.start_date) <= latest, _EVENT.end_date >= earliest]
            others = []
        elif incident.start is None and incident.years:
            first = dt.date(_year(min(incident.years)), 1, 1)
            last = dt.date(_year(max(incident.years)), 12, 31)
            within = [_Unindexed(_EVENT.start_date) <= last, _EVENT.end_date >= first]
            others = [_DISCOVERED.where(_EVENT.start_date.is_not(None), _EVENT.end_date.is_(None))]
        else:
            return self._discovered()
        # One branch for each index, no row in two: SQLite reads an OR of them, or their union in the order of ids,
        # by scanning the table; sorted here as `_discovered` reads them. The window on the end dates' index.
        branches = [_DISCOVERED.where(_EVENT.start_date.is_(None)), *others, _DISCOVERED.where(*within)]
        return sorted(self._views(union_all(*(b.order_by(None) for b in branches))), key=lambda e: e.id)

    def resolve(self, incident: IncidentIn) -> int:
        """The id of the event the incident is: an existing discovered event, or a new one."""
        key = incident.key()
        if key in self._resolved:
            return self._resolved[key]
        places = [_as_place(p) for p in incident.places]
        scored = [
            (s, e)
            for e in self._candidates(incident)
            if (s := match_score(e, incident, event_places=e.place_list, incident_places=places)) is not None
        ]
        if scored:
            sizes: dict[int, int] = dict(
                self.session.execute(  # type: ignore[arg-type]
                    select(Claim.event_id, func.count())
                    .where(Claim.event_id.in_([e.id for _, e in scored]))
                    .group_by(Claim.event_id)
                ).all()
            )
            # the best fit; among equals the event more reports speak of, then the latest
            best = max(
                scored, key=lambda se: (se[0], sizes.get(se[1].id, 0), se[1].end_date or dt.date.min, -se[1].id)
            )[1]
            self._join(best, incident)
            event_id = best.id
        else:
            event_id = self._found(incident)
        self._resolved[key] = event_id
        return event_id

    def _join(self, event: EventLike, incident: IncidentIn) -> None:
        values: dict[str, Any] = {}
        if incident.start and (event.start_date is None or incident.start < event.start_date):
            values["start_date"] = incident.start
        if incident.end and (event.end_date is None or incident.end > event.end_date):
            values["end_date"] = incident.end
        if incident.day and event.day is None:
            values["day"] = incident.day
        for column, new, limit in (
            ("kinds", incident.kinds, 6),
            ("countries", incident.countries, 6),
            ("places", [p.model_dump() for p in incident.places], MAX_PLACES),
            ("keywords", _keywords(incident), MAX_KEYWORDS),
        ):
            merged = _merge_lists(getattr(event, column) or [], new, limit)
            if merged != (getattr(event, column) or []):
                values[column] = merged
        if values:
            self.session.execute(update(Event).where(Event.id == event.id).values(**values))
            if isinstance(event, Event):
                self.session.expire(event)
            self._events = None  # read again, as changed
        self.joined.append(event.slug)

    def _found(self, incident: IncidentIn) -> int:
        stem, name = describe(incident)
        for n in range(1, 100):
            slug = stem if n == 1 else f"{stem}-{n}"
            row = {
                "slug": slug,
                "name": name if n == 1 else f"{name} ({n})",
                "start_date": incident.start,
                "end_date": incident.end,
                "day": incident.day,
                "place": ", ".join(p.name for p in incident.places[:3]) or None,
                "keywords": _keywords(incident),
                "kinds": list(incident.kinds),
                "countries": list(incident.countries),
                "places": [p.model_dump() for p in incident.places[:MAX_PLACES]],
                "status": "discovered",
            }
            made = self.session.execute(insert_ignore(self.session, Event, ["slug"]).values(**row).returning(Event.id))
            found = made.scalar()
            if found is not None:
                self._events = None
                self.founded.append(slug)
                return int(found)
            # the slug is taken: by this incident, founded a moment ago by another writer, or by another incident
            existing = self.session.scalars(select(Event).where(Event.slug == slug)).one()
            if existing.status != "catalogued" and match_score(existing, incident) is not None:
                self._join(existing, incident)
                return existing.id
        raise RuntimeError(f"no free slug for {stem}")  # pragma: no cover - 99 incidents of one kind in a month
