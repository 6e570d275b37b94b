"""an index on the events' last days: event discovery reads the events whose days lie near an incident's

`Discovery` asks, for each incident, for the discovered and confirmed events without a start, or that start before
the incident's window ends and end after it begins. ix_event_status_start_date answers the first; this index the
second (and the events without an end, which an undated incident may be), reading the events that end after the
window begins instead of every event that started before it ends: as reports come in date order, the events of
about the last year, however many there are in all.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 14:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_event_status_end_date", "event", ["status", "end_date", "start_date"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_status_end_date", table_name="event")
