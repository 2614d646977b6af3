"""month_totals: what fell due and what was collected, per group, calendar month and method

The dashboard's 12-month chart joined a year of payment allocations (48,000 rows for a foreman with
100 groups) to their installments and payments on every load: 100-150 ms of its ~220 ms of SQL.
`month_totals` holds the same sums, one row per (group, month the dues fall due in, kind), where
kind is 'due' (the installments' amounts) or a payment method (the allocations of payments made
that way). Like `installments.paid` (0005) it is kept by triggers in the same transaction as every
write to installments, payment_allocations or a payment's method, so no service can forget it, and
ledger-check proves it equals a recomputation from the rows. Two indexes let the dashboard's
recent-activity feed read the newest draws and joins without sorting the whole book.

Revision ID: 0006_month_totals_rollup
Revises: 0005_installment_paid_rollup
Create Date: 2026-12-01 06:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006_month_totals_rollup'
down_revision: str | None = '0005_installment_paid_rollup'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_FUNCTIONS = (
    """
CREATE OR REPLACE FUNCTION month_totals_add(g integer, d date, k varchar, amt bigint) RETURNS void AS $$
BEGIN
    IF amt <> 0 THEN
        INSERT INTO month_totals (group_id, month, kind, amount)
        VALUES (g, date_trunc('month', d)::date, k, amt)
        ON CONFLICT (group_id, month, kind) DO UPDATE SET amount = month_totals.amount + EXCLUDED.amount;
    END IF;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE OR REPLACE FUNCTION month_totals_allocation() RETURNS trigger AS $$
DECLARE g integer; d date; m varchar;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT i.group_id, i.due_date INTO g, d FROM installments i WHERE i.id = OLD.installment_id;
        SELECT p.method INTO m FROM payments p WHERE p.id = OLD.payment_id;
        PERFORM month_totals_add(g, d, m, -OLD.amount);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT i.group_id, i.due_date INTO g, d FROM installments i WHERE i.id = NEW.installment_id;
        SELECT p.method INTO m FROM payments p WHERE p.id = NEW.payment_id;
        PERFORM month_totals_add(g, d, m, NEW.amount);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE OR REPLACE FUNCTION month_totals_installment() RETURNS trigger AS $$
DECLARE r record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM month_totals_add(OLD.group_id, OLD.due_date, 'due', -OLD.amount);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM month_totals_add(NEW.group_id, NEW.due_date, 'due', NEW.amount);
    END IF;
    IF TG_OP = 'UPDATE' AND (OLD.group_id <> NEW.group_id
            OR date_trunc('month', OLD.due_date) <> date_trunc('month', NEW.due_date)) THEN
        FOR r IN SELECT p.method AS m, SUM(a.amount)::bigint AS s FROM payment_allocations a
                 JOIN payments p ON p.id = a.payment_id WHERE a.installment_id = NEW.id GROUP BY p.method LOOP
            PERFORM month_totals_add(OLD.group_id, OLD.due_date, r.m, -r.s);
            PERFORM month_totals_add(NEW.group_id, NEW.due_date, r.m, r.s);
        END LOOP;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE OR REPLACE FUNCTION month_totals_payment_method() RETURNS trigger AS $$
DECLARE r record;
BEGIN
    FOR r IN SELECT i.group_id AS g, i.due_date AS d, a.amount AS s FROM payment_allocations a
             JOIN installments i ON i.id = a.installment_id WHERE a.payment_id = NEW.id LOOP
        PERFORM month_totals_add(r.g, r.d, OLD.method, -r.s);
        PERFORM month_totals_add(r.g, r.d, NEW.method, r.s);
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
)
PG_TRIGGERS = (
    """CREATE TRIGGER trg_month_totals_allocation AFTER INSERT OR UPDATE OR DELETE ON payment_allocations
    FOR EACH ROW EXECUTE FUNCTION month_totals_allocation()""",
    # `paid` changes on every allocation; only the columns that move a due between buckets fire this.
    """CREATE TRIGGER trg_month_totals_installment AFTER INSERT OR DELETE OR UPDATE OF amount, due_date, group_id
    ON installments FOR EACH ROW EXECUTE FUNCTION month_totals_installment()""",
    """CREATE TRIGGER trg_month_totals_method AFTER UPDATE OF method ON payments
    FOR EACH ROW WHEN (OLD.method IS DISTINCT FROM NEW.method) EXECUTE FUNCTION month_totals_payment_method()""",
)

# SQLite: the same sums with UPSERT in the trigger bodies (dates are 'YYYY-MM-DD' text there).
_SQLITE_ADD = """INSERT INTO month_totals (group_id, month, kind, amount)
        SELECT {g}, date({d}, 'start of month'), {k}, {amt} FROM {src} WHERE {where}
        ON CONFLICT (group_id, month, kind) DO UPDATE SET amount = amount + excluded.amount;"""


def _alloc(row: str, sign: str) -> str:
    return _SQLITE_ADD.format(
        g='i.group_id', d='i.due_date', k='p.method', amt=f'{sign}{row}.amount',
        src='installments i, payments p',
        where=f'i.id = {row}.installment_id AND p.id = {row}.payment_id',
    )


def _due(row: str, sign: str) -> str:
    return _SQLITE_ADD.format(
        g=f'{row}.group_id', d=f'{row}.due_date', k="'due'", amt=f'{sign}{row}.amount', src='(SELECT 1)',
        where='1',
    )


def _moved(sign_old: str) -> str:
    """Collections of an installment whose month or group changed, out of the old bucket and in."""
    out = _SQLITE_ADD.format(
        g='OLD.group_id', d='OLD.due_date', k='p.method', amt='-SUM(a.amount)',
        src='payment_allocations a JOIN payments p ON p.id = a.payment_id',
        where='a.installment_id = OLD.id GROUP BY p.method',
    )
    into = _SQLITE_ADD.format(
        g='NEW.group_id', d='NEW.due_date', k='p.method', amt='SUM(a.amount)',
        src='payment_allocations a JOIN payments p ON p.id = a.payment_id',
        where='a.installment_id = NEW.id GROUP BY p.method',
    )
    return out + "\n" + into


SQLITE_TRIGGERS = (
    f"CREATE TRIGGER trg_month_totals_alloc_ins AFTER INSERT ON payment_allocations BEGIN {_alloc('NEW', '')} END",
    f"CREATE TRIGGER trg_month_totals_alloc_del AFTER DELETE ON payment_allocations BEGIN {_alloc('OLD', '-')} END",
    f"CREATE TRIGGER trg_month_totals_alloc_upd AFTER UPDATE ON payment_allocations BEGIN "
    f"{_alloc('OLD', '-')} {_alloc('NEW', '')} END",
    f"CREATE TRIGGER trg_month_totals_inst_ins AFTER INSERT ON installments BEGIN {_due('NEW', '')} END",
    f"CREATE TRIGGER trg_month_totals_inst_del AFTER DELETE ON installments BEGIN {_due('OLD', '-')} END",
    "CREATE TRIGGER trg_month_totals_inst_upd AFTER UPDATE OF amount, due_date, group_id ON installments BEGIN "
    f"{_due('OLD', '-')} {_due('NEW', '')} END",
    "CREATE TRIGGER trg_month_totals_inst_move AFTER UPDATE OF due_date, group_id ON installments "
    "WHEN OLD.group_id <> NEW.group_id OR date(OLD.due_date, 'start of month') <> "
    f"date(NEW.due_date, 'start of month') BEGIN {_moved('-')} END",
    "CREATE TRIGGER trg_month_totals_method AFTER UPDATE OF method ON payments WHEN OLD.method <> NEW.method BEGIN "
    + _SQLITE_ADD.format(
        g='i.group_id', d='i.due_date', k='OLD.method', amt='-a.amount',
        src='payment_allocations a JOIN installments i ON i.id = a.installment_id', where='a.payment_id = NEW.id',
    )
    + _SQLITE_ADD.format(
        g='i.group_id', d='i.due_date', k='NEW.method', amt='a.amount',
        src='payment_allocations a JOIN installments i ON i.id = a.installment_id', where='a.payment_id = NEW.id',
    )
    + " END",
)

PG_TRIGGER_NAMES = (
    ('trg_month_totals_allocation', 'payment_allocations'),
    ('trg_month_totals_installment', 'installments'),
    ('trg_month_totals_method', 'payments'),
)
PG_FUNCTION_NAMES = (
    'month_totals_allocation()',
    'month_totals_installment()',
    'month_totals_payment_method()',
    'month_totals_add(integer, date, varchar, bigint)',
)


def _backfill(month: str) -> None:
    op.execute(
        f"INSERT INTO month_totals (group_id, month, kind, amount) "  # noqa: S608 (fixed SQL)
        f"SELECT i.group_id, {month.format('i.due_date')}, 'due', SUM(i.amount) FROM installments i "
        f"GROUP BY i.group_id, {month.format('i.due_date')}"
    )
    op.execute(
        f"INSERT INTO month_totals (group_id, month, kind, amount) "  # noqa: S608 (fixed SQL)
        f"SELECT i.group_id, {month.format('i.due_date')}, p.method, SUM(a.amount) "
        f"FROM payment_allocations a JOIN installments i ON i.id = a.installment_id "
        f"JOIN payments p ON p.id = a.payment_id GROUP BY i.group_id, {month.format('i.due_date')}, p.method"
    )


def upgrade() -> None:
    op.create_table(
        'month_totals',
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False, server_default='0'),
        sa.ForeignKeyConstraint(['group_id'], ['chit_groups.id']),
        sa.PrimaryKeyConstraint('group_id', 'month', 'kind'),
    )
    # The dashboard's newest draws and joins: walk these indexes instead of sorting the whole book
    # (3,750 draws with their proofs, 4,000 tickets: 9-11 ms each).
    op.create_index('ix_draw_drawn_at', 'draws', ['drawn_at'], unique=False)
    op.create_index('ix_ticket_joined_at', 'tickets', ['joined_at', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        _backfill("date_trunc('month', {})::date")
        for statement in (*PG_FUNCTIONS, *PG_TRIGGERS):
            op.execute(statement)
    else:
        _backfill("date({}, 'start of month')")
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for name, table in PG_TRIGGER_NAMES:
            op.execute(f'DROP TRIGGER IF EXISTS {name} ON {table}')
        for name in PG_FUNCTION_NAMES:
            op.execute(f'DROP FUNCTION IF EXISTS {name}')
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    op.drop_table('month_totals')
    op.drop_index('ix_ticket_joined_at', table_name='tickets')
    op.drop_index('ix_draw_drawn_at', table_name='draws')
