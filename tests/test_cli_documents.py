"""`claimdb add` and `claimdb documents`: adding, skipping copies, refusing bad input without side effects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app

ARTICLE = "Police said 12 people were arrested in Lyon on Saturday.\n"


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def _twelve_arrested(**fields: object) -> dict[str, object]:
    """A curated claim on ARTICLE's "12", with the given fields added."""
    start = ARTICLE.index("12")
    return {"kind": "arrest_count", "text": "12", "start": start, "end": start + 2, "low": 12, "high": 12, **fields}


def test_add_then_skip_the_same_text(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = _write(tmp_path / "lyon.txt", ARTICLE)
    args = ["add", str(doc), "--publisher", "Le Monde", "--published", "2023-06", "--db", empty_db]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == (
        "lyon.txt: added as document 1 (1 claim; 1 figure about no recognisable incident, without an event)\n"
        "1 added, 0 skipped\n"
    )
    copy = _write(tmp_path / "copy.txt", ARTICLE)
    again = runner.invoke(app, ["add", str(copy), "--publisher", "Le Monde", "--db", empty_db])
    assert again.exit_code == 0
    assert again.stderr == "copy.txt: already in the database; skipped (document 1)\n"
    assert again.stdout == "0 added, 1 skipped\n"
    listed = json.loads(runner.invoke(app, ["documents", "--json", "--db", empty_db]).stdout)
    assert [(d["origin"], d["publisher"], d["published"], d["published_precision"]) for d in listed] == [
        ("lyon.txt", "Le Monde", "2023-06-01", "month")
    ]


def test_add_from_stdin_with_curated_claims(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    attribution = {
        "role": "asserter",
        "source": "Lyon police",
        "source_kind": "government",
        "cue": "said",
        "cue_start": 7,
        "cue_end": 11,
    }
    claims = {"document": "stdin", "claims": [_twelve_arrested(unit="people", attributions=[attribution])]}
    claims_file = _write(tmp_path / "claims.json", json.dumps(claims))
    result = runner.invoke(
        app, ["add", "-", "--publisher", "AFP", "--claims", str(claims_file), "--db", empty_db], input=ARTICLE
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(runner.invoke(app, ["claims", "--json", "--db", empty_db]).stdout)
    assert len(out) == 1
    claim = out[0]
    assert (claim["text"], claim["low"], claim["high"], claim["attributed_to"], claim["document"]) == (
        "12",
        12,
        12,
        "Lyon police",
        "stdin",
    )
    assert claim["sentence"] == ARTICLE.strip()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", "", "empty document"),
        ("blank.txt", "  \n\n ", "empty document"),
        ("binary.txt", b"PK\x03\x04\x00\x00binary", "binary file, not a text document"),
        ("latin1.txt", "café crème".encode("latin-1"), "not UTF-8 text (invalid byte at offset 3)"),
    ],
)
def test_bad_files_are_refused(
    empty_db: str, runner: CliRunner, tmp_path: Path, counts, name: str, content: str | bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    good = _write(tmp_path / "good.txt", ARTICLE)
    bad = _write(tmp_path / name, content)
    before = counts(empty_db)
    result = runner.invoke(app, ["add", str(good), str(bad), "--publisher", "X", "--db", empty_db])
    assert result.exit_code == 1
    assert result.stderr == f"error: {bad}: {message}\n"
    assert counts(empty_db) == before  # nothing written, not even the good file


def test_missing_file_directory_and_date(empty_db: str, runner: CliRunner, tmp_path: Path, counts) -> None:  # type: ignore[no-untyped-def]
    good = _write(tmp_path / "good.txt", ARTICLE)
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    before = counts(empty_db)
    cases = [
        (["add", str(tmp_path / "nope.txt")], f"error: {tmp_path / 'nope.txt'}: no such file\n"),
        (
            ["add", str(empty_dir)],
            f"error: {empty_dir}: directory has no documents (*.txt, *.md, *.html, *.htm, *.warc, *.warc.gz)\n",
        ),
        (
            ["add", str(good), "--published", "2020-02-31"],
            "error: bad date '2020-02-31': day is out of range for month\n",
        ),
        (
            ["add", str(good), "--published", "last week"],
            "error: bad date 'last week': use YYYY-MM-DD, YYYY-MM or YYYY\n",
        ),
    ]
    for args, message in cases:
        result = runner.invoke(app, [*args, "--publisher", "X", "--db", empty_db])
        assert result.exit_code == 1, args
        assert result.stderr == message
    assert counts(empty_db) == before


def test_claims_naming_an_unknown_event(loaded_db: str, runner: CliRunner, tmp_path: Path, counts) -> None:  # type: ignore[no-untyped-def]
    doc = _write(tmp_path / "new.txt", ARTICLE)
    claims = {"document": "new.txt", "claims": [_twelve_arrested(event="moon-landing-1969")]}
    claims_file = _write(tmp_path / "c.json", json.dumps(claims))
    before = counts(loaded_db)
    result = runner.invoke(app, ["add", str(doc), "--publisher", "X", "--claims", str(claims_file), "--db", loaded_db])
    assert result.exit_code == 1
    assert result.stderr == "error: new.txt: claims.0.event: unknown event 'moon-landing-1969'\n"
    assert counts(loaded_db) == before


def test_claims_file_with_a_wrong_span_or_bad_field(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = _write(tmp_path / "new.txt", ARTICLE)
    wrong_span = {
        "document": "new.txt",
        "claims": [{"kind": "arrest_count", "text": "12", "start": 0, "end": 2, "low": 12, "high": 12}],
    }
    bad_bounds = {
        "document": "new.txt",
        "claims": [{"kind": "arrest_count", "text": "12", "start": 12, "end": 14, "low": 20, "high": 12}],
    }
    for payload, message in [
        (wrong_span, "error: new.txt: claims.0.text: '12' is not at 0:2 (found 'Po')\n"),
        (bad_bounds, "claims.0: Value error, low 20 is above high 12\n"),
        ("{not json", "line 1: invalid JSON: Expecting property name enclosed in double quotes\n"),
    ]:
        claims_file = _write(tmp_path / "c.json", payload if isinstance(payload, str) else json.dumps(payload))
        result = runner.invoke(
            app, ["add", str(doc), "--publisher", "X", "--claims", str(claims_file), "--db", empty_db]
        )
        assert result.exit_code == 1
        assert result.stderr.endswith(message), result.stderr
        assert result.stderr.count("\n") == 1


def test_add_leaves_planner_statistics_on_sqlite(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    """After an add that wrote documents, SQLite's planner has statistics for the claim indexes (ANALYZE); on
    PostgreSQL autovacuum keeps them and nothing is run."""
    from sqlalchemy import inspect, text

    from app.db import make_engine

    doc = _write(tmp_path / "lyon.txt", ARTICLE)
    assert runner.invoke(app, ["add", str(doc), "--db", empty_db]).exit_code == 0
    engine = make_engine(empty_db)
    try:
        with engine.connect() as conn:
            if engine.dialect.name != "sqlite":
                return
            assert inspect(conn).has_table("sqlite_stat1")
            analysed = set(conn.execute(text("SELECT tbl FROM sqlite_stat1")).scalars())
    finally:
        engine.dispose()
    assert {"claim", "document"} <= analysed


def test_an_extracted_name_that_is_no_name_leaves_the_figure_unattributed(
    empty_db: str, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a rule ever read punctuation as a source, the document is still added: the figure is kept without
    that attribution, never a failed document (curated claims with a bad name are refused as before)."""
    import app.extract.pipeline as pipeline
    from app.schemas import AttributionIn

    real = pipeline._attributions

    def broken(speaker, expand):  # type: ignore[no-untyped-def]
        out = real(speaker, expand)
        return [AttributionIn.model_construct(**{**a.model_dump(), "source": "."}) for a in out]

    monkeypatch.setattr(pipeline, "_attributions", broken)
    doc = _write(tmp_path / "lyon.txt", ARTICLE)
    result = runner.invoke(app, ["add", str(doc), "--jobs", "1", "--db", empty_db])
    assert result.exit_code == 0, result.stderr
    claims = json.loads(runner.invoke(app, ["claims", "--json", "--db", empty_db]).stdout)
    assert [(c["text"], c["attributed_to"]) for c in claims] == [("12", None)]
