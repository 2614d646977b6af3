"""The fair-draw protocol through the services: entropy until the cutoff, a real timeline, auctions
with a closing time, members online, the special cases, and the read models the pages show."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from luckychit_app.cli import export_proofs
from luckychit_app.clock import utcnow
from luckychit_app.models import (
    AuditLog,
    Bid,
    ChitGroup,
    Draw,
    DrawEntropy,
    DrawPresence,
    Notification,
    Payout,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor
from luckychit_app.services.draws import (
    animation,
    auctions,
    conducting,
    draw_views,
    entropy,
    presence,
    settling,
)
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.people import members
from luckychit_app.verify import LOT_CHECK_NAMES, load_proof, proof_sha256, verify_proof
from tests.services.helpers import (
    AUCTION,
    active_group,
    current_draw,
    foreman,
    installments,
    member_actor,
    pay_dues,
    snapshot,
)

RUPEE = 100


def books_ok(tx) -> None:
    with tx() as s:
        assert ledger_check(s) == []
        assert audit.verify_chain(s).ok


def run(tx, fn, **kwargs):
    with tx() as s:
        return fn(s, **kwargs)


def valid(draw: Draw) -> bool:
    checks = verify_proof(json.loads(draw.proof_json))
    return all(c.ok for c in checks)


# ------------------------------------------------------------------------------------------------
# Commitment and entropy
# ------------------------------------------------------------------------------------------------


def test_the_commitment_is_published_when_the_month_opens(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    draw = current_draw(tx, group_id)
    assert len(draw.commitment) == 64 and draw.server_seed_hex is None and draw.proof_json is None
    with tx() as s:
        opened = s.exec(select(AuditLog).where(AuditLog.action == "month.opened")).one()
        assert json.loads(opened.detail)["commitment"] == draw.commitment
        notes = s.exec(select(Notification).where(Notification.kind == "month_opened")).all()
        assert len(notes) == 3 and all(f"/m/draws/{draw.id}" == n.link for n in notes)
        assert all(draw.commitment[:16] in n.body for n in notes)
    # The group page shows it too.
    page = run(tx, draw_views.draw_page, actor=member_actor(tx, tickets[0]), draw_id=draw.id)
    assert page["commitment"] == draw.commitment and page["status_label"] == "Commitment published"


def test_phrases_go_into_the_client_seed(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    first, second = member_actor(tx, tickets[0]), member_actor(tx, tickets[1])
    run(tx, entropy.add_phrase, actor=first, draw_id=draw_id, phrase="  mango  season ")
    run(tx, entropy.add_phrase, actor=second, draw_id=draw_id, phrase="चाय")
    run(tx, entropy.add_phrase, actor=first, draw_id=draw_id, phrase="monsoon")  # replaces the first one
    page = run(tx, draw_views.draw_page, actor=first, draw_id=draw_id)
    assert (page["phrases_count"], page["my_phrase"]) == ("2", "monsoon")
    with tx() as s:
        draw = conducting.conduct_draw(s, actor=boss, draw_id=draw_id)
    proof = json.loads(draw.proof_json)
    assert proof["phrases"] == sorted(["monsoon", "चाय"])
    assert proof["public_value"] is None and proof["beacon"] is None  # no beacon relay configured here
    assert valid(draw)
    with tx() as s:
        logged = s.exec(select(AuditLog.detail).where(AuditLog.action == "draw.phrase")).all()
        assert len(logged) == 3 and all("monsoon" not in d for d in logged)  # only hashes before the draw


def test_entropy_is_refused_with_reasons(tx, engine, subtests):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    other_boss = foreman(tx, name="Other Foreman")
    _, outsiders = active_group(tx, other_boss, tickets=2)
    draw_id = current_draw(tx, group_id).id
    member = member_actor(tx, tickets[0])
    before = snapshot(engine)
    cases = [
        ("empty", member, "   ", ServiceError, "empty"),
        ("too long", member, "x" * 81, ServiceError, "limit is 80"),
        ("control character", member, "a\u202eb", ServiceError, "control character"),
        ("not text", member, ["x"], ServiceError, "text"),
        ("the foreman adds no phrase", boss, "mine", NotAllowed, None),
        ("a member of another group", member_actor(tx, outsiders[0]), "hello", NotAllowed, None),
        ("nobody", None, "hello", NotAllowed, None),
    ]
    for name, actor, phrase, error, message in cases:
        with subtests.test(name), pytest.raises(error) as caught, tx() as s:
            entropy.add_phrase(s, actor=actor, draw_id=draw_id, phrase=phrase)
        if message:
            assert message in caught.value.message and caught.value.field == "phrase"
    assert snapshot(engine) == before
    # After the draw the entropy is closed.
    pay_dues(tx, boss, tickets, 1)
    run(tx, conducting.conduct_draw, actor=boss, draw_id=draw_id)
    with pytest.raises(ServiceError, match="already been held"), tx() as s:
        entropy.add_phrase(s, actor=member, draw_id=draw_id, phrase="too late")


def test_the_timeline_is_real_and_in_order(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    draw = run(tx, conducting.conduct_draw, actor=boss, draw_id=current_draw(tx, group_id).id)
    assert draw.committed_at < draw.cutoff_at <= draw.frozen_at <= draw.drawn_at <= draw.revealed_at
    assert draw.started_at == draw.cutoff_at
    proof = json.loads(draw.proof_json)
    assert len({proof[k] for k in ("cutoff_at", "frozen_at", "drawn_at", "revealed_at")}) >= 2
    assert valid(draw)


# ------------------------------------------------------------------------------------------------
# Auctions
# ------------------------------------------------------------------------------------------------


def test_auction_opens_with_a_closing_time_and_refuses_late_bids(tx, engine, monkeypatch):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4, **AUCTION)
    draw_id = current_draw(tx, group_id).id
    member = member_actor(tx, tickets[0])
    with pytest.raises(ServiceError, match="not open"), tx() as s:
        auctions.place_bid(s, actor=member, draw_id=draw_id, ticket_id=tickets[0], discount="6000")
    for bad in ("0", "-5", "abc", 10_081, None, 2.5):
        with pytest.raises(ServiceError) as caught, tx() as s:
            auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes=bad)
        assert caught.value.field == "minutes"
    with pytest.raises(NotAllowed), tx() as s:
        auctions.open_auction(s, actor=member, draw_id=draw_id, minutes=30)
    draw = run(tx, auctions.open_auction, actor=boss, draw_id=draw_id, minutes="30")
    assert draw.status == "bidding"
    assert timedelta(minutes=29) < draw.bidding_closes_at - utcnow() <= timedelta(minutes=30)
    with tx() as s:
        assert len(s.exec(select(Notification).where(Notification.kind == "auction_open")).all()) == 4
    with pytest.raises(ServiceError, match="only be moved later"), tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes=10)
    run(tx, auctions.place_bid, actor=member, draw_id=draw_id, ticket_id=tickets[0], discount="6,000")
    # The foreman enters a bid for a member present in person; it is recorded as such.
    run(
        tx,
        auctions.place_bid,
        actor=boss,
        draw_id=draw_id,
        ticket_id=tickets[1],
        discount="7000",
        in_person=True,
    )
    with tx() as s:
        in_person = s.exec(select(Bid.in_person).where(Bid.draw_id == draw_id).order_by(Bid.id)).all()
    assert in_person == [False, True]
    # A member cannot claim an in-person bid, nor bid for someone else's ticket.
    for actor, ticket, flag in (
        (member, tickets[0], True),
        (member, tickets[2], False),
        (boss, tickets[2], False),
    ):
        with pytest.raises(NotAllowed), tx() as s:
            auctions.place_bid(
                s, actor=actor, draw_id=draw_id, ticket_id=ticket, discount="9000", in_person=flag
            )
    # Thirty-one minutes later the auction has closed for bids.
    later = utcnow() + timedelta(minutes=31)
    for module in (auctions, entropy, presence, settling):
        monkeypatch.setattr(module, "utcnow", lambda: later)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="Bidding closed"), tx() as s:
        auctions.place_bid(s, actor=member, draw_id=draw_id, ticket_id=tickets[0], discount="9000")
    assert snapshot(engine) == before
    draw = run(tx, auctions.close_auction, actor=boss, draw_id=draw_id)
    assert draw.winner_ticket_id == tickets[1] and draw.discount == 7_000 * RUPEE
    assert valid(draw)
    mins = run(tx, draw_views.minutes, actor=member, draw_id=draw_id)
    assert mins["closed_early"] is False and [b["how"] for b in mins["bids"]] == [
        "from the member's phone",
        "in person (entered by the foreman)",
    ]


def test_auction_settlement_is_posted_and_dues_become_the_net_installment(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4, **AUCTION)
    draw_id = current_draw(tx, group_id).id
    run(tx, auctions.open_auction, actor=boss, draw_id=draw_id, minutes=15)
    run(
        tx,
        auctions.place_bid,
        actor=member_actor(tx, tickets[2]),
        draw_id=draw_id,
        ticket_id=tickets[2],
        discount="25000",
    )
    draw = run(tx, auctions.close_auction, actor=boss, draw_id=draw_id)
    # V ₹1,00,000, N 4, C ₹5,000, D ₹25,000: pool ₹20,000, dividend ₹5,000, net ₹20,000, prize ₹75,000.
    assert (draw.prize, draw.dividend_per_ticket, draw.net_installment) == (
        75_000 * RUPEE,
        5_000 * RUPEE,
        20_000 * RUPEE,
    )
    assert {i.amount for i in installments(tx, group_id, 1)} == {20_000 * RUPEE}
    assert 4 * draw.net_installment == draw.prize + draw.commission + draw.remainder
    with tx() as s:
        detail = json.loads(s.exec(select(AuditLog.detail).where(AuditLog.action == "draw.completed")).one())
    assert detail["closed_early"] is True and detail["bids"] == 1
    mins = run(tx, draw_views.minutes, actor=boss, draw_id=draw_id)
    assert mins["closed_early"] is True and mins["discount"] == "₹25,000"
    books_ok(tx)


def test_a_bidder_suspended_before_the_close_is_set_aside(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4, **AUCTION)
    draw_id = current_draw(tx, group_id).id
    run(tx, auctions.open_auction, actor=boss, draw_id=draw_id, minutes=15)
    run(
        tx,
        auctions.place_bid,
        actor=member_actor(tx, tickets[0]),
        draw_id=draw_id,
        ticket_id=tickets[0],
        discount="8000",
    )
    run(
        tx,
        auctions.place_bid,
        actor=member_actor(tx, tickets[1]),
        draw_id=draw_id,
        ticket_id=tickets[1],
        discount="9000",
    )
    run(
        tx,
        members.set_ticket_status,
        actor=boss,
        ticket_id=tickets[1],
        status="suspended",
        reason="cheque bounced",
    )
    draw = run(tx, auctions.close_auction, actor=boss, draw_id=draw_id)
    assert draw.winner_ticket_id == tickets[0] and draw.discount == 8_000 * RUPEE
    assert run(tx, draw_views.minutes, actor=boss, draw_id=draw_id)["bids_set_aside"] == "1"
    # The proof keeps the set-aside bid in the chain and says why it does not count.
    proof = json.loads(draw.proof_json)
    assert [b["discount"] for b in proof["bids"]] == [800_000, 900_000]
    assert proof["set_aside"] == [{"ticket": 2, "reason": proof["set_aside"][0]["reason"]}]
    assert "suspended" in proof["set_aside"][0]["reason"]
    assert all(c.ok for c in verify_proof(proof))
    books_ok(tx)


def test_an_auction_nobody_may_bid_in_is_refused(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, **{**AUCTION, "chit_value": "30,000"})
    draw_id = current_draw(tx, group_id).id
    run(tx, auctions.open_auction, actor=boss, draw_id=draw_id, minutes=15)
    run(
        tx,
        auctions.place_bid,
        actor=member_actor(tx, tickets[0]),
        draw_id=draw_id,
        ticket_id=tickets[0],
        discount="2000",
    )
    run(
        tx,
        members.set_ticket_status,
        actor=boss,
        ticket_id=tickets[0],
        status="suspended",
        reason="left town",
    )
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="still eligible"), tx() as s:
        auctions.close_auction(s, actor=boss, draw_id=draw_id)
    assert snapshot(engine) == before


# ------------------------------------------------------------------------------------------------
# Special cases
# ------------------------------------------------------------------------------------------------


def test_a_single_eligible_ticket_wins_without_a_draw_and_the_proof_says_so(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets[2:], 1)
    draw = run(tx, conducting.conduct_draw, actor=boss, draw_id=current_draw(tx, group_id).id)
    proof = json.loads(draw.proof_json)
    assert draw.winner_ticket_id == tickets[2]
    assert (proof["kind"], proof["steps"], len(proof["eligible"])) == ("single-eligible", [], 1)
    assert valid(draw)
    page = run(tx, draw_views.draw_page, actor=boss, draw_id=draw.id)
    assert "Only one ticket was eligible" in page["result"]["kind_note"]
    anim = run(tx, draw_views.animation, actor=boss, draw_id=draw.id)
    assert anim["single"] and anim["frames"] == [("#3", 0)]


def test_no_eligible_ticket_is_refused_with_the_reason(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=2)
    run(
        tx,
        members.set_ticket_status,
        actor=boss,
        ticket_id=tickets[0],
        status="suspended",
        reason="moved away",
    )
    draw_id = current_draw(tx, group_id).id
    page = run(tx, draw_views.draw_page, actor=boss, draw_id=draw_id)
    assert page["eligible_count"] == "0"
    assert {t["reason"][:22] for t in page["tickets"]} == {"Ticket 1 is not active", "Ticket 2 has unpaid du"}
    before = snapshot(engine)
    with pytest.raises(ServiceError) as caught, tx() as s:
        conducting.conduct_draw(s, actor=boss, draw_id=draw_id)
    assert "No ticket is eligible" in caught.value.message and "not active" in caught.value.message
    assert snapshot(engine) == before


def test_foreman_takes_the_first_chit_of_an_auction_group(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(
        tx, boss, tickets=3, foreman_first_chit="on", **{**AUCTION, "chit_value": "30,000"}
    )
    draw_id = current_draw(tx, group_id).id
    with pytest.raises(ServiceError, match="foreman's own ticket"), tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes=10)
    page = run(tx, draw_views.draw_page, actor=boss, draw_id=draw_id)
    assert page["mode"] == "foreman_first" and page["can_conduct"] and not page["can_open_auction"]
    draw = run(tx, conducting.conduct_draw, actor=boss, draw_id=draw_id)
    assert draw.winner_ticket_id == tickets[0] and draw.discount == 0
    assert valid(draw)
    mins = run(tx, draw_views.minutes, actor=boss, draw_id=draw_id)
    assert "s.21(1)(a)" in mins["kind_note"]


def test_the_database_refuses_a_second_draw_row_for_the_month(tx):
    boss = foreman(tx)
    group_id, _ = active_group(tx, boss, tickets=2)
    existing = current_draw(tx, group_id)
    with pytest.raises(IntegrityError), tx() as s:
        s.add(
            Draw(
                group_id=group_id,
                month=existing.month,
                kind="lucky",
                commitment="0" * 64,
                seed_encrypted="x",
            )
        )
        s.flush()


def test_a_member_suspended_after_the_freeze_keeps_the_result(tx):
    """Rule: the list frozen at the draw stands. The suspension keeps the ticket out of later
    draws, but the draw, its proof and the prize payable are not touched."""
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    draw = run(tx, conducting.conduct_draw, actor=boss, draw_id=current_draw(tx, group_id).id)
    winner = draw.winner_ticket_id
    run(
        tx,
        members.set_ticket_status,
        actor=boss,
        ticket_id=winner,
        status="suspended",
        reason="after the draw",
    )
    with tx() as s:
        again = s.get(Draw, draw.id)
        assert again.winner_ticket_id == winner and valid(again)
        assert s.exec(select(Payout).where(Payout.draw_id == draw.id)).one().status == "payable"
    view = run(tx, draw_views.verify_view, draw_id=draw.id)
    assert view["all_ok"]
    # Month 2: the other ticket that has not won is the only eligible one.
    pay_dues(tx, boss, tickets, 2)
    second = run(tx, conducting.conduct_draw, actor=boss, draw_id=current_draw(tx, group_id).id)
    assert second.winner_ticket_id not in (winner,)
    assert [e["ticket"] for e in json.loads(second.proof_json)["eligible"]] != []
    books_ok(tx)


# ------------------------------------------------------------------------------------------------
# Members online, live snapshot, animation
# ------------------------------------------------------------------------------------------------


def test_members_online_are_counted_from_fresh_heartbeats(tx, monkeypatch):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4)
    pay_dues(tx, boss, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    watchers = [member_actor(tx, t) for t in tickets[:3]]
    for actor in [*watchers, watchers[0], boss]:  # a second tab and the foreman do not add members
        run(tx, presence.heartbeat, actor=actor, draw_id=draw_id)
    with tx() as s:  # the third member closed the page a minute ago
        row = s.exec(select(DrawPresence).where(DrawPresence.user_id == watchers[2].user_id)).one()
        row.last_seen_at = utcnow() - timedelta(minutes=1)
        s.add(row)
    other = foreman(tx, name="Stranger")
    with pytest.raises(NotAllowed), tx() as s:
        presence.heartbeat(s, actor=other, draw_id=draw_id)
    draw = run(tx, conducting.conduct_draw, actor=boss, draw_id=draw_id)
    assert draw.members_online == 2
    mins = run(tx, draw_views.minutes, actor=boss, draw_id=draw_id)
    assert mins["members_online"] == "2" and mins["online_names"] == "Member 1, Member 2"


def test_live_snapshot_changes_version_with_bids_and_status(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, **{**AUCTION, "chit_value": "30,000"})
    draw_id = current_draw(tx, group_id).id
    member = member_actor(tx, tickets[0])
    first = run(tx, draw_views.live_snapshot, actor=member, draw_id=draw_id)
    run(tx, auctions.open_auction, actor=boss, draw_id=draw_id, minutes=5)
    opened = run(tx, draw_views.live_snapshot, actor=member, draw_id=draw_id)
    run(tx, auctions.place_bid, actor=member, draw_id=draw_id, ticket_id=tickets[0], discount="2000")
    bid = run(tx, draw_views.live_snapshot, actor=member, draw_id=draw_id)
    assert len({first["version"], opened["version"], bid["version"]}) == 3
    assert (bid["best_bid"], bid["bid_count"], bid["status"]) == ("₹2,000", "1", "bidding")
    page = run(tx, draw_views.draw_page, actor=member, draw_id=draw_id)
    assert page["next_min"] == "₹2,500" and page["next_min_rupees"] == "2500"
    assert page["bids"][0]["mine"] and page["bids"][0]["name"] == ""  # members see ticket numbers only
    assert run(tx, draw_views.draw_page, actor=boss, draw_id=draw_id)["bids"][0]["name"] == "Member 1"
    outsider = foreman(tx, name="Outsider")
    with pytest.raises(NotAllowed), tx() as s:
        draw_views.live_snapshot(s, actor=outsider, draw_id=draw_id)


def test_animation_frames_slow_down_and_land_on_the_winner():
    labels = [f"#{i}" for i in range(1, 8)]
    frames = animation.animation_frames(labels, "#5", "abc")
    assert frames == animation.animation_frames(labels, "#5", "abc")  # every page shows the same
    assert frames[-1][0] == "#5" and frames[-2][0] != "#5"
    times = [at for _, at in frames]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert gaps == sorted(gaps) and gaps[0] < 100 and gaps[-1] > 400
    assert 3_000 < times[-1] < 5_000
    assert all(a[0] != b[0] for a, b in itertools.pairwise(frames))
    assert animation.animation_frames(["#2", "#9"], "#2", "k")[-1] == ("#2", times[-1])
    with pytest.raises(ValueError):
        animation.animation_frames(labels, "#99", "abc")


# ------------------------------------------------------------------------------------------------
# Proofs: verify page, download, export, minutes
# ------------------------------------------------------------------------------------------------


def test_verify_view_compares_the_proof_hash_with_the_one_recorded_at_the_draw(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pending = run(tx, draw_views.verify_view, draw_id=current_draw(tx, group_id).id)
    assert pending["completed"] is False and pending["checks"] == []
    pay_dues(tx, boss, tickets, 1)
    draw = run(tx, conducting.conduct_draw, actor=boss, draw_id=current_draw(tx, group_id).id)
    view = run(tx, draw_views.verify_view, draw_id=draw.id)
    assert view["all_ok"] and view["sha_ok"]
    assert [c["name"] for c in view["checks"]] == list(LOT_CHECK_NAMES)
    assert {r["value"] for r in view["sha_rows"]} == {draw.proof_sha256}
    # Someone edits the stored proof's group name (a field no other hash covers): caught by the hash.
    with tx() as s:
        row = s.get(Draw, draw.id)
        proof = json.loads(row.proof_json)
        proof["group_name"] = "Somebody Else's Chit"
        row.proof_json = json.dumps(proof)
        s.add(row)
    view = run(tx, draw_views.verify_view, draw_id=draw.id)
    assert all(c["ok"] for c in view["checks"]) and not view["sha_ok"] and not view["all_ok"]
    with pytest.raises(NotAllowed), tx() as s:
        draw_views.verify_view(s, draw_id=draw.id + 1000)


def test_verify_text_reads_pasted_proofs_strictly(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    draw = run(tx, conducting.conduct_draw, actor=boss, draw_id=current_draw(tx, group_id).id)
    good = draw_views.verify_text(draw.proof_json)
    assert good["all_ok"] and good["sha"] == draw.proof_sha256 and good["error"] == ""
    assert draw_views.verify_text("\ufeff" + draw.proof_json)["all_ok"]
    proof = json.loads(draw.proof_json)
    proof["winner_index"] = (proof["winner_index"] + 1) % len(proof["eligible"])
    bad = draw_views.verify_text(json.dumps(proof))
    assert not bad["all_ok"] and next(c["name"] for c in bad["checks"] if not c["ok"]) == "selection"
    for text, message in (
        ("", "Paste a proof"),
        ("{", "not valid JSON"),
        ('{"a": 1, "a": 2}', "duplicate key"),
        ("x" * 300_000, "too long"),
        (None, "Paste a proof"),
    ):
        assert message in draw_views.verify_text(text)["error"]
    assert draw_views.verify_text("[1]")["checks"][0]["ok"] is False


def test_proof_download_and_export(tx, tmp_path, monkeypatch, capsys):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    open_id = current_draw(tx, group_id).id
    assert run(tx, draw_views.proof_download, draw_id=open_id) is None
    pay_dues(tx, boss, tickets, 1)
    draw = run(tx, conducting.conduct_draw, actor=boss, draw_id=open_id)
    text, name = run(tx, draw_views.proof_download, draw_id=str(draw.id))
    assert name == f"luckychit-draw-{draw.id}-group-{group_id}-month-1.json"
    assert proof_sha256(json.loads(text)) == draw.proof_sha256
    for bad in ("x", -1, None, ["1"], draw.id + 99):
        assert run(tx, draw_views.proof_download, draw_id=bad) is None
    # `python -m luckychit_app export-proofs DIR` writes every completed proof, which verify.py accepts.
    monkeypatch.setattr("luckychit_app.db.get_engine", lambda: tx.args[0])
    assert export_proofs(str(tmp_path / "out")) == 0
    files = sorted((tmp_path / "out").glob("*.json"))
    assert len(files) == 1 and all(c.ok for c in verify_proof(load_proof(str(files[0]))))
    assert "wrote 1 proofs" in capsys.readouterr().out


def test_minutes_are_for_the_group_only(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    with pytest.raises(NotAllowed, match="written when"), tx() as s:
        draw_views.minutes(s, actor=boss, draw_id=draw_id)
    draw = run(tx, conducting.conduct_draw, actor=boss, draw_id=draw_id)
    mins = run(tx, draw_views.minutes, actor=member_actor(tx, tickets[1]), draw_id=draw.id)
    assert mins["proof_sha256"] == draw.proof_sha256 and mins["commitment"] == draw.commitment
    assert mins["month"] == "1" and mins["winner"].startswith("Ticket ")
    assert [t["label"] for t in mins["timeline"]][-1] == "Server seed revealed"
    assert sum(e["won"] for e in mins["eligible"]) == 1
    for actor in (foreman(tx, name="Stranger"), Actor(10_000, "member"), None):
        with pytest.raises(NotAllowed), tx() as s:
            draw_views.minutes(s, actor=actor, draw_id=draw.id)


def test_member_draws_lists_current_and_past_draws(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    first = run(tx, conducting.conduct_draw, actor=boss, draw_id=current_draw(tx, group_id).id)
    listing = run(tx, draw_views.member_draws, actor=member_actor(tx, tickets[0]))
    assert len(listing) == 1
    entry = listing[0]
    assert entry["has_current"] and entry["current"]["month"] == "2"
    assert [p["id"] for p in entry["past"]] == [str(first.id)]
    with pytest.raises(NotAllowed), tx() as s:
        draw_views.member_draws(s, actor=boss)
    with tx() as s:
        assert s.exec(select(DrawEntropy)).all() == []
        assert s.get(ChitGroup, group_id).current_month == 2


def test_live_page_countdown_text():
    from luckychit_app.state.live_draw import _countdown

    assert _countdown(0.0, 100.0) == ""
    assert _countdown(100.0, 100.0) == "Bidding has closed"
    assert _countdown(100.0 + 125, 100.0) == "Closes in 2:05"
    assert _countdown(100.0 + 3 * 3600 + 61, 100.0) == "Closes in 3:01:01"
