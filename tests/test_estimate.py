"""Estimates and track records, on constructed cases whose answer is known: a best figure from independent origins
only, sources weighed by how often they agree with independent others (CRH), copies that cannot vote twice,
`--as-of`, and who-says finding the number as written."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from app.compare import Comparison
from app.estimate import TrackRecords, discover, estimate_group
from app.schemas import ClaimOut, SourceRecord


def _figure(i: int, low: int | None, high: int | None, *, asserter: str, doc: int, **fields: object) -> ClaimOut:
    return ClaimOut(
        id=i,
        kind="death_toll",
        low=low,
        high=high,
        qualifier=None,
        text=str(low if low is not None else high),
        start=0,
        end=1,
        sentence="",
        event="e",
        attributed_to=asserter,
        asserter_kind="organisation",
        conduit=None,
        document=f"d{doc}",
        document_id=doc,
        status=str(fields.pop("status", "curated")),
        **fields,  # type: ignore[arg-type]
    )


def _comparison(figures: list[ClaimOut]) -> Comparison:
    keys = [f"asserter:{c.attributed_to}" for c in figures]
    index = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    return Comparison("e", "death_toll", "", "people", figures, figures, [index[k] for k in keys], keys, [])


def test_an_outlier_source_gets_the_lowest_track_record() -> None:
    """Three sources agree within a few percent on ten incidents; a fourth always says ten times more."""
    rng = random.Random(3)
    groups = []
    for _ in range(10):
        truth = rng.randint(20, 2000)
        groups.append(
            [
                ("agency", truth),
                ("ministry", round(truth * 1.03)),
                ("red cross", round(truth * 0.97)),
                ("blog", truth * 10),
            ]
        )
    records = discover(groups)
    assert min(records.values(), key=lambda r: r.reliability).source == "blog"
    assert (
        records["blog"].reliability
        < 0.3
        < 0.7
        < min(records[s].reliability for s in ("agency", "ministry", "red cross"))
    )
    assert {r.evidence for r in records.values()} == {10}
    assert max(r.reliability for r in records.values()) == 1.0
    # deterministic, whatever the order the groups and their sources come in
    shuffled = [sorted(g, key=lambda _: rng.random()) for g in reversed(groups)]
    assert discover(shuffled) == records


def test_single_source_groups_are_no_evidence() -> None:
    assert discover([[("agency", 10)], [("agency", 12), ("agency", 13)]]) == TrackRecords()


def test_the_estimate_follows_the_reliable_sources() -> None:
    records = TrackRecords(
        {
            "agency": SourceRecord(source="agency", reliability=1.0, evidence=5, mean_error=0.01),
            "ministry": SourceRecord(source="ministry", reliability=0.9, evidence=5, mean_error=0.02),
            "blog": SourceRecord(source="blog", reliability=0.05, evidence=5, mean_error=1.0),
        }
    )
    comp = _comparison(
        [
            _figure(1, 100, 100, asserter="agency", doc=1),
            _figure(2, 110, 110, asserter="ministry", doc=2),
            _figure(3, 1000, 1000, asserter="blog", doc=3),
        ]
    )
    e = estimate_group(comp, records)
    assert e is not None
    assert (e.low, e.best, e.high, e.high_open, e.corroborated) == (100, 100, 1000, False, True)
    assert [o.weight for o in e.origins] == [1.0, 0.05, 0.9]  # sorted by origin: agency, blog, ministry


def test_open_bounds_and_the_interval_every_origin_allows() -> None:
    """'dozens' (24 or more) and 'more than 50': the best lies where both hold, the top is open."""
    comp = _comparison(
        [_figure(1, 24, None, asserter="witnesses", doc=1), _figure(2, 51, None, asserter="monitor", doc=2)]
    )
    e = estimate_group(comp, TrackRecords())
    assert e is not None
    assert (e.low, e.best, e.high, e.high_open, e.corroborated) == (24, 51, 51, True, False)


def test_one_origin_one_say_its_latest_figure() -> None:
    """An asserter's two figures are one origin, represented by its latest."""
    import datetime as dt

    comp = _comparison(
        [
            _figure(1, 80, 80, asserter="ministry", doc=1, published=dt.date(2024, 1, 2)),
            _figure(2, 95, 95, asserter="ministry", doc=2, published=dt.date(2024, 1, 5)),
        ]
    )
    e = estimate_group(comp, TrackRecords())
    assert e is not None and [o.claim_id for o in e.origins] == [2] and e.best == 95


INCIDENTS = [("floods in Lagos", 120), ("a landslide in Kandy", 40), ("a ferry sinking off Cebu", 61)]
OUTLETS = ["Northern Star", "Evening Bugle", "Harbour Gazette", "Valley Herald", "Coastal Courier"]


def _add(runner: CliRunner, db: str, path: Path, text: str, publisher: str, published: str) -> None:
    path.write_text(text)
    result = runner.invoke(app, ["add", str(path), "--publisher", publisher, "--published", published, "--db", db])
    assert result.exit_code == 0, result.stderr


@pytest.fixture
def incidents_db(empty_db: str, runner: CliRunner, tmp_path: Path) -> str:
    """Three incidents; for each, the Red Cross and the coast guard agree, and a claim ten times higher is copied
    by five outlets (one copy family per incident)."""
    for n, (incident, toll) in enumerate(INCIDENTS):
        _add(
            runner, empty_db, tmp_path / f"{n}a.txt",
            f"The Red Cross said {toll} people were killed in {incident} on Monday, and rescue teams were still "
            "searching the area for survivors.\n", "Daily Mail of Record", "2024-03-04",
        )  # fmt: skip
        _add(
            runner, empty_db, tmp_path / f"{n}b.txt",
            f"The coast guard said on Tuesday that {toll} people had died in {incident}, as families gathered at the "
            "morgue to identify the dead.\n", "Morning Ledger", "2024-03-05",
        )  # fmt: skip
        for k, outlet in enumerate(OUTLETS):
            _add(
                runner, empty_db, tmp_path / f"{n}copy{k}.txt",
                f"From the {outlet} desk.\n\nA blogger claimed {toll * 10} people were killed in {incident} on Monday, "
                "and that the government was hiding the real toll from the public and the press.\n",
                outlet, "2024-03-06",
            )  # fmt: skip
    return empty_db


def _json(runner: CliRunner, *args: str) -> list[dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_copies_vote_once_and_the_estimate_follows_independent_agreement(incidents_db: str, runner: CliRunner) -> None:
    found = _json(runner, "estimate", "--kind", "death_toll", "--db", incidents_db)
    assert sorted(e["best"] for e in found) == sorted(toll for _, toll in INCIDENTS)
    for e in found:
        assert len(e["origins"]) == 3  # the Red Cross, the coast guard, and the copied claim once
        assert e["corroborated"] and e["high"] == 10 * e["best"]
        assert "weighted median" in e["rule"]
    records = {s["name"]: s for s in _json(runner, "sources", "--db", incidents_db)}
    copied = [records[o] for o in OUTLETS if records[o]["evidence"]]
    assert len(copied) == 1 and copied[0]["evidence"] == 3  # the family is one voice, counted once an incident
    agreeing = [s["reliability"] for name, s in records.items() if s["evidence"] and name not in OUTLETS]
    assert len(agreeing) == 2 and copied[0]["reliability"] < 0.6 < 0.9 < min(agreeing)


def test_as_of_keeps_what_had_been_published(incidents_db: str, runner: CliRunner) -> None:
    early = _json(runner, "estimate", "--kind", "death_toll", "--as-of", "2024-03-04", "--db", incidents_db)
    assert all(len(e["origins"]) == 1 for e in early)
    month = _json(runner, "compare", "--as-of", "2024-03", "--db", incidents_db)
    assert {g["independent_sources"] for g in month} == {3}
    report = runner.invoke(app, ["report", "--format", "json", "--as-of", "2024-03-04", "--db", incidents_db])
    assert report.exit_code == 0, report.stderr
    assert {g["independent_sources"] for g in json.loads(report.stdout)["groups"]} == {1}
    said = _json(runner, "who-says", "400", "--as-of", "2024-03-05", "--db", incidents_db)
    assert said == []
    bad = runner.invoke(app, ["compare", "--as-of", "March", "--db", incidents_db])
    assert bad.exit_code == 1 and bad.stderr == "error: --as-of 'March': a date such as 2019-11-30, 2019-11 or 2019\n"


def test_who_says_finds_the_number_as_written(loaded_db: str, runner: CliRunner) -> None:
    """'more than 8,000' is the interval 8,001 and up, and says 8,000."""
    texts = [c["text"] for c in _json(runner, "who-says", "8000", "--db", loaded_db)]
    assert "more than 8,000" in texts
    assert "more than 8,000" in [c["text"] for c in _json(runner, "who-says", "8001", "--db", loaded_db)]
    assert "more than 8,000" not in [c["text"] for c in _json(runner, "who-says", "7999", "--db", loaded_db)]


def test_track_records_are_stored_and_rebuilt_when_the_claims_change(
    incidents_db: str, runner: CliRunner, db_session, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The whole database's records are computed once and read back until a claim, a review, a copy link or a
    source changes; a query about one event then costs no rediscovery."""
    import app.estimate as estimate

    with db_session(incidents_db) as session:
        first = estimate.track_records(session)
    calls: list[int] = []
    real = estimate._light_evidence

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(estimate, "_light_evidence", counted)
    with db_session(incidents_db) as session:
        assert estimate.track_records(session) == first
    assert calls == []  # read back
    (toll,) = [c for c in _json(runner, "claims", "--kind", "death_toll", "--db", incidents_db) if c["low"] == 1200][:1]
    rejected = runner.invoke(app, ["claim", "reject", str(toll["id"]), "--db", incidents_db])
    assert rejected.exit_code == 0, rejected.stderr
    with db_session(incidents_db) as session:
        estimate.track_records(session)
    assert calls == [1]  # a review changed the claims: rebuilt
