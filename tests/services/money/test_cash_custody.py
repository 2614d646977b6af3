"""Cash in staff hands and its hand-over (issue 23): custody from the books, denominations counted by
the receiver, only counted money moving, one confirmation, and nobody else touching it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from sqlalchemy import func
from sqlmodel import select

from luckychit_app.domain import ledger as books
from luckychit_app.models import (
    AuditLog,
    CashHandover,
    JournalEntry,
    PostingRow,
    StaffMember,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import cash_custody as cc
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.services.money.passbook import cash_position
from tests.services.helpers import Tx, active_group, branch, foreman, member_actor, race, snapshot, staff
from tests.services.helpers import staff_cash as collect  # the name test_cash_book imports too

RUPEE = 100
_keys = itertools.count(1)


def key() -> str:
    return f"handover-test-{next(_keys):06d}"


@dataclass
class Desk:
    boss: Actor
    g1: int
    g2: int
    t1: list[int]
    t2: list[int]
    agent: Actor
    clerk: Actor
    manager: Actor


def setup_branch(tx: Tx) -> Desk:
    boss = foreman(tx)
    g1, t1 = active_group(tx, boss, tickets=3)
    g2, t2 = active_group(tx, boss, tickets=3, name="Second Group")
    return Desk(
        boss,
        g1,
        g2,
        t1,
        t2,
        staff(tx, boss, "agent", name="Anil Agent"),
        staff(tx, boss, "clerk", name="Chitra Clerk"),
        staff(tx, boss, "branch_manager", name="Mohan Manager"),
    )


def start(tx: Tx, giver: Actor, to: Actor, counts: dict, idem: str | None = None) -> CashHandover:
    with tx() as s:
        return cc.start_handover(
            s, actor=giver, to_user_id=to.user_id, denominations=counts, idempotency_key=idem or key()
        )


def confirm(tx: Tx, who: Actor, handover_id: int, counts: dict) -> CashHandover:
    with tx() as s:
        return cc.confirm_handover(s, actor=who, handover_id=handover_id, counted_denominations=counts)


def in_hand(tx: Tx, who: Actor) -> int:
    with tx() as s:
        return cc.cash_in_hand(s, actor=who)["total"]


def cash_of(tx: Tx, group_id: int) -> int:
    with tx() as s:
        return balance(s, books.cash(group_id))


def books_sound(tx: Tx) -> None:
    """ledger-check, no custody account below zero, and an intact audit chain."""
    with tx() as s:
        assert ledger_check(s) == []
        negative = s.exec(
            select(PostingRow.account)
            .where(PostingRow.account.like(books.cash_with_like(), escape="\\"))
            .group_by(PostingRow.account)
            .having(func.sum(PostingRow.amount) < 0)
        ).all()
        assert negative == []
        assert audit.verify_chain(s).ok


def test_agent_to_clerk_to_manager_moves_cash_into_the_groups_books(tx):
    b = setup_branch(tx)
    till_before = (cash_of(tx, b.g1), cash_of(tx, b.g2))
    collect(tx, b.agent, b.t1[0], 3_000 * RUPEE)
    collect(tx, b.agent, b.t2[0], 1_200 * RUPEE)

    with tx() as s:
        mine = cc.cash_in_hand(s, actor=b.agent)
        assert cash_position(s, actor=b.boss, group_id=b.g1)["with_staff"] == "₹3,000"
        names = [r["name"] for r in cc.receivers_for(s, actor=b.agent)]
        holders = cc.holders(s, actor=b.manager, branch_id=b.agent.branch_id)
    assert mine["total"] == 4_200 * RUPEE and mine["total_text"] == "₹4,200"
    assert [(g["group_id"], g["amount"]) for g in mine["groups"]] == [
        (b.g1, 3_000 * RUPEE),
        (b.g2, 1_200 * RUPEE),
    ]
    assert mine["pending"] is None
    assert names == ["Chitra Clerk", "Mohan Manager", b.boss.name]
    assert [(h["name"], h["total"]) for h in holders] == [("Anil Agent", 4_200 * RUPEE)]

    # Agent -> clerk: 8 × ₹500 + 1 × ₹200 = ₹4,200, counted the same.
    handover = start(tx, b.agent, b.clerk, {"500": "8", "200": 1, "100": ""})
    assert (handover.declared, handover.held, handover.status) == (4_200 * RUPEE, 4_200 * RUPEE, "pending")
    assert handover.denominations == '{"500": 8, "200": 1}'
    with tx() as s:
        assert cc.cash_in_hand(s, actor=b.agent)["pending"]["id"] == handover.id
        assert [p["id"] for p in cc.pending_for_me(s, actor=b.clerk)] == [handover.id]
        assert cc.pending_for_me(s, actor=b.manager) == []
    done = confirm(tx, b.clerk, handover.id, {"500": 8, "200": 1})
    assert (done.status, done.counted, done.held, done.note) == (
        "confirmed",
        4_200 * RUPEE,
        4_200 * RUPEE,
        "",
    )
    assert in_hand(tx, b.agent) == 0 and in_hand(tx, b.clerk) == 4_200 * RUPEE
    assert (cash_of(tx, b.g1), cash_of(tx, b.g2)) == till_before  # still in the clerk's hands

    # Clerk -> manager: into the till.
    with tx() as s:
        assert [r["role"] for r in cc.receivers_for(s, actor=b.clerk)] == ["branch_manager", "owner"]
        assert [r["role"] for r in cc.receivers_for(s, actor=b.manager)] == ["owner"]
    second = start(tx, b.clerk, b.manager, {"2000": 2, "200": 1})
    confirm(tx, b.manager, second.id, {"2000": 2, "200": 1})
    assert in_hand(tx, b.clerk) == 0
    assert cash_of(tx, b.g1) == till_before[0] + 3_000 * RUPEE
    assert cash_of(tx, b.g2) == till_before[1] + 1_200 * RUPEE
    with tx() as s:
        keys = sorted(s.exec(select(JournalEntry.key).where(JournalEntry.kind == "handover")).all())
        assert keys == sorted(f"handover:{h}:{g}" for h in (handover.id, second.id) for g in (b.g1, b.g2))
        assert cc.holders(s, actor=b.boss, branch_id=b.agent.branch_id) == []
        assert cash_position(s, actor=b.boss, group_id=b.g1)["with_staff"] == "₹0"
        actions = s.exec(
            select(AuditLog.action).where(AuditLog.action.like("cash.%")).order_by(AuditLog.id)
        ).all()
        assert actions == ["cash.handover_started", "cash.handover_confirmed"] * 2
    books_sound(tx)


def test_short_count_leaves_the_shortfall_with_the_giver(tx):
    b = setup_branch(tx)
    collect(tx, b.agent, b.t1[0], 1_000 * RUPEE)
    collect(tx, b.agent, b.t2[0], 500 * RUPEE)
    handover = start(tx, b.agent, b.manager, {"500": 3})
    done = confirm(tx, b.manager, handover.id, {"500": 2, "100": 3})  # ₹1,300 of ₹1,500
    assert done.counted - done.held == -200 * RUPEE
    assert done.note.startswith("Short by ₹200")
    assert in_hand(tx, b.agent) == 200 * RUPEE
    with tx() as s:
        left = cc.cash_in_hand(s, actor=b.agent)["groups"]
        # Oldest group first: group 1's ₹1,000 moved in full, ₹300 of group 2's ₹500.
        assert [(g["group_id"], g["amount"]) for g in left] == [(b.g2, 200 * RUPEE)]
        detail = s.exec(select(AuditLog.detail).where(AuditLog.action == "cash.handover_confirmed")).one()
    assert (
        '"difference": -20000' in detail and '"declared": 150000' in detail and '"counted": 130000' in detail
    )
    books_sound(tx)


def test_excess_is_flagged_and_nothing_beyond_held_is_booked(tx):
    b = setup_branch(tx)
    before = cash_of(tx, b.g1)
    collect(tx, b.agent, b.t1[0], 1_000 * RUPEE)
    handover = start(tx, b.agent, b.boss, {"500": 2})
    done = confirm(tx, b.boss, handover.id, {"500": 2, "100": 1})
    assert (done.counted, done.held, done.counted - done.held) == (1_100 * RUPEE, 1_000 * RUPEE, 100 * RUPEE)
    assert "Excess of ₹100" in done.note
    assert cash_of(tx, b.g1) == before + 1_000 * RUPEE and in_hand(tx, b.agent) == 0
    books_sound(tx)


def test_confirming_twice_posts_once(tx):
    b = setup_branch(tx)
    collect(tx, b.agent, b.t1[0], 500 * RUPEE)
    handover = start(tx, b.agent, b.clerk, {"500": 1})
    confirm(tx, b.clerk, handover.id, {"500": 1})
    for who in (b.clerk, b.boss):
        with pytest.raises(ServiceError, match="already been confirmed"):
            confirm(tx, who, handover.id, {"500": 1})
    with tx() as s:
        assert (
            s.exec(
                select(func.count()).select_from(JournalEntry).where(JournalEntry.kind == "handover")
            ).one()
            == 1
        )
    assert in_hand(tx, b.clerk) == 500 * RUPEE
    books_sound(tx)


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_racing_confirmations_post_once(tx, engine):
    b = setup_branch(tx)
    collect(tx, b.agent, b.t1[0], 700 * RUPEE)
    collect(tx, b.agent, b.t2[0], 300 * RUPEE)
    handover = start(tx, b.agent, b.manager, {"500": 2})

    def by(who: Actor):
        return lambda s: cc.confirm_handover(
            s, actor=who, handover_id=handover.id, counted_denominations={"500": 2}
        )

    results = race(engine, [by(b.manager), by(b.boss), by(b.manager)])
    won = [r for r in results if isinstance(r, CashHandover)]
    lost = [r for r in results if not isinstance(r, CashHandover)]
    assert len(won) == 1 and len(lost) == 2, results
    assert all(isinstance(r, ServiceError) and "already been confirmed" in r.message for r in lost), lost
    with tx() as s:
        assert (
            s.exec(
                select(func.count()).select_from(JournalEntry).where(JournalEntry.kind == "handover")
            ).one()
            == 2
        )
    assert in_hand(tx, b.agent) == 0
    assert cash_of(tx, b.g1) == 700 * RUPEE and cash_of(tx, b.g2) == 300 * RUPEE
    books_sound(tx)


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_racing_starts_leave_one_pending_hand_over(tx, engine):
    b = setup_branch(tx)
    collect(tx, b.agent, b.t1[0], 500 * RUPEE)

    def go(idem: str):
        return lambda s: cc.start_handover(
            s, actor=b.agent, to_user_id=b.clerk.user_id, denominations={"500": 1}, idempotency_key=idem
        )

    same = race(engine, [go("same-key-0001")] * 3)
    assert all(isinstance(r, CashHandover) for r in same), same
    assert len({r.id for r in same}) == 1
    with tx() as s:
        cc.cancel_handover(s, actor=b.agent, handover_id=same[0].id)
    different = race(engine, [go("diff-key-0001"), go("diff-key-0002")])
    made = [r for r in different if isinstance(r, CashHandover)]
    assert len(made) == 1, different
    with tx() as s:
        pending = s.exec(select(CashHandover).where(CashHandover.status == "pending")).all()
        assert [p.id for p in pending] == [made[0].id]


def test_a_retried_start_returns_the_same_hand_over(tx):
    b = setup_branch(tx)
    collect(tx, b.agent, b.t1[0], 500 * RUPEE)
    first = start(tx, b.agent, b.clerk, {"500": 1}, idem="retry-key-0001")
    again = start(tx, b.agent, b.clerk, {"500": 1}, idem="retry-key-0001")
    assert again.id == first.id
    with pytest.raises(ServiceError, match="still waiting to be counted"):
        start(tx, b.agent, b.clerk, {"500": 1})
    with tx() as s:
        assert s.exec(select(func.count()).select_from(CashHandover)).one() == 1


def test_only_the_receiver_or_the_owner_may_confirm_or_reject(tx, engine):
    b = setup_branch(tx)
    north = branch(tx, b.boss, "North branch", "NTH")
    strangers = [
        staff(tx, b.boss, "clerk", name="Other Clerk"),  # same branch, not the named receiver
        staff(tx, b.boss, "branch_manager", branch_id=north),  # another branch's manager
        staff(tx, b.boss, "accountant"),  # company-wide, but receives no cash
        b.agent,  # the giver
        foreman(tx, name="Other Owner"),  # another company
        member_actor(tx, b.t1[1]),
        Actor(b.clerk.user_id, "member"),  # the receiver's id with another role
    ]
    collect(tx, b.agent, b.t1[0], 500 * RUPEE)
    handover = start(tx, b.agent, b.clerk, {"500": 1})
    before = snapshot(engine)
    for who in strangers:
        with pytest.raises(NotAllowed):
            confirm(tx, who, handover.id, {"500": 1})
        with pytest.raises(NotAllowed), tx() as s:
            cc.reject_handover(s, actor=who, handover_id=handover.id, reason="Not mine")
        if who is not b.agent:
            with pytest.raises(NotAllowed), tx() as s:
                cc.cancel_handover(s, actor=who, handover_id=handover.id)
    for forged in ("0", "-1", "x", 10**12, None, True):
        with pytest.raises(ServiceError):
            confirm(tx, b.clerk, forged, {"500": 1})
    assert snapshot(engine) == before

    # The owner may count a hand-over meant for a clerk: the owner then holds it, in the till.
    done = confirm(tx, b.boss, handover.id, {"500": 1})
    assert "Counted by the owner." in done.note
    assert cash_of(tx, b.g1) == 500 * RUPEE and in_hand(tx, b.clerk) == 0
    books_sound(tx)


def test_outsiders_see_no_holders_and_hand_to_no_one_outside(tx, engine):
    b = setup_branch(tx)
    north = branch(tx, b.boss, "North branch", "NTH")
    north_manager = staff(tx, b.boss, "branch_manager", branch_id=north)
    stopped = staff(tx, b.boss, "clerk", name="Stopped Clerk")
    with tx() as s:
        row = s.exec(select(StaffMember).where(StaffMember.user_id == stopped.user_id)).one()
        row.active = False
        s.add(row)
    collect(tx, b.agent, b.t1[0], 500 * RUPEE)
    with tx() as s:
        assert [r["user_id"] for r in cc.receivers_for(s, actor=b.agent)] == [
            b.clerk.user_id,
            b.manager.user_id,
            b.boss.user_id,
        ]
        assert cc.receivers_for(s, actor=b.boss) == []
        assert cc.cash_in_hand(s, actor=b.boss)["total"] == 0
    other_owner, third_owner, member = foreman(tx, name="Other Owner"), foreman(tx), member_actor(tx, b.t1[1])
    before = snapshot(engine)
    for to in (north_manager, stopped, other_owner, b.agent):
        with pytest.raises(ServiceError, match="Choose who"):
            start(tx, b.agent, to, {"500": 1})
    for who in (b.agent, north_manager, member, third_owner):
        with pytest.raises(NotAllowed), tx() as s:
            cc.holders(s, actor=who, branch_id=b.agent.branch_id)
    with pytest.raises(NotAllowed), tx() as s:
        cc.cash_in_hand(s, actor=member)
    with pytest.raises(NotAllowed), tx() as s:  # the owner holds nothing to hand over
        cc.start_handover(
            s, actor=b.boss, to_user_id=b.manager.user_id, denominations={"1": 1}, idempotency_key=key()
        )
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"3": 1}, "₹3 is not a note or coin"),
        ({"2500": 1}, "₹2500 is not a note or coin"),
        ({"500": -1}, "₹500 notes or coins cannot be negative"),
        ({"500": "-1"}, "₹500 notes or coins must be a whole number"),
        ({"500": "1.5"}, "must be a whole number"),
        ({"500": True}, "must be a whole number"),
        ({"500": 1.0}, "must be a whole number"),
        ({"500": 10**6}, "between 0 and 100,000"),
        ({"500": 0, "100": ""}, "Enter the notes and coins"),
        ({}, "Enter the notes and coins"),
        (["500"], "how many of each note"),
        ("500", "how many of each note"),
        (None, "how many of each note"),
    ],
)
def test_bad_denominations_are_refused_with_a_clear_message(tx, engine, counts, message):
    b = setup_branch(tx)
    collect(tx, b.agent, b.t1[0], 500 * RUPEE)
    before = snapshot(engine)
    with pytest.raises(ServiceError) as err:
        start(tx, b.agent, b.clerk, counts)
    assert message in err.value.message
    assert snapshot(engine) == before


def test_bad_counts_on_confirmation_change_nothing(tx, engine):
    b = setup_branch(tx)
    collect(tx, b.agent, b.t1[0], 500 * RUPEE)
    handover = start(tx, b.agent, b.clerk, {"500": 1})
    before = snapshot(engine)
    for counts in ({"500": -1}, {"7": 1}, {}, {"500": "abc"}):
        with pytest.raises(ServiceError) as err:
            confirm(tx, b.clerk, handover.id, counts)
        assert err.value.field.startswith("count")
    with pytest.raises(ServiceError), tx() as s:
        cc.start_handover(
            s, actor=b.agent, to_user_id=b.clerk.user_id, denominations={"500": 1}, idempotency_key="short"
        )
    assert snapshot(engine) == before


def test_nothing_to_hand_over_is_refused(tx, engine):
    b = setup_branch(tx)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="hold no cash"):
        start(tx, b.agent, b.clerk, {"500": 1})
    assert snapshot(engine) == before


def test_reject_and_cancel_move_nothing(tx):
    b = setup_branch(tx)
    collect(tx, b.agent, b.t1[0], 500 * RUPEE)
    handover = start(tx, b.agent, b.clerk, {"500": 1})
    with pytest.raises(ServiceError, match="Reason"), tx() as s:
        cc.reject_handover(s, actor=b.clerk, handover_id=handover.id, reason=" ")
    with tx() as s:
        rejected = cc.reject_handover(s, actor=b.clerk, handover_id=handover.id, reason="Bag has ₹400")
    assert (rejected.status, rejected.note) == ("rejected", "Rejected: Bag has ₹400")
    with pytest.raises(ServiceError, match="already been rejected"):
        confirm(tx, b.clerk, handover.id, {"500": 1})
    again = start(tx, b.agent, b.clerk, {"500": 1})
    with tx() as s:
        cancelled = cc.cancel_handover(s, actor=b.agent, handover_id=again.id)
    assert (cancelled.status, cancelled.note) == ("rejected", "cancelled")
    with pytest.raises(ServiceError, match="already been cancelled"):
        confirm(tx, b.clerk, again.id, {"500": 1})
    assert in_hand(tx, b.agent) == 500 * RUPEE
    with tx() as s:
        assert (
            s.exec(
                select(func.count()).select_from(JournalEntry).where(JournalEntry.kind == "handover")
            ).one()
            == 0
        )
        actions = s.exec(
            select(AuditLog.action).where(AuditLog.action.like("cash.%")).order_by(AuditLog.id)
        ).all()
    assert actions == [
        "cash.handover_started",
        "cash.handover_rejected",
        "cash.handover_started",
        "cash.handover_cancelled",
    ]
    books_sound(tx)


def test_pending_lists_belong_to_their_receiver(tx):
    b = setup_branch(tx)
    other_agent = staff(tx, b.boss, "agent", name="Babu Agent")
    collect(tx, b.agent, b.t1[0], 500 * RUPEE)
    collect(tx, other_agent, b.t1[1], 200 * RUPEE)
    first = start(tx, b.agent, b.clerk, {"500": 1})
    second = start(tx, other_agent, b.clerk, {"200": 1})
    with tx() as s:
        waiting = cc.pending_for_me(s, actor=b.clerk)
        assert [(w["id"], w["from_name"], w["breakdown"]) for w in waiting] == [
            (first.id, "Anil Agent", "1 × ₹500"),
            (second.id, "Babu Agent", "1 × ₹200"),
        ]
        assert cc.pending_for_me(s, actor=b.boss) == []
        assert cc.pending_for_me(s, actor=b.agent) == []
