"""Step 7 of the pipeline: link a claim to an event of the catalogue, or describe its incident for discovery.

A claim gets the event named by a keyword, or dated by a date, in its sentence; else in its paragraph (dates
there only when within a year of the document's date, so that "the same approach it took in 2009" in a
neighbouring sentence does not win); else the event around the document's own date. Relative dates ("last
November", "on November 17") resolve against the document's date. A link made by a date alone holds only where the
places the document names fit the event's (a report of a Moroccan earthquake is not about Iranian protests of the
same week). A claim that no catalogued event covers carries the incident its text describes (`incidents.py`),
which `app/events.py` matches to a discovered event or founds one with.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.extract.attribute import acronyms
from app.extract.lexicon import MONTHS, alternation, phrase_key, word_tuple
from app.extract.normalise import normalise
from app.extract.scan import scan
from app.extract.scope import per_document
from app.schemas import EventIn, IncidentIn

if TYPE_CHECKING:
    from app.extract.incidents import IncidentContext
    from app.extract.segment import Page

_MONTH_INDEX = {name: i for i, name in enumerate(calendar.month_name) if name} | {
    name: i for i, name in enumerate(calendar.month_abbr) if name
}
_MONTH_INDEX = {k.lower(): v for k, v in _MONTH_INDEX.items()} | {"sept": 9}
_MONTH = r"(?:" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + r")\.?"
_MONTH_MODIFIERS = alternation(word_tuple("link.month_modifiers"))
"""'last March', 'this May', 'next June'."""
ORDINAL_SUFFIX = alternation(word_tuple("link.ordinal_suffixes"))
"""The endings of an ordinal day ('10th', '1st'); the dateline reads them too."""
_BEFORE_YEAR_WORDS = alternation(word_tuple("link.before_year"))
"""'in 2019', 'since 2010', 'mid-2015', 'summer 2020'."""
_YEAR_EVENTS = alternation(word_tuple("link.year_events"))
"""'the 2009 protests', 'the 2011 uprising': a year that names an event."""
DATE_RE = re.compile(
    rf"\b(?:(?P<last>{_MONTH_MODIFIERS})\s+)?(?P<month1>{_MONTH})(?:\s+(?P<day1>\d{{1,2}})(?:{ORDINAL_SUFFIX})?)?(?:,?\s+(?P<year1>\d{{4}}))?\b"
    rf"|\b(?P<day2>\d{{1,2}})(?:{ORDINAL_SUFFIX})?\s+(?:of\s+)?(?P<month2>{_MONTH})(?:,?\s+(?P<year2>\d{{4}}))?\b"
    rf"|\b(?:{_BEFORE_YEAR_WORDS})\s+(?P<year3>(?:19|20)\d{{2}})\b"
    rf"|(?P<year4>(?:19|20)\d{{2}})\b(?=\s+(?:{_YEAR_EVENTS}))",
    re.IGNORECASE,
)
_SLACK_BEFORE = dt.timedelta(days=7)
_SLACK_AFTER = dt.timedelta(days=45)
_KEYWORD_REACH = 80
"""Characters around a claim within which an event keyword in its sentence names its event; farther keywords
("…, furious over the shooting down of a plane") are background, not the subject."""
_NOT_MONTH_WORDS = {"may", "march"}  # also verbs: only dates when a day or year goes with them


@dataclass(frozen=True, slots=True)
class DateSpan:
    start: int
    end: int
    first: dt.date
    last: dt.date
    precision: str  # day, month, year
    written_year: bool = False  # the year is in the text ("12 January 2010", "April - July 2015"), not inferred


def day_before(month: int, day: int, reference: dt.date) -> dt.date | None:
    """The latest `month`/`day` on or before `reference` ("November 17" in an article of 20 November 2019 is
    2019-11-17; in one of 10 November 2019, 2018-11-17; February 29 goes back to a leap year). What dateparser
    gives with PREFER_DATES_FROM=past, measured equal on every day of the year, at a thousandth of its cost."""
    for year in range(reference.year, reference.year - 9, -1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date <= reference:
            return date
    return None


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


_BEFORE_MONTH = re.compile(rf"(?:\b(?:{_MONTH_MODIFIERS})\s+|\b\d{{1,2}}(?:{ORDINAL_SUFFIX})?\s+(?:of\s+)?)$", re.I)
_BEFORE_YEAR = re.compile(rf"\b(?:{_BEFORE_YEAR_WORDS})\s+$", re.I)


def _date_matches(text: str, start: int, end: int, norm: str | None = None) -> list[re.Match[str]]:
    if start == 0 and end == len(text):
        return list(_document_date_matches(text, norm))
    return _find_date_matches(text, start, end, norm)


@per_document
def _document_date_matches(text: str, norm: str | None) -> tuple[re.Match[str], ...]:
    """The whole document's date matches, shared by the date estimate and the event linker."""
    return tuple(_find_date_matches(text, 0, len(text), norm))


def _find_date_matches(text: str, start: int, end: int, norm: str | None = None) -> list[re.Match[str]]:
    """DATE_RE matches, tried only at month names and four-digit years (and the words just before them). Give the
    normalised text where it is at hand: normalising the whole document for a few words is the costly part."""
    found = scan(norm if norm is not None else normalise(text))
    anchors: list[tuple[int, re.Pattern[str]]] = [
        (h[0], _BEFORE_MONTH) for h in found.words["months"].between(start, end)
    ]
    anchors += [(h[0], _BEFORE_YEAR) for h in found.years.between(start, end)]
    anchors.sort(key=lambda a: a[0])
    out: list[re.Match[str]] = []
    covered = start
    for pos, before_re in anchors:
        if pos < covered:
            continue
        before = before_re.search(text, max(covered, pos - 14), pos)
        m = DATE_RE.match(text, before.start(), end) if before else None
        if m is None or m.end() <= pos:
            m = DATE_RE.match(text, pos, end)
        if m is not None and m.end() > pos:
            out.append(m)
            covered = m.end()
    return out


def find_dates(
    text: str, start: int, end: int, reference: dt.date | None, *, norm: str | None = None
) -> list[DateSpan]:
    """Dates written in text[start:end], resolved against `reference` when they lack a year. The first month of
    a range takes the year written after the second ("April - July 2015", "between 3 and 9 May 2019")."""
    out: list[DateSpan] = []
    matches = _date_matches(text, start, end, norm)
    for k, m in enumerate(matches):
        try:
            year_group = "year3" if m.group("year3") else "year4" if m.group("year4") else None
            if year_group:
                year = int(m.group(year_group))
                first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
                out.append(DateSpan(m.start(year_group), m.end(year_group), first, last, "year", True))
                continue
            month_word = (m.group("month1") or m.group("month2") or "").rstrip(".").lower()
            day = m.group("day1") or m.group("day2")
            year_s = m.group("year1") or m.group("year2") or _range_year(text, m, matches[k + 1 : k + 2])
            if month_word in _NOT_MONTH_WORDS and not day and not year_s:
                continue
            if m.group("month1") and m.group("month1")[0].islower() and not day and not m.group("last"):
                continue  # "may" the verb, "march" the noun
            month = _MONTH_INDEX[month_word]
            if day:
                if year_s:
                    date = dt.date(int(year_s), month, int(day))
                elif reference is not None:
                    parsed = day_before(month, int(day), reference)
                    if parsed is None:
                        continue
                    date = parsed
                else:
                    continue
                out.append(DateSpan(m.start(), m.end(), date, date, "day", bool(year_s)))
                continue
            if year_s:
                first, last = _month_range(int(year_s), month)
            elif reference is not None:
                year = reference.year if month <= reference.month else reference.year - 1
                if m.group("last") and month == reference.month:
                    year -= 1
                first, last = _month_range(year, month)
            else:
                continue
            out.append(DateSpan(m.start(), m.end(), first, last, "month", bool(year_s)))
        except ValueError:
            continue
    return out


_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|" + alternation(word_tuple("link.range_joins")) + r")\s*$", re.I)


def _range_year(text: str, m: re.Match[str], following: list[re.Match[str]]) -> str | None:
    """The year of the date right after `m` when the two make a range ("April - July 2015")."""
    if not following or m.group("last"):
        return None
    nxt = following[0]
    year = nxt.group("year1") or nxt.group("year2")
    if year and _RANGE_JOIN.match(text, m.end(), nxt.start()) and nxt.start() - m.end() <= 12:
        return year
    return None


def catalogue_keywords(catalogue: list[EventIn]) -> tuple[str, ...]:
    """Every keyword of the catalogue, for the document scan."""
    return tuple(k for e in catalogue for k in e.keywords)


class _Catalogue:
    """What the linker needs of an event catalogue, worked out once per catalogue: its dated events, the event
    of each keyword, and the event of each date span asked about so far."""

    def __init__(self, catalogue: list[EventIn]) -> None:
        self.keyword_slug = {phrase_key(k.lower()): e.slug for e in catalogue for k in e.keywords}
        self.keywords = catalogue_keywords(catalogue)
        self._dated = [(e.start, e.end or e.start, e.slug) for e in catalogue if e.start is not None]
        self._event_of: dict[tuple[dt.date, dt.date, str], str | None] = {}
        self._countries: dict[str, frozenset[str]] = {}
        self._events = {e.slug: e for e in catalogue}

    def countries(self, slug: str) -> frozenset[str]:
        """The countries an event is in: as given, else those its place names."""
        if slug not in self._countries:
            event = self._events.get(slug)
            codes: set[str] = set(event.countries) if event else set()
            if event and not codes and event.place:
                from app.gazetteer import gazetteer

                codes = {m.place.country for m in gazetteer().find(event.place)}
            self._countries[slug] = frozenset(codes)
        return self._countries[slug]

    def event_for(self, first: dt.date, last: dt.date, precision: str) -> str | None:
        """The catalogue event nearest a date span (within a week before and 45 days after), or None."""
        key = (first, last, precision)
        if key not in self._event_of:
            if len(self._event_of) >= 10_000:
                self._event_of.clear()
            self._event_of[key] = self._nearest(first, last, precision)
        return self._event_of[key]

    def _nearest(self, first: dt.date, last: dt.date, precision: str) -> str | None:
        best: tuple[float, str] | None = None
        for e_start, e_end, slug in self._dated:
            lo, hi = e_start - _SLACK_BEFORE, e_end + _SLACK_AFTER
            if last < lo or first > hi:
                continue
            if precision == "year" and not (first <= e_start <= last):
                continue
            middle = e_start + (e_end - e_start) / 2
            point = first + (last - first) / 2
            distance = abs((middle - point).days)
            if best is None or distance < best[0]:
                best = (distance, slug)
        return best[1] if best else None


_PREPARED: dict[tuple[object, ...], _Catalogue] = {}


def _prepared(catalogue: list[EventIn]) -> _Catalogue:
    key = tuple((e.slug, e.start, e.end, e.place, tuple(e.keywords), tuple(e.countries)) for e in catalogue)
    found = _PREPARED.get(key)
    if found is None:
        if len(_PREPARED) >= 8:
            _PREPARED.clear()
        found = _PREPARED[key] = _Catalogue(catalogue)
    return found


class EventLinker:
    """Links spans of one document to the catalogue."""

    def __init__(self, catalogue: list[EventIn], page: Page) -> None:
        prepared = _prepared(catalogue)
        self.page = page
        text, norm, published = page.text, page.norm, page.published
        self._prepared = prepared
        self._event_for = prepared.event_for
        self._keyword_slug = prepared.keyword_slug
        self.text = text
        self.published = published
        self.norm = norm
        self.acronyms = acronyms(text)
        self.document_event = self._event_for(published, published, "day") if published else None
        # every date and keyword of the document, found once and looked up by position
        self._dates = find_dates(text, 0, len(text), published, norm=norm)
        self._date_starts = [d.start for d in self._dates]
        self._date_events = [self._event_for(d.first, d.last, d.precision) for d in self._dates]
        found = scan(norm, prepared.keywords)
        self._keywords = [(i, phrase_key(word)) for i, _, word in found.words["keywords"].items]
        self._keyword_starts = [k[0] for k in self._keywords]
        self._incidents: IncidentContext | None = None

    @property
    def incidents(self) -> IncidentContext:
        """What the document says of its incidents, worked out the first time a claim needs it (a claim that a
        catalogue keyword links never does)."""
        if self._incidents is None:
            from app.extract.incidents import IncidentContext

            self._incidents = IncidentContext(self.page, dates=self._dates)
        return self._incidents

    def _keyword(self, start: int, end: int, near: int) -> tuple[str | None, tuple[int, int] | None]:
        lo, hi = bisect_left(self._keyword_starts, start), bisect_left(self._keyword_starts, end)
        found = [(abs(pos - near), pos, word) for pos, word in self._keywords[lo:hi]]
        if not found:
            return None, None
        _, pos, word = min(found)
        return self._keyword_slug.get(word), (pos, pos + len(word))

    def _dated(self, start: int, end: int, near: int, *, near_document: bool) -> tuple[str | None, DateSpan | None]:
        lo, hi = bisect_left(self._date_starts, start), bisect_left(self._date_starts, end)
        if lo == hi:
            return None, None
        dates = [i for i in range(lo, hi) if self._dates[i].end <= end]
        if near_document and self.published:
            dates = [i for i in dates if abs((self._dates[i].first - self.published).days) <= 366]
        dates.sort(key=lambda i: abs(self._date_starts[i] - near))
        for i in dates:
            if self._date_events[i]:
                return self._date_events[i], self._dates[i]
        return None, (self._dates[dates[0]] if dates else None)

    def link(
        self, *, span: tuple[int, int], sentence: tuple[int, int], paragraph: tuple[int, int], figure: bool = True
    ) -> tuple[str | None, IncidentIn | None, tuple[str, tuple[int, int] | None]]:
        """(catalogued event slug, or None and the incident the text describes, and the rule that decided with the
        words it read) for a claim at `span`."""
        slug, keyword = self._catalogued(span=span, sentence=sentence, paragraph=paragraph)
        if slug is not None and keyword is not None:
            return slug, None, ("catalogue keyword", keyword)
        incident = self.incidents.for_span(span, sentence, figure=figure)
        if slug is not None and incident is not None and incident.countries:
            countries = self._prepared.countries(slug)
            if countries and not countries & set(incident.countries):
                slug = None  # dated like a catalogued event, but somewhere else
        if slug is not None:
            return slug, None, ("catalogue date (the claim's or the document's)", None)
        if incident is None:
            reason = "no incident: background figure" if figure and self.incidents.main else "no incident named"
            return None, None, (reason, None)
        kinds = "/".join(incident.kinds)
        return None, incident, (f"incident described: {kinds} in {', '.join(incident.countries) or '?'}", None)

    def _catalogued(
        self, *, span: tuple[int, int], sentence: tuple[int, int], paragraph: tuple[int, int]
    ) -> tuple[str | None, tuple[int, int] | None]:
        """(catalogued event slug or None, the span of the keyword that named it, if one did)."""
        near = span[0]
        slug, keyword = self._keyword(
            max(sentence[0], near - _KEYWORD_REACH), min(sentence[1], span[1] + _KEYWORD_REACH), near
        )
        if slug:
            return slug, keyword
        slug, _ = self._dated(*sentence, near, near_document=False)
        if slug:
            return slug, None
        slug, _ = self._dated(*paragraph, near, near_document=True)
        if slug:
            return slug, None
        slug, keyword = self._keyword(*paragraph, near)
        if slug:
            return slug, keyword
        return self.document_event, None


def estimate_published(text: str, *, today: dt.date | None = None, norm: str | None = None) -> dt.date | None:
    """A date for an undated document: the latest full date it mentions, else the latest year (1 January); dates
    after today ("a memorial is planned for 10 March 2031") are no publication dates. Give the normalised text
    where it is at hand."""
    today = today or dt.date.today()
    dates = [d for d in find_dates(text, 0, len(text), None, norm=norm) if d.first <= today]
    full = [d.first for d in dates if d.precision in ("day", "month")]
    if full:
        return max(full)
    years = [d.first for d in dates if d.precision == "year"]
    return max(years) if years else None
