"""Refunds of duplicate or wrongly captured payments.

Every refund carries an idempotency key (unique in the database and sent to Razorpay as
``X-Refund-Idempotency``), so a double click, a retried request or a timeout followed by a retry
returns the first refund instead of paying twice. The refund's money is taken off the payment at
once (its spare part first, then its newest allocations, so those dues show unpaid again) and
posted to the books when the refund is *processed*: at once for cash, bank and UPI money the foreman
hands back, and when the gateway confirms (API answer, ``refund.processed`` webhook or
``reconcile``) for online payments. A failed refund gives the money back to the payment, where it
settles open dues again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.db import transaction
from luckychit_app.domain import ledger as books
from luckychit_app.domain.money import format_inr
from luckychit_app.gateways.protocol import Gateway, GatewayRejected, GatewayUnavailable
from luckychit_app.models import ChitGroup, Payment, Refund, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.locking import refuse_refund_if_locked
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.advances import available_cash
from luckychit_app.services.money.allocation import apply_advances, lock_ticket, release_payment_money
from luckychit_app.services.money.ledger import post
from luckychit_app.services.validation import clean_amount, clean_text

TxFactory = Callable[[], AbstractContextManager[Session]]
STALE_REFUND = "This payment was refunded after this page was loaded. Reload the page to see it first."
KEY_RE = re.compile(r"^[A-Za-z0-9_\-]{10,80}$")
REFUND_ID_RE = re.compile(r"^rfnd_[A-Za-z0-9]{6,40}$")


def refunded_totals(session: Session, payment_ids: Iterable[int]) -> dict[int, int]:
    """Refunds in flight or done, per payment, in one query (a failed refund does not count;
    payments with none are left out)."""
    rows = session.exec(
        select(Refund.payment_id, func.sum(Refund.amount))
        .where(Refund.payment_id.in_(list(payment_ids)), Refund.status != "failed")
        .group_by(Refund.payment_id)
    ).all()
    return {int(pid): int(total) for pid, total in rows}


def refunded_total(session: Session, payment_id: int) -> int:
    """Refunds in flight or done on a payment (a failed refund does not count)."""
    return refunded_totals(session, [payment_id]).get(payment_id, 0)


def _clean_key(value: object) -> str:
    if not isinstance(value, str) or not KEY_RE.fullmatch(value):
        raise ServiceError(
            "The refund request is missing its idempotency key (10-80 letters, digits, - or _).",
            "idempotency_key",
        )
    return value


def create_refund(
    session: Session,
    *,
    actor: Actor | None,
    payment_id: object,
    amount: object,
    reason: object,
    idempotency_key: object,
    refundable_shown: object = None,
) -> tuple[Refund, bool]:
    """Record a refund on a received payment. Returns (refund, created); a repeated key returns the
    first refund unchanged, and the same key for a different refund is refused."""
    key = _clean_key(idempotency_key)
    pid = require_id(payment_id, "payment")
    payment = session.exec(select(Payment).where(Payment.id == pid).with_for_update()).first()
    if payment is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, payment.group_id)
    refuse_refund_if_locked(session, group)  # closed, or settled for closing (issue 15)
    paise = clean_amount(amount)
    existing = session.exec(select(Refund).where(Refund.idempotency_key == key)).first()
    if existing is not None:
        if existing.payment_id != payment.id or existing.amount != paise:
            raise ServiceError("This refund key was already used for a different refund.", "idempotency_key")
        return existing, False
    why = clean_text(reason, field="reason", label="Reason", min_len=3, max_len=200)
    if payment.method == "prize":
        raise ServiceError("A deduction from a prize cannot be refunded; it paid the member's dues.")
    if payment.method == "deposit":  # s.21(1)(e): the deposit paid the dues; no money came in to return
        raise ServiceError(
            "Dues recovered from a security deposit cannot be refunded; the deposit paid them."
        )
    if payment.status == "refunded":
        raise ServiceError("This payment has already been refunded in full.")
    if payment.status != "captured":
        raise ServiceError("Only money that was received can be refunded.")
    refundable = payment.amount - refunded_total(session, payment.id)
    if refundable_shown is not None and clean_amount(refundable_shown, "amount") != refundable:
        # The dialog was opened before another refund of this payment (a second tab): not twice.
        raise ServiceError(STALE_REFUND, "amount")
    if paise > refundable:
        raise ServiceError(f"At most {format_inr(refundable)} can be refunded on this payment.", "amount")
    cash = available_cash(session, group_id=group.id)
    if paise > cash:
        raise ServiceError(
            f"The group holds {format_inr(max(cash, 0))} after payouts and refunds in progress, less than "
            "this refund.",
            "amount",
        )
    if lock_ticket(session, payment.ticket_id).status == "removed":
        # A removed subscriber's money is settled by their removal refund (Chit Funds Act s.30).
        raise ServiceError("This ticket has been removed: its money is settled by the removal refund.")
    release_payment_money(session, payment=payment, amount=paise)
    refund = Refund(
        payment_id=payment.id,
        amount=paise,
        reason=why,
        status="created",
        idempotency_key=key,
        created_by_id=actor.user_id,
    )
    try:
        with session.begin_nested():
            session.add(refund)
    except IntegrityError as exc:  # the same key, committed by a concurrent request
        raise ServiceError("This refund is already being processed; refresh to see it.") from exc
    audit.record(
        session,
        actor_id=actor.user_id,
        action="refund.created",
        object_type="refund",
        object_id=refund.id,
        detail={"payment_id": payment.id, "amount": paise, "reason": why, "key": key},
        chain=payment.foreman_id,
    )
    if payment.method != "online":
        # Cash, bank and UPI money is handed back by the foreman: the refund is done when recorded.
        _mark_processed(session, refund=refund, payment=payment, group=group, actor_id=actor.user_id)
    return refund, True


def _mark_processed(
    session: Session,
    *,
    refund: Refund,
    payment: Payment,
    group: ChitGroup,
    actor_id: int | None,
    gateway_refund_id: str | None = None,
) -> None:
    if refund.status == "processed":
        return
    refund.status, refund.processed_at = "processed", utcnow()
    if gateway_refund_id and not refund.gateway_refund_id:
        refund.gateway_refund_id = gateway_refund_id
    session.add(refund)
    session.flush()
    post(
        session,
        books.refund_issued(group.id, payment.ticket_id, refund.id, refund.amount),
        group_id=group.id,
        created_by_id=actor_id,
    )
    done = session.exec(
        select(func.coalesce(func.sum(Refund.amount), 0)).where(
            Refund.payment_id == payment.id, Refund.status == "processed"
        )
    ).one()
    if int(done) >= payment.amount:
        payment.status = "refunded"
        session.add(payment)
    audit.record(
        session,
        actor_id=actor_id,
        action="refund.processed",
        object_type="refund",
        object_id=refund.id,
        detail={
            "payment_id": payment.id,
            "amount": refund.amount,
            "gateway_refund_id": refund.gateway_refund_id,
        },
        chain=payment.foreman_id,
    )
    ticket = session.get(Ticket, payment.ticket_id)
    notify(
        session,
        [ticket.member_id],
        kind="refund",
        title=f"{format_inr(refund.amount)} refunded for {group.name}",
        body=refund.reason,
        link=f"/receipts/{payment.id}",
        title_key="notify.refund",
        values={"amount": format_inr(refund.amount), "group": group.name},
    )


def _mark_failed(
    session: Session, *, refund: Refund, payment: Payment, group: ChitGroup, reason: str
) -> None:
    if refund.status != "created":
        return
    refund.status = "failed"
    refund.reason = f"{refund.reason} (failed: {reason})"[:200]
    session.add(refund)
    session.flush()
    # The money is the member's payment again: let it settle whatever is open.
    apply_advances(session, group_id=group.id, up_to_month=group.current_month, ticket_id=payment.ticket_id)
    audit.record(
        session,
        actor_id=None,
        action="refund.failed",
        object_type="refund",
        object_id=refund.id,
        detail={"payment_id": payment.id, "reason": reason[:200]},
        chain=payment.foreman_id,
    )


def apply_gateway_refund(
    session: Session, *, data: dict[str, Any], refund_id: int | None = None, actor_id: int | None = None
) -> str:
    """Apply what the gateway says about a refund (API answer, webhook or reconcile).

    Finds our refund by id, by the gateway's refund id or by the key we put in its notes; a refund
    made outside the app (Razorpay dashboard) is recorded if the payment can carry it.
    Returns "applied" or "ignored".
    """
    status = data.get("status")
    gateway_id = (
        data.get("id") if isinstance(data.get("id"), str) and REFUND_ID_RE.fullmatch(data["id"]) else None
    )
    refund = None
    if refund_id is not None:
        refund = session.exec(select(Refund).where(Refund.id == refund_id).with_for_update()).first()
    if refund is None and gateway_id:
        refund = session.exec(
            select(Refund).where(Refund.gateway_refund_id == gateway_id).with_for_update()
        ).first()
    notes = data.get("notes") if isinstance(data.get("notes"), dict) else {}
    if refund is None and isinstance(notes.get("refund_key"), str):
        refund = session.exec(
            select(Refund).where(Refund.idempotency_key == notes["refund_key"]).with_for_update()
        ).first()
    if refund is None:
        return _record_outside_refund(session, data=data, gateway_id=gateway_id)
    payment = session.exec(select(Payment).where(Payment.id == refund.payment_id).with_for_update()).first()
    group = session.get(ChitGroup, payment.group_id)
    if gateway_id and not refund.gateway_refund_id:
        refund.gateway_refund_id = gateway_id
        session.add(refund)
    if status == "processed":
        if refund.status == "processed":
            return "ignored"
        if refund.status == "failed":
            # Money we had given back to the dues has gone after all: take it off again.
            lock_ticket(session, payment.ticket_id)
            release_payment_money(session, payment=payment, amount=refund.amount)
            refund.status = "created"
        _mark_processed(session, refund=refund, payment=payment, group=group, actor_id=actor_id)
        return "applied"
    if status == "failed":
        if refund.status != "created":
            return "ignored"
        _mark_failed(
            session,
            refund=refund,
            payment=payment,
            group=group,
            reason=str(data.get("error") or "refund failed at the gateway"),
        )
        return "applied"
    session.flush()
    return "ignored"


def _record_outside_refund(session: Session, *, data: dict[str, Any], gateway_id: str | None) -> str:
    """A processed refund we did not start (made on the gateway's dashboard): the money has left,
    so the books must show it. Refused (and audited) if the payment could not carry it."""
    if data.get("status") != "processed" or gateway_id is None:
        return "ignored"
    payment_ref, amount = data.get("payment_id"), data.get("amount")
    if (
        not isinstance(payment_ref, str)
        or not isinstance(amount, int)
        or isinstance(amount, bool)
        or amount <= 0
    ):
        return "ignored"
    payment = session.exec(
        select(Payment).where(Payment.gateway_payment_id == payment_ref).with_for_update()
    ).first()
    if payment is None:
        return "ignored"
    group = session.get(ChitGroup, payment.group_id)
    if payment.status != "captured" or amount > payment.amount - refunded_total(session, payment.id):
        raise ServiceError(f"Gateway refund {gateway_id} is more than payment {payment.id} can carry.")
    lock_ticket(session, payment.ticket_id)
    release_payment_money(session, payment=payment, amount=amount)
    refund = Refund(
        payment_id=payment.id,
        amount=amount,
        reason="Refunded at the gateway",
        status="created",
        idempotency_key=f"gateway-{gateway_id}"[:80],
        gateway_refund_id=gateway_id,
    )
    session.add(refund)
    session.flush()
    _mark_processed(session, refund=refund, payment=payment, group=group, actor_id=None)
    return "applied"


def refund_payment(
    *,
    tx: TxFactory = transaction,
    gateway: Gateway,
    actor: Actor | None,
    payment_id: object,
    amount: object,
    reason: object,
    idempotency_key: object,
    refundable_shown: object = None,
) -> dict[str, str]:
    """The foreman's refund: recorded first, then (for online money) sent to the gateway with the
    same idempotency key, then confirmed. A gateway that does not answer leaves the refund pending
    for `reconcile` to retry with the same key; it is never sent twice."""
    with tx() as s:
        refund, _created = create_refund(
            s,
            actor=actor,
            payment_id=payment_id,
            amount=amount,
            reason=reason,
            idempotency_key=idempotency_key,
            refundable_shown=refundable_shown,
        )
        payment = s.get(Payment, refund.payment_id)
        rid, status, key, paise = refund.id, refund.status, refund.idempotency_key, refund.amount
        method, gateway_payment_id, gateway_refund_id = (
            payment.method,
            payment.gateway_payment_id,
            refund.gateway_refund_id,
        )
        pid = payment.id
    if method != "online" or status != "created":
        return {"id": str(rid), "status": status}
    try:
        if gateway_refund_id:
            data = gateway.fetch_refund(gateway_refund_id)
        else:
            data = gateway.refund(
                payment_id=gateway_payment_id or "",
                amount=paise,
                idempotency_key=key,
                notes={"refund_key": key, "payment_id": str(pid)},
            )
    except GatewayUnavailable:
        return {"id": str(rid), "status": "created"}
    except GatewayRejected as exc:
        with tx() as s:
            apply_gateway_refund(s, data={"status": "failed", "error": str(exc)}, refund_id=rid)
        raise ServiceError(f"The gateway refused the refund: {exc}") from exc
    with tx() as s:
        apply_gateway_refund(s, data=data, refund_id=rid, actor_id=actor.user_id if actor else None)
        refund = s.get(Refund, rid)
        return {"id": str(rid), "status": refund.status}
