"""A message that failed for good is the foreman's to follow up (issue 18, item 6): the member did not
get a receipt, a reminder or a notice, and somebody who knows them has to call. So each foreman of a
group the recipient holds a ticket in finds it in the bell, with the reason.

One-time codes are left out: the person who asked for one is on the page waiting for it and asks
again; a failed code tells the foreman nothing they could act on."""

from __future__ import annotations

from sqlmodel import Session, or_, select

from luckychit_app.models import ChitGroup, OutboxMessage, Ticket, User
from luckychit_app.services.messages.kinds import KINDS
from luckychit_app.services.messages.notifications import notify

CHANNEL_NAMES = {"sms": "SMS", "whatsapp": "WhatsApp", "email": "Email", "console": "Message"}
QUIET_KINDS = frozenset({"sign_in_code", "signup_code", "signup_taken", "reset_code", "email_code"})


def tell_foremen(session: Session, row: OutboxMessage) -> list[int]:
    """Notify the foremen of the recipient's groups that `row` failed; returns who was told."""
    if row.kind in QUIET_KINDS:
        return []
    person = session.exec(
        select(User).where(or_(User.mobile == row.recipient, User.email == row.recipient))
    ).first()
    if person is None:
        return []
    foremen = sorted(
        set(
            session.exec(
                select(ChitGroup.foreman_id)
                .join(Ticket, Ticket.group_id == ChitGroup.id)
                .where(Ticket.member_id == person.id, ChitGroup.foreman_id != person.id)
            ).all()
        )
    )
    what = KINDS[row.kind].description if row.kind in KINDS else row.kind
    notify(
        session,
        foremen,
        kind="message_failed",
        title=f"{CHANNEL_NAMES.get(row.channel, row.channel)} to {person.name} failed",
        body=f"{what[:1].upper()}{what[1:]} could not be delivered to {row.recipient}: {row.last_error}",
        link="/f/members",
    )
    return foremen
