"""Applying money received to dues. A payment is applied to the ticket's oldest outstanding dues
first, late fees due on what it pays late are charged (and collected from what is left), it gets a
gap-free receipt number from its foreman's counter, and it posts one journal entry. Money is also
moved between dues and advances here: advances settle newly raised dues, an auction's lowered
installment releases what was overpaid, and a refund frees a payment's money.

How a captured payment's money is accounted for, always: ``amount = allocated to installments +
late_fee_paid + refunded (not failed) + spare``, with ``spare >= 0``. Spare money is an advance and
settles the next dues as soon as they are raised (:func:`apply_advances`). `ledger_check` proves
this identity and that every ticket's receivable in the books equals what the dues screens show.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlmodel import Session, select

from luckychit_app.clock import IST, today_ist, utcnow
from luckychit_app.domain import ledger as books
from luckychit_app.domain.dues import allocate_payment
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, Installment, Payment, PaymentAllocation, Ticket
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.locking import refuse_money_if_locked
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.advances import spare_funds
from luckychit_app.services.money.dues import due_lines
from luckychit_app.services.money.late_fees import LATE_FEE_KEY, fee_on, late_fees_charged, late_fees_unpaid
from luckychit_app.services.money.ledger import post
from luckychit_app.services.money.receipt_numbers import label_for, next_receipt_no


def lock_ticket(session: Session, ticket_id: int) -> Ticket:
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


def apply_captured(
    session: Session,
    *,
    payment: Payment,
    group: ChitGroup,
    actor_id: int | None,
    paid_on: date | None = None,
    post_entry: bool = True,
    held_by: int | None = None,
) -> None:
    """Allocate, charge late fees on, number and post a payment that has just become captured.

    Used by every method. ``paid_on`` is the day the money arrived (late fees are computed to that
    day). ``post_entry=False`` is for a deduction from the member's own prize, whose money moves in
    the payout's journal entry instead of a payment entry. ``held_by`` is the staff member holding
    the cash (it is theirs to hand over, not yet in the branch's till).
    """
    refuse_money_if_locked(session, group)  # closed, cancelled or settled for closing (issue 15)
    lock_ticket(session, payment.ticket_id)
    # Read again under the lock (not from the session's copy): a removal that committed while this
    # payment waited for the ticket has ended the subscription (s.28-s.30), and its money is settled.
    if session.exec(select(Ticket.status).where(Ticket.id == payment.ticket_id)).one() == "removed":
        raise ServiceError("This ticket has been removed.")
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
    payment.branch_id = group.branch_id
    payment.receipt_no = next_receipt_no(session, group.branch_id)
    session.add(payment)
    if post_entry:
        post(
            session,
            books.payment_received(group.id, payment.ticket_id, payment.id, payment.amount, held_by),
            group_id=group.id,
            created_by_id=actor_id,
        )
    session.flush()
    ticket = session.get(Ticket, payment.ticket_id)
    label = label_for(session, payment)  # "MAIN/000177", as the receipt prints it
    notify(
        session,
        [ticket.member_id],
        kind="payment_received",
        title=f"{format_inr(payment.amount)} received for {group.name}",
        body=f"Receipt no. {label}",
        link=f"/receipts/{payment.id}",
        title_key="notify.payment_received",
        body_key="notify.payment_received_body",
        values={"amount": format_inr(payment.amount), "group": group.name, "receipt": label},
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
    tickets = None if ticket_id is None else [ticket_id]
    for payment_id, tid, amount in spare_funds(session, group_id=group_id, ticket_ids=tickets):
        funds.setdefault(tid, []).append((payment_id, amount))
    for tid, ticket_funds in funds.items():
        lock_ticket(session, tid)
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
    spare = sum(s for pid, _, s in spare_funds(session, ticket_ids=[payment.ticket_id]) if pid == payment.id)
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
