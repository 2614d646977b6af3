"""What a received payment paid for, in words: the installments it went to, a late fee, an advance
not yet used, and its receipt number as printed on the receipt ("MAIN/000177"). The member's passbook
names each payment so, and so its line says what the receipt says (issue 16)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.domain.money import receipt_label
from luckychit_app.i18n import text
from luckychit_app.models import ChitGroup, Installment, Payment, PaymentAllocation, Refund, Ticket
from luckychit_app.services.money.receipt_numbers import branch_codes


def _months_text(lang: str, months: list[int]) -> str:
    """Words like "month 3 installment", or "months 3–5, 7 installments" for a payment that paid
    several."""
    months = sorted(set(months))
    if len(months) == 1:
        return text(lang, "passbook.for_month", month=months[0])
    runs: list[list[int]] = []
    for month in months:
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    listed = ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)
    return text(lang, "passbook.for_months", months=listed)


def payment_texts(session: Session, ticket: Ticket, group: ChitGroup, lang: str) -> dict[int, str]:
    """Each received payment of the ticket as its passbook line names it: where the money went (the
    installments it paid, a late fee, an advance not yet used) and its receipt number as printed on
    the receipt ("MAIN/000177"), so the line and the receipt say the same thing."""
    paid = session.exec(
        select(
            Payment.id, Payment.receipt_no, Payment.branch_id, Payment.amount, Payment.late_fee_paid
        ).where(Payment.ticket_id == ticket.id, Payment.receipt_no.is_not(None))
    ).all()
    if not paid:
        return {}
    months: dict[int, list[int]] = defaultdict(list)
    used: dict[int, int] = defaultdict(int)
    for pid, month, amount in session.exec(
        select(PaymentAllocation.payment_id, Installment.month, PaymentAllocation.amount)
        .join(Installment, Installment.id == PaymentAllocation.installment_id)
        .where(Installment.ticket_id == ticket.id)
        .order_by(Installment.month)
    ).all():
        months[pid].append(month)
        used[pid] += int(amount)
    returned = dict(
        session.exec(
            select(Refund.payment_id, func.sum(Refund.amount))
            .join(Payment, Payment.id == Refund.payment_id)
            .where(Payment.ticket_id == ticket.id, Refund.status != "failed")
            .group_by(Refund.payment_id)
        ).all()
    )
    codes = branch_codes(session, [group.branch_id, *(row[2] for row in paid)])
    joiner = f" {text(lang, 'passbook.and')} "
    out = {}
    for pid, receipt_no, branch_id, amount, fee in paid:
        receipt = receipt_label(codes[branch_id or group.branch_id], receipt_no)
        parts = [_months_text(lang, months[pid])] if months[pid] else []
        parts += [text(lang, "passbook.for_late_fee")] if fee else []
        if amount - fee - used[pid] - int(returned.get(pid) or 0) > 0:
            parts.append(text(lang, "passbook.for_advance"))
        out[pid] = (
            text(lang, "passbook.payment_for", what=joiner.join(parts), receipt=receipt)
            if parts
            else text(lang, "passbook.payment", receipt=receipt)
        )
    return out
