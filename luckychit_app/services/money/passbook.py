"""Statements read from the books: the member's passbook and the group's cash position.

Nothing here keeps its own totals. The passbook is the postings to the ticket's receivable (what
the member owes; negative is an advance) and prize payable, with a running balance; the cash
position is the group's account balances. If a number here disagrees with the dues screens,
`ledger-check` says so. Receipt numbers are printed one way, as on the receipt ("MAIN/000177",
domain/money.receipt_label), and a payment says where its money went (issue 16).
"""

from __future__ import annotations

import re

from sqlalchemy import func, union
from sqlmodel import Session, select

from luckychit_app.clock import format_date, format_datetime_ist, to_ist, today_ist
from luckychit_app.domain import ledger as books
from luckychit_app.domain.money import format_inr, receipt_label
from luckychit_app.i18n import text
from luckychit_app.models import (
    ChitGroup,
    JournalEntry,
    Payment,
    PostingRow,
    Refund,
    SubscriberRefund,
    Ticket,
    TicketTransfer,
)
from luckychit_app.services.access import (
    Actor,
    group_for_foreman,
    require_id,
    require_role,
    ticket_for_member,
)
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import upi
from luckychit_app.services.money.amount_due import GroupBooks, amount_due, books_of, owed, ticket_money
from luckychit_app.services.money.dues import due_lines, open_dues
from luckychit_app.services.money.late_fees import accrued_late_fees
from luckychit_app.services.money.ledger import balances
from luckychit_app.services.money.offline_payments import payments_seen
from luckychit_app.services.money.paid_for import payment_texts
from luckychit_app.services.money.payment_methods import METHOD_LABELS
from luckychit_app.services.money.receipt_numbers import branch_codes
from luckychit_app.services.money.statement_dates import business_dates
from luckychit_app.services.money.subscriber_refunds import EXIT_REASON, payable_now

STATUS_LABELS = {
    "created": "Not completed",
    "pending": "Waiting for confirmation",
    "captured": "Received",
    "failed": "Failed",
    "rejected": "Not confirmed",
    "refunded": "Refunded",
}


def _rupees(paise: int) -> str:
    return f"{paise // 100}.{paise % 100:02d}"


def typed_amount(paise: int) -> str:
    """An amount as a person writes it in a form ("10,000", "10,000.50"): the figure shown above
    the box without its ₹ sign, which `parse_rupees` reads back."""
    return format_inr(paise).removeprefix("₹")


def _balance_label(paise: int, lang: str = "en") -> str:
    if paise > 0:
        return text(lang, "passbook.due", amount=format_inr(paise))
    if paise < 0:
        return text(lang, "passbook.advance", amount=format_inr(-paise))
    return text(lang, "passbook.nil")


def _group_for_reader(session: Session, actor: Actor, ticket: Ticket | None) -> ChitGroup:
    """The ticket's group, when the actor may read the ticket's passbook: its holder (a removed
    subscriber still holds their removed row), its group's foreman or an admin."""
    if ticket is None:
        raise NotAllowed()
    group = session.get(ChitGroup, ticket.group_id)
    if not (actor.role == "admin" or ticket.member_id == actor.user_id or group.foreman_id == actor.user_id):
        raise NotAllowed()
    return group


def _transfer_from(session: Session, actor: Actor, ticket_id: int) -> TicketTransfer | None:
    """The member's latest transfer of this ticket to someone else (None: not theirs to read so)."""
    return session.exec(
        select(TicketTransfer)
        .where(TicketTransfer.ticket_id == ticket_id, TicketTransfer.from_member_id == actor.user_id)
        .order_by(TicketTransfer.id.desc())
    ).first()


_GST_FROM_PRIZE = re.compile(r"GST (₹[\d,.]+) on the commission recovered from the prize")
"""The tax a settlement's memo says came off the prize (domain/ledger.settlement_posted writes it)."""


def _describe(
    kind: str,
    key: str,
    account_kind: str,
    amount: int,
    memo: str,
    paid: dict[int, str],
    lang: str = "en",
    ticket_id: int = 0,
) -> str:
    if kind == books.KIND_DUES:
        return text(lang, "passbook.installment", month=key.rsplit(":", 1)[-1])
    if kind == books.KIND_SETTLEMENT:
        month = memo.split(" ", 2)[1] if memo.startswith("Month ") else ""
        if account_kind == "prize_payable" and (taxed := _GST_FROM_PRIZE.search(memo)):
            return text(lang, "passbook.prize_won_gst", month=month, gst=taxed.group(1))
        key_name = "passbook.prize_won" if account_kind == "prize_payable" else "passbook.dividend"
        return text(lang, key_name, month=month)
    if kind == books.KIND_PAYMENT:
        return paid.get(int(key.split(":", 1)[1])) or text(lang, "passbook.payment", receipt="—")
    if kind == books.KIND_LATE_FEE:
        return text(lang, "passbook.late_fee")
    if kind == books.KIND_REFUND:
        return text(lang, "passbook.refund")
    if kind == books.KIND_PAYOUT:
        return text(
            lang, "passbook.prize_paid" if account_kind == "prize_payable" else "passbook.kept_for_dues"
        )
    if kind == books.KIND_SUBSTITUTION:  # substitution:{the removed ticket}
        if account_kind == "refund_payable":
            return text(lang, "passbook.refund_set_aside")
        if amount < 0:
            return text(lang, "passbook.to_substitute")
        leaving = key.rsplit(":", 1)[-1] == str(ticket_id)
        return text(lang, "passbook.advance_to_refund" if leaving else "passbook.taken_over")
    if kind == books.KIND_SUBSCRIBER_REFUND:
        return text(lang, "passbook.refund")
    return memo[:60] or kind


def passbook(session: Session, *, actor: Actor | None, ticket_id: object, limit: int = 200) -> dict:
    """The ticket's statement from its postings, in date order, with a running balance. A removed
    subscriber still reads their removed ticket, with the refund set aside for them (s.30); a member
    who transferred a ticket away reads the payments they made on it (:func:`_transferred_book`)."""
    actor = require_role(actor, "member", "foreman", "admin")
    ticket = session.get(Ticket, require_id(ticket_id, "ticket"))
    if ticket is not None and actor.role == "member" and ticket.member_id != actor.user_id:
        moved = _transfer_from(session, actor, ticket.id)
        if moved is not None:
            return _transferred_book(session, actor, ticket, moved, limit)
    group = _group_for_reader(session, actor, ticket)
    lang = actor.language if actor.role == "member" else "en"
    receivable, prize = books.receivable(ticket.id), books.prize_payable(ticket.id)
    refund_account = books.refunds_payable(ticket.id)
    rows = session.exec(
        select(PostingRow.account, PostingRow.amount, JournalEntry.kind, JournalEntry.key, JournalEntry.memo)
        .add_columns(JournalEntry.created_at)
        .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
        .where(PostingRow.ticket_id == ticket.id, PostingRow.account.in_((receivable, prize, refund_account)))
        .order_by(JournalEntry.id, PostingRow.id)
    ).all()
    paid = payment_texts(session, ticket, group, lang)
    refund = session.exec(select(SubscriberRefund).where(SubscriberRefund.ticket_id == ticket.id)).first()
    dates, due_on = business_dates(session, ticket, refund)

    def when(key: str, kind: str, created_at: object) -> object:
        if kind == books.KIND_LATE_FEE:  # late_fee:{installment}:{payment}
            key = "payment:" + key.rsplit(":", 1)[-1]
        return dates.get(key) or to_ist(created_at).date()

    kinds = {prize: "prize_payable", refund_account: "refund_payable"}
    # In date order; on one day the installments raised come before the money paid against them.
    ordered = sorted(
        enumerate(rows),
        key=lambda r: (when(r[1][3], r[1][2], r[1][5]), r[1][2] != books.KIND_DUES, r[0]),
    )
    lines, running, prize_left = [], 0, 0
    for _, (account, amount, kind, key, memo, created_at) in ordered:
        amount = int(amount)
        account_kind = kinds.get(account, "receivable")
        day = when(key, kind, created_at)
        described = _describe(kind, key, account_kind, amount, memo, paid, lang, ticket.id)
        if kind == books.KIND_DUES and due_on.get(key, day) != day:
            described = text(lang, "passbook.due_on", what=described, date=format_date(due_on[key], lang))
        line = {"date": format_date(day), "text": described}
        if account_kind != "receivable":  # beside the balance: a prize or a refund owed to the member
            prize_left -= amount if account_kind == "prize_payable" else 0
            lines.append({**line, "amount": format_inr(abs(amount)), "sign": "prize", "balance": ""})
            continue
        running += amount
        lines.append(
            {
                **line,
                "amount": ("+" if amount > 0 else "−") + format_inr(abs(amount)),
                "sign": "due" if amount > 0 else "paid",
                "balance": _balance_label(running, lang),
            }
        )
    return {
        "ticket_id": str(ticket.id),
        "group": group.name,
        "ticket_no": str(ticket.ticket_no),
        "balance": _balance_label(running, lang),
        "prize_unpaid": format_inr(prize_left) if prize_left > 0 else "",
        "left": _left_label(ticket, lang),
        "refund": _refund_label(refund, group, lang),
        # The no-dues certificate is issued once the group is closed, to each seated ticket
        # (issue 15, item 12; services/reporting/no_dues.py).
        "no_dues": group.status == "closed" and ticket.status != "removed",
        "lines": lines[-limit:],
    }


def _left_label(ticket: Ticket, lang: str) -> str:
    """How a removed ticket ended: removed for default (s.28) or by the member's own exit."""
    if ticket.status != "removed" or ticket.ended_at is None:
        return ""
    day = format_date(to_ist(ticket.ended_at).date(), lang)
    key = "passbook.exited_on" if ticket.status_reason == EXIT_REASON else "passbook.removed_on"
    return text(lang, key, date=day)


def _refund_label(refund: SubscriberRefund | None, group: ChitGroup, lang: str) -> str:
    """The refund of a subscriber who left (s.30): paid, due now, or due at the group's close."""
    if refund is None:
        return ""
    amount = format_inr(refund.amount)
    if refund.status == "paid":
        if not refund.amount:
            return text(lang, "passbook.nothing_back")
        day = format_date(to_ist(refund.paid_at).date(), lang)
        return text(lang, "passbook.refund_paid", amount=amount, date=day)
    if payable_now(refund, group):
        return text(lang, "passbook.refund_due_now", amount=amount)
    return text(lang, "passbook.refund_due_close", amount=amount)


def _transferred_book(
    session: Session, actor: Actor, ticket: Ticket, moved: TicketTransfer, limit: int
) -> dict:
    """A ticket the member transferred to someone else, read-only: the payments they made on it
    (the ticket's dues and balance are its new holder's now)."""
    group = session.get(ChitGroup, ticket.group_id)
    lang = actor.language
    paid = session.exec(
        select(
            Payment.id,
            Payment.amount,
            Payment.paid_at,
            Payment.created_at,
            Payment.receipt_no,
            Payment.branch_id,
        )
        .where(
            Payment.ticket_id == ticket.id,
            Payment.payer_id == actor.user_id,
            Payment.status.in_(("captured", "refunded")),
            Payment.created_at <= moved.created_at,
        )
        .order_by(Payment.paid_at, Payment.id)
    ).all()
    codes = branch_codes(session, [group.branch_id, *(row[5] for row in paid)])
    lines, total = [], 0
    for _pid, amount, paid_at, made_at, receipt_no, branch_id in paid:
        total += int(amount)
        receipt = receipt_label(codes[branch_id or group.branch_id], receipt_no) if receipt_no else "—"
        lines.append(
            {
                "date": format_date(to_ist(paid_at or made_at).date()),
                "text": text(lang, "passbook.payment", receipt=receipt),
                "amount": "−" + format_inr(int(amount)),
                "sign": "paid",
                "balance": text(lang, "passbook.your_payments", amount=format_inr(total)),
            }
        )
    return {
        "ticket_id": str(ticket.id),
        "group": group.name,
        "ticket_no": str(ticket.ticket_no),
        "balance": text(lang, "passbook.your_payments", amount=format_inr(total)),
        "prize_unpaid": "",
        "left": text(lang, "passbook.transferred", month=moved.month),
        "refund": "",
        "no_dues": False,
        "lines": lines[-limit:],
    }


def _past_tickets(
    session: Session, actor: Actor, held: list[tuple[Ticket, ChitGroup, SubscriberRefund | None]]
) -> list[dict[str, str]]:
    """The member's tickets that are no longer theirs to pay: in a closed group (with its no-dues
    certificate), removed or exited (with the refund set aside for them, s.30) and transferred to
    someone else; their passbooks stay readable. `held`: the tickets the member holds."""
    lang = actor.language
    closed = [row for row in held if row[0].status != "removed" and row[1].status == "closed"]
    removed = sorted((row for row in held if row[0].status == "removed"), key=lambda row: -row[0].id)
    out = [
        {
            "ticket_id": str(ticket.id),
            "group": group.name,
            "ticket_no": str(ticket.ticket_no),
            "state": text(lang, "group.closed") if ticket.status != "removed" else _left_label(ticket, lang),
            "refund": _refund_label(refund, group, lang),
        }
        for ticket, group, refund in closed + removed
    ]
    seen = {row["ticket_id"] for row in out}
    for moved, ticket, group in session.exec(
        select(TicketTransfer, Ticket, ChitGroup)
        .join(Ticket, Ticket.id == TicketTransfer.ticket_id)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .where(TicketTransfer.from_member_id == actor.user_id, Ticket.member_id != actor.user_id)
        .order_by(TicketTransfer.id.desc())
    ).all():
        if str(ticket.id) in seen:
            continue
        seen.add(str(ticket.id))
        out.append(
            {
                "ticket_id": str(ticket.id),
                "group": group.name,
                "ticket_no": str(ticket.ticket_no),
                "state": text(lang, "passbook.transferred", month=moved.month),
                "refund": "",
            }
        )
    return out


def _overdue_label(lang: str, count: int, days: int) -> str:
    if lang == "en":  # English keeps its plural
        return f"{count} installment{'s' if count != 1 else ''} overdue, oldest {days} days"
    return text(lang, "payments.overdue_one" if count == 1 else "payments.overdue", count=count, days=days)


def _pending_upi(session: Session, ticket_ids: list[int]) -> dict[int, str]:
    """UPI money the member says they sent that the foreman has not confirmed yet, per ticket
    (absent: none waiting)."""
    waiting = session.exec(
        select(Payment.ticket_id, func.sum(Payment.amount))
        .where(Payment.ticket_id.in_(ticket_ids), Payment.method == "upi", Payment.status == "pending")
        .group_by(Payment.ticket_id)
    ).all()
    return {tid: format_inr(int(amount)) for tid, amount in waiting}


def member_payments(session: Session, *, actor: Actor | None) -> dict:
    """The member's Payments tab: what each ticket owes now and their payments, newest first."""
    return _payments_tab(session, require_role(actor, "member"))[0]


def payments_page(session: Session, *, actor: Actor | None, chosen: str) -> tuple[dict, str, dict]:
    """The Payments tab and the statement of the ticket `chosen` (of the first ticket when `chosen`
    is not one of the member's), read together: the tab's ticket and group rows stay referenced
    (`held`) while the statement is read, so the session finds them instead of reading them again
    (its identity map holds rows only while something references them)."""
    data, held = _payments_tab(session, require_role(actor, "member"))
    ids = [t["ticket_id"] for t in data["tickets"] + data["past"]]
    tid = chosen if chosen in ids else (ids[0] if ids else "")
    book = passbook(session, actor=actor, ticket_id=tid) if tid else {}
    del held
    return data, tid, book


def _payments_tab(session: Session, actor: Actor) -> tuple[dict, list]:
    """The Payments tab, and the rows (ticket, group, refund) of the tickets the member holds."""
    lang = actor.language
    held = session.exec(
        select(Ticket, ChitGroup, SubscriberRefund)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .outerjoin(SubscriberRefund, SubscriberRefund.ticket_id == Ticket.id)
        .where(Ticket.member_id == actor.user_id)
        .order_by(ChitGroup.id, Ticket.ticket_no)
    ).all()
    paying = [
        (ticket, group)
        for ticket, group, _refund in held
        if ticket.status != "removed" and group.status in ("active", "completed")
    ]
    ids = [ticket.id for ticket, _group in paying]
    money = ticket_money(session, ids, lines=open_dues(session, ids)) if ids else {}
    pending = _pending_upi(session, ids) if ids else {}
    today = today_ist()
    tickets = []
    for ticket, group in paying:
        due = owed(group, money[ticket.id], as_of=today)
        late = [ln for ln in money[ticket.id].lines if ln.due_date < today]
        tickets.append(
            {
                "ticket_id": str(ticket.id),
                "group": group.name,
                "ticket_no": str(ticket.ticket_no),
                "total": format_inr(due.total),
                "total_rupees": _rupees(due.total),
                "has_due": due.total > 0,
                "dues": format_inr(due.dues),
                "fees": format_inr(due.fees_unpaid + due.fees_accruing),
                "has_fees": due.fees_unpaid + due.fees_accruing > 0,
                "advance": format_inr(due.advance) if due.advance else "",
                "overdue": _overdue_label(lang, len(late), (today - late[0].due_date).days) if late else "",
                "upi": bool(group.upi_vpa),
                "pending": pending.get(ticket.id, ""),
            }
        )
    rows = session.exec(
        select(
            Payment.id,
            Payment.paid_at,
            Payment.created_at,
            Payment.amount,
            Payment.method,
            Payment.status,
            Payment.failure_reason,
            Payment.receipt_no,
            ChitGroup.name,
            Ticket.ticket_no,
            func.coalesce(Payment.branch_id, ChitGroup.branch_id),
        )
        .join(ChitGroup, ChitGroup.id == Payment.group_id)
        .join(Ticket, Ticket.id == Payment.ticket_id)
        # Paid by the member, or on one of their tickets: as a union of two indexed lookups (an
        # OR across the join scanned every payment, ~100 ms on the bench book).
        .where(
            Payment.id.in_(
                union(
                    select(Payment.id).where(Payment.payer_id == actor.user_id),
                    select(Payment.id).where(
                        Payment.ticket_id.in_(select(Ticket.id).where(Ticket.member_id == actor.user_id))
                    ),
                )
            )
        )
        .where(Payment.status != "created")
        .order_by(Payment.id.desc())
        .limit(30)
    ).all()
    codes = branch_codes(session, [row[-1] for row in rows])
    return {
        "tickets": tickets,
        "past": _past_tickets(session, actor, held),
        "payments": [_my_payment(lang, codes, row) for row in rows],
    }, held


def _my_payment(lang: str, codes: dict[int, str], row: tuple) -> dict[str, object]:
    """A row of the member's payments list, its receipt number as the receipt prints it."""
    pid, paid_at, made_at, amount, method, status, reason, receipt_no, group, ticket_no, branch = row
    return {
        "id": str(pid),
        "date": format_datetime_ist(paid_at or made_at),
        "group": group,
        "ticket_no": str(ticket_no),
        "amount": format_inr(amount),
        "method": text(lang, f"method.{method}") if method in METHOD_LABELS else method,
        "status": text(lang, f"status.{status}") if status in STATUS_LABELS else status,
        "status_code": status,
        "note": reason if status in ("failed", "rejected") else "",
        "has_receipt": receipt_no is not None and status in ("captured", "refunded"),
        "receipt": receipt_label(codes[branch], receipt_no) if receipt_no is not None else "",
    }


def cash_position(session: Session, *, actor: Actor | None, group_id: object) -> dict[str, str]:
    """The group's money from its account balances (all sums of postings)."""
    group = group_for_foreman(session, actor, group_id)
    totals = balances(session, group_id=group.id)
    owed = advances = prizes = 0
    for account, amount in totals.items():
        kind = books.account_kind(account)
        if kind == "receivable":
            owed += max(amount, 0)
            advances += max(-amount, 0)
        elif kind == "prize_payable":
            prizes += -amount
    in_flight = session.exec(
        select(Refund.amount)
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Payment.group_id == group.id, Refund.status == "created")
    ).all()
    commission = -sum(v for a, v in totals.items() if books.account_kind(a) == "commission")
    return {
        "cash": format_inr(totals.get(books.cash(group.id), 0)),
        # Cash staff collected for the group and have not yet handed over (issue 23).
        "with_staff": format_inr(sum(v for a, v in totals.items() if books.account_kind(a) == "cash_with")),
        "owed": format_inr(owed),
        "advances": format_inr(advances),
        "prizes_payable": format_inr(prizes),
        "commission": format_inr(commission),
        "late_fees": format_inr(-totals.get(books.penalty_income(group.id), 0)),
        "carry_forward": format_inr(-totals.get(books.carry_forward(group.id), 0)),
        "refunds_in_flight": format_inr(sum(int(a) for a in in_flight)),
    }


def ticket_dues(
    session: Session, *, actor: Actor | None, group_id: object, page_books: GroupBooks | None = None
) -> list[dict[str, str]]:
    """Per ticket: what it owes now (dues and late fees), for the foreman's cash/bank entry rows.
    `page_books`: the page's, when it lists the same tickets' books in other ways too."""
    group = group_for_foreman(session, actor, group_id)
    shared = books_of(session, group, page_books)
    rows = shared.seated()
    today = today_ist()
    seen = payments_seen(session, [ticket.id for ticket, _ in rows])
    money = shared.money([ticket.id for ticket, _ in rows])
    out = []
    for ticket, user in rows:
        due = owed(group, money[ticket.id], as_of=today)
        fees = due.fees_unpaid + due.fees_accruing
        out.append(
            {
                "ticket_id": str(ticket.id),
                "ticket_no": str(ticket.ticket_no),
                "name": user.name,
                "status": ticket.status,
                "owes": format_inr(due.total) if due.total else "—",
                "owes_rupees": _rupees(due.total) if due.total else "",
                "fees": format_inr(fees) if fees else "",
                "advance": format_inr(due.advance) if due.advance else "",
                "seen": str(seen[ticket.id]),  # sent back with the row's payment (payments_seen)
            }
        )
    return out


def pay_page(session: Session, *, actor: Actor | None, ticket_id: object) -> dict:
    """Everything the member's pay screen shows for one of their tickets: what is due (and why),
    and the group's UPI details for the QR code and deep link."""
    ticket = ticket_for_member(session, actor, ticket_id)
    lang = actor.language
    group = session.get(ChitGroup, ticket.group_id)
    if group.status not in ("active", "completed") or ticket.status == "removed":
        raise ServiceError("This group is not collecting payments.")
    today = today_ist()
    lines = [
        ln
        for ln in due_lines(session, ticket_id=ticket.id, up_to_month=group.current_month)
        if ln.outstanding > 0
    ]
    due = amount_due(session, group=group, ticket_id=ticket.id, as_of=today, lines=lines)
    fees = accrued_late_fees(session, group=group, ticket_id=ticket.id, as_of=today, lines=lines)
    payee, note = upi.payee_and_note(session, group, ticket)
    return {
        "ticket_id": str(ticket.id),
        "group": group.name,
        "ticket_no": str(ticket.ticket_no),
        "total": format_inr(due.total),
        "total_paise": due.total,
        "total_rupees": typed_amount(due.total),
        "has_due": due.total > 0,
        "advance": format_inr(due.advance) if due.advance else "",
        "pending": _pending_upi(session, [ticket.id]).get(ticket.id, ""),
        "fees_unpaid": format_inr(due.fees_unpaid) if due.fees_unpaid else "",
        "lines": [
            {
                "month": str(ln.month),
                "due_date": format_date(ln.due_date),
                "amount": format_inr(ln.outstanding),
                "late": text(lang, "pay.days_late", days=(today - ln.due_date).days)
                if ln.due_date < today
                else "",
                "fee": format_inr(fees[ln.installment_id]) if fees.get(ln.installment_id) else "",
            }
            for ln in lines
        ],
        "upi_vpa": group.upi_vpa or "",
        "payee": payee,
        "note": note,
    }
