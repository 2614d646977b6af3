"""Auctions a member can verify, and a public beacon named in advance (issue 20).

- bids: seq, member_ref, prev_hash, hash: each accepted bid is appended to the draw's hash chain
  (docs/proofs.md, "Bid chain"), naming the bidder by the pseudonym
  the proof uses as it stood when the bid was placed; bids placed before this revision keep NULL and their month's
  proof carries the lot only, as before. (draw_id, seq) is unique, so two bids racing for the same
  place in the chain cannot both land.
- draws: beacon_terms (JSON, the drand round named when the commitment was published and bound into
  it; NULL when no beacon was configured), beacon_json (the round as fetched at the draw, or the
  fallback taken) and chain_head (the bid chain's last hash, for the minutes).

Revision ID: 0017_bid_chain_beacon
Revises: 0016_bank_statements
Create Date: 2026-12-06 21:45:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0017_bid_chain_beacon"
down_revision: str | None = "0016_bank_statements"
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


def upgrade() -> None:
    _0008._drop_sqlite_triggers()
    with op.batch_alter_table("bids") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("member_ref", _string(12), nullable=True))
        batch.add_column(sa.Column("prev_hash", _string(64), nullable=True))
        batch.add_column(sa.Column("hash", _string(64), nullable=True))
        batch.create_unique_constraint("uq_bid_draw_seq", ["draw_id", "seq"])
    with op.batch_alter_table("draws") as batch:
        batch.add_column(sa.Column("beacon_terms", sa.Text(), nullable=True))
        batch.add_column(sa.Column("beacon_json", sa.Text(), nullable=True))
        batch.add_column(sa.Column("chain_head", _string(64), nullable=True))
    _0008._create_sqlite_triggers()


def downgrade() -> None:
    _0008._drop_sqlite_triggers()
    with op.batch_alter_table("draws") as batch:
        batch.drop_column("chain_head")
        batch.drop_column("beacon_json")
        batch.drop_column("beacon_terms")
    with op.batch_alter_table("bids") as batch:
        batch.drop_constraint("uq_bid_draw_seq", type_="unique")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("member_ref")
        batch.drop_column("seq")
    _0008._create_sqlite_triggers()
