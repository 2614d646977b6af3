"""Act paperwork (issue 19, items 5-7): registrar filings and the foreman's security deposit.

Three new tables, no change to an existing one (so no SQLite rebuild and no trigger dance):
- registrar_filings: what the foreman filed with the Registrar for a group and when (the chit
  agreement, Chit Funds Act s.7; the declaration for the certificate of commencement, s.9; the
  certificate that subscribers have true copies, s.10(2); each draw's minutes, s.18);
- foreman_securities: the security the foreman gave for the chit (s.20), with its release;
- agreement_particulars: the agreement's particulars that are not money terms (s.6(1)(h), (j), (o)).

Revision ID: 0015_paperwork
Revises: 0014_gst
Create Date: 2026-12-06 18:30:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0015_paperwork"
down_revision: str | None = "0014_gst"
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
    op.create_table(
        "registrar_filings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("chit_groups.id"), nullable=False),
        sa.Column("kind", _string(12), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("reference", _string(80), nullable=False),
        sa.Column("note", _string(200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("recorded_at", _when(), nullable=False),
        sa.UniqueConstraint("group_id", "kind", "month", name="uq_filing_group_kind_month"),
        sa.CheckConstraint("kind IN ('agreement','commencement','copies','minutes')", name="ck_filing_kind"),
        sa.CheckConstraint(
            "(kind = 'minutes' AND month >= 1) OR (kind <> 'minutes' AND month = 0)", name="ck_filing_month"
        ),
    )
    op.create_table(
        "foreman_securities",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("chit_groups.id"), nullable=False, index=True),
        sa.Column("form", _string(16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reference", _string(80), nullable=False),
        sa.Column("bank", _string(120), nullable=False),
        sa.Column("deposited_on", sa.Date(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("note", _string(200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("released_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", _when(), nullable=False),
        sa.CheckConstraint(
            "form IN ('cash','bank_guarantee','govt_securities','other')", name="ck_foreman_security_form"
        ),
        sa.CheckConstraint("amount > 0", name="ck_foreman_security_amount"),
        sa.CheckConstraint(
            "released_on IS NULL OR released_on >= deposited_on", name="ck_foreman_security_release"
        ),
    )
    op.create_table(
        "agreement_particulars",
        sa.Column(
            "group_id", sa.Integer(), sa.ForeignKey("chit_groups.id"), primary_key=True, autoincrement=False
        ),
        sa.Column("draw_time", _string(5), nullable=False),
        sa.Column("draw_place", _string(200), nullable=False),
        sa.Column("approved_bank", _string(120), nullable=False),
        sa.Column("inspection", _string(200), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("agreement_particulars")
    op.drop_table("foreman_securities")
    op.drop_table("registrar_filings")
