"""The curated fixtures: valid, exact, idempotent to load, and precise about what is wrong when they are not."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from app.errors import FixtureError
from app.ingest import read_fixtures
from app.settings import FIXTURES_DIR

SEEDS = FIXTURES_DIR.parent.parent / "shared" / "seeds"


def test_seed_texts_are_byte_for_byte() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds folder at {SEEDS}")
    for seed in sorted(SEEDS.glob("*.txt")):
        copy = FIXTURES_DIR / "documents" / seed.name
        assert hashlib.sha256(copy.read_bytes()).digest() == hashlib.sha256(seed.read_bytes()).digest()


def test_every_span_and_cue_is_exact() -> None:
    fixtures = read_fixtures(FIXTURES_DIR)
    assert len(fixtures.documents) == 5
    for _entry, text, claims in fixtures.documents:
        assert claims, _entry.file
        for claim in claims:
            assert text[claim.start : claim.end] == claim.text
            for attr in claim.attributions:
                if attr.cue_start is not None:
                    assert text[attr.cue_start : attr.cue_end] == attr.cue


def test_load_twice_changes_nothing(empty_db: str, runner: CliRunner, counts) -> None:  # type: ignore[no-untyped-def]
    first = runner.invoke(app, ["fixtures", "load", "--db", empty_db])
    assert first.exit_code == 0, first.stderr
    assert first.stdout.splitlines()[-1] == "5 documents added, 0 already present"
    after_first = counts(empty_db)
    assert after_first["document"] == 5 and after_first["claim"] > 50
    second = runner.invoke(app, ["fixtures", "load", "--db", empty_db])
    assert second.exit_code == 0
    assert second.stdout.splitlines()[-1] == "0 documents added, 5 already present"
    assert counts(empty_db) == after_first


def _broken_copy(tmp_path: Path, file: str, edit) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, target)
    path = target / file
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("file", "edit", "message"),
    [
        (
            "events.json",
            lambda d: d["events"][0].update(slug="Bad Slug"),
            "events.json: events.0.slug: String should match pattern",
        ),
        (
            "manifest.json",
            lambda d: d["documents"][1].update(published_precision="daily"),
            "manifest.json: documents.1.published_precision: Input should be",
        ),
        (
            "claims/000_90b9c9883493c8aa.json",
            lambda d: d["claims"][0].update(kind="rumour"),
            "000_90b9c9883493c8aa.json: claims.0.kind: Input should be",
        ),
        (
            "claims/001_4613832b6cd526cd.json",
            lambda d: d["claims"][0].update(start=d["claims"][0]["start"] + 1, end=d["claims"][0]["end"] + 1),
            "001_4613832b6cd526cd.json: claims.0.text:",
        ),
        (
            "claims/004_1e67328df8a8adb5.json",
            lambda d: d["claims"][0].update(event="atlantis"),
            "004_1e67328df8a8adb5.json: claims.0.event: unknown event 'atlantis'",
        ),
        (
            "sources.json",
            lambda d: d["sources"][0].update(kind="alien"),
            "sources.json: sources.0.kind: Input should be",
        ),
    ],
)
def test_malformed_fixture_names_file_field_reason(tmp_path: Path, file: str, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    folder = _broken_copy(tmp_path, file, edit)
    with pytest.raises(FixtureError) as info:
        read_fixtures(folder)
    assert message in str(info.value)


def test_malformed_fixture_via_cli_leaves_database_unchanged(
    empty_db: str, runner: CliRunner, tmp_path: Path, counts
) -> None:  # type: ignore[no-untyped-def]
    folder = _broken_copy(tmp_path, "claims/003_6a15e3b96d0b241c.json", lambda d: d["claims"][0].update(low=-5))
    before = counts(empty_db)
    result = runner.invoke(app, ["fixtures", "load", "--path", str(folder), "--db", empty_db])
    assert result.exit_code == 1
    assert "003_6a15e3b96d0b241c.json: claims.0.low: Input should be greater than or equal to 0" in result.stderr
    assert counts(empty_db) == before
