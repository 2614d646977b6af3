"""Creating, changing and starting chit groups."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import func, select

from luckychit_app.crypto import decrypt
from luckychit_app.models import ChitGroup, Draw, Installment, JournalEntry, PostingRow, Ticket
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups import setup
from luckychit_app.services.groups.months import seed_context
from luckychit_app.services.people import members
from tests.services.helpers import active_group, add_members, create_group, foreman, group_form, snapshot

RUPEE = 100


def test_create_group_stores_the_terms_in_paise_and_basis_points(tx):
    actor = foreman(tx)
    with tx() as s:
        group = setup.create_group(
            s,
            actor=actor,
            form=group_form(
                name="  Diwali   Savings ",
                chit_value="₹1,00,000",
                tickets="20",
                commission_pct="2.5",
                late_fee_mode="flat",
                late_fee_flat="100",
                grace_days="3",
                upi_vpa="ramesh@okaxis",
            ),
        )
    with tx() as s:
        stored = s.get(ChitGroup, group.id)
        assert stored.name == "Diwali Savings"
        assert stored.foreman_id == actor.user_id
        assert stored.chit_value == 1_00_000 * RUPEE
        assert stored.tickets == 20
        assert stored.commission_bp == 250
        assert stored.late_fee_flat == 100 * RUPEE
        assert stored.upi_vpa == "ramesh@okaxis"
        assert stored.status == "forming"
        assert stored.current_month == 0
        assert len(stored.invite_code) >= 8
        assert s.exec(select(func.count()).select_from(Ticket)).one() == 0


def test_create_auction_group_with_whole_number_inputs(tx):
    actor = foreman(tx)
    with tx() as s:
        group = setup.create_group(
            s,
            actor=actor,
            form=group_form(
                kind="auction",
                chit_value=200000,
                tickets=20,
                commission_pct=5,
                max_discount_pct="40",
                min_bid_step="500",
            ),
        )
    assert (group.kind, group.chit_value, group.max_discount_bp, group.min_bid_step) == (
        "auction",
        2_00_000 * RUPEE,
        4000,
        500 * RUPEE,
    )


def test_foreman_first_chit_gives_the_foreman_ticket_one(tx):
    actor = foreman(tx)
    group_id = create_group(tx, actor, foreman_first_chit="on")
    with tx() as s:
        (ticket,) = s.exec(select(Ticket).where(Ticket.group_id == group_id)).all()
    assert (ticket.ticket_no, ticket.member_id, ticket.status) == (1, actor.user_id, "active")


INVALID_FORMS = [
    ("commission-above-7pct", {"commission_pct": "7.01"}, "commission_pct"),
    ("commission-8pct", {"commission_pct": "8"}, "commission_pct"),
    ("commission-negative", {"commission_pct": "-1"}, "commission_pct"),
    # The agreement's ceiling may reach 50 % (warned above 40 %, docs/agreement_terms.md).
    ("max-discount-above-50", {"kind": "auction", "max_discount_pct": "50.01"}, "max_discount_pct"),
    (
        "max-discount-below-commission",
        {"kind": "auction", "max_discount_pct": "4", "commission_pct": "5"},
        "max_discount_pct",
    ),
    ("value-not-divisible", {"chit_value": "1,000.01", "tickets": "3"}, "chit_value"),
    ("value-not-divisible-20", {"chit_value": "100000.01", "tickets": "20"}, "chit_value"),
    ("tickets-1", {"tickets": "1"}, "tickets"),
    ("tickets-101", {"tickets": "101"}, "tickets"),
    ("tickets-list", {"tickets": ["3"]}, "tickets"),
    ("tickets-dict", {"tickets": {"n": 3}}, "tickets"),
    ("tickets-bool", {"tickets": True}, "tickets"),
    ("tickets-fraction", {"tickets": "3.5"}, "tickets"),
    ("draw-day-0", {"draw_day": "0"}, "draw_day"),
    ("draw-day-29", {"draw_day": "29"}, "draw_day"),
    ("draw-day-text", {"draw_day": "ten"}, "draw_day"),
    ("name-10kB", {"name": "x" * 10_240}, "name"),
    ("name-too-short", {"name": "ab"}, "name"),
    ("name-bidi-control", {"name": "Chit\u202egroup"}, "name"),
    ("name-list", {"name": ["Diwali"]}, "name"),
    ("name-missing", {"name": None}, "name"),
    ("value-negative", {"chit_value": "-30000"}, "chit_value"),
    ("value-zero", {"chit_value": "0"}, "chit_value"),
    ("value-huge-text", {"chit_value": "9" * 30}, "chit_value"),
    ("value-huge-int", {"chit_value": 10**20}, "chit_value"),
    ("value-above-cap", {"chit_value": "2,00,00,00,00,000"}, "chit_value"),
    ("value-float", {"chit_value": 30000.0}, "chit_value"),
    ("value-float-fraction", {"chit_value": 30000.5}, "chit_value"),
    ("value-text", {"chit_value": "thirty thousand"}, "chit_value"),
    ("value-exponent", {"chit_value": "3e4"}, "chit_value"),
    ("value-nan", {"chit_value": "NaN"}, "chit_value"),
    ("value-fraction-of-paisa", {"chit_value": "30000.001"}, "chit_value"),
    ("value-list", {"chit_value": ["30000"]}, "chit_value"),
    ("value-bool", {"chit_value": True}, "chit_value"),
    ("value-below-minimum", {"chit_value": "500"}, "chit_value"),
    ("kind-unknown", {"kind": "raffle"}, "kind"),
    ("kind-list", {"kind": ["lucky"]}, "kind"),
    ("bid-step-zero", {"min_bid_step": "0"}, "min_bid_step"),
    ("bid-step-negative", {"min_bid_step": -5}, "min_bid_step"),
    ("flat-late-fee-missing", {"late_fee_mode": "flat"}, "late_fee_flat"),
    ("interest-rate-missing", {"late_fee_mode": "interest"}, "late_fee_interest_pct"),
    ("interest-above-5pct", {"late_fee_interest_pct": "5.5"}, "late_fee_interest_pct"),
    ("flat-late-fee-negative", {"late_fee_flat": "-1"}, "late_fee_flat"),
    ("grace-days-31", {"grace_days": "31"}, "grace_days"),
    ("first-chit-not-a-flag", {"foreman_first_chit": "maybe"}, "foreman_first_chit"),
    ("remainder-unknown", {"remainder_to": "charity"}, "remainder_to"),
    ("vpa-invalid", {"upi_vpa": "not a vpa"}, "upi_vpa"),
]


def test_invalid_group_form_names_the_field_and_changes_nothing(tx, engine, subtests):
    actor = foreman(tx)
    before = snapshot(engine)
    for case, changes, field in INVALID_FORMS:
        with subtests.test(case):
            with pytest.raises(ServiceError) as caught, tx() as s:
                setup.create_group(s, actor=actor, form=group_form(**changes))
            assert caught.value.field == field, caught.value.message
            assert caught.value.message
    for form in (None, [], "name=Diwali", 42):
        with subtests.test(f"form is {form!r}"), pytest.raises(ServiceError), tx() as s:
            setup.create_group(s, actor=actor, form=form)
    assert snapshot(engine) == before


def test_only_a_foreman_creates_groups(tx, engine):
    before = snapshot(engine)
    for actor in (None, Actor(1, "member"), Actor(1, "admin")):
        with pytest.raises(NotAllowed), tx() as s:
            setup.create_group(s, actor=actor, form=group_form())
    assert snapshot(engine) == before


def test_terms_change_while_forming(tx):
    actor = foreman(tx)
    group_id = create_group(tx, actor)
    with tx() as s:
        setup.update_group(
            s,
            actor=actor,
            group_id=group_id,
            form=group_form(name="Pongal Savings", chit_value="60,000", tickets="4", commission_pct="4"),
        )
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        assert (group.name, group.chit_value, group.tickets, group.commission_bp) == (
            "Pongal Savings",
            60_000 * RUPEE,
            4,
            400,
        )


def test_tickets_cannot_drop_below_members_already_seated(tx, engine):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="4")
    add_members(tx, actor, group_id, 3)
    before = snapshot(engine)
    with pytest.raises(ServiceError) as caught, tx() as s:
        setup.update_group(s, actor=actor, group_id=group_id, form=group_form(tickets="2"))
    assert caught.value.field == "tickets"
    assert snapshot(engine) == before


def test_terms_are_frozen_once_the_group_runs_but_the_name_can_change(tx, engine):
    actor = foreman(tx)
    group_id, _ = active_group(tx, actor, tickets=3)
    before = snapshot(engine)
    for changes in ({"commission_pct": "4"}, {"chit_value": "60,000"}, {"draw_day": "12"}):
        with pytest.raises(ServiceError, match="cannot change"), tx() as s:
            setup.update_group(s, actor=actor, group_id=group_id, form=group_form(**changes))
    assert snapshot(engine) == before
    with tx() as s:
        setup.update_group(
            s, actor=actor, group_id=group_id, form=group_form(name="Renamed Savings", upi_vpa="ramesh@upi")
        )
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        assert (group.name, group.upi_vpa, group.commission_bp) == ("Renamed Savings", "ramesh@upi", 500)


def test_activation_refuses_unfilled_seats(tx, engine):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="3")
    add_members(tx, actor, group_id, 2)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="All 3 tickets must be filled"), tx() as s:
        setup.activate_group(s, actor=actor, group_id=group_id)
    assert snapshot(engine) == before


def test_activation_refuses_a_suspended_member(tx, engine):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="2")
    first, _ = add_members(tx, actor, group_id, 2)
    with tx() as s:
        members.set_ticket_status(
            s, actor=actor, ticket_id=first, status="suspended", reason="cheque bounced"
        )
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="pending and suspended"), tx() as s:
        setup.activate_group(s, actor=actor, group_id=group_id)
    assert snapshot(engine) == before


def test_activation_builds_the_schedule_and_opens_month_one(tx):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="4", chit_value="40,000", draw_day="10")
    add_members(tx, actor, group_id, 4)
    with tx() as s:
        setup.activate_group(s, actor=actor, group_id=group_id, start="2026-01-05")
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        assert (group.status, group.current_month, group.start_date.isoformat()) == (
            "active",
            1,
            "2026-01-05",
        )
        rows = s.exec(select(Installment).where(Installment.group_id == group_id)).all()
        assert len(rows) == 4 * 4
        assert {r.amount for r in rows} == {10_000 * RUPEE}
        assert {(r.ticket_id, r.month) for r in rows} == {
            (t, m) for t in {r.ticket_id for r in rows} for m in range(1, 5)
        }
        assert sorted({r.due_date.isoformat() for r in rows}) == [
            "2026-01-10",
            "2026-02-10",
            "2026-03-10",
            "2026-04-10",
        ]

        (entry,) = s.exec(select(JournalEntry).where(JournalEntry.group_id == group_id)).all()
        assert (entry.key, entry.kind) == (f"dues:{group_id}:1", "dues")
        postings = s.exec(select(PostingRow).where(PostingRow.entry_id == entry.id)).all()
        assert sum(p.amount for p in postings) == 0
        assert sorted(p.amount for p in postings) == [-40_000 * RUPEE] + [10_000 * RUPEE] * 4

        (draw,) = s.exec(select(Draw).where(Draw.group_id == group_id)).all()
        assert (draw.month, draw.kind, draw.status) == (1, "lucky", "committed")
        assert draw.server_seed_hex is None
        seed = decrypt(draw.seed_encrypted, context=seed_context(group_id, 1))
        assert len(seed) == 32
        assert draw.commitment == hashlib.sha256(seed).hexdigest()
        assert seed.hex() not in draw.seed_encrypted


def test_activation_happens_once(tx, engine):
    actor = foreman(tx)
    group_id, _ = active_group(tx, actor, tickets=2)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="already started"), tx() as s:
        setup.activate_group(s, actor=actor, group_id=group_id)
    assert snapshot(engine) == before


def test_activation_refuses_a_bad_start_date(tx, engine, subtests):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="2")
    add_members(tx, actor, group_id, 2)
    before = snapshot(engine)
    for start in ("01/02/2026", "soon", 20260101, ["2026-01-01"]):
        with subtests.test(start=start):
            with pytest.raises(ServiceError) as caught, tx() as s:
                setup.activate_group(s, actor=actor, group_id=group_id, start=start)
            assert caught.value.field == "start"
    assert snapshot(engine) == before


def test_another_foreman_cannot_change_or_start_a_group(tx, engine):
    owner, other = foreman(tx), foreman(tx, name="Suresh Rao")
    group_id = create_group(tx, owner, tickets="2")
    add_members(tx, owner, group_id, 2)
    before = snapshot(engine)
    with pytest.raises(NotAllowed), tx() as s:
        setup.update_group(s, actor=other, group_id=group_id, form=group_form(name="Mine now"))
    with pytest.raises(NotAllowed), tx() as s:
        setup.activate_group(s, actor=other, group_id=group_id)
    with pytest.raises(NotAllowed), tx() as s:
        setup.update_group(s, actor=other, group_id=group_id + 1000, form=group_form())
    assert snapshot(engine) == before
    with tx() as s:
        assert setup.groups_of_foreman(s, actor=other) == []
        assert [g.id for g in setup.groups_of_foreman(s, actor=owner)] == [group_id]


def test_the_foreman_first_chit_option_is_fixed_at_creation(tx, engine):
    actor = foreman(tx)
    with_first = create_group(tx, actor, foreman_first_chit="on")
    without = create_group(tx, actor, name="Plain Group")
    before = snapshot(engine)
    for group_id, flag in ((with_first, "off"), (without, "on")):
        with pytest.raises(ServiceError) as caught, tx() as s:
            setup.update_group(s, actor=actor, group_id=group_id, form=group_form(foreman_first_chit=flag))
        assert caught.value.field == "foreman_first_chit"
    assert snapshot(engine) == before
