"""Which groups may still change (issue 15). A closed group is settled to the paisa and locked; a
cancelled group is kept read-only for its history; a completed group that has been settled for
closing takes no more money, since its members' shares and advances are already worked out. Every
service that writes to a group asks here first, so the refusal reads the same everywhere.

Imports only the models and the foundation modules: every other package may use it.
"""

from __future__ import annotations

from sqlmodel import Session, select

from luckychit_app.models import ChitGroup, JournalEntry
from luckychit_app.services.errors import ServiceError

LOCKED = ("closed", "cancelled")
"""Group statuses that refuse every write (payments, draws, members, settings, transfers, refunds)."""


def locked_reason(group: ChitGroup) -> str | None:
    """Why nothing about this group may change any more, or None while it may."""
    if group.status == "closed":
        return f"{group.name} is closed: its books are settled and nothing in it can change."
    if group.status == "cancelled":
        return f"{group.name} was cancelled: it is kept read-only and nothing in it can change."
    return None


def refuse_if_locked(group: ChitGroup) -> None:
    """Raise the clear refusal for a closed or cancelled group."""
    reason = locked_reason(group)
    if reason:
        raise ServiceError(reason)


def settled_for_closing(session: Session, group_id: int) -> bool:
    """Whether the group's settlement for closing is in the books (services.groups.closing)."""
    key = f"closing:{group_id}"
    return session.exec(select(JournalEntry.id).where(JournalEntry.key == key)).first() is not None


def refuse_money_if_locked(session: Session, group: ChitGroup) -> None:
    """For money coming in or going back (payments, refunds): refused for a locked group, and for
    a group settled for closing, whose dues are cleared and whose advances are already being
    returned as closing refunds (taking more, or refunding a payment again, would pay twice)."""
    refuse_if_locked(group)
    if group.status == "completed" and settled_for_closing(session, group.id):
        raise ServiceError(
            f"{group.name} is settled for closing: it takes no more money, and what members are owed "
            "is paid as their closing refunds."
        )


def refuse_refund_if_locked(session: Session, group: ChitGroup) -> None:
    """For refunds of received payments: refused for a closed group and for one settled for closing
    (its advances are returned as closing refunds). A cancelled group's money may still go back to
    its members: returning it is what cancelling does, and a refund the gateway failed is retried."""
    if group.status != "cancelled":
        refuse_money_if_locked(session, group)
