"""A branch's day cash book (issue 23): per holder opening + collected + received - handed over =
closing, the day's cash receipts and hand-overs, and the flags a manager must clear."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.models import JournalEntry
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import cash_custody as cc
from luckychit_app.services.reporting import cash_book
from tests.services.helpers import branch, foreman, member_actor, snapshot, staff
from tests.services.money.test_cash_custody import RUPEE, collect, confirm, setup_branch, start


def book(tx, who, branch_id, day=None):
    with tx() as s:
        return cash_book.day_cash_book(s, actor=who, branch_id=branch_id, day=day)


def balanced(result: dict) -> None:
    """Each holder's day adds up, and the totals row is the sum of the holders."""
    for row in result["holders"]:
        assert (
            row["opening"] + row["collected"] + row["received"] - row["handed_over"] + row["adjusted"]
            == row["closing"]
        ), row
    for column in cash_book.HOLDER_COLUMNS:
        assert result["totals"][column] == sum(r[column] for r in result["holders"])


def test_the_day_adds_up_per_holder_and_flags_what_is_left(tx):
    b = setup_branch(tx)
    here = b.agent.branch_id
    yesterday_payment = collect(tx, b.agent, b.t1[0], 1_000 * RUPEE)
    # That payment was recorded yesterday (IST): it is the agent's opening cash today.
    with tx() as s:
        entry = s.exec(select(JournalEntry).where(JournalEntry.key == f"payment:{yesterday_payment}")).one()
        entry.created_at -= timedelta(days=1)
        s.add(entry)
    collect(tx, b.agent, b.t1[1], 2_000 * RUPEE)
    collect(tx, b.agent, b.t2[0], 500 * RUPEE)
    collect(tx, b.clerk, b.t2[1], 300 * RUPEE)  # the clerk took cash at the counter

    # Agent hands ₹3,500 to the clerk, who counts ₹3,400: ₹100 stays with the agent.
    first = start(tx, b.agent, b.clerk, {"500": 7})
    confirm(tx, b.clerk, first.id, {"500": 6, "200": 2})
    # The clerk hands ₹3,700 to the manager, who counts ₹3,800: ₹100 excess, booked nowhere.
    second = start(tx, b.clerk, b.manager, {"500": 7, "100": 2})
    confirm(tx, b.manager, second.id, {"500": 7, "100": 3})
    # A new agent's hand-over is still waiting at the end of the day.
    late = staff(tx, b.boss, "agent", name="Lata Agent")
    collect(tx, late, b.t1[2], 400 * RUPEE)
    waiting = start(tx, late, b.manager, {"200": 2})

    today = book(tx, b.manager, here)
    balanced(today)
    rows = {r["name"]: r for r in today["holders"]}
    agent, clerk, lata = rows["Anil Agent"], rows["Chitra Clerk"], rows["Lata Agent"]
    assert (agent["opening"], agent["collected"], agent["handed_over"], agent["closing"]) == (
        1_000 * RUPEE,
        2_500 * RUPEE,
        3_400 * RUPEE,
        100 * RUPEE,
    )
    assert (
        clerk["opening"],
        clerk["collected"],
        clerk["received"],
        clerk["handed_over"],
        clerk["closing"],
    ) == (
        0,
        300 * RUPEE,
        3_400 * RUPEE,
        3_700 * RUPEE,
        0,
    )
    assert (lata["collected"], lata["closing"]) == (400 * RUPEE, 400 * RUPEE)
    assert "Mohan Manager" not in rows  # the manager's count went into the till
    with tx() as s:  # the closing column is what each one holds now
        for who in (b.agent, b.clerk, late):
            assert cc.cash_in_hand(s, actor=who)["total"] == rows[who.name]["closing"]

    # Receipts: today's cash only (yesterday's is in the opening), each with who holds the money.
    assert sorted((r["recorded_by"], r["amount"], r["held_by"]) for r in today["receipts"]) == [
        ("Anil Agent", 500 * RUPEE, "Anil Agent"),
        ("Anil Agent", 2_000 * RUPEE, "Anil Agent"),
        ("Chitra Clerk", 300 * RUPEE, "Chitra Clerk"),
        ("Lata Agent", 400 * RUPEE, "Lata Agent"),
    ]
    assert all(r["receipt"].startswith("MAIN/") for r in today["receipts"])
    for row in today["holders"]:
        assert row["collected"] == sum(
            r["amount"] for r in today["receipts"] if r["recorded_by_id"] == row["user_id"]
        )
    assert today["till"]["handed_in"] == 3_700 * RUPEE
    assert today["till"]["closing"] == today["till"]["opening"] + 3_700 * RUPEE  # no other money today

    by_id = {h["id"]: h for h in today["handovers"]}
    assert set(by_id) == {first.id, second.id, waiting.id}
    assert (by_id[first.id]["difference"], by_id[first.id]["difference_text"]) == (-100 * RUPEE, "-₹100")
    assert by_id[second.id]["difference"] == 100 * RUPEE and by_id[waiting.id]["status"] == "pending"
    flags = today["flags"]
    assert any(f"Hand-over {first.id}" in f and "₹100 short" in f for f in flags), flags
    assert any(f"Hand-over {second.id}" in f and "not booked to any group" in f for f in flags), flags
    assert any(f"Hand-over {waiting.id}" in f and "waiting to be counted" in f for f in flags), flags
    assert "Anil Agent still holds ₹100 at the end of the day." in flags
    assert "Lata Agent still holds ₹400 at the end of the day." in flags
    assert not any("Chitra Clerk still holds" in f for f in flags)

    # Yesterday: the ₹1,000 collected, nothing handed over, still held at the end of that day.
    before = book(tx, b.manager, here, (today_ist() - timedelta(days=1)).isoformat())
    balanced(before)
    assert [(r["name"], r["collected"], r["closing"]) for r in before["holders"]] == [
        ("Anil Agent", 1_000 * RUPEE, 1_000 * RUPEE)
    ]
    assert before["handovers"] == [] and len(before["receipts"]) == 1
    assert before["flags"] == ["Anil Agent still holds ₹1,000 at the end of the day."]


def test_who_may_read_the_cash_book(tx, engine):
    b = setup_branch(tx)
    here = b.agent.branch_id
    north = branch(tx, b.boss, "North branch", "NTH")
    accountant = staff(tx, b.boss, "accountant")
    north_clerk = staff(tx, b.boss, "clerk", branch_id=north)
    other_owner = foreman(tx, name="Other Owner")
    collect(tx, b.agent, b.t1[0], 500 * RUPEE)
    member = member_actor(tx, b.t1[1])
    for who in (b.boss, b.manager, b.clerk, accountant):
        assert book(tx, who, here)["totals"]["closing"] == 500 * RUPEE
    before = snapshot(engine)
    for who in (b.agent, north_clerk, other_owner, member):
        with pytest.raises(NotAllowed):
            book(tx, who, here)
    for forged in ("x", None, -1, 10**12):
        with pytest.raises(ServiceError):
            book(tx, b.manager, forged)
    with pytest.raises(ServiceError, match="today or an earlier day"):
        book(tx, b.manager, here, (today_ist() + timedelta(days=1)).isoformat())
    with pytest.raises(ServiceError, match="Day must be a date"):
        book(tx, b.manager, here, "yesterday")
    assert snapshot(engine) == before
    assert book(tx, north_clerk, north)["holders"] == []

    with tx() as s:
        assert [x["name"] for x in cash_book.book_branches(s, actor=b.boss)] == [
            "Main branch",
            "North branch",
        ]
        assert [x["name"] for x in cash_book.book_branches(s, actor=accountant)] == [
            "Main branch",
            "North branch",
        ]
        assert [x["name"] for x in cash_book.book_branches(s, actor=b.clerk)] == ["Main branch"]
        assert cash_book.book_branches(s, actor=b.agent) == []
        assert cash_book.book_branches(s, actor=member) == []
