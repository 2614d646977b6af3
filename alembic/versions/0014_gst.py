"""GST on the foreman's commission (issue 19, items 1-4): the company's GST registration (GSTIN,
legal name, address, state), a member's state (the place of supply, IGST Act s.12(2)), who bears the
tax in a group, each draw's tax, and the tax invoices with their gap-free serial per company and
financial year (CGST Rules 2017 r.46(b)).

Revision ID: 0014_gst
Revises: 0013_reminder_schedule
Create Date: 2026-12-06 18:30:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0014_gst"
down_revision: str | None = "0013_reminder_schedule"
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
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("gstin", _string(15), nullable=True))
        batch.add_column(sa.Column("legal_name", _string(120), nullable=False, server_default=""))
        batch.add_column(sa.Column("gst_address", _string(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("state_code", _string(2), nullable=False, server_default=""))
        batch.create_unique_constraint("uq_companies_gstin", ["gstin"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("state_code", _string(2), nullable=False, server_default=""))
    with op.batch_alter_table("chit_groups") as batch:
        batch.add_column(sa.Column("gst_recovery", _string(8), nullable=False, server_default="prize"))
    with op.batch_alter_table("draws") as batch:
        batch.add_column(sa.Column("gst", sa.BigInteger(), nullable=False, server_default="0"))
    op.create_table(
        "tax_invoices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("companies.id"), nullable=False, index=True),
        sa.Column("fy", _string(7), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("number", _string(16), nullable=False),
        sa.Column("draw_id", sa.Integer(), sa.ForeignKey("draws.id"), nullable=False, unique=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("chit_groups.id"), nullable=False, index=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False, index=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("supplier_gstin", _string(15), nullable=False),
        sa.Column("supplier_state", _string(2), nullable=False),
        sa.Column("place_of_supply", _string(2), nullable=False),
        sa.Column("recipient_name", _string(80), nullable=False),
        sa.Column("recipient_address", _string(200), nullable=False),
        sa.Column("taxable", sa.BigInteger(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("cgst", sa.BigInteger(), nullable=False),
        sa.Column("sgst", sa.BigInteger(), nullable=False),
        sa.Column("igst", sa.BigInteger(), nullable=False),
        sa.Column("recovered_from_prize", sa.Boolean(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.UniqueConstraint("company_id", "fy", "serial", name="uq_tax_invoice_serial"),
        sa.CheckConstraint(
            "cgst >= 0 AND sgst >= 0 AND igst >= 0 AND taxable > 0", name="ck_tax_invoice_amounts"
        ),
    )
    op.create_table(
        "tax_invoice_counters",
        sa.Column(
            "company_id", sa.Integer(), sa.ForeignKey("companies.id"), primary_key=True, autoincrement=False
        ),
        sa.Column("fy", _string(7), primary_key=True),
        sa.Column("last_serial", sa.Integer(), nullable=False),
    )
    _0008._create_sqlite_triggers()


def downgrade() -> None:
    op.drop_table("tax_invoice_counters")
    op.drop_table("tax_invoices")
    _0008._drop_sqlite_triggers()
    with op.batch_alter_table("draws") as batch:
        batch.drop_column("gst")
    with op.batch_alter_table("chit_groups") as batch:
        batch.drop_column("gst_recovery")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("state_code")
    with op.batch_alter_table("companies") as batch:
        batch.drop_constraint("uq_companies_gstin", type_="unique")
        batch.drop_column("state_code")
        batch.drop_column("gst_address")
        batch.drop_column("legal_name")
        batch.drop_column("gstin")
    _0008._create_sqlite_triggers()
