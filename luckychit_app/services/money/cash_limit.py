"""The s.269ST cash limit at every place cash is recorded: the counter (offline_payments), a whole
collection sheet (payment_batch) and a collector's phone (field_collections) all call
:func:`check_cash` before the payment is written, and :func:`note_override` after it.

Income-tax Act 1961 s.269ST forbids receiving ₹2,00,000 or more in cash from one person in a day
(in aggregate); s.271DA makes the penalty the whole amount received (domain/cash_limit.py). The
aggregate is the member's cash payments of that Indian calendar day across every ticket and group of
the company, with the one being recorded. Over the limit the payment is refused unless the recorder
gives a reason: then it is recorded, the reason kept on the payment (``Payment.cash_override``) and
in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import ist_day_bounds
from luckychit_app.domain import cash_limit
from luckychit_app.models import Payment, User
from luckychit_app.services import audit
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money.dues import CAPTURED
from luckychit_app.services.validation import clean_text

FIELD = "cash_override"
"""The form field of the reason; a refusal names it, so the form can show the box beside it."""


def cash_received(session: Session, *, payer_id: int, foreman_id: int, day: date) -> int:
    """The member's cash received by the company (every group its owner runs) on ``day`` (India
    time), in paise. A refunded payment still counts: s.269ST is about receiving."""
    start, end = ist_day_bounds(day)
    total = session.exec(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.payer_id == payer_id,
            Payment.foreman_id == foreman_id,
            Payment.method == "cash",
            Payment.status.in_(CAPTURED),
            Payment.paid_at >= start,
            Payment.paid_at < end,
        )
    ).one()
    return int(total)


def lock_payer(session: Session, payer_id: int) -> None:
    """Two cash payments of one member (two tickets, two desks) are checked one after the other:
    the member's row is locked (FOR NO KEY UPDATE, which inserts referencing it do not wait for).
    Callers lock their tickets first, so the order of locks is always tickets, then the member."""
    session.exec(select(User.id).where(User.id == payer_id).with_for_update(key_share=True)).first()


def _decide(already: int, paise: int, override: object) -> str:
    """Nothing ("") under the limit; over it, the cleaned reason, or the refusal without one."""
    if not cash_limit.breaches(already, paise):
        return ""
    if override in (None, "") or (isinstance(override, str) and not override.strip()):
        raise ServiceError(cash_limit.refusal(already, paise), FIELD)
    return clean_text(
        override, field=FIELD, label="The reason for accepting this cash", min_len=5, max_len=200
    )


def check_cash(
    session: Session,
    *,
    payer_id: int,
    foreman_id: int,
    day: date,
    paise: int,
    method: str,
    override: object = "",
) -> str:
    """Apply s.269ST to ``paise`` paid by ``method`` from ``payer_id`` on ``day``. Returns "" for
    money that is not cash or is under the limit, the cleaned reason over it; refuses (field
    ``cash_override``) over the limit without a reason. Call it after the ticket's row lock, before
    the payment is written."""
    if method != "cash":
        return ""
    lock_payer(session, payer_id)
    already = cash_received(session, payer_id=payer_id, foreman_id=foreman_id, day=day)
    return _decide(already, paise, override)


@dataclass(frozen=True)
class CashEntry:
    """One payment of a batch, as s.269ST sees it."""

    payer_id: int
    foreman_id: int
    day: date
    paise: int
    method: str
    override: object = ""


def check_batch(session: Session, entries: list[CashEntry]) -> list[str]:
    """:func:`check_cash` for a whole collection sheet, in its order (a member paying for two
    tickets in one sheet is counted once, in total), with one query per day received instead of one
    per payment. The reasons, "" for each payment under the limit (and every non-cash one); a
    refusal names the payment ("Payment 3: …")."""
    cash = [e for e in entries if e.method == "cash"]
    for payer_id in sorted({e.payer_id for e in cash}):  # in id order: two batches never deadlock
        lock_payer(session, payer_id)
    received: dict[tuple[int, int, date], int] = {}
    for day in {e.day for e in cash}:
        start, end = ist_day_bounds(day)
        rows = session.exec(
            select(Payment.payer_id, Payment.foreman_id, func.sum(Payment.amount))
            .where(
                Payment.payer_id.in_({e.payer_id for e in cash if e.day == day}),
                Payment.foreman_id.in_({e.foreman_id for e in cash if e.day == day}),
                Payment.method == "cash",
                Payment.status.in_(CAPTURED),
                Payment.paid_at >= start,
                Payment.paid_at < end,
            )
            .group_by(Payment.payer_id, Payment.foreman_id)
        ).all()
        received.update({(payer, foreman, day): int(total) for payer, foreman, total in rows})
    reasons = []
    for n, e in enumerate(entries, start=1):
        if e.method != "cash":
            reasons.append("")
            continue
        key = (e.payer_id, e.foreman_id, e.day)
        try:
            reasons.append(_decide(received.get(key, 0), e.paise, e.override))
        except ServiceError as exc:
            raise ServiceError(f"Payment {n}: {exc.message}", exc.field) from exc
        received[key] = received.get(key, 0) + e.paise
    return reasons


def note_override(session: Session, *, actor_id: int, payment: Payment, reason: str, day: date) -> None:
    """Keep the reason on the payment and in the audit log (for the tax auditor, Form 3CD cl. 31)."""
    if not reason:
        return
    payment.cash_override = reason
    session.add(payment)
    audit.record(
        session,
        actor_id=actor_id,
        action="payment.cash_over_limit",
        object_type="payment",
        object_id=payment.id,
        detail=override_detail(payment.payer_id, payment.amount, reason, day),
        chain=payment.foreman_id,
    )


def override_detail(payer_id: int, paise: int, reason: str, day: date) -> dict[str, object]:
    """What the audit row of an accepted over-limit cash payment says."""
    return {
        "payer_id": payer_id,
        "amount": paise,
        "received_on": day.isoformat(),
        "reason": reason,
        "rule": "Income-tax Act 1961 s.269ST (penalty s.271DA)",
    }
