"""Recording money received. A payment is applied to the ticket's oldest outstanding dues first,
late fees due on what it pays late are charged (and collected from what is left), it gets a
gap-free receipt number from its foreman's counter, and it posts one journal entry.

How a captured payment's money is accounted for, always: ``amount = allocated to installments +
late_fee_paid + refunded (not failed) + spare``, with ``spare >= 0``. Spare money is an advance and
settles the next dues as soon as they are raised (:func:`apply_advances`). `ledger_check` proves
this identity and that every ticket's receivable in the books equals what the dues screens show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import IST, format_date, today_ist, utcnow
from luckychit_app.domain import ledger as books
from luckychit_app.domain.dues import DAYS_PER_FEE_MONTH, allocate_payment, days_late, late_fee
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import format_inr, parse_rupees
from luckychit_app.models import (
    ChitGroup,
    Installment,
    JournalEntry,
    Payment,
    PaymentAllocation,
    PostingRow,
    ReceiptCounter,
    Refund,
    Ticket,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.ledger import post
from luckychit_app.services.validation import clean_date, clean_int, clean_text

OFFLINE_METHODS = ("cash", "bank")
CAPTURED = ("captured", "refunded")
"""Statuses of a payment whose money was received (a refunded payment was received, then returned)."""
PAYING_GROUP = ("active", "completed")
"""A completed group can still be owed its last installments (the final month is settled without
waiting for them), so money keeps being accepted until the dues are cleared."""
LATE_FEE_KEY = "late_fee:{installment_id}:{payment_id}"


@dataclass(frozen=True)
class DueLine:
    installment_id: int
    month: int
    due_date: date
    amount: int
    paid: int

    @property
    def outstanding(self) -> int:
        return self.amount - self.paid


def due_lines(session: Session, *, ticket_id: int, up_to_month: int | None = None) -> list[DueLine]:
    """Each installment of a ticket with what has been applied to it, oldest first.

    `installments.paid` is the sum of the installment's allocations, kept by triggers in the same
    transaction (migration 0005) and proved by ledger-check; plain columns, since this runs for
    every payment and every dues screen."""
    stmt = (
        select(Installment.id, Installment.month, Installment.due_date, Installment.amount, Installment.paid)
        .where(Installment.ticket_id == ticket_id)
        .order_by(Installment.month)
    )
    if up_to_month is not None:
        stmt = stmt.where(Installment.month <= up_to_month)
    return [DueLine(*row) for row in session.exec(stmt).all()]


def open_dues(session: Session, ticket_ids: Iterable[int]) -> dict[int, list[DueLine]]:
    """For many tickets at once: each ticket's raised dues (up to its group's current month) with
    money still owing, oldest first. Tickets with nothing owing are absent."""
    lines: dict[int, list[DueLine]] = defaultdict(list)
    for tid, *line in session.exec(
        select(
            Installment.ticket_id,
            Installment.id,
            Installment.month,
            Installment.due_date,
            Installment.amount,
            Installment.paid,
        )
        .join(ChitGroup, ChitGroup.id == Installment.group_id)
        .where(
            Installment.ticket_id.in_(list(ticket_ids)),
            Installment.month <= ChitGroup.current_month,
            Installment.paid < Installment.amount,
        )
        .order_by(Installment.ticket_id, Installment.month)
    ).all():
        lines[tid].append(DueLine(*line))
    return lines


def _lock_ticket(session: Session, ticket_id: int) -> Ticket:
    """Serialises everything that applies money to one ticket's dues.

    ``FOR NO KEY UPDATE`` (not ``FOR UPDATE``): inserting a row that references the ticket (a
    payment, a posting) takes a KEY SHARE lock on it, and two writers that each hold one and then ask
    for ``FOR UPDATE`` deadlock. NO KEY UPDATE still excludes every other money writer.
    """
    ticket = session.exec(
        select(Ticket).where(Ticket.id == ticket_id).with_for_update(key_share=True)
    ).first()
    if ticket is None:
        raise NotAllowed()
    return ticket


def next_receipt_no(session: Session, foreman_id: int) -> int:
    """Gap-free per foreman: the counter row stays locked until the payment commits, and a rolled
    back payment rolls its number back with it."""
    return reserve_receipt_nos(session, foreman_id, 1)


def reserve_receipt_nos(session: Session, foreman_id: int, count: int) -> int:
    """The first of ``count`` consecutive receipt numbers, taken under the counter's row lock (held
    to commit, so a rolled-back batch gives all of them back)."""
    stmt = select(ReceiptCounter).where(ReceiptCounter.foreman_id == foreman_id).with_for_update()
    counter = session.exec(stmt).first()
    if counter is None:
        try:
            with session.begin_nested():
                session.add(ReceiptCounter(foreman_id=foreman_id, last_no=0))
        except IntegrityError:
            pass
        counter = session.exec(stmt).first()
    first = counter.last_no + 1
    counter.last_no += count
    session.add(counter)
    return first


# --- where each payment's money went --------------------------------------------------------------


def _allocated_subquery(payment_ids: Select):  # noqa: ANN202  (a SQLAlchemy subquery)
    """Money applied per payment, for the payments `payment_ids` selects (never the whole table)."""
    return (
        select(PaymentAllocation.payment_id, func.sum(PaymentAllocation.amount).label("used"))
        .where(PaymentAllocation.payment_id.in_(payment_ids))
        .group_by(PaymentAllocation.payment_id)
        .subquery()
    )


def _refunded_subquery(payment_ids: Select):  # noqa: ANN202
    """Refunds that are in flight or done; a failed refund gives its money back to the payment."""
    return (
        select(Refund.payment_id, func.sum(Refund.amount).label("refunded"))
        .where(Refund.status != "failed", Refund.payment_id.in_(payment_ids))
        .group_by(Refund.payment_id)
        .subquery()
    )


def spare_funds(
    session: Session, *, group_id: int | None = None, ticket_id: int | None = None
) -> list[tuple[int, int, int]]:
    """``(payment_id, ticket_id, spare)`` of captured payments with money not yet used, oldest first."""
    scope = select(Payment.id)
    if group_id is not None:
        scope = scope.where(Payment.group_id == group_id)
    if ticket_id is not None:
        scope = scope.where(Payment.ticket_id == ticket_id)
    used, refunded = _allocated_subquery(scope), _refunded_subquery(scope)
    left = (
        Payment.amount
        - Payment.late_fee_paid
        - func.coalesce(used.c.used, 0)
        - func.coalesce(refunded.c.refunded, 0)
    )
    stmt = (
        select(Payment.id, Payment.ticket_id, left)
        .outerjoin(used, used.c.payment_id == Payment.id)
        .outerjoin(refunded, refunded.c.payment_id == Payment.id)
        .where(Payment.status.in_(CAPTURED), left > 0)
        .order_by(Payment.ticket_id, Payment.id)
    )
    if group_id is not None:
        stmt = stmt.where(Payment.group_id == group_id)
    if ticket_id is not None:
        stmt = stmt.where(Payment.ticket_id == ticket_id)
    return [(pid, tid, int(amount)) for pid, tid, amount in session.exec(stmt).all()]


def available_cash(session: Session, *, group_id: int) -> int:
    """The group's cash in the books less refunds already promised (created, not yet processed):
    what can still be paid out without the cash account going below zero."""
    from luckychit_app.services.money.ledger import balance

    promised = session.exec(
        select(func.coalesce(func.sum(Refund.amount), 0))
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Payment.group_id == group_id, Refund.status == "created")
    ).one()
    return balance(session, books.cash(group_id)) - int(promised)


def advance_of(session: Session, ticket_id: int) -> int:
    """Money the member has paid ahead on this ticket (not yet applied to any due)."""
    return sum(spare for _, _, spare in spare_funds(session, ticket_id=ticket_id))


# --- late fees --------------------------------------------------------------------------------------


def _terms(group: ChitGroup):  # noqa: ANN202  (GroupTerms; imported late: groups imports this module)
    from luckychit_app.services.groups.setup import terms_of

    return terms_of(group)


def late_fees_posted(session: Session, ticket_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """Late fees already posted, per ticket and installment id (parsed from the entries' idempotency
    keys), for many tickets in one query."""
    ids = list(ticket_ids)
    charged: dict[int, dict[int, int]] = {tid: defaultdict(int) for tid in ids}
    for key, tid, account, amount in session.exec(
        select(JournalEntry.key, PostingRow.ticket_id, PostingRow.account, PostingRow.amount)
        .join(PostingRow, PostingRow.entry_id == JournalEntry.id)
        .where(JournalEntry.kind == books.KIND_LATE_FEE, PostingRow.ticket_id.in_(ids))
    ).all():
        if account == books.receivable(tid):
            charged[tid][int(key.split(":")[1])] += int(amount)
    return charged


def late_fee_balances(
    session: Session, ticket_ids: Iterable[int]
) -> tuple[dict[int, dict[int, int]], dict[int, int]]:
    """For many tickets at once: `late_fees_posted`, and per ticket what is posted less what payments
    collected (not clamped at 0, so a batch can keep counting from it)."""
    ids = list(ticket_ids)
    charged = late_fees_posted(session, ids)
    collected = dict(
        session.exec(
            select(Payment.ticket_id, func.coalesce(func.sum(Payment.late_fee_paid), 0))
            .where(Payment.ticket_id.in_(ids), Payment.status.in_(CAPTURED))
            .group_by(Payment.ticket_id)
        ).all()
    )
    return charged, {tid: sum(charged[tid].values()) - int(collected.get(tid, 0)) for tid in ids}


def late_fees_charged(session: Session, *, ticket_id: int) -> dict[int, int]:
    """Late fees already posted, per installment id."""
    return dict(late_fees_posted(session, [ticket_id])[ticket_id])


def late_fees_unpaid(session: Session, *, ticket_id: int) -> int:
    """Late fees posted on the ticket and not yet collected from any payment."""
    return max(0, late_fee_balances(session, [ticket_id])[1][ticket_id])


def fee_on(group: ChitGroup, line: DueLine, paying: int, as_of: date, already: int) -> int:
    """The late fee to charge now for paying ``paying`` of an overdue installment on ``as_of``.

    Flat fees are per installment per started month late, so only the part not yet charged on this
    installment is due; interest is on the amount being paid, for the days it was late.
    """
    if group.late_fee_mode == "none" or paying <= 0:
        return 0
    terms = _terms(group)
    if group.late_fee_mode == "flat":
        return max(0, late_fee(terms, line.outstanding, line.due_date, as_of) - already)
    return late_fee(terms, paying, line.due_date, as_of)


def accrued_late_fees(
    session: Session, *, group: ChitGroup, ticket_id: int, as_of: date, lines: list[DueLine] | None = None
) -> dict[int, int]:
    """Late fees that paying every overdue installment in full on ``as_of`` would charge (not yet
    posted), per installment id. Shown to members and foremen before the money is collected."""
    if group.late_fee_mode == "none":
        return {}
    if lines is None:
        lines = due_lines(session, ticket_id=ticket_id, up_to_month=group.current_month)
    already = late_fees_charged(session, ticket_id=ticket_id)
    fees = {
        ln.installment_id: fee_on(group, ln, ln.outstanding, as_of, already.get(ln.installment_id, 0))
        for ln in lines
        if ln.outstanding > 0
    }
    return {iid: fee for iid, fee in fees.items() if fee > 0}


@dataclass(frozen=True)
class AmountDue:
    """What a ticket owes now: installments raised and unpaid, late fees (posted and accruing), less
    nothing else (an advance is already applied to every raised due)."""

    dues: int
    fees_unpaid: int
    fees_accruing: int
    advance: int

    @property
    def total(self) -> int:
        return self.dues + self.fees_unpaid + self.fees_accruing


def amount_due(
    session: Session,
    *,
    group: ChitGroup,
    ticket_id: int,
    up_to_month: int | None = None,
    as_of: date | None = None,
    lines: list[DueLine] | None = None,
) -> AmountDue:
    """``lines``: the ticket's due lines up to the month asked (or the current month), if the caller
    has read them already (it saves reading them twice)."""
    as_of = as_of or today_ist()
    month = group.current_month if up_to_month is None else min(up_to_month, group.current_month)
    if lines is None:
        lines = due_lines(session, ticket_id=ticket_id, up_to_month=month)
    lines = [ln for ln in lines if ln.outstanding > 0 and ln.month <= month]
    accruing = accrued_late_fees(session, group=group, ticket_id=ticket_id, as_of=as_of, lines=lines)
    return AmountDue(
        dues=sum(ln.outstanding for ln in lines),
        fees_unpaid=late_fees_unpaid(session, ticket_id=ticket_id),
        fees_accruing=sum(accruing.values()),
        advance=advance_of(session, ticket_id),
    )


# --- applying money ------------------------------------------------------------------------------------


def apply_captured(
    session: Session,
    *,
    payment: Payment,
    group: ChitGroup,
    actor_id: int | None,
    paid_on: date | None = None,
    post_entry: bool = True,
) -> None:
    """Allocate, charge late fees on, number and post a payment that has just become captured.

    Used by every method. ``paid_on`` is the day the money arrived (late fees are computed to that
    day). ``post_entry=False`` is for a deduction from the member's own prize, whose money moves in
    the payout's journal entry instead of a payment entry.
    """
    _lock_ticket(session, payment.ticket_id)
    paid_on = paid_on or today_ist()
    lines = [
        ln
        for ln in due_lines(session, ticket_id=payment.ticket_id, up_to_month=group.current_month)
        if ln.outstanding > 0
    ]
    allocations, left = allocate_payment(
        payment.amount, [(ln.installment_id, ln.outstanding) for ln in lines]
    )
    session.add_all(
        PaymentAllocation(payment_id=payment.id, installment_id=iid, amount=amt) for iid, amt in allocations
    )
    if group.late_fee_mode != "none":
        by_id = {ln.installment_id: ln for ln in lines}
        already = late_fees_charged(session, ticket_id=payment.ticket_id)
        for iid, applied in allocations:
            fee = fee_on(group, by_id[iid], applied, paid_on, already.get(iid, 0))
            if fee > 0:
                key = LATE_FEE_KEY.format(installment_id=iid, payment_id=payment.id)
                post(
                    session,
                    books.late_fee_charged(group.id, payment.ticket_id, key, fee),
                    group_id=group.id,
                    created_by_id=actor_id,
                )
        session.flush()
    if left > 0:
        payment.late_fee_paid = min(left, late_fees_unpaid(session, ticket_id=payment.ticket_id))
    payment.status = "captured"
    if payment.paid_at is None:
        payment.paid_at = (
            utcnow() if paid_on >= today_ist() else datetime.combine(paid_on, time(12, 0), tzinfo=IST)
        )
    payment.receipt_no = next_receipt_no(session, group.foreman_id)
    session.add(payment)
    if post_entry:
        post(
            session,
            books.payment_received(group.id, payment.ticket_id, payment.id, payment.amount),
            group_id=group.id,
            created_by_id=actor_id,
        )
    session.flush()
    ticket = session.get(Ticket, payment.ticket_id)
    notify(
        session,
        [ticket.member_id],
        kind="payment_received",
        title=f"{format_inr(payment.amount)} received for {group.name}",
        body=f"Receipt no. {payment.receipt_no}",
        link=f"/receipts/{payment.id}",
        title_key="notify.payment_received",
        body_key="notify.payment_received_body",
        values={"amount": format_inr(payment.amount), "group": group.name, "receipt": payment.receipt_no},
    )


def apply_advances(
    session: Session, *, group_id: int, up_to_month: int, ticket_id: int | None = None
) -> None:
    """Settle raised dues from money already paid ahead, oldest due and oldest payment first.

    A payment beyond what was outstanding stays unallocated (an advance). Without this step the
    advance would sit in the books while the member's next installment showed as unpaid, keeping a
    member who paid ahead out of the draw. Called whenever dues are raised (a month opens) and when
    money comes back to a payment (a refund that failed).
    """
    funds: dict[int, list[tuple[int, int]]] = {}
    for payment_id, tid, amount in spare_funds(session, group_id=group_id, ticket_id=ticket_id):
        funds.setdefault(tid, []).append((payment_id, amount))
    for tid, ticket_funds in funds.items():
        _lock_ticket(session, tid)
        owed = [
            [ln.installment_id, ln.outstanding]
            for ln in due_lines(session, ticket_id=tid, up_to_month=up_to_month)
            if ln.outstanding > 0
        ]
        for payment_id, amount in ticket_funds:
            for line in owed:
                applied = min(amount, line[1])
                if applied > 0:
                    session.add(
                        PaymentAllocation(payment_id=payment_id, installment_id=line[0], amount=applied)
                    )
                    line[1] -= applied
                    amount -= applied
    session.flush()


def release_overpaid(session: Session, *, group_id: int, month: int) -> None:
    """Give back what a month's installments received beyond their (lowered) amount.

    An auction lowers month k's due to the net installment after members may already have paid
    the full one; the difference is released from the newest allocations and becomes an advance
    (the books already credit the dividend to the receivable), so no installment is paid more
    than it owes.
    """
    rows = session.exec(
        select(Installment, PaymentAllocation)
        .join(PaymentAllocation, PaymentAllocation.installment_id == Installment.id)
        .where(Installment.group_id == group_id, Installment.month == month)
        .order_by(Installment.id, PaymentAllocation.id.desc())
    ).all()
    excess: dict[int, int] = {}
    for inst, allocation in rows:
        excess[inst.id] = excess.get(inst.id, -inst.amount) + allocation.amount
    for inst, allocation in rows:
        cut = min(excess[inst.id], allocation.amount)
        if cut <= 0:
            continue
        excess[inst.id] -= cut
        if cut == allocation.amount:
            session.delete(allocation)
        else:
            allocation.amount -= cut
            session.add(allocation)
    session.flush()


def release_payment_money(session: Session, *, payment: Payment, amount: int) -> None:
    """Free ``amount`` of a payment's money for a refund: its spare part first, then its newest
    allocations (those dues become unpaid again), then what it paid in late fees."""
    spare = sum(s for pid, _, s in spare_funds(session, ticket_id=payment.ticket_id) if pid == payment.id)
    need = amount - min(spare, amount)
    if need <= 0:
        return
    allocations = session.exec(
        select(PaymentAllocation)
        .where(PaymentAllocation.payment_id == payment.id)
        .order_by(PaymentAllocation.id.desc())
    ).all()
    for allocation in allocations:
        if need <= 0:
            break
        cut = min(need, allocation.amount)
        need -= cut
        if cut == allocation.amount:
            session.delete(allocation)
        else:
            allocation.amount -= cut
            session.add(allocation)
    if need > 0:
        if need > payment.late_fee_paid:
            raise ServiceError("This payment does not have that much money left to refund.", "amount")
        payment.late_fee_paid -= need
        session.add(payment)
    session.flush()


# --- cash and bank -----------------------------------------------------------------------------------


def _parse_amount(amount: object) -> int:
    try:
        return parse_rupees(amount if not isinstance(amount, int) else str(amount))
    except DomainError as exc:
        raise ServiceError(f"Amount: {exc}", "amount") from exc


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


def offline_terms(
    group: ChitGroup, ticket: Ticket, method: object, amount: object, reference: object, received_on: object
) -> tuple[int, str, date]:
    """The checks on cash or bank money for a ticket, one payment or a whole collection sheet:
    (paise, reference, day received)."""
    if method not in OFFLINE_METHODS:
        raise ServiceError("Method must be cash or bank.", "method")
    if group.status not in PAYING_GROUP:
        raise ServiceError("Payments can be recorded only for a running group.")
    if ticket.status == "removed":
        raise ServiceError("This ticket has been removed.")
    paise = _parse_amount(amount)
    ref = clean_text(reference or "-", field="reference", label="Reference", max_len=100)
    return paise, ref, _received_on(received_on, group)


def record_offline_payment(
    session: Session,
    *,
    actor: Actor | None,
    ticket_id: object,
    amount: object,
    method: object = "cash",
    reference: object = "",
    received_on: object = None,
) -> Payment:
    """Cash or bank money the foreman has in hand; the receipt is issued at once."""
    ticket = session.get(Ticket, require_id(ticket_id, "ticket"))
    if ticket is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, ticket.group_id)
    paise, ref, day = offline_terms(group, ticket, method, amount, reference, received_on)
    _lock_ticket(session, ticket.id)  # before the insert below references the ticket (see _lock_ticket)
    payment = Payment(
        group_id=group.id,
        ticket_id=ticket.id,
        foreman_id=group.foreman_id,
        payer_id=ticket.member_id,
        amount=paise,
        method=method,
        status="pending",
        reference=ref,
        recorded_by_id=actor.user_id,
    )
    session.add(payment)
    session.flush()
    apply_captured(session, payment=payment, group=group, actor_id=actor.user_id, paid_on=day)
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
    )
    return payment


def mark_all_paid(
    session: Session,
    *,
    actor: Actor | None,
    group_id: object,
    month: object,
    method: object = "cash",
    reference: object = "",
) -> list:
    """Record, one receipt each, what every ticket still owes up to ``month`` (with late fees), for
    a foreman who collected the whole month at a meeting. Tickets that owe nothing are skipped.

    The payments are written as one batch (services.payment_batch): each is exactly the payment
    record_offline_payment would make, with its receipt, postings and audit row."""
    from luckychit_app.services.money.payment_batch import record_offline_payments

    group = group_for_foreman(session, actor, group_id)
    if group.status not in PAYING_GROUP:
        raise ServiceError("Payments can be recorded only for a running group.")
    upto = clean_int(month, field="month", label="Month", lo=1, hi=max(1, group.current_month))
    if method not in OFFLINE_METHODS:
        raise ServiceError("Method must be cash or bank.", "method")
    tickets = session.exec(
        select(Ticket)
        .where(Ticket.group_id == group.id, Ticket.status != "removed")
        .order_by(Ticket.id)
        .with_for_update(key_share=True)
    ).all()
    rows = []
    for ticket in tickets:
        owed = amount_due(session, group=group, ticket_id=ticket.id, up_to_month=upto)
        if owed.dues <= 0:
            continue
        total = owed.total
        rows.append(
            {
                "ticket_id": ticket.id,
                "amount": f"{total // 100}.{total % 100:02d}",
                "method": method,
                "reference": reference or f"Month {upto} collection",
            }
        )
    if not rows:
        raise ServiceError(f"Every ticket has already paid up to month {upto}.")
    made = record_offline_payments(session, actor=actor, rows=rows)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="payments.mark_all_paid",
        object_type="group",
        object_id=group.id,
        detail={"month": upto, "payments": [p.id for p in made], "total": sum(p.amount for p in made)},
    )
    return made


# --- read models -------------------------------------------------------------------------------------


def overdue_list(
    session: Session, *, actor: Actor | None, group_id: object, as_of: date | None = None
) -> list[dict[str, str]]:
    """Every unpaid installment past its due date, most days late first, with the late fee accruing."""
    group = group_for_foreman(session, actor, group_id)
    as_of = as_of or today_ist()
    tickets = session.exec(
        select(Ticket, User)
        .join(User, User.id == Ticket.member_id)
        .where(Ticket.group_id == group.id, Ticket.status != "removed")
        .order_by(Ticket.ticket_no)
    ).all()
    rows: list[tuple[int, int, dict[str, str]]] = []
    for ticket, user in tickets:
        lines = [
            ln
            for ln in due_lines(session, ticket_id=ticket.id, up_to_month=group.current_month)
            if ln.outstanding > 0 and ln.due_date < as_of
        ]
        if not lines:
            continue
        fees = accrued_late_fees(session, group=group, ticket_id=ticket.id, as_of=as_of, lines=lines)
        for ln in lines:
            late = days_late(ln.due_date, as_of)
            rows.append(
                (
                    -late,
                    ticket.ticket_no,
                    {
                        "ticket_id": str(ticket.id),
                        "ticket_no": str(ticket.ticket_no),
                        "name": user.name,
                        "mobile": user.mobile,
                        "month": str(ln.month),
                        "due_date": format_date(ln.due_date),
                        "outstanding": format_inr(ln.outstanding),
                        "days_late": str(late),
                        "months_late": str(-(-late // DAYS_PER_FEE_MONTH)),
                        "late_fee": format_inr(fees.get(ln.installment_id, 0)),
                    },
                )
            )
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]
