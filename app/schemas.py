"""Pydantic models: what comes in (fixture and claims files) and what goes out (the JSON contract)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.errors import FixtureError

MAX_COUNT = 2**63 - 1
"""The largest bound a database column holds (BIGINT)."""
SHORT_TEXT = 200
"""The width of the columns for a claim's subgroup and an attribution's cue (`app.models`: String(200))."""
LABEL_TEXT = 100
"""The width of the columns for a claim's qualifier and unit (String(100))."""
NAME_TEXT = 300
"""The width of a source's name and aliases (String(300))."""

SourceKind = Literal["outlet", "organisation", "person", "government", "crowd", "unnamed", "unknown"]
ClaimKind = Literal[
    "death_toll",
    "arrest_count",
    "injury_count",
    "execution_count",
    "detention_count",
    "other_count",
    "quote",
]
Role = Literal["asserter", "conduit"]
Precision = Literal["day", "month", "year", "estimated", "unknown"]
QuoteForm = Literal["speech", "chant", "fragment"]
Verdict = Literal["single-source", "corroborated", "consistent", "divergent", "conflicting"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- input: fixture and claims files


class SourceIn(_In):
    name: str = Field(min_length=1)
    kind: SourceKind
    aliases: list[str] = []
    description: str | None = None


class PlaceIn(_In):
    """A place from the gazetteer: a country, a region (ISO 3166-2) or a city (GeoNames), with coordinates."""

    key: str = Field(min_length=2, description="ISO 3166 code (country, region) or geo:<GeoNames id> (city)")
    name: str = Field(min_length=1)
    kind: Literal["country", "region", "city"]
    country: str = Field(min_length=2, max_length=2)
    lat: float | None = None
    lon: float | None = None


class IncidentIn(_In):
    """What a document says an incident is, for figures no catalogued event covers (set by the extractor): its
    kinds (incident words grouped in the lexicon), countries and places, and its time."""

    kinds: list[str] = Field(min_length=1, description="incident kinds from the lexicon, the dominant first")
    countries: list[str] = []
    places: list[PlaceIn] = []
    start: dt.date | None = None
    end: dt.date | None = None
    day: dt.date | None = Field(None, description="the day it happened, where the text says ('on Friday', a date)")
    years: list[int] = Field([], description="for an undated incident, the years its document names")
    months: list[int] = Field([], description="for an undated incident, the months its document names (1-12)")
    words: list[str] = Field([], description="the incident words as written ('quake', 'stampede')")

    def key(self) -> tuple[object, ...]:
        places = tuple(p.key for p in self.places)
        return (tuple(self.kinds), tuple(self.countries), places, self.start, self.end, self.day)


EVENT_STATUSES = ("catalogued", "discovered", "confirmed")


class EventIn(_In):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)
    name: str = Field(min_length=1)
    start: dt.date | None = None
    end: dt.date | None = None
    place: str | None = None
    keywords: list[str] = []
    kinds: list[str] = Field([], description="incident kinds (earthquake, protests, …), for discovery")
    countries: list[str] = Field([], description="ISO 3166-1 alpha-2 codes of the countries where it happened")

    @field_validator("countries")
    @classmethod
    def _known_countries(cls, codes: list[str]) -> list[str]:
        import pycountry

        for code in codes:
            if pycountry.countries.get(alpha_2=code) is None:
                raise ValueError(f"{code!r} is no ISO 3166-1 alpha-2 country code (MA, TR, …)")
        return codes

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, kinds: list[str]) -> list[str]:
        from app.extract.lexicon import INCIDENT_KINDS

        unknown = [k for k in kinds if k not in INCIDENT_KINDS]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is no incident kind: choose from {', '.join(INCIDENT_KINDS)}")
        return kinds

    @model_validator(mode="after")
    def _dates_ordered(self) -> EventIn:
        if self.start and self.end and self.start > self.end:
            raise ValueError("start is after end")
        return self


class AttributionIn(_In):
    role: Role
    source: str = Field(min_length=1, max_length=NAME_TEXT, description="the source's name or any alias")
    source_kind: SourceKind | None = Field(None, description="kind for a source not yet known")
    cue: str | None = Field(None, max_length=SHORT_TEXT, description="the words that name the source")
    cue_start: int | None = Field(None, ge=0)
    cue_end: int | None = Field(None, ge=0)
    title: str | None = Field(None, description="the role or title the document gives the source")

    @model_validator(mode="after")
    def _cue_span(self) -> AttributionIn:
        if (self.cue_start is None) != (self.cue_end is None):
            raise ValueError("cue_start and cue_end go together")
        if self.cue_start is not None and self.cue_end is not None and self.cue_start > self.cue_end:
            raise ValueError("cue_start is after cue_end")
        return self


Confidence = Annotated[
    float | None,
    Field(
        ge=0,
        le=1,
        description="for an extracted figure, how often the rules that made it (kind, asserter) were right on the "
        "development corpus; none for a curated or quoted claim",
    ),
]


class ClaimIn(_In):
    kind: ClaimKind
    text: str = Field(min_length=1, description="the exact span: document_text[start:end]")
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    low: int | None = Field(None, ge=0, le=MAX_COUNT)
    high: int | None = Field(None, ge=0, le=MAX_COUNT)
    qualifier: str | None = Field(None, max_length=LABEL_TEXT)
    unit: str | None = Field(None, max_length=LABEL_TEXT)
    subgroup: str | None = Field(None, max_length=SHORT_TEXT)
    quote_form: QuoteForm | None = None
    event: str | None = None
    asserted_on: dt.date | None = None
    attributions: list[AttributionIn] = []
    proposed_event: EventIn | None = Field(
        None, description="a new catalogue event for `event`, defined by a curated claims file"
    )
    incident: IncidentIn | None = Field(
        None, description="what the text says the incident is, when no catalogued event covers it (extractor)"
    )
    explanation: dict[str, dict[str, Any]] | None = Field(
        None, description="which rule decided each field (kind, interval, asserter, conduit, event), with its cue"
    )
    confidence: Confidence = None

    @model_validator(mode="after")
    def _consistent(self) -> ClaimIn:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"span {self.start}:{self.end} has length {self.end - self.start}, text has {len(self.text)}"
            )
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        if self.kind == "quote":
            if self.low is not None or self.high is not None:
                raise ValueError("a quote has no bounds")
        elif self.low is None and self.high is None:
            raise ValueError("a figure needs a low or a high bound")
        elif self.quote_form is not None:
            raise ValueError("quote_form is only for quotes")
        if sum(a.role == "asserter" for a in self.attributions) > 1:
            raise ValueError("a claim has at most one asserter")
        return self


class ClaimsFile(_In):
    document: str = Field(min_length=1, description="the document's origin file name")
    claims: list[ClaimIn]


class ManifestEntry(_In):
    file: str = Field(min_length=1)
    publisher: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_precision: Precision = "unknown"
    published_note: str | None = Field(None, description="how an estimated date was estimated")
    claims: str | None = Field(None, description="the curated claims file, relative to the fixtures folder")

    @model_validator(mode="after")
    def _date_precision(self) -> ManifestEntry:
        if (self.published is None) != (self.published_precision == "unknown"):
            raise ValueError("published and published_precision disagree: a date needs a precision other than unknown")
        return self


class Manifest(_In):
    documents: list[ManifestEntry]


class SourceCatalogue(_In):
    sources: list[SourceIn]


class EventCatalogue(_In):
    events: list[EventIn]


M = TypeVar("M", bound=BaseModel)


def load_json_file(path: Path, model: type[M]) -> M:
    """Read and validate a JSON file; any problem becomes one FixtureError naming the file, field and reason."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FixtureError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise FixtureError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise FixtureError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FixtureError(f"{path}: line {exc.lineno}: invalid JSON: {exc.msg}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise FixtureError(f"{path}: {where}: {err['msg']}{more}") from None


# ---------------------------------------------------------------- output: the JSON contract


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ClaimOut(_Out):
    id: int | None
    kind: str
    low: int | None
    high: int | None
    qualifier: str | None
    unit: str | None = None
    subgroup: str | None = None
    quote_form: str | None = None
    text: str
    start: int
    end: int
    sentence: str
    sentence_start: int | None = None
    event: str | None
    event_status: str | None = Field(None, description="catalogued, discovered (by claimdb) or confirmed")
    attributed_to: str | None
    asserter_kind: str | None = None
    conduit: str | None
    cue: str | None = None
    publisher: str | None = None
    document: str | None
    document_id: int | None = None
    published: dt.date | None = None
    published_precision: str | None = None
    status: str
    origin: str | None = None
    explanation: dict[str, dict[str, Any]] | None = Field(
        None, description="extracted claims: which rule decided each field, with the cue words and their span"
    )
    confidence: Confidence = None
    version: int | None = Field(
        None,
        description="a stored claim's version, raised by one on every review change: a change sent with the version "
        "it was made against is refused when the claim has changed since",
    )
    incident: str | None = Field(
        None,
        description="`claimdb extract` only: for a claim no catalogued event covers, the discovered event (slug) it "
        "would join or found once added",
    )


class SourceOut(_Out):
    id: int
    name: str
    kind: str
    aliases: list[str]
    description: str | None
    documents: int
    claims: int
    reliability: float | None = Field(
        None, description="track record, 0-1 (see 'claimdb estimate'); None without evidence"
    )
    evidence: int = Field(0, description="groups in which its figures met another independent origin's")


class DocumentOut(_Out):
    id: int
    origin: str
    publisher: str | None
    title: str | None
    url: str | None
    published: dt.date | None
    published_precision: str
    sha256: str
    characters: int
    claims: int


class EventOut(_Out):
    id: int
    slug: str
    name: str
    start: dt.date | None
    end: dt.date | None
    place: str | None
    keywords: list[str]
    kinds: list[str] = []
    countries: list[str] = []
    places: list[str] = []
    status: str
    claims: int


class Revision(BaseModel):
    """A later figure from the same asserter: an update, not a contradiction."""

    asserter: str
    before: str
    after: str
    before_claim: int | None
    after_claim: int | None
    before_date: dt.date | None
    after_date: dt.date | None
    label: str  # "208 → 304"


class EstimateOrigin(BaseModel):
    """One independent origin's say in an estimate: its latest figure and the weight it carries."""

    origin: str = Field(description="'asserter:NAME' (a named asserter) or 'family:ID' (a copy family's own voice)")
    source: str | None = Field(description="whose track record weighs it: the asserter, else the publisher")
    claim_id: int | None
    text: str
    low: int | None
    high: int | None
    value: float = Field(description="the figure's best estimate: a closed interval's midpoint, an open one's bound")
    reliability: float = Field(description="the source's track record (1.0: no evidence, or the best record)")
    confidence: float = Field(description="confirmed or curated 1.0, else the extractor's confidence")
    weight: float = Field(description="reliability x confidence")


class Estimate(BaseModel):
    """What is most likely true for one group: low, best and high from independent origins only."""

    low: int | None
    best: int | None
    high: int | None
    high_open: bool = Field(description="the highest origin gives only a lower bound ('more than 8,000')")
    origins: list[EstimateOrigin]
    corroborated: bool = Field(
        description="two independent origins agree closely (best estimates within 25%), the two-source rule"
    )
    rule: str


class SourceRecord(BaseModel):
    """A source's track record: how closely its figures agree with the truth discovered from independent others."""

    source: str
    reliability: float = Field(
        description="0-1: CRH weight relative to the most reliable source, shrunk towards 1.0 where evidence is thin"
    )
    evidence: int = Field(description="groups in which the source's figure was compared with another origin's")
    mean_error: float | None = Field(
        description="mean distance of its figures from the discovered truth, in orders of magnitude (log10)"
    )


class GroupOut(BaseModel):
    event: str | None
    event_name: str | None = None
    event_status: str | None = Field(None, description="catalogued, discovered (by claimdb) or confirmed")
    kind: str
    subgroup: str | None
    unit: str | None
    verdict: Verdict
    explanation: str
    documents: int
    independent_sources: int
    figures: list[ClaimOut]
    revisions: list[Revision] = []
    copy_families: list[list[str]] = []
    estimate: Estimate | None = None


class IngestResult(BaseModel):
    origin: str
    document_id: int | None
    added: bool
    claims: int = 0
    claim_ids: list[int] = Field([], description="ids of the claims added with the document")
    message: str = ""
    events: list[str] = Field([], description="slugs of the events the document's claims are linked to")
    founded: list[str] = Field([], description="slugs of the events this document founded (discovered)")
    without_event: int = Field(0, description="figures about no recognisable incident: they have no event")
    dropped: list[str] = Field([], description="claims the extractor found but could not state validly: not added")
