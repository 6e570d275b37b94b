"""The schema is made only by migrations, which apply and revert on both backends and match the models."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from app.db import alembic_config, current_revision, downgrade, head_revision, make_engine, upgrade


def test_upgrade_check_downgrade(empty_db: str) -> None:
    engine = make_engine(empty_db)
    try:
        assert current_revision(engine) == head_revision(engine)
        command.check(alembic_config(engine))  # raises if the models and migrations disagree
        downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        upgrade(engine)  # a second upgrade is a no-op
        assert {"source", "source_alias", "document", "event", "claim", "attribution"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()


def test_indexes_for_comparison(empty_db: str) -> None:
    engine = make_engine(empty_db)
    try:
        indexes = {tuple(ix["column_names"]) for ix in inspect(engine).get_indexes("claim")}
    finally:
        engine.dispose()
    assert ("event_id", "kind") in indexes
    assert ("low",) in indexes and ("high",) in indexes


def test_month_buckets_go_and_their_claims_keep_no_event(loaded_db: str) -> None:
    """Migration 0003: events the extractor proposed as month buckets are deleted, their claims lose only the
    bucket; catalogued events and their links stay."""
    from sqlalchemy import text

    engine = make_engine(loaded_db)
    try:
        downgrade(engine, "0002")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO event (slug, name, keywords, proposed) "
                    "VALUES ('proposed-2024-07', 'Unlisted event of July 2024', '[]', :yes)"
                ),
                {"yes": True},
            )
            bucket = conn.execute(text("SELECT id FROM event WHERE slug = 'proposed-2024-07'")).scalar_one()
            moved = conn.execute(text("SELECT min(id) FROM claim")).scalar_one()
            conn.execute(text("UPDATE claim SET event_id = :e WHERE id = :c"), {"e": bucket, "c": moved})
            linked = conn.execute(text("SELECT count(*) FROM claim WHERE event_id IS NOT NULL")).scalar_one()
        upgrade(engine)
        with engine.connect() as conn:
            slugs = set(conn.execute(text("SELECT slug FROM event")).scalars())
            statuses = set(conn.execute(text("SELECT status FROM event")).scalars())
            assert conn.execute(text("SELECT event_id FROM claim WHERE id = :c"), {"c": moved}).scalar() is None
            still = conn.execute(text("SELECT count(*) FROM claim WHERE event_id IS NOT NULL")).scalar_one()
        assert "proposed-2024-07" not in slugs and "iran-protests-2019-11" in slugs
        assert statuses == {"catalogued"}
        assert still == linked - 1
    finally:
        engine.dispose()


def test_copy_links_backfilled_as_ingest_finds_them(loaded_db: str) -> None:
    """Migration 0007: on a database whose documents were added before links were stored, the links it finds are
    the ones ingest stores."""
    from sqlalchemy import text

    engine = make_engine(loaded_db)
    try:
        with engine.connect() as conn:
            at_ingest = sorted(conn.execute(text("SELECT document_id, copy_of, containment FROM copy_link")))
            indexed = conn.execute(text("SELECT count(*) FROM document_shingle")).scalar_one()
        assert at_ingest, "the seed fixtures hold a copy family"
        downgrade(engine, "0006")
        upgrade(engine)
        with engine.connect() as conn:
            backfilled = sorted(conn.execute(text("SELECT document_id, copy_of, containment FROM copy_link")))
            assert conn.execute(text("SELECT count(*) FROM document_shingle")).scalar_one() == indexed
        assert backfilled == at_ingest
    finally:
        engine.dispose()


def test_known_revisions_agree_with_alembic(tmp_path) -> None:
    """Every command checks the schema from the migration files' revision lines, without alembic: the same set and
    the same head as alembic's own reading of the scripts, and a database alembic made passes the check."""
    from alembic.script import ScriptDirectory

    from app.db import known_revisions, require_schema

    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        scripts = ScriptDirectory.from_config(alembic_config(engine))
        revisions, head = known_revisions()
        assert revisions == {s.revision for s in scripts.walk_revisions()}
        assert head == scripts.get_current_head()
        upgrade(engine)
        require_schema(engine)
        assert current_revision(engine) == head
    finally:
        engine.dispose()
