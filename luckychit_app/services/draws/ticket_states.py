"""Each ticket's standing for a month's draw, read from the database for the domain's eligibility
rules: active or not, prized or not, which months are unpaid, and the opaque member reference the
public proof names its holder by (so a proof can be published without naming anyone)."""

from __future__ import annotations

import hashlib

from sqlmodel import Session, select

from luckychit_app.crypto import keyring
from luckychit_app.domain.eligibility import TicketState
from luckychit_app.domain.fairness import member_ref
from luckychit_app.models import ChitGroup, Ticket
from luckychit_app.services.money.dues import due_lines


def member_ref_secret() -> bytes:
    """The install's key for member references, derived from its current data key."""
    return hashlib.sha256(b"luckychit-member-ref:" + keyring()[1][keyring()[0]]).digest()


def ticket_states(session: Session, group: ChitGroup, month: int) -> list[tuple[Ticket, TicketState]]:
    """Every ticket still in the group (in ticket-number order) with its standing for ``month``."""
    tickets = session.exec(
        select(Ticket)
        .where(Ticket.group_id == group.id, Ticket.status != "removed")
        .order_by(Ticket.ticket_no)
    ).all()
    secret = member_ref_secret()
    states = []
    for t in tickets:
        unpaid = {
            ln.month for ln in due_lines(session, ticket_id=t.id, up_to_month=month) if ln.outstanding > 0
        }
        states.append(
            (
                t,
                TicketState(
                    ticket_no=t.ticket_no,
                    member_ref=member_ref(t.member_id, group.id, secret),
                    active=t.status == "active",
                    prized=t.prized_month is not None,
                    unpaid_months=frozenset(unpaid),
                ),
            )
        )
    return states
