"""Who is signed in. The browser holds only its own random session token, in an HttpOnly cookie
that an HTTP response set (api/session_cookie.py) and the websocket's handshake carries; Reflex keeps
handshake cookies on the server, so no script and no state var ever holds the token (issue 17). The
role and ids are looked up from the database on every event that needs them."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import reflex as rx
from sqlalchemy.sql import Select
from sqlmodel import Session
from starlette.requests import cookie_parser

from luckychit_app.services.access import Actor
from luckychit_app.services.people import auth, sign_in_grants
from luckychit_app.services.people.sign_in_grants import HOME_BY_ROLE, SESSION_COOKIE, home_of
from luckychit_app.services.reporting import page_versions
from luckychit_app.state.runner import Failed, run_check, run_service

Roles = str | tuple[str, ...]
"""The role a page is for, or the roles (a company's owner and staff share the cash pages)."""
COMPANY_ROLES = ("staff", "foreman")
"""The roles of a company's people: staff hold, hand over and collect cash at the desk; the company's
owner (a foreman) may collect there too, receives the cash and reads every branch's book."""
T = TypeVar("T")


@functools.cache
def _app_states() -> tuple[type[rx.State], ...]:
    """Every state class this app defines (Reflex's own internal states left out), depth first."""

    def walk(cls: type[rx.State]) -> list[type[rx.State]]:
        found = [cls] if cls.__module__.startswith("luckychit_app.") else []
        for sub in sorted(cls.get_substates(), key=lambda c: c.get_full_name()):
            found += walk(sub)
        return found

    return tuple(walk(rx.State))


def post_form(action: str, fields: dict[str, str]) -> rx.event.EventSpec:
    """The tab posts a form to one of the app's HTTP routes and follows the answer as a full page
    load (a new websocket, whose handshake carries the cookie the answer set or cleared)."""
    return rx.call_script(
        "(() => { const f = document.createElement('form'); f.method = 'POST'; "
        f"f.action = {json.dumps(action)}; "
        f"for (const [k, v] of Object.entries({json.dumps(fields)})) {{ "
        "const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; "
        "f.appendChild(i); } document.body.appendChild(f); f.submit(); })()"
    )


def _roles(role: Roles) -> tuple[str, ...]:
    """The roles a page is for, as a tuple."""
    return (role,) if isinstance(role, str) else role


class SessionState(rx.State):
    user_name: str = ""
    role: str = ""
    staff_role: str = ""  # for showing a staff member only the tabs their role uses
    must_change: bool = False
    language: str = "en"

    def _token(self) -> str:
        """The session token from the cookie this tab's websocket was opened with."""
        return cookie_parser(self.router.headers.cookie or "").get(SESSION_COOKIE, "")

    async def _actor(self) -> Actor | None:
        try:
            checked = await _check(self._token(), auth.SESSION_ACTOR)
        except Failed:
            return self._remember(None)
        found = checked[0] if checked else None
        if found is None and self.role:  # the session ended (expired, or signed out elsewhere)
            await self._wipe_tab()
        return self._remember(found)

    async def _wipe_tab(self) -> None:
        """Every state of this tab back to its defaults, when its sign-in ends (issue 17): the states
        stay on the server under the tab's client token, so without this a reconnect with that token
        (the next person on a shared phone) would be sent the last reader's passbook and dues."""
        for cls in _app_states():
            if cls is not SessionState:
                (await self.get_state(cls)).reset()
        self._forget()

    def _forget(self) -> None:
        """Nobody is signed in here any more."""
        self.user_name, self.role, self.staff_role, self.must_change = "", "", "", False

    def _remember(self, found: tuple[Actor, bool] | None) -> Actor | None:
        if found is None:
            self._forget()
            return None
        actor, must_change = found
        # Assigned only when different: an assignment marks the state changed, and a changed state
        # is written back to Redis after the event (most events find the same user).
        for name, value in (
            ("user_name", actor.name),
            ("role", actor.role),
            ("staff_role", actor.staff_role),
            ("must_change", must_change),
            ("language", actor.language),
        ):
            if getattr(self, name) != value:
                setattr(self, name, value)
        return actor

    async def _start(self, token: str) -> rx.event.EventSpec:
        """A sign-in opened the session `token`: the tab trades a grant for it as its cookie and
        lands on its home page (services/people/sign_in_grants.py)."""
        grant = await run_service(lambda s: sign_in_grants.issue(s, token))
        return post_form("/api/session", {"grant": grant})

    async def _go_home(self) -> rx.event.EventSpec:
        """To the signed-in user's home (or the password change it must make first), else sign-in."""
        actor = await self._actor()
        if actor is None:
            return rx.redirect("/login")
        return rx.redirect(home_of(actor.role, self.must_change))

    def _away(self, actor: Actor | None, role: Roles) -> rx.event.EventSpec | None:
        """Where a page of `role` sends this session instead, if anywhere (convenience only: every
        handler re-checks through the services)."""
        if actor is None:
            return rx.redirect("/login")
        if self.must_change:
            return rx.redirect("/change-password")
        if actor.role not in _roles(role):
            return rx.redirect(HOME_BY_ROLE[actor.role])
        return None

    @rx.event
    async def guard_foreman(self) -> rx.event.EventSpec | None:
        """The guard of a foreman page that loads nothing (pages that load call `page_actor`)."""
        return self._away(await self._actor(), "foreman")

    @rx.event
    async def route_home(self) -> rx.event.EventSpec:
        return await self._go_home()

    async def _signed_out(self) -> rx.event.EventSpec:
        """The tab forgets its reader; a browser that held a session also has its cookie cleared."""
        had_session = bool(self.role)
        await self._wipe_tab()
        return post_form("/api/session/end", {}) if had_session else rx.redirect("/login")

    @rx.event
    async def logout(self) -> rx.event.EventSpec:
        token = self._token()
        await self._actor()  # who was signed in here (an ended session is wiped by this)
        await run_service(lambda s: auth.logout(s, token=token))
        return await self._signed_out()

    @rx.event
    async def logout_everywhere(self) -> rx.event.EventSpec:
        actor = await self._actor()
        if actor is not None:
            await run_service(lambda s: auth.revoke_all(s, user_id=actor.user_id))
        return await self._signed_out()


@dataclasses.dataclass(frozen=True)
class Page(Generic[T]):
    """What a page load starts from: the signed-in actor and the page's data, or where to send the
    browser instead (`away`), or the read's error, already in the reader's language. A keyed read
    also returns the page's key, and `unchanged` instead of data when it equals the key the tab
    last showed."""

    actor: Actor | None
    data: T | None = None
    away: rx.event.EventSpec | None = None
    error: str = ""
    key: str = ""
    unchanged: bool = False


async def page_read(
    state: rx.State,
    role: Roles,
    read: Callable[[Session, Actor], T],
    *,
    key: Callable[[Actor, str | None], str] | None = None,
    seen: str = "",
) -> Page[T]:
    """A page load's session check, page guard and data read in one event (a separate guard event,
    then a lookup and a read of their own, cost three events, thread hops and checkouts). Services
    still check the actor themselves.

    The check is one statement on the event loop (`_check`). With `key`, the page's key is made from
    the member's counters, read in the check's own statement (`page_versions.SESSION_WITH_COUNTERS`),
    and the read is skipped when it equals `seen`, the key of what the tab shows (see
    services/reporting/page_versions.py): most navigations find the page unchanged and cost that one
    statement. The read, when there is one, is a transaction of its own on a worker thread."""
    session = await state.get_state(SessionState)  # this tab's own parent state: already loaded
    statement = page_versions.SESSION_WITH_COUNTERS if key else auth.SESSION_ACTOR
    try:
        checked = await _check(session._token(), statement, lang=session.language)
    except Failed:  # the database did not answer: the tab is treated as signed out, as `_actor` does
        checked = None
    actor = session._remember(checked[0] if checked else None)
    away = session._away(actor, role)
    if away or actor is None:
        return Page(None, away=away)
    now = key(actor, checked[1][0] if checked else None) if key else ""
    if now and now == seen:
        return Page(actor, key=now, unchanged=True)
    try:
        data = await run_service(lambda s: read(s, actor), lang=actor.language)
    except Failed as exc:  # the read failed (a forged id, say): the session is looked up again
        actor = await session._actor()
        away = session._away(actor, role)
        return Page(None, away=away) if away else Page(actor, error=exc.message)
    return Page(actor, data, key=now)


async def _check(
    token: str, statement: Select, *, lang: str = "en"
) -> tuple[tuple[Actor, bool], Sequence] | None:
    """`auth.session_of_row` for this tab's token: one statement, on the event loop on PostgreSQL
    (luckychit_app/db_loop.py), no thread hop and no ORM session for the check every event starts with."""
    values = auth.session_values(token)
    return None if values is None else auth.session_of_row(await run_check(statement, values, lang=lang))


async def member_page(state: rx.State, name: str, read: Callable[[Session, Actor], T]) -> Page[T]:
    """`page_read` of a member page keyed by `page_versions.page_key`. `state._shown` is the
    key of what the tab shows: set here when the page is read, cleared when the read failed, and left
    alone (not even assigned) when the page is unchanged or the caller is sent away."""
    page = await page_read(
        state,
        "member",
        read,
        key=lambda actor, counters: page_versions.page_key(actor, name, counters),
        seen=state._shown,
    )
    if not (page.away or page.unchanged):
        state._shown = page.key if page.data is not None else ""
    return page


async def page_actor(state: rx.State, role: Roles) -> tuple[Actor | None, rx.event.EventSpec | None]:
    """`page_read` for a load that reads in its own steps: (the actor, None) or (None, away)."""
    page = await page_read(state, role, lambda _s, _a: None)
    return page.actor, page.away


async def current_actor(state: rx.State) -> Actor | None:
    session = await state.get_state(SessionState)
    return await session._actor()
