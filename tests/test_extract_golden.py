"""The extractor against hand-written golden cases (tests/golden/*.json) and the curated seed claims.

Golden cases are data: {name, text, published?, expected: [...], absent: [...]}, written for every pattern the
extractor must handle and for hard negatives. Each expected span satisfies text[start:end] == text."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.extract.evaluate import NameMatcher, fixture_cases, golden_cases, score
from app.extract.pipeline import default_catalogue, extract_claims

GOLDEN = Path(__file__).parent / "golden"
HOLDOUTS = [
    Path(__file__).parent / name
    for name in (
        "golden_holdout",
        "golden_holdout2",
        "golden_holdout3",
        "golden_holdout4",
        "golden_holdout5",
    )
]
FILES = sorted(GOLDEN.glob("*.json"))


def _cases(file: Path) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(file.read_text(encoding="utf-8"))["cases"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.stem)
def test_golden_spans_are_exact(file: Path) -> None:
    for case in _cases(file):
        for expected in case["expected"]:
            assert case["text"][expected["start"] : expected["end"]] == expected["text"], case["name"]


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.stem)
def test_golden_file_scores(file: Path, tmp_path: Path) -> None:
    folder = tmp_path / file.stem
    folder.mkdir()
    (folder / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    result = score(golden_cases(folder), catalogue=default_catalogue(), matcher=NameMatcher.from_fixtures())
    assert result.figure_f1 >= 0.9, result.misses
    assert result.quote_f1 >= 0.9, result.misses
    assert result.attribution_accuracy >= 0.9, result.misses


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.stem)
def test_hard_negatives_are_not_figures(file: Path) -> None:
    for case in _cases(file):
        published = dt.date.fromisoformat(case["published"]) if case.get("published") else None
        found = {c.text for c in extract_claims(case["text"], published=published).claims if c.kind != "quote"}
        expected = {e["text"] for e in case["expected"]}
        for absent in case.get("absent", []):
            assert absent not in found - expected, (case["name"], absent)


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.stem)
def test_golden_quote_forms(file: Path) -> None:
    """A quotation found at its golden span has the golden form: speech, chant or fragment (scare quotes)."""
    for case in _cases(file):
        published = dt.date.fromisoformat(case["published"]) if case.get("published") else None
        found = {
            (c.start, c.end): c.quote_form
            for c in extract_claims(case["text"], published=published).claims
            if c.kind == "quote"
        }
        for e in case["expected"]:
            if e["kind"] == "quote" and e.get("quote_form") and (e["start"], e["end"]) in found:
                assert found[(e["start"], e["end"])] == e["quote_form"], (case["name"], e["text"])


def test_seed_quality_meets_the_bar() -> None:
    result = score(fixture_cases(), catalogue=default_catalogue(), matcher=NameMatcher.from_fixtures())
    # at today's scores: every seed figure, quotation, asserter and speaker right (a change to the hedges once took
    # the attribution to 0.974 unnoticed under a floor of 0.90)
    assert result.figure_f1 >= 0.999, result.misses
    assert result.quote_f1 >= 0.999, result.misses
    assert result.attribution_accuracy >= 0.999, result.misses
    assert result.speaker_accuracy >= 0.999, result.misses


@pytest.mark.parametrize("folder", HOLDOUTS, ids=lambda f: f.name)
def test_holdout_spans_are_exact(folder: Path) -> None:
    for file in folder.glob("*.json"):
        for case in _cases(file):
            for expected in case["expected"]:
                assert case["text"][expected["start"] : expected["end"]] == expected["text"], case["name"]


TODAY = {  # figure F1, quote F1, attribution, speaker, conduit — `make eval` when these floors were set
    "golden_holdout": (0.894, 0.989, 0.982, 0.979, 0.973),
    "golden_holdout2": (0.934, 1.0, 0.955, 0.956, 0.986),
    "golden_holdout3": (0.908, 1.0, 0.919, 0.912, 0.947),
    "golden_holdout4": (0.911, 1.0, 0.835, 0.787, 0.966),
    "golden_holdout5": (0.898, 1.0, 0.862, 0.826, 0.986),
}


@pytest.mark.parametrize("folder", HOLDOUTS, ids=lambda f: f.name)
def test_holdout_quality(folder: Path) -> None:
    """News paragraphs written apart from the rules (golden_holdout2 never looked at while writing them;
    golden_holdout3 to golden_holdout5 written by someone who never saw the extractor, and never tuned on): floors at
    today's scores, so that any regression fails here (the extractor is deterministic)."""
    result = score(golden_cases(folder), catalogue=default_catalogue(), matcher=NameMatcher.from_fixtures())
    got = (
        result.figure_f1,
        result.quote_f1,
        result.attribution_accuracy,
        result.speaker_accuracy,
        result.conduit_accuracy,
    )
    floors = TODAY[folder.name]
    assert all(g >= f for g, f in zip(got, floors, strict=True)), (got, floors, result.misses)


def test_fixture_conduits_and_dates() -> None:
    """The seed claims: who carries each claim into its document, and the date a statement was made."""
    result = score(fixture_cases(), catalogue=default_catalogue(), matcher=NameMatcher.from_fixtures())
    assert result.conduit_accuracy >= 0.974 and result.asserted_on_accuracy >= 0.961, result.misses


def test_golden_subgroups() -> None:
    """A part keeps its subgroup so that it is never compared with a total: every figure of the subgroup cases
    found at its golden span has the golden subgroup ("in the capital", "foreign nationals", or none)."""
    wrong = []
    for case in _cases(GOLDEN / "subgroups.json") + _cases(GOLDEN / "subgroups_scope.json"):
        published = dt.date.fromisoformat(case["published"]) if case.get("published") else None
        found = {(c.start, c.end): c.subgroup for c in extract_claims(case["text"], published=published).claims}
        for e in case["expected"]:
            span = (e["start"], e["end"])
            if e["kind"] != "quote" and span in found and found[span] != e.get("subgroup"):
                wrong.append((case["name"], e["text"], e.get("subgroup"), found[span]))
    assert wrong == []


def test_the_matcher_takes_an_acronym_the_text_defines_and_an_honorific_with_a_surname() -> None:
    matcher = NameMatcher.from_fixtures()
    text = "The UN Office for the Coordination of Humanitarian Affairs (OCHA) said 40 died."
    local = matcher.in_document(text)
    assert local.same("OCHA", "UN Office for the Coordination of Humanitarian Affairs")
    assert not matcher.same("OCHA", "UN Office for the Coordination of Humanitarian Affairs")  # not without the text
    assert not local.same("OCHA", "UNICEF")
    assert matcher.same("Mr. Ban", "Ban Ki-moon") and matcher.same("Ban Ki-moon", "Ms. Ban")
    assert not matcher.same("Mr. Ban", "Kofi Annan")
    assert not matcher.same("Mr. Lake", "UNICEF")


def test_a_statement_is_named_by_its_issuer_exactly() -> None:
    """The golden scorer takes 'statement issued by the police' for 'police' (one holds the other); a source record
    must not: the issuer is the source, the paper it issued is not part of its name."""
    text = (
        "A statement issued by the police said 42 people were arrested overnight.\n\n"
        "“We mourn the 43 victims,” the statement from the ministry said.\n\n"
        "“We mourn them all,” said a statement issued today by his Spokesman.\n\n"
        "The army released a brief statement saying 12 soldiers were killed."
    )
    sources = [
        next((a.source for a in c.attributions if a.role == "asserter"), None) for c in extract_claims(text).claims
    ]
    assert sources == ["police", "ministry", "ministry", "Spokesman", "army"]
