"""The foreman's dashboard read models: cards, charts, activity, pending actions, lists and the
collection grid; every figure from allocations, every query scoped to the foreman's own groups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from luckychit_app.models import ChitGroup, Draw, Payment
from luckychit_app.services import validation
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.people import members
from luckychit_app.services.reporting import (
    collection_grid,
    display,
    group_settings,
    groups_list,
    home_dashboard,
    member_directory,
    pending_actions,
)
from tests.services.helpers import (
    active_group,
    add_members,
    conduct,
    create_group,
    foreman,
    member_actor,
    pay,
    signup_code,
)

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE  # helpers' default group: ₹30,000 over 3 tickets, draw day 10
JAN_20 = date(2026, 1, 20)  # the helpers start groups on 01-01-2026, so month 1 is due 10-01-2026


def test_cards_count_collection_and_pending_actions(tx):
    boss = foreman(tx)
    group_id, (t1, t2, _t3) = active_group(tx, boss, tickets=3)
    forming = create_group(tx, boss, name="Still Forming", tickets="4", chit_value="40,000")
    add_members(tx, boss, forming, 1)
    pay(tx, boss, t1, INSTALLMENT)
    pay(tx, boss, t2, INSTALLMENT // 2, method="bank")

    with tx() as s:
        c = home_dashboard.cards(s, actor=boss, today=JAN_20)
    assert c["active_groups"] == "1"
    assert c["groups_note"] == "1 forming"
    assert c["total_members"] == "4"
    assert (c["month_collected"], c["month_due"], c["month_pct"]) == ("₹15K", "₹30K", "50%")
    assert c["month_label"] == "January 2026"
    # Overdue: ticket 2 (half paid) and ticket 3; the month-1 draw date (10-01) has passed.
    assert (c["overdue"], c["overdue_amount"]) == ("2", "₹15,000")
    assert (c["draws"], c["joins"], c["upi"], c["payouts"]) == ("1", "0", "0", "0")
    assert c["pending_total"] == "3"

    # Before the due date nothing is overdue and no draw is due yet.
    with tx() as s:
        early = home_dashboard.cards(s, actor=boss, today=date(2026, 1, 5))
    assert (early["overdue"], early["draws"]) == ("0", "0")
    assert group_id


def test_another_foreman_sees_none_of_it(tx):
    boss = foreman(tx)
    group_id, (t1, *_rest) = active_group(tx, boss, tickets=3)
    pay(tx, boss, t1, INSTALLMENT)
    other = foreman(tx, name="Other Foreman")
    with tx() as s:
        c = home_dashboard.cards(s, actor=other, today=JAN_20)
        assert (c["active_groups"], c["total_members"], c["month_due"], c["pending_total"]) == (
            "0",
            "0",
            "₹0",
            "0",
        )
        assert home_dashboard.recent_activity(s, actor=other) == []
        assert home_dashboard.outstanding_by_group(s, actor=other, today=JAN_20) == []
        assert sum(home_dashboard.collection_series(s, actor=other, today=JAN_20).due) == 0
        assert groups_list.groups_list(s, actor=other) == ([], 0)
        assert member_directory.member_rows(s, actor=other) == ([], 0)
        with pytest.raises(NotAllowed):
            member_directory.member_rows(s, actor=other, group_id=group_id)
        with pytest.raises(NotAllowed):
            collection_grid.collection_grid(s, actor=other, group_id=group_id)


def test_members_and_admins_cannot_read_the_foreman_dashboard(tx):
    boss = foreman(tx)
    _group_id, (t1, *_rest) = active_group(tx, boss, tickets=3)
    member = member_actor(tx, t1)
    with tx() as s:
        for actor in (member, Actor(999, "admin"), None):
            with pytest.raises(NotAllowed):
                home_dashboard.cards(s, actor=actor)
            with pytest.raises(NotAllowed):
                pending_actions.pending_actions(s, actor=actor)


def test_collection_series_stacks_by_method_in_the_due_month(tx):
    boss = foreman(tx)
    group_id, (t1, t2, t3) = active_group(tx, boss, tickets=3)
    pay(tx, boss, t1, INSTALLMENT, method="cash")
    pay(tx, boss, t2, INSTALLMENT, method="bank")
    conduct(tx, boss, group_id)  # month 2 opens (due 10-02-2026)
    pay(tx, boss, t3, INSTALLMENT + 2_000 * RUPEE)  # month 1 in full, ₹2,000 towards month 2

    with tx() as s:
        series = home_dashboard.collection_series(s, actor=boss, today=date(2026, 2, 15))
    assert len(series.labels) == 12 and series.labels[-2:] == ["Jan 2026", "Feb 2026"]
    # Due counts the whole schedule month by month: 3 × ₹10,000 in January and in February.
    assert series.due[-2:] == [3 * INSTALLMENT, 3 * INSTALLMENT]
    assert series.collected["cash"][-2:] == [2 * INSTALLMENT, 2_000 * RUPEE]
    assert series.collected["bank"][-2:] == [INSTALLMENT, 0]
    assert sum(series.collected["upi"]) == 0


def test_outstanding_by_group_and_recent_activity(tx):
    boss = foreman(tx)
    g1, (a1, a2, a3) = active_group(tx, boss, tickets=3, name="Alpha Chit")
    _g2, (b1, _b2, _b3) = active_group(tx, boss, tickets=3, name="Beta Chit")
    for t in (a1, a2, a3, b1):
        pay(tx, boss, t, INSTALLMENT)
    conduct(tx, boss, g1)

    with tx() as s:
        owing = home_dashboard.outstanding_by_group(s, actor=boss, today=JAN_20)
        feed = home_dashboard.recent_activity(s, actor=boss, limit=5)
    assert owing == [("Beta Chit", 2 * INSTALLMENT)]
    assert len(feed) == 5
    kinds = [item["kind"] for item in feed]
    assert kinds[0] == "draw" and "won ₹28,500" in feed[0]["text"]
    # The winner's ticket and name are joined in: never the "ticket 0 (?)" of a draw without one.
    assert feed[0]["text"].startswith("Draw for month 1: ticket ") and "(?)" not in feed[0]["text"]
    assert feed[0]["link"] == f"/f/groups/{g1}" and feed[0]["group"] == "Alpha Chit"
    assert "payment" in kinds
    assert feed[0]["when"] == "just now"


def test_relative_times_are_in_ist():
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # 17:30 IST
    assert display.relative_time(now - timedelta(seconds=20), now) == "just now"
    assert display.relative_time(now - timedelta(minutes=12), now) == "12 min ago"
    assert display.relative_time(now - timedelta(hours=3), now) == "3 h ago"
    assert display.relative_time(datetime(2026, 3, 9, 13, 0, tzinfo=UTC), now) == "yesterday 18:30"
    # 20:00 UTC on 08-03 is already 09-03 01:30 in India: "yesterday", not two days ago.
    assert display.relative_time(datetime(2026, 3, 8, 20, 0, tzinfo=UTC), now) == "yesterday 01:30"
    assert display.relative_time(datetime(2026, 2, 1, 6, 0, tzinfo=UTC), now) == "01-02-2026 11:30"
    assert display.relative_time(datetime(2026, 3, 10, 11, 0), now) == "1 h ago"  # naive = UTC


def test_pending_actions_lists(tx):
    boss = foreman(tx)
    group_id, (t1, t2, t3) = active_group(tx, boss, tickets=3)
    for t in (t1, t2, t3):
        pay(tx, boss, t, INSTALLMENT)
    conduct(tx, boss, group_id)
    forming = create_group(tx, boss, name="Forming Group")
    with tx() as s:
        code = s.get(ChitGroup, forming).invite_code
        joiner, _ = members.sign_up_member(
            s,
            code=code,
            name="Joining Person",
            mobile="9811112222",
            mobile_code=signup_code(s, "9811112222"),
            password="pass1234x",
        )
    with tx() as s:
        lists = pending_actions.pending_actions(s, actor=boss, today=JAN_20)
        c = home_dashboard.cards(s, actor=boss, today=JAN_20)
    assert [r["member"] for r in lists["joins"]] == ["Joining Person"]
    assert len(lists["payouts"]) == 1 and lists["payouts"][0]["amount"] == "₹28,500"
    # Month 2's draw is on 10-02: not due yet, so listed as upcoming with its date (issue 16), uncounted.
    assert [(r["month"], r["date"], r["due"]) for r in lists["draws"]] == [
        ("Month 2 of 3", "10-02-2026 (in 21 days)", "")
    ]
    assert c["draws"] == "0"
    assert (c["joins"], c["payouts"]) == ("1", "1")
    assert joiner.id


def test_groups_list_pages_searches_and_shows_collection(tx):
    boss = foreman(tx)
    g1, (t1, _t2, _t3) = active_group(tx, boss, tickets=3, name="Alpha Chit")
    pay(tx, boss, t1, INSTALLMENT)
    for name in ("Beta Forming", "Gamma Forming"):
        create_group(tx, boss, name=name)
    with tx() as s:
        rows, total = groups_list.groups_list(s, actor=boss, limit=2)
        assert total == 3 and len(rows) == 2
        assert rows[0]["name"] == "Alpha Chit"  # running groups first
        assert rows[0]["stage"] == "Month 1 of 3"
        assert (rows[0]["collection"], rows[0]["collection_pct"]) == ("₹10K of ₹30K", "33%")
        page2, _ = groups_list.groups_list(s, actor=boss, offset=2, limit=2)
        assert len(page2) == 1
        found, n = groups_list.groups_list(s, actor=boss, search="gamma")
        assert n == 1 and found[0]["name"] == "Gamma Forming"
        assert groups_list.groups_list(s, actor=boss, search="100%_")[1] == 0  # wildcards are literal
        assert groups_list.groups_list(s, actor=boss, status="forming")[1] == 2
        with pytest.raises(ServiceError):
            groups_list.groups_list(s, actor=boss, status="'; drop table")
    assert g1


def test_member_rows_show_dues_kyc_and_filter(tx):
    boss = foreman(tx)
    group_id, (t1, t2, t3) = active_group(tx, boss, tickets=3)
    pay(tx, boss, t1, INSTALLMENT)
    pay(tx, boss, t2, 4_000 * RUPEE)
    with tx() as s:
        rows, total = member_directory.member_rows(s, actor=boss, group_id=group_id, today=JAN_20)
    assert total == 3
    by_ticket = {r["ticket_no"]: r for r in rows}
    assert by_ticket["1"]["dues"] == "—" and by_ticket["1"]["overdue"] == ""
    assert by_ticket["2"]["dues"] == "₹6,000" and by_ticket["2"]["overdue"] == "₹6,000"
    assert by_ticket["2"]["overdue_since"] == "10-01-2026"
    assert by_ticket["3"]["kyc"] == "none"
    with tx() as s:
        before_due, _ = member_directory.member_rows(s, actor=boss, group_id=group_id, today=date(2026, 1, 5))
        assert {r["overdue"] for r in before_due} == {""}
        named, n = member_directory.member_rows(s, actor=boss, search="Member 2")
        assert n == 1 and named[0]["ticket_id"] == str(t2)
        members.set_ticket_status(s, actor=boss, ticket_id=t3, status="suspended", reason="Moved away")
    with tx() as s:
        suspended, n = member_directory.member_rows(s, actor=boss, status="suspended")
    assert n == 1 and suspended[0]["reason"] == "Moved away"


def test_collection_grid_colours_cells(tx):
    boss = foreman(tx)
    group_id, (t1, t2, _t3) = active_group(tx, boss, tickets=3)
    pay(tx, boss, t1, INSTALLMENT)
    pay(tx, boss, t2, 4_000 * RUPEE)
    with tx() as s:
        grid = collection_grid.collection_grid(s, actor=boss, group_id=group_id, today=JAN_20)
    assert grid["columns"] == "4" and grid["total"] == 3
    cells = [c for c in grid["cells"] if c["kind"] == "cell"]
    state = {(c["ticket_id"] or "-", c["month"]): c["status"] for c in cells}
    month1 = [c for c in cells if c["month"] == "1"]
    assert [c["status"] for c in month1] == ["paid", "partial", "overdue"]
    assert month1[1]["amount"] == "6000" and month1[1]["ticket_id"] == str(t2)
    assert month1[0]["ticket_id"] == ""  # nothing to pay: not clickable
    assert {c["status"] for c in cells if c["month"] != "1"} == {"upcoming"}
    assert grid["counts"] == {"paid": "1", "partial": "1", "overdue": "1", "upcoming": "6"}
    heads = [c for c in grid["cells"] if c["kind"] == "head"]
    assert heads[1]["title"] == "Month 1, due 10-01-2026"
    assert state


def test_collection_grid_later_cell_covers_earlier_dues(tx):
    boss = foreman(tx)
    group_id, (t1, t2, t3) = active_group(tx, boss, tickets=3)
    pay(tx, boss, t1, INSTALLMENT)
    pay(tx, boss, t2, INSTALLMENT)
    pay(tx, boss, t3, INSTALLMENT)
    conduct(tx, boss, group_id)
    with tx() as s:
        draw = s.exec(select(Draw).where(Draw.group_id == group_id, Draw.month == 1)).one()
        winner = draw.winner_ticket_id
    loser = next(t for t in (t1, t2, t3) if t != winner)
    with tx() as s:
        grid = collection_grid.collection_grid(s, actor=boss, group_id=group_id, today=date(2026, 2, 20))
    cell = next(c for c in grid["cells"] if c["ticket_id"] == str(loser) and c["month"] == "2")
    assert cell["status"] == "overdue" and cell["amount"] == "10000"


def test_paging_values_from_the_browser_are_checked():
    assert validation.page_window("20", "10") == (20, 10)
    assert validation.page_window(-5, 10_000) == (0, 100)
    for bad in (True, None, [1], "1e3", 2.5):
        with pytest.raises(ServiceError):
            validation.page_window(bad, 10)


def test_dashboard_query_count_does_not_grow_with_the_book(tx, engine):
    """The dashboard issues a fixed number of queries however many groups and members there are."""
    boss = foreman(tx)
    active_group(tx, boss, tickets=3)

    def queries() -> int:
        count = 0

        def bump(*_args: object) -> None:
            nonlocal count
            count += 1

        event.listen(engine, "before_cursor_execute", bump)
        try:
            with tx() as s:
                home_dashboard.cards(s, actor=boss, today=JAN_20)
                home_dashboard.collection_series(s, actor=boss, today=JAN_20)
                home_dashboard.outstanding_by_group(s, actor=boss, today=JAN_20)
                home_dashboard.recent_activity(s, actor=boss)
                pending_actions.pending_actions(s, actor=boss, today=JAN_20)
                groups_list.groups_list(s, actor=boss)
                member_directory.member_rows(s, actor=boss)
        finally:
            event.remove(engine, "before_cursor_execute", bump)
        return count

    small = queries()
    for _ in range(2):
        _group_id, tickets = active_group(tx, boss, tickets=4, chit_value="40,000")
        for t in tickets:
            pay(tx, boss, t, INSTALLMENT)
    assert queries() == small
    with tx() as s:
        assert s.exec(select(Payment)).all()


def test_group_tabs_refuse_other_foremen_and_keep_terms_when_renaming(tx):
    boss = foreman(tx)
    group_id, (t1, *_rest) = active_group(tx, boss, tickets=3, upi_vpa="boss@okaxis")
    other = foreman(tx, name="Other Foreman")
    member = member_actor(tx, t1)
    with tx() as s:
        for actor in (other, member, None):
            for call in (group_settings.group_invite, group_settings.group_settings):
                with pytest.raises(NotAllowed):
                    call(s, actor=actor, group_id=group_id)
            with pytest.raises(NotAllowed):
                group_settings.save_group_basics(
                    s, actor=actor, group_id=group_id, name="Mine now", upi_vpa=""
                )
            with pytest.raises(NotAllowed):
                group_settings.ticket_in_group(s, actor=actor, ticket_id=t1)
        invite = group_settings.group_invite(s, actor=boss, group_id=group_id)
        assert invite["link"].endswith("/join/" + s.get(ChitGroup, group_id).invite_code)
        assert invite["qr"].startswith("data:image/svg+xml") and invite["is_forming"] is False
    with tx() as s:
        group_settings.save_group_basics(
            s, actor=boss, group_id=group_id, name="Renamed Chit", upi_vpa="new@okhdfc"
        )
    with tx() as s:
        settings = group_settings.group_settings(s, actor=boss, group_id=group_id)
        group = s.get(ChitGroup, group_id)
        assert (group.name, group.upi_vpa, group.chit_value, group.commission_bp) == (
            "Renamed Chit",
            "new@okhdfc",
            30_000 * RUPEE,
            500,
        )
        assert settings["terms_locked"] == "yes" and settings["commission"] == "5%"
        with pytest.raises(ServiceError):
            group_settings.save_group_basics(s, actor=boss, group_id=group_id, name="", upi_vpa="")
