"""draw presence: heartbeats of open live draw pages (members online at the draw)

Revision ID: 0003_draw_presence
Revises: 0002
Create Date: 2026-11-22 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003_draw_presence'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('draw_presence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('first_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('at_draw', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['draws.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('draw_id', 'user_id', name='uq_presence_draw_user')
    )
    with op.batch_alter_table('draw_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draw_presence_draw_id'), ['draw_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('draw_presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draw_presence_draw_id'))
    op.drop_table('draw_presence')
