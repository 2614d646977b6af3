"""Draw pages: the foreman's draw console, the member's live draw page, the member's draw list, the
printable minutes and the public verify page.

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
from luckychit_app.services.draws import conduct as draws
from luckychit_app.services.draws import draw_views
from luckychit_app.services.draws.conduct import ANIMATION_LEAD_MS
from luckychit_app.services.errors import NotAllowed
from luckychit_app.services.people import auth
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor, member_page, page_actor

POLL_SECONDS = 0.8
HEARTBEAT_SECONDS = 4.0
MAX_WATCH_SECONDS = 4 * 3600
LANDED_HOLD_SECONDS = 1.0
ANIMATION_WINDOW_SECONDS = ANIMATION_LEAD_MS / 1000 + 6
"""A page that sees a draw completed less than this long ago plays the animation; later, the result."""


def _client_connected(state: rx.State) -> bool:
    """True while this tab's websocket is still open on this worker (where its events run)."""
    from luckychit_app.luckychit_app import app

    namespace = app.event_namespace
    return namespace is None or state.router.session.client_token in namespace.token_to_sid


def _poll(session: Session, token: str, draw_id: str, beat: bool) -> dict[str, Any]:
    """One tick of a live page: who is asking (the session may have ended), heartbeat, snapshot."""
    actor = _actor_of(session, token)
    if beat:
        draws.heartbeat(session, actor=actor, draw_id=draw_id)
    return draw_views.live_snapshot(session, actor=actor, draw_id=draw_id)


def _strings(data: dict[str, Any]) -> dict[str, str]:
    return {k: v if isinstance(v, str) else str(v) for k, v in data.items() if not isinstance(v, list | dict)}


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Rows for rx.foreach: every value a string (booleans become "yes" or "")."""
    return [
        {k: ("yes" if v is True else "" if v is False else str(v)) for k, v in row.items()} for row in rows
    ]


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


class DrawState(rx.State):
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
        return str(self.router.page.params.get("draw_id", ""))

    def _apply(self, page: dict[str, Any]) -> None:
        self.info = _strings(page)
        self.tickets = _rows(page["tickets"])
        self.bids = _rows(page["bids"])
        self.result = _strings(page["result"]) if page["result"] else {}
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
        self.best_bid, self.bid_count = page["best_bid"], page["bid_count"]
        self._closes_at_ts = float(page["closes_at_ts"])
        self.closes_in = _countdown(self._closes_at_ts, time.time(), self._lang)
        self.bidding_over = bool(self._closes_at_ts) and time.time() >= self._closes_at_ts

    async def _reload(self, actor: Actor | None) -> None:
        # Members read the page in their language; the foreman's console stays English.
        self._lang = actor.language if actor is not None and actor.role == "member" else "en"
        did = self._draw_id()
        try:
            page = await run_service(lambda s: draw_views.draw_page(s, actor=actor, draw_id=did))
        except Failed as exc:
            self.info, self.tickets, self.bids, self.result, self.has_result = {}, [], [], {}, False
            self.error = message(self._lang, exc.message)
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
            token = (await self.get_state(SessionState)).token
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
                if self._watch_gen != gen or not _client_connected(self):
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
            await run_service(lambda s: fn(s, actor))
        except Failed as exc:
            setattr(self, error_field, message(self._lang, exc.message))
            return False
        self.notice = message(self._lang, notice)
        if reload:
            await self._reload(actor)
        return True

    @rx.event
    async def add_phrase(self, form: dict) -> None:
        did, phrase = self._draw_id(), form.get("phrase")
        await self._act(
            lambda s, a: draws.add_phrase(s, actor=a, draw_id=did, phrase=phrase),
            "Your phrase is in. It is mixed into the draw and shown in the proof afterwards.",
            "phrase_error",
        )

    @rx.event
    async def set_public_value(self, form: dict) -> None:
        did, value = self._draw_id(), form.get("public_value")
        await self._act(
            lambda s, a: draws.set_public_value(s, actor=a, draw_id=did, value=value),
            "Public value saved.",
        )

    @rx.event
    async def open_auction(self, form: dict) -> None:
        did, minutes, closes_at = self._draw_id(), form.get("minutes"), form.get("closes_at")
        await self._act(
            lambda s, a: draws.open_auction(s, actor=a, draw_id=did, minutes=minutes, closes_at=closes_at),
            "Bidding is open. Members see it on their phones now.",
        )

    @rx.event
    async def place_bid(self, form: dict) -> None:
        """A member's own bid (never in person: that flag is the foreman's)."""
        did, ticket, amount = self._draw_id(), form.get("ticket_id"), form.get("discount")
        await self._act(
            lambda s, a: draws.place_bid(s, actor=a, draw_id=did, ticket_id=ticket, discount=amount),
            "Your bid is in.",
            "bid_error",
        )

    @rx.event
    async def place_bid_in_person(self, form: dict) -> None:
        """The foreman enters the bid of a member present in person; recorded as such."""
        did, ticket, amount = self._draw_id(), form.get("ticket_id"), form.get("discount")
        await self._act(
            lambda s, a: draws.place_bid(
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
        if await self._act(lambda s, a: draws.conduct_draw(s, actor=a, draw_id=did), "", reload=False):
            # The live loop sees the result within a second and plays the animation with every phone.
            self.anim_running, self.anim_landed, self.anim_label = True, False, "…"
        self.busy = False

    @rx.event
    async def close_auction(self) -> None:
        if self.busy:
            return
        self.busy = True
        did = self._draw_id()
        if await self._act(lambda s, a: draws.close_auction(s, actor=a, draw_id=did), "", reload=False):
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
        return await run_service(lambda s: draw_views.draw_page(s, actor=_actor_of(s, token), draw_id=did))
    except Failed:
        return None


def _animation(session: Session, token: str, did: str) -> dict[str, Any]:
    return draw_views.animation(session, actor=_actor_of(session, token), draw_id=did)


class MemberDrawsState(rx.State):
    """The member's draw list: each group's open draw and past draws."""

    groups: list[dict[str, Any]] = []
    loading: bool = True
    error: str = ""
    _shown: str = ""  # the page key of what this tab shows (kept by member_page)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        page = await member_page(self, "draws", lambda s, actor: draw_views.member_draws(s, actor=actor))
        if page.away or page.unchanged:  # unchanged: the tab shows this page already (nothing assigned)
            return page.away
        if page.data is None:
            self.groups, self.error, self.loading = [], page.error, False
            return None
        rows = page.data
        self.groups = [
            {
                **_strings(g),
                "current": _strings(g["current"]) if g["current"] else {},
                "past": _rows(g["past"]),
                "has_current": "yes" if g["has_current"] else "",
            }
            for g in rows
        ]
        self.error, self.loading = "", False
        return None


class MinutesState(rx.State):
    """The printable minutes of one draw, for the group's foreman and members."""

    info: dict[str, str] = {}
    timeline: list[dict[str, str]] = []
    eligible: list[dict[str, str]] = []
    bids: list[dict[str, str]] = []
    closed_early: bool = False
    closed_automatically: bool = False
    has_bids: bool = False
    loading: bool = True
    error: str = ""

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading = True
        actor = await current_actor(self)
        if actor is None:
            return rx.redirect("/login")
        did = str(self.router.page.params.get("draw_id", ""))
        try:
            page = await run_service(lambda s: draw_views.minutes(s, actor=actor, draw_id=did))
        except Failed as exc:
            self.info, self.timeline, self.eligible, self.bids = {}, [], [], []
            self.error, self.loading = exc.message, False
            return None
        self.info = _strings(page)
        self.timeline, self.eligible, self.bids = (
            _rows(page["timeline"]),
            _rows(page["eligible"]),
            _rows(page["bids"]),
        )
        self.closed_early, self.has_bids = bool(page["closed_early"]), bool(page["has_bids"])
        self.closed_automatically = bool(page["closed_automatically"])
        self.error, self.loading = "", False
        return None

    @rx.event
    def print_page(self) -> rx.event.EventSpec:
        return rx.call_script("window.print()")


class VerifyState(rx.State):
    """The public verify page: the stored proof's checks, and a box for any proof file."""

    info: dict[str, str] = {}
    checks: list[dict[str, str]] = []
    sha_rows: list[dict[str, str]] = []
    has_draw: bool = False
    completed: bool = False
    all_ok: bool = False
    error: str = ""
    _lang: str = "en"
    pasted_checks: list[dict[str, str]] = []
    pasted_sha: str = ""
    pasted_ok: bool = False
    pasted_done: bool = False
    pasted_error: str = ""

    def _reset_pasted(self) -> None:
        self.pasted_checks, self.pasted_sha, self.pasted_ok, self.pasted_done, self.pasted_error = (
            [],
            "",
            False,
            False,
            "",
        )

    @rx.event
    async def load(self) -> None:
        self._reset_pasted()
        # Public page: a signed-in member reads it in their language (this also refreshes t()).
        actor = await current_actor(self)
        self._lang = lang = actor.language if actor is not None and actor.role == "member" else "en"
        did = str(self.router.page.params.get("draw_id", ""))
        self.has_draw = bool(did)
        if not did:
            self.info, self.checks, self.sha_rows, self.completed, self.all_ok, self.error = (
                {},
                [],
                [],
                False,
                False,
                "",
            )
            return
        try:
            view = await run_service(lambda s: draw_views.verify_view(s, draw_id=did, lang=lang))
        except Failed as exc:
            self.info, self.checks, self.sha_rows, self.completed, self.all_ok = {}, [], [], False, False
            self.error = message(lang, exc.message)
            return
        self.info = _strings(view)
        self.checks, self.sha_rows = _rows(view["checks"]), _rows(view["sha_rows"])
        self.completed, self.all_ok, self.error = bool(view["completed"]), bool(view["all_ok"]), ""

    async def _check_text(self, text: object) -> None:
        result = await asyncio.to_thread(draw_views.verify_text, text, self._lang)
        self.pasted_error, self.pasted_sha = result["error"], result["sha"]
        self.pasted_checks, self.pasted_ok = _rows(result["checks"]), bool(result["all_ok"])
        self.pasted_done = not result["error"]

    @rx.event
    async def check_pasted(self, form: dict) -> None:
        await self._check_text(form.get("proof"))

    @rx.event
    async def check_upload(self, files: list[rx.UploadFile]) -> None:
        """A proof file chosen on the phone or computer; only the first file, at most 256 kB."""
        self._reset_pasted()
        if not files:
            self.pasted_error = tr(self._lang, "verify.choose_first")
            return
        data = await files[0].read(draw_views.MAX_PROOF_CHARS * 4 + 1)
        if len(data) > draw_views.MAX_PROOF_CHARS * 4:
            self.pasted_error = tr(self._lang, "verify.too_big")
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.pasted_error = tr(self._lang, "verify.not_utf8")
            return
        await self._check_text(text)
