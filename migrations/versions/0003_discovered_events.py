"""discovered events: status, incident kinds, countries, places and day; month buckets go

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 13:30:00

Events the extractor proposed as month buckets ("proposed-2024-07") are deleted (their claims keep no event, as
the ON DELETE rule says) and the `proposed` flag gives way to `status`: catalogued, discovered or confirmed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUS_CHECK = "status IN ('catalogued', 'discovered', 'confirmed')"


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    # month buckets: their claims lose the bucket (ON DELETE SET NULL), and get a discovered event when re-linked
    conn.execute(sa.text("UPDATE claim SET event_id = NULL WHERE event_id IN (SELECT id FROM event WHERE proposed)"))
    conn.execute(sa.text("DELETE FROM event WHERE proposed"))
    if sqlite:
        # plain ALTERs: a batch copy of `event` would drop the table under the claims' foreign keys
        op.execute(
            "ALTER TABLE event ADD COLUMN status VARCHAR(12) DEFAULT 'catalogued' NOT NULL "
            f"CONSTRAINT ck_event_status CHECK ({_STATUS_CHECK})"
        )
        for column in ("kinds", "countries", "places"):
            op.execute(f"ALTER TABLE event ADD COLUMN {column} JSON DEFAULT '[]' NOT NULL")
        op.execute("ALTER TABLE event ADD COLUMN day DATE")
        op.execute("ALTER TABLE event DROP COLUMN proposed")
    else:
        op.add_column("event", sa.Column("status", sa.String(length=12), server_default="catalogued", nullable=False))
        op.create_check_constraint(op.f("ck_event_status"), "event", _STATUS_CHECK)
        for column in ("kinds", "countries", "places"):
            op.add_column("event", sa.Column(column, sa.JSON(), server_default="[]", nullable=False))
        op.add_column("event", sa.Column("day", sa.Date(), nullable=True))
        op.drop_column("event", "proposed")
    op.create_index("ix_event_status_start_date", "event", ["status", "start_date"], unique=False)


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ix_event_status_start_date", table_name="event")
    if conn.dialect.name == "sqlite":
        op.execute("ALTER TABLE event ADD COLUMN proposed BOOLEAN DEFAULT 0 NOT NULL")
        op.execute("UPDATE event SET proposed = (status = 'discovered')")
        for column in ("day", "places", "countries", "kinds", "status"):
            op.execute(f"ALTER TABLE event DROP COLUMN {column}")
    else:
        op.add_column("event", sa.Column("proposed", sa.Boolean(), server_default=sa.false(), nullable=False))
        op.execute("UPDATE event SET proposed = (status = 'discovered')")
        op.drop_constraint(op.f("ck_event_status"), "event", type_="check")
        for column in ("day", "places", "countries", "kinds", "status"):
            op.drop_column("event", column)
