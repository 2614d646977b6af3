"""Bank statement reconciliation (issue 19, item 10) and the s.269ST cash override (item 12).

Three new tables:
- bank_statements: each import of a statement file by a company;
- bank_statement_lines: the statement's lines, once each (unique fingerprint per company, so a
  re-imported or overlapping file adds nothing);
- bank_matches: the line that confirmed a pending UPI payment (a line confirms one payment, a
  payment is confirmed by one line: both unique).

And one column on payments: cash_override, the reason given for accepting cash of ₹2,00,000 or more
from one member in a day (Income-tax Act 1961 s.269ST; penalty s.271DA); "" for every other payment.
On SQLite the payments table is rebuilt by the batch, so the rollup triggers are dropped first and
created again at the end (see 0008).

Revision ID: 0016_bank_statements
Revises: 0015_paperwork
Create Date: 2026-12-06 18:30:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0016_bank_statements"
down_revision: str | None = "0015_paperwork"
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
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("cash_override", _string(200), nullable=False, server_default=""))
    op.create_table(
        "bank_statements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("companies.id"), nullable=False, index=True),
        sa.Column("account", _string(34), nullable=False),
        sa.Column("source", _string(4), nullable=False),
        sa.Column("filename", _string(120), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("lines_read", sa.Integer(), nullable=False),
        sa.Column("lines_new", sa.Integer(), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("imported_at", _when(), nullable=False),
        sa.CheckConstraint("source IN ('csv','ofx')", name="ck_bank_statement_source"),
    )
    op.create_table(
        "bank_statement_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("companies.id"), nullable=False),
        sa.Column(
            "statement_id", sa.Integer(), sa.ForeignKey("bank_statements.id"), nullable=False, index=True
        ),
        sa.Column("fingerprint", _string(64), nullable=False),
        sa.Column("account", _string(34), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("value_day", sa.Date(), nullable=True),
        sa.Column("narration", _string(300), nullable=False),
        sa.Column("ref", _string(64), nullable=False),
        sa.Column("utrs", _string(80), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=True),
        sa.Column("created_at", _when(), nullable=False),
        sa.UniqueConstraint("company_id", "fingerprint", name="uq_bank_line_fingerprint"),
        sa.CheckConstraint(
            "(debit > 0 AND credit = 0) OR (debit = 0 AND credit > 0)", name="ck_bank_line_amount"
        ),
        sa.Index("ix_bank_line_company_day", "company_id", "day"),
    )
    op.create_table(
        "bank_matches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("companies.id"), nullable=False, index=True),
        sa.Column(
            "line_id", sa.Integer(), sa.ForeignKey("bank_statement_lines.id"), nullable=False, unique=True
        ),
        sa.Column("payment_id", sa.Integer(), sa.ForeignKey("payments.id"), nullable=False, unique=True),
        sa.Column("how", _string(8), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("confirmed_at", _when(), nullable=False),
        sa.CheckConstraint("how IN ('utr','amount')", name="ck_bank_match_how"),
    )
    _0008._create_sqlite_triggers()


def downgrade() -> None:
    op.drop_table("bank_matches")
    op.drop_table("bank_statement_lines")
    op.drop_table("bank_statements")
    _0008._drop_sqlite_triggers()
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("cash_override")
    _0008._create_sqlite_triggers()
