"""A non-prized defaulter's removal with a substitute, and a member's voluntary exit (Chit Funds Act
1982 s.28-s.30), on both databases: the notice, the 7 days, the seat passing to the substitute with
the arrears, the refund set aside, and everything a removed ticket may no longer do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from luckychit_app.domain import ledger as books
from luckychit_app.models import (
    ChitGroup,
    Installment,
    JournalEntry,
    Notification,
    OutboxMessage,
    SubscriberRefund,
    Ticket,
    TicketTransfer,
    User,
)
from luckychit_app.services.access import Actor
from luckychit_app.services.draws import auctions
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups import defaults, substitution
from luckychit_app.services.money import offline_payments, online_checkout, passbook, subscriber_refunds, upi
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.services.reporting import pending_actions
from luckychit_app.services.reporting.page_versions import member_page_key
from tests.services.groups.substitution_helpers import (
    DEDUCTION,
    INSTALLMENT,
    RUPEE,
    declare,
    defaulter_group,
    seated,
    set_terms,
    substitute,
)
from tests.services.helpers import (
    AUCTION,
    active_group,
    conduct,
    current_draw,
    foreman,
    member_actor,
    outstanding,
    pay,
    pay_dues,
    snapshot,
)


@pytest.fixture(autouse=True)
def _ledger_check_after_each_test(request: pytest.FixtureRequest):
    """Whatever a test did, the books it leaves must pass ledger-check."""
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


def refused(tx, engine, call, message: str, error: type[Exception] = ServiceError) -> None:
    """The call fails with `message` in its error and the database is exactly as it was."""
    before = snapshot(engine)
    with pytest.raises(error) as caught, tx() as s:
        call(s)
    assert message in str(caught.value), str(caught.value)
    assert snapshot(engine) == before


# --- the notice (s.28(1)) ---------------------------------------------------------------------------


def test_declaring_a_default_sends_the_written_notice_in_the_app_and_by_sms(tx):
    boss = foreman(tx)
    _group_id, (t1, *_rest) = defaulter_group(tx, boss)
    declare(tx, boss, t1)
    with tx() as s:
        ticket = s.get(Ticket, t1)
        member = s.get(User, ticket.member_id)
        assert ticket.defaulted_at is not None and ticket.status == "active"
        note = s.exec(select(Notification).where(Notification.user_id == member.id)).all()[-1]
        assert note.kind == "default_notice" and "s.28" in note.body and "₹25,000" in note.body
        sms = s.exec(select(OutboxMessage).where(OutboxMessage.recipient == member.mobile)).all()
        assert len(sms) == 1 and "3 unpaid instalments" in sms[0].body


def test_a_default_is_refused_with_a_clear_message_and_nothing_changes(tx, engine):
    boss, other = foreman(tx), foreman(tx, "Other Foreman")
    group_id, (t1, t2, *_rest) = defaulter_group(tx, boss)
    with tx() as s:
        winner = s.exec(
            select(Ticket.id).where(Ticket.group_id == group_id, Ticket.prized_month.is_not(None))
        ).first()

    def call(ticket, actor=boss, reason="Three instalments unpaid"):
        return lambda s: defaults.declare_default(s, actor=actor, ticket_id=ticket, reason=reason)

    with tx() as s:
        unprized = s.exec(
            select(Ticket.id).where(
                Ticket.id.in_([t2, *_rest]), Ticket.prized_month.is_(None), Ticket.group_id == group_id
            )
        ).one()
    refused(tx, engine, call(unprized), "agreement allows a default after 3")
    refused(tx, engine, call(winner), "s.32, s.33")
    refused(tx, engine, call(t1, reason="x"), "Reason must be at least 3 characters")
    refused(tx, engine, call(t1, reason=["a list"]), "Reason must be text")
    refused(tx, engine, call(t1, actor=other), "not allowed", NotAllowed)
    refused(tx, engine, call(t1, actor=member_actor(tx, t1)), "not allowed", NotAllowed)
    refused(tx, engine, call("1 OR 1=1"), "Invalid ticket")
    refused(tx, engine, call(10**9), "not allowed", NotAllowed)
    set_terms(tx, group_id, default_after=4)
    refused(tx, engine, call(t1), "has 3 unpaid instalments past the due date")
    set_terms(tx, group_id, default_after=3)
    declare(tx, boss, t1)
    refused(tx, engine, call(t1), "its notice still stands")


# --- removal and substitution ----------------------------------------------------------------------


def test_removal_waits_for_the_seven_days_of_the_notice(tx, engine):
    boss = foreman(tx)
    _group_id, (t1, *_rest) = defaulter_group(tx, boss)
    remove = lambda s: substitution.remove_and_substitute(  # noqa: E731
        s, actor=boss, ticket_id=t1, mode="default", reason="Unpaid", substitute="company"
    )
    refused(tx, engine, remove, "Declare the ticket in default first")
    declare(tx, boss, t1, days_ago=6)
    refused(tx, engine, remove, "the member may still pay the arrears (s.28(1))")


def test_the_substitute_takes_the_seat_with_the_arrears_and_the_refund_waits_for_the_close(tx):
    boss = foreman(tx)
    group_id, (t1, _t2, _t3, _t4) = defaulter_group(tx, boss)
    with tx() as s:
        old_member = s.get(Ticket, t1).member_id
    declare(tx, boss, t1, days_ago=8)
    change = substitute(tx, boss, t1)
    assert change.password and not change.stayed
    new = seated(tx, group_id, 1)
    with tx() as s:
        old = s.get(Ticket, t1)
        assert (old.status, old.ended_at is not None, old.status_reason) == (
            "removed",
            True,
            "Did not pay after the notice",
        )
        assert new.replaces_ticket_id == t1 and new.status == "active" and new.member_id != old_member
        assert s.get(User, new.member_id).must_change_password  # a new account, one-time password
        # The substitute owes every instalment raised so far (s.30(1)), due today, then the rest.
        rows = s.exec(select(Installment).where(Installment.ticket_id == new.id)).all()
        assert len(rows) == 4 and sum(r.amount for r in rows if r.month <= 3) == 3 * INSTALLMENT
        # The removed row keeps what was paid on it and no longer owes anything or any future month.
        old_rows = s.exec(select(Installment).where(Installment.ticket_id == t1)).all()
        assert [(r.month, r.amount, r.paid) for r in old_rows] == [
            (1, 5_000 * RUPEE, 5_000 * RUPEE),
            (2, 0, 0),
            (3, 0, 0),
        ]
        # The books: the dues moved, the refund is set aside, the group kept the deduction.
        assert balance(s, books.receivable(new.id)) == 3 * INSTALLMENT
        assert balance(s, books.receivable(t1)) == 0
        assert balance(s, books.refunds_payable(t1)) == -(5_000 * RUPEE - DEDUCTION)
        assert balance(s, books.penalty_income(group_id)) == -DEDUCTION
        refund = s.exec(select(SubscriberRefund).where(SubscriberRefund.ticket_id == t1)).one()
        assert (refund.contributed, refund.deduction, refund.amount) == (
            5_000 * RUPEE,
            DEDUCTION,
            3_000 * RUPEE,
        )
        assert (refund.payable_at, refund.status, refund.member_id) == ("close", "due", old_member)
        entry = s.exec(select(JournalEntry).where(JournalEntry.key == f"substitution:{t1}")).one()
        assert entry.kind == books.KIND_SUBSTITUTION
        told = s.exec(select(Notification.kind).where(Notification.user_id == new.member_id)).all()
        assert "joined" in told
        removed_sms = s.exec(
            select(OutboxMessage).where(OutboxMessage.recipient == s.get(User, old_member).mobile)
        ).all()
        assert any("removed for default" in m.body for m in removed_sms)
    assert outstanding(tx, new.id, 3) == 3 * INSTALLMENT
    # The refund waits for the close while the group runs (s.30(3) or, here, the agreement).
    with tx() as s, pytest.raises(ServiceError, match="payable when the group closes"):
        subscriber_refunds.pay_subscriber_refund(
            s, actor=boss, refund_id=refund.id, method="bank", reference="NEFT123", paid_on="2026-12-01"
        )


def test_the_removed_subscriber_reads_their_history_and_refund_the_substitute_their_seat(tx):
    boss = foreman(tx)
    group_id, (t1, *_rest) = defaulter_group(tx, boss)
    removed = member_actor(tx, t1)
    declare(tx, boss, t1, days_ago=8)
    substitute(tx, boss, t1)
    new = seated(tx, group_id, 1)
    with tx() as s:
        book = passbook.passbook(s, actor=removed, ticket_id=t1)
        texts = [line["text"] for line in book["lines"]]
        assert "Payment for month 1 installment, receipt MAIN/000001" in texts
        assert "Dues passed to the substitute" in texts and "Refund set aside for you" in texts
        assert book["balance"] == "Nil" and book["refund"] == "₹3,000 due to you when the group closes"
        assert book["left"].startswith("Removed for default on")
        tab = passbook.member_payments(s, actor=removed)
        assert tab["tickets"] == []  # nothing to pay on a removed ticket
        assert [p["ticket_id"] for p in tab["past"]] == [str(t1)]
        assert tab["past"][0]["refund"] == "₹3,000 due to you when the group closes"
        assert len(tab["payments"]) == 1
        mine = passbook.passbook(s, actor=Actor(new.member_id, "member"), ticket_id=new.id)
        assert [line["text"] for line in mine["lines"]] == ["Instalments taken over as the substitute"]
        assert mine["balance"] == "₹30,000 due"
        with pytest.raises(NotAllowed):  # the removed subscriber cannot read the substitute's seat
            passbook.passbook(s, actor=removed, ticket_id=new.id)


def test_a_defaulter_who_paid_the_arrears_in_the_notice_period_stays(tx):
    boss = foreman(tx)
    _group_id, (t1, *_rest) = defaulter_group(tx, boss)
    declare(tx, boss, t1, days_ago=3)
    pay(tx, boss, t1, outstanding(tx, t1, 3))
    change = substitute(tx, boss, t1, substitute="company")
    assert change.stayed and change.substitute is None
    with tx() as s:
        ticket = s.get(Ticket, t1)
        assert (ticket.status, ticket.defaulted_at) == ("active", None)
        assert s.exec(select(SubscriberRefund)).all() == []


def test_a_removed_ticket_cannot_pay_bid_or_be_removed_again(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(
        tx,
        boss,
        tickets=4,
        **{**AUCTION, "chit_value": "40,000"},
        upi_vpa="boss@okaxis",
        foreman_first_chit="",
    )
    t1 = tickets[0]
    removed = member_actor(tx, t1)
    substitute(tx, boss, t1, mode="exit", substitute="company")
    pay_dues(tx, boss, tickets[1:], 1)
    draw = current_draw(tx, group_id)
    with tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=draw.id, minutes=60)
    refused(
        tx,
        engine,
        lambda s: offline_payments.record_offline_payment(s, actor=boss, ticket_id=t1, amount="100"),
        "This ticket has been removed.",
    )
    refused(
        tx,
        engine,
        lambda s: upi.submit_utr(s, actor=removed, ticket_id=t1, amount="100", utr="123456789012"),
        "This group is not collecting payments.",
    )
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="removed"):
        online_checkout.start_checkout(tx=tx, gateway=None, actor=removed, ticket_id=t1, amount="100")
    assert snapshot(engine) == before
    refused(
        tx,
        engine,
        lambda s: auctions.place_bid(s, actor=removed, draw_id=draw.id, ticket_id=t1, discount="5000"),
        "This ticket has been removed from the group; it cannot bid.",
    )
    refused(tx, engine, lambda s: defaults.declare_default(s, actor=boss, ticket_id=t1, reason="Again"), "")
    refused(
        tx,
        engine,
        lambda s: substitution.remove_and_substitute(
            s, actor=boss, ticket_id=t1, mode="exit", substitute="company"
        ),
        "This ticket has already been removed.",
    )


def test_bad_substitutes_and_prized_tickets_are_refused_and_nothing_changes(tx, engine):
    boss, other = foreman(tx), foreman(tx, "Other Foreman")
    group_id, (t1, t2, t3, t4) = defaulter_group(tx, boss)
    _other_group, other_tickets = active_group(tx, other, tickets=2, foreman_first_chit="")
    declare(tx, boss, t1, days_ago=8)
    with tx() as s:
        winner = s.exec(
            select(Ticket.id).where(Ticket.group_id == group_id, Ticket.prized_month.is_not(None))
        ).first()
        own_member = s.get(Ticket, t1).member_id
        outsider = s.get(Ticket, other_tickets[0]).member_id

    def call(ticket=t1, mode="default", actor=boss, **who):
        return lambda s: substitution.remove_and_substitute(
            s, actor=actor, ticket_id=ticket, mode=mode, reason="Unpaid after notice", **who
        )

    refused(tx, engine, call(substitute="nobody"), "Choose an existing member, a new person or the company")
    refused(tx, engine, call(substitute="member", member_id=outsider), "Choose a member of your groups")
    refused(tx, engine, call(substitute="member", member_id=boss.user_id), "Choose a member of your groups")
    refused(tx, engine, call(substitute="member", member_id=own_member), "someone other than the subscriber")
    refused(tx, engine, call(substitute="member", member_id={"id": 1}), "Invalid member")
    refused(tx, engine, call(substitute="new", name="A", mobile="9700000002"), "Name must be at least")
    refused(tx, engine, call(substitute="new", name="Asha", mobile="12345"), "10-digit Indian mobile")
    refused(
        tx, engine, call(substitute="new", name="Boss", mobile=_mobile(tx, boss.user_id)), "foreman, staff"
    )
    refused(tx, engine, call(mode="sideways", substitute="company"), "Choose removal for default or an exit")
    refused(tx, engine, call(winner, mode="exit", substitute="company"), "A prized ticket cannot be removed")
    refused(tx, engine, call(actor=other, substitute="company"), "not allowed", NotAllowed)
    refused(tx, engine, call(actor=member_actor(tx, t2), substitute="company"), "not allowed", NotAllowed)
    with tx() as s:
        unprized = s.exec(
            select(Ticket.id).where(
                Ticket.id.in_([t2, t3, t4]), Ticket.prized_month.is_(None), Ticket.group_id == group_id
            )
        ).one()
    refused(tx, engine, call(unprized, substitute="company"), "Declare the ticket in default first")
    # A UPI payment the member sent is looked at before the seat changes hands.
    set_terms(tx, group_id, upi_vpa="boss@okaxis")
    with tx() as s:
        upi.submit_utr(s, actor=member_actor(tx, t1), ticket_id=t1, amount="500", utr="223456789012")
    refused(tx, engine, call(substitute="company"), "waits for your confirmation")


def _mobile(tx, user_id: int) -> str:
    with tx() as s:
        return s.get(User, user_id).mobile


def test_an_existing_member_substitutes_and_pays_then_the_seat_plays_on(tx):
    boss = foreman(tx)
    group_id, (t1, t2, t3, t4) = defaulter_group(tx, boss)
    _g2, (x1, _x2) = active_group(tx, boss, tickets=2, name="Second Chit", foreman_first_chit="")
    newcomer = member_actor(tx, x1)
    declare(tx, boss, t1, days_ago=8)
    change = substitute(tx, boss, t1, substitute="member", member_id=str(newcomer.user_id))
    assert change.password is None
    new = seated(tx, group_id, 1)
    assert new.member_id == newcomer.user_id
    pay(tx, boss, new.id, 3 * INSTALLMENT)  # the arrears taken over
    pay_dues(tx, boss, [t2, t3, t4], 3)
    draw = conduct(tx, boss, group_id)  # month 3: the substitute is eligible with the others
    with tx() as s:
        assert s.get(ChitGroup, group_id).current_month == 4
        seats = s.exec(select(Ticket).where(Ticket.group_id == group_id, Ticket.status != "removed")).all()
        assert len(seats) == 4
        assert draw.winner_ticket_id in {t.id for t in seats} and draw.winner_ticket_id != t1
        assert (
            s.exec(select(Installment).where(Installment.ticket_id == t1, Installment.month == 4)).all() == []
        )


def test_exit_with_the_company_holding_the_seat_then_a_real_substitute(tx, engine):
    """A paid-up member leaves at their request: the company holds the seat, so their refund waits for
    the close (s.30(3)); the real substitute later takes it from the company, which gets back all it
    paid, at once and without deduction."""
    boss = foreman(tx)
    group_id, (t1, *_rest) = defaulter_group(tx, boss, paid=0)  # paid after the draws: not prized
    pay(tx, boss, t1, 3 * INSTALLMENT)
    set_terms(tx, group_id, removed_refund_at="substitution")
    change = substitute(tx, boss, t1, mode="exit", substitute="company")
    refund = change.refund
    assert (refund.amount, refund.payable_at, refund.status) == (
        3 * INSTALLMENT - DEDUCTION,
        "close",
        "due",
    )
    company = seated(tx, group_id, 1)
    assert company.member_id == boss.user_id
    pay(tx, boss, company.id, 3 * INSTALLMENT)  # the company pays the seat's instalments
    change = substitute(tx, boss, company.id, mode="exit")
    assert (change.refund.amount, change.refund.deduction, change.refund.payable_at) == (
        3 * INSTALLMENT,
        0,
        "substitution",
    )
    with tx() as s:
        assert s.get(Ticket, company.id).status_reason == subscriber_refunds.EXIT_REASON
        rows = subscriber_refunds.refund_rows(s, actor=boss, group_id=group_id)
    assert [(r["amount"], r["payable"]) for r in rows] == [("₹30,000", "yes"), ("₹28,000", "")]
    stranger = foreman(tx, "Third Foreman")
    pay_refund = lambda s, **kw: subscriber_refunds.pay_subscriber_refund(  # noqa: E731
        s,
        actor=kw.get("actor", boss),
        refund_id=kw.get("refund_id", change.refund.id),
        method=kw.get("method", "bank"),
        reference=kw.get("reference", "NEFT-991"),
        paid_on=kw.get("paid_on", _today()),
    )
    refused(tx, engine, lambda s: pay_refund(s, method="cheque"), "Method must be")
    refused(tx, engine, lambda s: pay_refund(s, reference="x"), "Reference must be at least 3")
    refused(tx, engine, lambda s: pay_refund(s, paid_on="2099-01-01"), "cannot be in the future")
    refused(tx, engine, lambda s: pay_refund(s, paid_on="2020-01-01"), "before the subscriber left")
    refused(tx, engine, lambda s: pay_refund(s, refund_id="abc"), "Invalid refund")
    refused(tx, engine, lambda s: pay_refund(s, actor=stranger), "not allowed", NotAllowed)
    refused(tx, engine, lambda s: pay_refund(s, refund_id=refund.id), "payable when the group closes")
    with tx() as s:
        cash_before = balance(s, books.cash(group_id))
        pay_refund(s)
    with tx() as s:
        assert balance(s, books.cash(group_id)) == cash_before - 3 * INSTALLMENT
        assert balance(s, books.refunds_payable(company.id)) == 0
        assert s.get(SubscriberRefund, change.refund.id).status == "paid"
    refused(tx, engine, pay_refund, "already been paid")


def test_the_foremans_first_chit_ticket_stays_until_month_one_is_drawn(tx, engine):
    """s.21(1)(a): month 1 is settled to the foreman's own ticket. Its exit before that draw left the
    group with no such ticket, and month 1 could never be drawn (found by the lifecycle state
    machine); it is refused until the draw, unless the company holds another seat."""
    boss = foreman(tx)
    group_id, (own, t2, t3) = active_group(tx, boss, tickets=3, foreman_first_chit="on")
    exit_own = lambda s: substitution.remove_and_substitute(  # noqa: E731
        s, actor=boss, ticket_id=own, mode="exit", substitute="new", name="Sita Rao", mobile="9700000009"
    )
    refused(tx, engine, exit_own, "after month 1's draw")
    with tx() as s:
        assert "s.21(1)(a)" in substitution.change_preview(s, actor=boss, ticket_id=own)["exit_blocker"]
    # With a second company seat (a member's exit in month 1), the first chit has a ticket to go to.
    pay_dues(tx, boss, [t3], 1)
    substitute(tx, boss, t3, mode="exit", substitute="company")
    with tx() as s:
        group, ticket = s.get(ChitGroup, group_id), s.get(Ticket, own)
        assert substitution.change_blocker(s, group, ticket, "exit", None) == ""
    conduct(tx, boss, group_id)  # month 1: the foreman's first chit
    with tx() as s:
        assert s.get(ChitGroup, group_id).current_month == 2
        assert s.get(Ticket, t2).prized_month is None


def test_a_refund_is_not_paid_beyond_the_groups_cash(tx, engine, monkeypatch):
    boss = foreman(tx)
    group_id, (t1, *_rest) = defaulter_group(tx, boss, months=1, paid=INSTALLMENT)
    set_terms(tx, group_id, removed_refund_at="substitution", removal_deduction_bp=0)
    change = substitute(tx, boss, t1, mode="exit")
    assert change.refund.amount == INSTALLMENT and change.refund.payable_at == "substitution"
    # The group's cash promised elsewhere meanwhile (a payout, a refund in flight).
    monkeypatch.setattr(subscriber_refunds, "available_cash", lambda s, group_id: INSTALLMENT - 1)
    refused(
        tx,
        engine,
        lambda s: subscriber_refunds.pay_subscriber_refund(
            s, actor=boss, refund_id=change.refund.id, method="cash", reference="", paid_on=_today()
        ),
        "The group holds ₹9,999.99, less than the ₹10,000 to refund",
    )


def _today() -> str:
    from luckychit_app.clock import today_ist

    return today_ist().isoformat()


def test_nothing_to_refund_is_recorded_as_paid(tx):
    boss = foreman(tx)
    group_id, (t1, *_rest) = defaulter_group(tx, boss, paid=0)
    declare(tx, boss, t1, days_ago=8)
    change = substitute(tx, boss, t1, substitute="company")
    assert (change.refund.amount, change.refund.status, change.refund.deduction) == (0, "paid", 0)
    removed = member_actor(tx, t1)
    with tx() as s:
        assert balance(s, books.penalty_income(group_id)) == 0  # nothing was kept
        assert passbook.passbook(s, actor=removed, ticket_id=t1)["refund"] == "Nothing left to refund"


def test_pending_actions_list_defaults_notices_over_and_refunds_due(tx):
    boss = foreman(tx)
    group_id, (t1, t2, *_rest) = defaulter_group(tx, boss)
    with tx() as s:
        lists = pending_actions.pending_actions(s, actor=boss)
    assert [r["id"] for r in lists["defaults"]] == [str(t1)]
    assert lists["removals"] == [] and lists["refunds"] == []
    declare(tx, boss, t1, days_ago=2)
    with tx() as s:
        lists = pending_actions.pending_actions(s, actor=boss)
        flags = substitution.ticket_actions(s, actor=boss, group_id=group_id)
    assert lists["defaults"] == [] and lists["removals"] == []
    assert flags.get(f"{t1}:note", "").startswith("In default; notice until")
    with tx() as s:
        prized = set(s.exec(select(Ticket.id).where(Ticket.prized_month.is_not(None))).all())
    assert f"{t1}:remove" not in flags and flags[f"{t1}:exit"] == "yes"
    assert all((f"{t}:exit" in flags) == (t not in prized) for t in (t2, *_rest))
    with tx() as s:
        ticket = s.get(Ticket, t1)
        ticket.defaulted_at -= timedelta(days=6)
        s.add(ticket)
    with tx() as s:
        lists = pending_actions.pending_actions(s, actor=boss)
        flags = substitution.ticket_actions(s, actor=boss, group_id=group_id)
    assert [(r["id"], r["arrears"]) for r in lists["removals"]] == [(str(t1), "₹25,000")]
    assert flags[f"{t1}:remove"] == "yes"
    set_terms(tx, group_id, removed_refund_at="substitution")
    substitute(tx, boss, t1)
    someone = foreman(tx, "Someone Else")
    with tx() as s:
        lists = pending_actions.pending_actions(s, actor=boss)
        other = pending_actions.pending_actions(s, actor=someone)
    assert [r["amount"] for r in lists["refunds"]] == ["₹3,000"] and lists["removals"] == []
    assert other["refunds"] == other["defaults"] == []


def test_preview_shows_what_the_substitute_pays_and_the_subscriber_gets_back(tx, engine):
    boss = foreman(tx)
    _group_id, (t1, *_rest) = defaulter_group(tx, boss)
    declare(tx, boss, t1, days_ago=8)
    before = snapshot(engine)
    with tx() as s:
        p = substitution.change_preview(s, actor=boss, ticket_id=t1)
    assert snapshot(engine) == before
    assert (p["taken_over"], p["months"], p["owed"], p["contributed"]) == (
        "₹30,000",
        "months 1 to 3",
        "₹25,000",
        "₹5,000",
    )
    assert (p["deduction"], p["refund"], p["remove_blocker"]) == ("₹2,000", "₹3,000", "")
    assert p["payable"] == p["payable_company"] == "when the group closes (s.30(3))"
    stranger = foreman(tx, "Stranger")
    with tx() as s, pytest.raises(NotAllowed):
        substitution.change_preview(s, actor=stranger, ticket_id=t1)


def test_both_members_pages_refresh_after_a_substitution_and_a_refund(tx):
    """The page key (data_versions counters, migration 0007) moves for the removed member and the
    substitute, so neither is shown a page read before the change."""
    boss = foreman(tx)
    group_id, (t1, *_rest) = defaulter_group(tx, boss)
    set_terms(tx, group_id, removed_refund_at="substitution")
    _g2, (x1, _x2) = active_group(tx, boss, tickets=2, name="Second Chit", foreman_first_chit="")
    old, sub = member_actor(tx, t1), member_actor(tx, x1)
    declare(tx, boss, t1, days_ago=8)

    def keys() -> tuple[str, str]:
        with tx() as s:
            return member_page_key(s, old, "passbook"), member_page_key(s, sub, "passbook")

    before = keys()
    change = substitute(tx, boss, t1, substitute="member", member_id=sub.user_id)
    after = keys()
    assert before[0] != after[0] and before[1] != after[1]
    with tx() as s:
        subscriber_refunds.pay_subscriber_refund(
            s, actor=boss, refund_id=change.refund.id, method="upi", reference="UPI-77", paid_on=_today()
        )
    assert keys()[0] != after[0]


def test_a_member_who_transferred_a_ticket_reads_the_payments_they_made_on_it(tx, engine):
    boss = foreman(tx)
    _group_id, tickets = active_group(tx, boss, tickets=3, foreman_first_chit="")
    t1 = tickets[0]
    seller = member_actor(tx, t1)
    pay(tx, boss, t1, 4_000 * RUPEE)
    _g2, (x1, _x2) = active_group(tx, boss, tickets=2, name="Second Chit", foreman_first_chit="")
    buyer = member_actor(tx, x1)
    with tx() as s:  # as services.groups.transfers records one: the holder changes, a row keeps history
        ticket = s.get(Ticket, t1)
        ticket.member_id = buyer.user_id
        s.add(ticket)
        s.add(
            TicketTransfer(
                ticket_id=t1,
                from_member_id=seller.user_id,
                to_member_id=buyer.user_id,
                month=1,
                reason="Moving to another city",
                created_by_id=boss.user_id,
            )
        )
    pay(tx, boss, t1, 6_000 * RUPEE)  # the new holder's money
    with tx() as s:
        tab = passbook.member_payments(s, actor=seller)
        assert tab["tickets"] == [] and [p["ticket_id"] for p in tab["past"]] == [str(t1)]
        assert tab["past"][0]["state"] == "Transferred to another member in month 1"
        book = passbook.passbook(s, actor=seller, ticket_id=t1)
        assert [line["amount"] for line in book["lines"]] == ["−₹4,000"]
        assert book["balance"] == "You paid ₹4,000" and book["left"].startswith("Transferred")
        theirs = passbook.passbook(s, actor=buyer, ticket_id=t1)
        assert theirs["balance"] == "Nil" and theirs["left"] == ""
    outsider = member_actor(tx, tickets[1])
    with tx() as s, pytest.raises(NotAllowed):
        passbook.passbook(s, actor=outsider, ticket_id=t1)
