"""States for the tabs of one group's page that this module owns: Members (with invite, join
requests, bulk import and status changes), Collections (the member × month grid) and Settings.

The group id always comes from the page's URL and every service call re-checks that the signed-in
foreman runs that group, so opening another foreman's group id shows an error and no data.
After a change the page header (GroupPageState) is refreshed so seats and stage stay current.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import AsyncIterator

import reflex as rx
from sqlmodel import Session

from luckychit_app.models import ChitGroup, User
from luckychit_app.services.access import Actor
from luckychit_app.services.messages.notifications import whatsapp_link
from luckychit_app.services.money import offline_payments
from luckychit_app.services.money.receipt_numbers import label_for
from luckychit_app.services.people import members
from luckychit_app.services.reporting import collection_grid, group_settings, member_directory, reports
from luckychit_app.settings import get_settings
from luckychit_app.state.foreman import GroupPageState
from luckychit_app.state.group_draws import GroupDrawsState
from luckychit_app.state.group_paperwork import GroupPaperworkState
from luckychit_app.state.group_tab import GroupTab
from luckychit_app.state.session import SessionState, current_actor

MEMBERS_PAGE = 25
GRID_PAGE = 20


def _page_number(value: object) -> int:
    if isinstance(value, str) and value.isdigit() and len(value) < 7:
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**6 else 1


def _range_label(page: int, total: int, size: int, what: str) -> str:
    if total == 0:
        return f"No {what}"
    return f"{(page - 1) * size + 1}–{min(page * size, total)} of {total} {what}"


def welcome_link(group_name: str, mobile: str, password: str) -> str:
    """WhatsApp click-to-chat carrying the sign-in details of a new member."""
    text = (
        f"Welcome to {group_name} on LuckyChit. Sign in at {get_settings().public_url}/login with your "
        f"mobile number and the one-time password {password} (you will choose your own at first sign-in)."
    )
    return whatsapp_link(mobile[-10:], text)


@dataclasses.dataclass(frozen=True)
class Seated:
    """A member just seated: their ticket, their name as stored, and for a new account the one-time
    password with a WhatsApp link carrying it (both "" for a member who already had an account)."""

    ticket_no: int
    name: str
    password: str
    share_link: str


def seat_member(
    s: Session,
    actor: Actor | None,
    *,
    group_id: str,
    name: object,
    mobile: object,
    language: object,
    address: object = "",
) -> Seated:
    """Seat a member through `members.add_member` (which checks the caller, the group and every
    value), for the foreman's group page and the branch's members page alike."""
    ticket, temp = members.add_member(
        s, actor=actor, group_id=group_id, name=name, mobile=mobile, language=language, address=address
    )
    user = s.get(User, ticket.member_id)
    group_name = s.get(ChitGroup, ticket.group_id).name
    link = welcome_link(group_name, user.mobile, temp) if temp else ""
    return Seated(ticket.ticket_no, user.name, temp or "", link)


class GroupMembersState(GroupTab, SessionState):
    rows: list[dict[str, str]] = []
    page: int = 1
    total: int = 0
    search: str = ""
    invite_link: str = ""
    invite_qr: str = ""
    is_forming: bool = False
    requests: list[dict[str, str]] = []
    new_password: str = ""
    share_link: str = ""
    bulk_results: list[dict[str, str]] = []
    bulk_summary: str = ""
    # The suspend / reinstate / remove dialog.
    action_open: bool = False
    action_ticket: str = ""
    action_status: str = ""
    action_name: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // MEMBERS_PAGE))

    @rx.var
    def page_label(self) -> str:
        return _range_label(self.page, self.total, MEMBERS_PAGE, "tickets")

    @rx.var
    def action_title(self) -> str:
        verb = {"suspended": "Suspend", "active": "Reinstate", "removed": "Remove"}.get(
            self.action_status, ""
        )
        return f"{verb} {self.action_name}" if verb else ""

    def _forget_passwords(self) -> None:
        """A new member's one-time password is shown once: the next action (or the group's start)
        takes it off the screen, the single member's and those in the CSV import's results alike."""
        self.new_password = self.share_link = ""
        if any(r.get("password") for r in self.bulk_results):
            self.bulk_results = [{**r, "password": "", "share": ""} for r in self.bulk_results]

    async def _refresh(self) -> None:
        actor = await current_actor(self)
        gid, offset, search = self._group_id(), (self.page - 1) * MEMBERS_PAGE, self.search
        origin = self.router.headers.origin  # the address the app was opened at: the invite link's
        found = await self._call(
            lambda s: (
                member_directory.member_rows(
                    s, actor=actor, group_id=gid, offset=offset, limit=MEMBERS_PAGE, search=search
                ),
                group_settings.group_invite(s, actor=actor, group_id=gid, origin=origin),
            )
        )
        if found is None:
            self.rows, self.total, self.requests = [], 0, []
            return
        (self.rows, self.total), invite = found
        self.invite_link, self.invite_qr = invite["link"], invite["qr"]
        self.is_forming, self.requests = invite["is_forming"], invite["requests"]

    @rx.event
    async def load(self) -> AsyncIterator[None]:
        self.loading, self.error, self.notice = True, "", ""
        self.new_password = self.share_link = self.bulk_summary = ""
        self.bulk_results, self.page, self.search, self.action_open = [], 1, "", False
        yield
        await self._refresh()
        self.loading = False

    @rx.event
    async def load_quiet(self) -> None:
        """Re-read after another tab changed the dues or the group started (no spinner, notices
        kept): a started group's tab offers no adding and no one-time password any more."""
        self._forget_passwords()
        await self._refresh()

    @rx.event
    async def set_page(self, page: int) -> None:
        self.page = min(_page_number(page), self.page_count)
        self._forget_passwords()
        await self._refresh()

    @rx.event
    async def filter(self, form: dict) -> None:
        search = form.get("search", "") if isinstance(form, dict) else ""
        self.search, self.page, self.error = str(search)[:80], 1, ""
        self._forget_passwords()
        await self._refresh()

    @rx.event
    async def add_member(self, form: dict) -> AsyncIterator[rx.event.EventSpec | None]:
        self.error, self.notice, self.new_password, self.share_link = "", "", "", ""
        actor = await current_actor(self)
        gid, name, mobile, lang = self._group_id(), form.get("name"), form.get("mobile"), form.get("language")
        seated = await self._call(
            lambda s: seat_member(s, actor, group_id=gid, name=name, mobile=mobile, language=lang or "en")
        )
        if seated is None:
            return
        self.notice = f"{name} holds ticket {seated.ticket_no}."
        self.new_password, self.share_link = seated.password, seated.share_link
        await self._refresh()
        yield GroupPageState.refresh

    async def _import(self, text: str) -> AsyncIterator[rx.event.EventSpec | None]:
        self.error, self.notice, self.bulk_results, self.bulk_summary = "", "", [], ""
        self._forget_passwords()
        actor = await current_actor(self)
        gid = self._group_id()
        results = await self._call(
            lambda s: reports.import_members_csv(s, actor=actor, group_id=gid, text=text)
        )
        if results is None:
            return
        added = sum(1 for r in results if r["ok"])
        self.bulk_summary = f"{added} of {len(results)} rows added; " + (
            "no errors." if added == len(results) else f"{len(results) - added} need fixing (see below)."
        )
        self.bulk_results = [
            {**r, "share": welcome_link("LuckyChit", r["mobile"], r["password"]) if r["password"] else ""}
            for r in results
        ]
        await self._refresh()
        yield GroupPageState.refresh

    @rx.event
    async def bulk_paste(self, form: dict) -> AsyncIterator[rx.event.EventSpec | None]:
        async for event in self._import(str(form.get("csv", ""))):
            yield event

    @rx.event
    async def bulk_upload(self, files: list[rx.UploadFile]) -> AsyncIterator[rx.event.EventSpec | None]:
        if not files:
            self.error = "Choose a CSV file first."
            return
        raw = await files[0].read()
        if len(raw) > reports.MAX_IMPORT_BYTES:
            self.error = "That file is too large; import at most 200 members at a time."
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.error = "Save the file as CSV (UTF-8) and try again."
            return
        async for event in self._import(text):
            yield event

    @rx.event
    async def decide(self, request_id: str, approve: bool) -> AsyncIterator[rx.event.EventSpec | None]:
        self.error, self.notice = "", ""
        self._forget_passwords()
        actor = await current_actor(self)
        done = await self._call(
            lambda s: members.decide_join_request(s, actor=actor, request_id=request_id, approve=approve).id
        )
        if done:
            self.notice = "Request approved." if approve else "Request rejected."
            await self._refresh()
            yield GroupPageState.refresh

    @rx.event
    def ask_status(self, ticket_id: str, status: str, name: str) -> None:
        """Open the reason dialog; nothing changes until the foreman confirms with a reason."""
        if status not in ("suspended", "active", "removed"):
            return
        self.action_ticket, self.action_status, self.action_name = str(ticket_id)[:12], status, str(name)[:80]
        self.action_open, self.error = True, ""
        self._forget_passwords()

    @rx.event
    def set_action_open(self, value: bool) -> None:
        self.action_open = bool(value)

    @rx.event
    async def confirm_status(self, form: dict) -> AsyncIterator[rx.event.EventSpec | None]:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        tid, status, reason = self.action_ticket, self.action_status, form.get("reason", "")
        done = await self._call(
            lambda s: (
                members.set_ticket_status(s, actor=actor, ticket_id=tid, status=status, reason=reason).id
            )
        )
        self.action_open = False
        if done:
            self.notice = f"{self.action_name} is now {status}."
            await self._refresh()
            yield GroupPageState.refresh


class CollectionGridState(GroupTab, SessionState):
    cells: list[dict[str, str]] = []
    columns: str = "1"
    counts: dict[str, str] = {}
    page: int = 1
    total: int = 0
    # The record-a-payment dialog opened by clicking a cell.
    pay_open: bool = False
    pay_ticket: str = ""
    pay_label: str = ""
    pay_amount: str = ""
    pay_key: str = ""  # the dialog's form carries it: a double click on Record records once
    _pay_seen: str = ""  # the ticket's latest payment as the clicked cell showed it (payments_seen)
    _shown_group: str = ""  # the group whose grid `cells` holds

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // GRID_PAGE))

    @rx.var
    def page_label(self) -> str:
        return _range_label(self.page, self.total, GRID_PAGE, "tickets")

    @rx.var
    def grid_template(self) -> str:
        return f"minmax(170px, 220px) repeat({self.columns}, minmax(52px, 1fr))"

    async def _refresh(self) -> None:
        actor = await current_actor(self)
        gid, offset = self._group_id(), (self.page - 1) * GRID_PAGE
        grid = await self._call(
            lambda s: collection_grid.collection_grid(
                s, actor=actor, group_id=gid, offset=offset, limit=GRID_PAGE
            )
        )
        if grid is None:
            self.cells, self.total = [], 0
            return
        self.cells, self.total, self.counts = grid["cells"], grid["total"], grid["counts"]
        self.columns = str(max(int(grid["columns"]) - 1, 1))
        self._shown_group = gid

    @rx.event
    async def set_page(self, page: int) -> None:
        self.page = min(_page_number(page), self.page_count)
        await self._refresh()

    @rx.event
    async def tab_changed(self, value: str | list[str]) -> AsyncIterator[rx.event.EventSpec | None]:
        """A tab reads its data when opened, and again each time (after another tab added members,
        started the group or recorded money). The page's load reads only the header and the Members
        tab shown first: one navigation was five load events, most for tabs never opened (issue 22)."""
        if value == "collections":
            if self._shown_group != self._group_id():  # first opened on this group: not another's grid
                self.loading, self.error, self.notice, self.page, self.pay_open = True, "", "", 1, False
                yield
            await self._refresh()
            self.loading = False
        elif value == "members":
            yield GroupMembersState.load_quiet
        elif value == "draws":
            yield GroupDrawsState.load
        elif value == "settings":
            yield GroupSettingsState.load
        elif value == "paperwork":
            yield GroupPaperworkState.load

    @rx.event
    def open_cell(self, ticket_id: str, month: str, amount: str, title: str, seen: str = "") -> None:
        """Prefill the payment dialog from a cell; the server decides everything on submit."""
        if not ticket_id:
            return
        self.pay_ticket, self.pay_amount = str(ticket_id)[:12], str(amount)[:20]
        self._pay_seen = str(seen)[:20]
        self.pay_label = f"{str(title)[:160]} — pays this and any earlier dues (month {str(month)[:3]})"
        self.pay_open, self.error, self.notice = True, "", ""
        self.pay_key = "pay-" + secrets.token_hex(12)

    @rx.event
    def set_pay_open(self, value: bool) -> None:
        self.pay_open = bool(value)

    @rx.event
    async def record(self, form: dict) -> AsyncIterator[rx.event.EventSpec | None]:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        tid, seen = self.pay_ticket, self._pay_seen or None
        amount, method, reference, key, reason = (
            form.get("amount", ""),
            form.get("method", "cash"),
            form.get("reference", ""),
            form.get("request_key") or "",
            form.get("cash_override") or "",  # s.269ST: cash of ₹2 lakh or more today
        )
        receipt = await self._call(
            lambda s: label_for(
                s,
                offline_payments.record_offline_payment(
                    s,
                    actor=actor,
                    ticket_id=tid,
                    amount=amount,
                    method=method,
                    reference=reference,
                    request_key=key,
                    seen=seen,
                    cash_override=reason,
                ),
            )
        )
        if receipt is None:
            return
        self.pay_open = False
        self.notice = f"Payment recorded: receipt {receipt}."
        await self._refresh()
        yield GroupMembersState.load_quiet
        yield GroupPageState.refresh


class GroupSettingsState(GroupTab, SessionState):
    settings: dict[str, str] = {}

    @rx.event
    async def load(self) -> AsyncIterator[None]:
        self.loading, self.error, self.notice = True, "", ""
        yield
        actor = await current_actor(self)
        gid = self._group_id()
        found = await self._call(lambda s: group_settings.group_settings(s, actor=actor, group_id=gid))
        self.settings = found or {}
        self.loading = False

    @rx.event
    async def save(self, form: dict) -> AsyncIterator[rx.event.EventSpec | None]:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        gid, name, vpa = self._group_id(), form.get("name", ""), form.get("upi_vpa", "")
        done = await self._call(
            lambda s: (
                group_settings.save_group_basics(s, actor=actor, group_id=gid, name=name, upi_vpa=vpa).id
            )
        )
        if done:
            self.notice = "Saved."
            found = await self._call(lambda s: group_settings.group_settings(s, actor=actor, group_id=gid))
            self.settings = found or self.settings
            yield GroupPageState.refresh
