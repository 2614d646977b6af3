"""What a member reads on their phone (issue 16): home's "Pay now" goes to the most urgent due's pay
page, a credit shows once nothing is due, the pay box holds the amount as a person writes it, the
passbook keeps an installment not yet due below the payment made against it and says what a payment
paid for, and receipt numbers read one way ("MAIN/000001") on every member screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from luckychit_app import clock
from luckychit_app.domain.money import MAX_PAISE, parse_rupees
from luckychit_app.models import Installment, Ticket, User
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups import setup
from luckychit_app.services.messages import disputes
from luckychit_app.services.money import offline_payments, passbook, receipts
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.money.paid_for import _months_text
from luckychit_app.services.people import members
from luckychit_app.services.reporting import views
from tests.services.helpers import (
    active_group,
    add_members,
    create_group,
    foreman,
    member_actor,
    pay,
    snapshot,
    ticket_ids,
)

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE


@pytest.fixture(autouse=True)
def _books_balance(request: pytest.FixtureRequest):
    """Whatever a test did, the books it leaves pass ledger-check."""
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


def _weekly_group_from_today(tx, boss, tickets: int = 3) -> tuple[int, list[int]]:
    """A weekly group started today: month 1 is raised now and falls due in a week."""
    group_id = create_group(tx, boss, tickets=str(tickets), period="weekly", name="Weekly Savings")
    add_members(tx, boss, group_id, tickets)
    with tx() as s:
        setup.activate_group(s, actor=boss, group_id=group_id, start=clock.today_ist().isoformat())
    return group_id, ticket_ids(tx, group_id)


@given(st.integers(min_value=1, max_value=MAX_PAISE))
def test_the_pay_box_amount_reads_back_as_the_same_paise(paise):
    typed = passbook.typed_amount(paise)
    assert "₹" not in typed and parse_rupees(typed) == paise


def test_typed_amounts_read_as_a_person_writes_them():
    assert passbook.typed_amount(10_000 * RUPEE) == "10,000"
    assert passbook.typed_amount(1_00_000 * RUPEE + 50) == "1,00,000.50"


def test_several_months_read_as_runs():
    assert _months_text("en", [3]) == "month 3 installment"
    assert _months_text("en", [4, 3]) == "months 3, 4 installments"
    assert _months_text("en", [3, 4, 5, 7]) == "months 3–5, 7 installments"
    assert _months_text("hi", [3]) == "महीना 3 की किस्त"


def test_a_payment_before_the_due_date_follows_its_installment_and_is_not_an_advance(tx):
    boss = foreman(tx)
    _gid, (t1, _t2, _t3) = _weekly_group_from_today(tx, boss)
    paid = pay(tx, boss, t1, INSTALLMENT)
    member = member_actor(tx, t1)
    due_on = clock.format_date(clock.today_ist() + timedelta(days=7))
    with tx() as s:
        book = passbook.passbook(s, actor=member, ticket_id=t1)
        label = receipts.receipt(s, actor=member, payment_id=paid.id)["receipt_no"]
    today = clock.format_date(clock.today_ist())
    assert label == "MAIN/000001"
    # Oldest first from the service (the page shows it newest first): the installment raised today
    # (due in a week), then today's payment against it; the balance after the payment is nil.
    assert [(ln["date"], ln["text"], ln["balance"]) for ln in book["lines"]] == [
        (today, f"Month 1 installment, due {due_on}", "₹10,000 due"),
        (today, f"Payment for month 1 installment, receipt {label}", "Nil"),
    ]
    assert book["balance"] == "Nil"
    assert not any("advance" in ln["balance"] for ln in book["lines"])


def test_money_beyond_the_installment_is_an_advance_and_says_so(tx):
    """Paid before the due date with ₹500 more: the line names the installment and the advance, and
    only the ₹500 shows as advance."""
    boss = foreman(tx)
    _gid, (t1, *_rest) = _weekly_group_from_today(tx, boss)
    with tx() as s:
        month_one = s.exec(select(Installment).where(Installment.ticket_id == t1)).first()
        due = month_one.due_date
    assert due > clock.today_ist()
    paid = pay(tx, boss, t1, INSTALLMENT + 500 * RUPEE)  # ₹500 more than due: a real advance
    member = member_actor(tx, t1)
    with tx() as s:
        book = passbook.passbook(s, actor=member, ticket_id=t1)
    last = book["lines"][-1]
    assert last["text"] == (
        "Payment for month 1 installment and advance for coming months, receipt MAIN/000001"
    )
    assert last["balance"] == "₹500 advance" and paid.receipt_no == 1


def test_a_late_payment_names_the_late_fee_it_paid(tx):
    boss = foreman(tx)
    _gid, (t1, *_rest) = active_group(
        tx, boss, tickets=3, late_fee_mode="flat", late_fee_flat="100", grace_days="3"
    )
    member = member_actor(tx, t1)
    with tx() as s:
        total = passbook.pay_page(s, actor=member, ticket_id=t1)["total_paise"]
        offline_payments.record_offline_payment(
            s, actor=boss, ticket_id=t1, amount=passbook.typed_amount(total), method="cash"
        )
    with tx() as s:
        book = passbook.passbook(s, actor=member, ticket_id=t1)
    assert book["lines"][-1]["text"] == "Payment for month 1 installment and late fee, receipt MAIN/000001"
    assert book["lines"][-1]["balance"] == "Nil"


def test_home_pay_now_opens_the_most_urgent_dues_pay_page_with_its_amount(tx):
    boss = foreman(tx)
    _late_group, (overdue, *_rest) = active_group(tx, boss, tickets=3)  # month 1 due in January
    weekly_id = create_group(tx, boss, tickets="2", period="weekly", name="Weekly Savings")
    with tx() as s:
        mobile = s.get(User, s.get(Ticket, overdue).member_id).mobile
        members.add_member(s, actor=boss, group_id=weekly_id, name="Same Person", mobile=mobile)
    add_members(tx, boss, weekly_id, 1)
    with tx() as s:
        setup.activate_group(s, actor=boss, group_id=weekly_id, start=clock.today_ist().isoformat())
    member = member_actor(tx, overdue)
    with tx() as s:
        home = views.member_home(s, actor=member)
        page = passbook.pay_page(s, actor=member, ticket_id=overdue)
    assert len(home["groups"]) == 2 and home["has_due"]
    # The January installment is older than the one due next week: its ticket is the one to pay.
    assert home["pay_href"] == f"/m/pay/{overdue}"
    assert page["total_rupees"] == passbook.typed_amount(page["total_paise"]) == "10,000"


def test_home_shows_a_credit_left_after_paying_in_full(tx):
    boss = foreman(tx)
    _gid, (t1, t2, _t3) = active_group(tx, boss, tickets=3)
    pay(tx, boss, t1, INSTALLMENT + 500 * RUPEE)
    pay(tx, boss, t2, INSTALLMENT)
    first, second = member_actor(tx, t1), member_actor(tx, t2)
    with tx() as s:
        credited = views.member_home(s, actor=first)
        square = views.member_home(s, actor=second)
    assert not credited["has_due"] and credited["credit"] == "₹500 in credit"
    (card,) = credited["groups"]
    assert card["due"] == "₹500 in credit" and card["has_credit"] and not card["has_due"]
    assert credited["pay_href"] == "/m/payments"  # nothing to pay: the Payments tab, not a pay page
    assert square["credit"] == "" and square["groups"][0]["due"] == "Nothing due"


def test_receipt_numbers_read_one_way_on_every_member_screen(tx):
    boss = foreman(tx)
    _gid, (t1, *_rest) = active_group(tx, boss, tickets=3)
    paid = pay(tx, boss, t1, INSTALLMENT)
    member = member_actor(tx, t1)
    with tx() as s:
        label = receipts.receipt(s, actor=member, payment_id=paid.id)["receipt_no"]
        mine = passbook.member_payments(s, actor=member)["payments"]
        book = passbook.passbook(s, actor=member, ticket_id=t1)
        subjects = views.dispute_subjects(s, actor=member)
        query = disputes.raise_dispute(
            s,
            actor=member,
            subject_type="payment",
            subject_id=str(paid.id),
            title="Wrong month",
            body="The receipt says month 1.",
        )
        thread = disputes.thread(s, actor=member, dispute_id=query.id)
    assert label == "MAIN/000001"
    assert mine[0]["receipt"] == label
    assert any(ln["text"].endswith(f"receipt {label}") for ln in book["lines"])
    assert label in thread["subject"]
    # The query's subject picker starts with what tells two payments apart: the date.
    today = clock.format_date(clock.today_ist())
    assert subjects[0]["label"] == f"Payment {today} · ₹10,000 · Diwali Savings"


@pytest.mark.parametrize("forged", ["", "abc", "-1", None, 10**12, 1.5, True])
def test_another_members_or_a_forged_ticket_is_refused_and_nothing_changes(tx, engine, forged):
    boss = foreman(tx)
    _gid, (t1, t2, _t3) = active_group(tx, boss, tickets=3)
    member = member_actor(tx, t1)
    before = snapshot(engine)
    for ticket in (t2, forged):
        with pytest.raises(ServiceError), tx() as s:
            passbook.pay_page(s, actor=member, ticket_id=ticket)
        with pytest.raises(ServiceError), tx() as s:
            passbook.passbook(s, actor=member, ticket_id=ticket)
    assert snapshot(engine) == before
