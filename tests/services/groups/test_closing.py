"""Closing a group after its last draw (issue 15, items 11-12): settle (remainders carried forward,
the late-fee pool as agreed, advances), pay the refunds, close; the group is then locked and every
account of it and its tickets is zero. Every refusal is clear and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from luckychit_app.clock import today_ist
from luckychit_app.domain import ledger as books
from luckychit_app.models import (
    AuditLog,
    ChitGroup,
    Draw,
    JournalEntry,
    Notification,
    Payment,
    Payout,
    SubscriberRefund,
    Ticket,
)
from luckychit_app.services.draws import auctions, conducting
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups import closing, setup, transfers
from luckychit_app.services.groups.locking import settled_for_closing
from luckychit_app.services.messages import reminders
from luckychit_app.services.money import (
    field_collections,
    offline_payments,
    online_checkout,
    payment_batch,
    payouts,
    refunds,
    subscriber_refunds,
    upi,
)
from luckychit_app.services.money.ledger import balance, balances, ledger_check
from luckychit_app.services.people import members
from luckychit_app.services.reporting import closing_statement, no_dues
from luckychit_app.state import passbook as passbook_page
from tests.services.groups.substitution_helpers import DEDUCTION, declare, defaulter_group, substitute
from tests.services.helpers import (
    active_group,
    current_draw,
    foreman,
    group_form,
    member_actor,
    pay,
    snapshot,
    staff,
    staff_cash,
)

RUPEE = 100
COMMISSION = 1_500 * RUPEE  # 5 % of ₹30,000


@pytest.fixture(autouse=True)
def _ledger_check_after_each_test(request: pytest.FixtureRequest):
    """Whatever a test did, the books it leaves must pass ledger-check."""
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


# --- running a group to its end through the real services -------------------------------------------


def receivable(tx, ticket_id: int) -> int:
    with tx() as s:
        return balance(s, books.receivable(ticket_id))


def settle_up(tx, boss, tickets) -> None:
    """Pay what each ticket owes in the books: dues, and the late fees paying them late charges."""
    for ticket_id in tickets:
        for _ in range(4):
            owed = receivable(tx, ticket_id)
            if owed <= 0:
                break
            pay(tx, boss, ticket_id, owed)


def hold_month(tx, boss, group_id: int, tickets, bid: str | None = None) -> None:
    draw = current_draw(tx, group_id)
    if bid is None:
        with tx() as s:
            conducting.conduct_draw(s, actor=boss, draw_id=draw.id, members_online=3)
        return
    with tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=draw.id, minutes=60)
    with tx() as s:
        won = {t.id for t in s.exec(select(Ticket).where(Ticket.prized_month.is_not(None))).all()}
    bidder = next(t for t in tickets if t not in won)
    with tx() as s:
        auctions.place_bid(s, actor=member_actor(tx, bidder), draw_id=draw.id, ticket_id=bidder, discount=bid)
    with tx() as s:
        auctions.close_auction(s, actor=boss, draw_id=draw.id, members_online=3)


def release_all(tx, boss, group_id: int) -> None:
    with tx() as s:
        ids = s.exec(select(Payout.id).where(Payout.group_id == group_id, Payout.status == "payable")).all()
    for payout_id in ids:
        with tx() as s:
            payouts.record_security(
                s,
                actor=boss,
                payout_id=payout_id,
                # A pledge, not money: a deposit would be money held and given back at the close
                # (s.21(1)(e); tests/services/groups/test_security_deposits.py).
                kind="property",
                value="1,00,000",
                description="Fixed deposit receipt pledged with the foreman",
            )
        with tx() as s:
            payouts.release_payout(
                s,
                actor=boss,
                payout_id=payout_id,
                method="bank",
                reference="NEFT000123",
                paid_on=today_ist().isoformat(),
            )


def completed_group(tx, boss, *, bids=None, release=True, **changes):
    """A 3-ticket group (₹30,000, 5 %) run to its last draw with every due paid; prizes released."""
    group_id, tickets = active_group(tx, boss, tickets=3, **{"foreman_first_chit": "", **changes})
    for month in (1, 2, 3):
        settle_up(tx, boss, tickets)
        hold_month(tx, boss, group_id, tickets, (bids or {}).get(month))
    settle_up(tx, boss, tickets)
    if release:
        release_all(tx, boss, group_id)
    with tx() as s:
        assert s.get(ChitGroup, group_id).status == "completed"
    return group_id, tickets


def group_accounts(tx, group_id: int) -> dict[str, int]:
    """Every non-zero account of the group and of its tickets."""
    with tx() as s:
        ticket_ids = {str(t) for t in s.exec(select(Ticket.id).where(Ticket.group_id == group_id)).all()}
        out = {}
        for account, amount in balances(s, group_id=group_id).items():
            kind, _, rest = account.partition(":")
            ref = rest.split(":", 1)[0]
            if amount and (
                (kind == "group" and ref == str(group_id)) or (kind == "ticket" and ref in ticket_ids)
            ):
                out[account] = amount
        return out


def settle(tx, actor, group_id):
    with tx() as s:
        return closing.settle_for_closing(s, actor=actor, group_id=group_id)


def close(tx, actor, group_id):
    with tx() as s:
        return closing.close_group(s, actor=actor, group_id=group_id)


def pay_refund(tx, actor, refund_id, **changes):
    """Closing shares are paid like every subscriber refund (services.money.subscriber_refunds)."""
    args = {"method": "upi", "reference": "UPI-REF-778", "paid_on": today_ist().isoformat(), **changes}
    with tx() as s:
        return subscriber_refunds.pay_subscriber_refund(s, actor=actor, refund_id=refund_id, **args)


def refused(tx, engine, fn, match: str | None, error=ServiceError) -> None:
    """`fn` fails with a message matching `match`, and the database is exactly as it was."""
    before = snapshot(engine)
    with pytest.raises(error, match=match):
        fn()
    assert snapshot(engine) == before


# --- the happy paths ------------------------------------------------------------------------------------


def test_a_lucky_group_with_nothing_to_share_closes_to_zero(tx, engine):
    boss = foreman(tx)
    group_id, tickets = completed_group(tx, boss)
    # Nothing carried forward, no late fees, no advance: there is nothing to settle.
    refused(tx, engine, lambda: settle(tx, boss, group_id), "There is nothing to settle")
    with tx() as s:
        assert closing.closing_blockers(s, s.get(ChitGroup, group_id)) == []
    close(tx, boss, group_id)
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        assert group.status == "closed" and group.closed_at is not None
        # The foreman's commission, three months of ₹1,500, left the group for the foreman's own cash.
        assert balance(s, books.owner_cash(boss.user_id)) == 3 * COMMISSION
        assert balance(s, books.cash(group_id)) == 0
        told = s.exec(select(Notification).where(Notification.kind == "group_closed")).all()
        assert {n.link for n in told} == {f"/api/no-dues/{t}.pdf" for t in tickets}
        assert s.exec(select(AuditLog).where(AuditLog.action == "group.closed")).one()
        assert s.exec(select(JournalEntry).where(JournalEntry.key == f"close:{group_id}")).one()
    assert group_accounts(tx, group_id) == {}


def test_remainders_late_fees_and_advances_go_back_to_the_members(tx, engine):
    """An auction group whose dividends left odd paise in the carry-forward, with late fees whose
    pool the agreement gives to the members, and a member who paid ₹250 ahead."""
    boss = foreman(tx)
    group_id, tickets = active_group(
        tx,
        boss,
        tickets=3,
        kind="auction",
        max_discount_pct="30",
        min_bid_step="100",
        late_fee_mode="flat",
        late_fee_flat="10",
        late_fee_pool_to="members",  # the agreement gives the late fees to the members
        foreman_first_chit="",
    )
    # Month 1: discount ₹1,600, pool ₹100 = 10,000 paise = 3 × 3,333 + 1; month 2 the same: 2 paise
    # carried forward. Every due is paid late (the group started in January), so fees are charged.
    for _month, bid in ((1, "1,600"), (2, "1,600"), (3, None)):
        settle_up(tx, boss, tickets)
        hold_month(tx, boss, group_id, tickets, bid)
    settle_up(tx, boss, tickets)
    release_all(tx, boss, group_id)
    pay(tx, boss, tickets[2], 250 * RUPEE)  # ahead of nothing: an advance
    with tx() as s:
        carry = -balance(s, books.carry_forward(group_id))
        fees = -balance(s, books.penalty_income(group_id))
    assert carry == 2
    assert fees > 0
    with tx() as s:
        preview = closing.closing_plan(s, s.get(ChitGroup, group_id))
    plan = settle(tx, boss, group_id)
    assert plan == preview
    # DESIGN §2: the 2 paise carried forward go one each to tickets 1 and 2; the pool in equal shares.
    assert [s.carry for s in plan.shares] == [1, 1, 0]
    assert sum(s.late_fees for s in plan.shares) == fees
    assert max(s.late_fees for s in plan.shares) - min(s.late_fees for s in plan.shares) <= 1
    assert [s.advance for s in plan.shares] == [0, 0, 250 * RUPEE]
    with tx() as s:
        assert balance(s, books.carry_forward(group_id)) == 0
        assert balance(s, books.penalty_income(group_id)) == 0
        assert balance(s, books.receivable(tickets[2])) == 0
        rows = s.exec(select(SubscriberRefund).order_by(SubscriberRefund.ticket_id)).all()
        assert [(r.ticket_id, r.kind, r.status, r.payable_at, r.amount) for r in rows] == [
            (share.ticket_id, "closing", "due", "close", share.total) for share in plan.shares
        ]
        assert settled_for_closing(s, group_id)
    # The group takes no more money once settled, and a refund is paid before it closes.
    refused(tx, engine, lambda: pay(tx, boss, tickets[0], 100), "settled for closing")
    refused(tx, engine, lambda: settle(tx, boss, group_id), "already settled")
    refused(tx, engine, lambda: close(tx, boss, group_id), "Pay the refunds due before closing")
    for row in rows:
        paid = pay_refund(tx, boss, row.id)
        assert (paid.status, paid.method, paid.reference) == ("paid", "upi", "UPI-REF-778")
    refused(tx, engine, lambda: pay_refund(tx, boss, rows[0].id), "already been paid")
    close(tx, boss, group_id)
    with tx() as s:
        # Only the foreman's commission stays: the members' money all went back to them.
        assert balance(s, books.owner_cash(boss.user_id)) == 3 * COMMISSION
    assert group_accounts(tx, group_id) == {}


def test_the_late_fee_pool_is_the_foremans_income_by_default(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(
        tx, boss, tickets=2, late_fee_mode="flat", late_fee_flat="10", foreman_first_chit=""
    )
    for _month in (1, 2):
        settle_up(tx, boss, tickets)
        hold_month(tx, boss, group_id, tickets)
    settle_up(tx, boss, tickets)
    release_all(tx, boss, group_id)
    with tx() as s:
        fees = -balance(s, books.penalty_income(group_id))
        commission_before = balance(s, books.commission_income(boss.user_id))
    assert fees > 0
    plan = settle(tx, boss, group_id)
    assert plan.to_foreman == fees and plan.refunds == 0
    with tx() as s:
        assert balance(s, books.commission_income(boss.user_id)) == commission_before - fees
        assert s.exec(select(func.count()).select_from(SubscriberRefund)).one() == 0
    close(tx, boss, group_id)
    with tx() as s:
        assert balance(s, books.owner_cash(boss.user_id)) == 2 * COMMISSION + fees
    assert group_accounts(tx, group_id) == {}


def test_a_removed_subscribers_refund_is_paid_before_the_close(tx, engine):
    """s.30(3): a removed subscriber's money kept for the close is paid within 15 days of the
    chit's termination; the group does not close while it is due, and then every account of the
    group, the removed ticket's included, is zero."""
    boss = foreman(tx)
    group_id, tickets = defaulter_group(tx, boss, months=3, foreman_first_chit="")
    declare(tx, boss, tickets[0], days_ago=8)
    substitute(tx, boss, tickets[0])
    with tx() as s:
        row = s.exec(select(SubscriberRefund).where(SubscriberRefund.kind == "removal")).one()
        seats = list(
            s.exec(
                select(Ticket.id)
                .where(Ticket.group_id == group_id, Ticket.status != "removed")
                .order_by(Ticket.ticket_no)
            ).all()
        )
    assert row.status == "due" and row.amount > 0
    for _month in (3, 4):
        settle_up(tx, boss, seats)
        hold_month(tx, boss, group_id, seats)
    settle_up(tx, boss, seats)
    release_all(tx, boss, group_id)
    with tx() as s:
        due_by = closing.removed_refund_due_by(s, s.get(ChitGroup, group_id))
        assert due_by is not None and (due_by - today_ist()).days == 15
    # The agreement's deduction from the removed subscriber's money sits with the late fees (the
    # removal's entry); with the pool the foreman's, it is theirs at the settlement.
    plan = settle(tx, boss, group_id)
    assert (plan.to_foreman, plan.refunds) == (DEDUCTION, 0)
    refused(tx, engine, lambda: close(tx, boss, group_id), r"Pay the refunds due before closing: ticket 1")
    pay_refund(tx, boss, row.id, method="bank", reference="NEFT-REMOVED-1")
    close(tx, boss, group_id)
    assert group_accounts(tx, group_id) == {}


# --- refusals: a clear message and nothing changes ---------------------------------------------------


def test_a_group_with_a_draw_still_to_hold_is_not_closed(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, foreman_first_chit="")
    settle_up(tx, boss, tickets)
    hold_month(tx, boss, group_id, tickets)
    for step in (settle, close):
        refused(tx, engine, lambda step=step: step(tx, boss, group_id), "Month 2's draw is still to be held")


def test_unpaid_dues_unreleased_prizes_and_a_collectors_cash_block_the_close(tx, engine):
    boss = foreman(tx)
    group_id, tickets = completed_group(tx, boss, release=False)
    refused(tx, engine, lambda: settle(tx, boss, group_id), "The month 1 prize of ₹28,500 to ticket")
    refused(tx, engine, lambda: close(tx, boss, group_id), "is not released yet")
    release_all(tx, boss, group_id)
    # A clerk takes ₹100 of a member's cash (an advance) and has not handed it over yet.
    clerk = staff(tx, boss, "clerk")
    staff_cash(tx, clerk, tickets[1], 100 * RUPEE)
    for step in (settle, close):
        refused(
            tx, engine, lambda step=step: step(tx, boss, group_id), r"₹100 of the group's cash is still with"
        )


def test_a_member_who_still_owes_is_named(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=2, foreman_first_chit="")
    settle_up(tx, boss, tickets)
    hold_month(tx, boss, group_id, tickets)
    settle_up(tx, boss, tickets[:1])
    hold_month(tx, boss, group_id, tickets)  # the last ticket takes month 2, dues or not
    for step in (settle, close):
        refused(
            tx,
            engine,
            lambda step=step: step(tx, boss, group_id),
            r"Ticket 2 \(Member 2\) still owes ₹15,000",
        )


def test_closing_twice_and_closing_someone_elses_group_are_refused(tx, engine):
    boss = foreman(tx)
    group_id, tickets = completed_group(tx, boss)
    other = foreman(tx)
    member = member_actor(tx, tickets[0])
    for actor in (other, member, None):
        for step in (settle, close):
            refused(tx, engine, lambda step=step, actor=actor: step(tx, actor, group_id), None, NotAllowed)
    for junk in ("x", -1, None, [1], {"id": 1}, True, 2**40):
        for step in (settle, close):
            refused(tx, engine, lambda step=step, junk=junk: step(tx, boss, junk), "Invalid group")
    close(tx, boss, group_id)
    refused(tx, engine, lambda: close(tx, boss, group_id), "already closed")
    refused(tx, engine, lambda: settle(tx, boss, group_id), "already closed")


def test_a_refund_payment_is_validated(tx, engine):
    boss = foreman(tx)
    group_id, tickets = completed_group(tx, boss)
    pay(tx, boss, tickets[0], 40 * RUPEE)  # an advance to give back
    refused(tx, engine, lambda: close(tx, boss, group_id), "Settle the group for closing first")
    settle(tx, boss, group_id)
    with tx() as s:
        row = s.exec(select(SubscriberRefund)).one()
    assert row.amount == 40 * RUPEE
    tomorrow = today_ist().toordinal() + 1
    bad = [
        ({"method": "cheque"}, "Method must be"),
        ({"method": ["upi"]}, "Method must be"),
        ({"method": "bank", "reference": ""}, "Reference"),
        ({"method": "bank", "reference": 7}, "Reference must be text"),
        ({"paid_on": "yesterday"}, "Date paid must be a date"),
        ({"paid_on": date.fromordinal(tomorrow).isoformat()}, "cannot be in the future"),
        ({"paid_on": "2025-01-01"}, "cannot be paid before"),
    ]
    for changes, match in bad:
        refused(tx, engine, lambda changes=changes: pay_refund(tx, boss, row.id, **changes), match)
    for junk in ("abc", 0, None, True, [row.id]):
        refused(tx, engine, lambda junk=junk: pay_refund(tx, boss, junk), "Invalid refund")
    refused(tx, engine, lambda: pay_refund(tx, boss, 987654), None, NotAllowed)
    stranger = foreman(tx)
    refused(tx, engine, lambda: pay_refund(tx, stranger, row.id), None, NotAllowed)
    cash_paid = pay_refund(tx, boss, row.id, method="cash", reference="")
    assert cash_paid.reference == "Cash"
    close(tx, boss, group_id)


def test_ledger_check_names_a_closed_groups_account_that_is_not_zero(tx):
    boss = foreman(tx)
    group_id, _tickets = completed_group(tx, boss)
    close(tx, boss, group_id)
    from luckychit_app.domain.ledger import JournalDraft, Posting
    from luckychit_app.services.money.ledger import post

    with tx() as s:
        post(
            s,
            JournalDraft(
                kind="adjustment",
                key="test:stray",
                memo="a stray posting after the close",
                postings=(Posting(books.cash(group_id), 500), Posting(books.owner_cash(boss.user_id), -500)),
            ),
            group_id=group_id,
        )
        problems = ledger_check(s)
        assert problems == [
            f"group:{group_id}:cash is 500 paise, but its group is closed (every account must be 0)"
        ]
        s.rollback()


# --- a closed group is locked --------------------------------------------------------------------------


def test_a_closed_group_refuses_every_write(tx, engine):
    """Payments (counter, batch, field, UPI, online, refunds), draws, members, settings, transfers,
    prizes and closing itself: each is refused with a message saying so, and nothing changes."""
    boss = foreman(tx)
    group_id, tickets = completed_group(tx, boss, upi_vpa="ramesh.chits@okhdfc")
    clerk = staff(tx, boss, "clerk")
    member = member_actor(tx, tickets[0])
    with tx() as s:
        payment_id = s.exec(select(Payment.id).where(Payment.ticket_id == tickets[0])).first()
        last_draw = s.exec(select(Draw.id).where(Draw.group_id == group_id, Draw.month == 3)).one()
        payout_id = s.exec(select(Payout.id).where(Payout.group_id == group_id)).first()
    close(tx, boss, group_id)
    closed = "is closed: its books are settled"

    def call(fn, **kwargs):
        def run():
            with tx() as s:
                return fn(s, **kwargs)

        return run

    writes = {
        "counter payment": (
            call(
                offline_payments.record_offline_payment,
                actor=boss,
                ticket_id=tickets[0],
                amount="100",
                method="cash",
            ),
            closed,
        ),
        "month batch": (
            call(payment_batch.mark_all_paid, actor=boss, group_id=group_id, month=3, method="cash"),
            closed,
        ),
        "field collection": (
            call(
                field_collections.record_collection,
                actor=clerk,
                ticket_id=tickets[0],
                amount="100",
                method="cash",
                idempotency_key="closed-group-0001",
            ),
            closed,
        ),
        "UPI": (
            call(upi.submit_utr, actor=member, ticket_id=tickets[0], amount="100", utr="123456789099"),
            closed,
        ),
        "online": (
            call(online_checkout.create_intent, actor=member, ticket_id=tickets[0], amount="100"),
            closed,
        ),
        "refund": (
            call(
                refunds.create_refund,
                actor=boss,
                payment_id=payment_id,
                amount="100",
                reason="Paid twice",
                idempotency_key="closed-group-refund-1",
            ),
            closed,
        ),
        "draw": (call(conducting.conduct_draw, actor=boss, draw_id=last_draw), "already been held"),
        "new member": (
            call(members.add_member, actor=boss, group_id=group_id, name="Late Comer", mobile="9811100001"),
            "only while the group is forming",
        ),
        "ticket status": (
            call(
                members.set_ticket_status,
                actor=boss,
                ticket_id=tickets[1],
                status="suspended",
                reason="Moved",
            ),
            closed,
        ),
        "settings": (
            call(setup.update_group, actor=boss, group_id=group_id, form=group_form(name="Renamed Chit")),
            closed,
        ),
        "start": (call(setup.activate_group, actor=boss, group_id=group_id), closed),
        "transfer": (
            call(
                transfers.transfer_ticket,
                actor=boss,
                ticket_id=tickets[1],
                reason="Moving to another city",
                name="New Holder",
                mobile="9811100002",
            ),
            closed,
        ),
        "prize": (
            call(
                payouts.release_payout,
                actor=boss,
                payout_id=payout_id,
                method="bank",
                reference="NEFT999",
                paid_on=today_ist().isoformat(),
            ),
            "already been released",
        ),
        "settle": (call(closing.settle_for_closing, actor=boss, group_id=group_id), "already closed"),
        "close": (call(closing.close_group, actor=boss, group_id=group_id), "already closed"),
    }
    for what, (fn, match) in writes.items():
        before = snapshot(engine)
        with pytest.raises(ServiceError, match=match):
            fn()
        assert snapshot(engine) == before, what
    # Reminders: a closed group owes nothing, so nothing is queued.
    before = snapshot(engine)["outbox"]
    with tx() as s:
        assert reminders.remind_all_overdue(s, actor=boss, group_id=group_id).sms == 0
    assert snapshot(engine)["outbox"] == before


# --- the closing papers ---------------------------------------------------------------------------------


def test_the_panel_the_statement_and_the_no_dues_certificates(tx, engine):
    boss = foreman(tx)
    group_id, tickets = completed_group(tx, boss)
    pay(tx, boss, tickets[1], 75 * RUPEE)  # an advance, returned at the close
    member = member_actor(tx, tickets[1])
    other = member_actor(tx, tickets[0])
    accountant, clerk, stranger = staff(tx, boss, "accountant"), staff(tx, boss, "clerk"), foreman(tx)
    with tx() as s:
        panel = closing_statement.closing_panel(s, actor=boss, group_id=group_id)
        assert (panel["can_settle"], panel["can_close"], panel["blockers"]) == (True, False, [])
        assert [r["advance"] for r in panel["shares"]] == ["₹0", "₹75", "₹0"]
        # Before the close: the statement is provisional, and there is no certificate yet.
        assert closing_statement.closing_statement(s, actor=accountant, group_id=group_id)[
            "state"
        ].startswith("Provisional")
        assert passbook_page.read_page(s, member, str(tickets[1]))[2]["certificate"] == ""
        with pytest.raises(ServiceError, match="issued once the group is closed"):
            no_dues.certificate(s, actor=member, ticket_id=tickets[1])
    settle(tx, boss, group_id)
    with tx() as s:
        panel = closing_statement.closing_panel(s, actor=boss, group_id=group_id)
        assert (panel["can_settle"], panel["can_close"], panel["settled"]) == (False, False, True)
        (due,) = panel["refunds"]
        assert (due["ticket_no"], due["amount"], due["due"]) == ("2", "₹75", "yes")
    pay_refund(tx, boss, int(due["id"]), method="cash", reference="")
    with tx() as s:
        assert closing_statement.closing_panel(s, actor=boss, group_id=group_id)["can_close"] is True
    close(tx, boss, group_id)
    with tx() as s:
        panel = closing_statement.closing_panel(s, actor=boss, group_id=group_id)
        assert [c["url"] for c in panel["certificates"]] == [f"/api/no-dues/{t}.pdf" for t in tickets]
        data = closing_statement.closing_statement(s, actor=boss, group_id=group_id)
        assert data["closed"] and data["all_zero"]
        assert [row[0] for row in data["draws"]] == ["1", "2", "3"]
        totals = dict(data["totals"])
        assert totals["Commission earned"] == "₹4,500"
        assert totals["Refunds paid at the close"] == "₹75"
        assert totals["Moved to the foreman at the close"] == "₹4,500"
        assert all(amount == "₹0" for _label, amount in data["final"])
        page = closing_statement.statement_html(data)
        assert "closing statement" in page and "<script" not in page
        name, pdf = closing_statement.statement_pdf(s, actor=accountant, group_id=group_id)
        assert name.endswith("-closing-statement.pdf") and pdf.startswith(b"%PDF")
        for outsider in (clerk, stranger, member):
            with pytest.raises(NotAllowed):
                closing_statement.closing_statement(s, actor=outsider, group_id=group_id)
        # The certificate: the ticket's member, the foreman and the books staff; nobody else.
        # The member's passbook page lists the closed group's ticket and links its certificate.
        data, chosen, mine = passbook_page.read_page(s, member, str(tickets[1]))
        assert [(p["ticket_id"], p["state"]) for p in data["past"]] == [(str(tickets[1]), "Closed")]
        assert (chosen, mine["certificate"]) == (str(tickets[1]), f"/api/no-dues/{tickets[1]}.pdf")
        _, chosen, theirs = passbook_page.read_page(s, other, str(tickets[1]))  # not theirs: their own
        assert (chosen, theirs["certificate"]) == (str(tickets[0]), f"/api/no-dues/{tickets[0]}.pdf")
        cert = no_dues.certificate(s, actor=member, ticket_id=tickets[1])
        assert cert["number"].endswith(f"/{group_id}/002") and cert["ticket_no"] == "2"
        assert "nothing is due from the subscriber to the foreman" in cert["text"]
        assert "₹75 owed back at the close was paid" in cert["text"]
        for reader in (member, boss, accountant):
            name, pdf = no_dues.certificate_pdf(s, actor=reader, ticket_id=tickets[1])
            assert name.startswith("no-dues-") and pdf.startswith(b"%PDF")
        for outsider in (other, clerk, stranger, None):
            with pytest.raises(NotAllowed):
                no_dues.certificate(s, actor=outsider, ticket_id=tickets[1])
        for junk in ("x", None, -1, True):
            with pytest.raises(ServiceError, match="Invalid ticket"):
                no_dues.certificate(s, actor=member, ticket_id=junk)
