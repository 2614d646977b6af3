"""payments: late fees collected per payment, prize deductions as a payment method, test gateway store

Revision ID: 0004_payments_money
Revises: 0003_draw_presence
Create Date: 2026-11-22 12:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004_payments_money'
down_revision: str | None = '0003_draw_presence'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('test_gateway_records',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('parent_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('test_gateway_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_test_gateway_records_parent_id'), ['parent_id'], unique=False)

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('late_fee_paid', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.drop_constraint('ck_payment_method', type_='check')
        batch_op.create_check_constraint(
            'ck_payment_method', "method IN ('online','upi','cash','bank','prize')"
        )


def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint('ck_payment_method', type_='check')
        batch_op.create_check_constraint('ck_payment_method', "method IN ('online','upi','cash','bank')")
        batch_op.drop_column('late_fee_paid')

    with op.batch_alter_table('test_gateway_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_test_gateway_records_parent_id'))
    op.drop_table('test_gateway_records')
