"""Auctions stop taking bids at their closing time and settle by themselves, on SQLite and
PostgreSQL, with a clock the tests move: the periodic closer runs the foreman's own close, once."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from luckychit_app import background
from luckychit_app.cli import main as cli_main
from luckychit_app.clock import IST, utcnow
from luckychit_app.models import AuditLog, Bid, Draw, Installment, JournalEntry, Notification, Payout, Ticket
from luckychit_app.services import audit
from luckychit_app.services.draws import auction_closer, auctions, draw_views, entropy, presence, settling
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.verify import verify_proof
from tests.services.helpers import AUCTION, active_group, current_draw, foreman, member_actor, snapshot

RUPEE = 100


class Clock:
    """Stands in for ``utcnow`` in the draw services and the closer. It ticks a millisecond per
    reading, as a real clock would between the steps of a draw (the proof's timestamps must rise)."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    for module in (auctions, entropy, presence, settling, auction_closer):
        monkeypatch.setattr(module, "utcnow", c)
    return c


def ist_input(moment: datetime) -> str:
    """What a browser's datetime-local input (with seconds) sends for ``moment``, in IST."""
    return moment.astimezone(IST).strftime("%Y-%m-%dT%H:%M:%S")


def run(tx, fn, **kwargs):
    with tx() as s:
        return fn(s, **kwargs)


def books_ok(tx) -> None:
    with tx() as s:
        assert ledger_check(s) == []
        assert audit.verify_chain(s).ok


def valid(draw: Draw) -> bool:
    return all(c.ok for c in verify_proof(json.loads(draw.proof_json)))


def opened(tx, clock: Clock, tickets: int = 4, seconds: int = 30) -> tuple[object, int, list[int], Draw]:
    """An auction group whose month-1 auction closes ``seconds`` from the clock's now, to the second."""
    boss = foreman(tx)
    group_id, ticket_ids = active_group(tx, boss, tickets=tickets, **AUCTION)
    draw_id = current_draw(tx, group_id).id
    closes = (clock.now + timedelta(seconds=seconds)).replace(microsecond=0)
    draw = run(tx, auctions.open_auction, actor=boss, draw_id=draw_id, closes_at=ist_input(closes))
    assert draw.bidding_closes_at == closes
    return boss, group_id, ticket_ids, draw


def bid(tx, ticket_id: int, amount: str, draw_id: int) -> Bid:
    return run(
        tx,
        auctions.place_bid,
        actor=member_actor(tx, ticket_id),
        draw_id=draw_id,
        ticket_id=ticket_id,
        discount=amount,
    )


def test_a_closing_time_to_the_second_is_validated(tx, engine, clock):
    boss = foreman(tx)
    group_id, _ = active_group(tx, boss, tickets=4, **AUCTION)
    draw_id = current_draw(tx, group_id).id
    now = clock.now
    before = snapshot(engine)
    for bad, message in (
        (ist_input(now - timedelta(minutes=5)), "in the future"),
        (ist_input(now + timedelta(seconds=5)), "at least 10 seconds"),
        (ist_input(now + timedelta(days=7, minutes=1)), "within 7 days"),
        ("tomorrow at six", "date and time"),
        ("2026-02-30T10:00", "date and time"),
        (1_900_000_000, "date and time"),
        (["2026-12-01T10:00"], "date and time"),
    ):
        with pytest.raises(ServiceError, match=message) as caught, tx() as s:
            auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes="30", closes_at=bad)
        assert caught.value.field == "closes_at"
    assert snapshot(engine) == before
    # A datetime-local value without seconds is a whole minute in IST, whatever the server's zone.
    target = (now + timedelta(hours=2)).astimezone(IST).replace(second=0, microsecond=0)
    draw = run(
        tx, auctions.open_auction, actor=boss, draw_id=draw_id, closes_at=target.strftime("%Y-%m-%dT%H:%M")
    )
    assert draw.bidding_closes_at == target.astimezone(UTC)
    with tx() as s:
        titles = s.exec(select(Notification.title).where(Notification.kind == "auction_open")).all()
    assert len(titles) == 4 and all(target.strftime("%H:%M:00 IST") in t for t in titles)
    # Moving it earlier is refused beside the field that was used; later is fine.
    with pytest.raises(ServiceError, match="only be moved later") as caught, tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=draw_id, closes_at=ist_input(now + timedelta(hours=1)))
    assert caught.value.field == "closes_at"
    later = run(
        tx, auctions.open_auction, actor=boss, draw_id=draw_id, closes_at=ist_input(now + timedelta(hours=3))
    )
    assert later.bidding_closes_at > draw.bidding_closes_at


def test_bids_stop_exactly_at_the_closing_time(tx, engine, clock):
    _boss, _group_id, tickets, draw = opened(tx, clock)
    closes = draw.bidding_closes_at
    clock.set(closes - timedelta(milliseconds=5))
    bid(tx, tickets[0], "6000", draw.id)  # a few milliseconds before: taken
    clock.set(closes - timedelta(milliseconds=1))  # the next reading is the closing instant itself
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="Bidding closed at") as caught:
        bid(tx, tickets[1], "7000", draw.id)
    assert closes.astimezone(IST).strftime("%H:%M:%S") in caught.value.message
    assert snapshot(engine) == before


def test_the_closer_settles_a_due_auction_as_the_foreman_would(tx, engine, clock):
    boss, group_id, tickets, draw = opened(tx, clock)
    # A twin group closed by its foreman's button at the same moment, with the same bids.
    twin_boss, twin_group, twin_tickets, twin = opened(tx, clock)
    for amount, i in (("12000", 0), ("14500", 1), ("15000", 2)):
        bid(tx, tickets[i], amount, draw.id)
        bid(tx, twin_tickets[i], amount, twin.id)
    # Not yet due: the closer leaves both alone.
    clock.set(draw.bidding_closes_at - timedelta(seconds=1))
    assert background.close_due_auctions(engine)["settled"] == 0
    assert current_draw(tx, group_id).status == "bidding"

    clock.set(draw.bidding_closes_at + timedelta(milliseconds=200))
    manual = run(tx, auctions.close_auction, actor=twin_boss, draw_id=twin.id)
    counts = background.close_due_auctions(engine)
    assert counts == {"settled": 1, "unsold": 0, "skipped": 0, "failed": 0}
    with tx() as s:
        auto = s.get(Draw, draw.id)
    assert auto.status == "completed" and auto.winner_ticket_id == tickets[2]
    assert auto.cutoff_at >= auto.bidding_closes_at and valid(auto)
    for field in ("discount", "prize", "commission", "dividend_per_ticket", "remainder", "net_installment"):
        assert getattr(auto, field) == getattr(manual, field), field
    # V ₹1,00,000, N 4, C ₹5,000, D ₹15,000: dividend ₹2,500, net ₹22,500, prize ₹85,000.
    assert (auto.discount, auto.prize, auto.net_installment) == (
        15_000 * RUPEE,
        85_000 * RUPEE,
        22_500 * RUPEE,
    )
    with tx() as s:
        dues = s.exec(
            select(Installment.amount).where(Installment.group_id == group_id, Installment.month == 1)
        )
        assert set(dues.all()) == {22_500 * RUPEE}
        assert s.get(Ticket, tickets[2]).prized_month == 1
        entry = s.exec(select(JournalEntry).where(JournalEntry.key == f"draw:{draw.id}")).one()
        assert entry.kind == "settlement" and entry.created_by_id is None  # nobody pressed a button
        assert s.exec(select(func.count()).select_from(Payout).where(Payout.draw_id == draw.id)).one() == 1
        members = set(s.exec(select(Ticket.member_id).where(Ticket.group_id == group_id)).all())
        told = s.exec(
            select(Notification.user_id).where(
                Notification.kind == "draw_result", Notification.link == f"/verify/{draw.id}"
            )
        ).all()
        assert set(told) == members and len(told) == 4
        detail = json.loads(
            s.exec(
                select(AuditLog.detail).where(
                    AuditLog.action == "draw.completed", AuditLog.object_id == str(draw.id)
                )
            ).one()
        )
        actor = s.exec(
            select(AuditLog.actor_id).where(
                AuditLog.action == "draw.completed", AuditLog.object_id == str(draw.id)
            )
        ).one()
    assert actor is None
    assert detail["closed_by"] == "schedule" and detail["closed_early"] is False and detail["bids"] == 3
    # The next month is open with a fresh commitment.
    assert current_draw(tx, group_id).month == 2
    mins = run(tx, draw_views.minutes, actor=boss, draw_id=draw.id)
    assert mins["closed_automatically"] is True and mins["closed_early"] is False
    twin_mins = run(tx, draw_views.minutes, actor=twin_boss, draw_id=twin.id)
    assert twin_mins["closed_automatically"] is False
    assert run(tx, draw_views.live_snapshot, actor=member_actor(tx, tickets[0]), draw_id=draw.id)[
        "status"
    ] == ("completed")
    books_ok(tx)
    _ = twin_group


def test_closing_is_idempotent(tx, engine, clock):
    boss, _group_id, tickets, draw = opened(tx, clock)
    bid(tx, tickets[1], "9000", draw.id)
    clock.set(draw.bidding_closes_at + timedelta(seconds=1))
    assert background.close_due_auctions(engine)["settled"] == 1
    after_first = snapshot(engine)
    assert background.close_due_auctions(engine) == {"settled": 0, "unsold": 0, "skipped": 0, "failed": 0}
    assert run(tx, auction_closer.close_if_due, draw_id=draw.id) == "skipped"
    with pytest.raises(ServiceError, match="already been held"), tx() as s:
        auctions.close_auction(s, actor=boss, draw_id=draw.id)
    assert snapshot(engine) == after_first


def test_a_tie_at_the_closing_time_goes_to_the_lot(tx, engine, clock):
    _boss, _group_id, tickets, draw = opened(tx, clock)
    bid(tx, tickets[0], "30000", draw.id)
    bid(tx, tickets[3], "30000", draw.id)  # a tie at the cap is allowed
    clock.set(draw.bidding_closes_at)
    assert background.close_due_auctions(engine)["settled"] == 1
    with tx() as s:
        settled = s.get(Draw, draw.id)
    proof = json.loads(settled.proof_json)["lot"]
    assert proof["kind"] == "auction-tie" and len(proof["eligible"]) == 2
    assert settled.winner_ticket_id in (tickets[0], tickets[3]) and valid(settled)
    books_ok(tx)


def test_an_auction_without_bids_stays_open_and_the_foreman_is_told_once(tx, engine, clock):
    boss, group_id, tickets, draw = opened(tx, clock)
    clock.set(draw.bidding_closes_at + timedelta(seconds=1))
    for _ in range(3):
        assert background.close_due_auctions(engine)["unsold"] == 1
    with tx() as s:
        told = s.exec(select(Notification).where(Notification.kind == auction_closer.UNSOLD_KIND)).all()
    assert [n.user_id for n in told] == [boss.user_id] and "No bids yet" in told[0].body
    assert told[0].link == f"/f/draws/{draw.id}"
    assert current_draw(tx, group_id).status == "bidding"
    page = run(tx, draw_views.draw_page, actor=member_actor(tx, tickets[0]), draw_id=draw.id)
    assert page["is_bidding"] and page["bid_count"] == "0"
    # The foreman moves the closing time later; bids come; the new closing time settles it.
    moved = run(tx, auctions.open_auction, actor=boss, draw_id=draw.id, minutes="5")
    assert background.close_due_auctions(engine) == {"settled": 0, "unsold": 0, "skipped": 0, "failed": 0}
    bid(tx, tickets[2], "8000", draw.id)
    clock.set(moved.bidding_closes_at)
    assert background.close_due_auctions(engine)["settled"] == 1
    with tx() as s:
        assert s.get(Draw, draw.id).winner_ticket_id == tickets[2]
    books_ok(tx)


def test_a_moved_closing_time_is_not_due_at_the_old_one(tx, engine, clock):
    boss, _group_id, tickets, draw = opened(tx, clock)
    bid(tx, tickets[0], "6000", draw.id)
    run(tx, auctions.open_auction, actor=boss, draw_id=draw.id, minutes="10")
    clock.set(draw.bidding_closes_at + timedelta(seconds=1))
    with tx() as s:
        assert auction_closer.due_auction_ids(s) == []
    assert run(tx, auction_closer.close_if_due, draw_id=draw.id) == "skipped"
    bid(tx, tickets[1], "6500", draw.id)  # still open for bids
    assert current_draw(tx, _group_id).status == "bidding"


def test_the_close_due_auctions_command(tx, engine, clock, monkeypatch, capsys):
    monkeypatch.setattr("luckychit_app.db.get_engine", lambda: engine)
    _boss, _group_id, tickets, draw = opened(tx, clock)
    _boss2, _group2, _tickets2, unsold = opened(tx, clock)
    bid(tx, tickets[0], "7000", draw.id)
    clock.set(max(draw.bidding_closes_at, unsold.bidding_closes_at) + timedelta(seconds=1))
    assert cli_main(["close-due-auctions"]) == 0
    out = capsys.readouterr().out
    assert "1 settled, 1 without a bid" in out and "0 failed" in out
    with tx() as s:
        assert s.get(Draw, draw.id).status == "completed" and s.get(Draw, unsold.id).status == "bidding"


def test_a_failing_close_is_logged_and_the_others_still_close(tx, engine, clock, monkeypatch, caplog):
    _b1, _g1, t1, first = opened(tx, clock)
    _b2, _g2, t2, second = opened(tx, clock)
    bid(tx, t1[0], "7000", first.id)
    bid(tx, t2[0], "7000", second.id)
    clock.set(second.bidding_closes_at + timedelta(seconds=1))
    real = auctions.close_locked_auction

    def flaky(session, *, draw, **kwargs):
        if draw.id == first.id:
            raise RuntimeError("database hiccup")
        return real(session, draw=draw, **kwargs)

    monkeypatch.setattr(auctions, "close_locked_auction", flaky)
    assert background.close_due_auctions(engine) == {"settled": 1, "unsold": 0, "skipped": 0, "failed": 1}
    assert "closing auction draw" in caplog.text
    monkeypatch.setattr(auctions, "close_locked_auction", real)
    assert background.close_due_auctions(engine)["settled"] == 1  # retried next time
    books_ok(tx)


def test_periodic_jobs_keep_running_when_one_fails():
    runs = {"good": 0, "bad": 0}

    def good() -> None:
        runs["good"] += 1

    def bad() -> None:
        runs["bad"] += 1
        raise RuntimeError("boom")

    jobs = (background.Job("good", good, 0.01), background.Job("bad", bad, 0.01))

    async def main() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(background.periodic_jobs(jobs), timeout=0.5)

    asyncio.run(main())
    assert runs["good"] >= 3 and runs["bad"] >= 3
    # The app's schedule: auctions are looked at every second (pages poll about as often).
    schedule = {job.name: job.every for job in background.JOBS}
    assert schedule["auctions"] <= 1.0 and "outbox" in schedule


def test_the_same_opening_sent_twice_seconds_apart_does_not_extend_the_auction(tx, engine, clock):
    """A second tab (or a double tap) sends "30 minutes from now" again a few seconds later: refused,
    the closing time stays; a real extension moves it by a minute or more."""
    boss = foreman(tx)
    group_id, _ = active_group(tx, boss, tickets=4, **AUCTION)
    draw_id = current_draw(tx, group_id).id
    first = run(tx, auctions.open_auction, actor=boss, draw_id=draw_id, minutes="30")
    clock.set(clock.now + timedelta(seconds=3))
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="by a minute or more"), tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes="30")
    assert snapshot(engine) == before
    clock.set(clock.now + timedelta(minutes=2))
    later = run(tx, auctions.open_auction, actor=boss, draw_id=draw_id, minutes="30")
    assert later.bidding_closes_at >= first.bidding_closes_at + timedelta(minutes=1)
