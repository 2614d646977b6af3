"""One audit hash chain per company owner (issue 22): audit_log.chain and audit_log.seq.

- audit_log.chain: whose chain the row is in: a foreman's (company owner's) user id, or 0 for the
  platform (admin actions, sign-ins of users not acting for a company, jobs with no group).
- audit_log.seq: the row's place in its chain, 1, 2, 3, ... without gaps; (chain, seq) is unique,
  so two writers racing for the same place cannot both land.
- Existing rows form chain 0 as they were: chain = 0, seq = id. Their hashes covered `"id": id`,
  which services/audit.py now fills with seq, so every old row verifies unchanged.
- PostgreSQL: the writers used to give every row its id explicitly (the next in the one chain), so
  the id sequence never moved; it is set past the last row, as ids now come from it.

Revision ID: 0019_audit_chains
Revises: 0018_worker_heartbeats
Create Date: 2026-12-07 06:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_audit_chains"
down_revision: str | None = "0018_worker_heartbeats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("chain", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
    op.execute("UPDATE audit_log SET seq = id")
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch.create_index("ix_audit_log_chain_seq", ["chain", "seq"], unique=True)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('audit_log', 'id'), "
            "(SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log), false)"
        )


def downgrade() -> None:
    """Only while every row is still in chain 0 numbered by its id (the one chain the old code
    reads): rows of other chains cannot be put back into a single chain without rehashing."""
    bind = op.get_bind()
    moved = bind.execute(sa.text("SELECT count(*) FROM audit_log WHERE chain <> 0 OR seq <> id")).scalar_one()
    if moved:
        raise RuntimeError(
            f"Cannot downgrade: {moved} audit rows are in per-foreman chains (or numbered apart from ids)"
        )
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index("ix_audit_log_chain_seq")
        batch.drop_column("seq")
        batch.drop_column("chain")
