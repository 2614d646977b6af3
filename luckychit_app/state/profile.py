"""The member's profile tab: language, KYC, notification channels and signed-in devices."""

from __future__ import annotations

import reflex as rx

from luckychit_app.i18n import text
from luckychit_app.services.access import Actor
from luckychit_app.services.messages import inbox, notifications
from luckychit_app.services.people import kyc, profile
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, page_actor


class ProfileState(rx.State):
    kyc_status: str = "none"
    pan_masked: str = ""
    aadhaar_masked: str = ""
    notify_sms: bool = True
    notify_email: bool = False
    sessions: list[dict[str, str]] = []
    error: str = ""
    notice: str = ""

    async def _session_and_actor(self):  # noqa: ANN202
        session = await self.get_state(SessionState)
        return session, await session._actor()

    async def _reload(self, actor: Actor, token: str) -> None:
        def _read(s) -> tuple[dict, dict, list]:  # noqa: ANN001
            return (
                kyc.summary(s, actor=actor),
                profile.preferences(s, actor=actor),
                profile.sessions(s, actor=actor, current_token=token),
            )

        k, prefs, devices = await run_service(_read, lang=actor.language)
        self.kyc_status, self.pan_masked, self.aadhaar_masked = k["status"], k["pan"], k["aadhaar"]
        self.notify_sms, self.notify_email = bool(prefs["notify_sms"]), bool(prefs["notify_email"])
        self.sessions = devices

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.error, self.notice = "", ""
        actor, away = await page_actor(self, "member")
        if away:
            return away
        session = await self.get_state(SessionState)
        try:
            await self._reload(actor, session.token)
        except Failed as exc:
            self.error = exc.message
        return None

    async def _act(self, fn) -> None:  # noqa: ANN001
        self.error, self.notice = "", ""
        session, actor = await self._session_and_actor()
        try:
            await run_service(lambda s: fn(s, actor), lang=session.language)
        except Failed as exc:
            self.error = exc.message
            return
        self.notice = text(session.language, "profile.saved")
        await self._reload(actor, session.token)

    @rx.event
    async def set_language(self, value: str | list[str]) -> None:
        await self._act(lambda s, actor: profile.set_language(s, actor=actor, language=value))
        session = await self.get_state(SessionState)
        await session._actor()  # picks up the new language for every t(...) on the page
        if self.notice:
            self.notice = text(session.language, "profile.saved")

    @rx.event
    async def submit_kyc(self, form: dict) -> None:
        pan_number, aadhaar_number = form.get("pan", ""), form.get("aadhaar", "")
        await self._act(
            lambda s, actor: kyc.submit(s, actor=actor, pan_number=pan_number, aadhaar_number=aadhaar_number)
        )

    @rx.event
    async def toggle_sms(self, value: bool) -> None:
        email = self.notify_email
        await self._act(lambda s, actor: profile.set_notifications(s, actor=actor, sms=value, email=email))

    @rx.event
    async def toggle_email(self, value: bool) -> None:
        sms = self.notify_sms
        await self._act(lambda s, actor: profile.set_notifications(s, actor=actor, sms=sms, email=value))

    @rx.event
    async def revoke(self, session_id: str) -> None:
        await self._act(lambda s, actor: profile.revoke_session(s, actor=actor, session_id=session_id))


class InboxPageState(rx.State):
    items: list[dict[str, str]] = []

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        actor, away = await page_actor(self, "member")
        if away:
            return away

        def _read_and_mark(s) -> list[dict[str, str]]:  # noqa: ANN001
            items = inbox.snapshot(s, actor=actor, limit=50)[2]
            notifications.mark_all_read(s, actor=actor)
            return items

        try:
            self.items = await run_service(_read_and_mark)
        except Failed:
            self.items = []
        return None
