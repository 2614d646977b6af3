"""What a foreman's screens count: the groups the foreman runs, as a sub-select used inside ``IN``
(never a Python list of ids, so a foreman with a hundred groups costs the same queries as one with a
single group), and the tickets in them owing dues past their due date.

Shared by the home dashboard, the pending actions, the member directory and the reminders page, so
they all agree on what "overdue" means.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.models import ChitGroup, Installment
from luckychit_app.services.access import Actor
from luckychit_app.services.money.dues import open_and_due

FOREMAN = bindparam("foreman")
"""The foreman's user id, bound when a statement built once at import runs (`params={"foreman": id}`)."""
OWNED_GROUPS = select(ChitGroup.id).where(ChitGroup.foreman_id == FOREMAN)
"""`owned_groups` with the foreman bound when the statement runs, for statements built once."""


def owned_groups(actor: Actor) -> Select:
    """Sub-select of the ids of the groups this foreman runs (used inside IN, never materialised)."""
    return OWNED_GROUPS.params(foreman=actor.user_id)


def overdue_by_ticket(session: Session, group_ids: Select, today: date) -> Select:
    """Select of (ticket id, overdue paise, oldest overdue due date) for tickets owing past dues.

    Overdue means the due date has passed and the month is open (dues of months not yet opened
    cannot be paid, so they are never counted against a member)."""
    owing = Installment.amount - Installment.paid
    return (
        select(
            Installment.ticket_id.label("ticket_id"),
            func.sum(owing).label("owing"),
            func.min(Installment.due_date).label("since"),
        )
        .join(ChitGroup, ChitGroup.id == Installment.group_id)
        .where(Installment.group_id.in_(group_ids), *open_and_due(), Installment.due_date < today)
        .group_by(Installment.ticket_id)
    )
