"""The member's home "Total due now" is what the pay screen asks for: installments plus late fees
charged and not yet collected, plus late fees that paying the overdue installments today would add."""

from __future__ import annotations

from sqlmodel import select

from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, Ticket, User
from luckychit_app.seeding.demo import seed_demo_data
from luckychit_app.services.access import Actor
from luckychit_app.services.money import offline_payments, passbook
from luckychit_app.services.money.amount_due import amount_due
from luckychit_app.services.money.late_fees import late_fees_unpaid
from luckychit_app.services.reporting import views
from tests.services.helpers import active_group, foreman, member_actor

RUPEE = 100


def _pay_page_totals(s, actor: Actor) -> dict[str, int]:
    """Per ticket id, the total the pay screen asks for."""
    tickets = s.exec(
        select(Ticket, ChitGroup)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .where(Ticket.member_id == actor.user_id, Ticket.status != "removed")
    ).all()
    return {
        str(t.id): passbook.pay_page(s, actor=actor, ticket_id=t.id)["total_paise"]
        for t, g in tickets
        if g.status in ("active", "completed")
    }


def test_home_total_includes_late_fees_charged_and_accruing(tx):
    boss = foreman(tx)
    group_id, (t1, _t2, t3) = active_group(
        tx, boss, tickets=3, late_fee_mode="flat", late_fee_flat="100", grace_days="3"
    )
    with tx() as s:
        # Ticket 3 pays month 1 forty days past grace: ₹200 of late fee is charged and left unpaid.
        offline_payments.record_offline_payment(
            s, actor=boss, ticket_id=t3, amount="10000", received_on="2026-03-01"
        )
    member, owing = member_actor(tx, t3), member_actor(tx, t1)
    with tx() as s:
        assert late_fees_unpaid(s, ticket_id=t3) == 200 * RUPEE
        home = views.member_home(s, actor=member)
        group = s.get(ChitGroup, group_id)
        expected = amount_due(s, group=group, ticket_id=t3).total
        assert expected == 200 * RUPEE
        assert home["total_due"] == format_inr(expected) and home["has_due"] is True
        (card,) = home["groups"]
        assert card["due"] == format_inr(expected) and card["has_due"] is True
        assert passbook.pay_page(s, actor=member, ticket_id=t3)["total_paise"] == expected

        # Ticket 1 never paid: its installment plus the fees that paying it today would charge.
        due = amount_due(s, group=group, ticket_id=t1)
        assert due.fees_accruing > 0 and due.total > due.dues
        assert views.member_home(s, actor=owing)["total_due"] == format_inr(due.total)


def test_home_totals_match_the_pay_screen_for_every_demo_member(tx):
    with tx() as s:
        seed_demo_data(s)
    with tx() as s:
        people = s.exec(select(User).where(User.role == "member").order_by(User.id)).all()
        with_fees = 0
        for user in people:
            actor = Actor(user.id, "member", user.name, user.language)
            totals = _pay_page_totals(s, actor)
            home = views.member_home(s, actor=actor)
            assert home["total_due"] == format_inr(sum(totals.values())), user.mobile
            for card in home["groups"]:
                if card["ticket_id"] in totals and totals[card["ticket_id"]]:
                    assert card["due"] == format_inr(totals[card["ticket_id"]]), (user.mobile, card)
            tickets = s.exec(select(Ticket).where(Ticket.member_id == user.id)).all()
            for t in tickets:
                group = s.get(ChitGroup, t.group_id)
                if group.status == "active":
                    due = amount_due(s, group=group, ticket_id=t.id)
                    with_fees += due.fees_unpaid + due.fees_accruing > 0
        assert with_fees > 0  # the demo book has late members, so the fees path is exercised


def test_home_says_days_late_and_offers_upi_for_the_most_urgent_due(tx):
    from urllib.parse import parse_qs, urlparse

    boss = foreman(tx)
    _gid, (t1, _t2) = active_group(tx, boss, tickets=2, upi_vpa="ramesh.chits@okaxis")
    member = member_actor(tx, t1)
    with tx() as s:
        home = views.member_home(s, actor=member)
    (card,) = home["groups"]
    # Month 1 of a group started 01-01-2026 fell due on its draw day in January: long overdue now.
    assert card["overdue"] and "overdue since" in card["due_when"] and "days late" in card["due_when"]
    upi = home["upi"]
    query = parse_qs(urlparse(upi["link"]).query)
    assert upi["link"].startswith("upi://pay?") and query["pa"] == ["ramesh.chits@okaxis"]
    # The whole of what is due now, late fees included, as the card says.
    assert upi["amount"] == card["due"]
    assert format_inr(round(float(query["am"][0]) * RUPEE)) == card["due"]
    assert upi["qr"].startswith("data:image/svg+xml") and len(upi["qr"]) < 12_000
    with tx() as s:
        offline_payments.record_offline_payment(s, actor=boss, ticket_id=t1, amount="50000", method="cash")
        assert views.member_home(s, actor=member)["upi"] == {}  # nothing due: no QR


def test_due_text_counts_days_left_and_days_late():
    from datetime import date

    today = date(2026, 12, 1)
    assert views._due_when("en", date(2026, 12, 10), today) == "due 10-12-2026 · 9 days left"
    assert views._due_when("en", today, today) == "due today, 01-12-2026"
    assert views._due_when("en", date(2026, 11, 10), today) == "overdue since 10-11-2026 · 21 days late"
    # Another language writes the month by its name in its own script (Babel, CLDR's hi_IN, ta_IN).
    assert views._due_when("hi", date(2026, 12, 10), today) == "देय 10 दिस॰ 2026 · 9 दिन बाकी"
    assert views._due_when("ta", date(2026, 12, 10), today) == "செலுத்த வேண்டிய நாள் 10 டிச., 2026 · இன்னும் 9 நாள்"
    assert views._due_when("en", None, today) == ""
