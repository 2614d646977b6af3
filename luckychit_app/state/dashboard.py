"""Thin states for the foreman's desktop pages that span all groups: the dashboard, pending
actions, the groups list, the member directory, collections and reminders, disputes and reports.

Every handler asks the services (off the event loop, through `run_service`) and keeps only small
dicts of display strings and the current page number; the services check role and ownership and
clamp every value the browser sends, so a crafted event gets the same answer as the UI would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from luckychit_app.services.access import Actor
from luckychit_app.services.messages import disputes, reminders
from luckychit_app.services.people import members
from luckychit_app.services.reporting import groups_list, home_dashboard, member_directory, pending_actions
from luckychit_app.state.charts import collection_figure, outstanding_figure, outstanding_height
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.service_calls import ServiceCalls
from luckychit_app.state.session import SessionState, current_actor, page_actor

PAGE_SIZE = 25


def _page_number(value: object) -> int:
    """A page number from the browser: anything odd means the first page."""
    if isinstance(value, str) and value.isdigit() and len(value) < 7:
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**6 else 1


def _pages(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


class _Paged(ServiceCalls, mixin=True):
    """Paging, search and the error/notice lines shared by the list pages."""

    page: int = 1
    total: int = 0
    search: str = ""
    loading: bool = True
    error: str = ""
    notice: str = ""

    @rx.var
    def page_count(self) -> int:
        return _pages(self.total)

    @rx.var
    def page_label(self) -> str:
        if self.total == 0:
            return "Nothing to show"
        first = (self.page - 1) * PAGE_SIZE + 1
        return f"{first}–{min(self.page * PAGE_SIZE, self.total)} of {self.total:,}"

    def _offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE


class DashboardState(SessionState):
    """The foreman's home: cards, two charts and the recent-activity feed."""

    cards: dict[str, str] = {}
    activity: list[dict[str, str]] = []
    # The figures as the JSON the page's rx.plotly receives, not go.Figure objects: the state is
    # pickled to Redis between events, and unpickling a go.Figure re-validates it and its theme
    # (~25 ms per dashboard event for the two); a dict unpickles in microseconds.
    collection_fig: dict[str, Any] = {"data": [], "layout": {}}
    outstanding_fig: dict[str, Any] = {"data": [], "layout": {}}
    has_outstanding: bool = False
    outstanding_height: str = "160px"  # the room kept for the outstanding chart while plotly loads
    loading: bool = True
    error: str = ""

    @rx.event
    async def load(self) -> AsyncIterator[rx.event.EventSpec | None]:
        actor, away = await page_actor(self, "foreman")
        if away:
            yield away
            return
        self.loading, self.error = True, ""
        yield

        def read(s: Session) -> tuple:
            return (
                home_dashboard.cards(s, actor=actor),
                home_dashboard.collection_series(s, actor=actor),
                home_dashboard.outstanding_by_group(s, actor=actor),
                home_dashboard.recent_activity(s, actor=actor),
            )

        try:
            cards, series, owing, activity = await run_service(read)
        except Failed as exc:
            self.error, self.loading = exc.message, False
            return
        self.cards, self.activity = cards, activity
        self.collection_fig = collection_figure(series)
        self.outstanding_fig = outstanding_figure(owing)
        self.has_outstanding = bool(owing)
        self.outstanding_height = f"{outstanding_height(len(owing))}px"
        self.loading = False


class ActionsState(SessionState):
    """The lists behind the Pending Actions card."""

    lists: dict[str, list[dict[str, str]]] = {}
    counts: dict[str, str] = {}
    loading: bool = True
    error: str = ""
    notice: str = ""

    @rx.var
    def upi(self) -> list[dict[str, str]]:
        return self.lists.get("upi", [])

    @rx.var
    def joins(self) -> list[dict[str, str]]:
        return self.lists.get("joins", [])

    @rx.var
    def draws(self) -> list[dict[str, str]]:
        return self.lists.get("draws", [])

    @rx.var
    def payouts(self) -> list[dict[str, str]]:
        return self.lists.get("payouts", [])

    @rx.var
    def queries(self) -> list[dict[str, str]]:
        return self.lists.get("queries", [])

    async def _refresh(self, actor: Actor | None) -> None:
        try:
            self.lists, self.counts = await run_service(
                lambda s: (
                    pending_actions.pending_actions(s, actor=actor),
                    home_dashboard.cards(s, actor=actor),
                )
            )
        except Failed as exc:
            self.lists, self.error = {}, exc.message

    @rx.event
    async def load(self) -> AsyncIterator[rx.event.EventSpec | None]:
        actor, away = await page_actor(self, "foreman")
        if away:
            yield away
            return
        self.loading, self.error, self.notice = True, "", ""
        yield
        await self._refresh(actor)
        self.loading = False

    @rx.event
    async def decide(self, request_id: str, approve: bool) -> None:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        try:
            await run_service(
                lambda s: members.decide_join_request(s, actor=actor, request_id=request_id, approve=approve)
            )
        except Failed as exc:
            self.error = exc.message
            return
        self.notice = "Request approved: the member now holds a ticket." if approve else "Request rejected."
        await self._refresh(actor)


class GroupsListState(_Paged, SessionState):
    """All the foreman's groups, a page at a time."""

    rows: list[dict[str, str]] = []
    status: str = ""

    async def _refresh(self, actor: Actor | None) -> None:
        offset, search, status = self._offset(), self.search, self.status
        found = await self._call(
            lambda s: groups_list.groups_list(
                s, actor=actor, offset=offset, limit=PAGE_SIZE, search=search, status=status
            )
        )
        self.rows, self.total = found if found else ([], 0)

    @rx.event
    async def load(self) -> AsyncIterator[rx.event.EventSpec | None]:
        actor, away = await page_actor(self, "foreman")
        if away:
            yield away
            return
        self.loading, self.error = True, ""
        yield
        await self._refresh(actor)
        self.loading = False

    @rx.event
    async def set_page(self, page: int) -> None:
        self.page = min(_page_number(page), self.page_count)
        await self._refresh(await current_actor(self))

    @rx.event
    async def filter(self, form: dict) -> None:
        self.search = str(form.get("search", ""))[:80]
        status = form.get("status", "")
        self.status = status if status in groups_list.GROUP_STATUSES else ""
        self.page, self.error = 1, ""
        await self._refresh(await current_actor(self))


class MembersDirectoryState(_Paged, SessionState):
    """Every ticket in the foreman's groups, searchable, a page at a time."""

    rows: list[dict[str, str]] = []
    status: str = ""
    kyc_status: str = ""

    async def _refresh(self, actor: Actor | None) -> None:
        offset, search, status, kyc = self._offset(), self.search, self.status, self.kyc_status
        found = await self._call(
            lambda s: member_directory.member_rows(
                s, actor=actor, offset=offset, limit=PAGE_SIZE, search=search, status=status, kyc_status=kyc
            )
        )
        self.rows, self.total = found if found else ([], 0)

    @rx.event
    async def load(self) -> AsyncIterator[rx.event.EventSpec | None]:
        actor, away = await page_actor(self, "foreman")
        if away:
            yield away
            return
        self.loading, self.error = True, ""
        yield
        await self._refresh(actor)
        self.loading = False

    @rx.event
    async def set_page(self, page: int) -> None:
        self.page = min(_page_number(page), self.page_count)
        await self._refresh(await current_actor(self))

    @rx.event
    async def filter(self, form: dict) -> None:
        self.search = str(form.get("search", ""))[:80]
        status = form.get("status", "")
        self.status = status if status in ("pending", "active", "suspended", "removed") else ""
        kyc = form.get("kyc", "")
        self.kyc_status = kyc if kyc in ("none", "submitted", "verified", "rejected") else ""
        self.page, self.error = 1, ""
        await self._refresh(await current_actor(self))


class CollectionsState(_Paged, SessionState):
    """Overdue members across the foreman's groups, with one-click and bulk reminders."""

    rows: list[dict[str, str]] = []
    cards: dict[str, str] = {}

    async def _refresh(self, actor: Actor | None) -> None:
        offset = self._offset()
        found = await self._call(
            lambda s: (
                reminders.overdue_list(s, actor=actor, offset=offset, limit=PAGE_SIZE),
                home_dashboard.cards(s, actor=actor),
            )
        )
        if found:
            (self.rows, self.total), self.cards = found
        else:
            self.rows, self.total = [], 0

    @rx.event
    async def load(self) -> AsyncIterator[rx.event.EventSpec | None]:
        actor, away = await page_actor(self, "foreman")
        if away:
            yield away
            return
        self.loading, self.error, self.notice = True, "", ""
        yield
        await self._refresh(actor)
        self.loading = False

    @rx.event
    async def set_page(self, page: int) -> None:
        self.page = min(_page_number(page), self.page_count)
        await self._refresh(await current_actor(self))

    @rx.event
    async def whatsapp(self, ticket_id: str) -> rx.event.EventSpec | None:
        """Opens WhatsApp with the reminder filled in (in a new tab; the click is audited)."""
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        url = await self._call(lambda s: reminders.whatsapp_reminder(s, actor=actor, ticket_id=ticket_id))
        if url is None:
            return None
        self.notice = "WhatsApp opened with the reminder; press send there."
        return rx.redirect(url, is_external=True)

    @rx.event
    async def remind_all(self) -> None:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        result = await self._call(lambda s: reminders.remind_all_overdue(s, actor=actor).summary())
        if result:
            self.notice = result


class DisputesState(_Paged, SessionState):
    """Member queries in the foreman's groups, and the open thread."""

    rows: list[dict[str, str]] = []
    status: str = ""
    current: dict[str, str] = {}
    messages: list[dict[str, str]] = []

    async def _refresh(self, actor: Actor | None) -> None:
        offset, status = self._offset(), self.status
        found = await self._call(
            lambda s: disputes.threads_for_foreman(
                s, actor=actor, status=status, offset=offset, limit=PAGE_SIZE
            )
        )
        self.rows, self.total = found if found else ([], 0)

    async def _open(self, actor: Actor | None, dispute_id: str) -> None:
        found = await self._call(lambda s: disputes.thread(s, actor=actor, dispute_id=dispute_id))
        if found is None:
            self.current, self.messages = {}, []
            return
        self.messages = found.pop("thread")
        self.current = {k: str(v) for k, v in found.items() if k != "is_closed"}
        self.current["closed"] = "yes" if found["is_closed"] else ""

    @rx.event
    async def load(self) -> AsyncIterator[rx.event.EventSpec | None]:
        actor, away = await page_actor(self, "foreman")
        if away:
            yield away
            return
        self.loading, self.error, self.notice = True, "", ""
        self.current, self.messages = {}, []
        yield
        await self._refresh(actor)
        wanted = str(self.router.url.query_parameters.get("open", "") or "")  # /f/disputes?open=<dispute id>
        if wanted.isdigit():
            await self._open(actor, wanted)
        self.loading = False

    @rx.event
    async def set_page(self, page: int) -> None:
        self.page = min(_page_number(page), self.page_count)
        await self._refresh(await current_actor(self))

    @rx.event
    async def set_status_filter(self, status: str | list[str]) -> None:
        self.status = status if status in ("open", "answered", "closed") else ""
        self.page = 1
        await self._refresh(await current_actor(self))

    @rx.event
    async def open(self, dispute_id: str) -> None:
        self.error, self.notice = "", ""
        await self._open(await current_actor(self), dispute_id)

    @rx.event
    async def reply(self, form: dict) -> None:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        dispute_id, body = self.current.get("id", ""), form.get("body", "")
        done = await self._call(
            lambda s: disputes.add_message(s, actor=actor, dispute_id=dispute_id, body=body).id
        )
        if done:
            self.notice = "Answer sent; the member is notified."
            await self._open(actor, dispute_id)
            await self._refresh(actor)

    @rx.event
    async def close(self) -> None:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        dispute_id = self.current.get("id", "")
        done = await self._call(lambda s: disputes.close_dispute(s, actor=actor, dispute_id=dispute_id).id)
        if done:
            self.notice = "Query closed."
            await self._open(actor, dispute_id)
            await self._refresh(actor)
