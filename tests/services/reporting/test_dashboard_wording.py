"""Issue 16 on the foreman's side: counts in words ("1 draw due"), the exact amount beside every
rounded one, bulk actions folded into one line of recent activity, the ledger CSV's accounts by
name, and one receipt number format ("MAIN/000177") on screens, in notifications and in exports."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from luckychit_app.clock import utcnow
from luckychit_app.domain.wording import count_text, plural
from luckychit_app.models import ChitGroup, Notification, Payment, Ticket, User
from luckychit_app.services.money import payment_batch, receipt_numbers, receipts
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.people import members
from luckychit_app.services.reporting import groups_list, home_dashboard, reports
from tests.services.helpers import (
    active_group,
    add_members,
    branch,
    conduct,
    create_group,
    foreman,
    pay,
    ticket_ids,
)

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE  # helpers' default group: ₹30,000 over 3 tickets
JAN_20 = date(2026, 1, 20)  # the helpers start groups on 01-01-2026; month 1 is due 10-01-2026


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --- counts in words -------------------------------------------------------------------------------


def test_plural_words_a_count():
    assert plural(1, "draw due", "draws due") == "1 draw due"
    assert plural(2, "draw due", "draws due") == "2 draws due"
    assert plural(0, "message") == "0 messages"
    assert plural(1, "query", "queries") == "1 query"
    assert plural(125000, "member") == "1,25,000 members"  # grouped the Indian way, as amounts are
    with pytest.raises(TypeError):
        plural(True, "draw")
    with pytest.raises(TypeError):
        plural("1", "draw")  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**12) | st.integers(min_value=-2000, max_value=2000))
def test_only_exactly_one_is_singular(n):
    words = plural(n, "ticket")
    assert words.startswith(count_text(n) + " ")
    assert words.endswith(" ticket") == (n == 1)
    assert count_text(n).replace(",", "") == str(n)
    # Babel's Indian grouping, which count_text skips below a thousand, gives the same text.
    assert count_text(n) == format_decimal(n, format="#,##,##0", locale="en_IN")


def test_cards_word_each_count_and_keep_the_exact_amounts(tx):
    boss = foreman(tx)
    # ₹70,500 over 3 tickets: an installment of ₹23,500, which the card rounds to ₹23.5K.
    _group_id, (t1, t2, _t3) = active_group(tx, boss, tickets=3, chit_value="70,500")
    pay(tx, boss, t1, 23_500 * RUPEE)
    pay(tx, boss, t2, 10_000 * RUPEE)
    with tx() as s:
        c = home_dashboard.cards(s, actor=boss, today=JAN_20)
        assert ledger_check(s) == []
    assert (c["month_collected"], c["month_collected_exact"]) == ("₹33.5K", "₹33,500")
    assert (c["month_due"], c["month_due_exact"]) == ("₹70.5K", "₹70,500")
    assert (c["draws"], c["draws_label"]) == ("1", "1 draw due")
    assert (c["overdue"], c["overdue_label"], c["overdue_tickets"]) == ("2", "2 tickets overdue", "2 tickets")
    assert c["joins_label"] == "0 join requests" and c["queries_label"] == "0 open queries"
    assert c["members_note"] == "3 tickets held"
    assert all("(s)" not in v for v in c.values())


def test_groups_list_gives_the_exact_collection_beside_the_rounded_one(tx):
    boss = foreman(tx)
    _group_id, (t1, *_rest) = active_group(tx, boss, tickets=3, chit_value="70,500")
    pay(tx, boss, t1, 23_500 * RUPEE)
    with tx() as s:
        (row,), _total = groups_list.groups_list(s, actor=boss, today=JAN_20)
    assert row["collection"] == "₹23.5K of ₹70.5K"
    assert row["collection_exact"] == "₹23,500 of ₹70,500"


# --- recent activity: bursts folded ------------------------------------------------------------------


def _spread_joins(tx, group_id: int, minutes_ago: list[float]) -> None:
    """Move the group's tickets' join times (ticket-number order) to the given minutes before now."""
    now = utcnow()
    with tx() as s:
        for tid, ago in zip(ticket_ids(tx, group_id), minutes_ago, strict=True):
            ticket = s.get(Ticket, tid)
            ticket.joined_at = now - timedelta(minutes=ago)
            s.add(ticket)


def test_a_csv_import_is_one_line_and_the_draw_stays_in_the_feed(tx):
    boss = foreman(tx)
    alpha, tickets = active_group(tx, boss, tickets=3, name="Alpha Chit")
    for t in tickets:
        pay(tx, boss, t, INSTALLMENT)
    conduct(tx, boss, alpha)
    diwali = create_group(tx, boss, name="Diwali Lucky Chit", tickets="20")
    add_members(tx, boss, diwali, 20)
    with tx() as s:
        feed = home_dashboard.recent_activity(s, actor=boss, limit=5)
        assert ledger_check(s) == []
    texts = [item["text"] for item in feed]
    assert texts[0] == "20 members joined Diwali Lucky Chit"
    assert feed[0]["kind"] == "join" and feed[0]["group"] == "Diwali Lucky Chit"
    assert feed[0]["link"] == f"/f/groups/{diwali}"
    # The hover names the first few: a foreman sees who without opening the group.
    assert feed[0]["detail"].startswith("Member 20, Member 19") and feed[0]["detail"].endswith("and 15 more")
    assert feed[1]["kind"] == "draw"  # not pushed out by twenty "X joined" lines
    assert "3 payments received, ₹30,000 in all" in texts
    assert "3 members joined Alpha Chit" in texts
    assert len(feed) == 4  # everything that happened, in four lines


def test_only_close_events_of_one_kind_in_one_group_fold(tx):
    boss = foreman(tx)
    spread = create_group(tx, boss, name="Spread Chit", tickets="6")
    add_members(tx, boss, spread, 6)
    # Tickets 1-3 a minute apart two hours ago (a burst); 4 and 5 an hour ago (two are no flood);
    # 6 now. A gap over ten minutes ends a burst.
    _spread_joins(tx, spread, [122, 121, 120, 60, 59.5, 0])
    other = create_group(tx, boss, name="Other Chit", tickets="3")
    add_members(tx, boss, other, 2)
    _spread_joins(tx, other, [120.5, 120.2])  # inside Spread Chit's burst in time, but another group
    with tx() as s:
        texts = [item["text"] for item in home_dashboard.recent_activity(s, actor=boss)]
    assert texts == [
        "Member 6 joined with ticket 6",
        "Member 5 joined with ticket 5",
        "Member 4 joined with ticket 4",
        "3 members joined Spread Chit",
        "Member 2 joined with ticket 2",  # Other Chit's two, just before Spread Chit's burst
        "Member 1 joined with ticket 1",
    ]


def test_a_burst_longer_than_the_rows_read_says_so(tx, monkeypatch):
    boss = foreman(tx)
    group_id = create_group(tx, boss, name="Big Chit", tickets="6")
    add_members(tx, boss, group_id, 6)
    monkeypatch.setattr(home_dashboard, "BURST_FETCH", 4)
    with tx() as s:
        feed = home_dashboard.recent_activity(s, actor=boss, limit=3)
    assert [item["text"] for item in feed] == ["4+ members joined Big Chit"]


def test_one_members_two_tickets_count_as_one_member(tx):
    boss = foreman(tx)
    group_id = create_group(tx, boss, name="Family Chit", tickets="4")
    first, *_rest = add_members(tx, boss, group_id, 3)
    with tx() as s:
        holder = s.get(User, s.get(Ticket, first).member_id)
        members.add_member(s, actor=boss, group_id=group_id, name=holder.name, mobile=holder.mobile)
    with tx() as s:
        feed = home_dashboard.recent_activity(s, actor=boss)
    assert feed[0]["text"] == "3 members joined Family Chit (4 tickets)"


# --- the ledger CSV --------------------------------------------------------------------------------


def test_the_ledger_csv_names_each_account_and_keeps_its_id(tx):
    boss = foreman(tx, name="Ramesh Kumar")
    group_id, tickets = active_group(tx, boss, tickets=3)
    for t in tickets:
        pay(tx, boss, t, INSTALLMENT)
    draw = conduct(tx, boss, group_id)
    with tx() as s:
        _name, text = reports.export_csv(s, actor=boss, group_id=group_id, kind="ledger", audit_in=s)
        winner = s.get(Ticket, draw.winner_ticket_id)
        assert ledger_check(s) == []
    ledger = rows(text)
    assert ledger[0] == ["Entry", "Date", "Kind", "Memo", "Account", "Account id", "Debit", "Credit"]
    names = {r[5]: r[4] for r in ledger[1:]}
    # Issue 19 item 11: one naming rule for every export (services/reporting/account_names.py).
    assert names[f"ticket:{tickets[0]}:receivable"] == "Member 1 — Diwali Savings ticket 1 (dues receivable)"
    assert names[f"group:{group_id}:cash"] == "Diwali Savings — cash"
    assert names[f"group:{group_id}:pot:1"] == "Diwali Savings — month 1 pot"
    assert names[f"foreman:{boss.user_id}:commission"] == "Commission income"
    assert names[f"ticket:{winner.id}:prize_payable"] == (
        f"Member {winner.ticket_no} — Diwali Savings ticket {winner.ticket_no} (prize payable)"
    )
    assert all(":" not in r[4] and "ticket:" not in r[4] for r in ledger[1:])
    assert {"Dues raised", "Payment received", "Draw settled"} <= {r[2] for r in ledger[1:]}


def test_the_statement_capitalises_statuses(tx):
    boss = foreman(tx)
    group_id, _tickets = active_group(tx, boss, tickets=3)
    with tx() as s:
        data = reports.group_statement(s, actor=boss, group_id=group_id)
    assert data["status"] == "Active"
    assert {m["status"] for m in data["members"]} == {"Active"}


# --- one receipt number format ---------------------------------------------------------------------


def test_receipt_numbers_print_one_way_everywhere(tx):
    boss = foreman(tx)
    group_id, (t1, t2, t3) = active_group(tx, boss, tickets=3)
    single = pay(tx, boss, t1, INSTALLMENT)
    with tx() as s:
        made = payment_batch.record_offline_payments(
            s,
            actor=boss,
            rows=[{"ticket_id": str(t2), "amount": "10000"}, {"ticket_id": str(t3), "amount": "10000"}],
        )
    assert [m.receipt for m in made] == ["MAIN/000002", "MAIN/000003"]
    with tx() as s:
        assert receipt_numbers.label_for(s, s.get(Payment, single.id)) == "MAIN/000001"
        assert receipts.receipt(s, actor=boss, payment_id=single.id)["receipt_no"] == "MAIN/000001"
        group = s.get(ChitGroup, group_id)
        listed = receipts.payments_for_group(s, group=group)
        assert sorted(r["receipt_no"] for r in listed) == ["MAIN/000001", "MAIN/000002", "MAIN/000003"]
        bodies = s.exec(
            select(Notification.body).where(Notification.kind == "payment_received").order_by(Notification.id)
        ).all()
        assert bodies == ["Receipt no. MAIN/000001", "Receipt no. MAIN/000002", "Receipt no. MAIN/000003"]
        _name, text = reports.export_csv(s, actor=boss, group_id=group_id, kind="payments", audit_in=s)
        assert [r[0] for r in rows(text)[1:]] == ["MAIN/000001", "MAIN/000002", "MAIN/000003"]
        assert ledger_check(s) == []


def test_each_branch_prints_its_own_code(tx):
    boss = foreman(tx)
    town = branch(tx, boss, "Town branch", "TWN")
    group_id, (t1, *_rest) = active_group(tx, boss, tickets=3, branch_id=str(town))
    paid = pay(tx, boss, t1, INSTALLMENT)
    with tx() as s:
        assert s.get(ChitGroup, group_id).branch_id == town
        assert receipt_numbers.label_for(s, s.get(Payment, paid.id)) == "TWN/000001"
        _name, text = reports.export_csv(s, actor=boss, group_id=group_id, kind="payments", audit_in=s)
        assert rows(text)[1][0] == "TWN/000001"
        assert receipt_numbers.label_for(s, Payment(group_id=group_id, ticket_id=t1, amount=1)) == ""
        assert receipt_numbers.branch_codes(s, [None]) == {}
