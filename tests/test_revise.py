"""Revisions inside one paragraph: the old and the new count of one asserter are marked by the extractor and are
an update in `compare`, not a conflict. Near misses: what was added ("two more died, raising the toll to 16") is no
old count, and figures of other kinds or other asserters are left alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from app.extract.pipeline import extract_claims


def _marks(text: str) -> list[tuple[str, str, str]]:
    """(figure, rule, the other figure) for every figure the revision step marked."""
    out = []
    for c in extract_claims(text, published=None).claims:
        mark = (c.explanation or {}).get("revision")
        if mark:
            out.append((c.text, str(mark["rule"]), str(mark["cue"])))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Officials revised the death toll from the ferry sinking from 14 to 21 on Monday.",
            [("21", "new-count-after-the-old", "14")],
        ),
        (
            "The interior ministry lowered the death toll to 88 from 102, saying some victims had been counted twice.",
            [("102", "old-count-after-the-new", "88")],
        ),
        (
            "At least 57 people were killed in the flooding, the agency said, up from its earlier count of 35.",
            [("35", "old-count-after-the-new", "At least 57")],
        ),
        (
            "Police said 40 people died in the blaze, but the toll was later revised down to 36 after a recount.",
            [("36", "new-count-after-the-old", "40")],
        ),
    ],
)
def test_revisions_are_marked(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _marks(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # what was added, then the new total: the first figure is an increment, not an old count
        "Three more people died on Sunday in clashes with police, the ministry said, raising the toll to 19.",
        "Police detained about 600 more protesters overnight, bringing the total held since Friday to more than 4,000.",
        # a new count with no old one in the paragraph
        "The health ministry raised the death toll to 73 on Tuesday.",
        # different kinds: arrests are no old count of deaths
        "Police arrested 200 people, and the ministry revised the death toll to 12.",
        # an old count in another paragraph is not revised here
        "Police said 40 people died in the blaze.\n\nThe toll was later revised down to 36.",
    ],
)
def test_near_misses_are_not_revisions(text: str) -> None:
    assert _marks(text) == []


def test_compare_takes_an_in_paragraph_revision_as_an_update(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    """ "raised the toll to 125 from 74" is one asserter's update; with another report of 125 the group agrees,
    where the old count used to make it CONFLICTING."""
    first = tmp_path / "a.txt"
    first.write_text("Regional officials raised the death toll from the Kalinga mine collapse to 125 from 74.\n")
    second = tmp_path / "b.txt"
    second.write_text("The Red Cross said 125 people died in the Kalinga mine collapse.\n")
    for doc in (first, second):
        added = runner.invoke(app, ["add", str(doc), "--published", "2024-03-05", "--db", empty_db])
        assert added.exit_code == 0, added.stderr
    result = runner.invoke(app, ["compare", "--json", "--db", empty_db])
    assert result.exit_code == 0, result.stderr
    (group,) = [g for g in json.loads(result.stdout) if g["kind"] == "death_toll"]
    assert group["verdict"] == "corroborated", group["explanation"]
    assert [r["label"] for r in group["revisions"]] == ["74 → 125 (in one paragraph)"]
