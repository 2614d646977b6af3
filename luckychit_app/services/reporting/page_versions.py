"""When a member's page may be shown again without reading the books: the page key.

A member's home, passbook and draws pages cost ~9 ms of server CPU each, and a member who reloads
or moves between them mostly sees the same figures. The key names everything a page depends on:
the page, the member, their language, the Indian calendar day (dues turn overdue and late fees
grow with it) and the `data_versions` counters of the member and of every group they hold (or
held, before transferring it) a ticket in, which database triggers move on every write to a table
these pages read (migrations 0007 and 0009). Equal keys mean an equal page.

The key must be read before the page in the same transaction: a write that lands between the two
reads then shows as a changed key next time (one needless re-read) rather than a stale page
stored under a fresh key.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from luckychit_app.clock import today_ist
from luckychit_app.services.access import Actor

# The tables whose writes move a counter (kept in step with migration 0007's SCOPES and the users
# trigger; tests/services/reporting/test_page_versions.py checks that the pages read nothing else).
VERSIONED_TABLES = frozenset(
    {
        "chit_groups",
        "tickets",
        "installments",
        "payments",
        "payment_allocations",
        "refunds",
        "draws",
        "payouts",
        "prize_securities",
        "journal_entries",
        "postings",
        "users",
        "subscriber_refunds",  # and these two since migration 0009
        "ticket_transfers",
    }
)

# Two indexed lookups: written as one OR, PostgreSQL scanned every group's row (3 ms with 20,000
# groups, against 0.06 ms for this form).
_COUNTERS = text(
    "SELECT kind, key_id, version FROM data_versions WHERE kind = 'u' AND key_id = :uid "
    "UNION ALL "
    "SELECT kind, key_id, version FROM data_versions "
    "WHERE kind = 'g' AND key_id IN (SELECT group_id FROM tickets WHERE member_id = :uid "
    # a ticket the member transferred away stays in their passbook's history (migration 0009)
    "UNION SELECT t.group_id FROM ticket_transfers x JOIN tickets t ON t.id = x.ticket_id "
    "WHERE x.from_member_id = :uid) "
    "ORDER BY kind, key_id"
)


def member_page_key(session: Session | Connection, actor: Actor, page: str) -> str:
    """The key of `page` (with any choice the page was read with) as `actor` would see it now."""
    counters = ",".join(f"{k}{i}:{v}" for k, i, v in session.execute(_COUNTERS, {"uid": actor.user_id}))
    return f"{page}|{actor.user_id}|{actor.language}|{today_ist().isoformat()}|{counters}"
