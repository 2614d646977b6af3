"""KYC: date of birth, bank account (encrypted) and IFSC, nominee, the foreman's review; notifications
stored as i18n keys and values; a group's rule for a draw before its date (issue 16); payments of method 'deposit' (dues recovered from a prized
subscriber's security deposit, issue 15)

SQLite rebuilds kyc_records, chit_groups and payments to change their constraints; two of them have the rollup
triggers of 0006 and 0007, so they are dropped first and made again at the end (as 0008 does).

Revision ID: 0010_kyc_bank_nominee
Revises: 0009_group_lifecycle
Create Date: 2026-12-05 13:30:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0010_kyc_bank_nominee"
down_revision: str | None = "0009_group_lifecycle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


METHODS_BEFORE = "method IN ('online','upi','cash','bank','prize')"
METHODS_AFTER = "method IN ('online','upi','cash','bank','prize','deposit')"


def _sibling(name: str) -> ModuleType:
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"luckychit_migration_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0008 = _sibling("0008_companies_branches_staff.py")


_string, _when = _0008._string, _0008._when  # one definition of the column types


def upgrade() -> None:
    _0008._drop_sqlite_triggers()
    with op.batch_alter_table("payments") as batch:
        batch.drop_constraint("ck_payment_method", type_="check")
        batch.create_check_constraint("ck_payment_method", METHODS_AFTER)
    with op.batch_alter_table("kyc_records") as batch:
        batch.add_column(sa.Column("date_of_birth", sa.Date(), nullable=True))
        batch.add_column(sa.Column("bank_account_encrypted", sa.Text(), nullable=True))
        batch.add_column(sa.Column("bank_account_last4", _string(4), nullable=False, server_default=""))
        batch.add_column(sa.Column("ifsc", _string(11), nullable=False, server_default=""))
        batch.add_column(sa.Column("nominee_name", _string(80), nullable=False, server_default=""))
        batch.add_column(sa.Column("nominee_relation", _string(40), nullable=False, server_default=""))
        batch.add_column(sa.Column("reviewed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reviewed_at", _when(), nullable=True))
        batch.add_column(sa.Column("review_note", _string(200), nullable=False, server_default=""))
        batch.create_foreign_key("fk_kyc_records_reviewed_by_id", "users", ["reviewed_by_id"], ["id"])
    with op.batch_alter_table("chit_groups") as batch:
        batch.add_column(sa.Column("early_draw", _string(8), nullable=False, server_default="warn"))
        batch.create_check_constraint("ck_group_early_draw", "early_draw IN ('warn','refuse')")
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("title_key", _string(60), nullable=False, server_default=""))
        batch.add_column(sa.Column("body_key", _string(60), nullable=False, server_default=""))
        batch.add_column(sa.Column("values_json", sa.Text(), nullable=False, server_default="{}"))
    _0008._create_sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().execute(sa.text("SELECT count(*) FROM payments WHERE method = 'deposit'")).scalar():
        raise RuntimeError("Cannot downgrade: payments recovered from security deposits exist.")
    _0008._drop_sqlite_triggers()
    with op.batch_alter_table("notifications") as batch:
        for column in ("values_json", "body_key", "title_key"):
            batch.drop_column(column)
    with op.batch_alter_table("chit_groups") as batch:
        batch.drop_constraint("ck_group_early_draw", type_="check")
        batch.drop_column("early_draw")
    with op.batch_alter_table("kyc_records") as batch:
        batch.drop_constraint("fk_kyc_records_reviewed_by_id", type_="foreignkey")
        for column in (
            "review_note",
            "reviewed_at",
            "reviewed_by_id",
            "nominee_relation",
            "nominee_name",
            "ifsc",
            "bank_account_last4",
            "bank_account_encrypted",
            "date_of_birth",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("payments") as batch:
        batch.drop_constraint("ck_payment_method", type_="check")
        batch.create_check_constraint("ck_payment_method", METHODS_BEFORE)
    _0008._create_sqlite_triggers()
