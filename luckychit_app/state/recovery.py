"""Getting back into an account (issue 18, item 5): the forgot-password page (a code texted to the
account's mobile, then a new password) and the foreman's "new temporary password" for a member."""

from __future__ import annotations

import reflex as rx

from luckychit_app.i18n import text
from luckychit_app.services.people import recovery
from luckychit_app.state.auth_pages import CodeStep, chosen_language, over_limit
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


class ResetPasswordState(CodeStep, SessionState):
    """Two steps on /forgot-password: the number gets a code, then the code and a new password sign
    the owner in. Codes share the sign-in codes' per-number limit and lockout; the address limit
    (ratelimit) bounds how many numbers one connection can probe."""

    @rx.event
    async def send(self, form: dict) -> None:
        await self._send_code(
            form, "code", lambda s, m: recovery.request_reset_code(s, mobile=m), "reset.sent"
        )

    @rx.event
    async def save_password(self, form: dict) -> rx.event.EventSpec | None:
        """A wrong code counts against the code and the number even though the call fails."""
        self.error = ""
        lang = await chosen_language(self)
        if over_limit(self, "signin"):
            self.error = text(lang, "public.too_many")
            return None
        if not self.code_sent_to:
            self.error = text(lang, "public.code_first")
            return None
        if form.get("password") != form.get("confirm"):
            self.error = text(lang, "public.mismatch")
            return None
        mobile, code, new = self.code_sent_to, form.get("code"), form.get("password")
        agent = str(self.router.headers.user_agent or "")[:200]
        try:
            token = await run_service(
                lambda s: recovery.reset_password(s, mobile=mobile, code=code, new=new, user_agent=agent),
                commit_on_error=True,
                lang=lang,
            )
        except Failed as exc:
            self.error = exc.message
            return None
        self.code_sent_to, self.notice = "", ""
        return await (await self.get_state(SessionState))._start(token)


class TemporaryPasswordState(SessionState):
    """The foreman's answer for a member locked out without a phone: a temporary password shown once
    here, which the member replaces at the next sign-in."""

    member_name: str = ""
    password: str = ""
    error: str = ""

    @rx.event
    async def issue(self, member_id: str) -> None:
        self.member_name, self.password, self.error = "", "", ""
        actor = await current_actor(self)
        try:
            name, temp = await run_service(
                lambda s: recovery.issue_temporary_password(s, actor=actor, member_id=member_id)
            )
        except Failed as exc:
            self.error = exc.message
            return
        self.member_name, self.password = name, temp

    @rx.event
    def dismiss(self) -> None:
        self.member_name, self.password, self.error = "", "", ""
