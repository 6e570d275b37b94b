"""Scoring the extractor against hand-curated claims: the fixtures' claims files and the golden cases.

- figures: precision, recall and F1; a predicted figure is right when its span overlaps a gold figure of the same
  kind with the same interval (low and high);
- quotes: precision, recall and F1; spans match when they overlap by at least half of their union;
- attribution accuracy: over figures and quotes whose spans match, the share whose asserter is the gold asserter
  (no asserter — the document's own voice — must also match);
- speaker accuracy: the same over quotes alone.

Names are compared through the alias catalogue (fixtures/sources.json), then loosely (token-set ratio ≥ 90), so
"Samsami" is "Soona Samsami" and "the interior ministry" is "interior ministry".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from rapidfuzz import fuzz

from app.errors import FixtureError
from app.extract.lexicon import PEOPLE_NOUNS, SUBGROUP_NOUNS, words
from app.extract.pipeline import extract_claims
from app.schemas import ClaimIn, EventIn, SourceCatalogue, load_json_file
from app.settings import FIXTURES_DIR
from app.sources import normalise_name


@dataclass(frozen=True)
class Gold:
    kind: str
    start: int
    end: int
    low: int | None
    high: int | None
    asserter: str | None
    conduit: str | None = None
    asserted_on: dt.date | None = None
    annotated: frozenset[str] = frozenset()  # which optional fields the annotation states ("conduit", "asserted_on")


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    published: dt.date | None
    gold: list[Gold]
    people_only: bool = False
    """Annotated for figures that count people only (the real corpora): a figure the extractor found of things
    ('300 houses', '40 missiles': other_count with a unit that is no people) that no annotation covers is outside
    what these annotations measure, and is neither a hit nor an extra. A casualty kind always counts people."""


class Scores(BaseModel):
    cases: int
    figures_gold: int
    figures_predicted: int
    figures_matched: int
    figure_precision: float
    figure_recall: float
    figure_f1: float
    quotes_gold: int
    quotes_predicted: int
    quotes_matched: int
    quote_precision: float
    quote_recall: float
    quote_f1: float
    attribution_checked: int
    attribution_accuracy: float
    speaker_checked: int
    speaker_accuracy: float
    conduit_checked: int = 0
    conduit_accuracy: float = 1.0
    dated_checked: int = 0
    asserted_on_accuracy: float = 1.0
    misses: list[str]


def _prf(matched: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = matched / predicted if predicted else 1.0
    r = matched / gold if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


class NameMatcher:
    def __init__(self, aliases: dict[str, str]) -> None:
        self.aliases = aliases

    @classmethod
    def from_fixtures(cls, path: Path = FIXTURES_DIR) -> NameMatcher:
        catalogue = load_json_file(path / "sources.json", SourceCatalogue) if (path / "sources.json").exists() else None
        aliases: dict[str, str] = {}
        for source in catalogue.sources if catalogue else []:
            for alias in [source.name, *source.aliases]:
                aliases[normalise_name(alias)] = source.name
        return cls(aliases)

    def in_document(self, text: str) -> NameMatcher:
        """This matcher, plus the acronyms `text` defines ('… Humanitarian Affairs (OCHA)'): within that text the
        acronym and the name it stands for are one source."""
        from app.extract.attribute import acronyms

        defined = acronyms(text)
        if not defined:
            return self
        aliases = dict(self.aliases)
        for short, full in defined.items():
            aliases[normalise_name(short)] = self.canonical(full) or full
        return NameMatcher(aliases)

    def canonical(self, name: str | None) -> str | None:
        if name is None:
            return None
        key = normalise_name(name)
        return self.aliases.get(key, key)

    def same(self, a: str | None, b: str | None) -> bool:
        if a is None or b is None:
            return a is None and b is None
        ca, cb = self.canonical(a), self.canonical(b)
        assert ca is not None and cb is not None
        if ca == cb or fuzz.token_set_ratio(normalise_name(ca), normalise_name(cb)) >= 90:
            return True
        return _honorific_surname(ca, cb) or _honorific_surname(cb, ca)


def _honorific_surname(short: str, full: str) -> bool:
    """'Mr. Ban' and 'Ban Ki-moon', 'Ms. Barcena' and 'Alicia Barcena': an honorific and a word of the full name."""
    parts, full_words = normalise_name(short).split(), normalise_name(full).split()
    return len(parts) == 2 and parts[0] in _HONORIFICS and len(full_words) >= 2 and parts[1] in full_words


_HONORIFICS = words("evaluate.honorifics")


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """How many characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _asserter(claim: ClaimIn) -> str | None:
    return next((a.source for a in claim.attributions if a.role == "asserter"), None)


def _conduit(claim: ClaimIn) -> str | None:
    return next((a.source for a in claim.attributions if a.role == "conduit"), None)


_PEOPLE_UNITS = frozenset({"people", *PEOPLE_NOUNS, *SUBGROUP_NOUNS})


def _counts_people(claim: ClaimIn) -> bool:
    """Whether an extracted figure counts people: a casualty kind, or a count whose unit is people, persons of a
    kind ('migrants', 'families') or of a nationality ('Americans')."""
    if claim.kind != "other_count" or claim.unit is None or claim.unit.lower() in _PEOPLE_UNITS:
        return True
    from app.extract.figures import is_nationality

    return is_nationality(claim.unit)


def score(cases: Iterable[Case], *, catalogue: list[EventIn] | None = None, matcher: NameMatcher) -> Scores:
    fig_gold = fig_pred = fig_match = 0
    q_gold = q_pred = q_match = 0
    attr_total = attr_right = spk_total = spk_right = 0
    via_total = via_right = on_total = on_right = 0

    def check_optional(case: Case, g: Gold, got: ClaimIn) -> None:
        nonlocal via_total, via_right, on_total, on_right
        shown = case.text[g.start : g.end][:40]
        if "conduit" in g.annotated:
            via_total += 1
            if matcher.same(_conduit(got), g.conduit):
                via_right += 1
            else:
                misses.append(f"{case.name}: {shown!r} conduit {_conduit(got)!r}, gold {g.conduit!r}")
        if "asserted_on" in g.annotated:
            on_total += 1
            if got.asserted_on == g.asserted_on:
                on_right += 1
            else:
                misses.append(f"{case.name}: {shown!r} asserted on {got.asserted_on}, gold {g.asserted_on}")

    misses: list[str] = []
    n = 0
    base = matcher
    for case in cases:
        n += 1
        matcher = base.in_document(case.text)  # an acronym the text defines names the same source as its expansion
        predicted = extract_claims(case.text, published=case.published, catalogue=catalogue).claims
        figures_p = [c for c in predicted if c.kind != "quote"]
        quotes_p = [c for c in predicted if c.kind == "quote"]
        figures_g = [g for g in case.gold if g.kind != "quote"]
        if case.people_only:
            figures_p = [
                p
                for p in figures_p
                if _counts_people(p) or any(overlap((p.start, p.end), (g.start, g.end)) for g in figures_g)
            ]
        quotes_g = [g for g in case.gold if g.kind == "quote"]
        fig_gold, fig_pred, q_gold, q_pred = (
            fig_gold + len(figures_g),
            fig_pred + len(figures_p),
            q_gold + len(quotes_g),
            q_pred + len(quotes_p),
        )
        used: set[int] = set()
        for g in figures_g:
            exact = next(
                (
                    i
                    for i, p in enumerate(figures_p)
                    if i not in used
                    and overlap((p.start, p.end), (g.start, g.end))
                    and p.kind == g.kind
                    and p.low == g.low
                    and p.high == g.high
                ),
                None,
            )
            overlapping = (
                exact
                if exact is not None
                else next(
                    (
                        i
                        for i, p in enumerate(figures_p)
                        if i not in used and overlap((p.start, p.end), (g.start, g.end))
                    ),
                    None,
                )
            )
            if exact is not None:
                fig_match += 1
            else:
                got = figures_p[overlapping] if overlapping is not None else None
                misses.append(
                    f"{case.name}: figure {case.text[g.start : g.end]!r} {g.kind} [{g.low}, {g.high}]"
                    + (f" — got {got.kind} [{got.low}, {got.high}]" if got else " — not found")
                )
            if overlapping is not None:
                used.add(overlapping)
                check_optional(case, g, figures_p[overlapping])
                attr_total += 1
                got_asserter = _asserter(figures_p[overlapping])
                if matcher.same(got_asserter, g.asserter):
                    attr_right += 1
                else:
                    shown = case.text[g.start : g.end]
                    misses.append(f"{case.name}: figure {shown!r} asserter {got_asserter!r}, gold {g.asserter!r}")
        for i, p in enumerate(figures_p):
            if i not in used:
                misses.append(f"{case.name}: extra figure {p.text!r} {p.kind} [{p.low}, {p.high}]")
        used_q: set[int] = set()
        for g in quotes_g:
            best = None
            for i, p in enumerate(quotes_p):
                if i in used_q:
                    continue
                inter = overlap((p.start, p.end), (g.start, g.end))
                union = max(p.end, g.end) - min(p.start, g.start)
                if union and inter / union >= 0.5:
                    best = i
                    break
            if best is None:
                misses.append(f"{case.name}: quote {case.text[g.start : g.end][:50]!r} not found")
                continue
            used_q.add(best)
            check_optional(case, g, quotes_p[best])
            q_match += 1
            attr_total += 1
            spk_total += 1
            speaker = _asserter(quotes_p[best])
            if matcher.same(speaker, g.asserter):
                attr_right += 1
                spk_right += 1
            else:
                misses.append(
                    f"{case.name}: quote {case.text[g.start : g.end][:40]!r} speaker {speaker!r}, gold {g.asserter!r}"
                )
        for i, p in enumerate(quotes_p):
            if i not in used_q:
                misses.append(f"{case.name}: extra quote {p.text[:50]!r}")
    fp, fr, ff = _prf(fig_match, fig_pred, fig_gold)
    qp, qr, qf = _prf(q_match, q_pred, q_gold)
    return Scores(
        cases=n,
        figures_gold=fig_gold,
        figures_predicted=fig_pred,
        figures_matched=fig_match,
        figure_precision=fp,
        figure_recall=fr,
        figure_f1=ff,
        quotes_gold=q_gold,
        quotes_predicted=q_pred,
        quotes_matched=q_match,
        quote_precision=qp,
        quote_recall=qr,
        quote_f1=qf,
        attribution_checked=attr_total,
        attribution_accuracy=round(attr_right / attr_total, 4) if attr_total else 1.0,
        speaker_checked=spk_total,
        speaker_accuracy=round(spk_right / spk_total, 4) if spk_total else 1.0,
        conduit_checked=via_total,
        conduit_accuracy=round(via_right / via_total, 4) if via_total else 1.0,
        dated_checked=on_total,
        asserted_on_accuracy=round(on_right / on_total, 4) if on_total else 1.0,
        misses=misses,
    )


def fixture_cases(path: Path = FIXTURES_DIR) -> list[Case]:
    """The curated fixtures as evaluation cases."""
    from app.ingest import read_fixtures

    fixtures = read_fixtures(path)
    return [
        Case(
            name=entry.file,
            text=text,
            published=entry.published,
            gold=[
                Gold(
                    c.kind,
                    c.start,
                    c.end,
                    c.low,
                    c.high,
                    _asserter(c),
                    _conduit(c),
                    c.asserted_on,
                    frozenset({"conduit", "asserted_on"}),
                )
                for c in claims
            ],
        )
        for entry, text, claims in fixtures.documents
    ]


def _gold(e: dict[str, Any]) -> Gold:
    """A golden or real annotation; its conduit and date count where it states them."""
    on = e.get("asserted_on")
    return Gold(
        e["kind"],
        e["start"],
        e["end"],
        e.get("low"),
        e.get("high"),
        e.get("attributed_to"),
        e.get("conduit"),
        dt.date.fromisoformat(on) if on else None,
        frozenset(k for k in ("conduit", "asserted_on") if k in e),
    )


def golden_cases(folder: Path) -> list[Case]:
    """Golden cases: JSON files of {"cases": [{name, text, published?, expected: [...]}, ...]}."""
    cases: list[Case] = []
    files = sorted(folder.glob("*.json"))
    if not files:
        raise FixtureError(f"{folder}: no golden case files (*.json)")
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            for raw in data["cases"]:
                published = dt.date.fromisoformat(raw["published"]) if raw.get("published") else None
                gold = [_gold(e) for e in raw["expected"]]
                cases.append(Case(name=f"{file.stem}/{raw['name']}", text=raw["text"], published=published, gold=gold))
        except (KeyError, ValueError, TypeError) as exc:
            raise FixtureError(f"{file}: malformed golden case file: {exc}") from None
    return cases


# ---------------------------------------------------------------- the real-text corpus and event grouping


@dataclass(frozen=True)
class RealDocument:
    """One real article of a corpus folder: `<incident>/<NN_outlet>.txt` with its annotations in `.json`."""

    name: str
    text: str
    published: dt.date | None
    outlet: str | None
    case: Case
    incidents: list[str | None]  # the annotated incident of each gold claim, aligned with case.gold


def real_corpus(folder: Path) -> list[RealDocument]:
    """Every annotated article under `folder` (one sub-folder per incident), in a stable order."""
    docs: list[RealDocument] = []
    files = sorted(folder.glob("*/*.json"))
    if not files:
        raise FixtureError(f"{folder}: no annotated articles (<incident>/<name>.json beside <name>.txt)")
    for meta_path in files:
        text_path = meta_path.with_suffix(".txt")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            text = text_path.read_text(encoding="utf-8")
            published = dt.date.fromisoformat(meta["published"]) if meta.get("published") else None
            gold, incidents = [], []
            for i, e in enumerate(meta["expected"]):
                if text[e["start"] : e["end"]] != e["text"]:
                    raise ValueError(f"expected.{i}.text {e['text']!r} is not at {e['start']}:{e['end']}")
                gold.append(_gold(e))
                incidents.append(e.get("incident"))
        except FileNotFoundError as exc:
            raise FixtureError(f"{meta_path}: {exc.filename} is missing") from None
        except (KeyError, ValueError, TypeError) as exc:
            raise FixtureError(f"{meta_path}: malformed annotation: {exc}") from None
        name = f"{meta_path.parent.name}/{meta_path.stem}"
        case = Case(name=name, text=text, published=published, gold=gold, people_only=True)
        docs.append(RealDocument(name, text, published, meta.get("outlet"), case, incidents))
    return docs


class GroupingScores(BaseModel):
    """Pairwise event grouping over the gold figures the extractor found: two figures should share a predicted
    event exactly when they share an annotated incident. Documents are added in several shuffled orders (reports
    do not arrive in order, and discovery depends on what came first); P, R and F1 are the means over the orders,
    `f1_min` the worst."""

    dates: str  # "given" or "withheld"
    orders: int
    documents: int
    figures: int
    precision: float
    recall: float
    f1: float
    f1_min: float
    cross_document_f1: float
    without_event: int  # figures about an annotated incident that got no event (in the first order)
    events: float  # predicted events, mean over the orders
    incidents: int


GROUPING_ORDERS = (1, 2, 3, 4, 5)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _pair_scores(rows: list[tuple[str, str | None, str | None]]) -> tuple[int, int, int]:
    """(gold pairs, predicted pairs, right pairs) over (document, gold incident, predicted event) rows."""
    from collections import Counter

    gold = Counter(g for _, g, _ in rows if g is not None)
    pred = Counter(p for _, _, p in rows if p is not None)
    both = Counter((g, p) for _, g, p in rows if g is not None and p is not None)
    return sum(map(_pairs, gold.values())), sum(map(_pairs, pred.values())), sum(map(_pairs, both.values()))


def score_grouping(
    documents: list[RealDocument],
    *,
    dates: bool,
    fixtures: Path = FIXTURES_DIR,
    orders: tuple[int, ...] = GROUPING_ORDERS,
) -> GroupingScores:
    """Add the documents, in each of the shuffled orders `orders` (random seeds), to a fresh SQLite database holding
    only the event catalogue, as `claimdb add` does, with or without their publication dates, and score the events
    their figures get."""
    from statistics import mean

    runs = [_group_once(documents, dates=dates, fixtures=fixtures, seed=seed) for seed in orders]
    scored = []
    for rows in runs:
        gold_pairs, pred_pairs, right = _pair_scores(rows)
        within = [_pair_scores([row for row in rows if row[0] == name]) for name in {row[0] for row in rows}]
        cross = tuple(total - sum(w[i] for w in within) for i, total in enumerate((gold_pairs, pred_pairs, right)))
        scored.append((_prf(right, pred_pairs, gold_pairs), _prf(cross[2], cross[1], cross[0])))
    first = runs[0]
    return GroupingScores(
        dates="given" if dates else "withheld",
        orders=len(orders),
        documents=len(documents),
        figures=len(first),
        precision=round(mean(s[0][0] for s in scored), 4),
        recall=round(mean(s[0][1] for s in scored), 4),
        f1=round(mean(s[0][2] for s in scored), 4),
        f1_min=min(s[0][2] for s in scored),
        cross_document_f1=round(mean(s[1][2] for s in scored), 4),
        without_event=sum(1 for _, g, e in first if g is not None and e is None),
        events=round(mean(len({e for _, _, e in rows if e is not None}) for rows in runs), 1),
        incidents=len({g for _, g, _ in first if g is not None}),
    )


def _group_once(
    documents: list[RealDocument], *, dates: bool, fixtures: Path, seed: int
) -> list[tuple[str, str | None, str | None]]:
    """(document, annotated incident, predicted event) for every gold figure found, adding the documents in the
    order `seed` shuffles them into."""
    import functools
    import random
    import tempfile

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from app.db import make_engine, upgrade
    from app.events import catalogue as db_catalogue
    from app.events import load_events
    from app.ingest import DocumentIn, add_document
    from app.models import Claim, Event
    from app.schemas import EventCatalogue

    order = list(documents)
    random.Random(seed).shuffle(order)
    rows: list[tuple[str, str | None, str | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/grouping.sqlite")
        upgrade(engine)
        with Session(engine) as session:
            events_file = fixtures / "events.json"
            if events_file.exists():
                load_events(session, list(load_json_file(events_file, EventCatalogue).events))
                session.commit()
            extractor = functools.partial(extract_claims, catalogue=db_catalogue(session))
            for doc in order:
                result = add_document(
                    session,
                    document=DocumentIn(
                        text=doc.text,
                        origin=doc.name,
                        published=doc.published if dates else None,
                        precision="day" if dates and doc.published else "unknown",
                    ),
                    extractor=extractor,
                )
                predicted = session.execute(
                    select(Claim.start, Claim.end, Claim.kind, Event.slug)
                    .outerjoin(Event, Event.id == Claim.event_id)
                    .where(Claim.document_id == result.document_id, Claim.kind != "quote")
                ).all()
                used: set[int] = set()
                for gold, incident in zip(doc.case.gold, doc.incidents, strict=True):
                    if gold.kind == "quote":
                        continue
                    hit = next(
                        (
                            i
                            for i, p in enumerate(predicted)
                            if i not in used and overlap((p.start, p.end), (gold.start, gold.end))
                        ),
                        None,
                    )
                    if hit is None:
                        continue
                    used.add(hit)
                    rows.append((doc.name, incident, predicted[hit].slug))
        engine.dispose()
    return rows
