"""Who is signed in. The browser holds only its own random session token (in a cookie); the
role and ids are looked up from the database on every event that needs them."""

from __future__ import annotations

import reflex as rx

from luckychit_app.services import auth
from luckychit_app.services.access import Actor
from luckychit_app.settings import get_settings
from luckychit_app.state.runner import Failed, run_service

HOME_BY_ROLE = {"admin": "/admin", "foreman": "/f", "member": "/m"}


class SessionState(rx.State):
    token: str = rx.Cookie(
        "",
        name="lc_session",
        same_site="strict",
        max_age=get_settings().session_hours * 3600,
        secure=get_settings().public_url.startswith("https"),
    )
    user_name: str = ""
    role: str = ""
    must_change: bool = False
    language: str = "en"

    async def _actor(self) -> Actor | None:
        token = self.token
        try:
            found = await run_service(lambda s: auth.actor_for_token(s, token))
        except Failed:
            found = None
        if found is None:
            self.user_name, self.role, self.must_change = "", "", False
            return None
        actor, must_change = found
        self.user_name, self.role, self.must_change = actor.name, actor.role, must_change
        self.language = actor.language
        return actor

    async def _start(self, token: str) -> rx.event.EventSpec:
        self.token = token
        actor = await self._actor()
        if actor is None:
            return rx.redirect("/login")
        return rx.redirect("/change-password" if self.must_change else HOME_BY_ROLE[actor.role])

    async def _guard(self, *roles: str) -> rx.event.EventSpec | None:
        """Page guard (convenience only: every handler re-checks through the services)."""
        actor = await self._actor()
        if actor is None:
            return rx.redirect("/login")
        if self.must_change:
            return rx.redirect("/change-password")
        if actor.role not in roles:
            return rx.redirect(HOME_BY_ROLE[actor.role])
        return None

    @rx.event
    async def guard_foreman(self) -> rx.event.EventSpec | None:
        return await self._guard("foreman")

    @rx.event
    async def guard_member(self) -> rx.event.EventSpec | None:
        return await self._guard("member")

    @rx.event
    async def guard_admin(self) -> rx.event.EventSpec | None:
        return await self._guard("admin")

    @rx.event
    async def route_home(self) -> rx.event.EventSpec:
        actor = await self._actor()
        if actor is None:
            return rx.redirect("/login")
        return rx.redirect("/change-password" if self.must_change else HOME_BY_ROLE[actor.role])

    @rx.event
    async def logout(self) -> rx.event.EventSpec:
        token = self.token
        await run_service(lambda s: auth.logout(s, token=token))
        self.token, self.user_name, self.role, self.must_change = "", "", "", False
        return rx.redirect("/login")

    @rx.event
    async def logout_everywhere(self) -> rx.event.EventSpec:
        actor = await self._actor()
        if actor is not None:
            await run_service(lambda s: auth.revoke_all(s, user_id=actor.user_id))
        self.token, self.user_name, self.role, self.must_change = "", "", "", False
        return rx.redirect("/login")


async def current_actor(state: rx.State) -> Actor | None:
    session = await state.get_state(SessionState)
    return await session._actor()
