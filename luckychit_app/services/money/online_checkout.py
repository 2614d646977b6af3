"""A member paying online through the gateway (Razorpay, or the built-in test gateway without keys).

The flow (DESIGN §5): the member's "Pay now" creates our payment row, then a gateway order for it
(``receipt`` = our payment id); the checkout returns ``order_id|payment_id`` signed with the key
secret, which the server verifies before posting (online_capture). If the checkout fails or is
closed the payment is marked failed, and a later capture on the same order still wins.

Gateway calls are made *between* short transactions, never inside one: a slow gateway must not hold
row locks (or SQLite's write lock) while it thinks.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.db import transaction
from luckychit_app.domain.money import format_inr
from luckychit_app.gateways.protocol import Gateway, GatewayRejected, GatewayUnavailable
from luckychit_app.i18n import text
from luckychit_app.models import ChitGroup, Payment, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_role, ticket_for_member
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.locking import refuse_if_locked
from luckychit_app.services.money.amount_due import amount_due
from luckychit_app.services.money.dues import PAYING_GROUP, due_lines
from luckychit_app.services.money.late_fees import late_fees_unpaid
from luckychit_app.services.money.online_capture import (
    PAYMENT_ID_RE,
    TxFactory,
    capture_online,
    lock_by_order,
    lock_payment,
    mark_failed,
)
from luckychit_app.services.validation import clean_amount

log = logging.getLogger("luckychit.payments")
ORDER_ID_RE = re.compile(r"^order_[A-Za-z0-9]{6,40}$")
MIN_ONLINE = 100
"""₹1: the smallest order Razorpay accepts."""
UNAVAILABLE = (
    "Online payment is not available right now and nothing was charged. Please try again in a few "
    "minutes, or pay by UPI."
)


@dataclass(frozen=True)
class Checkout:
    """What the browser needs to open the checkout for one order."""

    payment_id: int
    ticket_id: int
    order_id: str
    amount: int
    gateway: str
    key_id: str
    group_name: str
    description: str
    member_name: str
    member_mobile: str


def _payable_cap(session: Session, group: ChitGroup, ticket_id: int) -> int:
    """The most a member may pay online at once: everything still unpaid on the ticket (all months,
    not only the raised ones) plus late fees. Stops a typo of ₹5,00,000 for ₹5,000."""
    unpaid = sum(ln.outstanding for ln in due_lines(session, ticket_id=ticket_id) if ln.outstanding > 0)
    due = amount_due(session, group=group, ticket_id=ticket_id)
    return unpaid + due.fees_accruing + late_fees_unpaid(session, ticket_id=ticket_id)


ORDER_REUSE = timedelta(minutes=15)
"""How long an unpaid order is continued rather than a new one made (Razorpay takes several payment
attempts on one order until it is paid)."""


def create_intent(session: Session, *, actor: Actor | None, ticket_id: object, amount: object) -> Payment:
    """Our payment row for a member's online payment, before the gateway order exists; or the
    member's unpaid order for this ticket and amount made in the last ORDER_REUSE, with its order:
    a second press of Pay, or the same payment started in a second tab, continues that order, so
    one payment never has two orders that could both be paid."""
    ticket = ticket_for_member(session, actor, ticket_id)
    group = session.get(ChitGroup, ticket.group_id)
    refuse_if_locked(group)  # a closed or cancelled group says so (issue 15)
    if group.status not in PAYING_GROUP:
        raise ServiceError("This group is not collecting payments.")
    if ticket.status == "removed":
        raise ServiceError("This ticket has been removed.")
    paise = clean_amount(amount)
    if paise < MIN_ONLINE:
        raise ServiceError("Online payments must be at least ₹1.", "amount")
    cap = _payable_cap(session, group, ticket.id)
    if cap <= 0:
        raise ServiceError("Nothing is due on this ticket.", "amount")
    if paise > cap:
        raise ServiceError(f"You can pay at most {format_inr(cap)} on this ticket.", "amount")
    open_order = session.exec(
        select(Payment)
        .where(
            Payment.ticket_id == ticket.id,
            Payment.payer_id == actor.user_id,
            Payment.method == "online",
            Payment.status == "pending",
            Payment.amount == paise,
            Payment.gateway_order_id.is_not(None),
            Payment.created_at > utcnow() - ORDER_REUSE,
        )
        .order_by(Payment.id.desc())
    ).first()
    if open_order is not None:
        return open_order
    payment = Payment(
        group_id=group.id,
        ticket_id=ticket.id,
        foreman_id=group.foreman_id,
        payer_id=actor.user_id,
        amount=paise,
        method="online",
        status="created",
        recorded_by_id=actor.user_id,
    )
    session.add(payment)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="payment.checkout_started",
        object_type="payment",
        object_id=payment.id,
        detail={"ticket_id": ticket.id, "amount": paise},
        chain=group.foreman_id,
    )
    return payment


def _order_ref(value: object) -> str:
    if not isinstance(value, str) or not ORDER_ID_RE.fullmatch(value):
        raise ServiceError("Invalid order.")
    return value


def start_checkout(
    *, tx: TxFactory = transaction, gateway: Gateway, actor: Actor | None, ticket_id: object, amount: object
) -> Checkout:
    """Create the payment and its gateway order (or continue the member's open one, create_intent);
    returns what the checkout needs."""
    with tx() as s:
        payment = create_intent(s, actor=actor, ticket_id=ticket_id, amount=amount)
        ticket = s.get(Ticket, payment.ticket_id)
        group = s.get(ChitGroup, payment.group_id)
        member = s.get(User, actor.user_id)
        pid, paise, open_order = payment.id, payment.amount, payment.gateway_order_id
        notes = {"payment_id": str(pid), "group_id": str(group.id), "ticket_no": str(ticket.ticket_no)}
        info = (ticket.id, group.name, ticket.ticket_no, member.name, member.mobile)
    if open_order:
        return _checkout(pid, open_order, paise, gateway, info)
    try:
        order = gateway.create_order(amount=paise, receipt=f"lc-payment-{pid}", notes=notes)
        order_id = _order_ref(order.get("id"))
        if order.get("amount") != paise:
            raise GatewayRejected("The gateway created an order for a different amount.")
    except (GatewayUnavailable, GatewayRejected, ServiceError) as exc:
        log.warning("order creation failed for payment %s: %s", pid, exc)
        with tx() as s:
            payment = lock_payment(s, pid)
            if payment is not None and payment.status == "created":
                payment.status, payment.failure_reason = "failed", f"Order not created: {exc}"[:200]
                s.add(payment)
        raise ServiceError(UNAVAILABLE) from exc
    with tx() as s:
        payment = lock_payment(s, pid)
        payment.gateway_order_id = order_id
        if payment.status == "created":
            payment.status = "pending"
        s.add(payment)
    return _checkout(pid, order_id, paise, gateway, info)


def _checkout(pid: int, order_id: str, paise: int, gateway: Gateway, info: tuple) -> Checkout:
    ticket_pk, group_name, ticket_no, member_name, mobile = info
    return Checkout(
        payment_id=pid,
        ticket_id=ticket_pk,
        order_id=order_id,
        amount=paise,
        gateway=gateway.name,
        key_id=gateway.key_id,
        group_name=group_name,
        description=f"Ticket {ticket_no} installment",
        member_name=member_name,
        member_mobile=mobile,
    )


def checkout_for_order(session: Session, *, actor: Actor | None, order_id: object) -> dict[str, str]:
    """The member's own pending order, for the checkout page (refused for anyone else's)."""
    actor = require_role(actor, "member")
    order = _order_ref(order_id)
    payment = session.exec(select(Payment).where(Payment.gateway_order_id == order)).first()
    if payment is None or payment.payer_id != actor.user_id:
        raise NotAllowed()
    group = session.get(ChitGroup, payment.group_id)
    ticket = session.get(Ticket, payment.ticket_id)
    return {
        "order_id": order,
        "payment_id": str(payment.id),
        "ticket_id": str(ticket.id),
        "amount": format_inr(payment.amount),
        "group": group.name,
        "description": text(actor.language, "checkout.description", n=ticket.ticket_no),
        "status": payment.status,
    }


def confirm_checkout(
    session: Session,
    *,
    actor: Actor | None,
    gateway: Gateway,
    order_id: object,
    payment_id: object,
    signature: object,
) -> Payment:
    """The checkout's success handler: verify Razorpay's signature server-side, then post."""
    actor = require_role(actor, "member")
    order = _order_ref(order_id)
    if not isinstance(payment_id, str) or not PAYMENT_ID_RE.fullmatch(payment_id):
        raise ServiceError("Invalid payment.")
    if not isinstance(signature, str) or not gateway.verify_payment_signature(
        order_id=order, payment_id=payment_id, signature=signature
    ):
        raise ServiceError(
            "We could not verify this payment with the gateway. If money left your account it will be "
            "matched automatically within the hour."
        )
    payment = lock_by_order(session, order)
    if payment is None or payment.payer_id != actor.user_id:
        raise NotAllowed()
    return capture_online(
        session,
        payment=payment,
        gateway_payment_id=payment_id,
        amount=payment.amount,
        source="checkout",
        actor_id=actor.user_id,
    )


def checkout_failed(
    session: Session, *, actor: Actor | None, order_id: object, reason: object = ""
) -> Payment:
    """The checkout reported a failure or was closed. Only an unpaid order can be marked failed, and
    a later capture on the same order still wins."""
    actor = require_role(actor, "member")
    order = _order_ref(order_id)
    payment = lock_by_order(session, order)
    if payment is None or payment.payer_id != actor.user_id:
        raise NotAllowed()
    text = reason if isinstance(reason, str) else ""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text).strip()[:200] or "The payment was not completed."
    mark_failed(session, payment, text, "checkout", actor.user_id)
    return payment
