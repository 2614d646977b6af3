"""companies, branches and staff: groups, receipt series and cash belong to a branch

Every foreman becomes the owner of a company with one branch ("Main branch", code MAIN); their
groups move into it, their receipt counter becomes the branch's (the series continues unbroken) and
their captured payments name it. Staff accounts (role 'staff') hold one staff_members row each.

SQLite rebuilds a table to change its constraints, and a rebuilt table loses its triggers, so on
SQLite the rollup triggers of 0006 and 0007 are created again at the end.

Revision ID: 0008_companies_branches_staff
Revises: 0007_data_versions
Create Date: 2026-12-05 08:00:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0008_companies_branches_staff"
down_revision: str | None = "0007_data_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES_BEFORE = "role IN ('admin','foreman','member')"
ROLES_AFTER = "role IN ('admin','foreman','member','staff')"


def _sibling(name: str) -> ModuleType:
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"luckychit_migration_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sqlite_triggers() -> list[str]:
    """Every trigger 0006 and 0007 made on SQLite."""
    return [
        *_sibling("0006_month_totals_rollup.py").SQLITE_TRIGGERS,
        *_sibling("0007_data_versions.py")._sqlite_triggers(),
    ]


def _drop_sqlite_triggers() -> None:
    """Before rebuilding tables: SQLite refuses to rename a table over a trigger that names it."""
    if op.get_bind().dialect.name == "sqlite":
        for statement in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")


def _create_sqlite_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _sqlite_triggers():
            op.execute(statement)


def _fire_deferred_triggers() -> None:
    """PostgreSQL refuses ALTER TABLE on a table with queued deferred trigger events (the
    data-version flush of 0007, queued by the UPDATEs that fill the new columns): run them now."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('SET CONSTRAINTS ALL IMMEDIATE')
        op.execute('SET CONSTRAINTS ALL DEFERRED')


def _string(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _when() -> sqlmodel.sql.sqltypes.UTCDateTime:
    return sqlmodel.sql.sqltypes.UTCDateTime()


def upgrade() -> None:
    _drop_sqlite_triggers()
    op.create_table(
        "companies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", _string(80), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id"),
    )
    op.create_table(
        "branches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", _string(60), nullable=False),
        sa.Column("code", _string(8), nullable=False),
        sa.Column("address", _string(200), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "code", name="uq_branch_code"),
    )
    op.create_index("ix_branches_company_id", "branches", ["company_id"])
    op.create_table(
        "staff_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", _string(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.CheckConstraint("role IN ('branch_manager','clerk','agent','accountant')", name="ck_staff_role"),
        sa.CheckConstraint("branch_id IS NOT NULL OR role = 'accountant'", name="ck_staff_branch"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"]),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["invited_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id"),
    )
    op.create_index("ix_staff_members_company_id", "staff_members", ["company_id"])
    op.create_index("ix_staff_members_branch_id", "staff_members", ["branch_id"])
    op.create_table(
        "agent_assignments",
        sa.Column("branch_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("member_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["agent_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["assigned_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("branch_id", "member_id"),
    )
    op.create_index("ix_agent_assignments_agent_id", "agent_assignments", ["agent_id"])
    op.create_table(
        "cash_handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("from_user_id", sa.Integer(), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=False),
        sa.Column("held", sa.BigInteger(), nullable=False),
        sa.Column("declared", sa.BigInteger(), nullable=False),
        sa.Column("denominations", _string(400), nullable=False),
        sa.Column("counted", sa.BigInteger(), nullable=True),
        sa.Column("counted_denominations", _string(400), nullable=False),
        sa.Column("status", _string(10), nullable=False),
        sa.Column("note", _string(200), nullable=False),
        sa.Column("idempotency_key", _string(64), nullable=True),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("decided_at", _when(), nullable=True),
        sa.CheckConstraint("status IN ('pending','confirmed','rejected')", name="ck_handover_status"),
        sa.CheckConstraint("declared > 0 AND held >= 0", name="ck_handover_amounts"),
        sa.CheckConstraint("counted IS NULL OR counted >= 0", name="ck_handover_counted"),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"]),
        sa.ForeignKeyConstraint(["from_user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["to_user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    op.create_index("ix_handover_branch_created", "cash_handovers", ["branch_id", "created_at"])
    op.create_index("ix_cash_handovers_from_user_id", "cash_handovers", ["from_user_id"])
    op.create_index("ix_cash_handovers_to_user_id", "cash_handovers", ["to_user_id"])
    op.create_index("ix_cash_handovers_status", "cash_handovers", ["status"])

    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("address", _string(200), nullable=False, server_default=""))
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", ROLES_AFTER)

    # Every foreman's company and main branch, then their groups, payments and counter move in.
    op.execute(
        "INSERT INTO companies (owner_id, name, created_at) "
        "SELECT id, name || ' Chits', created_at FROM users WHERE role = 'foreman'"
    )
    op.execute(
        "INSERT INTO branches (company_id, name, code, address, created_at) "
        "SELECT id, 'Main branch', 'MAIN', '', created_at FROM companies"
    )
    main_branch = (
        "(SELECT b.id FROM branches b JOIN companies c ON c.id = b.company_id WHERE c.owner_id = {owner})"
    )
    with op.batch_alter_table("chit_groups") as batch:
        batch.add_column(sa.Column("branch_id", sa.Integer(), nullable=True))
    op.execute(f"UPDATE chit_groups SET branch_id = {main_branch.format(owner='chit_groups.foreman_id')}")
    _fire_deferred_triggers()
    with op.batch_alter_table("chit_groups") as batch:
        batch.alter_column("branch_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_chit_groups_branch_id", "branches", ["branch_id"], ["id"])
        batch.create_index("ix_chit_groups_branch_id", ["branch_id"])

    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("branch_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("idempotency_key", _string(64), nullable=True))
    op.execute(
        "UPDATE payments SET branch_id = (SELECT g.branch_id FROM chit_groups g WHERE g.id = payments.group_id) "
        "WHERE receipt_no IS NOT NULL"
    )
    _fire_deferred_triggers()
    with op.batch_alter_table("payments") as batch:
        batch.drop_constraint("uq_payment_receipt", type_="unique")
        batch.create_unique_constraint("uq_payment_receipt", ["branch_id", "receipt_no"])
        batch.create_unique_constraint("uq_payments_idempotency_key", ["idempotency_key"])
        batch.create_foreign_key("fk_payments_branch_id", "branches", ["branch_id"], ["id"])

    op.create_table(
        "receipt_counters_by_branch",
        sa.Column("branch_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_no", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"]),
        sa.PrimaryKeyConstraint("branch_id"),
    )
    op.execute(
        "INSERT INTO receipt_counters_by_branch (branch_id, last_no) "
        f"SELECT {main_branch.format(owner='r.foreman_id')}, r.last_no FROM receipt_counters r"
    )
    op.drop_table("receipt_counters")
    op.rename_table("receipt_counters_by_branch", "receipt_counters")
    _create_sqlite_triggers()


def downgrade() -> None:
    """Back to one company per foreman with its branches merged: only possible while every company
    has one branch and no staff (the receipt series of two branches would collide)."""
    bind = op.get_bind()
    if (
        bind.execute(sa.text("SELECT count(*) FROM branches")).scalar()
        != bind.execute(sa.text("SELECT count(*) FROM companies")).scalar()
        or bind.execute(sa.text("SELECT count(*) FROM staff_members")).scalar()
    ):
        raise RuntimeError("Cannot downgrade: a company has more than one branch, or staff.")
    _drop_sqlite_triggers()
    op.create_table(
        "receipt_counters_by_foreman",
        sa.Column("foreman_id", sa.Integer(), nullable=False),
        sa.Column("last_no", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["foreman_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("foreman_id"),
    )
    op.execute(
        "INSERT INTO receipt_counters_by_foreman (foreman_id, last_no) SELECT c.owner_id, r.last_no "
        "FROM receipt_counters r JOIN branches b ON b.id = r.branch_id JOIN companies c ON c.id = b.company_id"
    )
    op.drop_table("receipt_counters")
    op.rename_table("receipt_counters_by_foreman", "receipt_counters")
    with op.batch_alter_table("payments") as batch:
        batch.drop_constraint("fk_payments_branch_id", type_="foreignkey")
        batch.drop_constraint("uq_payments_idempotency_key", type_="unique")
        batch.drop_constraint("uq_payment_receipt", type_="unique")
        batch.create_unique_constraint("uq_payment_receipt", ["foreman_id", "receipt_no"])
        batch.drop_column("idempotency_key")
        batch.drop_column("branch_id")
    with op.batch_alter_table("chit_groups") as batch:
        batch.drop_index("ix_chit_groups_branch_id")
        batch.drop_constraint("fk_chit_groups_branch_id", type_="foreignkey")
        batch.drop_column("branch_id")
    op.execute("DELETE FROM users WHERE role = 'staff'")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", ROLES_BEFORE)
        batch.drop_column("address")
    for table in ("cash_handovers", "agent_assignments", "staff_members", "branches", "companies"):
        op.drop_table(table)
    _create_sqlite_triggers()
