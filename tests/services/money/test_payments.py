"""Recording offline payments: oldest dues first, partial payments, advances, gap-free receipts."""

from __future__ import annotations

import pytest
from sqlmodel import select

from luckychit_app.models import ChitGroup, Payment, PaymentAllocation, ReceiptCounter
from luckychit_app.services.access import Actor
from luckychit_app.services.draws.ticket_states import ticket_states
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import offline_payments
from luckychit_app.services.money.dues import due_lines
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.services.people import members
from tests.services.helpers import (
    active_group,
    conduct,
    create_group,
    foreman,
    main_branch_id,
    member_actor,
    pay,
    pay_dues,
    snapshot,
)

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE  # helpers' default group: ₹30,000 over 3 tickets


def paid_by_month(tx, ticket_id: int) -> dict[int, int]:
    with tx() as s:
        return {ln.month: ln.paid for ln in due_lines(s, ticket_id=ticket_id)}


def books_ok(tx) -> None:
    with tx() as s:
        assert ledger_check(s) == []


def test_payments_settle_the_oldest_dues_first_then_partially_then_in_advance(tx):
    boss = foreman(tx)
    group_id, (t1, t2, t3) = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, [t1, t2], 1)
    conduct(tx, boss, group_id)  # ticket 3 skipped month 1; month 2 is now open too
    assert paid_by_month(tx, t3) == {1: 0, 2: 0, 3: 0}

    payment = pay(tx, boss, t3, 15_000 * RUPEE)
    with tx() as s:
        allocations = s.exec(
            select(PaymentAllocation).where(PaymentAllocation.payment_id == payment.id)
        ).all()
        assert sum(a.amount for a in allocations) == payment.amount
    assert paid_by_month(tx, t3) == {1: INSTALLMENT, 2: 5_000 * RUPEE, 3: 0}

    pay(tx, boss, t3, 2_500 * RUPEE)
    assert paid_by_month(tx, t3) == {1: INSTALLMENT, 2: 7_500 * RUPEE, 3: 0}

    advance = pay(tx, boss, t3, 12_500 * RUPEE)  # ₹2,500 still due; ₹10,000 is paid ahead
    assert paid_by_month(tx, t3) == {1: INSTALLMENT, 2: INSTALLMENT, 3: 0}
    with tx() as s:
        applied = s.exec(
            select(PaymentAllocation.amount).where(PaymentAllocation.payment_id == advance.id)
        ).all()
        assert applied == [2_500 * RUPEE]
        # The books keep the advance: the ticket's receivable is ₹10,000 in credit.
        assert balance(s, f"ticket:{t3}:receivable") == -10_000 * RUPEE
        assert balance(s, f"group:{group_id}:cash") == (2 * 10_000 + 15_000 + 2_500 + 12_500) * RUPEE
    books_ok(tx)


def test_an_advance_pays_the_next_months_dues_when_they_are_raised(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4, chit_value="40,000")
    ahead = tickets[3]
    pay(tx, boss, ahead, 3 * INSTALLMENT)  # months 1..3 in one go; only month 1 is raised so far
    assert paid_by_month(tx, ahead) == {1: INSTALLMENT, 2: 0, 3: 0, 4: 0}
    pay_dues(tx, boss, tickets[:3], 1)
    conduct(tx, boss, group_id)
    # Month 2's dues are raised at the draw, and the advance settles them at once: the member who
    # paid ahead is not overdue and stays eligible for the month 2 draw.
    assert paid_by_month(tx, ahead) == {1: INSTALLMENT, 2: INSTALLMENT, 3: 0, 4: 0}
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        states = {t.id: st for t, st in ticket_states(s, group, 2)}
        assert states[ahead].unpaid_months == frozenset()
        assert balance(s, f"ticket:{ahead}:receivable") == -INSTALLMENT
    books_ok(tx)


def test_receipt_numbers_run_per_foreman_without_gaps_across_groups(tx, engine):
    boss, other = foreman(tx), foreman(tx, name="Suresh Rao")
    _, first = active_group(tx, boss, tickets=2)
    _, second = active_group(tx, boss, tickets=2, name="Second Group")
    _, others = active_group(tx, other, tickets=2, name="Other Group")
    numbers = []
    for ticket_id in (first[0], second[0], first[1], second[1], first[0]):
        numbers.append(pay(tx, boss, ticket_id, 1_000 * RUPEE).receipt_no)
        # A refused payment in between takes no number.
        with pytest.raises(ServiceError), tx() as s:
            offline_payments.record_offline_payment(s, actor=boss, ticket_id=ticket_id, amount="0")
    assert numbers == [1, 2, 3, 4, 5]
    assert [pay(tx, other, t, 500 * RUPEE).receipt_no for t in others] == [1, 2]
    with tx() as s:
        counters = {c.branch_id: c.last_no for c in s.exec(select(ReceiptCounter)).all()}
        assert counters == {main_branch_id(s, boss): 5, main_branch_id(s, other): 2}
        mine = s.exec(select(Payment.receipt_no).where(Payment.foreman_id == boss.user_id)).all()
        assert sorted(mine) == [1, 2, 3, 4, 5]
    books_ok(tx)


BAD_AMOUNTS = [
    "0",
    "0.00",
    "-100",
    "−100",
    "abc",
    "1e5",
    "100.001",
    "1,00,0",
    "",
    "   ",
    None,
    100.5,
    100.0,
    True,
    0,
    -5,
    ["100"],
    {"amount": 100},
    "9" * 30,
    10**20,
    "NaN",
    "inf",
]


def test_bad_payments_are_refused_and_nothing_is_written(tx, engine, subtests):
    boss = foreman(tx)
    _, (ticket_id, *_) = active_group(tx, boss, tickets=2)
    pay(tx, boss, ticket_id, 1 * RUPEE)  # the receipt counter exists, so any change to it would show
    before = snapshot(engine)
    for amount in BAD_AMOUNTS:
        with subtests.test(amount=amount):
            with pytest.raises(ServiceError) as caught, tx() as s:
                offline_payments.record_offline_payment(s, actor=boss, ticket_id=ticket_id, amount=amount)
            assert caught.value.field == "amount", caught.value.message
    for method in ("upi", "online", "cheque", "", None, ["cash"]):
        with subtests.test(method=method):
            with pytest.raises(ServiceError) as caught, tx() as s:
                offline_payments.record_offline_payment(
                    s, actor=boss, ticket_id=ticket_id, amount="100", method=method
                )
            assert caught.value.field == "method"
    with subtests.test("reference too long"):
        with pytest.raises(ServiceError) as caught, tx() as s:
            offline_payments.record_offline_payment(
                s, actor=boss, ticket_id=ticket_id, amount="100", reference="x" * 101
            )
        assert caught.value.field == "reference"
    for ticket in ("abc", -1, 0, None, 2**40, [ticket_id], True):
        with subtests.test(ticket=ticket), pytest.raises(ServiceError), tx() as s:
            offline_payments.record_offline_payment(s, actor=boss, ticket_id=ticket, amount="100")
    assert snapshot(engine) == before
    books_ok(tx)


def test_payments_only_for_a_running_group_by_its_own_foreman(tx, engine):
    boss, intruder = foreman(tx), foreman(tx, name="Intruder")
    forming = create_group(tx, boss, tickets="2", name="Still Forming")
    with tx() as s:
        waiting, _ = members.add_member(
            s, actor=boss, group_id=forming, name="Early Bird", mobile="9123456780"
        )
    _, (ticket_id, *_) = active_group(tx, boss, tickets=2)
    member = member_actor(tx, ticket_id)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="running group"), tx() as s:
        offline_payments.record_offline_payment(s, actor=boss, ticket_id=waiting.id, amount="100")
    for actor in (intruder, member, Actor(member.user_id, "foreman"), None):
        with pytest.raises(NotAllowed), tx() as s:
            offline_payments.record_offline_payment(s, actor=actor, ticket_id=ticket_id, amount="100")
    with pytest.raises(NotAllowed), tx() as s:
        offline_payments.record_offline_payment(s, actor=boss, ticket_id=ticket_id + 1000, amount="100")
    assert snapshot(engine) == before


def test_dues_left_after_the_final_month_can_still_be_paid(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=2, chit_value="20,000")
    pay_dues(tx, boss, tickets, 1)
    conduct(tx, boss, group_id)
    conduct(tx, boss, group_id)  # month 2: the last ticket takes it without a draw
    with tx() as s:
        assert s.get(ChitGroup, group_id).status == "completed"
    late = pay(tx, boss, tickets[0], INSTALLMENT)
    assert late.status == "captured" and late.receipt_no == 3
    assert paid_by_month(tx, tickets[0]) == {1: INSTALLMENT, 2: INSTALLMENT}
    books_ok(tx)
