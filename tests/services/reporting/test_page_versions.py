"""A member tab shows the page it read before while the page key is unchanged
(services/reporting/page_versions.py), so equal keys must mean equal pages.

The key is the member's language, the IST date and the `data_versions` counters that triggers move
on writes to the tables the pages read (migration 0007). A write path that changes what a member's
home, passbook or draws page shows without moving the key leaves a member looking at stale dues.
These tests hold the promise from three sides: the pages read no table without a trigger, every
listed table has its triggers on both databases, and every write a deployment makes, applied one at
a time to a book of several groups, either leaves every page as it was or moves its key, while
members of other groups keep theirs (the counters are per group, not one global version).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from luckychit_app import clock
from luckychit_app.gateways.test_gateway import TestGateway
from luckychit_app.models import ChitGroup, Payout, Ticket, User
from luckychit_app.services.access import Actor
from luckychit_app.services.draws import auction_closer, auctions, draw_views
from luckychit_app.services.draws.entropy import add_phrase
from luckychit_app.services.groups import substitution, transfers
from luckychit_app.services.groups.setup import activate_group, update_group
from luckychit_app.services.money import (
    offline_payments,
    online_checkout,
    online_reconcile,
    online_webhooks,
    passbook,
    payment_batch,
    payouts,
    refunds,
    upi,
)
from luckychit_app.services.money.payment_batch import record_offline_payments
from luckychit_app.services.people import auth, members, profile
from luckychit_app.services.reporting import reports, views
from luckychit_app.services.reporting.page_versions import (
    SESSION_WITH_COUNTERS,
    VERSIONED_TABLES,
    member_page_key,
    page_key,
)
from tests.services.helpers import (
    AUCTION,
    Tx,
    active_group,
    conduct,
    create_group,
    current_draw,
    foreman,
    group_form,
    member_actor,
    new_mobile,
    pay,
)

RUPEE = 100
VPA = "ramesh.chits@okaxis"
LUCKY = {
    "name": "Lucky Circle",
    "tickets": "4",
    "chit_value": "40,000",
    "late_fee_mode": "flat",
    "late_fee_flat": "100",
    "grace_days": "3",
    "upi_vpa": VPA,
}

# --------------------------------------------------------------------------------------------------
# Reading the pages as the app does
# --------------------------------------------------------------------------------------------------


def member(s: Session, user_id: int) -> Actor:
    """The member as `auth.actor_for_token` names them for a page load (language included)."""
    user = s.get(User, user_id)
    return Actor(user.id, "member", user.name, user.language)


def read_pages(s: Session, user_id: int) -> dict[str, tuple[str, Any]]:
    """Every member page as (key, data), the keys read before the pages in the same transaction,
    as `page_read` does: the home page, the draws page, and the passbook with no ticket chosen and
    with each of the member's tickets chosen. The passbook is PassbookState.load's read (the
    payments tab, and the chosen ticket's statement, or the first running ticket's when the choice
    is not one of them); the payments tab is read once for all the choices (the same transaction,
    so the same data) to keep the test quick."""
    actor = member(s, user_id)
    ticket_ids = s.exec(select(Ticket.id).where(Ticket.member_id == user_id).order_by(Ticket.id)).all()
    choices = ["", *(str(t) for t in ticket_ids)]
    names = ["home", "draws", *(f"passbook:{chosen}" for chosen in choices)]
    keys = {name: member_page_key(s, actor, name) for name in names}
    pages: dict[str, tuple[str, Any]] = {
        "home": (keys["home"], views.member_home(s, actor=actor)),
        "draws": (keys["draws"], draw_views.member_draws(s, actor=actor)),
    }
    tab = passbook.member_payments(s, actor=actor)
    ids = [t["ticket_id"] for t in tab["tickets"]]
    statements: dict[str, dict] = {}
    for chosen in choices:
        tid = chosen if chosen in ids else (ids[0] if ids else "")
        if tid not in statements:
            statements[tid] = passbook.passbook(s, actor=actor, ticket_id=tid) if tid else {}
        pages[f"passbook:{chosen}"] = (keys[f"passbook:{chosen}"], (tab, tid, statements[tid]))
    return pages


@dataclass(frozen=True)
class Seen:
    """One member's pages and the groups they hold a ticket in (any status) at one moment."""

    pages: dict[str, tuple[str, Any]]
    groups: frozenset[int]


def snapshot(tx: Tx, user_ids: list[int]) -> dict[int, Seen]:
    """Every member's pages, one transaction per member (a tab's page load is one transaction)."""
    out = {}
    for uid in user_ids:
        with tx() as s:
            held = s.exec(select(Ticket.group_id).where(Ticket.member_id == uid)).all()
            out[uid] = Seen(read_pages(s, uid), frozenset(held))
    return out


# --------------------------------------------------------------------------------------------------
# Which tables a statement reads
# --------------------------------------------------------------------------------------------------

_TOKENS = re.compile(r'"[^"]*"|\w+|\S')
_NAME = re.compile(r"[A-Za-z_]\w*")
_CLAUSE_ENDS = {"WHERE", "GROUP", "ORDER", "LIMIT", "OFFSET", "HAVING", "UNION", "EXCEPT", "INTERSECT", "FOR"}
_NOT_READS = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


def tables_in(statement: str) -> set[str]:
    """Tables named after FROM or JOIN, or after a comma within a FROM clause; subqueries are
    walked like the outer query. Errs towards naming too much (a column after `EXTRACT(x FROM`),
    which would fail the checks loudly rather than let a table through."""
    found: set[str] = set()
    depth, expect = 0, False
    open_from: list[int] = []  # the parenthesis depths of the FROM clauses being read
    for token in _TOKENS.findall(statement):
        word, upper = token.strip('"'), token.upper()
        if expect:
            expect = False
            if _NAME.fullmatch(word):
                found.add(word.lower())
                continue
        if token == "(":
            depth += 1
        elif token == ")":
            while open_from and open_from[-1] >= depth:
                open_from.pop()
            depth -= 1
        elif upper in ("FROM", "JOIN"):
            expect = True
            if upper == "FROM":
                open_from.append(depth)
        elif upper in _CLAUSE_ENDS:
            while open_from and open_from[-1] >= depth:
                open_from.pop()
        elif token == "," and open_from and open_from[-1] == depth:
            expect = True
    return found


@contextmanager
def recorded_sql(engine: Engine) -> Iterator[list[str]]:
    """The SQL the engine sends while the block runs (triggers' own statements are not sent, so
    this is exactly what the page code asks for)."""
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def tables_read(statements: list[str]) -> set[str]:
    """The tables the statements read; fails on any statement that is not a read, since a page
    load that writes would move keys (or escape them) by itself."""
    tables: set[str] = set()
    for statement in statements:
        if _NOT_READS.match(statement):
            continue
        assert re.match(r"\s*(SELECT|WITH)\b", statement, re.IGNORECASE), statement
        tables |= tables_in(statement)
    return tables


# A branch's code is fixed when the branch is made (services/people/companies.add_branch; nothing
# edits it), and a payment's branch is written with the payment: the receipt labels the pages print
# ("MAIN/000177", issue 16) cannot change under a steady key.
ALLOWED_READS = VERSIONED_TABLES | {"data_versions", "branches"}


def test_tables_in_finds_from_join_and_comma_lists():
    sql = (
        "SELECT a.x FROM tickets JOIN chit_groups ON chit_groups.id = tickets.group_id "
        'LEFT OUTER JOIN "users" AS u ON u.id = a.y, draws AS d WHERE a.id IN '
        "(SELECT payments.id FROM payments WHERE x) ORDER BY 1"
    )
    assert tables_in(sql) == {"tickets", "chit_groups", "users", "draws", "payments"}
    # Commas in the select list or in a function call are not table lists.
    assert tables_in("SELECT a.x, coalesce(b, c) FROM installments WHERE d IN (1, 2)") == {"installments"}


# --------------------------------------------------------------------------------------------------
# The IST calendar, moved by hand
# --------------------------------------------------------------------------------------------------


class ShiftedClock:
    """Moves `clock.datetime` (behind `today_ist` and `utcnow` in every module) by an offset.

    It starts at noon IST today so a test never crosses midnight by itself (which would move every
    key and hide a key that does not move); `next_day` is the IST date changing under an open tab.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real = clock.datetime
        now = real.now(clock.IST)
        self.offset = now.replace(hour=12, minute=0, second=0, microsecond=0) - now
        shifted = self

        class Shifted(real):
            @classmethod
            def now(cls, tz: Any = None) -> datetime:
                return real.now(tz) + shifted.offset

        monkeypatch.setattr(clock, "datetime", Shifted)

    def next_day(self) -> None:
        self.offset += timedelta(days=1)


# --------------------------------------------------------------------------------------------------
# The book: a foreman with a lucky group, an auction group and a forming group sharing members,
# and another foreman's group with the outsider
# --------------------------------------------------------------------------------------------------


@dataclass
class World:
    boss: Actor
    lucky: int
    auction: int
    forming: int
    other: int
    people: dict[str, int]  # m1..m4 (lucky; m1, m2 also in the auction), a3, a4 (auction), outsider
    tickets: dict[tuple[str, int], int]  # (person, group) -> ticket id
    ids: dict[str, Any] = field(default_factory=dict)  # what one step leaves for a later one

    def ticket(self, person: str, group: int) -> int:
        return self.tickets[(person, group)]

    def name(self, user_id: int) -> str:
        return next(p for p, uid in self.people.items() if uid == user_id)


def _seat(tx: Tx, boss: Actor, group_id: int, name: str, mobile: str | None = None) -> Ticket:
    with tx() as s:
        ticket, _ = members.add_member(
            s, actor=boss, group_id=group_id, name=name, mobile=mobile or new_mobile()
        )
        return ticket


def mobile_of(s: Session, user_id: int) -> str:
    return s.get(User, user_id).mobile


def build_world(tx: Tx) -> World:
    """The lucky group is seated but not started (its activation is one of the writes)."""
    boss = foreman(tx, "Ramesh Kumar")
    other_boss = foreman(tx, "Suresh Patel")
    other, other_tickets = active_group(tx, other_boss, tickets=3, name="Other Circle")
    lucky = create_group(tx, boss, **LUCKY)
    seated = [_seat(tx, boss, lucky, f"Member {n}") for n in range(1, 5)]
    people = {f"m{n}": t.member_id for n, t in enumerate(seated, 1)}
    tickets = {(f"m{n}", lucky): t.id for n, t in enumerate(seated, 1)}
    auction = create_group(tx, boss, name="Auction Club", tickets="4", upi_vpa=VPA, **AUCTION)
    for person in ("m1", "m2"):
        with tx() as s:
            mobile = mobile_of(s, people[person])
        t = _seat(tx, boss, auction, person, mobile)
        tickets[(person, auction)] = t.id
    for person in ("a3", "a4"):
        t = _seat(tx, boss, auction, f"Auction {person}")
        people[person], tickets[(person, auction)] = t.member_id, t.id
    with tx() as s:
        activate_group(s, actor=boss, group_id=auction, start="2026-01-01")
        people["outsider"] = s.get(Ticket, other_tickets[0]).member_id
    forming = create_group(tx, boss, name="Forming Circle", tickets="3")
    return World(boss, lucky, auction, forming, other, people, tickets)


# --------------------------------------------------------------------------------------------------
# Every write a deployment makes that could change a member page
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[], object]
    groups: frozenset[int] | None
    """The groups the write belongs to: members holding no ticket in them (and not in `users`) must
    keep their keys. None: the write may move any member's key (the calendar)."""
    users: frozenset[int] = frozenset()
    changes: bool = True
    """Some member's page must show something new afterwards (else the step checked nothing). False
    for writes the pages do not show today (bids, securities, ticket status), kept to prove that
    they leave every page as it was or move its key all the same."""


def member_now(tx: Tx, user_id: int) -> Actor:
    """The member, for a service that runs its own transactions."""
    with tx() as s:
        return member(s, user_id)


def write_paths(tx: Tx, w: World, gateway: TestGateway, days: ShiftedClock) -> list[Step]:
    """The writes, in an order a real book goes through them; each step's function runs in its own
    transaction (`in_tx`) or drives the service's own transactions, as the app does."""
    boss, lucky, auction, forming = w.boss, w.lucky, w.auction, w.forming
    p = w.people
    L, A, F = frozenset({lucky}), frozenset({auction}), frozenset({forming})
    steps: list[Step] = []

    def step(
        name: str, scope: frozenset[int] | None, *, users: frozenset[int] = frozenset(), changes: bool = True
    ) -> Callable[[Callable[[], object]], Callable[[], object]]:
        def add(fn: Callable[[], object]) -> Callable[[], object]:
            steps.append(Step(name, fn, scope, users, changes))
            return fn

        return add

    def in_tx(fn: Callable[[Session], object]) -> Callable[[], object]:
        def run() -> object:
            with tx() as s:
                return fn(s)

        return run

    def checkout(person: str, group: int, rupees: str) -> online_checkout.Checkout:
        return online_checkout.start_checkout(
            tx=tx,
            gateway=gateway,
            actor=member_now(tx, p[person]),
            ticket_id=w.ticket(person, group),
            amount=rupees,
        )

    def refund(payment: str, rupees: str, key: str) -> None:
        refunds.refund_payment(
            tx=tx,
            gateway=gateway,
            actor=boss,
            payment_id=w.ids[payment],
            amount=rupees,
            reason="Paid twice by mistake",
            idempotency_key=key,
        )

    def lucky_payout(s: Session) -> Payout:
        return s.exec(select(Payout).where(Payout.group_id == lucky).order_by(Payout.id)).first()

    def open_bidding(minutes: int) -> None:
        draw_id = current_draw(tx, auction).id
        with tx() as s:
            auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes=minutes)

    def bid(person: str, rupees: str, *, in_person: bool = False) -> None:
        draw_id = current_draw(tx, auction).id
        with tx() as s:
            auctions.place_bid(
                s,
                actor=boss if in_person else member(s, p[person]),
                draw_id=draw_id,
                ticket_id=w.ticket(person, auction),
                discount=rupees,
                in_person=in_person,
            )

    def paid_up(month: int) -> None:
        with tx() as s:
            payment_batch.mark_all_paid(s, actor=boss, group_id=lucky, month=month)

    def ticket_in(s: Session, person: str, group: int) -> int:
        return s.exec(select(Ticket.id).where(Ticket.member_id == p[person], Ticket.group_id == group)).one()

    @step("lucky group activated", L)
    @in_tx
    def activate(s: Session) -> None:
        activate_group(s, actor=boss, group_id=lucky, start="2026-01-01")

    @step("cash payment", L)
    def cash() -> None:
        w.ids["cash"] = pay(tx, boss, w.ticket("m1", lucky), 10_000 * RUPEE).id

    @step("late bank payment posts its late fee", L)
    @in_tx
    def late(s: Session) -> None:
        offline_payments.record_offline_payment(
            s,
            actor=boss,
            ticket_id=w.ticket("m2", lucky),
            amount="10100",
            method="bank",
            received_on="2026-01-20",
        )

    @step("payment batch across two groups", L | A)
    @in_tx
    def batch(s: Session) -> None:
        rows = [
            {"ticket_id": w.ticket("m3", lucky), "amount": "10000", "method": "cash", "reference": "sheet 1"},
            {
                "ticket_id": w.ticket("a3", auction),
                "amount": "25000",
                "method": "bank",
                "reference": "NEFT 7",
            },
        ]
        record_offline_payments(s, actor=boss, rows=rows)

    step("month marked paid", L)(lambda: paid_up(1))

    @step("UPI claim submitted", A)
    @in_tx
    def upi_claim(s: Session) -> None:
        w.ids["upi"] = upi.submit_utr(
            s,
            actor=member(s, p["m1"]),
            ticket_id=w.ticket("m1", auction),
            amount="25000",
            utr="100000000001",
        ).id

    @step("UPI claim confirmed", A)
    @in_tx
    def upi_confirmed(s: Session) -> None:
        upi.confirm_upi(s, actor=boss, payment_id=w.ids["upi"])

    @step("second UPI claim submitted", A)
    @in_tx
    def upi_claim_2(s: Session) -> None:
        w.ids["upi2"] = upi.submit_utr(
            s, actor=member(s, p["m2"]), ticket_id=w.ticket("m2", auction), amount="500", utr="100000000002"
        ).id

    @step("UPI claim rejected", A)
    @in_tx
    def upi_rejected(s: Session) -> None:
        upi.reject_upi(s, actor=boss, payment_id=w.ids["upi2"], reason="No such credit in the statement")

    step("online checkout started", A)(lambda: checkout("m2", auction, "700"))

    @step("online payment captured at checkout", A)
    def captured_at_checkout() -> None:
        info = checkout("m2", auction, "25000")
        response = gateway.simulate_checkout(info.order_id, succeed=True)
        with tx() as s:
            w.ids["online"] = online_checkout.confirm_checkout(
                s,
                actor=member(s, p["m2"]),
                gateway=gateway,
                order_id=response["razorpay_order_id"],
                payment_id=response["razorpay_payment_id"],
                signature=response["razorpay_signature"],
            ).id

    @step("online payment captured by webhook", A)
    def captured_by_webhook() -> None:
        info = checkout("a4", auction, "25000")
        gateway.simulate_checkout(info.order_id, succeed=True)
        for body, headers in gateway.events_for_checkout(info.order_id):
            online_webhooks.receive_webhook(
                body=body,
                signature=headers["X-Razorpay-Signature"],
                event_id=headers["X-Razorpay-Event-Id"],
                gateway=gateway,
                tx=tx,
            )

    @step("online payment settled by reconcile", A)
    def settled_by_reconcile() -> None:
        info = checkout("a4", auction, "1500")
        gateway.simulate_checkout(info.order_id, succeed=True)  # the member closed the tab: no callback
        counts = online_reconcile.reconcile(tx=tx, gateway=gateway, min_age=timedelta(0))
        assert counts["captured"] == 1

    @step("online checkout failed", A)
    def checkout_failed() -> None:
        info = checkout("a3", auction, "1000")
        gateway.simulate_checkout(info.order_id, succeed=False, reason="Bank declined")
        with tx() as s:
            online_checkout.checkout_failed(s, actor=member(s, p["a3"]), order_id=info.order_id, reason="x")

    step("cash payment refunded", L)(lambda: refund("cash", "4000", "refund-cash-0001"))
    step("online payment refunded through the gateway", A)(
        lambda: refund("online", "1000", "refund-online-01")
    )
    step("lucky draw held, month 2 opens", L)(lambda: conduct(tx, boss, lucky))

    @step("prize security recorded", L, changes=False)
    @in_tx
    def security(s: Session) -> None:
        payouts.record_security(
            s,
            actor=boss,
            payout_id=lucky_payout(s).id,
            kind="deposit",
            value="60000",
            description="Fixed deposit receipt",
            method="cash",  # a deposit is money received (s.21(1)(e))
            received_on=clock.today_ist().isoformat(),
        )

    @step("prize released, arrears kept", L)
    @in_tx
    def released(s: Session) -> None:
        payouts.release_payout(
            s,
            actor=boss,
            payout_id=lucky_payout(s).id,
            method="bank",
            reference="NEFT123456",
            paid_on=clock.today_ist().isoformat(),
            deduction="10000",
        )

    step("auction opened", A)(lambda: open_bidding(60))

    @step("bids placed", A, changes=False)
    def bids() -> None:
        bid("m1", "10,000")
        bid("a3", "12,000", in_person=True)

    @step("phrase added", A, changes=False)
    def entropy() -> None:
        draw_id = current_draw(tx, auction).id
        with tx() as s:
            add_phrase(s, actor=member(s, p["m2"]), draw_id=draw_id, phrase="monsoon mangoes 42")

    @step("auction closed, month 2 opens", A)
    def auction_closed() -> None:
        draw_id = current_draw(tx, auction).id
        with tx() as s:
            auctions.close_auction(s, actor=boss, draw_id=draw_id)

    @step("month 2 auction opened and bid", A)
    def month_two_auction() -> None:
        open_bidding(1)
        bid("a4", "10,000")

    @step("auction closed by the schedule", A)
    def closed_by_schedule() -> None:
        draw_id = current_draw(tx, auction).id
        with tx() as s:
            later = clock.utcnow() + timedelta(minutes=2)
            assert auction_closer.close_if_due(s, draw_id=draw_id, now=later) == "settled"

    @step("ticket suspended", L, changes=False)
    @in_tx
    def suspended(s: Session) -> None:
        members.set_ticket_status(
            s, actor=boss, ticket_id=w.ticket("m4", lucky), status="suspended", reason="Moved away"
        )

    @step("ticket reactivated", L, changes=False)
    @in_tx
    def reactivated(s: Session) -> None:
        members.set_ticket_status(s, actor=boss, ticket_id=w.ticket("m4", lucky), status="active")

    @step("member added to a forming group", F)
    @in_tx
    def added(s: Session) -> None:
        members.add_member(s, actor=boss, group_id=forming, name="Member 1", mobile=mobile_of(s, p["m1"]))

    @step("join request sent", F, changes=False)
    @in_tx
    def join_request(s: Session) -> None:
        code = s.get(ChitGroup, forming).invite_code
        w.ids["join"] = members.request_to_join(s, actor=member(s, p["m3"]), code=code, message="Add me").id

    @step("join request approved", F)
    @in_tx
    def approved(s: Session) -> None:
        members.decide_join_request(s, actor=boss, request_id=w.ids["join"], approve=True)

    @step("members imported from CSV", F)
    @in_tx
    def imported(s: Session) -> None:
        sheet = f"name,mobile\nMember 4,{mobile_of(s, p['m4'])}\nNobody,12345\n"
        results = reports.import_members_csv(s, actor=boss, group_id=forming, text=sheet)
        assert [bool(r["ok"]) for r in results] == [True, False]

    @step("member removed from the forming group", F)
    @in_tx
    def removed(s: Session) -> None:
        ticket_id = ticket_in(s, "m1", forming)
        members.set_ticket_status(s, actor=boss, ticket_id=ticket_id, status="removed", reason="Changed mind")

    @step("running group renamed", L)
    @in_tx
    def renamed(s: Session) -> None:
        form = group_form(**{**LUCKY, "name": "Lucky Circle 2026"})
        update_group(s, actor=boss, group_id=lucky, form=form)

    @step("foreman renamed", L | A | F)
    @in_tx
    def foreman_renamed(s: Session) -> None:
        # No service renames a user yet; the users trigger covers whichever one will.
        s.get(User, boss.user_id).name = "Ramesh K. Kumar"

    @step("member switches to Hindi", frozenset(), users=frozenset({p["m2"]}))
    @in_tx
    def hindi(s: Session) -> None:
        profile.set_language(s, actor=member(s, p["m2"]), language="hi")

    step("the IST date moves on", None)(days.next_day)
    step("payment on the new day", L)(lambda: pay(tx, boss, w.ticket("m3", lucky), 500 * RUPEE))
    for month in (2, 3):
        step(f"month {month} marked paid", L)(lambda month=month: paid_up(month))
        step(f"lucky draw of month {month}", L)(lambda: conduct(tx, boss, lucky))
    step("month 4 marked paid", L)(lambda: paid_up(4))
    step("last month settled, group completed", L)(lambda: conduct(tx, boss, lucky))
    return steps


def test_equal_key_means_equal_page_over_every_write_path(tx, engine, monkeypatch):
    """After each write, every page read under a key seen before must be the page read then (so a
    page whose data changed has a new key); members with no ticket in the written groups keep their
    keys (so keys do not simply move on every write); and the writes really do change pages."""
    days = ShiftedClock(monkeypatch)
    # The QR code is a pure function of the UPI link and a third of the page time: drawn once per link.
    monkeypatch.setattr(upi, "qr_data_uri", functools.cache(upi.qr_data_uri))
    w = build_world(tx)
    steps = write_paths(tx, w, TestGateway(engine), days)
    people = list(w.people.values())
    problems: list[str] = []
    shown: dict[str, tuple[str, Any]] = {}  # every key read so far: (after which step, its page)

    def same_key_same_page(when: str, seen: dict[int, Seen]) -> None:
        for uid, member_seen in seen.items():
            for page, (key, data) in member_seen.pages.items():
                first, earlier = shown.setdefault(key, (when, data))
                if earlier != data:
                    problems.append(
                        f"{when}: {w.name(uid)}'s {page} page is not the one read {first}; key {key}"
                    )

    read: set[str] = set()
    with recorded_sql(engine) as sql:
        before = snapshot(tx, people)
    read |= tables_read(sql)
    same_key_same_page("at the start", before)
    changed_steps = 0
    outsider_untouched = 0
    for step in steps:
        step.run()
        with recorded_sql(engine) as sql:
            after = snapshot(tx, people)
        read |= tables_read(sql)
        same_key_same_page(f"after {step.name!r}", after)
        changed = False
        for uid in people:
            old, new = before[uid], after[uid]
            common = old.pages.keys() & new.pages.keys()
            changed = changed or any(old.pages[pg][1] != new.pages[pg][1] for pg in common)
            bystander = (
                step.groups is not None
                and not (old.groups | new.groups) & step.groups
                and uid not in step.users
            )
            if bystander:
                moved = sorted(pg for pg in common if old.pages[pg][0] != new.pages[pg][0])
                if moved:
                    problems.append(
                        f"{step.name}: {w.name(uid)} holds no ticket there, yet keys moved: {moved}"
                    )
                outsider_untouched += uid == w.people["outsider"]
        if step.changes and not changed:
            problems.append(f"{step.name}: no member page changed, so this step checked nothing")
        changed_steps += changed
        before = after
    assert not problems, "\n".join(problems)
    assert changed_steps >= len(steps) * 3 // 4  # the steps are real writes, not no-ops
    assert outsider_untouched == sum(step.groups is not None for step in steps)
    assert read <= ALLOWED_READS, sorted(read - ALLOWED_READS)


# --------------------------------------------------------------------------------------------------
# The pages read only tables with triggers; the triggers are there on both databases
# --------------------------------------------------------------------------------------------------


def test_member_pages_read_only_versioned_tables(tx, engine, monkeypatch):
    """With paid and unpaid dues, late fees, a completed draw with its prize released, an open
    draw, a pending UPI claim and a refund on the book, the three pages (and the key) read nothing a
    trigger does not watch: a table read without one could change the page under a steady key."""
    ShiftedClock(monkeypatch)
    boss = foreman(tx)
    group_id, tickets = active_group(
        tx, boss, tickets=3, upi_vpa=VPA, late_fee_mode="flat", late_fee_flat="100", grace_days="3"
    )
    with tx() as s:
        payment_batch.mark_all_paid(s, actor=boss, group_id=group_id, month=1)
    draw = conduct(tx, boss, group_id)
    winner = draw.winner_ticket_id
    with tx() as s:
        payout = s.exec(select(Payout).where(Payout.draw_id == draw.id)).one()
        payouts.record_security(
            s,
            actor=boss,
            payout_id=payout.id,
            kind="deposit",
            value="40000",
            description="Fixed deposit receipt",
            method="cash",  # a deposit is money received (s.21(1)(e))
            received_on=clock.today_ist().isoformat(),
        )
    with tx() as s:
        payouts.release_payout(
            s,
            actor=boss,
            payout_id=payout.id,
            method="cash",
            reference="",
            paid_on=clock.today_ist().isoformat(),
            deduction="10000",
        )
    other = next(t for t in tickets if t != winner)
    cash = pay(tx, boss, other, 3_000 * RUPEE)  # part of month 2: dues left unpaid, a late fee
    with tx() as s:
        refunds.create_refund(
            s,
            actor=boss,
            payment_id=cash.id,
            amount="1000",
            reason="Overpaid",
            idempotency_key="refund-000001",
        )
    with tx() as s:
        holder = s.get(Ticket, other).member_id
    with tx() as s:
        upi.submit_utr(s, actor=member(s, holder), ticket_id=other, amount="500", utr="200000000001")
    with tx() as s:
        readers = [s.get(Ticket, t).member_id for t in tickets]
    with recorded_sql(engine) as sql:
        pages = snapshot(tx, readers)
    assert any(seen.pages["home"][1]["has_due"] for seen in pages.values())  # real data on the pages
    assert any(seen.pages["draws"][1][0]["past"] for seen in pages.values())
    assert any(seen.pages["draws"][1][0]["has_current"] for seen in pages.values())
    read = tables_read(sql)
    assert read <= ALLOWED_READS, f"pages read tables no trigger watches: {sorted(read - ALLOWED_READS)}"
    # The reads reach the books, so the check above looked at real page queries.
    assert {
        "data_versions",
        "tickets",
        "chit_groups",
        "installments",
        "payments",
        "draws",
        "postings",
    } <= read


def _triggers(engine: Engine, backend: str) -> dict[str, set[str]]:
    """Per table, the writes ("insert", "update", "delete") that fire a data_versions trigger."""
    found: dict[str, set[str]] = {}
    with engine.connect() as conn:
        if backend == "sqlite":
            rows = conn.execute(
                text(
                    "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'trg_dv_%'"
                )
            ).all()
            names = {"ins": "insert", "upd": "update", "del": "delete"}
            for name, table in rows:
                found.setdefault(table, set()).add(names[name.rsplit("_", 1)[1]])
        else:
            rows = conn.execute(
                text(
                    "SELECT c.relname, t.tgtype FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE t.tgname = 'trg_data_versions' AND NOT t.tgisinternal"
                )
            ).all()
            for table, tgtype in rows:
                assert tgtype & 1, f"{table}: the trigger must fire for each row"
                bits = {4: "insert", 8: "delete", 16: "update"}
                found[table] = {kind for bit, kind in bits.items() if tgtype & bit}
    return found


def test_every_versioned_table_has_its_triggers(engine, backend):
    """VERSIONED_TABLES (what the pages may read) and migration 0007 (what moves the counters)
    cannot drift apart: each listed table, and no other, carries the triggers, on both databases."""
    every_write = {"insert", "update", "delete"}
    expected = {table: every_write for table in VERSIONED_TABLES}
    expected["users"] = {"update"}  # a user's name and language; new users hold no tickets yet
    assert _triggers(engine, backend) == expected
    if backend == "postgres":  # there the counters move at commit, by a deferred trigger per table
        with engine.connect() as conn:
            flushed = conn.execute(
                text(
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE t.tgname = 'trg_data_versions_flush' AND t.tgdeferrable AND t.tginitdeferred"
                )
            ).scalars()
            assert set(flushed) == set(VERSIONED_TABLES)


# --------------------------------------------------------------------------------------------------
# Each trigger moves the counters of the rows it writes, and only those
# --------------------------------------------------------------------------------------------------

# For each table: a row of group :g, then the counters a write to it moves ('g' and the group's id,
# 't' and a ticket's, 'u' and a user's): the group for what the group, its draws and its prizes
# say; the ticket for its dues, payments and statement (migration 0021); the member for their own.
ROW_OF_GROUP = {
    "chit_groups": "SELECT id, 'g' || id FROM chit_groups WHERE id = :g",
    "tickets": "SELECT id, 'g' || group_id, 'u' || member_id FROM tickets WHERE group_id = :g",
    "installments": "SELECT id, 't' || ticket_id FROM installments WHERE group_id = :g",
    "payments": "SELECT id, 't' || ticket_id FROM payments WHERE group_id = :g",
    "payment_allocations": (
        "SELECT a.id, 't' || i.ticket_id FROM payment_allocations a "
        "JOIN installments i ON i.id = a.installment_id WHERE i.group_id = :g"
    ),
    "refunds": (
        "SELECT r.id, 't' || p.ticket_id FROM refunds r JOIN payments p ON p.id = r.payment_id "
        "WHERE p.group_id = :g"
    ),
    "draws": "SELECT id, 'g' || group_id FROM draws WHERE group_id = :g",
    "payouts": "SELECT id, 'g' || group_id FROM payouts WHERE group_id = :g",
    "prize_securities": (
        "SELECT s.id, 'g' || o.group_id FROM prize_securities s JOIN payouts o ON o.id = s.payout_id "
        "WHERE o.group_id = :g"
    ),
    "journal_entries": (  # a payment's entry: its one ticket posting
        "SELECT e.id, 't' || p.ticket_id FROM journal_entries e JOIN postings p ON p.entry_id = e.id "
        "WHERE e.group_id = :g AND e.kind = 'payment' AND p.ticket_id IS NOT NULL"
    ),
    "postings": "SELECT id, 't' || ticket_id FROM postings WHERE group_id = :g AND ticket_id IS NOT NULL",
    "subscriber_refunds": (
        "SELECT id, 't' || ticket_id, 'u' || member_id FROM subscriber_refunds WHERE group_id = :g"
    ),
    "ticket_transfers": (
        "SELECT x.id, 'g' || t.group_id, 'u' || x.from_member_id, 'u' || x.to_member_id "
        "FROM ticket_transfers x JOIN tickets t ON t.id = x.ticket_id WHERE t.group_id = :g"
    ),
}
"""A query per versioned table: one of its rows in group :g, then the counters a write to it moves."""


def _counters(tx: Tx) -> dict[tuple[str, int], int]:
    with tx() as s:
        return {
            (k, i): v for k, i, v in s.execute(text("SELECT kind, key_id, version FROM data_versions")).all()
        }


def test_each_trigger_moves_its_own_counters_and_no_one_elses(tx):
    """A write to any versioned table, alone in its transaction, moves the counters of the group or
    the ticket the row belongs to (and of its member, where it names one), and no other. The write
    paths above always write several tables at once, so this is what catches a single trigger gone
    missing or moving too much (a payment moving its whole group's pages, as before 0021)."""
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    with tx() as s:
        payment_batch.mark_all_paid(s, actor=boss, group_id=group_id, month=1)
    draw = conduct(tx, boss, group_id)
    with tx() as s:
        payout = s.exec(select(Payout).where(Payout.draw_id == draw.id)).one()
        payouts.record_security(
            s,
            actor=boss,
            payout_id=payout.id,
            kind="deposit",
            value="40000",
            description="Fixed deposit receipt",
            method="cash",  # a deposit is money received (s.21(1)(e))
            received_on=clock.today_ist().isoformat(),
        )
    cash = pay(tx, boss, tickets[0], 1_000 * RUPEE)
    with tx() as s:
        refunds.create_refund(
            s,
            actor=boss,
            payment_id=cash.id,
            amount="100",
            reason="Overpaid",
            idempotency_key="refund-000001",
        )
        member_id = s.get(Ticket, tickets[1]).member_id
        leaving, passing = [t for t in tickets if s.get(Ticket, t).prized_month is None][:2]
    with tx() as s:  # a subscriber_refunds row (issue 15)
        substitution.remove_and_substitute(
            s,
            actor=boss,
            ticket_id=leaving,
            mode="exit",
            substitute="new",
            name="Sita Nair",
            mobile=new_mobile(),
        )
    with tx() as s:  # a ticket_transfers row
        transfers.transfer_ticket(
            s, actor=boss, ticket_id=passing, reason="Gift to a daughter", name="Uma Rao", mobile=new_mobile()
        )
    active_group(tx, foreman(tx, "Suresh Patel"), tickets=3)  # whose counters must stay put
    assert set(ROW_OF_GROUP) == VERSIONED_TABLES - {"users"}

    def moved(write: str, params: dict[str, object]) -> set[tuple[str, int]]:
        start = _counters(tx)
        with tx() as s:
            s.execute(text(write), params)
        end = _counters(tx)
        return {k for k in end if end[k] != start.get(k)}

    group = ("g", group_id)
    for table, query in ROW_OF_GROUP.items():
        with tx() as s:
            row_id, *counters = s.execute(text(query), {"g": group_id}).first()
        seen = moved(f"UPDATE {table} SET id = id WHERE id = :id", {"id": row_id})
        assert seen == {(c[0], int(c[1:])) for c in counters}, (table, seen)
    with tx() as s:
        security_id = s.execute(text("SELECT id FROM prize_securities")).scalar_one()
    assert moved("DELETE FROM prize_securities WHERE id = :id", {"id": security_id}) == {group}
    # The foreman's name is the UPI payee on their members' pages; a member's language is in the key
    # itself. Other columns of a user show on no member page.
    seen = moved("UPDATE users SET name = 'R. Kumar' WHERE id = :id", {"id": boss.user_id})
    assert group in seen and seen <= {group, ("u", boss.user_id)}, seen
    assert moved("UPDATE users SET language = 'hi' WHERE id = :id", {"id": member_id}) <= {("u", member_id)}
    assert moved("UPDATE users SET notify_sms = true WHERE id = :id", {"id": member_id}) == set()


def test_a_page_load_reads_the_same_key_with_its_session_check(tx):
    """A page load reads the member's counters in the session check's own statement
    (`SESSION_WITH_COUNTERS`, one round trip); the key it makes is the key `member_page_key` reads
    on its own, which the tests above hold to equal pages: for a member of two groups, for one who
    transferred a ticket away (its group stays in the key), and for a user who holds no ticket."""
    w = build_world(tx)
    with tx() as s:
        transfers.transfer_ticket(
            s,
            actor=w.boss,
            ticket_id=w.ticket("m2", w.lucky),
            reason="Gift",
            name="Ravi Rao",
            mobile=new_mobile(),
        )
    expected = {"m1": {w.lucky, w.auction}, "m2": {w.lucky, w.auction}, "a3": {w.auction}, "boss": set()}
    for person, groups in expected.items():
        user_id = w.boss.user_id if person == "boss" else w.people[person]
        with tx() as s:
            token = auth.open_session(s, s.get(User, user_id))
        with tx() as s:
            checked = auth.session_for_token(s, token, SESSION_WITH_COUNTERS)
            assert checked is not None
            (actor, _), (counters,) = checked
            assert page_key(actor, "home", counters) == member_page_key(s, actor, "home"), person
            items = counters.split(",") if counters else []
            assert {int(i[1:].split(":")[0]) for i in items if i[0] == "g"} == groups, person
            assert items == sorted(items, key=lambda i: (i[0], int(i[1:].split(":")[0]))), person


def test_a_payment_moves_its_members_pages_and_not_the_rest_of_the_group(tx):
    """On a collection day each payment sends only its own member back to the books (migration
    0021); a draw, which every member's pages show, still sends the whole group."""
    boss = foreman(tx)
    group_id, (mine, theirs, *_rest) = active_group(tx, boss, tickets=3)
    payer, other = member_actor(tx, mine), member_actor(tx, theirs)

    def keys(actor: Actor) -> list[str]:
        with tx() as s:
            return [member_page_key(s, actor, page) for page in ("home", "passbook", "draws")]

    before = {payer: keys(payer), other: keys(other)}
    pay(tx, boss, mine, 1_000 * RUPEE)
    assert all(a != b for a, b in zip(keys(payer), before[payer], strict=True))
    assert keys(other) == before[other]
    with tx() as s:
        payment_batch.mark_all_paid(s, actor=boss, group_id=group_id, month=1)
    before = keys(other)
    conduct(tx, boss, group_id)
    assert all(a != b for a, b in zip(keys(other), before, strict=True))
