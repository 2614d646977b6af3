"""A company's bank statement lines against the payments it has on record (issue 19, item 10): the
reconciliation screen's read model, and confirming a pending UPI payment from the line that shows the
money arrived.

The rules of a match are domain/bank_matching.py's (UTR first, then amount within two days). The
candidates are the company's UPI, bank and cash payments that are captured, waiting for confirmation
(UPI) or were rejected (UPI, found by UTR only), minus those already confirmed from a line.

Confirming goes through upi.confirm_upi, the same path as the foreman's Confirm button on a group's
payments page, so the receipt, the books and the audit row are exactly a manual confirmation's. The
line is claimed first (bank_matches: one line confirms one payment, one payment is confirmed by one
line, both unique), under the line's row lock, so two clicks or two tabs post the money once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.clock import format_date, ist_day_bounds, to_ist
from luckychit_app.domain.bank_matching import WINDOW_DAYS, Credit, LineMatch, Recorded, match_credits
from luckychit_app.domain.money import format_inr
from luckychit_app.models import BankMatch, BankStatementLine, ChitGroup, Payment, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, groups_in_reach, require_id, require_owner
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money.bank_statements import recent_imports
from luckychit_app.services.money.dues import CAPTURED
from luckychit_app.services.money.receipt_numbers import label_for
from luckychit_app.services.money.upi import confirm_upi

SHOWN_LINES = 300
"""The newest deposits the screen lists (older ones stay stored and matched when looked at)."""
NEIGHBOURS = timedelta(days=7)
"""Confirming a line re-reads the lines this near it: those whose UTR may name the same payment."""
LINE_USED = "This statement line has already confirmed a payment."
METHODS = ("upi", "bank", "cash")
"""Money that reaches the bank account one payment at a time (online checkout settles in batches)."""
STATUS_LABELS = {
    "confirmed": "Confirmed",
    "matched": "Matched",
    "doubtful": "Doubtful",
    "unmatched": "Unmatched",
}


def _credit(line: BankStatementLine) -> Credit:
    return Credit(line.id, line.day, line.credit, tuple(u for u in line.utrs.split(",") if u))


def _recorded(payment: Payment) -> Recorded:
    """The payment as the matcher sees it: a waiting UPI claim is dated when the member paid."""
    pending = payment.status == "pending"
    when = payment.created_at if pending or payment.paid_at is None else payment.paid_at
    return Recorded(
        payment.id,
        to_ist(when).date(),
        payment.amount,
        payment.utr,
        pending=pending,
        rejected=payment.status == "rejected",
    )


def _candidates(session: Session, actor: Actor, lines: Sequence[BankStatementLine]) -> list[Payment]:
    """The company's payments a line among ``lines`` may be: near their days, or named by their
    UTRs; never one already confirmed from a line."""
    if not lines:
        return []
    start = ist_day_bounds(min(ln.day for ln in lines) - timedelta(days=WINDOW_DAYS))[0]
    end = ist_day_bounds(max(ln.day for ln in lines) + timedelta(days=WINDOW_DAYS))[1]
    utrs = {u for ln in lines for u in ln.utrs.split(",") if u}
    near = or_(
        and_(
            Payment.status == "pending",
            Payment.method == "upi",
            Payment.created_at >= start,
            Payment.created_at < end,
        ),
        and_(Payment.status.in_(CAPTURED), Payment.paid_at >= start, Payment.paid_at < end),
    )
    named = and_(Payment.utr.in_(utrs), Payment.status.in_(("pending", "rejected", *CAPTURED)))
    return list(
        session.exec(
            select(Payment).where(
                Payment.group_id.in_(groups_in_reach(actor)),
                Payment.method.in_(METHODS),
                or_(near, named) if utrs else near,
                Payment.id.not_in(select(BankMatch.payment_id)),
            )
        ).all()
    )


def _matches(
    session: Session, actor: Actor, lines: Sequence[BankStatementLine]
) -> tuple[dict[int, LineMatch], list[Payment]]:
    payments = _candidates(session, actor, lines)
    found = match_credits([_credit(ln) for ln in lines], [_recorded(p) for p in payments])
    return found, payments


def _describe(session: Session, payment_ids: set[int]) -> dict[int, dict[str, str]]:
    """Who paid, for what, and where the payment stands: what a row says about its payment."""
    if not payment_ids:
        return {}
    rows = session.exec(
        select(Payment, Ticket.ticket_no, User.name, ChitGroup.name)
        .join(Ticket, Ticket.id == Payment.ticket_id)
        .join(User, User.id == Payment.payer_id)
        .join(ChitGroup, ChitGroup.id == Payment.group_id)
        .where(Payment.id.in_(payment_ids))
    ).all()
    out = {}
    for payment, ticket_no, name, group in rows:
        if payment.status == "pending":
            state = f"UPI {format_inr(payment.amount)} waiting for confirmation"
        elif payment.status == "rejected":
            state = f"UPI {format_inr(payment.amount)} rejected"
        else:
            state = f"{format_inr(payment.amount)}, receipt {label_for(session, payment)}"
        out[payment.id] = {
            "text": f"{name} · {group} T{ticket_no} · {state}",
            "pending": "yes" if payment.status == "pending" and payment.method == "upi" else "",
        }
    return out


def _row(line: BankStatementLine, match: LineMatch, about: dict[int, dict[str, str]]) -> dict[str, str]:
    shown = "; ".join(about[pid]["text"] for pid in match.payment_ids if pid in about)
    target = match.confirmable
    can_confirm = target is not None and about.get(target, {}).get("pending") == "yes"
    differs = match.how == "utr" and match.status == "doubtful"
    return {
        "id": str(line.id),
        "day": format_date(line.day),
        "narration": line.narration or "-",
        "ref": line.ref or "-",
        "amount": format_inr(line.credit),
        "status": match.status,
        "label": STATUS_LABELS[match.status],
        "reason": match.reason,
        "payment": shown,
        "confirm_id": str(target) if can_confirm else "",
        "confirm_label": f"Confirm at {format_inr(line.credit)}" if differs else "Confirm",
    }


def reconciliation(session: Session, *, actor: Actor | None) -> dict[str, Any]:
    """The screen: the newest deposits with their status, the counts, and the latest imports."""
    actor = require_owner(actor)
    lines = list(
        session.exec(
            select(BankStatementLine)
            .where(BankStatementLine.company_id == actor.company_id, BankStatementLine.credit > 0)
            .order_by(BankStatementLine.day.desc(), BankStatementLine.id.desc())
            .limit(SHOWN_LINES)
        ).all()
    )
    done = dict(
        session.exec(
            select(BankMatch.line_id, BankMatch.payment_id).where(
                BankMatch.line_id.in_([ln.id for ln in lines])
            )
        ).all()
    )
    open_lines = [ln for ln in lines if ln.id not in done]
    found, _payments = _matches(session, actor, open_lines)
    about = _describe(session, set(done.values()) | {p for m in found.values() for p in m.payment_ids})
    rows = []
    for line in lines:
        if line.id in done:
            pid = done[line.id]
            match = LineMatch("matched", "utr", (pid,), "Confirmed from this line")
            row = _row(line, match, about) | {"status": "confirmed", "label": "Confirmed", "confirm_id": ""}
        else:
            row = _row(line, found[line.id], about)
        rows.append(row)
    counts = {key: sum(1 for r in rows if r["status"] == key) for key in STATUS_LABELS}
    counts["matched"] += counts.pop("confirmed")
    return {
        "rows": rows,
        "counts": {key: str(value) for key, value in counts.items()},
        "imports": recent_imports(session, actor=actor),
    }


def confirm_line(session: Session, *, actor: Actor | None, line_id: object, payment_id: object) -> Payment:
    """Confirm the pending UPI payment this statement line shows arrived: the line must name the
    payment (by UTR, at the statement's amount), or be its only match by amount and date. The
    receipt and the books are upi.confirm_upi's; the line can never confirm another payment."""
    actor = require_owner(actor)
    lid, pid = require_id(line_id, "statement line"), require_id(payment_id, "payment")
    line = session.exec(
        select(BankStatementLine).where(BankStatementLine.id == lid).with_for_update()
    ).first()
    if line is None or line.company_id != actor.company_id:
        raise NotAllowed()
    if line.credit <= 0:
        raise ServiceError("Only money received (a deposit) can confirm a payment.")
    if session.exec(select(BankMatch.id).where(BankMatch.line_id == lid)).first() is not None:
        raise ServiceError(LINE_USED)
    near = session.exec(
        select(BankStatementLine).where(
            BankStatementLine.company_id == actor.company_id,
            BankStatementLine.credit > 0,
            BankStatementLine.day >= line.day - NEIGHBOURS,
            BankStatementLine.day <= line.day + NEIGHBOURS,
            BankStatementLine.id.not_in(select(BankMatch.line_id)),
        )
    ).all()
    found, _payments = _matches(session, actor, near)
    match = found[lid]
    if match.confirmable != pid:
        raise ServiceError(
            "This statement line does not show that payment. Confirm it from the group's payments page "
            "if the money did arrive."
        )
    payment = session.exec(
        select(Payment).where(Payment.id == pid).with_for_update().execution_options(populate_existing=True)
    ).one()
    if payment.method != "upi" or payment.status != "pending":
        raise ServiceError("That payment is not a UPI payment waiting for confirmation.")
    try:
        with session.begin_nested():
            session.add(
                BankMatch(
                    company_id=actor.company_id,
                    line_id=lid,
                    payment_id=pid,
                    how=match.how,
                    confirmed_by_id=actor.user_id,
                )
            )
    except IntegrityError as exc:  # a racing request claimed the line (or the payment) first
        raise ServiceError(LINE_USED) from exc
    amount = None if payment.amount == line.credit else f"{line.credit // 100}.{line.credit % 100:02d}"
    confirmed = confirm_upi(session, actor=actor, payment_id=pid, amount=amount)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="bank.line_confirmed",
        object_type="bank_statement_line",
        object_id=lid,
        detail={
            "payment_id": pid,
            "how": match.how,
            "amount": line.credit,
            "receipt_no": confirmed.receipt_no,
        },
    )
    return confirmed
