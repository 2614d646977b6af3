"""One draw's live page: the foreman's draw console (/f/draws/[draw_id]) and the member's live draw page
(/m/draws/[draw_id]) share :class:`DrawState`; services decide who may do what.

Live updates: while a draw page is open, the background task :meth:`DrawState.watch` polls a tiny
projection of the draw (status, best bid, a version string) about once a second through
``run_service`` - a database read, so it stays right with several workers behind Redis - and writes
a presence heartbeat every few seconds (that is how "members online" is counted at the draw). When
the draw completes, every open page plays the same server-computed animation, anchored to the draw
time so all phones land on the winner together. The loop stops when the tab disconnects, when the page
unmounts (navigation inside the app: ``leave`` bumps a generation counter; Reflex also cancels the
page-load chain the loop belongs to), when a newer load of the page starts another loop, and after a
few hours. It never trusts ``self.router`` to tell which page is open: events yielded by other
tab-wide background tasks (the notification bell) carry the router of the page they started on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from luckychit_app.i18n import message
from luckychit_app.i18n import text as tr
from luckychit_app.services.access import Actor
from luckychit_app.services.draws import auctions, conducting, draw_views, entropy, presence
from luckychit_app.services.draws.animation import ANIMATION_LEAD_MS
from luckychit_app.services.errors import NotAllowed
from luckychit_app.services.people import auth
from luckychit_app.state.display_strings import scalar_strings, string_rows
from luckychit_app.state.hub import tab_connected
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor, page_actor

POLL_SECONDS = 0.8


HEARTBEAT_SECONDS = 4.0


MAX_WATCH_SECONDS = 4 * 3600


LANDED_HOLD_SECONDS = 1.0


ANIMATION_WINDOW_SECONDS = ANIMATION_LEAD_MS / 1000 + 6
"""A page that sees a draw completed less than this long ago plays the animation; later, the result."""


def _draw_page(session: Session, actor: Actor | None, draw_id: str) -> dict[str, Any]:
    """The page's data with the draw's date and, before it, the group's rule on an early draw."""
    page = draw_views.draw_page(session, actor=actor, draw_id=draw_id)
    return {**page, **conducting.draw_timing(session, actor=actor, draw_id=draw_id)}


def _poll(session: Session, token: str, draw_id: str, beat: bool) -> dict[str, Any]:
    """One tick of a live page: who is asking (the session may have ended), heartbeat, snapshot."""
    actor = _actor_of(session, token)
    if beat:
        presence.heartbeat(session, actor=actor, draw_id=draw_id)
    return draw_views.live_snapshot(session, actor=actor, draw_id=draw_id)


def _countdown(closes_at_ts: float, now_ts: float, lang: str = "en") -> str:
    if not closes_at_ts:
        return ""
    left = int(closes_at_ts - now_ts)
    if left <= 0:
        return tr(lang, "draws.bidding_over")
    hours, rest = divmod(left, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    return tr(lang, "draws.closes_in", time=clock)


class DrawState(SessionState):
    """One draw's live page, for the foreman's console and a member's phone (services decide who may
    do what; the page only hides buttons)."""

    info: dict[str, str] = {}
    result: dict[str, str] = {}
    tickets: list[dict[str, str]] = []
    bids: list[dict[str, str]] = []
    is_open: bool = False
    is_completed: bool = False
    is_manager: bool = False
    is_bidding: bool = False
    can_conduct: bool = False
    can_open_auction: bool = False
    has_result: bool = False
    winner_is_me: bool = False
    best_bid: str = ""
    bid_count: str = "0"
    chain_head: str = ""
    auction_words: list[str] = []
    watching: str = "0"
    closes_in: str = ""
    bidding_over: bool = False
    anim_running: bool = False
    anim_landed: bool = False
    anim_label: str = ""
    loading: bool = True
    busy: bool = False
    error: str = ""
    notice: str = ""
    phrase_error: str = ""
    bid_error: str = ""
    _version: str = ""
    _closes_at_ts: float = 0.0
    _watch_gen: int = 0
    _animated: bool = False
    _lang: str = "en"

    def _draw_id(self) -> str:
        # The route's [draw_id], a var Reflex adds to the root state (not the deprecated router.page).
        return str(self.draw_id)

    def _apply(self, page: dict[str, Any]) -> None:
        self.info = scalar_strings(page)
        self.tickets = string_rows(page["tickets"])
        self.bids = string_rows(page["bids"])
        self.result = scalar_strings(page["result"]) if page["result"] else {}
        self.has_result = bool(page["result"])
        self.winner_is_me = bool(page["result"].get("winner_is_me")) if page["result"] else False
        for flag in (
            "is_open",
            "is_completed",
            "is_manager",
            "is_bidding",
            "can_conduct",
            "can_open_auction",
        ):
            setattr(self, flag, bool(page[flag]))
        self.best_bid, self.bid_count, self.chain_head = (
            page["best_bid"],
            page["bid_count"],
            page["chain_head"],
        )
        self.auction_words = [str(line) for line in page["auction_words"]]
        self._closes_at_ts = float(page["closes_at_ts"])
        self.closes_in = _countdown(self._closes_at_ts, time.time(), self._lang)
        self.bidding_over = bool(self._closes_at_ts) and time.time() >= self._closes_at_ts

    async def _reload(self, actor: Actor | None) -> None:
        # Members read the page in their language; the foreman's console stays English.
        self._lang = actor.language if actor is not None and actor.role == "member" else "en"
        did = self._draw_id()
        try:
            page = await run_service(lambda s: _draw_page(s, actor, did), lang=self._lang)
        except Failed as exc:
            self.info, self.tickets, self.bids, self.result, self.has_result = {}, [], [], {}, False
            self.error = exc.message
            return
        self._apply(page)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading, self.error, self.notice, self.phrase_error, self.bid_error = True, "", "", "", ""
        self.anim_running, self.anim_landed, self.anim_label = False, False, ""
        self._animated, self._version = False, ""
        # One state serves the foreman's console (/f/draws/..) and the member's page (/m/draws/..).
        role = "foreman" if self.router.url.path.startswith("/f/") else "member"
        actor, away = await page_actor(self, role)
        if away:
            return away
        await self._reload(actor)
        self.loading = False
        return None

    # -- the live loop ---------------------------------------------------------------------------

    @rx.event(background=True)
    async def watch(self) -> None:
        """Poll while the page is open; reload on change; animate the draw when it happens."""
        did = self._draw_id()  # read before the lock: this event's own route, not a later event's
        async with self:
            self._watch_gen += 1
            gen = self._watch_gen
            token = (await self.get_state(SessionState))._token()
        await self._watch_loop(gen, did, token)

    async def _watch_loop(self, gen: int, did: str, token: str) -> None:
        if not did or not token:
            return
        started = last_beat = time.monotonic() - HEARTBEAT_SECONDS
        while time.monotonic() - started < MAX_WATCH_SECONDS:
            beat = time.monotonic() - last_beat >= HEARTBEAT_SECONDS
            try:
                snap: dict[str, Any] | None = await run_service(
                    lambda s, beat=beat: _poll(s, token, did, beat)
                )
            except Failed:
                snap = None  # a passing database hiccup or an ended session: try again next tick
            if beat:
                last_beat = time.monotonic()
            async with self:
                # Not `self.router`: another tab-wide task's events can leave it pointing elsewhere.
                if self._watch_gen != gen or not tab_connected(self, when_unknown=True):
                    return
                step = self._take(snap) if snap is not None else ""
            if step == "play":
                await self._play(gen, token, did)
            elif step == "reload":
                page = await _fetch_page(token, did)
                async with self:
                    if self._watch_gen != gen:
                        return
                    if page is not None:
                        self._apply(page)
            await asyncio.sleep(POLL_SECONDS)

    @rx.event
    def leave(self) -> None:
        """The page unmounted (the member went elsewhere in the app): stop this page's loop."""
        self._watch_gen += 1
        self.anim_running = False

    def _take(self, snap: dict[str, Any]) -> str:
        """Apply one poll's snapshot; say whether to play the draw ("play") or reload ("reload")."""
        now = snap["now_ts"]
        self.best_bid, self.bid_count, self.watching = snap["best_bid"], snap["bid_count"], snap["watching"]
        self.chain_head = snap["chain_head"]
        self._closes_at_ts = float(snap["closes_at_ts"])
        self.closes_in = _countdown(self._closes_at_ts, now, self._lang)
        self.bidding_over = bool(self._closes_at_ts) and now >= self._closes_at_ts
        changed, self._version = snap["version"] != self._version, snap["version"]
        if snap["status"] == "completed" and not self._animated:
            self._animated = True
            recent = now < snap["drawn_at_ts"] + ANIMATION_WINDOW_SECONDS
            return "play" if recent else "reload"
        return "reload" if changed else ""

    async def _play(self, gen: int, token: str, did: str) -> None:
        """Play the server's frames at their times, then show the result."""
        try:
            anim = await run_service(lambda s: _animation(s, token, did))
        except Failed:
            anim = {"frames": [], "start_ts": 0.0, "single": True}
        frames = [(str(label), int(at)) for label, at in anim["frames"]]
        end = anim["start_ts"] + (frames[-1][1] / 1000 if frames else 0)
        if frames and not anim["single"] and time.time() < end:
            async with self:
                if self._watch_gen != gen:
                    return
                self.anim_running, self.anim_landed, self.anim_label = True, False, "…"
            for i, (label, at) in enumerate(frames):
                delay = anim["start_ts"] + at / 1000 - time.time()
                if delay < -0.05 and i < len(frames) - 1:
                    continue  # this page joined late: skip what has already been shown elsewhere
                if delay > 0:
                    await asyncio.sleep(delay)
                async with self:
                    if self._watch_gen != gen:
                        return
                    self.anim_label = label
            async with self:
                self.anim_landed = True
            await asyncio.sleep(LANDED_HOLD_SECONDS)
        page = await _fetch_page(token, did)
        async with self:
            if self._watch_gen != gen:
                return
            if page is not None:
                self._apply(page)
            self.anim_running, self.anim_landed, self.notice = False, False, ""

    # -- actions ---------------------------------------------------------------------------------

    async def _act(
        self,
        fn: Callable[[Session, Actor | None], object],
        notice: str,
        error_field: str = "error",
        reload: bool = True,
    ) -> bool:
        """Run one service action for the signed-in user; show its error beside the right form."""
        self.error, self.notice, self.phrase_error, self.bid_error = "", "", "", ""
        actor = await current_actor(self)
        try:
            await run_service(lambda s: fn(s, actor), lang=self._lang)
        except Failed as exc:
            setattr(self, error_field, exc.message)
            return False
        self.notice = message(self._lang, notice)
        if reload:
            await self._reload(actor)
        return True

    @rx.event
    async def add_phrase(self, form: dict) -> None:
        did, phrase = self._draw_id(), form.get("phrase")
        await self._act(
            lambda s, a: entropy.add_phrase(s, actor=a, draw_id=did, phrase=phrase),
            "Your phrase is in. It is mixed into the draw and shown in the proof afterwards.",
            "phrase_error",
        )

    @rx.event
    async def open_auction(self, form: dict) -> None:
        did, minutes, closes_at = self._draw_id(), form.get("minutes"), form.get("closes_at")
        await self._act(
            lambda s, a: auctions.open_auction(s, actor=a, draw_id=did, minutes=minutes, closes_at=closes_at),
            "Bidding is open. Members see it on their phones now.",
        )

    @rx.event
    async def place_bid(self, form: dict) -> None:
        """A member's own bid (never in person: that flag is the foreman's)."""
        did, ticket, amount = self._draw_id(), form.get("ticket_id"), form.get("discount")
        await self._act(
            lambda s, a: auctions.place_bid(s, actor=a, draw_id=did, ticket_id=ticket, discount=amount),
            "Your bid is in.",
            "bid_error",
        )

    @rx.event
    async def place_bid_in_person(self, form: dict) -> None:
        """The foreman enters the bid of a member present in person; recorded as such."""
        did, ticket, amount = self._draw_id(), form.get("ticket_id"), form.get("discount")
        await self._act(
            lambda s, a: auctions.place_bid(
                s, actor=a, draw_id=did, ticket_id=ticket, discount=amount, in_person=True
            ),
            "In-person bid recorded.",
            "bid_error",
        )

    @rx.event
    async def conduct(self) -> None:
        if self.busy:
            return
        self.busy = True
        did = self._draw_id()
        if await self._act(lambda s, a: conducting.conduct_draw(s, actor=a, draw_id=did), "", reload=False):
            # The live loop sees the result within a second and plays the animation with every phone.
            self.anim_running, self.anim_landed, self.anim_label = True, False, "…"
        self.busy = False

    @rx.event
    async def close_auction(self) -> None:
        if self.busy:
            return
        self.busy = True
        did = self._draw_id()
        if await self._act(lambda s, a: auctions.close_auction(s, actor=a, draw_id=did), "", reload=False):
            self.anim_running, self.anim_landed, self.anim_label = True, False, "…"
        self.busy = False


def _actor_of(session: Session, token: str) -> Actor:
    found = auth.actor_for_token(session, token)
    if found is None:
        raise NotAllowed()
    return found[0]


async def _fetch_page(token: str, did: str) -> dict[str, Any] | None:
    """The full page DTO for a background task (which cannot touch SessionState to find the actor)."""
    try:
        return await run_service(lambda s: _draw_page(s, _actor_of(s, token), did))
    except Failed:
        return None


def _animation(session: Session, token: str, did: str) -> dict[str, Any]:
    return draw_views.animation(session, actor=_actor_of(session, token), draw_id=did)
