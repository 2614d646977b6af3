"""Recording cash or bank money the foreman has in hand: the checks on a payment typed into the form
(method, amount, reference, the day it was received), then the money is applied at once and the
receipt issued. A whole collection sheet is recorded in one go by payment_batch, with the same
checks (:func:`offline_terms`).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from luckychit_app.clock import today_ist
from luckychit_app.models import ChitGroup, Payment, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.locking import refuse_if_locked
from luckychit_app.services.money.allocation import apply_captured, lock_ticket
from luckychit_app.services.money.cash_limit import check_cash, note_override
from luckychit_app.services.money.dues import PAYING_GROUP
from luckychit_app.services.validation import (
    clean_amount,
    clean_date,
    clean_int,
    clean_request_key,
    clean_text,
)

FORM_KEY_MISSING = "This payment form has no valid request key; reload the page and try again."
FORM_KEY_TAKEN = "This payment form was already used for a different payment; reload the page to see it."
STALE_FORM = (
    "A payment for this ticket was recorded after this page was loaded. "
    "Reload the page to see it before recording another."
)
OFFLINE_METHODS = ("cash", "bank")
"""Money the foreman records by hand; UPI and online payments have their own flows."""


def _received_on(value: object, group: ChitGroup) -> date:
    """The day the money was received: today by default; never in the future or before the group."""
    if value is None or value == "":
        return today_ist()
    day = clean_date(value, field="received_on", label="Date received")
    if day > today_ist():
        raise ServiceError("The date received cannot be in the future.", "received_on")
    if group.start_date and day < group.start_date:
        raise ServiceError("The date received is before the group started.", "received_on")
    return day


def check_payable(group: ChitGroup, ticket: Ticket) -> None:
    """Money is taken only for a running group's live ticket, at the counter or at the door."""
    refuse_if_locked(group)  # a closed or cancelled group says so (issue 15)
    if group.status not in PAYING_GROUP:
        raise ServiceError("Payments can be recorded only for a running group.")
    if ticket.status == "removed":
        raise ServiceError("This ticket has been removed.")


def payment_in_hand(
    session: Session,
    *,
    group: ChitGroup,
    ticket: Ticket,
    paise: int,
    method: str,
    reference: str,
    recorded_by_id: int,
    utr: str | None = None,
    idempotency_key: str | None = None,
) -> Payment:
    """The payment row for money someone has in hand (the owner's counter, a collector's phone), not yet
    added: the caller adds it (a collector inside a savepoint, to catch a retried tap) and then applies
    it with apply_captured. The ticket is locked first, before the insert references it (see lock_ticket)."""
    lock_ticket(session, ticket.id)
    return Payment(
        group_id=group.id,
        ticket_id=ticket.id,
        foreman_id=group.foreman_id,
        payer_id=ticket.member_id,
        amount=paise,
        method=method,
        status="pending",
        utr=utr,
        reference=reference,
        idempotency_key=idempotency_key,
        recorded_by_id=recorded_by_id,
    )


def offline_terms(
    group: ChitGroup, ticket: Ticket, method: object, amount: object, reference: object, received_on: object
) -> tuple[int, str, date]:
    """The checks on cash or bank money for a ticket, one payment or a whole collection sheet:
    (paise, reference, day received)."""
    if method not in OFFLINE_METHODS:
        raise ServiceError("Method must be cash or bank.", "method")
    check_payable(group, ticket)
    paise = clean_amount(amount)
    ref = clean_text(reference or "-", field="reference", label="Reference", max_len=100)
    return paise, ref, _received_on(received_on, group)


def payments_seen(session: Session, ticket_ids: list[int]) -> dict[int, int]:
    """Per ticket, the id of its latest payment (0 for none): what a payment form shows it as of.
    The form sends it back as `seen`, so a form drawn before another payment of the ticket (a second
    tab, a colleague at the next desk) is refused instead of taking the same money twice."""
    if not ticket_ids:
        return {}
    rows = session.exec(
        select(Payment.ticket_id, func.max(Payment.id))
        .where(Payment.ticket_id.in_(ticket_ids))
        .group_by(Payment.ticket_id)
    ).all()
    return {tid: 0 for tid in ticket_ids} | {tid: int(last) for tid, last in rows}


def refuse_if_stale(session: Session, ticket_id: int, seen: object) -> None:
    """Refuse a payment form drawn before the ticket's latest payment (`seen`, payments_seen). Call
    it after the ticket's row lock (payment_in_hand), so a racing twin has committed by then.
    None: a caller without a page (an import, a job) checks nothing."""
    if seen is None:
        return
    shown = clean_int(seen, field="seen", label="Page version", lo=0, hi=2**62)
    if payments_seen(session, [ticket_id])[ticket_id] != shown:
        raise ServiceError(STALE_FORM)


def record_offline_payment(
    session: Session,
    *,
    actor: Actor | None,
    ticket_id: object,
    amount: object,
    method: object = "cash",
    reference: object = "",
    received_on: object = None,
    request_key: object = None,
    seen: object = None,
    cash_override: object = "",
) -> Payment:
    """Cash or bank money the foreman has in hand; the receipt is issued at once.

    `request_key` is the form's idempotency key (validation.clean_request_key): a second click on
    Record, or a retry after a lost answer, returns the payment the first one recorded. The key is
    looked up after the ticket's row lock, so a racing twin waits for the first and then finds it;
    the key's unique index stops anything that slips past. `seen` (payments_seen, as the form was
    drawn) refuses a form from a second tab once the first tab's payment is in. Cash of ₹2 lakh or
    more from the member that day needs `cash_override`, the reason (cash_limit, s.269ST)."""
    key = None if request_key is None else clean_request_key(request_key, FORM_KEY_MISSING)
    ticket = session.get(Ticket, require_id(ticket_id, "ticket"))
    if ticket is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, ticket.group_id)
    paise, ref, day = offline_terms(group, ticket, method, amount, reference, received_on)
    payment = payment_in_hand(
        session,
        group=group,
        ticket=ticket,
        paise=paise,
        method=method,
        reference=ref,
        recorded_by_id=actor.user_id,
        idempotency_key=key,
    )
    if key is not None:
        first = session.exec(select(Payment).where(Payment.idempotency_key == key)).first()
        if first is not None:
            if (first.ticket_id, first.amount, first.method, first.recorded_by_id) != (
                ticket.id,
                paise,
                method,
                actor.user_id,
            ):
                raise ServiceError(FORM_KEY_TAKEN)
            return first
    refuse_if_stale(session, ticket.id, seen)
    reason = check_cash(
        session,
        payer_id=ticket.member_id,
        foreman_id=group.foreman_id,
        day=day,
        paise=paise,
        method=method,
        override=cash_override,
    )
    session.add(payment)
    session.flush()
    apply_captured(session, payment=payment, group=group, actor_id=actor.user_id, paid_on=day)
    note_override(session, actor_id=actor.user_id, payment=payment, reason=reason, day=day)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="payment.recorded",
        object_type="payment",
        object_id=payment.id,
        detail={
            "ticket_id": ticket.id,
            "amount": paise,
            "method": method,
            "receipt_no": payment.receipt_no,
            "received_on": day.isoformat(),
            "late_fee_paid": payment.late_fee_paid,
        },
        chain=group.foreman_id,
    )
    return payment
