"""Inputs found by review to break things: each gets one line on stderr, or the right answer, never a traceback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from app.cli.main import app
from app.db import make_engine
from app.families import containment, sketch

HUGE = "99999999999999999999"


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _fails(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 1, (args, result.stdout)
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.stderr


def test_brackets_in_quotes_are_shown_not_read_as_markup(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    table = _ok(runner, "claims", "--kind", "quote", "--document", "000", "--db", loaded_db)
    assert "[groups]" in table or "[group" in table
    doc = tmp_path / "x.txt"
    doc.write_text("Police said 40 people were arrested in Lyon.\n", encoding="utf-8")
    _ok(runner, "add", str(doc), "--publisher", "Radio [/b] Free", "--db", loaded_db)
    assert "[/b]" in _ok(runner, "documents", "--db", loaded_db)  # shown, and no MarkupError


def test_huge_numbers_and_empty_names(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    assert "the number must be between 0 and" in _fails(runner, "who-says", HUGE, "--db", loaded_db)
    assert _fails(runner, "claim", "confirm", HUGE, "--db", loaded_db) == f"error: no claim {HUGE}\n"
    assert "bad bound" in _fails(runner, "claim", "edit", "1", "--low", HUGE, "--db", loaded_db)
    assert "no document" in _fails(runner, "claims", "--document", HUGE, "--db", loaded_db)
    assert "bad source name" in _fails(runner, "claim", "edit", "3", "--asserter", "!!!", "--db", loaded_db)
    doc = tmp_path / "x.txt"
    doc.write_text("Police said 40 people were arrested in Lyon.\n", encoding="utf-8")
    assert "bad source name" in _fails(runner, "add", str(doc), "--publisher", "   ", "--db", loaded_db)
    assert "unknown status" in _fails(runner, "claims", "--status", "bogus", "--db", loaded_db)


def test_document_prefix_is_not_a_wildcard(loaded_db: str, runner: CliRunner) -> None:
    assert len(json.loads(_ok(runner, "claims", "--document", "000", "--json", "--db", loaded_db))) == 24
    assert "no document '00'" in _fails(runner, "claims", "--document", "00", "--db", loaded_db)
    assert "no document '%'" in _fails(runner, "claims", "--document", "%", "--db", loaded_db)


def test_nul_byte_late_in_a_file_refuses_the_batch(empty_db: str, runner: CliRunner, tmp_path: Path, counts) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "1.txt"
    good.write_text("Police said 40 people were arrested in Lyon.\n", encoding="utf-8")
    bad = tmp_path / "2.txt"
    bad.write_bytes(b"x" * 10_000 + b"\x00 more")
    before = counts(empty_db)
    assert _fails(runner, "add", str(good), str(bad), "--publisher", "X", "--db", empty_db) == (
        f"error: {bad}: binary file, not a text document\n"
    )
    assert counts(empty_db) == before


def test_curated_proposed_event_is_created_without_the_extractor(
    empty_db: str, runner: CliRunner, tmp_path: Path
) -> None:
    body = "Officials said 12 people died when the dam failed near Kayes.\n"
    (tmp_path / "k.txt").write_text(body, encoding="utf-8")
    start = body.index("12")
    claims = {
        "document": "k.txt",
        "claims": [
            {
                "kind": "death_toll",
                "text": "12",
                "start": start,
                "end": start + 2,
                "low": 12,
                "high": 12,
                "event": "kayes-dam-2024",
                "proposed_event": {"slug": "kayes-dam-2024", "name": "Kayes dam failure", "start": "2024-05-01"},
            }
        ],
    }
    (tmp_path / "c.json").write_text(json.dumps(claims), encoding="utf-8")
    _ok(
        runner,
        "add",
        str(tmp_path / "k.txt"),
        "--publisher",
        "X",
        "--claims",
        str(tmp_path / "c.json"),
        "--no-extract",
        "--db",
        empty_db,
    )
    (claim,) = json.loads(_ok(runner, "claims", "--json", "--db", empty_db))
    assert claim["event"] == "kayes-dam-2024"


def test_csv_cells_never_run_as_formulas(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    _ok(runner, "event", "add", "lyon", "--name", "Lyon", "--keyword", "Lyon", "--db", empty_db)
    for name, body in [
        ("a.txt", "=HYPERLINK(1) Police said 40 people were arrested in Lyon.\n"),
        ("b.txt", "Organisers said 400 people were arrested in Lyon.\n"),
    ]:
        (tmp_path / name).write_text(body, encoding="utf-8")
        _ok(
            runner, "add", str(tmp_path / name), "--publisher", "+Outlet", "--published", "2024-01-02", "--db", empty_db
        )
    rows = list(csv.DictReader(io.StringIO(_ok(runner, "report", "-f", "csv", "--db", empty_db))))
    assert rows and all(not r["publisher"].startswith("+") for r in rows)
    assert any(r["sentence"].startswith("'=HYPERLINK") for r in rows)


def test_estimated_dates_are_not_presented_as_exact(loaded_db: str, runner: CliRunner) -> None:
    base = "https://factcheck.example.org/report.html"
    reviews = json.loads(_ok(runner, "report", "-f", "claimreview", "--base-url", base, "--db", loaded_db))
    from_000 = [r for r in reviews if r["itemReviewed"]["appearance"]["name"].startswith("000_")]
    assert from_000 and all("datePublished" not in r["itemReviewed"] for r in from_000)
    rows = list(csv.DictReader(io.StringIO(_ok(runner, "report", "-f", "csv", "--db", loaded_db))))
    dates = {(r["published"], r["published_precision"]) for r in rows if r["document"].startswith("000_")}
    assert dates == {("2018-01-10", "estimated")}


def test_short_reports_sharing_a_stock_phrase_are_not_copies() -> None:
    a = "Rescuers said 12 people were killed in the Bamako flood on Tuesday."
    b = "The United Nations said 400 people were killed in the Bamako flood, far more than first reported."
    from app.families import MIN_SHARED, overlap

    share, shared = overlap(sketch(a), sketch(b))
    assert share >= 0.15 and shared < MIN_SHARED  # high containment, but too little text to call it a copy
    assert containment(sketch(a), sketch(a)) == 1.0


def test_database_from_a_newer_claimdb(empty_db: str, runner: CliRunner) -> None:
    from app.db import head_revision

    engine = make_engine(empty_db)
    head = head_revision(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    try:
        assert "which this claimdb does not know" in _fails(runner, "claims", "--db", empty_db)
        assert "which this claimdb does not know" in _fails(runner, "init", "--db", empty_db)
    finally:  # the PostgreSQL test database is shared by the tests that follow
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
        engine.dispose()


def test_a_document_over_the_size_limit_is_refused(
    empty_db: str, runner: CliRunner, tmp_path: Path, counts, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLAIMDB_MAX_DOCUMENT_MB", "0.001")
    big = tmp_path / "big.txt"
    big.write_text("Police said 40 people were arrested in Lyon. " * 40, encoding="utf-8")
    before = counts(empty_db)
    assert _fails(runner, "add", str(big), "--db", empty_db) == (
        f"error: {big}: 0.0 MB is over the 0.001 MB limit for one document (set CLAIMDB_MAX_DOCUMENT_MB to change it)\n"
    )
    assert counts(empty_db) == before
    monkeypatch.setenv("CLAIMDB_MAX_DOCUMENT_MB", "lots")
    assert _fails(runner, "add", str(big), "--db", empty_db) == (
        "error: CLAIMDB_MAX_DOCUMENT_MB='lots': a number of megabytes\n"
    )


def test_a_claim_that_cannot_be_stated_is_reported_and_the_batch_goes_on(
    empty_db: str, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.extract.pipeline as pipeline
    from app.schemas import ClaimIn

    real = pipeline._figure_claim

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        claim = real(*args, **kwargs)
        if claim is not None and claim.low == 13:
            ClaimIn(kind=claim.kind, text=claim.text, start=claim.start, end=claim.start, low=13, high=13)
        return claim

    monkeypatch.setattr(pipeline, "_figure_claim", broken)
    (tmp_path / "a.txt").write_text("Police said 13 people were arrested in Lyon.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Police said 14 people were arrested in Nice.\n", encoding="utf-8")
    result = runner.invoke(app, ["add", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--db", empty_db])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "a.txt: a claim was left out: figure at 12: end must be after start\n"
    assert result.stdout.splitlines()[-1] == "2 added, 0 skipped"


def test_over_long_words_are_a_clean_error_not_a_database_one(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    """PostgreSQL enforces a column's width where SQLite does not: a curated cue or subgroup longer than its column
    is refused by validation with one line, on both backends, and nothing is written."""
    body = "Police said 12 people were arrested in Kayes.\n"
    (tmp_path / "k.txt").write_text(body, encoding="utf-8")
    start = body.index("12")
    claim = {"kind": "arrest_count", "text": "12", "start": start, "end": start + 2, "low": 12, "high": 12}
    for field, value in (
        ("attributions", [{"role": "asserter", "source": "Police", "cue": "said " * 50}]),
        ("subgroup", "protesters " * 30),
    ):
        (tmp_path / "c.json").write_text(
            json.dumps({"document": "k.txt", "claims": [claim | {field: value}]}), encoding="utf-8"
        )
        message = _fails(runner, "add", str(tmp_path / "k.txt"), "--claims", str(tmp_path / "c.json"), "--db", empty_db)
        assert "at most" in message, message
    assert json.loads(_ok(runner, "documents", "--json", "--db", empty_db)) == []


def test_what_the_extractor_stores_fits_its_columns(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    """A cue the rules read may run long (a speaker's whole lead); it is cut to the column with an ellipsis, and the
    document is stored on both backends."""
    from app.extract.attribute import Speaker
    from app.extract.pipeline import _attributions, clip
    from app.schemas import SHORT_TEXT

    lead = "Secretary-General António Guterres, speaking " + "at length " * 40
    (attribution,) = _attributions(Speaker(name="António Guterres", cue=lead, cue_start=0, cue_end=len(lead)), {})
    assert attribution.cue is not None and len(attribution.cue) == SHORT_TEXT and attribution.cue.endswith("…")
    assert clip("short", SHORT_TEXT) == "short" and clip(None, SHORT_TEXT) is None
    (tmp_path / "d.txt").write_text(
        "Dam burst kills 40\n\nA long paragraph "
        + "goes on and on " * 20
        + "until the following statement was issued today by the earthquake.\n\nPolice said 40 people died.\n",
        encoding="utf-8",
    )
    _ok(runner, "add", str(tmp_path / "d.txt"), "--db", empty_db)
    claims = json.loads(_ok(runner, "claims", "--json", "--db", empty_db))
    assert {c["attributed_to"] for c in claims if c["kind"] == "death_toll"} <= {"Police", None}
    assert all(len(c["cue"] or "") <= SHORT_TEXT for c in claims)
