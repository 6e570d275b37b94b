"""ClaimReview JSON-LD and the one-sentence explanations of flagged discrepancies."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from app.cli.main import app


def test_claimreview_one_per_flagged_figure(loaded_db: str, runner: CliRunner) -> None:
    reviews = json.loads(runner.invoke(app, ["report", "--format", "claimreview", "--db", loaded_db]).stdout)
    report = json.loads(runner.invoke(app, ["report", "--format", "json", "--db", loaded_db]).stdout)
    flagged = [
        f
        for g in report["groups"]
        if g["verdict"] in ("conflicting", "divergent", "single-source")
        for f in g["figures"]
    ]
    assert len(reviews) == len(flagged) > 0
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["itemReviewed"]["author"]["name"]
        assert review["itemReviewed"]["appearance"]["@type"] == "CreativeWork"
        assert review["reviewRating"]["alternateName"] in ("conflicting", "divergent", "single-source")
        assert review["reviewRating"]["ratingExplanation"].endswith(".")
    arrests = [
        r for r in reviews if r["about"]["kind"] == "arrest_count" and r["about"]["event"] == "iran-protests-2017-18"
    ]
    assert {r["about"]["figure"] for r in arrests} == {"more than 8,000", "thousands", "more than 1,000"}
    samsami = next(r for r in arrests if r["about"]["figure"] == "thousands")
    assert samsami["itemReviewed"]["author"] == {"@type": "Person", "name": "Soona Samsami"}


def test_every_group_explains_itself_in_one_sentence(loaded_db: str, runner: CliRunner) -> None:
    report = json.loads(runner.invoke(app, ["report", "--format", "json", "--db", loaded_db]).stdout)
    for g in report["groups"]:
        assert g["explanation"].count(". ") == 0 and g["explanation"].endswith("."), g["explanation"]
        assert isinstance(g["independent_sources"], int) and g["independent_sources"] >= 1


def test_who_says_by_asserter_and_publisher(loaded_db: str, runner: CliRunner) -> None:
    found = json.loads(
        runner.invoke(app, ["who-says", "1500", "--publisher", "MEK Iran", "--json", "--db", loaded_db]).stdout
    )
    assert {c["document"][:3] for c in found} == {"001"}
    chants = json.loads(
        runner.invoke(app, ["who-says", "1500", "--asserter", "protesters", "--json", "--db", loaded_db]).stdout
    )
    assert [(c["document"][:3], c["attributed_to"]) for c in chants] == [("001", "protesters"), ("002", "protesters")]
