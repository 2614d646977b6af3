"""Admin pages' state: platform totals and health, users (activate / deactivate), audit search.

Thin like every state: the admin services check the role on every call and page on the server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import reflex as rx

from luckychit_app.services.access import Actor
from luckychit_app.services.people import admin
from luckychit_app.state.service_calls import ServiceCalls
from luckychit_app.state.session import SessionState, current_actor, page_actor

PAGE = 25


def _page_number(value: object) -> int:
    if isinstance(value, str) and value.isdigit() and len(value) < 7:
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**6 else 1


EMPTY_DETAIL_LINES = {
    "auth.login": "Signed in with their password",
    "auth.login_code": "Signed in with a one-time code",
    "auth.logout": "Signed out",
    "auth.password_changed": "Changed their password",
    "auth.code_requested": "Asked for a sign-in code",
    "auth.session_revoked": "Signed out one of their devices",
}
"""What a row that records no detail (sign-in and sign-out rows store "{}") says in the Detail column."""


def _readable(detail: str, action: str) -> str:
    """An audit row's detail as a line to read: "key: value · key: value" for a flat JSON object, a
    line saying what happened for an empty one (nothing when there is nothing to add), else as stored."""
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    if not data:
        return EMPTY_DETAIL_LINES.get(action, "")
    shown = {True: "yes", False: "no", None: "—"}
    return " · ".join(
        f"{key}: {shown.get(value, value) if isinstance(value, bool | None) else value}"
        if not isinstance(value, dict | list)
        else f"{key}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in data.items()
    )


def _label(page: int, total: int) -> str:
    return (
        "Nothing to show" if total == 0 else f"{(page - 1) * PAGE + 1}–{min(page * PAGE, total)} of {total:,}"
    )


class AdminState(ServiceCalls, SessionState):
    totals: dict[str, str] = {}
    health: dict[str, str] = {}
    checks: dict[str, str] = {}
    loading: bool = True
    checking: bool = False
    error: str = ""
    notice: str = ""
    # Users.
    users: list[dict[str, str]] = []
    page: int = 1
    total: int = 0
    search: str = ""
    role_filter: str = ""
    dialog_open: bool = False
    dialog_user: str = ""
    dialog_name: str = ""
    # Audit log.
    audit_rows: list[dict[str, str]] = []
    audit_page: int = 1
    audit_total: int = 0
    audit_filter: dict[str, str] = {}

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE))

    @rx.var
    def page_label(self) -> str:
        return _label(self.page, self.total)

    @rx.var
    def audit_page_count(self) -> int:
        return max(1, -(-self.audit_total // PAGE))

    @rx.var
    def audit_page_label(self) -> str:
        return _label(self.audit_page, self.audit_total)

    async def _users(self, actor: Actor | None) -> None:
        offset, search, role = (self.page - 1) * PAGE, self.search, self.role_filter
        found = await self._call(
            lambda s: admin.list_users(s, actor=actor, search=search, role=role, offset=offset, limit=PAGE)
        )
        self.users, self.total = found if found else ([], 0)

    async def _audit(self, actor: Actor | None) -> None:
        offset, f = (self.audit_page - 1) * PAGE, dict(self.audit_filter)
        found = await self._call(lambda s: admin.search_audit(s, actor=actor, offset=offset, limit=PAGE, **f))
        rows, self.audit_total = found if found else ([], 0)
        self.audit_rows = [{**r, "detail": _readable(r["detail"], r["action"])} for r in rows]

    @rx.event
    async def load(self) -> AsyncIterator[rx.event.EventSpec | None]:
        actor, away = await page_actor(self, "admin")
        if away:
            yield away
            return
        self.loading, self.error, self.notice, self.checks = True, "", "", {}
        yield
        found = await self._call(
            lambda s: (admin.platform_totals(s, actor=actor), admin.system_health(s, actor=actor))
        )
        if found:
            self.totals, self.health = found
        await self._users(actor)
        await self._audit(actor)
        self.loading = False

    @rx.event
    async def run_checks(self) -> AsyncIterator[None]:
        self.checking, self.error = True, ""
        yield
        actor = await current_actor(self)
        self.checks = await self._call(lambda s: admin.run_checks(s, actor=actor)) or {}
        self.checking = False

    @rx.event
    async def set_page(self, page: int) -> None:
        self.page = min(_page_number(page), self.page_count)
        await self._users(await current_actor(self))

    @rx.event
    async def filter_users(self, form: dict) -> None:
        self.search = str(form.get("search", ""))[:80]
        role = form.get("role", "")
        self.role_filter = role if role in ("admin", "foreman", "member") else ""
        self.page, self.error = 1, ""
        await self._users(await current_actor(self))

    @rx.event
    def ask_deactivate(self, user_id: str, name: str) -> None:
        self.dialog_user, self.dialog_name, self.dialog_open = str(user_id)[:12], str(name)[:80], True

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = bool(value)

    async def _set_active(self, user_id: str, active: bool, reason: str) -> None:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        user = await self._call(
            lambda s: (
                admin.set_user_active(s, actor=actor, user_id=user_id, active=active, reason=reason).name
            )
        )
        if user:
            self.notice = f"{user} is now {'active' if active else 'deactivated; their sessions were ended'}."
            await self._users(actor)

    @rx.event
    async def confirm_deactivate(self, form: dict) -> None:
        self.dialog_open = False
        await self._set_active(self.dialog_user, False, str(form.get("reason", "")))

    @rx.event
    async def activate(self, user_id: str) -> None:
        await self._set_active(user_id, True, "")

    @rx.event
    async def search_audit(self, form: dict) -> None:
        keys = ("action", "who", "object_type", "object_id", "date_from", "date_to")
        self.audit_filter = {k: str(form.get(k, ""))[:80] for k in keys}
        self.audit_page, self.error = 1, ""
        await self._audit(await current_actor(self))

    @rx.event
    async def set_audit_page(self, page: int) -> None:
        self.audit_page = min(_page_number(page), self.audit_page_count)
        await self._audit(await current_actor(self))
