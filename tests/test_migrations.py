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
