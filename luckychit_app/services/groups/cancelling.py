"""Cancelling a group that never starts, or cannot fill its seats (issue 15, item 13).

Only the foreman (or the platform admin) cancels, only a group still forming, and always with a
reason. Everything collected for it is refunded through the books with the refunds service
(services.money.refunds): money the foreman holds (cash, bank, UPI) is recorded as handed back at
once; online money goes back through the payment gateway with the refund's idempotency key, after
the cancellation is committed (a gateway that does not answer leaves it for ``reconcile``). Pending
join requests are declined; every member and applicant is told in the app and by SMS; the group is
kept, read-only (services.groups.locking), for its history.

A group that has started is never cancelled: its members have paid instalments and taken prizes,
so it runs to its last draw and is then closed (services.groups.closing).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.db import transaction
from luckychit_app.domain.money import format_inr
from luckychit_app.gateways.protocol import Gateway, GatewayRejected, GatewayUnavailable
from luckychit_app.models import ChitGroup, JoinRequest, Payment, Refund, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups.closing import closing_blockers, locked_group
from luckychit_app.services.messages import outbox
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money import refunds
from luckychit_app.services.validation import clean_text

TxFactory = Callable[[], AbstractContextManager[Session]]


def _status_refusal(group: ChitGroup) -> str | None:
    if group.status == "forming":
        return None
    if group.status == "cancelled":
        return "This group is already cancelled."
    if group.status == "closed":
        return "This group is closed; a closed group cannot be cancelled."
    stage = "has held its last draw" if group.status == "completed" else f"is in month {group.current_month}"
    return (
        f"This group has started and {stage}: a running group cannot be cancelled. It runs to its "
        "last draw and is then closed."
    )


def _rupees(paise: int) -> str:
    return f"{paise // 100}.{paise % 100:02d}"


def cancel_in_books(
    session: Session, *, actor: Actor | None, group_id: object, reason: object
) -> tuple[dict[str, str], list[int]]:
    """Cancel in one transaction: refund every captured payment, decline pending requests, mark the
    group cancelled and tell everyone. Returns (summary, ids of online refunds for the gateway)."""
    group = locked_group(session, actor, group_id)
    refused = _status_refusal(group)
    if refused:
        raise ServiceError(refused)
    why = clean_text(reason, field="reason", label="Reason", min_len=3, max_len=200)
    blockers = closing_blockers(session, group)
    if blockers:
        raise ServiceError("The group cannot be cancelled yet. " + " ".join(blockers[:5]))
    # The chit agreement (s.6): money collected for a chit that never starts is the subscribers' and
    # goes back to them, through the books (DESIGN §6), whatever way it came in.
    paid_back: dict[int, int] = {}
    online: list[int] = []
    total = count = 0
    for payment in session.exec(
        select(Payment)
        .where(Payment.group_id == group.id, Payment.status == "captured", Payment.method != "prize")
        .order_by(Payment.id)
    ).all():
        left = payment.amount - refunds.refunded_total(session, payment.id)
        if left <= 0:
            continue
        refund, _created = refunds.create_refund(
            session,
            actor=actor,
            payment_id=payment.id,
            amount=_rupees(left),
            reason=f"Group cancelled: {why}"[:200],
            idempotency_key=f"cancel-{group.id}-{payment.id}",
        )
        paid_back[payment.ticket_id] = paid_back.get(payment.ticket_id, 0) + left
        total, count = total + left, count + 1
        if refund.status == "created":
            online.append(refund.id)
    declined = session.exec(
        select(JoinRequest).where(JoinRequest.group_id == group.id, JoinRequest.status == "pending")
    ).all()
    for request in declined:
        request.status, request.decided_at, request.decided_by_id = "rejected", utcnow(), actor.user_id
        session.add(request)
    group.status, group.updated_at = "cancelled", utcnow()
    session.add(group)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="group.cancelled",
        object_type="group",
        object_id=group.id,
        detail={
            "reason": why,
            "refunded": total,
            "refunds_online": online,
            "requests_declined": [r.id for r in declined],
        },
    )
    _tell_everyone(session, group, why, paid_back, [r.user_id for r in declined])
    summary = {
        "refunded": format_inr(total),
        "payments": str(count),
        "online": str(len(online)),
    }
    return summary, online


def _tell_everyone(
    session: Session, group: ChitGroup, why: str, paid_back: dict[int, int], applicants: list[int]
) -> None:
    """In the app and by SMS (the outbox, sent after commit): each ticket holder with what comes
    back to them, and each declined applicant."""
    back: dict[int, int] = {}
    for ticket in session.exec(select(Ticket).where(Ticket.group_id == group.id)).all():
        back[ticket.member_id] = back.get(ticket.member_id, 0) + paid_back.get(ticket.id, 0)
    for uid in applicants:
        back.setdefault(uid, 0)
    back.pop(group.foreman_id, None)  # the foreman's own ticket (s.21(1)(a)): they cancelled it
    foreman = session.get(User, group.foreman_id)
    users = {u.id: u for u in session.exec(select(User).where(User.id.in_(list(back)))).all()}
    for uid, paise in sorted(back.items()):
        money = f" {format_inr(paise)} you paid is being refunded." if paise else ""
        notify(
            session,
            [uid],
            kind="group_cancelled",
            title=f"{group.name} has been cancelled",
            body=f"Reason: {why}.{money}",
            link="/m",
            title_key="notify.group_cancelled",
            values={"group": group.name},
        )
        user = users.get(uid)
        if user is not None and user.mobile:
            outbox.enqueue(
                session,
                channel="sms",
                recipient=user.mobile,
                kind="group_cancelled",
                body=(
                    f"LuckyChit: {group.name} ({foreman.name if foreman else 'your foreman'}) has "
                    f"been cancelled before it started. Reason: {why}.{money}"
                )[:480],
                params={"group": group.name, "foreman": foreman.name if foreman else "your foreman"},
                language=user.language,
            )


def _send_to_gateway(tx: TxFactory, gateway: Gateway, refund_id: int, actor_id: int | None) -> str:
    """Send one online refund of the cancellation to the gateway and apply its answer, as
    services.money.refunds.refund_payment does: the same idempotency key, never sent twice."""
    with tx() as s:
        refund = s.get(Refund, refund_id)
        payment = s.get(Payment, refund.payment_id)
        key, paise, gateway_payment_id, pid = (
            refund.idempotency_key,
            refund.amount,
            payment.gateway_payment_id,
            payment.id,
        )
    try:
        data = gateway.refund(
            payment_id=gateway_payment_id or "",
            amount=paise,
            idempotency_key=key,
            notes={"refund_key": key, "payment_id": str(pid)},
        )
    except GatewayUnavailable:
        return "created"  # `reconcile` asks again with the same key
    except GatewayRejected as exc:
        with tx() as s:
            refunds.apply_gateway_refund(s, data={"status": "failed", "error": str(exc)}, refund_id=refund_id)
        return "failed"
    with tx() as s:
        refunds.apply_gateway_refund(s, data=data, refund_id=refund_id, actor_id=actor_id)
        return s.get(Refund, refund_id).status


def cancel_group(
    *,
    tx: TxFactory = transaction,
    gateway: Gateway,
    actor: Actor | None,
    group_id: object,
    reason: object,
) -> dict[str, str]:
    """The foreman's cancellation: the books first (one transaction), then each online refund sent
    to the gateway. Returns what was refunded and how many online refunds are still in flight."""
    with tx() as s:
        summary, online = cancel_in_books(s, actor=actor, group_id=group_id, reason=reason)
    states = [_send_to_gateway(tx, gateway, rid, actor.user_id if actor else None) for rid in online]
    summary["pending"] = str(sum(1 for st in states if st == "created"))
    summary["failed"] = str(sum(1 for st in states if st == "failed"))
    return summary
