"""Step 8 of the pipeline: what incident a claim is about, for claims that no catalogued event covers.

An article says what happened (its incident words: "quake", "stampede", "protests" — grouped into kinds in the
lexicon), where (places from the gazetteer: "Al Haouz", "Marrakesh", "Moroccan") and when (its date, and dates in
the text). The document's main incident is what its title and lead say most, then the rest of the text: the
dominant kinds and countries, the places named most within them, and the document's date. A claim is about the
main incident unless its own sentence says otherwise:

- a date in the figure's clause that lies well before the document's date ("the 1960 Agadir quake killed
  12,000", "In 2004, a quake in Al Hoceima killed 628") makes it a past incident of that date;
- incident words of another kind together with a country the main incident does not name ("Floods in Pakistan
  killed 30 last week", in an article about an earthquake in Turkey) make it another incident;
- a figure with a background cue close by in its clause ("a city of 2 million people", "so far this year",
  "already relying on aid") describes the setting, not the incident, and gets none;
- incident words of the main incident's kind with a day in the figure's clause days away from the day the lead
  gives ("an aftershock on May 12 killed 153", after the quake of April 25; "27 died on Friday after their boat
  capsized", after a shipwreck of Thursday a week before) make it another incident of that kind.

A document without incident words describes no incident: its figures get no event. Which event an incident is —
an existing one or a new one — is decided across documents, in `app/events.py`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from app.extract.lexicon import (
    ANNIVERSARY_WORDS,
    BACKGROUND_CUES,
    INCIDENT_COMPATIBLE,
    INCIDENT_KINDS,
    LEXICON,
    NUMBER_WORDS,
    RELATIVE_DAYS,
    WEEKDAYS,
    alternation,
    word_tuple,
)
from app.extract.link import _MONTH_INDEX, DateSpan
from app.extract.scan import scan
from app.extract.segment import Page
from app.gazetteer import PlaceMention, fold, gazetteer
from app.schemas import IncidentIn, PlaceIn

T = TypeVar("T")

LEAD_WEIGHT = 3.0
"""A word or place in the title and first paragraph counts this many times: that is where a report says what
happened."""
LEAD_MIN_CHARS = 400
"""The lead runs to the end of the first paragraph that ends after this many characters."""
DOMINANT_SHARE = 0.5
"""Kinds and countries weighing at least this share of the heaviest one are the main incident's."""
MAX_KINDS, MAX_COUNTRIES, MAX_PLACES, MAX_WORDS = 3, 3, 6, 6
LEAD_DATE_REACH = dt.timedelta(days=60)
"""A date in the lead this close before a dated document's date is when its incident began (the earliest such)."""
UNDATED_REACH = dt.timedelta(days=365)
"""An undated document whose lead gives no date is about an incident of the year before its latest date."""
PAST_DAYS = 120
"""A date in a figure's clause this many days or more before the document's date names a past incident."""
OTHER_DAY = 3
"""A figure's clause that dates an incident this many days or more away from the main incident's day (an
aftershock on 12 May after the quake of 25 April; a second boat that capsized "on Friday") is about another one."""
_AFTER_FIGURE_REACH = 80
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
DAY_WORD_REACH = 30
BACKGROUND_REACH = 50
_MONTH_NAME = re.compile(r"\b(?:" + "|".join(name for name in calendar.month_name if name) + r")\b")
_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.I)
_CUMULATIVE = re.compile(r"\b(?:" + alternation(word_tuple("incidents.cumulative_cues"), space=" ") + r")\s+$", re.I)
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d{2}\b")
_CLAUSE_BREAKS = word_tuple("incidents.clause_breaks")
"""Words that start another clause, before a figure or after it ('but', 'whereas', 'compared with')."""
_CLAUSE_BREAK_BEFORE = re.compile(r"[;—–]|\b(?:" + alternation(_CLAUSE_BREAKS, space=" ") + r")\b", re.I)
_CLAUSE_BREAK_AFTER = re.compile(
    r"[,;—–(]|\b(?:" + alternation(_CLAUSE_BREAKS + word_tuple("incidents.clause_breaks_after"), space=" ") + r")\b",
    re.I,
)


@cache
def _kind_of() -> dict[str, str]:
    """The incident kind of each incident word."""
    return {" ".join(w.lower().split()): kind for kind, spec in INCIDENT_KINDS.items() for w in spec["words"]}


_KIND_ORDER = {kind: i for i, kind in enumerate(INCIDENT_KINDS)}


@cache
def _background() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(BACKGROUND_CUES)})\b", re.I)


def background(text: str, span: tuple[int, int], sentence: tuple[int, int]) -> bool:
    """Whether the figure at `span` describes the setting, not the incident: a background cue in its clause, close
    by ("an area of more than two million people", "where 4.1 million people were already relying on aid")."""
    lo, hi = max(sentence[0], span[0] - BACKGROUND_REACH), min(sentence[1], span[1] + BACKGROUND_REACH)
    for m in _background().finditer(text, lo, hi):
        between = text[min(m.end(), span[1]) : max(m.start(), span[0])]
        if not re.search(r"[,;:.!?]", between):
            return True
    return False


@cache
def _compatible_pairs() -> frozenset[tuple[str, str]]:
    return frozenset((a, b) for group in INCIDENT_COMPATIBLE for a in group for b in group)


def kinds_compatible(a: list[str] | tuple[str, ...], b: list[str] | tuple[str, ...]) -> bool:
    """Whether two reports' incident kinds can name one incident: a kind in common, or kinds the lexicon pairs
    (an explosion and the fire it set, an earthquake and its landslides)."""
    pairs = _compatible_pairs()
    return any(x == y or (x, y) in pairs for x in a for y in b)


def local(kinds: list[str]) -> bool:
    """Whether an incident of these kinds happens at one place (see the lexicon's `scope`)."""
    return any(INCIDENT_KINDS.get(k, {}).get("scope") == "local" for k in kinds)


def crosses_borders(kinds: list[str]) -> bool:
    return any(INCIDENT_KINDS.get(k, {}).get("crosses_borders") for k in kinds)


def follow_up(kinds: list[str]) -> dt.timedelta:
    """How long after an incident's last known day reports of it still come (the lexicon's `follow_up_days`: weeks
    for a blast, months for floods or protests)."""
    return dt.timedelta(days=max((int(INCIDENT_KINDS.get(k, {}).get("follow_up_days", 45)) for k in kinds), default=45))


@cache
def _anniversary() -> re.Pattern[str]:
    numbers = "|".join(sorted((re.escape(w) for w, n in NUMBER_WORDS.items() if 1 <= n <= 100), key=len, reverse=True))
    words = alternation([w for w in ANNIVERSARY_WORDS if not w.startswith("years")])
    back = alternation(word_tuple("incidents.years_back_words"))
    return re.compile(rf"\b(?:(?P<n>\d{{1,3}}|{numbers})\s+years?\s+(?:{back})|(?P<word>{words}))\b", re.I)


def years_back(text: str, start: int, end: int) -> int | None:
    """How many years before the document its lead places the incident ("a year ago", "one year on", "five years
    after", "anniversary"), or None."""
    m = _anniversary().search(text, start, end)
    if m is None:
        return None
    if m.group("n"):
        n = m.group("n").lower()
        return int(n) if n.isdigit() else NUMBER_WORDS.get(n)
    return 1


def label(kind: str) -> str:
    """How an incident kind is named in an event's name ("Earthquake", "Floods")."""
    return str(INCIDENT_KINDS.get(kind, {}).get("label", kind.capitalize()))


@dataclass(frozen=True, slots=True)
class IncidentWord:
    start: int
    end: int
    kind: str
    word: str


def incident_words(text: str) -> list[IncidentWord]:
    """Every incident word in `text` (a document or its normalised text), but those inside a phrase that names no
    incident ("opened fire" is an attack; "fire brigade" is no fire). Read from the document's one lexicon scan."""
    kind_of = _kind_of()
    found = scan(text)
    excluded = [(h[0], h[1]) for h in found.words["incident_exclusions"].items]
    out = []
    j = 0
    for start, end, word in found.words["incident_words"].items:
        while j < len(excluded) and excluded[j][1] <= start:
            j += 1
        if j < len(excluded) and excluded[j][0] < end:
            continue
        key = " ".join(word.lower().split())
        out.append(IncidentWord(start, end, kind_of[key], key))
    return out


def _years_before(day: dt.date, years: int) -> dt.date | None:
    """The same day `years` earlier (28 February for 29 February), or None before the calendar's start."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        try:
            return day.replace(year=day.year - years, day=28)
        except ValueError:
            return None


def _dateline_span(text: str) -> tuple[int, int]:
    """Where the date line or dateline at the top is ("Saturday, July 23, 2011"): it dates the report, not the
    incident. (0, 0) where there is none."""
    from app.extract.dateline import read_dateline

    found = read_dateline(text)
    if found is None:
        return 0, 0
    start = text.find(found.text)
    return start, start + len(found.text)


def _story_dates(dates: list[DateSpan], dateline: tuple[int, int]) -> list[DateSpan]:
    """The dates of the story, not of its dateline."""
    return [d for d in dates if not dateline[0] <= d.start < dateline[1]]


_WEEKDAY_INDEX = {w: i for i, w in enumerate(LEXICON["weekdays"])}  # Monday first, as date.weekday() counts


def _weekday_dates(text: str, published: dt.date) -> list[DateSpan]:
    """'on Friday', 'capsized Friday', 'yesterday': days named against the document's date (a weekday is the
    latest such day on or before it), as day spans."""
    names = [w.capitalize() for w in WEEKDAYS]
    pattern = re.compile(rf"\b(?P<weekday>{alternation(names)})\b|\b(?P<relative>{alternation(list(RELATIVE_DAYS))})\b")
    out = []
    for m in pattern.finditer(text):
        if m.group("weekday"):
            weekday = _WEEKDAY_INDEX[m.group("weekday").lower()]
            day = published - dt.timedelta(days=(published.weekday() - weekday) % 7)
        else:
            day = published + dt.timedelta(days=RELATIVE_DAYS[" ".join(m.group("relative").lower().split())])
        out.append(DateSpan(m.start(), m.end(), day, day, "day"))
    return out


def _dominant(weights: dict[str, float], limit: int, order: dict[str, int] | None = None) -> list[str]:
    """The keys weighing at least DOMINANT_SHARE of the heaviest, heaviest first; ties in `order` (the lexicon's
    order of incident kinds: "protests" before the "attack" on them), else alphabetical."""
    if not weights:
        return []
    top = max(weights.values())
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], (order or {}).get(kv[0], 0), kv[0]))
    return [k for k, w in ranked if w >= top * DOMINANT_SHARE][:limit]


def _place(m: PlaceMention) -> PlaceIn:
    p = m.place
    return PlaceIn(key=p.key, name=p.name, kind=p.kind, country=p.country, lat=p.lat, lon=p.lon)


class IncidentContext:
    """The incident words, places and dates of one document, found once; describes the incident of any span."""

    def __init__(self, page: Page, *, dates: list[DateSpan]) -> None:
        text, published, estimated, paragraphs = page.text, page.published, page.estimated, page.paragraphs
        self.text = text
        self.published = published
        self.estimated = estimated
        self.words = incident_words(page.norm)
        self.places = gazetteer().find(text)
        self._word_starts = [w.start for w in self.words]
        self._place_starts = [p.start for p in self.places]
        dateline = _dateline_span(text)
        self.dates = _story_dates(dates, dateline)
        self._date_starts = [d.start for d in self.dates]
        self._year_mentions: list[re.Match[str]] | None = None
        self.lead_end = next((p.end for p in paragraphs.spans if p.end >= LEAD_MIN_CHARS), len(text))
        self.main_day: dt.date | None = None  # the main incident's day, where the lead gives it
        self.weekdays = (
            _story_dates(_weekday_dates(text, published), dateline) if published is not None and not estimated else []
        )
        self._weekday_starts = [d.start for d in self.weekdays]
        start, end = self._when(published, estimated)
        self.main = self._describe(self.words, self.places, (start, end, self.main_day), weighted=True)

    def _when(self, published: dt.date | None, estimated: bool) -> tuple[dt.date | None, dt.date | None]:
        """When the main incident happened: the first date the lead gives ("On 15 March 2019, …") where it lies
        shortly before the document's date, or where that date is only estimated (an undated page's latest date
        may be years after the incident); else the document's date."""
        lead = sorted(
            (d for d in self.dates if d.start < self.lead_end and d.precision in ("day", "month")),
            key=lambda d: d.first,
        )
        if estimated or published is None:  # "By 24 January" takes its year from a guess: only dates with a year
            lead = [d for d in lead if d.written_year]
        if published is not None and not estimated:
            lead = [d for d in lead if published - LEAD_DATE_REACH <= d.first <= published]
            if lead:
                self.main_day = lead[0].first if lead[0].precision == "day" else None
                return lead[0].first, published
            named = [d for d in self.weekdays if d.start < self.lead_end and self._beside_incident_word(d)]
            if named:  # "the boat that capsized Friday", "yesterday's collapse"; not "officials said on Monday"
                self.main_day = named[0].first
            years = years_back(self.text, 0, self.lead_end)  # "the collapse a year ago", "one year on"
            then = _years_before(published, years) if years else None
            if then is not None:
                return then, then
            return published, published
        if lead:
            self.main_day = lead[0].first if lead[0].precision == "day" else None
            return lead[0].first, lead[0].last
        dated = any(d.precision in ("day", "month") and d.written_year for d in self.dates)
        if published is not None and dated:  # an undated page: its latest date may come long after the incident
            return published - UNDATED_REACH, published
        return None, None  # a guess from years named in passing ("the worst since 1934") says nothing

    def _months(self) -> list[int]:
        """The months an undated document names ("in July", "the month of July"), whatever the year."""
        found = set()
        for m in _MONTH_NAME.finditer(self.text):
            found.add(_MONTH_INDEX[m.group(0).lower()])
        return sorted(found)

    def _years_of(self, kinds: list[str]) -> list[int]:
        """What an undated document's lead says of its incident's time: the years it names in a full date, or beside
        a word of the incident's kinds ("the 2008 Mumbai attacks"; not "the 2011 earthquake" in a report of a
        shooting). Years further down are as often a past incident's ("In 1934, an even stronger quake …")."""
        if self._year_mentions is None:  # years named, but not "since 1934"
            self._year_mentions = [
                m
                for m in _YEAR.finditer(self.text, 0, self.lead_end)
                if not _SINCE.search(self.text, max(0, m.start() - 10), m.start())
            ]
        years = set()
        for m in self._year_mentions:
            k = bisect_right(self._date_starts, m.start()) - 1  # the date that may hold this year
            in_date = k >= 0 and self.dates[k].end > m.start() and self.dates[k].precision in ("day", "month")
            near = self._in(self._word_starts, self.words, m.start() - DAY_WORD_REACH, m.end() + DAY_WORD_REACH)
            beside = any(
                w.kind in kinds
                and not _CLAUSE_BREAK_AFTER.search(self.text, min(w.end, m.end()), max(w.start, m.start()))
                for w in near
            )
            if in_date or beside:
                years.add(int(m.group()))
        return sorted(years)

    def _beside_incident_word(self, d: DateSpan) -> bool:
        """Whether an incident word stands right before or after a day ("capsized Friday", "Friday's blast")."""
        near = self._in(self._word_starts, self.words, d.start - DAY_WORD_REACH, d.end + DAY_WORD_REACH)
        return any(not _CLAUSE_BREAK_AFTER.search(self.text, min(w.end, d.end), max(w.start, d.start)) for w in near)

    def _weight(self, start: int, weighted: bool) -> float:
        return LEAD_WEIGHT if weighted and start < self.lead_end else 1.0

    def _describe(
        self,
        words: list[IncidentWord],
        places: list[PlaceMention],
        when: tuple[dt.date | None, dt.date | None, dt.date | None],
        *,
        weighted: bool,
        fallback: IncidentIn | None = None,
    ) -> IncidentIn | None:
        """The incident that `words` and `places` describe, at `when` (first day, last day, the day itself where it
        is known); `weighted` counts the lead's words more."""
        start, end, day = when
        kinds: defaultdict[str, float] = defaultdict(float)
        for w in words:
            kinds[w.kind] += self._weight(w.start, weighted)
        countries: defaultdict[str, float] = defaultdict(float)
        for m in places:
            countries[m.place.country] += self._weight(m.start, weighted)
        main_kinds = _dominant(kinds, MAX_KINDS, _KIND_ORDER) or (fallback.kinds if fallback else [])
        if not main_kinds:
            return None
        main_countries = _dominant(countries, MAX_COUNTRIES) or (fallback.countries if fallback else [])
        local: defaultdict[str, float] = defaultdict(float)
        by_key: dict[str, PlaceMention] = {}
        for m in places:
            if m.place.kind != "country" and m.place.country in main_countries:
                local[m.place.key] += self._weight(m.start, weighted)
                by_key.setdefault(m.place.key, m)
        rank = {"region": 0, "city": 1}  # among places named as often, a region names the area
        chosen = [
            by_key[k] for k, _ in sorted(local.items(), key=lambda kv: (-kv[1], rank[by_key[kv[0]].place.kind], kv[0]))
        ][:MAX_PLACES]
        seen: list[str] = []
        for w in words:
            if w.kind in main_kinds and w.word not in seen:
                seen.append(w.word)
        return IncidentIn(
            years=self._years_of(main_kinds) if start is None else [],
            months=self._months() if start is None else [],
            day=day,
            kinds=main_kinds,
            countries=main_countries,
            places=[_place(m) for m in chosen] or (fallback.places if fallback and not places else []),
            start=start,
            end=end,
            words=seen[:MAX_WORDS],
        )

    def _in(self, starts: list[int], items: list[T], start: int, end: int) -> list[T]:
        return items[bisect_left(starts, start) : bisect_left(starts, end)]

    def _past_date(self, span: tuple[int, int], sentence: tuple[int, int]) -> DateSpan | None:
        """A date in the figure's clause, well before the main incident (or, without one, the document's date). In
        an undated report whose main incident has no time, a year written in the clause that the lead does not give
        names another incident ("In 1934, an even stronger quake killed more than 10,000")."""
        lo, hi = bisect_left(self._date_starts, sentence[0]), bisect_right(self._date_starts, sentence[1])
        if self.main is not None and self.main.start is None and self.estimated:
            lead_years = set(self.main.years)
            return self._in_clause(
                span, [d for d in self.dates[lo:hi] if d.written_year and d.first.year not in lead_years]
            )
        reference = self.main.start if self.main is not None and self.main.start is not None else self.published
        if reference is None:
            return None
        return self._in_clause(
            span,
            [
                d
                for d in self.dates[lo:hi]
                # recent, or a day without its year ("By 24 January"), which is this year's
                if (reference - d.last).days >= PAST_DAYS and d.written_year
            ],
        )

    def _other_day(self, span: tuple[int, int], sentence: tuple[int, int]) -> DateSpan | None:
        """A day in the figure's clause (a date, or a weekday before the document's date) well apart from the
        main incident's day, where the lead gives that day."""
        if self.main_day is None:
            return None
        main_day = self.main_day
        days = self._in(self._date_starts, self.dates, *sentence) + self._in(
            self._weekday_starts, self.weekdays, *sentence
        )
        return self._in_clause(
            span,
            [
                d
                for d in days
                if d.precision == "day"
                and OTHER_DAY <= abs((d.first - main_day).days) <= LEAD_DATE_REACH.days
                and (not self.estimated or d.written_year)
                and not _CUMULATIVE.search(self.text, max(0, d.start - 12), d.start)  # "By 24 January, 52 …"
            ],
        )

    def _in_clause(self, span: tuple[int, int], dates: list[DateSpan]) -> DateSpan | None:
        """The date nearest the figure among those in its clause: before it with no clause break between, or just
        after it with no comma between."""
        best: tuple[int, DateSpan] | None = None
        for d in dates:
            if d.end <= span[0]:
                if _CLAUSE_BREAK_BEFORE.search(self.text, d.end, span[0]):
                    continue
                gap = span[0] - d.end
            elif d.start >= span[1]:
                gap = d.start - span[1]
                if gap > _AFTER_FIGURE_REACH or _CLAUSE_BREAK_AFTER.search(self.text, span[1], d.start):
                    continue
            else:
                continue
            if best is None or gap < best[0]:
                best = (gap, d)
        return best[1] if best else None

    def for_span(self, span: tuple[int, int], sentence: tuple[int, int], *, figure: bool = True) -> IncidentIn | None:
        """The incident the claim at `span` is about (see the module's notes), or None where the document names no
        incident or the figure is background (a population, a yearly statistic)."""
        if figure and background(self.text, span, sentence):
            return None
        words = self._in(self._word_starts, self.words, *sentence)
        places = self._in(self._place_starts, self.places, *sentence)
        past = self._past_date(span, sentence)
        if past is not None:
            return self._describe(words, places, (past.first, past.last, None), weighted=False, fallback=self.main)
        if self.main is None:
            return self._describe(words, places, (self.published, self.published, None), weighted=False)
        kinds = {w.kind for w in words}
        if kinds and kinds_compatible(sorted(kinds), self.main.kinds):
            other = self._other_day(span, sentence)
            if other is not None:  # "an aftershock on May 12 killed 153": the same kind of incident, another day
                when = (other.first, other.last, other.first)
                return self._describe(words, places, when, weighted=False, fallback=self.main)
        countries = {m.place.country for m in places}
        if (
            kinds
            and not kinds_compatible(sorted(kinds), self.main.kinds)
            and countries
            and not countries & set(self.main.countries)
        ):
            return self._describe(words, places, (self.published, self.published, None), weighted=False)
        return self.main


def slugify(text: str) -> str:
    return _SLUG_CHARS.sub("-", fold(text)).strip("-")[:90] or "event"


def _when(incident: IncidentIn) -> tuple[str, str]:
    """(slug part, name part) of an incident's time: a month ("2023-09", "September 2023"), or a year where the
    text gives only the year ("1960")."""
    first, last = incident.start, incident.end
    if first is None:
        return "", ""
    if (
        last is not None
        and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
        and first.year == last.year
    ):
        return str(first.year), str(first.year)
    if last is not None and (last - first).days > 62:  # a window (an undated page): name it by its latest month
        first = last
    return f"{first:%Y-%m}", f"{calendar.month_name[first.month]} {first.year}"


def describe(incident: IncidentIn) -> tuple[str, str]:
    """(slug stem, name) for a new event: `morocco-earthquake-2023-09`, "Earthquake in Al Haouz, Morocco,
    September 2023"."""
    countries = gazetteer().countries
    country = countries[incident.countries[0]].name if incident.countries and incident.countries[0] in countries else ""
    kind = incident.kinds[0]
    when_slug, when_name = _when(incident)
    stem = slugify(" ".join(filter(None, [country, kind, when_slug])))
    place = next((p.name for p in incident.places if p.country == (incident.countries or [""])[0]), None)
    where = ", ".join(filter(None, [place, country]))
    name = label(kind) + (f" in {where}" if where else "") + (f", {when_name}" if when_name else "")
    return stem, name
