"""Sign-in grants (the HttpOnly session cookie is set over HTTP, issue 17) and the purpose of a
one-time code (sign-in or sign-up: sign-up proves the mobile number first, so it no longer tells
whether a number is registered).

Revision ID: 0011_sign_in_grants
Revises: 0010_kyc_bank_nominee
Create Date: 2026-12-06 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011_sign_in_grants"
down_revision: str | None = "0010_kyc_bank_nominee"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sealed_token", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("grant_hash"),
    )
    op.create_index("ix_sign_in_grants_expires_at", "sign_in_grants", ["expires_at"])
    with op.batch_alter_table("one_time_codes") as batch:
        batch.add_column(sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False, server_default="signin"))
        batch.create_check_constraint("ck_code_purpose", "purpose IN ('signin','signup')")


def downgrade() -> None:
    with op.batch_alter_table("one_time_codes") as batch:
        batch.drop_constraint("ck_code_purpose", type_="check")
        batch.drop_column("purpose")
    op.drop_index("ix_sign_in_grants_expires_at", table_name="sign_in_grants")
    op.drop_table("sign_in_grants")
