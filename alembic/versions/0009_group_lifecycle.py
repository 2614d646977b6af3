"""a chit group's whole life: agreement terms, defaults, substitution, transfer, guarantors, closing

Chit Funds Act 1982 s.28-s.33: a removed defaulter's ticket row stays beside the substitute's (the
unique ticket number is now unique among seated tickets only), their refund is a subscriber_refunds
row; transfers keep the earlier holder's history; guarantors are real records; groups can be closed.

SQLite rebuilds a table to change its constraints, and a rebuilt table loses its triggers, so on
SQLite the rollup triggers of 0006 and 0007 are created again at the end (as 0008 does).

Revision ID: 0009_group_lifecycle
Revises: 0008_companies_branches_staff
Create Date: 2026-12-05 12:30:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0009_group_lifecycle"
down_revision: str | None = "0008_companies_branches_staff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_BEFORE = "status IN ('forming','active','completed','cancelled')"
STATUS_AFTER = "status IN ('forming','active','completed','closed','cancelled')"
SEATED = "status <> 'removed'"


def _sibling(name: str) -> ModuleType:
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"luckychit_migration_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0008 = _sibling("0008_companies_branches_staff.py")
_0007 = _sibling("0007_data_versions.py")

# Member pages read these new tables too (the passbook shows a removed subscriber's refund and the
# history of a ticket they transferred away): their writes move the counters of migration 0007.
NEW_SCOPES: dict[str, tuple[tuple[str, str], ...]] = {
    "subscriber_refunds": (("g", "R.group_id"), ("u", "R.member_id")),
    "ticket_transfers": (
        ("g", "(SELECT t.group_id FROM tickets t WHERE t.id = R.ticket_id)"),
        ("u", "R.from_member_id"),
        ("u", "R.to_member_id"),
    ),
}


def _create_version_triggers() -> None:
    """0007's triggers, for the tables above (this module's own copy of 0007 learns their scopes)."""
    _0007.SCOPES.update(NEW_SCOPES)
    if op.get_bind().dialect.name == "postgresql":
        for table in NEW_SCOPES:
            op.execute(_0007._pg_function(table))
            for statement in _0007._pg_triggers(table, "INSERT OR UPDATE OR DELETE"):
                op.execute(statement)
        return
    for table in NEW_SCOPES:
        for statement in _0007._sqlite_table_triggers(table):
            op.execute(statement)


_string, _when = _0008._string, _0008._when  # one definition of the column types


def upgrade() -> None:
    _0008._drop_sqlite_triggers()
    with op.batch_alter_table("chit_groups") as batch:
        batch.add_column(sa.Column("period", _string(12), nullable=False, server_default="monthly"))
        batch.add_column(
            sa.Column("forfeit_dividend_when_late", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("default_after", sa.Integer(), nullable=False, server_default="3"))
        batch.add_column(
            sa.Column("removal_deduction_bp", sa.Integer(), nullable=False, server_default="500")
        )
        batch.add_column(sa.Column("removed_refund_at", _string(12), nullable=False, server_default="close"))
        batch.add_column(sa.Column("late_fee_pool_to", _string(10), nullable=False, server_default="foreman"))
        batch.add_column(sa.Column("closed_at", _when(), nullable=True))
        batch.drop_constraint("ck_group_status", type_="check")
        batch.create_check_constraint("ck_group_status", STATUS_AFTER)
        batch.drop_constraint("ck_group_max_discount", type_="check")
        batch.create_check_constraint("ck_group_max_discount", "max_discount_bp BETWEEN 0 AND 5000")
        batch.create_check_constraint("ck_group_period", "period IN ('monthly','fortnightly','weekly')")
        batch.create_check_constraint("ck_group_default_after", "default_after BETWEEN 1 AND 12")
        batch.create_check_constraint("ck_group_removal_deduction", "removal_deduction_bp BETWEEN 0 AND 500")
        batch.create_check_constraint(
            "ck_group_removed_refund_at", "removed_refund_at IN ('close','substitution')"
        )
        batch.create_check_constraint("ck_group_late_fee_pool", "late_fee_pool_to IN ('foreman','members')")

    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("defaulted_at", _when(), nullable=True))
        batch.add_column(sa.Column("ended_at", _when(), nullable=True))
        batch.add_column(sa.Column("replaces_ticket_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_tickets_replaces_ticket_id", "tickets", ["replaces_ticket_id"], ["id"])
        batch.drop_constraint("uq_ticket_group_no", type_="unique")
    op.create_index(
        "uq_ticket_group_no_seated",
        "tickets",
        ["group_id", "ticket_no"],
        unique=True,
        postgresql_where=sa.text(SEATED),
        sqlite_where=sa.text(SEATED),
    )

    with op.batch_alter_table("prize_securities") as batch:
        batch.add_column(sa.Column("released_at", _when(), nullable=True))

    op.create_table(
        "guarantors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("security_id", sa.Integer(), nullable=False),
        sa.Column("name", _string(80), nullable=False),
        sa.Column("mobile", _string(10), nullable=False),
        sa.Column("relation", _string(40), nullable=False),
        sa.Column("kyc_kind", _string(8), nullable=False),
        sa.Column("kyc_encrypted", sa.Text(), nullable=False),
        sa.Column("kyc_last4", _string(4), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.CheckConstraint("kyc_kind IN ('pan','aadhaar')", name="ck_guarantor_kyc_kind"),
        sa.ForeignKeyConstraint(["security_id"], ["prize_securities.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_guarantors_security_id", "guarantors", ["security_id"])

    op.create_table(
        "ticket_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("from_member_id", sa.Integer(), nullable=False),
        sa.Column("to_member_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("reason", _string(200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.ForeignKeyConstraint(["from_member_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["to_member_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ticket_transfers_ticket_id", "ticket_transfers", ["ticket_id"])
    op.create_index("ix_ticket_transfers_from_member_id", "ticket_transfers", ["from_member_id"])
    op.create_index("ix_ticket_transfers_to_member_id", "ticket_transfers", ["to_member_id"])

    op.create_table(
        "subscriber_refunds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("kind", _string(8), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("contributed", sa.BigInteger(), nullable=False),
        sa.Column("deduction", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("payable_at", _string(12), nullable=False),
        sa.Column("status", _string(8), nullable=False),
        sa.Column("method", _string(10), nullable=False),
        sa.Column("reference", _string(100), nullable=False),
        sa.Column("paid_at", _when(), nullable=True),
        sa.Column("paid_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _when(), nullable=False),
        sa.CheckConstraint("amount >= 0 AND deduction >= 0", name="ck_subscriber_refund_amount"),
        sa.CheckConstraint("status IN ('due','paid')", name="ck_subscriber_refund_status"),
        sa.CheckConstraint("payable_at IN ('close','substitution')", name="ck_subscriber_refund_when"),
        sa.CheckConstraint("kind IN ('removal','closing')", name="ck_subscriber_refund_kind"),
        sa.ForeignKeyConstraint(["group_id"], ["chit_groups.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["paid_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id"),
    )
    op.create_index("ix_subscriber_refunds_group_id", "subscriber_refunds", ["group_id"])
    op.create_index("ix_subscriber_refunds_member_id", "subscriber_refunds", ["member_id"])
    _0008._create_sqlite_triggers()
    _create_version_triggers()


def downgrade() -> None:
    """Only while no group uses what this revision added: a removed ticket beside its substitute,
    a closed group or a discount ceiling above 40 % cannot be expressed before it."""
    bind = op.get_bind()
    blockers = (
        "SELECT count(*) FROM tickets WHERE status = 'removed'",
        "SELECT count(*) FROM chit_groups WHERE status = 'closed' OR max_discount_bp > 4000",
        "SELECT count(*) FROM subscriber_refunds",
    )
    if any(bind.execute(sa.text(q)).scalar() for q in blockers):
        raise RuntimeError("Cannot downgrade: removed tickets, closed groups or refunds exist.")
    _0008._drop_sqlite_triggers()
    for table in ("subscriber_refunds", "ticket_transfers", "guarantors"):
        op.drop_table(table)  # their triggers go with them
    if bind.dialect.name == "postgresql":
        for table in NEW_SCOPES:
            op.execute(f"DROP FUNCTION IF EXISTS data_versions_{table}()")
    with op.batch_alter_table("prize_securities") as batch:
        batch.drop_column("released_at")
    op.drop_index("uq_ticket_group_no_seated", table_name="tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.create_unique_constraint("uq_ticket_group_no", ["group_id", "ticket_no"])
        batch.drop_constraint("fk_tickets_replaces_ticket_id", type_="foreignkey")
        for column in ("replaces_ticket_id", "ended_at", "defaulted_at"):
            batch.drop_column(column)
    with op.batch_alter_table("chit_groups") as batch:
        for name in (
            "ck_group_late_fee_pool",
            "ck_group_removed_refund_at",
            "ck_group_removal_deduction",
            "ck_group_default_after",
            "ck_group_period",
        ):
            batch.drop_constraint(name, type_="check")
        batch.drop_constraint("ck_group_max_discount", type_="check")
        batch.create_check_constraint("ck_group_max_discount", "max_discount_bp BETWEEN 0 AND 4000")
        batch.drop_constraint("ck_group_status", type_="check")
        batch.create_check_constraint("ck_group_status", STATUS_BEFORE)
        for column in (
            "closed_at",
            "late_fee_pool_to",
            "removed_refund_at",
            "removal_deduction_bp",
            "default_after",
            "forfeit_dividend_when_late",
            "period",
        ):
            batch.drop_column(column)
    _0008._create_sqlite_triggers()
