"""Field collection (issue 23): a collection agent, a clerk or the owner records cash or UPI money for
a ticket from the staff desk. Who may collect for whom, where the cash sits in the books, the receipt
text sent at once, and the idempotency key that makes a retried tap on a slow line record once."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

import pytest
from sqlmodel import func, select

from luckychit_app.domain import ledger as books
from luckychit_app.models import (
    AgentAssignment,
    AuditLog,
    OutboxMessage,
    Payment,
    PaymentAllocation,
    Ticket,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups import setup
from luckychit_app.services.money.field_collections import Collected, record_collection
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.services.people import members
from luckychit_app.settings import get_settings
from tests.services.helpers import (
    Tx,
    active_group,
    assign_agent,
    branch,
    foreman,
    member_actor,
    new_mobile,
    outstanding,
    race,
    snapshot,
    staff,
)

MONTH_DUE = 10_000_00  # ₹30,000 over 3 tickets: ₹10,000 a month
POSTGRES_ONLY = pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])


@dataclass
class World:
    boss: Actor
    group_id: int
    tickets: list[int]  # the main branch's group; tickets[0]'s member is the agent's
    agent: Actor
    clerk: Actor
    far_group: int  # a group of the second branch (Tenali)
    far_tickets: list[int]  # far_tickets[0] is held by tickets[0]'s member too
    far_clerk: Actor


def member_of(tx: Tx, ticket_id: int) -> int:
    with tx() as s:
        return s.get(Ticket, ticket_id).member_id


def world(tx: Tx) -> World:
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    agent, clerk = staff(tx, boss, "agent"), staff(tx, boss, "clerk")
    assign_agent(tx, boss, agent, member_of(tx, tickets[0]))
    tenali = branch(tx, boss, "Tenali", "TNR")
    far_group, far_tickets = _far_group(tx, boss, tenali, member_of(tx, tickets[0]))
    return World(
        boss, group_id, tickets, agent, clerk, far_group, far_tickets, staff(tx, boss, "clerk", tenali)
    )


def _far_group(tx: Tx, boss: Actor, branch_id: int, member_id: int) -> tuple[int, list[int]]:
    """A Tenali group whose first seat is held by a member of the main branch's group."""
    with tx() as s:
        group = setup.create_group(
            s,
            actor=boss,
            form={
                "name": "Tenali Savings",
                "foreman_first_chit": "off",  # members hold every seat (the Act's default is on, s.21(1)(a))
                "kind": "lucky",
                "chit_value": "30,000",
                "tickets": "3",
                "commission_pct": "5",
                "draw_day": "10",
                "branch_id": str(branch_id),
            },
        )
        gid = group.id
    with tx() as s:
        mobile = s.get(User, member_id).mobile
    for i, number in enumerate((mobile, new_mobile(), new_mobile())):
        with tx() as s:
            members.add_member(s, actor=boss, group_id=gid, name=f"Tenali {i}", mobile=number)
    with tx() as s:
        setup.activate_group(s, actor=boss, group_id=gid, start="2026-01-01")
        ids = s.exec(select(Ticket.id).where(Ticket.group_id == gid).order_by(Ticket.ticket_no)).all()
    return gid, list(ids)


def key() -> str:
    return uuid4().hex


def collect(
    tx: Tx, actor: Actor, ticket_id: int, amount: str = "10,000", method: str = "cash", **kw
) -> Collected:
    with tx() as s:
        return record_collection(
            s,
            actor=actor,
            ticket_id=ticket_id,
            amount=amount,
            method=method,
            idempotency_key=kw.pop("k", key()),
            **kw,
        )


def test_agent_collects_cash_for_an_assigned_member(tx):
    w = world(tx)
    done = collect(tx, w.agent, w.tickets[0])
    assert done.receipt == "MAIN/000001" and done.amount == "₹10,000" and not done.replayed
    url = f"{get_settings().public_url}/receipts/{done.payment_id}"
    assert done.message == f"Received ₹10,000 for Diwali Savings ticket 1. Receipt MAIN/000001: {url}"
    with tx() as s:
        payment = s.get(Payment, done.payment_id)
        member = s.get(Ticket, w.tickets[0]).member_id
        assert (payment.status, payment.method, payment.amount) == ("captured", "cash", MONTH_DUE)
        assert (payment.recorded_by_id, payment.payer_id) == (w.agent.user_id, member)
        assert payment.branch_id == w.agent.branch_id and payment.receipt_no == 1
        # The agent holds the cash until a confirmed hand-over; the group's cash is untouched.
        assert balance(s, books.cash_with(w.group_id, w.agent.user_id)) == MONTH_DUE
        assert balance(s, books.cash(w.group_id)) == 0
        sms = s.exec(select(OutboxMessage)).all()
        mine = [m for m in sms if m.body == done.message]
        assert len(mine) == 1 and mine[0].channel == "sms"
        assert mine[0].recipient == s.get(User, member).mobile
        assert done.share_url.startswith(f"https://wa.me/91{mine[0].recipient}?text=Received%20")
        row = s.exec(select(AuditLog).where(AuditLog.action == "payment.collected")).one()
        assert row.actor_id == w.agent.user_id
        for word in ('"method": "cash"', f'"amount": {MONTH_DUE}', '"receipt": "MAIN/000001"', '"branch_id"'):
            assert word in row.detail
        assert ledger_check(s) == []
        assert audit.verify_chain(s).ok
    assert outstanding(tx, w.tickets[0], up_to_month=1) == 0


def test_upi_and_the_owners_cash_go_to_the_groups_cash(tx):
    w = world(tx)
    collect(tx, w.agent, w.tickets[0], amount="4,000", method="upi", utr="1234 5678 9012")
    collect(tx, w.clerk, w.tickets[1], amount="3,000", method="upi", utr="123456789013")
    collect(tx, w.clerk, w.tickets[1], amount="2,000")
    owner = collect(tx, w.boss, w.tickets[2], amount="1,000")
    with tx() as s:
        assert s.exec(select(Payment.utr).where(Payment.method == "upi").order_by(Payment.id)).all() == [
            "123456789012",
            "123456789013",
        ]
        assert balance(s, books.cash(w.group_id)) == 8_000_00  # both UPI and the owner's cash
        assert balance(s, books.cash_with(w.group_id, w.agent.user_id)) == 0
        assert balance(s, books.cash_with(w.group_id, w.clerk.user_id)) == 2_000_00
        assert s.get(Payment, owner.payment_id).recorded_by_id == w.boss.user_id
        labels = s.exec(select(Payment.receipt_no).order_by(Payment.receipt_no)).all()
        assert labels == [1, 2, 3, 4]
        assert ledger_check(s) == []


def test_who_may_collect_for_whom(tx, engine):
    w = world(tx)
    other = foreman(tx, name="Other Owner")
    _, theirs = active_group(tx, other, tickets=3, name="Elsewhere")
    # A forged assignment of another company's member to this agent still reaches nothing of theirs.
    with tx() as s:
        s.add(
            AgentAssignment(
                branch_id=w.agent.branch_id,
                member_id=s.get(Ticket, theirs[0]).member_id,
                agent_id=w.agent.user_id,
                assigned_by_id=w.boss.user_id,
            )
        )
    accountant = staff(tx, w.boss, "accountant")
    manager = staff(tx, w.boss, "branch_manager")
    refused = {
        "agent, member not assigned": (w.agent, w.tickets[1]),
        "agent, assigned member's ticket in another branch": (w.agent, w.far_tickets[0]),
        "agent, another company's member": (w.agent, theirs[0]),
        "clerk, another branch": (w.clerk, w.far_tickets[1]),
        "Tenali clerk, main branch": (w.far_clerk, w.tickets[0]),
        "clerk, another company": (w.clerk, theirs[0]),
        "owner, another company": (w.boss, theirs[0]),
        "accountant": (accountant, w.tickets[0]),
        "member, own ticket": (member_actor(tx, w.tickets[0]), w.tickets[0]),
        "admin": (Actor(w.boss.user_id, "admin"), w.tickets[0]),
        "nobody": (None, w.tickets[0]),
        "no such ticket": (w.clerk, 999_999),
    }
    before = snapshot(engine)
    for name, (actor, ticket_id) in refused.items():
        with pytest.raises(NotAllowed), tx() as s:
            record_collection(
                s, actor=actor, ticket_id=ticket_id, amount="100", method="cash", idempotency_key=key()
            )
        assert snapshot(engine) == before, name
    # Allowed: the clerk and the manager branch-wide, the Tenali clerk in Tenali, the owner anywhere.
    for actor, ticket_id in (
        (w.clerk, w.tickets[1]),
        (manager, w.tickets[2]),
        (w.far_clerk, w.far_tickets[0]),
        (w.boss, w.far_tickets[1]),
        (w.agent, w.tickets[0]),
    ):
        assert collect(tx, actor, ticket_id, amount="100").payment_id
    with tx() as s:
        rows = s.exec(select(Payment.branch_id, Payment.receipt_no).order_by(Payment.id)).all()
        main, tenali = w.agent.branch_id, w.far_clerk.branch_id
        assert rows == [(main, 1), (main, 2), (tenali, 1), (tenali, 2), (main, 3)]
        assert ledger_check(s) == []


def test_a_retry_with_the_same_key_records_once(tx, engine):
    w = world(tx)
    k = key()
    first = collect(tx, w.agent, w.tickets[0], amount="10,000.00", k=k)
    before = snapshot(engine)
    again = collect(tx, w.agent, w.tickets[0], amount="10000", k=k)
    assert again == Collected(**{**first.__dict__, "replayed": True})
    assert snapshot(engine) == before
    upi = collect(tx, w.clerk, w.tickets[1], amount="500", method="upi", utr="555566667777", k="upi-key-1")
    before = snapshot(engine)
    assert collect(
        tx, w.clerk, w.tickets[1], amount="500", method="upi", utr="555566667777", k="upi-key-1"
    ) == (Collected(**{**upi.__dict__, "replayed": True}))
    assert snapshot(engine) == before


def test_the_same_key_for_other_details_is_refused(tx, engine):
    w = world(tx)
    k = key()
    collect(tx, w.agent, w.tickets[0], amount="5,000", k=k)
    before = snapshot(engine)
    others = {
        "amount": (w.agent, w.tickets[0], "5,001", "cash", ""),
        "method": (w.agent, w.tickets[0], "5,000", "upi", "111122223333"),
        "recorder": (w.clerk, w.tickets[0], "5,000", "cash", ""),
        "ticket": (w.clerk, w.tickets[1], "5,000", "cash", ""),
    }
    for name, (actor, ticket_id, amount, method, utr) in others.items():
        with pytest.raises(ServiceError, match="already recorded with different details"), tx() as s:
            record_collection(
                s, actor=actor, ticket_id=ticket_id, amount=amount, method=method, utr=utr, idempotency_key=k
            )
        assert snapshot(engine) == before, name


def test_bad_input_is_refused_with_a_clear_message(tx, engine):
    w = world(tx)
    collect(tx, w.clerk, w.tickets[1], amount="100", method="upi", utr="999988887777")
    with tx() as s:  # a removed ticket
        removed = s.get(Ticket, w.tickets[2])
        removed.status = "removed"
        s.add(removed)
    before = snapshot(engine)
    cases = {
        "zero": ({"amount": "0"}, "Amount"),
        "negative": ({"amount": "-5"}, "Amount"),
        "words": ({"amount": "ten"}, "Amount"),
        "empty amount": ({"amount": ""}, "Amount"),
        "method": ({"method": "bank"}, "Method must be cash or UPI"),
        "no method": ({"method": None}, "Method must be cash or UPI"),
        "no UTR": ({"method": "upi", "utr": ""}, "12-digit"),
        "short UTR": ({"method": "upi", "utr": "12345"}, "12-digit"),
        "UTR used": ({"method": "upi", "utr": "999988887777"}, "already been used"),
        "no key": ({"idempotency_key": ""}, "request key"),
        "short key": ({"idempotency_key": "abc"}, "request key"),
        "long key": ({"idempotency_key": "k" * 65}, "request key"),
        "odd key": ({"idempotency_key": "not a key!"}, "request key"),
        "key not text": ({"idempotency_key": 12345678}, "request key"),
        "ticket": ({"ticket_id": "abc"}, "Invalid ticket"),
        "removed ticket": ({"ticket_id": w.tickets[2]}, "removed"),
    }
    for name, (change, message) in cases.items():
        args = {
            "ticket_id": w.tickets[1],
            "amount": "100",
            "method": "cash",
            "utr": "",
            "idempotency_key": key(),
        }
        args.update(change)
        with pytest.raises(ServiceError, match=message), tx() as s:
            record_collection(s, actor=w.clerk, **args)
        assert snapshot(engine) == before, name


@POSTGRES_ONLY
def test_agent_and_clerk_collecting_one_members_dues_at_once(tx, engine):
    w = world(tx)
    with tx() as s:
        last = s.exec(select(func.max(Payment.receipt_no))).one() or 0

    def take(actor: Actor):
        return lambda s: record_collection(
            s, actor=actor, ticket_id=w.tickets[0], amount="10,000", method="cash", idempotency_key=key()
        )

    results = race(engine, [take(w.agent), take(w.clerk)])
    assert all(isinstance(r, Collected) for r in results), results
    with tx() as s:
        payments = s.exec(select(Payment).where(Payment.ticket_id == w.tickets[0])).all()
        assert len(payments) == 2 and all(p.status == "captured" for p in payments)
        assert sorted(p.receipt_no for p in payments) == [last + 1, last + 2]
        allocated = s.exec(
            select(func.sum(PaymentAllocation.amount)).where(
                PaymentAllocation.payment_id.in_([p.id for p in payments])
            )
        ).one()
        assert allocated == MONTH_DUE  # the dues once; the second payment is an advance
        assert balance(s, books.receivable(w.tickets[0])) == -MONTH_DUE
        assert balance(s, books.cash_with(w.group_id, w.agent.user_id)) == MONTH_DUE
        assert balance(s, books.cash_with(w.group_id, w.clerk.user_id)) == MONTH_DUE
        assert ledger_check(s) == []
        assert audit.verify_chain(s).ok


@POSTGRES_ONLY
def test_two_racing_taps_with_the_same_key_record_one_payment(tx, engine):
    w = world(tx)
    k = key()
    tap = lambda s: record_collection(  # noqa: E731
        s, actor=w.agent, ticket_id=w.tickets[0], amount="10,000", method="cash", idempotency_key=k
    )
    results = race(engine, [tap, tap, tap])
    assert all(isinstance(r, Collected) for r in results), results
    assert len({r.payment_id for r in results}) == 1
    assert sorted(r.replayed for r in results) == [False, True, True]
    with tx() as s:
        assert (
            s.exec(select(func.count()).select_from(Payment).where(Payment.idempotency_key == k)).one() == 1
        )
        assert (
            s.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.body.contains("Receipt MAIN/"))
            ).one()
            == 1
        )
        assert ledger_check(s) == []
