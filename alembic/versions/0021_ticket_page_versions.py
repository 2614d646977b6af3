"""data_versions per ticket: a payment moves its ticket's counter, not its whole group's

Migration 0007 moved a group's counter on every write about it, so one member's payment sent every
member of the group to the books on their next page (home, passbook and draws, ~40 members a
group): on a busy collection day most page reads were for pages that had not changed (issue 24:
`bench.concurrency --changes 2`). A member's pages show their own tickets' dues, payments, late
fees and statement, and of their groups only what the group, its draws and its prizes say. So the
rows that belong to one ticket now move that ticket's counter ('t'), and the member's page key
reads the counters of the tickets they hold or held (services/reporting/page_versions.py):

- installments, payments, payment_allocations, refunds, postings: their ticket ('t'; a posting
  to a group account has none and shows on no member page);
- journal_entries: the tickets of the entry's postings (an entry is written before its postings,
  whose own triggers then move the tickets; an entry changed later moves them from here);
- subscriber_refunds: its ticket and its member (it was the group and the member).

Everything else keeps 0007's and 0009's scopes: the group (chit_groups, tickets, draws, payouts,
prize_securities, ticket_transfers, the foreman's name) and the member (tickets, transfers).
On PostgreSQL the row functions are replaced (the triggers stay); on SQLite the triggers are made
again.

Revision ID: 0021_ticket_page_versions
Revises: 0020_late_fee_entries
Create Date: 2026-12-07 18:30:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0021_ticket_page_versions"
down_revision: str | None = "0020_late_fee_entries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sibling(name: str) -> ModuleType:
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"luckychit_migration_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0007 = _sibling("0007_data_versions.py")
_0009 = _sibling("0009_group_lifecycle.py")

# (kind, the SQL of the ids, R standing for NEW or OLD), as in 0007: an expression, or a query of
# one column `id` when a row belongs to several tickets.
TICKET_SCOPES: dict[str, tuple[tuple[str, str], ...]] = {
    "installments": (("t", "R.ticket_id"),),
    "payments": (("t", "R.ticket_id"),),
    "payment_allocations": (("t", "(SELECT i.ticket_id FROM installments i WHERE i.id = R.installment_id)"),),
    "refunds": (("t", "(SELECT p.ticket_id FROM payments p WHERE p.id = R.payment_id)"),),
    "postings": (("t", "R.ticket_id"),),
    "journal_entries": (("t", "SELECT p.ticket_id AS id FROM postings p WHERE p.entry_id = R.id"),),
    "subscriber_refunds": (("t", "R.ticket_id"), ("u", "R.member_id")),
}
BEFORE: dict[str, tuple[tuple[str, str], ...]] = {
    **{table: _0007.SCOPES[table] for table in TICKET_SCOPES if table in _0007.SCOPES},
    "subscriber_refunds": _0009.NEW_SCOPES["subscriber_refunds"],
}


def _scope(scopes: dict[str, tuple[tuple[str, str], ...]]) -> None:
    """0007's triggers made again for `scopes` (this module's own copy of 0007 learns them)."""
    _0007.SCOPES.update(scopes)
    if op.get_bind().dialect.name == "postgresql":
        for table in scopes:
            op.execute(_0007._pg_function(table))
        return
    for table in scopes:
        for event in ("ins", "del", "upd"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_dv_{table}_{event}")
        for statement in _0007._sqlite_table_triggers(table):
            op.execute(statement)


def upgrade() -> None:
    _scope(TICKET_SCOPES)


def downgrade() -> None:
    _scope(BEFORE)
