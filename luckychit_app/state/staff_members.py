"""/s/members: a branch's members, group by group, for its clerks and branch manager (issue 23).

One group at a time: its tickets with each member's mobile, address and collection agent; the "Add
member" form while the group is forming and has a free seat (the one-time password of a new account
shown once, as on the foreman's group page); the address dialog; and the join requests waiting for a
decision. An accountant reads the roster only; an agent gets "Not available for your role".

Handlers only pass the browser's values on: the services (people.members, people.branch_members,
reporting.branch_roster) check the role, the branch and every value on each call, and after each
change the page is read again. Staff pages are English, like the foreman's."""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed
from luckychit_app.services.people import branch_members, members
from luckychit_app.services.reporting import branch_roster
from luckychit_app.state.group_tabs import seat_member
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor, page_read

MEMBERS_ROLES = ("staff",)


def _read(s: Session, actor: Actor, wanted: str) -> dict[str, Any]:
    """The branch's groups and the roster of the group `wanted` (the first one when `wanted` is not
    among them), or `allowed` False for a role the services refuse."""
    try:
        groups = branch_roster.branch_groups(s, actor=actor)
    except NotAllowed:
        return {"allowed": False, "groups": [], "chosen": "", "group": {}, "rows": [], "requests": []}
    ids = [g["id"] for g in groups]
    chosen = wanted if wanted in ids else (ids[0] if ids else "")
    roster = (
        branch_roster.group_roster(s, actor=actor, group_id=chosen)
        if chosen
        else {"group": {}, "rows": [], "requests": []}
    )
    return {"allowed": True, "groups": groups, "chosen": chosen, **roster}


class StaffMembersState(SessionState):
    """The group chosen, its roster and requests, the add form's outcome and the address dialog."""

    loading: bool = True
    allowed: bool = True
    error: str = ""
    notice: str = ""
    groups: list[dict[str, str]] = []
    chosen_group: str = ""
    group: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    requests: list[dict[str, str]] = []
    # The add form: a call in flight, its key (remounts an empty form after a success), the password.
    adding: bool = False
    add_key: int = 0
    new_password: str = ""
    share_link: str = ""
    # The address dialog: whom it is for, what they have now, and the save's error.
    address_open: bool = False
    address_for: dict[str, str] = {}
    address_key: int = 0
    address_error: str = ""

    def _show(self, data: dict[str, Any]) -> None:
        self.allowed = bool(data["allowed"])
        self.groups, self.chosen_group = data["groups"], data["chosen"]
        self.group, self.rows, self.requests = data["group"], data["rows"], data["requests"]

    async def _refresh(self, actor: Actor | None) -> None:
        wanted = self.chosen_group
        try:
            data = await run_service(lambda s: _read(s, actor, wanted))
        except Failed as exc:
            self.error = exc.message
            return
        self._show(data)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading, self.error, self.notice = True, "", ""
        self.new_password = self.share_link = ""
        self.address_open = self.adding = False
        wanted = self.chosen_group
        page = await page_read(self, MEMBERS_ROLES, lambda s, actor: _read(s, actor, wanted))
        if page.away:
            return page.away
        if page.error:
            self.error = page.error
        elif page.data is not None:
            self._show(page.data)
        self.loading = False
        return None

    @rx.event
    async def choose_group(self, group_id: str) -> None:
        """The selector: a group of the reader's branch (any other id shows the first group)."""
        if not isinstance(group_id, str) or not group_id.isdigit() or len(group_id) > 11:
            return
        self.chosen_group, self.error, self.notice = group_id, "", ""
        self.new_password = self.share_link = ""
        await self._refresh(await current_actor(self))

    @rx.event
    async def add_member(self, form: dict):  # noqa: ANN201  (an async generator of events)
        """Seat a member in the chosen group; a new account's one-time password is shown once."""
        if self.adding:
            return
        self.error, self.notice, self.new_password, self.share_link = "", "", "", ""
        self.adding = True
        yield
        name, mobile = form.get("add-name"), form.get("add-mobile")
        address, language = form.get("add-address", ""), form.get("add-language") or "en"
        gid = self.chosen_group
        actor = await current_actor(self)

        try:
            seated = await run_service(
                lambda s: seat_member(
                    s, actor, group_id=gid, name=name, mobile=mobile, language=language, address=address
                )
            )
        except Failed as exc:
            self.error, self.adding = exc.message, False
            return
        self.notice = f"{seated.name} holds ticket {seated.ticket_no}."
        self.new_password, self.share_link = seated.password, seated.share_link
        self.add_key += 1
        self.adding = False
        await self._refresh(actor)

    @rx.event
    def open_address(self, ticket_id: str) -> None:
        """The address dialog for one row of the roster (only rows the reader may edit)."""
        row = next((r for r in self.rows if r["ticket_id"] == ticket_id), None)
        if row is None or row["editable"] != "yes":
            return
        self.address_for = {k: row[k] for k in ("member_id", "name", "address", "state")}
        self.address_error = ""
        self.address_key += 1
        self.address_open = True

    @rx.event
    def set_address_open(self, value: bool) -> None:
        self.address_open = bool(value) and bool(self.address_for.get("member_id"))

    @rx.event
    async def save_address(self, form: dict) -> None:
        member_id, address = self.address_for.get("member_id", ""), form.get("address", "")
        state = form.get("state", "")
        if not member_id:
            return
        self.address_error, self.notice, self.error = "", "", ""
        actor = await current_actor(self)
        try:
            name = await run_service(
                lambda s: (
                    branch_members.set_member_address(
                        s, actor=actor, member_id=member_id, address=address, state=state
                    ).name
                )
            )
        except Failed as exc:
            self.address_error = exc.message
            return
        self.notice, self.address_open = f"Address of {name} saved.", False
        await self._refresh(actor)

    @rx.event
    async def decide(self, request_id: str, approve: bool) -> None:
        self.error, self.notice, self.new_password, self.share_link = "", "", "", ""
        actor = await current_actor(self)
        try:
            await run_service(
                lambda s: members.decide_join_request(s, actor=actor, request_id=request_id, approve=approve)
            )
        except Failed as exc:
            self.error = exc.message
            await self._refresh(actor)
            return
        self.notice = "Request approved: the member now holds a ticket." if approve else "Request rejected."
        await self._refresh(actor)
