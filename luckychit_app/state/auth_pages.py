"""Sign-in, foreman sign-up and password change forms, and the language chosen before signing in."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from sqlmodel import Session

from luckychit_app import ratelimit
from luckychit_app.i18n import text
from luckychit_app.locales import CODES
from luckychit_app.services.access import Actor
from luckychit_app.services.people import auth, profile
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor

LANGUAGES = CODES


class PublicLanguageState(SessionState):
    """The language of the pages before sign-in (/login, /signup, /join, the password page), chosen
    on them and kept in this browser (a cookie, a year); a new account starts in it."""

    chosen: str = rx.Cookie("", name="lc_lang", same_site="lax", max_age=365 * 24 * 3600)

    @rx.event
    def choose(self, value: str | list[str]) -> None:
        if value in LANGUAGES:
            self.chosen = value


async def chosen_language(state: rx.State) -> str:
    """The language of the pages before sign-in: the one chosen on them in this browser, else that of
    whoever signed in last in this tab, else English (pages/public/language.LANGUAGE, the same rule)."""
    chosen = (await state.get_state(PublicLanguageState)).chosen
    if chosen in LANGUAGES:
        return chosen
    last = (await state.get_state(SessionState)).language
    return last if last in LANGUAGES else "en"


async def explicit_language(state: rx.State) -> str:
    """The language chosen in this browser, or "" when none was ever chosen."""
    chosen = (await state.get_state(PublicLanguageState)).chosen
    return chosen if chosen in LANGUAGES else ""


def adopt_language(s: Session, actor: Actor, language: str) -> None:
    """A new account starts in the language chosen before signing in (the default is English)."""
    if language in LANGUAGES and language != actor.language:
        profile.set_language(s, actor=actor, language=language)


def over_limit(state: rx.State, scope: str) -> bool:
    """Count one request of this scope from the tab's address (ratelimit.hit); True when over."""
    return not ratelimit.hit(scope, state.router.session.client_ip or "unknown")


class LoginState(SessionState):
    error: str = ""
    notice: str = ""
    busy: bool = False
    code_sent_to: str = ""

    def _agent(self) -> str:
        return str(self.router.headers.user_agent or "")[:200]

    def _limited(self, scope: str, lang: str) -> bool:
        """Per-IP limit on top of the per-mobile lockout, against password spraying."""
        if not over_limit(self, scope):
            return False
        self.error = text(lang, "public.too_many")
        return True

    @rx.event
    async def submit(self, form: dict) -> rx.event.EventSpec | None:
        self.error, self.notice, self.busy = "", "", True
        yield
        lang = await chosen_language(self)
        if self._limited("signin", lang):
            self.busy = False
            return
        mobile, password, agent = form.get("mobile"), form.get("password"), self._agent()
        try:
            token = await run_service(
                lambda s: auth.login(s, mobile=mobile, password=password, user_agent=agent),
                commit_on_error=True,
                lang=lang,
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
        lang = await chosen_language(self)
        if self._limited("code", lang):
            return
        mobile = form.get("mobile")
        try:
            await run_service(lambda s: auth.request_code(s, mobile=mobile), lang=lang)
        except Failed as exc:
            self.error = exc.message
            return
        self.code_sent_to = str(mobile)
        self.notice = text(lang, "public.code_sent")

    @rx.event
    async def submit_code(self, form: dict) -> rx.event.EventSpec | None:
        self.error = ""
        lang = await chosen_language(self)
        if self._limited("signin", lang):
            return None
        mobile, code, agent = self.code_sent_to, form.get("code"), self._agent()
        try:
            token = await run_service(
                lambda s: auth.login_with_code(s, mobile=mobile, code=code, user_agent=agent),
                commit_on_error=True,
                lang=lang,
            )
        except Failed as exc:
            self.error = exc.message
            return None
        session = await self.get_state(SessionState)
        return await session._start(token)

    @rx.event
    def use_password(self) -> None:
        self.code_sent_to, self.notice, self.error = "", "", ""


class CodeStep(rx.State, mixin=True):
    """Step one of the forms that prove a mobile number by a texted code (both sign-ups, a forgotten
    password): the number gets a code, the page then asks for it. The answer is the same whether or
    not the number is registered; the per-number code limit and the per-address limit bound texts."""

    code_sent_to: str = ""
    error: str = ""
    notice: str = ""

    async def _send_code(
        self, form: dict, scope: str, request: Callable[[Session, object], str], notice_key: str
    ) -> None:
        self.error, self.notice = "", ""
        lang = await chosen_language(self)
        if over_limit(self, scope):
            self.error = text(lang, "public.too_many")
            return
        mobile = form.get("mobile") if isinstance(form, dict) else None
        try:
            number = await run_service(lambda s: request(s, mobile), lang=lang)
        except Failed as exc:
            self.error = exc.message
            return
        self.code_sent_to = number
        self.notice = text(lang, notice_key, mobile=number)

    @rx.event
    def change_number(self) -> None:
        self.code_sent_to, self.error, self.notice = "", "", ""


class SignupCodeState(CodeStep, SessionState):
    """Step one of both sign-ups (/signup, and an invite link's): the mobile number is proved by a
    code texted to it before any account is made (issue 17, item 2; auth.request_signup_code)."""

    @rx.event
    async def send(self, form: dict) -> None:
        # Per address, as sign-in: a burst of sign-ups probes numbers.
        await self._send_code(
            form, "signup", lambda s, m: auth.request_signup_code(s, mobile=m), "public.signup_code_sent"
        )

    async def _create(
        self, form: dict, lang: str, create: Callable[[Session, str], str]
    ) -> rx.event.EventSpec | None:
        """Step two of either sign-up: the common checks, then `create(session, mobile)` (the account,
        returning its session token) for the number the code went to, then the sign-in. A wrong code
        is counted against the code and the number even though the call fails."""
        self.error, self.notice = "", ""
        if over_limit(self, "signup"):
            self.error = text(lang, "public.too_many")
            return None
        if not self.code_sent_to:
            self.error = text(lang, "public.code_first")
            return None
        if form.get("password") != form.get("confirm"):
            self.error = text(lang, "public.mismatch")
            return None
        mobile = self.code_sent_to
        try:
            token = await run_service(lambda s: create(s, mobile), commit_on_error=True, lang=lang)
        except Failed as exc:
            self.error = exc.message
            return None
        self.code_sent_to = ""
        return await (await self.get_state(SessionState))._start(token)


class SignupState(SessionState):
    @rx.event
    async def submit(self, form: dict) -> rx.event.EventSpec | None:
        lang = await chosen_language(self)
        name, code, password = form.get("name"), form.get("code"), form.get("password")

        def create(s: Session, mobile: str) -> str:
            token = auth.sign_up_foreman(s, name=name, mobile=mobile, code=code, password=password)
            found = auth.actor_for_token(s, token)
            if found is not None:
                adopt_language(s, found[0], lang)
            return token

        return await (await self.get_state(SignupCodeState))._create(form, lang, create)


class ChangePasswordState(SessionState):
    error: str = ""
    notice: str = ""

    @rx.event
    async def submit(self, form: dict) -> rx.event.EventSpec | None:
        self.error, self.notice = "", ""
        session = await self.get_state(SessionState)
        actor = await current_actor(self)
        chosen = await explicit_language(self)
        lang = chosen or (actor.language if actor is not None else "en")
        if form.get("new") != form.get("confirm"):
            self.error = text(lang, "password.mismatch")
            return None
        if actor is None:
            return rx.redirect("/login")
        # A member the foreman added signs in for the first time with a one-time password: the
        # language they chose on the sign-in page becomes their account's.
        first = session.must_change
        token, current, new = session._token(), form.get("current"), form.get("new")

        def _do(s: Session) -> None:
            auth.change_password(s, actor=actor, current=current, new=new, token=token)
            if first:
                adopt_language(s, actor, chosen)

        try:
            await run_service(_do, lang=lang)
        except Failed as exc:
            self.error = exc.message
            return None
        return await session._go_home()  # the same session: its cookie stays
