"""An outbox that delivers (issue 18, items 1 and 2): each message carries its kind (the provider
template it is sent with, as DLT and WhatsApp require), the template's parameters, its language and
category, an optional dedupe key (one reminder per due, even from two workers), and the delivery
bookkeeping: provider and its message id, the time of the next attempt (backoff), the lease of the
worker sending it, and the delivery report's time. Status gains `sending` and `delivered`.

Revision ID: 0012_outbox_delivery
Revises: 0011_sign_in_grants
Create Date: 2026-12-20 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012_outbox_delivery"
down_revision: str | None = "0011_sign_in_grants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False, server_default="notice"))
        batch.add_column(sa.Column("params", sa.Text(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False, server_default="en"))
        batch.add_column(sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False, server_default="transactional"))
        batch.add_column(sa.Column("dedupe_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch.add_column(sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default=""))
        batch.add_column(sa.Column("provider_message_id", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch.add_column(sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("delivered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.create_unique_constraint("uq_outbox_dedupe_key", ["dedupe_key"])
        batch.create_index("ix_outbox_provider_message_id", ["provider_message_id"], unique=False)
        batch.create_index("ix_outbox_next_attempt_at", ["next_attempt_at"], unique=False)
        batch.create_check_constraint(
            "ck_outbox_status", "status IN ('queued','sending','sent','delivered','failed')"
        )
        batch.create_check_constraint("ck_outbox_category", "category IN ('transactional','service')")
    # Messages already waiting go out at the next run, as they would have before.
    op.execute("UPDATE outbox SET next_attempt_at = created_at WHERE status = 'queued'")
    # Before 0012 the console "sent" SMS that no one received; say so instead of pretending.
    op.execute("UPDATE outbox SET provider = 'console' WHERE status = 'sent' AND channel <> 'email'")


def downgrade() -> None:
    # Rows in the new states go back to the nearest old one (sending -> queued, delivered -> sent).
    op.execute("UPDATE outbox SET status = 'queued' WHERE status = 'sending'")
    op.execute("UPDATE outbox SET status = 'sent' WHERE status = 'delivered'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("ck_outbox_category", type_="check")
        batch.drop_constraint("ck_outbox_status", type_="check")
        batch.drop_index("ix_outbox_next_attempt_at")
        batch.drop_index("ix_outbox_provider_message_id")
        batch.drop_constraint("uq_outbox_dedupe_key", type_="unique")
        for column in (
            "delivered_at",
            "claimed_until",
            "next_attempt_at",
            "provider_message_id",
            "provider",
            "dedupe_key",
            "category",
            "language",
            "params",
            "kind",
        ):
            batch.drop_column(column)
