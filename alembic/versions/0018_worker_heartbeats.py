"""Worker heartbeats (issue 21): one row per background job, written after every run.

- worker_heartbeats: name (the job's name, primary key), last_started_at, last_finished_at,
  last_ok_at (aware UTC, NULL until the job first runs / first succeeds), last_error (the last
  failure's message, "" after a clean run), runs (how many runs were recorded) and every_seconds
  (the job's interval, so lateness is judged from the row alone). /health and
  /metrics read it to say whether the auction closer, the outbox sender, the reminder scheduler
  and the backups are running, late or failing.

Revision ID: 0018_worker_heartbeats
Revises: 0017_bid_chain_beacon
Create Date: 2026-12-06 22:05:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0018_worker_heartbeats"
down_revision: str | None = "0017_bid_chain_beacon"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sibling(name: str) -> ModuleType:
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"luckychit_migration_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0008 = _sibling("0008_companies_branches_staff.py")
_string = _0008._string
_when = _0008._when


def upgrade() -> None:
    op.create_table(
        "worker_heartbeats",
        sa.Column("name", _string(40), nullable=False),
        sa.Column("last_started_at", _when(), nullable=True),
        sa.Column("last_finished_at", _when(), nullable=True),
        sa.Column("last_ok_at", _when(), nullable=True),
        sa.Column("last_error", _string(300), nullable=False, server_default=""),
        sa.Column("runs", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("every_seconds", sa.Float(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("worker_heartbeats")
