"""Sign-in, foreman sign-up and password change forms."""

from __future__ import annotations

import reflex as rx

from luckychit_app import ratelimit
from luckychit_app.services.people import auth
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


class LoginState(rx.State):
    error: str = ""
    notice: str = ""
    busy: bool = False
    code_sent_to: str = ""

    def _agent(self) -> str:
        return str(self.router.headers.user_agent or "")[:200]

    def _limited(self, scope: str) -> bool:
        """Per-IP limit on top of the per-mobile lockout, against password spraying."""
        if ratelimit.hit(scope, self.router.session.client_ip or "unknown"):
            return False
        self.error = "Too many attempts from this connection. Wait a few minutes and try again."
        return True

    @rx.event
    async def submit(self, form: dict) -> rx.event.EventSpec | None:
        self.error, self.notice, self.busy = "", "", True
        yield
        if self._limited("signin"):
            self.busy = False
            return
        mobile, password, agent = form.get("mobile"), form.get("password"), self._agent()
        try:
            token = await run_service(
                lambda s: auth.login(s, mobile=mobile, password=password, user_agent=agent),
                commit_on_error=True,
            )
        except Failed as exc:
            self.error, self.busy = exc.message, False
            return
        self.busy = False
        session = await self.get_state(SessionState)
        yield await session._start(token)

    @rx.event
    async def send_code(self, form: dict) -> None:
        self.error, self.notice = "", ""
        if self._limited("code"):
            return
        mobile = form.get("mobile")
        try:
            await run_service(lambda s: auth.request_code(s, mobile=mobile))
        except Failed as exc:
            self.error = exc.message
            return
        self.code_sent_to = str(mobile)
        self.notice = "If this number has an account, a 6-digit code is on its way."

    @rx.event
    async def submit_code(self, form: dict) -> rx.event.EventSpec | None:
        self.error = ""
        if self._limited("signin"):
            return None
        mobile, code, agent = self.code_sent_to, form.get("code"), self._agent()
        try:
            token = await run_service(
                lambda s: auth.login_with_code(s, mobile=mobile, code=code, user_agent=agent),
                commit_on_error=True,
            )
        except Failed as exc:
            self.error = exc.message
            return None
        session = await self.get_state(SessionState)
        return await session._start(token)

    @rx.event
    def use_password(self) -> None:
        self.code_sent_to, self.notice, self.error = "", "", ""


class SignupState(rx.State):
    error: str = ""

    @rx.event
    async def submit(self, form: dict) -> rx.event.EventSpec | None:
        self.error = ""
        if form.get("password") != form.get("confirm"):
            self.error = "The two passwords do not match."
            return None
        name, mobile, password = form.get("name"), form.get("mobile"), form.get("password")
        try:
            token = await run_service(
                lambda s: auth.sign_up_foreman(s, name=name, mobile=mobile, password=password)
            )
        except Failed as exc:
            self.error = exc.message
            return None
        session = await self.get_state(SessionState)
        return await session._start(token)


class ChangePasswordState(rx.State):
    error: str = ""
    notice: str = ""

    @rx.event
    async def submit(self, form: dict) -> rx.event.EventSpec | None:
        self.error, self.notice = "", ""
        if form.get("new") != form.get("confirm"):
            self.error = "The two new passwords do not match."
            return None
        actor = await current_actor(self)
        if actor is None:
            return rx.redirect("/login")
        session = await self.get_state(SessionState)
        token, current, new = session.token, form.get("current"), form.get("new")
        try:
            await run_service(
                lambda s: auth.change_password(s, actor=actor, current=current, new=new, token=token)
            )
        except Failed as exc:
            self.error = exc.message
            return None
        return await session._start(token)
