"""Transfer of a ticket (issue 15): the same ticket changes hands, its balances move with it by
construction, the history stays, a prized ticket's security is replaced by the new holder's, and
every refusal is clear and changes nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.domain import ledger as books
from luckychit_app.models import (
    AuditLog,
    ChitGroup,
    Draw,
    Notification,
    Payment,
    Payout,
    PrizeSecurity,
    Ticket,
    TicketTransfer,
    User,
)
from luckychit_app.services.access import Actor
from luckychit_app.services.draws import auctions
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups import transfers
from luckychit_app.services.money import payouts
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.services.people import members
from tests.services.helpers import (
    AUCTION,
    active_group,
    conduct,
    create_group,
    current_draw,
    foreman,
    member_actor,
    new_mobile,
    outstanding,
    pay,
    pay_dues,
    snapshot,
    staff,
)

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE
GUARANTOR = {
    "name": "Suresh Babu",
    "mobile": "9876500001",
    "relation": "Brother",
    "kyc": "ABCPE1234F",
    "signed_on": "2026-01-15",
}


@pytest.fixture(autouse=True)
def _books_hold(request: pytest.FixtureRequest):
    """Whatever a test did, the books it leaves must pass ledger-check."""
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


def _balances(tx, ticket_id: int) -> dict[str, int]:
    with tx() as s:
        return {
            name: balance(s, account)
            for name, account in (
                ("receivable", books.receivable(ticket_id)),
                ("prize_payable", books.prize_payable(ticket_id)),
                ("refund_payable", books.refunds_payable(ticket_id)),
            )
        }


def _ticket(tx, ticket_id: int) -> Ticket:
    with tx() as s:
        return s.get(Ticket, ticket_id)


@pytest.fixture
def drawn(tx):
    """A running 3-ticket group: month 1 paid and drawn (its prize payable), month 2 raised, unpaid."""
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, foreman_first_chit="")
    pay_dues(tx, boss, tickets, 1)
    draw = conduct(tx, boss, group_id)
    plain = [t for t in tickets if t != draw.winner_ticket_id]
    return boss, group_id, draw.winner_ticket_id, plain


def test_a_transfer_to_a_new_person_keeps_the_ticket_its_balances_and_its_history(tx, drawn):
    boss, group_id, _winner, (ticket_id, _) = drawn
    pay(tx, boss, ticket_id, 4_000 * RUPEE)  # part of month 2, so there is something to move
    before = _balances(tx, ticket_id)
    owing = outstanding(tx, ticket_id)
    old_holder = _ticket(tx, ticket_id).member_id
    mobile = new_mobile()
    with tx() as s:
        done = transfers.transfer_ticket(
            s, actor=boss, ticket_id=ticket_id, name="Kavya Menon", mobile=mobile, reason="Moving to Dubai"
        )
    assert done.password and done.mobile == mobile and done.warning == ""
    with tx() as s:
        user = s.exec(select(User).where(User.mobile == mobile)).one()
        assert (user.name, user.role, user.must_change_password) == ("Kavya Menon", "member", True)
        ticket = s.get(Ticket, ticket_id)
        assert (ticket.member_id, ticket.status) == (user.id, "active")  # the same row, a new holder
        row = s.exec(select(TicketTransfer).where(TicketTransfer.ticket_id == ticket_id)).one()
        group = s.get(ChitGroup, group_id)
        assert (row.from_member_id, row.to_member_id, row.month) == (old_holder, user.id, group.current_month)
        assert (row.reason, row.created_by_id) == ("Moving to Dubai", boss.user_id)
        # The earlier holder's payments stay theirs.
        payers = set(s.exec(select(Payment.payer_id).where(Payment.ticket_id == ticket_id)).all())
        assert payers == {old_holder}
        told = set(s.exec(select(Notification.user_id).where(Notification.kind == "ticket_transfer")).all())
        assert told == {old_holder, user.id}
        assert s.exec(select(AuditLog).where(AuditLog.action == "ticket.transferred")).one()
    assert _balances(tx, ticket_id) == before  # every balance is the ticket's: it moved with it
    assert outstanding(tx, ticket_id) == owing
    with tx() as s:
        details = transfers.transfer_details(s, actor=boss, ticket_id=ticket_id)
    assert details["holder"] == "Kavya Menon" and "in month 2" in details["history"]
    # The new holder pays the ticket's dues from now on.
    pay(tx, boss, ticket_id, outstanding(tx, ticket_id))
    assert outstanding(tx, ticket_id, 2) == 0


def test_a_member_of_the_company_takes_a_ticket_by_id_or_by_mobile(tx, drawn):
    boss, _group_id, _winner, (first, second) = drawn
    _other_group, other_tickets = active_group(tx, boss, tickets=2, foreman_first_chit="")
    with tx() as s:
        elsewhere = s.get(User, s.get(Ticket, other_tickets[0]).member_id)
    with tx() as s:
        done = transfers.transfer_ticket(
            s, actor=boss, ticket_id=first, member_id=str(elsewhere.id), reason="Family arrangement"
        )
    assert (done.password, done.name) == ("", elsewhere.name)
    assert _ticket(tx, first).member_id == elsewhere.id
    # By mobile: an existing member of the company is found, the typed name is ignored.
    with tx() as s:
        done = transfers.transfer_ticket(
            s, actor=boss, ticket_id=second, mobile=elsewhere.mobile, name="Ignored", reason="Same family"
        )
    assert _ticket(tx, second).member_id == elsewhere.id and done.password == ""
    # Someone who held a ticket and passed it on is still one of the company's members.
    with tx() as s:
        former = s.get(User, s.exec(select(TicketTransfer.from_member_id).limit(1)).one())
        transfers.transfer_ticket(s, actor=boss, ticket_id=first, member_id=former.id, reason="Back again")
    assert _ticket(tx, first).member_id == former.id


def test_a_prized_tickets_security_is_replaced_and_its_unpaid_prize_goes_with_it(tx, engine, drawn):
    boss, _group_id, winner, _ = drawn
    with tx() as s:
        payout = s.exec(select(Payout).where(Payout.ticket_id == winner)).one()
        old, _ = payouts.record_security(
            s,
            actor=boss,
            payout_id=payout.id,
            kind="guarantor",
            value="30000",
            description="",
            guarantors=[GUARANTOR],
        )
    before, new = _balances(tx, winner), new_mobile()
    assert before["prize_payable"] == -payout.gross
    frozen = snapshot(engine)
    with pytest.raises(ServiceError, match="security") as refused, tx() as s:
        transfers.transfer_ticket(
            s, actor=boss, ticket_id=winner, name="Latha Nair", mobile=new, reason="Sold"
        )
    assert refused.value.field == "kind"
    # The new holder cannot be their own guarantor either.
    with pytest.raises(ServiceError, match="own guarantor"), tx() as s:
        transfers.transfer_ticket(
            s,
            actor=boss,
            ticket_id=winner,
            name="Latha Nair",
            mobile=new,
            reason="Sold",
            security={"kind": "guarantor", "value": "30000", "guarantors": [{**GUARANTOR, "mobile": new}]},
        )
    assert snapshot(engine) == frozen
    with tx() as s:
        details = transfers.transfer_details(s, actor=boss, ticket_id=winner)
        assert details["needs_security"] == "yes" and details["prize_payable"] == "yes"
        done = transfers.transfer_ticket(
            s,
            actor=boss,
            ticket_id=winner,
            name="Latha Nair",
            mobile=new,
            reason="Sold",
            # The prize is still payable: the new holder's deposit is kept from it (s.21(1)(e)).
            security={
                "kind": "deposit",
                "value": "15000",
                "description": "FD receipt 1182",
                "method": "prize",
            },
        )
    assert "below the legal cover" in done.warning  # ₹15,000 against ₹20,000 of dues
    with tx() as s:
        securities = s.exec(select(PrizeSecurity).where(PrizeSecurity.payout_id == payout.id)).all()
        assert [(x.kind, x.released_at is not None) for x in securities] == [
            ("guarantor", True),
            ("deposit", False),
        ]
        assert s.get(PrizeSecurity, old.id).released_at is not None
        holder = s.get(Ticket, winner).member_id
        rows = payouts.payouts_for_group(s, actor=boss, group_id=payout.group_id)
        prize = next(r for r in rows if r["id"] == str(payout.id))
        assert prize["name"] == "Latha Nair" and prize["payable"]
        assert "replaced" in prize["securities"][0]["replaced"] and prize["securities"][1]["replaced"] == ""
    assert _balances(tx, winner) == before
    # The prize still payable is the new holder's: released to them, their dues kept from it.
    with tx() as s:
        payouts.release_payout(
            s,
            actor=boss,
            payout_id=payout.id,
            method="bank",
            reference="NEFT-TRANSFER-1",
            paid_on=today_ist().isoformat(),
            deduction="10000",
        )
    with tx() as s:
        kept = s.exec(select(Payment).where(Payment.method == "prize")).one()
        assert kept.payer_id == holder


def test_a_prized_ticket_with_nothing_left_to_pay_needs_no_new_security(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=2, foreman_first_chit="")
    pay_dues(tx, boss, tickets, 1)
    draw = conduct(tx, boss, group_id)
    pay(tx, boss, draw.winner_ticket_id, outstanding(tx, draw.winner_ticket_id))  # month 2, the last
    with tx() as s:
        transfers.transfer_ticket(
            s,
            actor=boss,
            ticket_id=draw.winner_ticket_id,
            name="Ravi Teja",
            mobile=new_mobile(),
            reason="Gift",
        )
    assert _ticket(tx, draw.winner_ticket_id).prized_month == 1


def _bad(tx, engine, boss: Actor, ticket_id: int, match: str, **kwargs) -> ServiceError:
    before = snapshot(engine)
    with pytest.raises(ServiceError, match=match) as refused, tx() as s:
        transfers.transfer_ticket(s, actor=boss, ticket_id=ticket_id, **{"reason": "A good reason", **kwargs})
    assert snapshot(engine) == before, f"a refused transfer changed the database: {kwargs}"
    return refused.value


def test_refused_transfers_say_why_and_change_nothing(tx, engine, drawn):
    boss, group_id, winner, (ticket_id, other) = drawn
    holder = _ticket(tx, ticket_id).member_id
    with tx() as s:
        holder_mobile = s.get(User, holder).mobile
    # To oneself: the current holder, by id or by mobile.
    _bad(tx, engine, boss, ticket_id, "already holds", member_id=holder)
    _bad(tx, engine, boss, ticket_id, "already holds", mobile=holder_mobile)
    # To a member of another foreman's company, by id or mobile: refused, saying nothing about them.
    rival = foreman(tx, name="Rival Foreman")
    _rival_group, rival_tickets = active_group(tx, rival, tickets=2, foreman_first_chit="")
    with tx() as s:
        stranger = s.get(User, s.get(Ticket, rival_tickets[0]).member_id)
    error = _bad(tx, engine, boss, ticket_id, "one of your members", member_id=stranger.id)
    assert error.field == "member_id" and stranger.name not in error.message
    error = _bad(tx, engine, boss, ticket_id, "cannot take the ticket here", mobile=stranger.mobile)
    assert error.field == "mobile" and error.message == transfers.OUTSIDER
    # Staff, a foreman, or an unknown id: the same answers.
    clerk = staff(tx, boss, "clerk")
    with tx() as s:
        clerk_mobile = s.get(User, clerk.user_id).mobile
        rival_mobile = s.get(User, rival.user_id).mobile
    for mobile in (clerk_mobile, rival_mobile):
        assert _bad(tx, engine, boss, ticket_id, "cannot take", mobile=mobile).message == transfers.OUTSIDER
    for member_id in (clerk.user_id, rival.user_id, 999_999):
        _bad(tx, engine, boss, ticket_id, "one of your members", member_id=member_id)
    # Who takes it, and why, must be given, once and well formed.
    _bad(tx, engine, boss, ticket_id, "mobile number of the person", name="Nobody")
    _bad(tx, engine, boss, ticket_id, "not both", member_id=holder, mobile=new_mobile())
    _bad(tx, engine, boss, ticket_id, "Name", mobile=new_mobile())
    _bad(tx, engine, boss, ticket_id, "valid 10-digit", name="Asha Rao", mobile="12345")
    for reason in ("", "  ", "ab", None, ["x"], "x" * 201):
        assert _bad(
            tx, engine, boss, ticket_id, "Reason", name="Asha Rao", mobile=new_mobile(), reason=reason
        )
    for junk in ([1], {"a": 1}, 2.5, True, "abc", -3):
        _bad(tx, engine, boss, ticket_id, "Invalid member", member_id=junk)
    # A security is only for a prized ticket.
    _bad(
        tx,
        engine,
        boss,
        ticket_id,
        "Only a prized ticket",
        name="Asha Rao",
        mobile=new_mobile(),
        security={"kind": "deposit", "value": "100", "description": "FD 1"},
    )
    _bad(tx, engine, boss, winner, "security", name="Asha Rao", mobile=new_mobile(), security="deposit")
    # The foreman's consent: nobody else transfers, and nobody sees whether a ticket exists.
    for actor in (rival, member_actor(tx, other), None, staff(tx, boss, "branch_manager")):
        before = snapshot(engine)
        with pytest.raises(NotAllowed), tx() as s:
            transfers.transfer_ticket(
                s, actor=actor, ticket_id=ticket_id, name="X Y", mobile=new_mobile(), reason="Why not"
            )
        with pytest.raises(NotAllowed), tx() as s:
            transfers.transfer_details(s, actor=actor, ticket_id=ticket_id)
        assert snapshot(engine) == before
    _bad(tx, engine, boss, 10**9, "not allowed", name="Asha Rao", mobile=new_mobile())
    # A member whose account is switched off takes no ticket.
    with tx() as s:
        dormant = s.get(User, s.get(Ticket, other).member_id)
        dormant.is_active = False
        s.add(dormant)
    _bad(tx, engine, boss, ticket_id, "switched off", mobile=dormant.mobile)
    # A completed, closed or cancelled group's tickets stay where they are.
    for status in ("completed", "closed", "cancelled"):
        with tx() as s:
            group = s.get(ChitGroup, group_id)
            group.status = status
            s.add(group)
        error = _bad(tx, engine, boss, ticket_id, status, name="Asha Rao", mobile=new_mobile())
        assert "transferred" in error.message or "nothing in it can change" in error.message


def test_a_removed_ticket_the_foremans_own_and_a_ticket_during_bidding_stay_put(tx, engine):
    boss = foreman(tx)
    forming = create_group(tx, boss, tickets="3", foreman_first_chit=True)
    with tx() as s:
        own = s.exec(select(Ticket).where(Ticket.group_id == forming, Ticket.member_id == boss.user_id)).one()
        seat, _ = members.add_member(s, actor=boss, group_id=forming, name="Devi Prasad", mobile=new_mobile())
    with tx() as s:
        members.set_ticket_status(s, actor=boss, ticket_id=seat.id, status="removed", reason="Left town")
    _bad(tx, engine, boss, seat.id, "removed ticket", name="Asha Rao", mobile=new_mobile())
    _bad(tx, engine, boss, own.id, "foreman's own ticket", name="Asha Rao", mobile=new_mobile())
    # An auction taking bids: its bids are the ticket's, so the ticket waits until it closes.
    group_id, tickets = active_group(tx, boss, tickets=4, foreman_first_chit="", **AUCTION)
    with tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=current_draw(tx, group_id).id, minutes=60)
    _bad(tx, engine, boss, tickets[1], "taking bids", name="Asha Rao", mobile=new_mobile())
    with tx() as s:
        assert s.exec(select(Draw).where(Draw.group_id == group_id, Draw.status == "bidding")).one()


def test_a_forming_groups_ticket_may_change_hands_before_the_start(tx):
    boss = foreman(tx)
    forming = create_group(tx, boss, tickets="3", foreman_first_chit="")
    with tx() as s:
        seat, _ = members.add_member(s, actor=boss, group_id=forming, name="Meena Iyer", mobile=new_mobile())
    with tx() as s:
        row = transfers.transfer_ticket(
            s, actor=boss, ticket_id=seat.id, name="Gopal Iyer", mobile=new_mobile(), reason="Her son instead"
        ).transfer
    assert row.month == 0
