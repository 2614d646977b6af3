"""Recovering a defaulting prized subscriber's dues from their security deposit (issue 15).

Chit Funds Act 1982:
- s.21(1)(e): the prized subscriber gives security for their future subscriptions; a deposit is
  money the foreman holds for them (services/money/security_deposits.py);
- s.32: a prized subscriber who defaults is liable for all future subscriptions, which the foreman
  may recover from the security;
- s.33: not before a written demand (services/groups/prize_defaults.demand, which marks the ticket
  defaulted).

So the foreman, and only after the written demand, applies the deposit to what the ticket owes: at
most what is overdue (with its late fees) plus the consolidated future subscriptions the demand
made due, and never more than is held. The money goes through a payment of method "deposit" like a
deduction from a prize (method "prize"): allocated to the oldest dues first, late fees charged and
collected, a receipt numbered; the part beyond today's dues is an advance that settles the next
installments as they are raised. Its one journal entry is Dr the ticket's security deposit, Cr its
receivable (domain.ledger.security_deposit_applied): the cash came in with the deposit and is not
counted again. Each request carries a key made by the page: a retried request returns the first
recovery. The ticket is row-locked as every money writer locks it, so a member's payment racing the
recovery is seen, and the recovery takes only what is still owed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.domain import ledger as books
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, Payment, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.locking import refuse_money_if_locked
from luckychit_app.services.groups.prize_defaults import standing
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money import security_deposits as deposits
from luckychit_app.services.money.allocation import apply_captured
from luckychit_app.services.money.dues import PAYING_GROUP
from luckychit_app.services.money.ledger import post
from luckychit_app.services.money.receipt_numbers import label_for
from luckychit_app.services.validation import clean_amount, clean_request_key

ACTION = "security_deposit.recovered"
REFERENCE = "Recovered from the security deposit (s.21(1)(e), s.32)"


@dataclass(frozen=True)
class Recovered:
    payment: Payment
    receipt: str  # "MAIN/000123"
    held: int  # paise of the deposit still held after it
    replayed: bool  # the request key had already recovered this: nothing new was written

    def summary(self) -> str:
        return (
            f"{format_inr(self.payment.amount)} recovered from the security deposit: receipt "
            f"{self.receipt}; {format_inr(self.held)} still held."
        )


@dataclass(frozen=True)
class Recoverable:
    """What may be recovered now, in paise: held, due (overdue + future after the demand), and the
    most a recovery may take (the smaller)."""

    held: int
    overdue: int
    due: int

    @property
    def most(self) -> int:
        return min(self.held, self.due)


def recoverable(session: Session, *, group: ChitGroup, ticket: Ticket) -> Recoverable:
    now = standing(session, group=group, ticket_id=ticket.id)
    return Recoverable(held=deposits.held(session, ticket.id), overdue=now.overdue, due=now.total)


def _replay(session: Session, actor: Actor, key: str, ticket_id: int, paise: int | None) -> Recovered | None:
    found = session.exec(select(Payment).where(Payment.idempotency_key == key)).first()
    if found is None:
        return None
    same = (found.ticket_id, found.method, found.recorded_by_id) == (ticket_id, "deposit", actor.user_id)
    if not same or (paise is not None and found.amount != paise):
        raise ServiceError("This request was already used for something else; reload the page and try again.")
    return Recovered(found, label_for(session, found), deposits.held(session, ticket_id), replayed=True)


def recover_from_deposit(
    session: Session, *, actor: Actor | None, ticket_id: object, amount: object = None, request_key: object
) -> Recovered:
    """Apply up to `amount` rupees (blank: as much as may be recovered) of the ticket's security
    deposit to its dues, after the written demand (s.21(1)(e), s.32-s.33). `request_key` is the
    page's key for this request (8-64 letters, digits, `_` or `-`)."""
    tid = require_id(ticket_id, "ticket")
    clean_request_key(request_key, "This request has no valid key; reload the page and try again.")
    paise = None if amount is None or amount == "" else clean_amount(amount)
    # The ticket row-locked first (as every money writer locks it), then read fresh.
    ticket = session.exec(
        select(Ticket)
        .where(Ticket.id == tid)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).first()
    if ticket is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, ticket.group_id)
    replayed = _replay(session, actor, request_key, ticket.id, paise)
    if replayed is not None:
        return replayed
    refuse_money_if_locked(session, group)
    if group.status not in PAYING_GROUP:
        raise ServiceError(f"This group is {group.status}: there are no dues to recover.")
    if ticket.status == "removed":
        raise ServiceError("This ticket has been removed from the group.")
    if ticket.member_id == group.foreman_id:
        raise ServiceError(
            "This is the foreman's own ticket (s.21(1)(a)): there is no security to recover from."
        )
    if ticket.prized_month is None:
        raise ServiceError(
            "This ticket has not won a prize: only a prized subscriber gives security (s.21(1)(e))."
        )
    if ticket.defaulted_at is None:
        # s.33: the security answers for the dues only after the written demand.
        raise ServiceError(
            f"Send ticket {ticket.ticket_no} the written demand first: the dues are recovered from the "
            "security only after it (s.32-s.33)."
        )
    can = recoverable(session, group=group, ticket=ticket)
    if can.held <= 0:
        raise ServiceError(f"No security deposit is held for ticket {ticket.ticket_no}.")
    if can.overdue <= 0:
        raise ServiceError(
            f"Ticket {ticket.ticket_no} has nothing overdue now: its deposit stays as security and goes "
            "back to the member at the group's close."
        )
    paise = can.most if paise is None else paise
    if paise > can.held:
        raise ServiceError(f"Only {format_inr(can.held)} is held as the security deposit.", "amount")
    if paise > can.due:
        # s.32: what is overdue and the future subscriptions the demand made due, nothing more.
        raise ServiceError(
            f"At most {format_inr(can.due)} is due on ticket {ticket.ticket_no} (overdue and future "
            "subscriptions).",
            "amount",
        )
    payment = Payment(
        group_id=group.id,
        ticket_id=ticket.id,
        foreman_id=group.foreman_id,
        payer_id=ticket.member_id,
        amount=paise,
        method="deposit",
        status="pending",
        reference=REFERENCE,
        idempotency_key=request_key,
        recorded_by_id=actor.user_id,
    )
    try:
        with session.begin_nested():
            session.add(payment)
    except IntegrityError:  # the same key committed a moment ago by a retried request
        replayed = _replay(session, actor, request_key, ticket.id, paise)
        if replayed is None:
            raise
        return replayed
    # Allocated, late fees charged and numbered like any payment; its entry moves no cash.
    apply_captured(session, payment=payment, group=group, actor_id=actor.user_id, post_entry=False)
    post(
        session,
        books.security_deposit_applied(group.id, ticket.id, payment.id, paise),
        group_id=group.id,
        created_by_id=actor.user_id,
    )
    left = deposits.held(session, ticket.id)
    receipt = label_for(session, payment)
    audit.record(
        session,
        actor_id=actor.user_id,
        action=ACTION,
        object_type="ticket",
        object_id=ticket.id,
        detail={
            "group_id": group.id,
            "payment_id": payment.id,
            "amount": paise,
            "overdue": can.overdue,
            "due": can.due,
            "held_before": can.held,
            "held_after": left,
        },
    )
    notify(
        session,
        [ticket.member_id],
        kind="deposit_recovered",
        title=(
            f"{format_inr(paise)} of your security deposit applied to ticket {ticket.ticket_no} of "
            f"{group.name}"
        ),
        body=(
            f"After the written demand (s.32-s.33) your dues were recovered from your deposit: receipt "
            f"{receipt}. {format_inr(left)} is still held for you."
        ),
        link=f"/receipts/{payment.id}",  # a payment's notification opens its receipt (issue 16)
    )
    return Recovered(payment, receipt, left, replayed=False)
