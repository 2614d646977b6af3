"""Issue 17, item 6: a money form submitted twice records once.

Two clicks: Reflex runs a tab's events one after another, so a second click (or a retry of a lost
answer) reaches the handler after the first has finished, carrying what the page's form carried
the first time (its request key, and the page's view of the ticket). Every handler that moves money
is called as its rightful caller exactly as the access matrix calls it, then called again with the
same event in the same tab: the second call must add no row to any money table.

Two tabs: both tabs load the page before either submits; the second tab's submission must not take
the same money again (the forms' `seen` and state checks), for the payment forms and every money
action that can happen only once (a draw, a prize's release, a refund, a recovery)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from luckychit_app.models import Payment
from luckychit_app.services.money import offline_payments
from luckychit_app.state.group_payments import ForemanPaymentsState
from tests.security.access_rules import RULES, Rule
from tests.security.conftest import AppDatabase, run
from tests.security.harness import Driver, Outcome
from tests.security.matrix import RIGHTFUL_ORDER
from tests.security.world import World

MONEY_TABLES = frozenset(
    {
        "payments",
        "payment_allocations",
        "refunds",
        "cash_handovers",
        "draws",
        "bids",
        "payouts",
        "prize_securities",
        "guarantors",
        "ticket_transfers",
        "subscriber_refunds",
        "journal_entries",
        "postings",
    }
)


def _rightful(rule: Rule) -> str:
    return next(c for c in RIGHTFUL_ORDER if c in rule.allowed)


MONEY_FORMS = (
    "CashState.cancel_handover",
    "CashState.confirm_handover",
    "CashState.reject_handover",
    "CashState.start_handover",
    "CollectionGridState.record",
    "DeskState.record",
    "DrawState.close_auction",
    "DrawState.conduct",
    "DrawState.open_auction",
    "DrawState.place_bid",
    "DrawState.place_bid_in_person",
    "ForemanPaymentsState.add_guarantor",
    "ForemanPaymentsState.add_security",
    "ForemanPaymentsState.confirm_upi",
    "ForemanPaymentsState.mark_all",
    "ForemanPaymentsState.record",
    "ForemanPaymentsState.recover_deposit",
    "ForemanPaymentsState.refund",
    "ForemanPaymentsState.reject_upi",
    "ForemanPaymentsState.release",
    "GroupClosingState.pay_refund",
    "GroupClosingState.settle",
    "GroupPageState.activate",
    "MemberPayState.on_checkout",
    "MemberPayState.submit_utr",
    "TestCheckoutState.fail",
    "TestCheckoutState.succeed",
    "TicketChangesState.confirm_change",
    "TicketChangesState.pay_refund",
    "TicketTransferState.submit",
)
"""Every handler whose rightful call writes a money table (the tests check that it does, so a
handler that stops moving money is noticed here); MemberPayState.pay_online has its own test."""


def _moved(before: dict, after: dict) -> set[str]:
    return {t for t in MONEY_TABLES if before[t] != after[t]}


async def _submit_twice(
    driver: Driver, world: World, handler: str, app_db: AppDatabase, *, tabs: int
) -> tuple[set[str], set[str], list[Outcome]]:
    """The rightful caller's call, sent twice: from one tab (tabs=1, two clicks) or from two tabs that
    both loaded the page before either submitted (tabs=2). Returns the money tables each wrote."""
    rule = RULES[handler]
    caller = _rightful(rule)
    call = rule.call(world, world.a, caller)
    opened = []
    for _ in range(tabs):
        client, _ = await driver.open(call.page, world.token(caller), load=tabs > 1, timeout=5)
        for name, payload in call.before:
            await driver.send(client, name, payload)
        opened.append(client)
    app_db.changed_tables()
    before = app_db.latest
    first = await driver.send(opened[0], handler, call.payload)
    app_db.changed_tables()
    mid = app_db.latest
    second = await driver.send(opened[-1], handler, call.payload)
    app_db.changed_tables()
    return _moved(before, mid), _moved(mid, app_db.latest), [first, second]


@pytest.mark.parametrize("tabs", [1, 2], ids=["two-clicks", "two-tabs"])
@pytest.mark.parametrize("handler", MONEY_FORMS)
def test_a_money_form_sent_twice_records_once(
    app: Any, app_db: AppDatabase, world: World, handler: str, tabs: int
) -> None:
    async def body() -> tuple[set[str], set[str], list[Outcome]]:
        async with Driver(app) as driver:
            return await _submit_twice(driver, world, handler, app_db, tabs=tabs)

    first, second, (one, two) = run(body())
    assert first, f"{handler} wrote no money table: {one.errors()} (not a money form any more?)"
    assert not two.crashed and not two.timed_out, (two.exceptions, two.errors())
    assert second == set(), f"the second submission of {handler} wrote {sorted(second)} again"


def _payments(app_db: AppDatabase) -> int:
    with Session(app_db.engine) as s:
        return len(s.exec(select(Payment.id)).all())


def _record_form(shown: dict[str, Any], ticket: str) -> dict[str, str]:
    """What the due row's form sends, from what the page was sent (pages/foreman/payments_collect)."""
    row = next(r for r in shown["dues"] if r["ticket_id"] == ticket)
    return {
        "ticket_id": ticket,
        "amount": "100",
        "method": "cash",
        "reference": "",
        "received_on": "",
        "request_key": f"{shown['pay_key']}-{ticket}",
        "seen": row["seen"],
    }


def test_the_payments_page_takes_a_due_once_however_it_is_sent(
    app: Any, app_db: AppDatabase, world: World
) -> None:
    """With the values the page really holds: a double click is one payment and shows the same
    receipt twice; a second tab loaded before it is refused with a reason; once reloaded, that tab
    records a further payment normally."""
    name = ForemanPaymentsState.get_full_name()
    page, token, ticket = f"/f/groups/{world.a.group}/payments", world.token("foreman"), world.a.ticket
    start = _payments(app_db)

    async def body() -> None:
        async with Driver(app) as driver:
            tab_a, opened_a = await driver.open(page, token, load=True, timeout=5)
            tab_b, opened_b = await driver.open(page, token, load=True, timeout=5)
            form_a = _record_form(opened_a.values()[name], ticket)
            form_b = _record_form(opened_b.values()[name], ticket)
            assert form_a["request_key"] != form_b["request_key"] and form_a["seen"] == form_b["seen"]
            clicks = [await driver.send(tab_a, "ForemanPaymentsState.record", {"form": form_a}) for _ in "12"]
            notices = [c.values()[name].get("notice", "") for c in clicks]
            assert notices[0].startswith("Recorded ₹100: receipt ") and notices[1] == notices[0], notices
            assert _payments(app_db) == start + 1
            stale = await driver.send(tab_b, "ForemanPaymentsState.record", {"form": form_b})
            assert stale.errors() == [offline_payments.STALE_FORM]
            assert _payments(app_db) == start + 1
            reloaded = await driver.send(tab_b, "ForemanPaymentsState.load")
            fresh = _record_form({**opened_b.values()[name], **reloaded.values()[name]}, ticket)
            assert fresh["seen"] != form_b["seen"]
            again = await driver.send(tab_b, "ForemanPaymentsState.record", {"form": fresh})
            assert again.errors() == [] and _payments(app_db) == start + 2

    run(body())


def test_pressing_pay_twice_continues_one_order(app: Any, app_db: AppDatabase, world: World) -> None:
    """A member's second press of Pay (or Pay in a second tab) continues the order the first made,
    so one payment never has two orders that could both be paid."""
    page, token = f"/m/pay/{world.a.ticket}", world.token("member")
    start = _payments(app_db)

    async def body() -> list[list[str]]:
        async with Driver(app) as driver:
            tab, _ = await driver.open(page, token)
            other, _ = await driver.open(page, token)
            sent = [
                await driver.send(t, "MemberPayState.pay_online", {"form": {"amount": "150"}})
                for t in (tab, tab, other)
            ]
            return [o.redirects() for o in sent]

    redirects = run(body())
    assert redirects[0][0].startswith("/pay/test-checkout/order_") and redirects == [redirects[0]] * 3
    assert _payments(app_db) == start + 1
