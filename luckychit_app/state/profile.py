"""The member's profile tab: language, KYC, notification channels and signed-in devices."""

from __future__ import annotations

import reflex as rx

from luckychit_app.i18n import text
from luckychit_app.services.access import Actor
from luckychit_app.services.people import contact_email, kyc, profile
from luckychit_app.state.auth_pages import PublicLanguageState
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, page_actor

KYC_FIELDS = (
    "pan",
    "aadhaar",
    "date_of_birth",
    "bank_account",
    "ifsc",
    "nominee_name",
    "nominee_relation",
)
"""The KYC form's fields (services/people/kyc.submit's arguments, but PAN and Aadhaar's names)."""
KYC_SUMMARY_KEYS = (*KYC_FIELDS, "status", "review_note")
RELATIONS = kyc.RELATIONS
"""A nominee's relations, for the form's choices (i18n "relation.<key>")."""


class ProfileState(SessionState):
    # kyc.summary: the status, the numbers masked, the foreman's reason (every key there from the start,
    # so the page's first render, before the load, shows nothing of an absent one)
    kyc_info: dict[str, str] = dict.fromkeys(KYC_SUMMARY_KEYS, "") | {"status": "none"}
    kyc_form: int = 0  # the KYC form's key: a new one after a save clears the boxes (not after a refusal)
    notify_sms: bool = True
    notify_email: bool = False
    notify_whatsapp: bool = False
    email: str = ""  # the proved address
    email_pending: str = ""  # the address a code went to, until the code comes back
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
        self.kyc_info = k
        self.notify_sms, self.notify_email = bool(prefs["notify_sms"]), bool(prefs["notify_email"])
        self.notify_whatsapp = bool(prefs["notify_whatsapp"])
        self.email, self.email_pending = str(prefs["email"]), str(prefs["email_pending"])
        self.sessions = devices

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.error, self.notice = "", ""
        actor, away = await page_actor(self, "member")
        if away:
            return away
        session = await self.get_state(SessionState)
        try:
            await self._reload(actor, session._token())
        except Failed as exc:
            self.error = exc.message
        return None

    async def _act(self, fn, *, commit_on_error: bool = False) -> None:  # noqa: ANN001
        """`commit_on_error`: a wrong code is counted against it even though the call fails."""
        self.error, self.notice = "", ""
        session, actor = await self._session_and_actor()
        try:
            await run_service(lambda s: fn(s, actor), lang=session.language, commit_on_error=commit_on_error)
        except Failed as exc:
            self.error = exc.message
            return
        self.notice = text(session.language, "profile.saved")
        await self._reload(actor, session._token())

    @rx.event
    async def set_language(self, value: str | list[str]) -> None:
        await self._act(lambda s, actor: profile.set_language(s, actor=actor, language=value))
        session = await self.get_state(SessionState)
        await session._actor()  # picks up the new language for every t(...) on the page
        if self.notice:
            self.notice = text(session.language, "profile.saved")
            # The sign-in pages of this browser follow the choice too (after signing out).
            (await self.get_state(PublicLanguageState)).chosen = session.language

    @rx.event
    async def submit_kyc(self, form: dict) -> None:
        got = {name: form.get(name, "") for name in KYC_FIELDS} if isinstance(form, dict) else {}
        await self._act(
            lambda s, actor: kyc.submit(
                s,
                actor=actor,
                pan_number=got.get("pan", ""),
                aadhaar_number=got.get("aadhaar", ""),
                date_of_birth=got.get("date_of_birth", ""),
                bank_account=got.get("bank_account", ""),
                ifsc=got.get("ifsc", ""),
                nominee_name=got.get("nominee_name", ""),
                nominee_relation=got.get("nominee_relation", ""),
            )
        )
        if self.notice:
            self.kyc_form += 1

    async def _channels(self, **changed: bool) -> None:
        chosen = {"sms": self.notify_sms, "email": self.notify_email, "whatsapp": self.notify_whatsapp}
        chosen.update(changed)
        await self._act(lambda s, actor: profile.set_notifications(s, actor=actor, **chosen))

    @rx.event
    async def toggle_sms(self, value: bool) -> None:
        await self._channels(sms=value)

    @rx.event
    async def toggle_email(self, value: bool) -> None:
        await self._channels(email=value)

    @rx.event
    async def toggle_whatsapp(self, value: bool) -> None:
        await self._channels(whatsapp=value)

    @rx.event
    async def send_email_code(self, form: dict) -> None:
        address = form.get("email") if isinstance(form, dict) else None
        await self._act(lambda s, actor: contact_email.request_code(s, actor=actor, email=address))

    @rx.event
    async def verify_email(self, form: dict) -> None:
        code = form.get("code") if isinstance(form, dict) else None
        await self._act(
            lambda s, actor: contact_email.verify(s, actor=actor, code=code), commit_on_error=True
        )

    @rx.event
    async def cancel_email(self) -> None:
        await self._act(lambda s, actor: contact_email.cancel(s, actor=actor))

    @rx.event
    async def remove_email(self) -> None:
        await self._act(lambda s, actor: contact_email.remove(s, actor=actor))

    @rx.event
    async def revoke(self, session_id: str) -> None:
        await self._act(lambda s, actor: profile.revoke_session(s, actor=actor, session_id=session_id))
