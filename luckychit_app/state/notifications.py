"""The bell in the member shell and the notifications list: the unread count and the latest
notifications kept live while a page is open, and a toast for what arrives while the tab is open.

Toasts (issue 16): only notifications that arrive after this sign-in's first look are toasted, never
the old ones a member finds at sign-in; at most one toast shows at a time (one id, so a newer one
replaces it; several at once are summed up as "3 new notifications"); it sits above the bottom tabs,
clear of the page's title; tapping its button opens the notification's link (a payment's receipt).
The list page reads the same live items, so a notification that arrives while it is open appears
there at once, and the count follows every mark-as-read without a reload."""

from __future__ import annotations

import asyncio
import hashlib
import json

import reflex as rx

from luckychit_app.i18n import text
from luckychit_app.services.access import Actor
from luckychit_app.services.messages import inbox, notifications
from luckychit_app.state.hub import tab_connected
from luckychit_app.state.member import MemberHomeState
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, page_actor

POLL_SECONDS = 1.0
FOREMAN_POLL_SECONDS = 5.0
"""A foreman's desktop tab stays open all day beside his work: its bell is read every 5 s, not every
second like a member's phone watching a draw (a foreman's notices are queries and requests)."""
LIST_LIMIT = 50
"""The list page shows this many of the latest notifications (the bell keeps inbox.LIMIT)."""
TOAST_ID = "bell-toast"
TOAST_MS = 6000
# Sonner's toaster sits 16-24 px above the window's bottom; the member's tab bar is about 58 px
# tall, so the toast is lifted clear of it (and stays away from the page's title at the top).
TOAST_STYLE = {"marginBottom": "72px"}
LIST_PATH = "/m/notifications"
FOREMAN_LIST_PATH = "/f/notifications"
LIST_ROLES = ("member", "foreman")
"""Who has a notifications page (an admin's notifications are read from the admin page's feed)."""


def list_path(role: str) -> str:
    """The reader's notifications page: the foreman's desktop one, or the member's."""
    return FOREMAN_LIST_PATH if role == "foreman" else LIST_PATH


def _fingerprint(token: str) -> str:
    """Which sign-in the tab's counters belong to, without keeping the session token itself."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def toast_for(fresh: list[dict[str, str]], lang: str, all_path: str = LIST_PATH) -> rx.event.EventSpec | None:
    """One toast for the notifications that just arrived: the notification itself (its button opens
    it), or, for several, how many arrived (its button opens the list)."""
    if not fresh:
        return None
    common = {
        "id": TOAST_ID,
        "duration": TOAST_MS,
        "position": "bottom-center",
        "close_button": True,
        "style": TOAST_STYLE,
    }
    if len(fresh) > 1:
        return rx.toast.info(
            text(lang, "bell.new_many", n=len(fresh)),
            action={"label": text(lang, "bell.see_all"), "on_click": rx.redirect(all_path)},
            **common,
        )
    item = fresh[0]
    extra = {"description": item["body"]} if item["body"] else {}
    if item["link"]:
        extra["action"] = {"label": text(lang, "bell.open"), "on_click": BellState.open_item(item["id"])}
    return rx.toast.info(item["title"], **extra, **common)


class BellState(SessionState):
    unread: int = 0
    items: list[dict[str, str]] = []
    listed: bool = False  # the list page has read the notifications once (no "none yet" flash)
    _signin: str = ""  # the sign-in `_seen` belongs to (a new sign-in starts afresh)
    _seen: int = 0  # the newest notification id this tab has shown: only newer ones are toasted
    _limit: int = inbox.LIMIT
    _visit_new: list[int] = []  # marked read by opening the list, still shown as "New" on this visit
    _watching: bool = False

    async def _reader(self) -> tuple[Actor | None, str]:
        session = await self.get_state(SessionState)
        return await session._actor(), _fingerprint(session._token())

    async def _read(self, actor: Actor) -> inbox.Inbox | None:
        """The reader's inbox, or None when the read failed (tried again on the next round)."""
        limit = self._limit
        try:
            return await run_service(lambda s: inbox.read(s, actor=actor, limit=limit))
        except Failed:
            return None

    def _take(self, got: inbox.Inbox, signin: str) -> list[dict[str, str]]:
        """Show what was read; return the notifications new to this tab since this sign-in."""
        if signin != self._signin:  # signed in afresh: what is there already is not news
            self._signin, self._seen = signin, got.newest
            fresh = []
        else:
            fresh = [i for i in got.items if int(i["id"]) > self._seen]
            self._seen = max(self._seen, got.newest)
        self._show(got)
        return fresh

    def _show(self, got: inbox.Inbox) -> None:
        """The count and the items, each marked "new" while unread or new on this visit of the list.
        Assigned only when changed: every assignment is sent to the phone."""
        items = [
            {**i, "new": "yes" if i["unread"] or int(i["id"]) in self._visit_new else ""} for i in got.items
        ]
        if self.unread != got.unread:
            self.unread = got.unread
        if self.items != items:
            self.items = items

    @rx.event(background=True)
    async def watch(self):  # noqa: ANN201  (a background event yields toasts)
        """Poll while the tab is connected; a new notification pops a toast within about a second.
        A failed read (a busy database) is tried again on the next round; signing out ends it."""
        async with self:
            if self._watching:
                return
            self._watching = True
        try:
            while tab_connected(self, when_unknown=False):
                async with self:
                    actor, signin = await self._reader()
                    if actor is None or actor.role not in notifications.READERS:
                        return
                    got = await self._read(actor)
                    fresh = self._take(got, signin) if got is not None else []
                    # The tab's current page, as its latest event said.
                    path = str(self.router.url.path).rstrip("/") or "/"
                # On a draw page the animation reveals the winner; a toast must not spoil it.
                on_draw_page = path.startswith("/m/draws")
                shown = [i for i in fresh if not (on_draw_page and i["kind"] == "draw_result")]
                # The list page shows new ones at the top already.
                all_path = list_path(actor.role)
                toast = (
                    toast_for(shown, got.language, all_path) if got is not None and path != all_path else None
                )
                if toast is not None:
                    yield toast
                if fresh and path == "/m":
                    yield MemberHomeState.load  # what is due may have changed
                await asyncio.sleep(FOREMAN_POLL_SECONDS if actor.role == "foreman" else POLL_SECONDS)
        finally:
            async with self:
                self._watching = False

    async def _refresh(self, actor: Actor, signin: str, *, mark_read: bool) -> list[int]:
        """Read (and, for the list page, first mark read) the reader's notifications: the count drops
        at once. Returns the ids this call marked read."""
        limit = self._limit

        def work(s) -> tuple[inbox.Inbox, list[int]]:  # noqa: ANN001
            got = inbox.read(s, actor=actor, limit=limit)
            marked = [int(i["id"]) for i in got.items if i["unread"]] if mark_read else []
            if mark_read and got.unread:
                notifications.mark_all_read(s, actor=actor)
                got = inbox.read(s, actor=actor, limit=limit)
            return got, marked

        try:
            got, marked = await run_service(work, lang=actor.language)
        except Failed:
            return []
        if self._signin != signin:
            self._signin, self._seen = signin, got.newest
        self._seen = max(self._seen, got.newest)
        self._show(got)
        return marked

    @rx.event
    async def open_list(self) -> rx.event.EventSpec | None:
        """The list page's load: the latest notifications, the unread ones marked read (the bell's
        count drops to 0 at once) and shown as new on this visit."""
        actor, away = await page_actor(self, LIST_ROLES)
        if away:
            return away
        self._limit, self._visit_new = LIST_LIMIT, []
        marked = await self._refresh(actor, (await self._reader())[1], mark_read=True)
        if marked:
            self._visit_new = marked
            self.items = [{**i, "new": "yes" if int(i["id"]) in marked else ""} for i in self.items]
        self.listed = True
        return None

    @rx.event
    async def mark_all_read(self) -> None:
        actor, signin = await self._reader()
        if actor is None:
            return
        self._visit_new = []
        await self._refresh(actor, signin, mark_read=True)

    @rx.event
    async def open_item(self, notification_id: str) -> rx.event.EventSpec | None:
        """Open one notification (a toast's button, a card of the list): marked read, then its link.
        Only the reader's own: any other id is refused alike, changing nothing."""
        actor, signin = await self._reader()
        if actor is None:
            return rx.redirect("/login")
        try:
            link = await run_service(
                lambda s: notifications.open_one(s, actor=actor, notification_id=notification_id),
                lang=actor.language,
            )
        except Failed as exc:
            return rx.toast.error(exc.message, position="bottom-center", style=TOAST_STYLE)
        self._visit_new = [i for i in self._visit_new if str(i) != str(notification_id)]
        await self._refresh(actor, signin, mark_read=False)
        if not link:
            return rx.redirect(list_path(actor.role))
        if link.startswith("/api/"):
            # A download (a no-dues certificate's PDF), not a page of the app: the browser fetches it.
            return rx.call_script(f"window.location.assign({json.dumps(link)})")
        return rx.redirect(link)
