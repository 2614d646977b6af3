"""services.money.payment_batch: many offline payments in one transaction with set-based statements must
leave exactly the books that recording them one at a time leaves: allocations, late fees charged and
collected, gap-free receipt numbers, journal entries and postings, notifications and audit rows."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from luckychit_app.clock import to_ist, today_ist
from luckychit_app.models import (
    AuditLog,
    Installment,
    JournalEntry,
    Notification,
    Payment,
    PaymentAllocation,
    PostingRow,
    ReceiptCounter,
    Ticket,
)
from luckychit_app.services.audit import verify_chain
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import offline_payments
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.money.payment_batch import record_offline_payments
from tests.services.helpers import active_group, conduct, foreman, main_branch_id, pay_dues, snapshot

RUPEE = 100
# (ticket index, rupees, method, received on): late and partial, the same ticket twice, an
# advance, a bank payment today.
SHEET = [
    (2, "15000", "cash", date(2026, 2, 20)),
    (2, "2000", "cash", date(2026, 2, 25)),
    (0, "25000", "cash", date(2026, 1, 15)),
    (1, "500.50", "bank", None),
    (2, "4000", "bank", date(2026, 3, 30)),
]
LATE_FEES = {
    "none": {},
    "flat": {"late_fee_mode": "flat", "late_fee_flat": "100", "grace_days": "3"},
    "interest": {"late_fee_mode": "interest", "late_fee_interest_pct": "2", "grace_days": "0"},
}


def book_with_dues(tx, terms: dict) -> tuple:
    """A foreman's running group in month 2, tickets 1-2 paid for month 1, ticket 3 behind."""
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, **terms)
    pay_dues(tx, boss, tickets[:2], 1)
    conduct(tx, boss, group_id)
    return boss, group_id, tickets


def rows_for(tickets: list[int]) -> list[dict]:
    return [
        {
            "ticket_id": tickets[i],
            "amount": rupees,
            "method": method,
            "reference": f"sheet {n}",
            "received_on": day.isoformat() if day else "",
        }
        for n, (i, rupees, method, day) in enumerate(SHEET)
    ]


def books_of(tx, boss, group_id: int, tickets: list[int], since: int) -> dict:
    """Everything the payments wrote for this group, with ids replaced by positions."""
    with tx() as s:
        pays = s.exec(
            select(Payment).where(Payment.group_id == group_id, Payment.id > since).order_by(Payment.id)
        ).all()
        pids = {p.id: n for n, p in enumerate(pays)}
        insts = {
            i.id: (tickets.index(i.ticket_id), i.month)
            for i in s.exec(select(Installment).where(Installment.group_id == group_id)).all()
        }

        def norm(text: str) -> str:
            text = re.sub(r"ticket:(\d+)", lambda m: f"ticket:T{tickets.index(int(m[1]))}", text)
            text = re.sub(r"ticket (\d+)", lambda m: f"ticket T{tickets.index(int(m[1]))}", text)
            text = re.sub(r"group:(\d+)", "group:G", text)
            text = re.sub(r"payment:(\d+)", lambda m: f"payment:P{pids[int(m[1])]}", text)
            return re.sub(
                r"late_fee:(\d+):(\d+)", lambda m: f"late_fee:{insts[int(m[1])]}:P{pids[int(m[2])]}", text
            )

        entries = s.exec(
            select(JournalEntry)
            .where(JournalEntry.group_id == group_id, JournalEntry.kind.in_(("payment", "late_fee")))
            .order_by(JournalEntry.id)
        ).all()
        wanted = {f"payment:{pid}" for pid in pids} | {
            e.key for e in entries if e.kind == "late_fee" and int(e.key.split(":")[2]) in pids
        }
        entries = [e for e in entries if e.key in wanted]
        postings = {
            e.id: sorted(
                (norm(p.account), p.amount, p.ticket_id is not None)
                for p in s.exec(select(PostingRow).where(PostingRow.entry_id == e.id)).all()
            )
            for e in entries
        }
        member_of = {t: s.get(Ticket, t).member_id for t in tickets}
        notes = s.exec(
            select(Notification)
            .where(Notification.kind == "payment_received", Notification.user_id.in_(member_of.values()))
            .order_by(Notification.id)
        ).all()
        audits = s.exec(
            select(AuditLog)
            .where(AuditLog.action == "payment.recorded", AuditLog.actor_id == boss.user_id)
            .order_by(AuditLog.id)
        ).all()
        counter = s.exec(
            select(ReceiptCounter).where(ReceiptCounter.branch_id == main_branch_id(s, boss))
        ).one()
        return {
            "payments": [
                (
                    tickets.index(p.ticket_id),
                    p.amount,
                    p.method,
                    p.status,
                    p.reference,
                    p.receipt_no,
                    p.late_fee_paid,
                    to_ist(p.paid_at).date(),
                    p.recorded_by_id == boss.user_id,
                    sorted(
                        (insts[a.installment_id], a.amount)
                        for a in s.exec(select(PaymentAllocation).where(PaymentAllocation.payment_id == p.id))
                    ),
                )
                for p in pays
            ],
            "entries": [(e.kind, norm(e.key), norm(e.memo), postings[e.id]) for e in entries],
            "paid": sorted(
                (insts[i.id], i.paid)
                for i in s.exec(select(Installment).where(Installment.group_id == group_id))
            ),
            "notifications": [(n.title, n.body, n.link.startswith("/receipts/")) for n in notes][
                -len(pays) :
            ],
            "audit": [re.sub(r'"ticket_id": \d+', "", a.detail) for a in audits][-len(pays) :],
            "receipt_counter": counter.last_no,
        }


@pytest.mark.parametrize("mode", sorted(LATE_FEES))
def test_a_batch_leaves_the_books_one_payment_at_a_time_leaves(tx, mode):
    one, one_group, one_tickets = book_with_dues(tx, LATE_FEES[mode])
    many, many_group, many_tickets = book_with_dues(tx, LATE_FEES[mode])
    with tx() as s:
        since = max(s.exec(select(Payment.id)).all())
    for row in rows_for(one_tickets):
        with tx() as s:
            offline_payments.record_offline_payment(s, actor=one, **row)
    with tx() as s:
        made = record_offline_payments(s, actor=many, rows=rows_for(many_tickets))
    assert [p.receipt_no for p in made] == [3, 4, 5, 6, 7]  # after the two month-1 payments

    expected = books_of(tx, one, one_group, one_tickets, since)
    got = books_of(tx, many, many_group, many_tickets, since)
    assert got == expected
    assert len(expected["payments"]) == len(SHEET)
    if mode != "none":  # the sheet is late enough to charge and collect fees
        assert any(kind == "late_fee" for kind, *_ in expected["entries"])
        assert any(p[6] > 0 for p in expected["payments"])
    assert expected["payments"][3][7] == today_ist()
    with tx() as s:
        assert ledger_check(s) == []
        assert verify_chain(s).ok


def test_a_bad_row_refuses_the_whole_batch(tx, engine):
    boss, group_id, tickets = book_with_dues(tx, {})
    other, _, theirs = book_with_dues(tx, {})
    before = snapshot(engine)
    good = rows_for(tickets)
    cases = {
        "bad amount": ([*good, {**good[0], "amount": "-5"}], "Payment 6: Amount"),
        "bad method": ([{**good[0], "method": "upi"}, *good], "Payment 1: Method must be cash or bank."),
        "future date": ([{**good[0], "received_on": "2999-01-01"}], "future"),
        "empty": ([], "between 1 and"),
        "not a list": ({"ticket_id": tickets[0]}, "between 1 and"),
        "not forms": (["x"], "must be a form"),
    }
    for name, (rows, message) in cases.items():
        with pytest.raises(ServiceError, match=message), tx() as s:
            record_offline_payments(s, actor=boss, rows=rows)
        assert snapshot(engine) == before, name
    with pytest.raises(NotAllowed), tx() as s:  # another foreman's ticket, anywhere in the sheet
        record_offline_payments(s, actor=boss, rows=[*good, {**good[0], "ticket_id": theirs[0]}])
    with pytest.raises(NotAllowed), tx() as s:
        record_offline_payments(s, actor=None, rows=good)
    assert snapshot(engine) == before
    del other, group_id
