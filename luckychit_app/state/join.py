"""Invite links: a newcomer signs up and asks to join; a signed-in member just asks."""

from __future__ import annotations

import reflex as rx

from luckychit_app.services.access import Actor
from luckychit_app.services.people import auth, members
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


class JoinState(rx.State):
    preview: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    signed_in_member: bool = False

    def _code(self) -> str:
        # The route's [code], a var Reflex adds to the root state (not the deprecated router.page).
        return str(self.code)[:16]

    @rx.event
    async def load(self) -> None:
        self.error, self.notice = "", ""
        code = self._code()
        actor = await current_actor(self)
        self.signed_in_member = actor is not None and actor.role == "member"
        try:
            self.preview = await run_service(lambda s: members.invite_preview(s, code=code))
        except Failed as exc:
            self.preview, self.error = {}, exc.message

    @rx.event
    async def sign_up(self, form: dict) -> rx.event.EventSpec | None:
        self.error = ""
        if form.get("password") != form.get("confirm"):
            self.error = "The two passwords do not match."
            return None
        code, name, mobile, password = (
            self._code(),
            form.get("name"),
            form.get("mobile"),
            form.get("password"),
        )

        def _do(s) -> str:  # noqa: ANN001
            user, _ = members.sign_up_member(s, code=code, name=name, mobile=mobile, password=password)
            return auth.open_session(s, user)

        try:
            token = await run_service(_do)
        except Failed as exc:
            self.error = exc.message
            return None
        session = await self.get_state(SessionState)
        session.token = token
        self.notice = "Your request to join has been sent to the foreman."
        return rx.redirect("/m")

    @rx.event
    async def ask(self) -> None:
        self.error, self.notice = "", ""
        actor: Actor | None = await current_actor(self)
        code = self._code()
        try:
            await run_service(lambda s: members.request_to_join(s, actor=actor, code=code))
        except Failed as exc:
            self.error = exc.message
            return
        self.notice = "Your request to join has been sent to the foreman."
