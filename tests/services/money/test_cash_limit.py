"""The s.269ST cash limit (issue 19, item 12) on every path that records cash: the counter, a whole
collection sheet (and "mark all paid") and a collector's phone. ₹2,00,000 or more in cash from one
member in one Indian calendar day, across their tickets and groups of the company, is refused unless
a reason is given; the reason is kept on the payment and in the audit log."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import select

from luckychit_app.clock import IST, today_ist
from luckychit_app.models import AuditLog, Payment, Ticket, User
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups import setup
from luckychit_app.services.money import field_collections, offline_payments, payment_batch
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.people import members
from tests.services.helpers import active_group, create_group, foreman, new_mobile, snapshot, staff

LAKH = 1_00_000_00


@pytest.fixture(autouse=True)
def _books_stay_sound(request: pytest.FixtureRequest):
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


@pytest.fixture
def seats(tx):
    """One member holding a ticket in each of two groups of the company: (owner, ticket, ticket)."""
    boss = foreman(tx)
    _first, tickets = active_group(tx, boss, tickets=2, chit_value="20,00,000")
    second = create_group(tx, boss, name="Pongal Chit", tickets="2", chit_value="20,00,000")
    with tx() as s:
        member = s.get(User, s.get(Ticket, tickets[0]).member_id)
        other, _ = members.add_member(s, actor=boss, group_id=second, name=member.name, mobile=member.mobile)
        members.add_member(s, actor=boss, group_id=second, name="Second Seat", mobile=new_mobile())
        other_id = other.id
    with tx() as s:
        setup.activate_group(s, actor=boss, group_id=second, start="2026-01-01")
    return boss, tickets[0], other_id


def _cash(tx, actor, ticket_id, rupees, **extra):
    with tx() as s:
        return offline_payments.record_offline_payment(
            s, actor=actor, ticket_id=ticket_id, amount=rupees, method="cash", **extra
        )


def test_just_under_two_lakh_is_taken(tx, seats):
    boss, ticket, _other = seats
    payment = _cash(tx, boss, ticket, "1,99,999.99")
    assert (payment.status, payment.cash_override) == ("captured", "")


def test_two_payments_reaching_two_lakh_in_a_day_are_refused_across_groups(tx, engine, seats):
    boss, ticket, other = seats
    _cash(tx, boss, ticket, "1,00,000")
    before = snapshot(engine)
    with tx() as s, pytest.raises(ServiceError) as refused:
        offline_payments.record_offline_payment(
            s, actor=boss, ticket_id=other, amount="1,00,000", method="cash"
        )
    assert refused.value.field == "cash_override"
    assert "₹2,00,000" in refused.value.message and "s.269ST" in refused.value.message
    assert "₹1,00,000 already received today" in refused.value.message
    assert snapshot(engine) == before  # nothing written
    _cash(tx, boss, other, "99,999.99")  # under the limit in total: taken
    with tx() as s:  # by bank, any amount
        offline_payments.record_offline_payment(
            s, actor=boss, ticket_id=other, amount="5,00,000", method="bank", reference="NEFT N123"
        )


def test_the_next_indian_day_starts_again(tx, seats):
    boss, ticket, other = seats
    yesterday = (today_ist() - timedelta(days=1)).isoformat()
    _cash(tx, boss, ticket, "1,50,000", received_on=yesterday)
    assert _cash(tx, boss, other, "1,50,000").status == "captured"


def test_the_day_is_the_indian_calendar_day(tx, seats):
    """Two payments 20 minutes apart on one UTC date, either side of midnight in India: they fall on
    two days, so neither counts against the other."""
    boss, ticket, other = seats
    first = _cash(tx, boss, ticket, "1,50,000")
    midnight = datetime.combine(today_ist(), time(), IST)
    with tx() as s:
        row = s.get(Payment, first.id)
        row.paid_at = (midnight - timedelta(minutes=10)).astimezone(UTC)  # 23:50 IST yesterday
        s.add(row)
    assert _cash(tx, boss, other, "1,50,000").status == "captured"  # today
    with tx() as s:
        row = s.get(Payment, first.id)
        row.paid_at = (midnight + timedelta(minutes=10)).astimezone(UTC)  # 00:10 IST today
        s.add(row)
    with pytest.raises(ServiceError, match=r"s\.269ST"):
        _cash(tx, boss, ticket, "1")


def test_with_a_reason_it_is_taken_kept_on_the_payment_and_audited(tx, seats):
    boss, ticket, other = seats
    _cash(tx, boss, ticket, "1,00,000")
    with tx() as s, pytest.raises(ServiceError, match="at least 5 characters"):
        offline_payments.record_offline_payment(
            s, actor=boss, ticket_id=other, amount="1,00,000", method="cash", cash_override="ok"
        )
    reason = "Member's bank account frozen; PAN copy kept on file"
    payment = _cash(tx, boss, other, "1,00,000", cash_override=reason)
    assert (payment.status, payment.cash_override) == ("captured", reason)
    with tx() as s:
        row = s.exec(
            select(AuditLog).where(
                AuditLog.action == "payment.cash_over_limit", AuditLog.object_id == str(payment.id)
            )
        ).one()
        detail = json.loads(row.detail)
        assert (detail["reason"], detail["amount"], row.actor_id) == (reason, LAKH, boss.user_id)
        assert "s.269ST" in detail["rule"]


def test_a_reason_under_the_limit_is_not_kept(tx, seats):
    boss, ticket, _other = seats
    assert _cash(tx, boss, ticket, "500", cash_override="not needed here").cash_override == ""


def test_a_collection_sheet_counts_the_member_once_in_total(tx, engine, seats):
    boss, ticket, other = seats
    rows = [
        {"ticket_id": ticket, "amount": "1,20,000", "method": "cash"},
        {"ticket_id": other, "amount": "80,000", "method": "cash"},
    ]
    before = snapshot(engine)
    with tx() as s, pytest.raises(ServiceError, match=r"^Payment 2: .*s\.269ST"):
        payment_batch.record_offline_payments(s, actor=boss, rows=rows)
    assert snapshot(engine) == before
    rows[1]["cash_override"] = "Paid at the annual meeting; receipt copy signed"
    with tx() as s:
        made = payment_batch.record_offline_payments(s, actor=boss, rows=rows)
    with tx() as s:
        kept = [s.get(Payment, p.id).cash_override for p in made]
        assert kept == ["", rows[1]["cash_override"]]
        audited = s.exec(select(AuditLog.object_id).where(AuditLog.action == "payment.cash_over_limit")).all()
        assert audited == [str(made[1].id)]


def test_mark_all_paid_applies_the_limit_too(tx, engine, seats):
    """Each ticket owes ₹10,00,000 for month 1 (a ₹20 lakh chit of two tickets): recording it all in
    cash at a meeting needs the reason, kept on every payment over the limit."""
    boss, ticket, _other = seats
    with tx() as s:
        gid = s.get(Ticket, ticket).group_id
    before = snapshot(engine)
    with tx() as s, pytest.raises(ServiceError, match=r"^Payment 1: .*s\.269ST"):
        payment_batch.mark_all_paid(s, actor=boss, group_id=gid, month=1)
    assert snapshot(engine) == before
    with tx() as s:
        made = payment_batch.mark_all_paid(
            s, actor=boss, group_id=gid, month=1, cash_override="Collected at the group meeting"
        )
    with tx() as s:
        assert [s.get(Payment, p.id).cash_override for p in made] == ["Collected at the group meeting"] * 2


def test_a_collector_at_the_door_is_held_to_it(tx, seats):
    boss, ticket, _other = seats
    clerk = staff(tx, boss, "clerk")
    with tx() as s, pytest.raises(ServiceError, match=r"s\.269ST") as refused:
        field_collections.record_collection(
            s, actor=clerk, ticket_id=ticket, amount="2,00,000", method="cash", idempotency_key="k" * 20
        )
    assert refused.value.field == "cash_override"
    with tx() as s:
        done = field_collections.record_collection(
            s,
            actor=clerk,
            ticket_id=ticket,
            amount="2,00,000",
            method="cash",
            idempotency_key="k" * 20,
            cash_override="Member sold land; sale deed copy kept",
        )
    with tx() as s:
        assert s.get(Payment, done.payment_id).cash_override.startswith("Member sold land")
