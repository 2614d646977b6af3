"""data_versions: a counter per group and per user that moves whenever a member's pages would change

A member's home, passbook and draws pages are computed from the books (dues, late fees, advance,
statement) on every view: ~9 ms of server CPU per page, most of the 500-session benchmark's cost.
A tab may show the page it read before while nothing under it changed. These counters say when
something did: triggers on every table those pages read move the counter of each group and user the
written row belongs to, in the same transaction as the write, so no service can forget to. The
page reads the member's counters (their own row and their groups' rows) before the page itself,
in the same transaction, and re-reads only when they differ (`services/page_versions.py`).

On PostgreSQL the counters move at commit (see PG_FLUSH below for why), each once per transaction.

Revision ID: 0007_data_versions
Revises: 0006_month_totals_rollup
Create Date: 2026-12-01 12:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007_data_versions'
down_revision: str | None = '0006_month_totals_rollup'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What each written row bumps: (kind, the SQL for its id, with R standing for NEW or OLD). A member's
# key reads the rows of every group they hold a ticket in, whatever the ticket's status, and a
# payment's payer always holds its ticket (tickets never change hands), so a payment bumps only its
# group; a ticket bumps its member too, because it changes which groups that member's key reads.
SCOPES: dict[str, tuple[tuple[str, str], ...]] = {
    'chit_groups': (('g', 'R.id'),),
    'tickets': (('g', 'R.group_id'), ('u', 'R.member_id')),
    'installments': (('g', 'R.group_id'),),
    'payments': (('g', 'R.group_id'),),
    'payment_allocations': (('g', '(SELECT i.group_id FROM installments i WHERE i.id = R.installment_id)'),),
    'refunds': (('g', '(SELECT p.group_id FROM payments p WHERE p.id = R.payment_id)'),),
    'draws': (('g', 'R.group_id'),),
    'payouts': (('g', 'R.group_id'),),
    'prize_securities': (('g', '(SELECT o.group_id FROM payouts o WHERE o.id = R.payout_id)'),),
    'journal_entries': (('g', 'R.group_id'),),
    'postings': (('g', 'R.group_id'),),
}
# A user's name and language: their own pages, and the UPI payee shown on their groups' members' pages.
USER_COLUMNS = 'name, language'

# PostgreSQL: a row trigger only notes the group or user a written row belongs to, in one
# transaction-local setting (',g1,g17,u40,'); a deferred constraint trigger moves the noted counters
# at commit, in sorted order. Moving them as rows are written held a counter's row lock through the
# rest of the transaction, and with the audit chain's advisory lock taken later in the same
# transaction, concurrent payments deadlocked (tests/services/test_payment_concurrency.py). At
# commit every other lock is already held and every transaction takes counters in the same order,
# so no cycle can form. Noting each group once per transaction also spares a batch of 100 payments
# ~1,000 updates of one row in one transaction, each walking past the row versions left by the ones
# before (5,000 updates of one row: 0.34 s; the next 5,000: 0.90 s). One setting, not one per group:
# PostgreSQL 15 re-sorts its settings array for each new name (0.57 ms per group per connection).
NOTED = "coalesce(nullif(current_setting('luckychit.dv', true), ''), ',')"
NOTHING_NOTED = "coalesce(current_setting('luckychit.dv', true), '') IN ('', ',')"
PG_FLUSH = """
CREATE OR REPLACE FUNCTION data_versions_flush() RETURNS trigger AS $$
DECLARE noted text := current_setting('luckychit.dv', true); item text;
BEGIN
    IF noted IS NULL OR noted IN ('', ',') THEN
        RETURN NULL;  -- moved already by this transaction's first queued flush
    END IF;
    PERFORM set_config('luckychit.dv', ',', true);
    FOR item IN SELECT DISTINCT x FROM unnest(string_to_array(btrim(noted, ','), ',')) AS x ORDER BY x LOOP
        UPDATE data_versions SET version = version + 1
        WHERE kind = left(item, 1) AND key_id = substr(item, 2)::integer;
        IF NOT FOUND THEN  -- the first write about this group or user
            INSERT INTO data_versions (kind, key_id, version) VALUES (left(item, 1), substr(item, 2)::integer, 1)
            ON CONFLICT (kind, key_id) DO UPDATE SET version = data_versions.version + 1;
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def _note(kind: str) -> str:
    """PL/pgSQL noting `kind` + the id in `k`; a plain expression (no query) when noted already."""
    return (
        f"IF k IS NOT NULL AND strpos({NOTED}, ',{kind}' || k || ',') = 0 THEN "
        f"noted := set_config('luckychit.dv', {NOTED} || '{kind}' || k || ',', true); END IF;"
    )


PG_USERS = f"""
CREATE OR REPLACE FUNCTION data_versions_users() RETURNS trigger AS $$
DECLARE k integer; noted text;
BEGIN
    k := NEW.id; {_note('u')}
    FOR k IN SELECT c.id FROM chit_groups c WHERE c.foreman_id = NEW.id LOOP
        {_note('g')}
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def _is_query(ids: str) -> bool:
    """A scope's ids as a query of one column, `id` (a row naming several ids, 0021's journal
    entries), rather than one expression."""
    return ids.startswith('SELECT')


def _pg_function(table: str) -> str:
    """The row trigger of `table`: it notes the row's group (and member), nothing more."""

    def note(kind: str, ids: str) -> str:
        return f"FOR k IN {ids} LOOP {_note(kind)} END LOOP;" if _is_query(ids) else f"k := {ids}; {_note(kind)}"

    def notes(row: str) -> str:
        return '\n        '.join(note(kind, expr.replace('R.', row + '.')) for kind, expr in SCOPES[table])

    return f"""
CREATE OR REPLACE FUNCTION data_versions_{table}() RETURNS trigger AS $$
DECLARE k integer; noted text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {notes('OLD')}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {notes('NEW')}
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def _pg_triggers(table: str, events: str) -> tuple[str, str]:
    """The noting trigger, and the flush at commit. The flush's WHEN is evaluated as each row is
    written, so only the rows written while nothing is noted yet (the transaction's first write)
    queue a flush; the rest would find nothing to do."""
    return (
        f"CREATE TRIGGER trg_data_versions AFTER {events} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION data_versions_{table}()",
        f"CREATE CONSTRAINT TRIGGER trg_data_versions_flush AFTER {events} ON {table} "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({NOTHING_NOTED}) "
        "EXECUTE FUNCTION data_versions_flush()",
    )


def _sqlite_move(kind: str, ids: str) -> str:
    """SQLite statement moving the `kind` counters of the ids that the query `ids` (one column, `id`)
    yields, creating any counter not there yet."""
    return (
        f"INSERT INTO data_versions (kind, key_id, version) SELECT '{kind}', id, 1 FROM ({ids}) "
        "WHERE id IS NOT NULL ON CONFLICT (kind, key_id) DO UPDATE SET version = version + 1;"
    )


def _sqlite_moves(table: str, row: str) -> str:
    def query(ids: str) -> str:
        return ids if _is_query(ids) else f"SELECT {ids} AS id"

    return ' '.join(_sqlite_move(kind, query(expr.replace('R.', row + '.'))) for kind, expr in SCOPES[table])


def _sqlite_table_triggers(table: str) -> list[str]:
    """SQLite's three triggers of `table` (insert, delete, update), from its SCOPES."""
    return [
        f"CREATE TRIGGER trg_dv_{table}_ins AFTER INSERT ON {table} BEGIN {_sqlite_moves(table, 'NEW')} END",
        f"CREATE TRIGGER trg_dv_{table}_del AFTER DELETE ON {table} BEGIN {_sqlite_moves(table, 'OLD')} END",
        f"CREATE TRIGGER trg_dv_{table}_upd AFTER UPDATE ON {table} BEGIN "
        f"{_sqlite_moves(table, 'OLD')} {_sqlite_moves(table, 'NEW')} END",
    ]


def _sqlite_triggers() -> list[str]:
    out = [statement for table in SCOPES for statement in _sqlite_table_triggers(table)]
    out.append(
        f"CREATE TRIGGER trg_dv_users_upd AFTER UPDATE OF {USER_COLUMNS} ON users BEGIN "
        f"{_sqlite_move('u', 'SELECT NEW.id AS id')} "
        f"{_sqlite_move('g', 'SELECT c.id AS id FROM chit_groups c WHERE c.foreman_id = NEW.id')} END"
    )
    return out


def upgrade() -> None:
    op.create_table(
        'data_versions',
        sa.Column('kind', sa.String(length=1), nullable=False),
        sa.Column('key_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'key_id'),
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(PG_FLUSH)
        op.execute(PG_USERS)
        for statement in _pg_triggers('users', f'UPDATE OF {USER_COLUMNS}'):
            op.execute(statement)
        for table in SCOPES:
            op.execute(_pg_function(table))
            for statement in _pg_triggers(table, 'INSERT OR UPDATE OR DELETE'):
                op.execute(statement)
    else:
        for statement in _sqlite_triggers():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table in (*SCOPES, 'users'):
            op.execute(f'DROP TRIGGER IF EXISTS trg_data_versions_flush ON {table}')
            op.execute(f'DROP TRIGGER IF EXISTS trg_data_versions ON {table}')
            op.execute(f'DROP FUNCTION IF EXISTS data_versions_{table}()')
        op.execute('DROP FUNCTION IF EXISTS data_versions_flush()')
    else:
        for statement in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    op.drop_table('data_versions')
