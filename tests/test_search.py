"""Full-text search: documents, claim sentences and source names, on SQLite (FTS5) and PostgreSQL (tsvector + GIN),
kept in step at ingest and by review changes; nothing typed is read as query syntax."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli.main import app
from app.db import make_engine
from app.errors import InputError, NotFoundError
from app.models import Document
from app.review import merge_sources
from app.search import search, terms_of


def _search(url: str, **kwargs: object):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return search(session, **kwargs)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def test_documents_sentences_and_sources(loaded_db: str) -> None:
    found = _search(loaded_db, query="martyrs November")
    assert {h.document.origin[:3] for h in found.documents} == {"001", "002"}
    assert {c.text for c in found.sentences} >= {"1,500"}
    assert all("martyrs" in c.sentence.lower() and "november" in c.sentence.lower() for c in found.sentences)
    assert all("November" in h.snippet or "november" in h.snippet.lower() for h in found.documents)
    # prefixes, accents folded, any order
    samsami = _search(loaded_db, query="samsa SOONA")
    assert [s.name for s in samsami.sources] == ["Soona Samsami"]
    aliases = _search(loaded_db, query="Mojahedin")
    assert any("Mojahedin-e Khalq" in s.aliases or "Mojahedin" in s.name for s in aliases.sources)


def test_filters(loaded_db: str) -> None:
    every = _search(loaded_db, query="protesters")
    deaths = _search(loaded_db, query="protesters", kind="death_toll")
    assert deaths.sentences and all(c.kind == "death_toll" for c in deaths.sentences)
    assert len(deaths.sentences) < len(every.sentences)
    assert deaths.sources == []  # source hits only for an unfiltered search
    one_event = _search(loaded_db, query="protesters", event="iran-protests-2019-11", status="confirmed")
    assert all(c.event == "iran-protests-2019-11" and c.status == "confirmed" for c in one_event.sentences)
    assert {h.document.id for h in one_event.documents} <= {h.document.id for h in every.documents}
    by_source = _search(loaded_db, query="arrested", source="Samsami")
    assert by_source.sentences and all(
        "Samsami" in (c.attributed_to or "") + (c.conduit or "") + (c.publisher or "") for c in by_source.sentences
    )
    with pytest.raises(NotFoundError, match="no event 'atlantis'"):
        _search(loaded_db, query="protesters", event="atlantis")
    with pytest.raises(InputError, match="unknown kind"):
        _search(loaded_db, query="protesters", kind="rumour")


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE document; --",
        '"unbalanced',
        "NEAR(a b) OR * AND -x",
        "title:x ^y",
        "a & b | !c <-> d:*",
        "%_\\ lyon",
    ],
)
def test_hostile_queries_are_words(loaded_db: str, query: str) -> None:
    found = _search(loaded_db, query=query)
    assert found.terms == terms_of(query)
    engine = make_engine(loaded_db)
    with Session(engine) as session:
        assert len(session.scalars(select(Document.id)).all()) == 5  # nothing dropped
    engine.dispose()


def test_no_words(loaded_db: str) -> None:
    with pytest.raises(InputError, match="nothing to search for"):
        _search(loaded_db, query=" -- '\" * ")


def test_kept_in_step_at_ingest_and_merge(loaded_db: str, tmp_path: Path) -> None:
    assert _search(loaded_db, query="Zanzibarian").documents == []
    doc = tmp_path / "new.txt"
    doc.write_text("Police said 40 Zanzibarian fishermen were arrested in Lyon on Sunday.\n", encoding="utf-8")
    added = CliRunner().invoke(
        app, ["add", str(doc), "--publisher", "Quillfeather Gazette", "--published", "2023-05-01", "--db", loaded_db]
    )
    assert added.exit_code == 0, added.stderr
    found = _search(loaded_db, query="zanzibar")
    assert [h.document.origin for h in found.documents] == ["new.txt"]
    assert [c.text for c in found.sentences] == ["40"]
    assert [s.name for s in _search(loaded_db, query="quillfeather").sources] == ["Quillfeather Gazette"]
    engine = make_engine(loaded_db)
    with Session(engine) as session:
        merge_sources(session, keep="Soona Samsami", merge="Quillfeather Gazette")
    engine.dispose()
    assert [s.name for s in _search(loaded_db, query="quillfeather").sources] == ["Soona Samsami"]


def test_long_varied_document_is_added_and_found(empty_db: str, tmp_path: Path) -> None:
    """A tsvector holds at most 1 MB of distinct words: a long document of all-different words in a script of
    two-byte letters is still added (PostgreSQL indexes its first 250,000 characters, SQLite all of it)."""
    import random

    rng = random.Random(7)
    letters = "абвгдежзийклмнопрстуфхцчшщыэюя"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(5, 7))) for _ in range(160_000)]
    doc = tmp_path / "long.txt"
    doc.write_text("Quillfeather opens the text. " + " ".join(words) + ".\n", encoding="utf-8")
    assert doc.stat().st_size > 2_000_000
    added = CliRunner().invoke(app, ["add", str(doc), "--no-extract", "--published", "2023-05-01", "--db", empty_db])
    assert added.exit_code == 0, added.stderr
    assert [h.document.origin for h in _search(empty_db, query="quillfeather").documents] == ["long.txt"]


def test_migration_backfills_the_index(loaded_db: str) -> None:
    """Documents and sources added before migration 0009 are found once it has run; reverting it drops the index."""
    from app.db import downgrade, upgrade

    engine = make_engine(loaded_db)
    try:
        downgrade(engine, "0008")
        names = set(inspect(engine).get_table_names())
        assert not {n for n in names if n.startswith("search_")}
        columns = {c["name"] for c in inspect(engine).get_columns("document")}
        assert "search_tsv" not in columns
        upgrade(engine)
    finally:
        engine.dispose()
    found = _search(loaded_db, query="martyrs november")
    assert {h.document.origin[:3] for h in found.documents} == {"001", "002"}
    assert [s.name for s in _search(loaded_db, query="soona").sources] == ["Soona Samsami"]


def test_search_at_the_command_line(loaded_db: str, runner) -> None:  # type: ignore[no-untyped-def]
    """`claimdb search`: the same hits as the library, as JSON and as tables; nothing to search is one line."""
    import json

    from app.cli.main import app

    result = runner.invoke(app, ["search", "martyrs november", "--json", "--db", loaded_db])
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert {h["document"]["origin"][:3] for h in found["documents"]} == {"001", "002"}
    assert {c["kind"] for c in found["sentences"]} == {"death_toll", "quote"}
    table = runner.invoke(app, ["search", "soona", "--db", loaded_db], env={"COLUMNS": "160"})
    assert table.exit_code == 0 and "Soona Samsami" in table.stdout
    bad = runner.invoke(app, ["search", "!!", "--db", loaded_db])
    assert bad.exit_code == 1 and bad.stderr == "error: nothing to search for: give words (letters or digits)\n"
