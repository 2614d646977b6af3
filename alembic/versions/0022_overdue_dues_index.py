"""Dues past their date read from an index alone (issue 22): the dashboard's overdue counts, its
default candidates and its groups owing most each read the foreman's unpaid dues that fell due
before today. Through ix_installment_open (unpaid dues by group and ticket, migration 0005) that
was every unpaid due, future months' too (8,103 rows on the bench book for 906 past their date),
each fetched from the table: ~4 ms a statement, three statements a dashboard load. This index
holds the unpaid dues by due date with the columns those statements read, so PostgreSQL answers
them with an index-only scan of the past-due rows (cards 28 -> 20 ms, groups owing most 4.3 ->
1.5 ms in process, `bench.dashboard_profile`).

- installments: partial index ix_installment_overdue on (due_date) INCLUDE (group_id, ticket_id,
  month, amount, paid) WHERE paid < amount (on SQLite, which has no INCLUDE, on due_date alone).

Revision ID: 0022_overdue_dues_index
Revises: 0021_ticket_page_versions
Create Date: 2026-12-07 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_overdue_dues_index"
down_revision: str | None = "0021_ticket_page_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_installment_overdue",
        "installments",
        ["due_date"],
        unique=False,
        postgresql_include=["group_id", "ticket_id", "month", "amount", "paid"],
        postgresql_where=sa.text("paid < amount"),
        sqlite_where=sa.text("paid < amount"),
    )


def downgrade() -> None:
    op.drop_index("ix_installment_overdue", table_name="installments")
