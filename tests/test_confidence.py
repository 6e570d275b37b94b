"""Each extracted figure carries a confidence from the rules that made it; review lists the least confident first,
and --min-confidence leaves weak figures out of compare, report and who-says (curated ones always count)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli.main import app
from app.extract.pipeline import confidence, extract_claims

TEXT = (
    "Floods in the valley have killed at least 40 people, the health ministry said on Monday.\n\n"
    "About 25 others were missing. Officials said 300 homes were destroyed.\n\n"
    "“We lost everything,” said Amina Noor, a farmer.\n"
)


def _json(runner: CliRunner, *args: str) -> list[dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_confidence_comes_from_the_rules_that_decided() -> None:
    claims = extract_claims(TEXT).claims
    figures = [c for c in claims if c.kind != "quote"]
    assert figures and all(c.confidence is not None and 0 < c.confidence <= 1 for c in figures)
    assert all(c.confidence is None for c in claims if c.kind == "quote")
    for c in figures:
        assert c.explanation is not None
        assert c.confidence == confidence(c.explanation)
    # a rule measured as rarely right gives less confidence than one measured as mostly right
    sure = {"kind": {"rule": "cue-after"}, "asserter": {"rule": "according-to"}}
    weak = {"kind": {"rule": "counted-noun"}, "asserter": {"rule": "hedged-passive"}}
    assert confidence(weak) < confidence(sure)
    # a rule never measured counts at its field's overall rate, not as certain
    unknown = {"kind": {"rule": "a rule nobody measured"}, "asserter": {"rule": "speech-verb"}}
    assert confidence(unknown) < 1


def test_review_lists_the_least_confident_first_and_min_confidence_filters(
    empty_db: str, runner: CliRunner, tmp_path: Path
) -> None:
    doc = tmp_path / "floods.txt"
    doc.write_text(TEXT, encoding="utf-8")
    added = runner.invoke(app, ["add", str(doc), "--db", empty_db])
    assert added.exit_code == 0, added.stderr
    queue = _json(runner, "review", "--db", empty_db)
    scores = [c["confidence"] for c in queue if c["kind"] != "quote"]
    assert len(scores) >= 2 and scores == sorted(scores)
    assert queue[-1]["kind"] == "quote"  # no confidence: after every figure
    # who-says: the 40 is found, and dropped once the bar is above its confidence
    (forty,) = [c for c in _json(runner, "who-says", "40", "--db", empty_db) if c["text"] == "at least 40"]
    above = f"{min(1.0, forty['confidence'] + 0.001):.3f}"
    assert [c for c in _json(runner, "who-says", "40", "--min-confidence", above, "--db", empty_db)] == []
    kept = _json(runner, "who-says", "40", "--min-confidence", f"{forty['confidence']:.3f}", "--db", empty_db)
    assert [c["text"] for c in kept] == ["at least 40"]
    # confirmed by a reviewer, it counts whatever its confidence
    assert runner.invoke(app, ["claim", "confirm", str(forty["id"]), "--db", empty_db]).exit_code == 0
    assert [c["text"] for c in _json(runner, "who-says", "40", "--min-confidence", "1", "--db", empty_db)] == [
        "at least 40"
    ]
    bad = runner.invoke(app, ["compare", "--min-confidence", "2", "--db", empty_db])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_report_and_compare_accept_min_confidence(loaded_db: str, runner: CliRunner) -> None:
    everything = _json(runner, "compare", "--all", "--db", loaded_db)
    strict = _json(runner, "compare", "--all", "--min-confidence", "1", "--db", loaded_db)
    # the fixtures' claims are curated: they always count
    assert [g["figures"] for g in strict] == [g["figures"] for g in everything]
    result = runner.invoke(app, ["report", "--format", "json", "--min-confidence", "0.5", "--db", loaded_db])
    assert result.exit_code == 0, result.stderr
