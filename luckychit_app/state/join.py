"""Invite links: a newcomer signs up and asks to join; a signed-in member just asks. The page is in the
language chosen on it, and a new account starts in that language."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from luckychit_app.i18n import text
from luckychit_app.services.access import Actor
from luckychit_app.services.people import auth, members
from luckychit_app.state.auth_pages import (
    SignupCodeState,
    adopt_language,
    chosen_language,
    explicit_language,
)
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


class JoinState(SessionState):
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
        lang = await chosen_language(self)
        try:
            self.preview = await run_service(lambda s: members.invite_preview(s, code=code), lang=lang)
        except Failed as exc:
            self.preview, self.error = {}, exc.message

    @rx.event
    async def sign_up(self, form: dict) -> rx.event.EventSpec | None:
        self.error = ""
        lang, chosen = await chosen_language(self), await explicit_language(self)
        code, name, mobile_code, password = (
            self._code(),
            form.get("name"),
            form.get("code"),
            form.get("password"),
        )

        def create(s: Session, mobile: str) -> str:
            user, _ = members.sign_up_member(
                s, code=code, name=name, mobile=mobile, mobile_code=mobile_code, password=password
            )
            adopt_language(s, Actor(user.id, "member", user.name, user.language), chosen)
            return auth.open_session(s, user)

        return await (await self.get_state(SignupCodeState))._create(form, lang, create)

    @rx.event
    async def ask(self) -> None:
        self.error, self.notice = "", ""
        actor: Actor | None = await current_actor(self)
        code = self._code()
        lang = actor.language if actor is not None else await chosen_language(self)
        try:
            await run_service(lambda s: members.request_to_join(s, actor=actor, code=code), lang=lang)
        except Failed as exc:
            self.error = exc.message
            return
        self.notice = text(lang, "join.sent")
