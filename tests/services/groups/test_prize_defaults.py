"""A prized subscriber's default (issue 15; Chit Funds Act s.32, s.33): the written demand for what is
overdue and the consolidated future subscriptions, by SMS through the outbox and in the app, a
recovery notice to every guarantor of the standing security, the ticket marked defaulted, at most
once a day; every refusal changes nothing and the books are never touched."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from luckychit_app.clock import today_ist
from luckychit_app.models import (
    AuditLog,
    ChitGroup,
    JournalEntry,
    Notification,
    OutboxMessage,
    Payout,
    Ticket,
    User,
)
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups import prize_defaults, transfers
from luckychit_app.services.money import payouts
from luckychit_app.services.money.ledger import ledger_check
from tests.services.helpers import (
    active_group,
    conduct,
    foreman,
    member_actor,
    new_mobile,
    outstanding,
    pay,
    pay_dues,
    snapshot,
)

GUARANTORS = [
    {
        "name": "Suresh Babu",
        "mobile": "9876500001",
        "relation": "Brother",
        "kyc": "ABCPE1234F",
        "signed_on": "2026-01-15",
    },
    {
        "name": "Meera Das",
        "mobile": "9876500002",
        "relation": "Employer",
        "kyc": "234123412346",
        "signed_on": "2026-01-16",
    },
]


@pytest.fixture(autouse=True)
def _books_hold(request: pytest.FixtureRequest):
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


@pytest.fixture
def defaulted(tx):
    """Month 1 paid and drawn; the winner gave two guarantors and was paid; month 2 (due
    10-02-2026) is unpaid, so the prized ticket is in default with month 3 still to come."""
    boss = foreman(tx, name="Ramesh Kumar")
    group_id, tickets = active_group(tx, boss, tickets=3, foreman_first_chit="")
    pay_dues(tx, boss, tickets, 1)
    draw = conduct(tx, boss, group_id)
    with tx() as s:
        payout = s.exec(select(Payout)).one()
        payouts.record_security(
            s,
            actor=boss,
            payout_id=payout.id,
            kind="guarantor",
            value="30000",
            description="",
            guarantors=GUARANTORS,
        )
    with tx() as s:
        payouts.release_payout(
            s,
            actor=boss,
            payout_id=payout.id,
            method="bank",
            reference="NEFT-1001",
            paid_on=today_ist().isoformat(),
        )
    others = [t for t in tickets if t != draw.winner_ticket_id]
    return boss, group_id, draw.winner_ticket_id, others


def _count(tx, model, *where) -> int:
    with tx() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def test_the_written_demand_reaches_the_member_and_every_guarantor_once_a_day(tx, engine, defaulted):
    boss, group_id, winner, _ = defaulted
    entries = _count(tx, JournalEntry)
    with tx() as s:
        rows = prize_defaults.prize_rows(s, actor=boss, group_id=group_id)
    assert rows[0]["can_demand"] and rows[0]["overdue"] == "₹10,000" and rows[0]["future"] == "₹10,000"
    with tx() as s:
        done = prize_defaults.demand(s, actor=boss, ticket_id=str(winner))
        member = s.get(User, s.get(Ticket, winner).member_id)
        foreman_mobile = s.get(User, boss.user_id).mobile
    assert (done.standing.overdue, done.standing.future, done.standing.total) == (
        1_000_000,
        1_000_000,
        2_000_000,
    )
    assert done.guarantors == 2 and not done.already and "2 guarantors" in done.summary()
    with tx() as s:
        sms = s.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [m.recipient for m in sms] == [member.mobile, "9876500001", "9876500002"]
        letter, notice = sms[0].body, sms[1].body
        assert "s.32-s.33" in letter and "₹10,000 overdue since 10-02-2026" in letter
        assert (
            "future subscriptions ₹10,000" in letter
            and "total ₹20,000" in letter
            and foreman_mobile in letter
        )
        assert "Suresh Babu" in notice and member.name in notice and "signed on 15-01-2026" in notice
        assert "₹10,000 overdue" in notice and foreman_mobile in notice and "Ramesh Kumar" in notice
        assert "ABCPE1234F" not in notice
        assert s.get(Ticket, winner).defaulted_at is not None
        told = s.exec(select(Notification).where(Notification.kind == "prize_default")).one()
        assert told.user_id == member.id
        audit = s.exec(select(AuditLog).where(AuditLog.action == prize_defaults.DEMAND_ACTION)).one()
        assert audit.object_id == str(winner)
        rows = prize_defaults.prize_rows(s, actor=boss, group_id=group_id)
    assert rows[0]["demanded_today"] and not rows[0]["can_demand"] and rows[0]["defaulted"]
    assert _count(tx, JournalEntry) == entries  # a demand is words, not money
    # A second tap the same day sends nothing and changes nothing.
    before = snapshot(engine)
    with tx() as s:
        again = prize_defaults.demand(s, actor=boss, ticket_id=winner)
    assert again.already and "nothing was sent" in again.summary()
    assert snapshot(engine) == before


def test_a_deposit_is_named_but_not_applied_and_a_transferred_tickets_old_guarantors_are_not_told(
    tx, defaulted
):
    boss, _, winner, _ = defaulted
    with tx() as s:
        transfers.transfer_ticket(
            s,
            actor=boss,
            ticket_id=winner,
            name="Kiran Rao",
            mobile=new_mobile(),
            reason="Sold with consent",
            security={
                "kind": "deposit",
                "value": "27000",
                "description": "FD receipt 5521",
                "method": "bank",  # the new holder paid it in (s.21(1)(e))
                "reference": "NEFT-5521",
                "received_on": today_ist().isoformat(),
            },
        )
    with tx() as s:
        done = prize_defaults.demand(s, actor=boss, ticket_id=winner)
        recipients = s.exec(select(OutboxMessage.recipient)).all()
        holder = s.get(User, s.get(Ticket, winner).member_id)
    assert done.guarantors == 0 and done.deposit == 2_700_000 and done.member == "Kiran Rao"
    # The demand names the deposit held; recovering from it is the foreman's next step (deposit_recovery).
    assert "₹27,000 of security deposit is held" in done.summary()
    assert "no guarantor on record" in done.summary()
    assert recipients == [holder.mobile]  # the earlier holder's guarantors secured the earlier holder


def test_refused_demands_say_why_and_change_nothing(tx, engine, defaulted):
    boss, group_id, winner, (plain, _) = defaulted
    intruder = foreman(tx, name="Intruder")
    before = snapshot(engine)

    def refused(actor, ticket_id, match, error=ServiceError):
        with pytest.raises(error, match=match), tx() as s:
            prize_defaults.demand(s, actor=actor, ticket_id=ticket_id)
        assert snapshot(engine) == before

    refused(boss, plain, "has not won a prize")
    for junk in (None, "abc", -1, 2.5, [1], {"id": 1}, True, 10**30):
        refused(boss, junk, "Invalid ticket")
    for actor in (intruder, member_actor(tx, winner), None):
        refused(actor, winner, "not allowed", NotAllowed)
    refused(boss, 999_999, "not allowed", NotAllowed)
    for status in ("closed", "cancelled", "forming"):
        with tx() as s:
            group = s.get(ChitGroup, group_id)
            group.status = status
            s.add(group)
        before = snapshot(engine)
        refused(boss, winner, status)
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        group.status = "active"
        s.add(group)
    pay(tx, boss, winner, outstanding(tx, winner, 2))  # month 2 paid: nothing is overdue any more
    before = snapshot(engine)
    refused(boss, winner, "nothing overdue")
