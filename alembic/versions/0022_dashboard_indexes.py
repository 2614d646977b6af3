"""The dashboard's reads from indexes (issue 22): each of these read the whole platform's rows, or
every unpaid due, to keep a few of the foreman's.

- installments: partial index ix_installment_overdue on (due_date) INCLUDE (group_id, ticket_id,
  month, amount, paid) WHERE paid < amount (on SQLite, which has no INCLUDE, on due_date alone).
  The overdue counts, the default candidates and the groups owing most read the foreman's unpaid
  dues that fell due before today; through ix_installment_open (unpaid dues by group and ticket,
  migration 0005) that was every unpaid due, future months' too (8,103 rows on the bench book for
  906 past their date), each fetched from the table: ~4 ms a statement, three a dashboard load.
  Now an index-only scan of the past-due rows.
- payouts: partial index ix_payout_released on (released_at) WHERE status = 'released': the
  feed's latest prizes released walk it newest first (they sorted every released prize: 2.4 ->
  0.4 ms on the bench book).
- draws: partial index ix_draw_open on (group_id) WHERE status IN ('committed', 'bidding'): the
  draws due read the open draws only (they scanned every draw held: 1.7 -> 0.2 ms).

Revision ID: 0022_dashboard_indexes
Revises: 0021_ticket_page_versions
Create Date: 2026-12-07 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_dashboard_indexes"
down_revision: str | None = "0021_ticket_page_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_DRAW = "status IN ('committed', 'bidding')"
RELEASED = "status = 'released'"


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
    op.create_index(
        "ix_payout_released",
        "payouts",
        ["released_at"],
        unique=False,
        postgresql_where=sa.text(RELEASED),
        sqlite_where=sa.text(RELEASED),
    )
    op.create_index(
        "ix_draw_open",
        "draws",
        ["group_id"],
        unique=False,
        postgresql_where=sa.text(OPEN_DRAW),
        sqlite_where=sa.text(OPEN_DRAW),
    )


def downgrade() -> None:
    op.drop_index("ix_draw_open", table_name="draws")
    op.drop_index("ix_payout_released", table_name="payouts")
    op.drop_index("ix_installment_overdue", table_name="installments")
