"""When a member's page may be shown again without reading the books: the page key.

A member's home, passbook and draws pages cost ~9 ms of server CPU each, and a member who reloads
or moves between them mostly sees the same figures. The key names everything a page depends on:
the page, the member, their language, the Indian calendar day (dues turn overdue and late fees
grow with it) and the `data_versions` counters of the member, of every ticket they hold (or held,
before transferring it) and of those tickets' groups, which database triggers move on every write
to a table these pages read (migrations 0007, 0009 and 0021). Equal keys mean an equal page.

The key must be read before the page: a write that lands between the two reads then shows as a
changed key next time (one needless re-read) rather than a stale page stored under a fresh key.
(A page load reads it in the session check's statement, then the page in a transaction of its
own: state/session.py `page_read`.)
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, String, bindparam, cast, func, select, union, union_all
from sqlalchemy.engine import Connection
from sqlmodel import Session

from luckychit_app.clock import today_ist
from luckychit_app.models import DataVersion, Ticket, TicketTransfer, User
from luckychit_app.services.access import Actor
from luckychit_app.services.people import auth

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

_V, _T, _X = DataVersion.__table__.c, Ticket.__table__.c, TicketTransfer.__table__.c


def _counters_of(user_id: ColumnElement[int]) -> ScalarSelect[str]:
    """Every counter a member's pages depend on, as one string ("g12:7,t480:3,u5:40"): the member's
    own, and those of every ticket they hold, or held before transferring it, and of its group (a
    ticket passed on stays in their passbook's history, migration 0009). A ticket's counter moves
    with its dues, payments and statement; its group's with the group, its draws and its prizes
    (migration 0021): another member's payment leaves this member's pages as they are.

    Indexed lookups joined by UNION ALL: written as one OR, PostgreSQL scanned every group's row
    (3 ms with 20,000 groups, against 0.06 ms for this form). The rows are aggregated in key order;
    should a plan ever aggregate them in another order, the string differs and the page is read
    again: a needless read, never a stale page (equal strings list equal counters)."""
    users = User.__table__  # correlated with the statement's users row, through the derived table
    tickets = union(
        select(_T.id).where(_T.member_id == user_id).correlate(users),
        select(_X.ticket_id).where(_X.from_member_id == user_id).correlate(users),
    )
    groups = select(_T.group_id).where(_T.id.in_(tickets))
    rows = (
        union_all(
            select(_V.kind, _V.key_id, _V.version)
            .where(_V.kind == "u", _V.key_id == user_id)
            .correlate(users),
            select(_V.kind, _V.key_id, _V.version).where(_V.kind == "g", _V.key_id.in_(groups)),
            select(_V.kind, _V.key_id, _V.version).where(_V.kind == "t", _V.key_id.in_(tickets)),
        )
        .order_by("kind", "key_id")
        .subquery()
    )
    item = rows.c.kind + cast(rows.c.key_id, String) + ":" + cast(rows.c.version, String)
    return select(func.aggregate_strings(item, ",")).scalar_subquery()


SESSION_WITH_COUNTERS = auth.session_statement(_counters_of(User.__table__.c.id))
"""The session check and the signed-in member's counters in one statement: a member's page load
is one round trip to the database when the page is unchanged (docs/benchmarks.md 3k)."""


_COUNTERS_OF_USER = select(_counters_of(bindparam("uid")))


def page_key(actor: Actor, page: str, counters: str | None) -> str:
    """The key of `page` (with any choice the page was read with) as `actor` sees it, given their
    counters as `_counters_of` reads them."""
    return f"{page}|{actor.user_id}|{actor.language}|{today_ist().isoformat()}|{counters or ''}"


def member_page_key(session: Session | Connection, actor: Actor, page: str) -> str:
    """`page_key` with the counters read on their own (a page load reads them with the session
    check: SESSION_WITH_COUNTERS)."""
    counters = session.execute(_COUNTERS_OF_USER, {"uid": actor.user_id}).scalar()
    return page_key(actor, page, counters)
