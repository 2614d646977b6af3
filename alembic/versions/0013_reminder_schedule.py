"""Scheduled reminders (issue 18, item 4): the days around a due on which a group's members are
reminded, and a pause; a member may take reminders on WhatsApp too, and an email address is kept only
once a code proves it (item 3); one-time codes of purpose 'reset' (a forgotten password, item 5) and
'email'.

Revision ID: 0013_reminder_schedule
Revises: 0012_outbox_delivery
Create Date: 2026-12-06 15:00:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0013_reminder_schedule"
down_revision: str | None = "0012_outbox_delivery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sibling(name: str) -> ModuleType:
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"luckychit_migration_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0008 = _sibling("0008_companies_branches_staff.py")
_string, _when = _0008._string, _0008._when


def upgrade() -> None:
    _0008._drop_sqlite_triggers()
    with op.batch_alter_table("chit_groups") as batch:
        batch.add_column(sa.Column("reminder_days", _string(40), nullable=False, server_default="-3,0,3,7"))
        batch.add_column(
            sa.Column("reminders_paused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("notify_whatsapp", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("email_pending", _string(120), nullable=True))
        batch.add_column(sa.Column("email_verified_at", _when(), nullable=True))
    with op.batch_alter_table("one_time_codes") as batch:
        batch.drop_constraint("ck_code_purpose", type_="check")
        batch.create_check_constraint("ck_code_purpose", "purpose IN ('signin','signup','reset','email')")
    _0008._create_sqlite_triggers()


def downgrade() -> None:
    op.execute("DELETE FROM one_time_codes WHERE purpose IN ('reset','email')")  # short-lived codes, not records
    _0008._drop_sqlite_triggers()
    with op.batch_alter_table("one_time_codes") as batch:
        batch.drop_constraint("ck_code_purpose", type_="check")
        batch.create_check_constraint("ck_code_purpose", "purpose IN ('signin','signup')")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email_verified_at")
        batch.drop_column("email_pending")
        batch.drop_column("notify_whatsapp")
    with op.batch_alter_table("chit_groups") as batch:
        batch.drop_column("reminders_paused")
        batch.drop_column("reminder_days")
    _0008._create_sqlite_triggers()
