"""Late fees by the group's settings, posted once when collected; partial payments oldest first;
the overdue list with days late; "mark all paid for this month"."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from luckychit_app.models import ChitGroup, JournalEntry, Payment
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money import dues, offline_payments, overdue_dues, payment_batch
from luckychit_app.services.money.amount_due import amount_due
from luckychit_app.services.money.late_fees import late_fees_unpaid
from luckychit_app.services.money.ledger import balance, ledger_check
from tests.services.helpers import active_group, foreman, outstanding

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE
DUE_1 = date(2026, 1, 10)  # helpers start groups on 2026-01-01 with draws on the 10th


@pytest.fixture(autouse=True)
def _ledger_check_after_each_test(request: pytest.FixtureRequest):
    """Whatever a test did, the books it leaves must pass ledger-check."""
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


def books_ok(tx):
    with tx() as s:
        assert ledger_check(s) == []


def record(tx, boss, ticket_id, rupees, on):
    with tx() as s:
        return offline_payments.record_offline_payment(
            s, actor=boss, ticket_id=ticket_id, amount=rupees, received_on=on.isoformat()
        )


def fees_posted(tx):
    with tx() as s:
        return s.exec(
            select(JournalEntry.key).where(JournalEntry.kind == "late_fee").order_by(JournalEntry.id)
        ).all()


def test_flat_fee_after_grace_charged_once_per_started_month_and_collected(tx):
    boss = foreman(tx)
    group_id, (t1, t2, t3) = active_group(
        tx, boss, tickets=3, late_fee_mode="flat", late_fee_flat="100", grace_days="3"
    )
    on_time = record(tx, boss, t1, "10000", date(2026, 1, 13))  # within the 3 grace days
    assert on_time.late_fee_paid == 0 and fees_posted(tx) == []

    # Ticket 2 pays half 10 days late, then the rest 20 days later (same 30-day fee month). Money
    # settles the installment first; the fee is charged on the first late payment and collected
    # from what the next one has left.
    first = record(tx, boss, t2, "5100", date(2026, 1, 20))
    assert fees_posted(tx) == [f"late_fee:{_inst(tx, t2, 1)}:{first.id}"]
    assert first.late_fee_paid == 0 and outstanding(tx, t2, 1) == 4_900 * RUPEE
    second = record(tx, boss, t2, "5000", date(2026, 2, 9))
    assert second.late_fee_paid == 100 * RUPEE
    assert len(fees_posted(tx)) == 1 and outstanding(tx, t2, 1) == 0

    # Ticket 3 pays 40 days past grace: two started fee months, ₹200; paying only the due leaves the
    # fee owed, and the next payment collects it before anything becomes an advance.
    late = record(tx, boss, t3, "10000", date(2026, 3, 1))
    assert late.late_fee_paid == 0
    with tx() as s:
        assert late_fees_unpaid(s, ticket_id=t3) == 200 * RUPEE
        group = s.get(ChitGroup, group_id)
        assert amount_due(s, group=group, ticket_id=t3).total == 200 * RUPEE
    later = record(tx, boss, t3, "500", date(2026, 3, 2))
    assert later.late_fee_paid == 200 * RUPEE
    with tx() as s:
        assert late_fees_unpaid(s, ticket_id=t3) == 0
        assert balance(s, f"group:{group_id}:late_fees") == -300 * RUPEE
        assert balance(s, f"ticket:{t3}:receivable") == -300 * RUPEE  # ₹300 paid ahead
    books_ok(tx)


def test_interest_fee_is_simple_interest_on_what_is_paid_late(tx):
    boss = foreman(tx)
    group_id, (t1, t2) = active_group(
        tx,
        boss,
        tickets=2,
        chit_value="20,000",
        late_fee_mode="interest",
        late_fee_interest_pct="2",
        grace_days="0",
    )
    # ₹10,000 paid 45 days late at 2 % a month: 10,000 × 0.02 × 45/30 = ₹300.
    p = record(tx, boss, t1, "10300", date(2026, 2, 24))
    assert p.late_fee_paid == 300 * RUPEE
    # Half paid 15 days late (₹50), the other half 30 days late (₹100).
    record(tx, boss, t2, "5000", date(2026, 1, 25))
    record(tx, boss, t2, "5000", date(2026, 2, 9))
    with tx() as s:
        assert late_fees_unpaid(s, ticket_id=t2) == 150 * RUPEE
        assert balance(s, f"group:{group_id}:late_fees") == -450 * RUPEE
    books_ok(tx)


def test_no_fee_without_a_late_fee_setting(tx):
    boss = foreman(tx)
    _, (t1, _) = active_group(tx, boss, tickets=2, chit_value="20,000")
    record(tx, boss, t1, "10000", date(2026, 6, 1))
    assert fees_posted(tx) == []


def test_received_on_is_validated(tx):
    boss = foreman(tx)
    _, (t1, _) = active_group(tx, boss, tickets=2, chit_value="20,000")
    for bad in ("2099-01-01", "2025-12-31", "yesterday", "2026-02-30", 20260101):
        with pytest.raises(ServiceError) as caught, tx() as s:
            offline_payments.record_offline_payment(
                s, actor=boss, ticket_id=t1, amount="100", received_on=bad
            )
        assert caught.value.field == "received_on", bad


def test_overdue_list_shows_days_late_and_the_fee_accruing(tx):
    boss = foreman(tx)
    group_id, (t1, t2, _t3) = active_group(
        tx, boss, tickets=3, late_fee_mode="flat", late_fee_flat="100", grace_days="5"
    )
    record(tx, boss, t1, "10000", DUE_1)
    record(tx, boss, t2, "4000", DUE_1)
    with tx() as s:
        rows = overdue_dues.overdue_list(s, actor=boss, group_id=group_id, as_of=date(2026, 2, 19))
    assert [(r["ticket_no"], r["month"], r["outstanding"], r["days_late"], r["late_fee"]) for r in rows] == [
        ("2", "1", "₹6,000", "40", "₹200"),
        ("3", "1", "₹10,000", "40", "₹200"),
    ]
    with tx() as s:
        assert overdue_dues.overdue_list(s, actor=boss, group_id=group_id, as_of=DUE_1) == []


def test_mark_all_paid_records_each_ticket_once_with_its_own_receipt(tx):
    boss = foreman(tx)
    group_id, (t1, t2, t3) = active_group(tx, boss, tickets=3)
    record(tx, boss, t1, "10000", DUE_1)
    record(tx, boss, t2, "2500", DUE_1)
    with tx() as s:
        made = payment_batch.mark_all_paid(s, actor=boss, group_id=group_id, month=1, method="cash")
        assert [(p.ticket_id, p.amount, p.receipt_no) for p in made] == [
            (t2, 7_500 * RUPEE, 3),
            (t3, INSTALLMENT, 4),
        ]
    assert [outstanding(tx, t, 1) for t in (t1, t2, t3)] == [0, 0, 0]
    with pytest.raises(ServiceError, match="already paid"), tx() as s:
        payment_batch.mark_all_paid(s, actor=boss, group_id=group_id, month=1)
    for month in (0, 2, "x", None):
        with pytest.raises(ServiceError), tx() as s:
            payment_batch.mark_all_paid(s, actor=boss, group_id=group_id, month=month)
    with tx() as s:
        assert len(s.exec(select(Payment)).all()) == 4
    books_ok(tx)


def _inst(tx, ticket_id, month):
    with tx() as s:
        return next(ln.installment_id for ln in dues.due_lines(s, ticket_id=ticket_id) if ln.month == month)
