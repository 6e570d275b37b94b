"""full-text search over documents and source names, claim versions for concurrent review, the reviewer in the
change log, and accounts for the web app

Search is kept by the database itself, so every writer (ingest, source merge, an edit) keeps it in step:
- SQLite: FTS5 tables over document (title, text) and source_alias (alias), external content, with triggers;
- PostgreSQL: a stored generated tsvector column ('simple' configuration, no stemming, like FTS5's unicode61)
  on each, with a GIN index. A document's vector covers its first 250,000 characters (a tsvector holds at most
  1 MB); SQLite indexes all of it.
Creating them indexes the rows already there (the backfill). The objects are named search_* / ix_search_*, and
migrations/env.py leaves them out of the comparison with the models.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_DOCUMENT_CHARS = 250_000
"""A tsvector holds at most 1 MB: 250,000 characters of even the most varied text stay below it."""

MARKUP = "'<>&', '   '"
"""translate() arguments: PostgreSQL's parser reads '<…>' as a tag and '&…;' as an entity and drops their words
("<script>alert('x')</script> News" would be only 'news'); as spaces, text is words as FTS5 reads it."""

_SQLITE_FTS = {
    # fts table: (content table, indexed columns)
    "search_document": ("document", ("title", "text")),
    "search_source": ("source_alias", ("alias",)),
}


def _sqlite_upgrade() -> None:
    for fts, (table, columns) in _SQLITE_FTS.items():
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        op.execute(
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {cols} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
        )


def _sqlite_downgrade() -> None:
    for fts in _SQLITE_FTS:
        for when in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_{when}")
        op.execute(f"DROP TABLE IF EXISTS {fts}")


def _pg_upgrade() -> None:
    op.execute(
        "ALTER TABLE document ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('simple', translate(coalesce(title, '') || ' ' || left(text, {PG_DOCUMENT_CHARS}), {MARKUP}))) "
        "STORED"
    )
    op.execute("CREATE INDEX ix_search_document ON document USING gin (search_tsv)")
    op.execute(
        "ALTER TABLE source_alias ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('simple', translate(alias, {MARKUP}))) STORED"
    )
    op.execute("CREATE INDEX ix_search_source ON source_alias USING gin (search_tsv)")


def _pg_downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_search_source")
    op.execute("ALTER TABLE source_alias DROP COLUMN IF EXISTS search_tsv")
    op.execute("DROP INDEX IF EXISTS ix_search_document")
    op.execute("ALTER TABLE document DROP COLUMN IF EXISTS search_tsv")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("claim", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("change_log", sa.Column("reviewer", sa.String(length=100), nullable=True))
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=300), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("name", name=op.f("uq_account_name")),
    )
    if sqlite:
        _sqlite_upgrade()
    else:
        _pg_upgrade()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _sqlite_downgrade()
    else:
        _pg_downgrade()
    op.drop_table("account")
    if sqlite:
        op.execute("ALTER TABLE change_log DROP COLUMN reviewer")
        op.execute("ALTER TABLE claim DROP COLUMN version")
    else:
        op.drop_column("change_log", "reviewer")
        op.drop_column("claim", "version")
