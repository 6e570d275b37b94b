"""Every extracted claim, every field, over the seed articles, the golden cases and the real corpus, against a
committed snapshot: a change in behaviour shows here, case by case, before any score moves.

A deliberate change updates the snapshot: `CLAIMDB_UPDATE_SNAPSHOT=1 pytest tests/test_extraction_snapshot.py`,
then the diff of tests/snapshots/extraction.jsonl is reviewed like code."""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.extract.evaluate import Case, fixture_cases, golden_cases, real_corpus
from app.extract.pipeline import default_catalogue, extract_claims

TESTS = Path(__file__).parent
SNAPSHOT = TESTS / "snapshots" / "extraction.jsonl"


def _cases() -> list[Case]:
    cases = list(fixture_cases())
    for folder in sorted(TESTS.glob("golden*")):
        cases += golden_cases(folder)
    for folder in (TESTS / "real", TESTS / "real_extra"):
        cases += [d.case for d in real_corpus(folder)]
    return cases


def _lines() -> list[str]:
    catalogue = default_catalogue()
    lines = []
    for case in _cases():
        claims = extract_claims(case.text, published=case.published, catalogue=catalogue).claims
        lines.append(json.dumps({"case": case.name, "claims": len(claims)}, ensure_ascii=False))
        for claim in claims:  # one line a claim, so that a diff shows which claim of which case changed
            dumped = claim.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            lines.append(json.dumps(dumped, ensure_ascii=False, sort_keys=True))
    return lines


def test_extraction_matches_the_snapshot() -> None:
    lines = _lines()
    if os.environ.get("CLAIMDB_UPDATE_SNAPSHOT"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    if lines != expected:
        import difflib

        diff = list(difflib.unified_diff(expected, lines, "snapshot", "now", n=1, lineterm=""))
        raise AssertionError(f"extraction changed ({len(diff)} diff lines):\n" + "\n".join(diff[:60]))


def test_nothing_outlives_a_documents_extraction() -> None:
    """The shared work of one document (its scan, dates, speech verbs) is dropped when the extraction ends: no
    module keeps a cache keyed by document text."""
    import gc
    import weakref

    from app.extract import scan as scan_module

    text = "Police said 12 people were arrested in Lyon on Saturday.\n"
    found: list[weakref.ref[object]] = []
    real = scan_module.DocumentScan

    class Watched(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object) -> None:
            super().__init__(*args)
            found.append(weakref.ref(self))

    scan_module.DocumentScan = Watched  # type: ignore[misc]
    try:
        extract_claims(text, catalogue=default_catalogue())
    finally:
        scan_module.DocumentScan = real  # type: ignore[misc]
    gc.collect()
    assert found and all(ref() is None for ref in found)
