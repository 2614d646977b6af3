"""Late-fee journal entries indexed (issue 22): every dues screen reads the late fees posted on its
tickets (services/money/late_fees.late_fees_posted), and without an index on the entries' kind
PostgreSQL scanned the whole journal for them (9 ms per read on the bench book, five reads per
refresh of the foreman's payments page).

- journal_entries: partial index ix_journal_late_fee on (id) WHERE kind = 'late_fee'.

Revision ID: 0020_late_fee_entries
Revises: 0019_audit_chains
Create Date: 2026-12-07 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_late_fee_entries"
down_revision: str | None = "0019_audit_chains"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_journal_late_fee",
        "journal_entries",
        ["id"],
        unique=False,
        postgresql_where=sa.text("kind = 'late_fee'"),
        sqlite_where=sa.text("kind = 'late_fee'"),
    )


def downgrade() -> None:
    op.drop_index("ix_journal_late_fee", table_name="journal_entries")
