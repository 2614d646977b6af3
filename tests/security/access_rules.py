"""The access registry: who may call every public Reflex event handler and every HTTP route.

test_access_matrix.py discovers every public handler of every rx.State subclass of the app and
every route of luckychit_app.api.routes.api, and FAILS when one has no entry here: a new handler or
route cannot be merged without saying who its rightful caller is and how to call it.

Each entry gives:
- `allowed`: the callers (see world.CALLERS) that must succeed; every other caller must be
  refused (an error message in state, or a redirect to /login or to their own home) and leave
  the database exactly as it was;
- `call(world, side, caller)`: the page the event is sent from, its payload and any events the
  page would have sent first (opening a dialog), aimed at `side`'s objects. The matrix calls it
  with side A (the rightful objects) and, for handlers that target an object, with side B as
  A's rightful user: forged ids, which must be refused too;
- flags: `targets` (names an object, so forged ids apply), `mutates` (a rightful call must
  change the database), `writes` (tables any caller may change: sign-in throttling),
  `background` (a live page's polling loop, which shows nothing to a caller it refuses),
  `acts_then_page_refuses` (callers whose action the service allows - the admin on a group's
  write, the query's author on the foreman's queries page - but whose page then cannot re-read a
  foreman-only list and says "not allowed": the action happened, the page is not theirs),
  `quiet` (callers refused without a message because the handler reads nothing without a
  session; the page's own guard has already sent them to /login), `success_message` and
  `success_redirect` (what a rightful call shows), and a `note` for the reader.

Rule kinds (the `kind` label):
- anonymous-ok: anyone, signed in or not (public pages, sign-in, and UI-only handlers that only
  change the caller's own tab and read nothing);
- signed-in / any-member / any-foreman: every caller of that role, each on their own data only
  (a caller from world B must see nothing of world A);
- member-owner: the member who owns the object (their ticket, order, query, session);
- foreman-owner: the foreman who runs the object's group (the admin also may: services'
  group_for_foreman lets the platform admin act on any group);
- viewer: member-owner, foreman-owner and admin (read pages of a group's draw, receipt, query);
- admin: the platform admin only;
- any-company: every company owner and staff member, each on their own company's data (the staff
  pages /s, /s/cash);
- staff-<permission>: the owner and those of A's staff whose role holds that permission
  (services/access.py PERMISSIONS) in the object's branch; B's staff and everyone else refused;
- owner: the company's owner only (staff, invitations, branches);
- giver / receiver: the staff member who handed cash over / the one it was handed to (and the owner).

A's staff are refused by every foreman page and handler that no service opens to them: the group
pages, members, payments, payouts, draws, reports and queries stay the owner's (least privilege).

Two more flags: `forged_ignored` (a forged id is not refused with a message but ignored: the handler
picks among the caller's own objects, e.g. a branch select falls back to the caller's first branch,
or a collect sheet opens only for a row of the caller's own list; the forged call must still change
nothing and show nothing of B), `quiet_sends` (vars a quiet refusal may still send, e.g. the zero
totals of an empty list) and `shows_data` (every rightful call must send data - a non-empty list or
dict - which tells a rightful read from a quiet refusal).
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import reflex as rx

from tests.security.world import CALLERS, Side, World

ALL = frozenset(CALLERS)
SIGNED_IN = ALL - {"anonymous"}
ANY_MEMBER = frozenset({"member", "member_other"})
ANY_FOREMAN = frozenset({"foreman", "foreman_other"})
MEMBER_OWNER = frozenset({"member"})
FOREMAN_OWNER = frozenset({"foreman", "admin"})
FOREMAN_ONLY = frozenset({"foreman"})
VIEWER = frozenset({"member", "foreman", "admin"})
ADMIN = frozenset({"admin"})
ANY_FOREMAN_OR_ADMIN = ANY_FOREMAN | ADMIN
PARTIAL_ADMIN = frozenset({"admin"})
# Staff (issue 23; services/access.py PERMISSIONS): A's branch manager (view collect members cash
# assign books), clerk (view collect members cash), agent (field), accountant (view books), and B's
# agent. The company's owner is the "foreman" caller: every permission in every branch.
A_STAFF = frozenset({"manager", "clerk", "agent", "accountant"})
ANY_STAFF = A_STAFF | {"staff_other"}
ANY_COMPANY = ANY_FOREMAN | ANY_STAFF
"""Every owner and staff member, each on their own company's data."""
STAFF_BOOKS = FOREMAN_OWNER | {"manager", "accountant"}
"""Who may download A's lucky group's books (reports.export_csv, group_statement): the owner, the
admin, and A's staff whose role holds "books" (the Main branch's manager, the company's accountant)."""
STAFF_VIEW = frozenset({"manager", "clerk", "accountant"})
"""A's staff whose role holds "view" in the branch of A's lucky group (the accountant: every branch)."""
NOT_STAFF = SIGNED_IN - ANY_STAFF
PROFILE_NOTE = (
    "a member's, foreman's or admin's own settings (services/people/profile.py); a staff account has "
    "no profile page (its pages are English, /m/profile sends it to /s) and is refused"
)
COLLECTORS = frozenset({"foreman", "manager", "clerk", "agent"})
"""Who may take money for A's member's lucky-group ticket: the owner, the branch's manager and clerk
("collect") and the agent the member is assigned to ("field")."""
ANY_COLLECTOR = COLLECTORS | {"foreman_other", "staff_other"}
STAFF_MEMBERS = frozenset({"manager", "clerk"})
"""A's staff whose role holds "members" in the branch of A's groups (Main)."""
MEMBERS_NOTE = (
    'A\'s branch manager and clerk hold "members" for the groups of their branch (members.add_member, '
    "decide_join_request; their page is /s/members): the action happens, then this foreman page's "
    "own read refuses them"
)
"""Every owner and staff member whose role collects, each on their own company's data."""


@dataclasses.dataclass(frozen=True)
class Call:
    """One event as the browser would send it: from `page`, with `payload`, after `before`."""

    page: str
    payload: dict[str, Any] = dataclasses.field(default_factory=dict)
    before: tuple[tuple[str, dict[str, Any]], ...] = ()
    handler: str = ""  # "StateClass.method"; filled in by the matrix from the registry key


@dataclasses.dataclass(frozen=True)
class Rule:
    kind: str
    allowed: frozenset[str]
    call: Callable[[World, Side, str], Call]
    targets: bool = True
    mutates: bool = False
    writes: frozenset[str] = frozenset()
    background: bool = False
    acts_then_page_refuses: frozenset[str] = frozenset()
    quiet: frozenset[str] = frozenset()
    quiet_sends: frozenset[str] = frozenset()
    forged_ignored: bool = False
    shows_data: bool = False
    success_message: str = ""
    success_redirect: str = ""
    note: str = ""


def upload(name: str, data: bytes) -> rx.UploadFile:
    """A file as Reflex's /_upload endpoint hands it to an upload handler."""
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


def _c(page: str, payload: dict[str, Any] | None = None, *before: tuple[str, dict[str, Any]]) -> Call:
    return Call(page=page, payload=payload or {}, before=tuple(before))


def ui(page: str, payload: Callable[[World, Side], dict[str, Any]] | dict[str, Any] | None = None) -> Rule:
    """A handler that only changes the caller's own tab (opens a dialog, picks a tab): it reads and
    writes no data, so anyone may call it; the matrix still checks it changes nothing."""
    return Rule(
        kind="anonymous-ok",
        allowed=ALL,
        call=lambda w, s, c: _c(page, payload(w, s) if callable(payload) else payload),
        targets=False,
        note="UI-only: changes only the caller's own tab state",
    )


def group_page(s: Side) -> str:
    return f"/f/groups/{s.group}"


def payments_page(s: Side) -> str:
    return f"/f/groups/{s.group}/payments"


RULES: dict[str, Rule] = {
    # --- session and page guards ---------------------------------------------------------------
    "SessionState.guard_foreman": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c("/f/groups/new"),
        targets=False,
        note="the guard of the one page that loads nothing; others are redirected",
    ),
    "SessionState.route_home": Rule("signed-in", SIGNED_IN, lambda w, s, c: _c("/"), targets=False),
    "SessionState.logout": Rule(
        "signed-in",
        SIGNED_IN,
        lambda w, s, c: _c("/m"),
        targets=False,
        mutates=True,
        success_redirect="/api/session/end",
        note="revokes only the caller's own session",
    ),
    "SessionState.logout_everywhere": Rule(
        "signed-in",
        SIGNED_IN,
        lambda w, s, c: _c("/m/profile"),
        targets=False,
        mutates=True,
        success_redirect="/api/session/end",
        note="revokes only the caller's own sessions",
    ),
    # --- sign-in, sign-up, password ---------------------------------------------------------------
    "LoginState.submit": Rule(
        "anonymous-ok",
        ALL,
        lambda w, s, c: _c("/login", {"form": {"mobile": w.mobiles["member"], "password": "demo1234"}}),
        targets=False,
        mutates=True,
        writes=frozenset({"login_throttle", "auth_sessions", "audit_log"}),
    ),
    "LoginState.send_code": Rule(
        "anonymous-ok",
        ALL,
        lambda w, s, c: _c("/login", {"form": {"mobile": w.mobiles["member"]}}),
        targets=False,
        mutates=True,
        writes=frozenset({"one_time_codes", "outbox", "audit_log"}),
        note="the same answer whether or not the number has an account",
    ),
    "LoginState.submit_code": Rule(
        "anonymous-ok",
        frozenset(),
        lambda w, s, c: _c("/login", {"form": {"code": "123456"}}),
        targets=False,
        writes=frozenset({"login_throttle", "one_time_codes"}),
        note="no code was sent in this tab, so every caller is refused (and the failure counted)",
    ),
    "LoginState.use_password": ui("/login"),
    "SignupCodeState.send": Rule(
        "anonymous-ok",
        ALL,
        lambda w, s, c: _c("/signup", {"form": {"mobile": w.mobiles["member"]}}),
        targets=False,
        mutates=True,
        writes=frozenset({"one_time_codes", "outbox"}),
        note="the same answer whether or not the number has an account (test_signup_codes.py)",
    ),
    "SignupCodeState.change_number": ui("/signup"),
    # Issue 18, item 5: a forgotten password is reset by a code texted to the account's mobile.
    "ResetPasswordState.send": Rule(
        "anonymous-ok",
        ALL,
        lambda w, s, c: _c("/forgot-password", {"form": {"mobile": w.mobiles["member"]}}),
        targets=False,
        mutates=True,
        writes=frozenset({"one_time_codes", "outbox", "audit_log"}),
        note="the same answer whether or not the number has an account (test_recovery.py)",
    ),
    "ResetPasswordState.change_number": ui("/forgot-password"),
    "ResetPasswordState.save_password": Rule(
        "anonymous-ok",
        frozenset(),
        lambda w, s, c: _c(
            "/forgot-password",
            {"form": {"code": "123456", "password": "pass-word-9", "confirm": "pass-word-9"}},
        ),
        targets=False,
        note="no code was sent in this tab, so every caller is refused before any service runs",
    ),
    "SignupState.submit": Rule(
        "anonymous-ok",
        frozenset(),
        lambda w, s, c: _c(
            "/signup",
            {
                "form": {
                    "name": "New Foreman",
                    "code": "123456",
                    "password": "pass-word-9",
                    "confirm": "pass-word-9",
                }
            },
        ),
        targets=False,
        note="no code was sent in this tab, so every caller is refused (the flow with a code: "
        "tests/browser/test_journeys.py and tests/services/people/test_signup_codes.py)",
    ),
    "ChangePasswordState.submit": Rule(
        "signed-in",
        SIGNED_IN,
        lambda w, s, c: _c(
            "/change-password",
            {"form": {"current": w.passwords[c], "new": "brand-new-pass-1", "confirm": "brand-new-pass-1"}},
        ),
        targets=False,
        mutates=True,
        note="changes only the caller's own password",
    ),
    # --- invite links ---------------------------------------------------------------------------------
    "JoinState.load": Rule(
        "anonymous-ok",
        ALL,
        lambda w, s, c: _c(f"/join/{s.invite_code}"),
        targets=False,
        note="the invite preview (group name, terms, foreman) is public by design",
    ),
    "JoinState.sign_up": Rule(
        "anonymous-ok",
        frozenset(),
        lambda w, s, c: _c(
            f"/join/{s.invite_code}",
            {
                "form": {
                    "name": "Invited Person",
                    "code": "123456",
                    "password": "pass-word-9",
                    "confirm": "pass-word-9",
                }
            },
        ),
        targets=False,
        note="no code was sent in this tab, so every caller is refused (with a code: "
        "tests/browser/test_journeys.py)",
    ),
    "JoinState.ask": Rule(
        "any-member",
        ANY_MEMBER,
        lambda w, s, c: _c(f"/join/{s.invite_code}"),
        targets=False,
        mutates=True,
        note="the invite code is the capability; any member may ask, the foreman decides",
    ),
    # --- foreman: groups ------------------------------------------------------------------------------
    "NewGroupState.set_kind": ui("/f/groups/new", {"value": "auction"}),
    "NewGroupState.load_branches": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c("/f/groups/new"),
        targets=False,
        quiet=ALL - ANY_FOREMAN,
        shows_data=True,
        note="the owner's own branches; nothing for anyone else (the page's guard sends them away)",
    ),
    "NewGroupState.submit": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c(
            "/f/groups/new",
            {
                "form": {
                    "name": "Fresh Chit",
                    "chit_value": "50,000",
                    "tickets": "5",
                    "commission_pct": "5",
                    "max_discount_pct": "30",
                    "min_bid_step": "100",
                    "draw_day": "10",
                    "branch_id": w.b.branch if c.endswith("_other") else s.branch,
                }
            },
        ),
        mutates=True,
        note="into a branch of the caller's own company (each foreman names their own branch; A's "
        "foreman naming B's branch is the forged call)",
    ),
    "GroupPageState.load": Rule("foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(group_page(s))),
    "GroupPageState.refresh": Rule("foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(group_page(s))),
    "GroupPageState.activate": Rule(
        "foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(f"/f/groups/{s.ready_group}"), mutates=True
    ),
    # --- foreman: group tabs --------------------------------------------------------------------------
    "GroupMembersState.load": Rule(
        "foreman-owner",
        FOREMAN_ONLY,
        lambda w, s, c: _c(group_page(s)),
        note="the members tab is the foreman's",
    ),
    "GroupMembersState.load_quiet": Rule(
        "foreman-owner",
        FOREMAN_ONLY,
        lambda w, s, c: _c(group_page(s)),
        note="the members tab is the foreman's",
    ),
    "GroupMembersState.set_page": Rule(
        "foreman-owner", FOREMAN_ONLY, lambda w, s, c: _c(group_page(s), {"page": 1})
    ),
    "GroupMembersState.filter": Rule(
        "foreman-owner", FOREMAN_ONLY, lambda w, s, c: _c(group_page(s), {"form": {"search": "a"}})
    ),
    "GroupMembersState.add_member": Rule(
        "foreman-owner",
        FOREMAN_OWNER | STAFF_MEMBERS,
        lambda w, s, c: _c(
            f"/f/groups/{s.forming_group}",
            {"form": {"name": "Walk In", "mobile": "9555500004", "language": "hi"}},
        ),
        mutates=True,
        acts_then_page_refuses=PARTIAL_ADMIN | STAFF_MEMBERS,
        note=MEMBERS_NOTE,
    ),
    "GroupMembersState.bulk_paste": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            f"/f/groups/{s.forming_group}", {"form": {"csv": "name,mobile\nCsv Person,9555500005\n"}}
        ),
        mutates=True,
        acts_then_page_refuses=PARTIAL_ADMIN,
    ),
    "GroupMembersState.bulk_upload": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            f"/f/groups/{s.forming_group}",
            {"files": [upload("members.csv", b"name,mobile\nFile Person,9555500006\n")]},
        ),
        mutates=True,
        acts_then_page_refuses=PARTIAL_ADMIN,
        note="called with the rx.UploadFile objects Reflex's /_upload endpoint builds; files sent as "
        "JSON over the websocket are refused by the event guard",
    ),
    "GroupMembersState.decide": Rule(
        "foreman-owner",
        FOREMAN_OWNER | STAFF_MEMBERS,
        lambda w, s, c: _c(f"/f/groups/{s.forming_group}", {"request_id": s.join_request, "approve": False}),
        mutates=True,
        acts_then_page_refuses=PARTIAL_ADMIN | STAFF_MEMBERS,
        note=MEMBERS_NOTE,
    ),
    "GroupMembersState.ask_status": ui(
        "/f/groups/1", lambda w, s: {"ticket_id": "1", "status": "suspended", "name": "Someone"}
    ),
    "GroupMembersState.set_action_open": ui("/f/groups/1", {"value": False}),
    "GroupMembersState.confirm_status": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            group_page(s),
            {"form": {"reason": "Asked for a pause"}},
            (
                "GroupMembersState.ask_status",
                {"ticket_id": s.other_ticket, "status": "suspended", "name": "x"},
            ),
        ),
        mutates=True,
        acts_then_page_refuses=PARTIAL_ADMIN,
    ),
    "CollectionGridState.set_page": Rule(
        "foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(group_page(s), {"page": 1})
    ),
    "CollectionGridState.tab_changed": Rule(
        "foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(group_page(s), {"value": "collections"})
    ),
    "CollectionGridState.open_cell": ui(
        "/f/groups/1", {"ticket_id": "1", "month": "1", "amount": "100", "title": "Someone"}
    ),
    "CollectionGridState.set_pay_open": ui("/f/groups/1", {"value": False}),
    "CollectionGridState.record": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            group_page(s),
            {"form": {"amount": "100", "method": "cash", "reference": "", "request_key": "pay-matrix-grid"}},
            (
                "CollectionGridState.open_cell",
                {"ticket_id": s.ticket, "month": "4", "amount": "100", "title": "x"},
            ),
        ),
        mutates=True,
        acts_then_page_refuses=PARTIAL_ADMIN,
    ),
    "GroupSettingsState.load": Rule("foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(group_page(s))),
    "GroupDrawsState.load": Rule("foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(group_page(s))),
    "GroupSettingsState.save": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(group_page(s), {"form": {"name": "Renamed Chit", "upi_vpa": "renamed@okaxis"}}),
        mutates=True,
    ),
    # Issue 18, item 4: a group's reminder days, pause and tomorrow's preview (reminder_schedule).
    "GroupRemindersState.load": Rule("foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(group_page(s))),
    "GroupRemindersState.save": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(group_page(s), {"form": {"days": "-2, 0, 5", "paused": "on"}}),
        mutates=True,
    ),
    # --- foreman: cross-group pages -------------------------------------------------------------------
    "DashboardState.load": Rule("any-foreman", ANY_FOREMAN, lambda w, s, c: _c("/f"), targets=False),
    "ActionsState.load": Rule("any-foreman", ANY_FOREMAN, lambda w, s, c: _c("/f/actions"), targets=False),
    "ActionsState.decide": Rule(
        "foreman-owner",
        FOREMAN_OWNER | STAFF_MEMBERS,
        lambda w, s, c: _c("/f/actions", {"request_id": s.join_request, "approve": True}),
        mutates=True,
        acts_then_page_refuses=PARTIAL_ADMIN | STAFF_MEMBERS,
        note=MEMBERS_NOTE,
    ),
    "GroupsListState.load": Rule("any-foreman", ANY_FOREMAN, lambda w, s, c: _c("/f/groups"), targets=False),
    "GroupsListState.set_page": Rule(
        "any-foreman", ANY_FOREMAN, lambda w, s, c: _c("/f/groups", {"page": 1}), targets=False
    ),
    "GroupsListState.filter": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c("/f/groups", {"form": {"search": "chit", "status": "active"}}),
        targets=False,
    ),
    "MembersDirectoryState.load": Rule(
        "any-foreman", ANY_FOREMAN, lambda w, s, c: _c("/f/members"), targets=False
    ),
    "MembersDirectoryState.set_page": Rule(
        "any-foreman", ANY_FOREMAN, lambda w, s, c: _c("/f/members", {"page": 1}), targets=False
    ),
    "MembersDirectoryState.filter": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c("/f/members", {"form": {"search": "a", "status": "active"}}),
        targets=False,
    ),
    "CollectionsState.load": Rule(
        "any-foreman", ANY_FOREMAN, lambda w, s, c: _c("/f/collections"), targets=False
    ),
    "CollectionsState.set_page": Rule(
        "any-foreman", ANY_FOREMAN, lambda w, s, c: _c("/f/collections", {"page": 1}), targets=False
    ),
    "CollectionsState.whatsapp": Rule(
        "foreman-owner",
        FOREMAN_ONLY,
        lambda w, s, c: _c("/f/collections", {"ticket_id": s.overdue_ticket}),
        mutates=True,
        note="audited; reminders are the foreman's own job, so the admin is refused",
    ),
    "CollectionsState.remind_all": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c("/f/collections"),
        targets=False,
        mutates=False,
        note="queues reminders only for the caller's own overdue members (none in world B)",
    ),
    "DisputesState.load": Rule(
        "any-foreman", ANY_FOREMAN_OR_ADMIN, lambda w, s, c: _c("/f/disputes"), targets=False
    ),
    "DisputesState.set_page": Rule(
        "any-foreman", ANY_FOREMAN_OR_ADMIN, lambda w, s, c: _c("/f/disputes", {"page": 1}), targets=False
    ),
    "DisputesState.set_status_filter": Rule(
        "any-foreman",
        ANY_FOREMAN_OR_ADMIN,
        lambda w, s, c: _c("/f/disputes", {"status": "open"}),
        targets=False,
    ),
    "DisputesState.open": Rule(
        "viewer",
        VIEWER,
        lambda w, s, c: _c("/f/disputes", {"dispute_id": s.dispute}),
        note="the member who raised the query may read it too",
    ),
    "DisputesState.reply": Rule(
        "viewer",
        VIEWER,
        lambda w, s, c: _c(
            "/f/disputes",
            {"form": {"body": "We checked the receipt."}},
            ("DisputesState.open", {"dispute_id": s.dispute}),
        ),
        mutates=True,
        acts_then_page_refuses=frozenset({"member"}),
    ),
    "DisputesState.close": Rule(
        "viewer",
        VIEWER,
        lambda w, s, c: _c("/f/disputes", {}, ("DisputesState.open", {"dispute_id": s.dispute})),
        mutates=True,
        acts_then_page_refuses=frozenset({"member"}),
    ),
    # --- draws ----------------------------------------------------------------------------------------
    "DrawState.load": Rule("viewer", VIEWER, lambda w, s, c: _c(f"/m/draws/{s.draw_open}")),
    "DrawState.watch": Rule(
        "viewer",
        VIEWER,
        lambda w, s, c: _c(f"/m/draws/{s.draw_open}"),
        background=True,
        mutates=True,
        note="the live loop writes a presence heartbeat for its own caller only",
    ),
    "DrawState.add_phrase": Rule(
        "member-owner",
        MEMBER_OWNER,
        lambda w, s, c: _c(f"/m/draws/{s.draw_open}", {"form": {"phrase": "lucky mango"}}),
        mutates=True,
        note="members of the group only (not its foreman)",
    ),
    "DrawState.open_auction": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(f"/f/draws/{s.auction_draw}", {"form": {"minutes": "600"}}),
        mutates=True,
    ),
    "DrawState.place_bid": Rule(
        "member-owner",
        MEMBER_OWNER,
        lambda w, s, c: _c(
            f"/m/draws/{s.auction_draw}", {"form": {"ticket_id": s.auction_ticket, "discount": s.next_bid}}
        ),
        mutates=True,
    ),
    "DrawState.place_bid_in_person": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            f"/f/draws/{s.auction_draw}", {"form": {"ticket_id": s.auction_ticket, "discount": s.next_bid}}
        ),
        mutates=True,
    ),
    "DrawState.conduct": Rule(
        "foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(f"/f/draws/{s.draw_open}"), mutates=True
    ),
    "DrawState.close_auction": Rule(
        "foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(f"/f/draws/{s.auction_draw}"), mutates=True
    ),
    "DrawState.leave": Rule(
        "anonymous-ok",
        ALL,
        lambda w, s, c: _c(f"/m/draws/{s.draw_open}"),
        targets=False,
        note="UI-only: stops the caller's own tab's live loop",
    ),
    "MemberDrawsState.load": Rule("any-member", ANY_MEMBER, lambda w, s, c: _c("/m/draws"), targets=False),
    "MinutesState.load": Rule("viewer", VIEWER, lambda w, s, c: _c(f"/draws/{s.draw_done}/minutes")),
    "MinutesState.print_page": ui("/draws/1/minutes"),
    "VerifyState.load": Rule(
        "anonymous-ok",
        ALL,
        lambda w, s, c: _c(f"/verify/{s.draw_done}"),
        targets=False,
        note="a completed draw's proof is public by design (DESIGN §4.5)",
    ),
    "VerifyState.check_pasted": Rule(
        "anonymous-ok", ALL, lambda w, s, c: _c("/verify", {"form": {"proof": "{}"}}), targets=False
    ),
    "VerifyState.check_upload": Rule(
        "anonymous-ok",
        ALL,
        lambda w, s, c: _c("/verify", {"files": [upload("proof.json", b'{"version": 1}')]}),
        targets=False,
        note="called with the rx.UploadFile objects Reflex's /_upload endpoint builds",
    ),
    # --- member pages ---------------------------------------------------------------------------------
    "MemberHomeState.load": Rule("any-member", ANY_MEMBER, lambda w, s, c: _c("/m"), targets=False),
    "BellState.watch": Rule(
        "signed-in",
        SIGNED_IN,
        lambda w, s, c: _c("/m"),
        targets=False,
        background=True,
        note="polls the caller's own notifications while the tab is open",
    ),
    "BellState.mark_all_read": Rule(
        "signed-in",
        SIGNED_IN,
        lambda w, s, c: _c("/m"),
        targets=False,
        quiet=frozenset({"anonymous"}),
        note="marks the caller's own notifications read",
    ),
    "BellState.open_list": Rule(
        "member-or-foreman",
        ANY_MEMBER | ANY_FOREMAN,
        lambda w, s, c: _c("/f/notifications" if c.startswith("foreman") else "/m/notifications"),
        targets=False,
        note="the notifications page (the member's or the foreman's): reads and marks read the "
        "caller's own notifications",
    ),
    "BellState.open_item": Rule(
        "member-owner",
        MEMBER_OWNER,
        lambda w, s, c: _c("/m/notifications", {"notification_id": s.notification}),
        mutates=True,
        note="a toast's button or a card of the list: marks the caller's own notification read, "
        "then opens its link (issue 16)",
    ),
    "ProfileState.load": Rule(
        "signed-in",
        SIGNED_IN,
        lambda w, s, c: _c("/m/profile"),
        targets=False,
        quiet=frozenset({"anonymous"}),
    ),
    "ProfileState.set_language": Rule(
        "signed-in",
        NOT_STAFF,
        lambda w, s, c: _c("/m/profile", {"value": "hi"}),
        targets=False,
        mutates=True,
        note=PROFILE_NOTE,
    ),
    "ProfileState.submit_kyc": Rule(
        "any-member-or-foreman",
        ANY_MEMBER | ANY_FOREMAN,
        lambda w, s, c: _c("/m/profile", {"form": {"pan": "ABCPE1234F", "aadhaar": "234123412346"}}),
        targets=False,
        mutates=True,
    ),
    "ProfileState.toggle_sms": Rule(
        "signed-in",
        NOT_STAFF,
        lambda w, s, c: _c("/m/profile", {"value": False}),
        targets=False,
        mutates=True,
        note=PROFILE_NOTE,
    ),
    "ProfileState.toggle_email": Rule(
        "signed-in",
        NOT_STAFF,
        lambda w, s, c: _c("/m/profile", {"value": False}),
        targets=False,
        note="turning email on needs an email address first (a business rule), so the matrix turns it "
        "off; " + PROFILE_NOTE,
    ),
    # Issue 18, item 3: reminders on WhatsApp, and an email address proved by a code.
    "ProfileState.toggle_whatsapp": Rule(
        "signed-in",
        NOT_STAFF,
        lambda w, s, c: _c("/m/profile", {"value": True}),
        targets=False,
        mutates=True,
        note=PROFILE_NOTE,
    ),
    "ProfileState.send_email_code": Rule(
        "any-member-or-foreman",
        ANY_MEMBER | ANY_FOREMAN,
        lambda w, s, c: _c("/m/profile", {"form": {"email": "someone@example.com"}}),
        targets=False,
        mutates=True,
        note="the caller's own pending address; the admin has no contact settings (contact_email.py)",
    ),
    "ProfileState.verify_email": Rule(
        "any-member-or-foreman",
        frozenset(),
        lambda w, s, c: _c("/m/profile", {"form": {"code": "123456"}}),
        targets=False,
        note="no code was sent for this caller, so every caller is refused and nothing changes",
    ),
    "ProfileState.cancel_email": Rule(
        "any-member-or-foreman",
        frozenset(),
        lambda w, s, c: _c("/m/profile"),
        targets=False,
        note="no address is waiting for a code in the world, so every caller is refused",
    ),
    "ProfileState.remove_email": Rule(
        "any-member-or-foreman",
        frozenset(),
        lambda w, s, c: _c("/m/profile"),
        targets=False,
        note="nobody in the world has an email address, so every caller is refused",
    ),
    "ProfileState.revoke": Rule(
        "member-owner",
        MEMBER_OWNER,
        lambda w, s, c: _c("/m/profile", {"session_id": s.member_session}),
        mutates=True,
        note="a signed-in device of the caller's own",
    ),
    "QueriesState.load": Rule("any-member", ANY_MEMBER, lambda w, s, c: _c("/m/queries"), targets=False),
    "QueriesState.choose": ui("/m/queries", {"value": "payment:1"}),
    "QueriesState.raise_query": Rule(
        "member-owner",
        MEMBER_OWNER,
        lambda w, s, c: _c(
            "/m/queries",
            {"form": {"title": "Late fee", "body": "Why was I charged a late fee?"}},
            ("QueriesState.choose", {"value": f"payment:{s.payment}"}),
        ),
        mutates=True,
    ),
    "ThreadState.load": Rule("viewer", VIEWER, lambda w, s, c: _c(f"/m/queries/{s.dispute}")),
    "ThreadState.reply": Rule(
        "viewer",
        VIEWER,
        lambda w, s, c: _c(f"/m/queries/{s.dispute}", {"form": {"body": "Any news on this?"}}),
        mutates=True,
    ),
    # --- money ----------------------------------------------------------------------------------------
    "MemberPayState.load": Rule("member-owner", MEMBER_OWNER, lambda w, s, c: _c(f"/m/pay/{s.ticket}")),
    "MemberPayState.set_amount": ui("/m/pay/1", {"value": "100"}),
    "MemberPayState.pay_online": Rule(
        "member-owner",
        MEMBER_OWNER,
        lambda w, s, c: _c(f"/m/pay/{s.ticket}", {"form": {"amount": "150"}}),
        mutates=True,
        note="₹150: the world's open order is for ₹100, and the same amount would continue it",
    ),
    "MemberPayState.on_checkout": Rule(
        "member-owner",
        MEMBER_OWNER,
        lambda w, s, c: _c(
            f"/m/pay/{s.ticket}",
            {"result": {"ok": False, "order_id": s.order, "reason": "Closed the window."}},
        ),
        mutates=True,
        success_message="Nothing was charged",
        note="marks the caller's own unpaid order failed (every caller sees the same message; only the "
        "owner's order changes); a success needs the gateway's signature",
    ),
    "MemberPayState.submit_utr": Rule(
        "member-owner",
        MEMBER_OWNER,
        lambda w, s, c: _c(
            f"/m/pay/{s.ticket}",
            {"form": {"utr": "998877665544"}},
            ("MemberPayState.set_amount", {"value": "100"}),
        ),
        mutates=True,
    ),
    "TestCheckoutState.load": Rule(
        "member-owner", MEMBER_OWNER, lambda w, s, c: _c(f"/pay/test-checkout/{s.order}")
    ),
    "TestCheckoutState.succeed": Rule(
        "member-owner", MEMBER_OWNER, lambda w, s, c: _c(f"/pay/test-checkout/{s.order}"), mutates=True
    ),
    "TestCheckoutState.fail": Rule(
        "member-owner", MEMBER_OWNER, lambda w, s, c: _c(f"/pay/test-checkout/{s.order}"), mutates=True
    ),
    "ReceiptState.load": Rule(
        "viewer",
        VIEWER | STAFF_VIEW,
        lambda w, s, c: _c(f"/receipts/{s.payment}"),
        note='and the staff whose role holds "view" in the payment\'s branch (receipts._payment_for); '
        "an agent sees only receipts he recorded",
    ),
    "ReceiptState.print_receipt": ui("/receipts/1"),
    "PassbookState.load": Rule("any-member", ANY_MEMBER, lambda w, s, c: _c("/m/payments"), targets=False),
    "PassbookState.select_ticket": Rule(
        "viewer", VIEWER, lambda w, s, c: _c("/m/payments", {"ticket_id": s.ticket})
    ),
    "ForemanPaymentsState.load": Rule("foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(payments_page(s))),
    "ForemanPaymentsState.tab_changed": Rule(
        "foreman-owner", FOREMAN_OWNER, lambda w, s, c: _c(payments_page(s), {"value": "prizes"})
    ),
    "ForemanPaymentsState.record": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            payments_page(s),
            {
                "form": {
                    "ticket_id": s.ticket,
                    "amount": "100",
                    "method": "cash",
                    "request_key": "pay-matrix-row",
                }
            },
        ),
        mutates=True,
    ),
    "ForemanPaymentsState.mark_all": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(payments_page(s), {"form": {"month": s.current_month, "method": "cash"}}),
        mutates=True,
    ),
    "ForemanPaymentsState.confirm_upi": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(payments_page(s), {"form": {"payment_id": s.upi_payment, "amount": ""}}),
        mutates=True,
    ),
    "ForemanPaymentsState.reject_upi": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            payments_page(s), {"form": {"payment_id": s.upi_payment, "reason": "No such credit"}}
        ),
        mutates=True,
    ),
    "ForemanPaymentsState.open_refund": ui("/f/groups/1/payments", {"payment_id": "1", "refundable": "100"}),
    "ForemanPaymentsState.close_refund": ui("/f/groups/1/payments"),
    "ForemanPaymentsState.open_mark_all": ui("/f/groups/1/payments"),
    "ForemanPaymentsState.close_mark_all": ui("/f/groups/1/payments"),
    "ForemanPaymentsState.refund": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            payments_page(s),
            {"form": {"amount": "10", "reason": "Paid twice by mistake"}},
            (
                "ForemanPaymentsState.open_refund",
                {"payment_id": s.payment, "refundable": s.payment_refundable},
            ),
        ),
        mutates=True,
    ),
    # ForemanPaymentsState.add_security / release / add_guarantor: rules_tickets.py (issue 15)
    # --- company: the staff desk (/s) -------------------------------------------------------------------
    "DeskState.load": Rule(
        "any-collector",
        ANY_COLLECTOR,
        lambda w, s, c: _c("/s"),
        targets=False,
        quiet=frozenset({"accountant"}),
        quiet_sends=frozenset({"totals"}),
        shows_data=True,
        note="each collector's own list (collection_list.todays_list scopes it); the accountant's role "
        "does not collect, so the page says so instead of showing a list (zero totals, no rows)",
    ),
    "DeskState.find": Rule(
        "any-collector",
        ANY_COLLECTOR,
        lambda w, s, c: _c("/s", {"form": {"search": "a"}}),
        targets=False,
        quiet=ALL - ANY_COLLECTOR,
        quiet_sends=frozenset({"totals"}),
        shows_data=True,
        note="anyone else (a non-collector, or no session) gets an empty list, not a message: the "
        "page's guard has already sent them away; the zero totals of the empty list are all it sends",
    ),
    "DeskState.open_collect": ui("/s", {"ticket_id": "1"}),
    "DeskState.set_method": ui("/s", {"method": "upi"}),
    "DeskState.close_sheet": ui("/s"),
    "DeskState.record": Rule(
        "staff-collect",
        COLLECTORS,
        lambda w, s, c: _c(
            "/s",
            {"form": {"collect-amount": "100", "collect-utr": ""}},
            ("DeskState.load", {}),
            ("DeskState.open_collect", {"ticket_id": s.overdue_ticket}),
        ),
        mutates=True,
        quiet=ALL - COLLECTORS,
        forged_ignored=True,
        note="the sheet opens only for a row of the caller's own list (field_collections.collect_group "
        "rechecks it): for anyone else, and for another company's ticket, nothing opens and Record "
        "does nothing; the agent records for the member assigned to him",
    ),
    # --- company: cash in hand and the cash book (/s/cash) --------------------------------------------
    "CashState.load": Rule(
        "any-company",
        ANY_COMPANY,
        lambda w, s, c: _c("/s/cash"),
        targets=False,
        shows_data=True,
        note="the caller's own cash and hand-overs; the cash book of the branches whose role holds "
        '"cash" or "books" (none for an agent)',
    ),
    "CashState.set_count": ui("/s/cash", {"denomination": "500", "value": "2"}),
    "CashState.pick_branch": Rule(
        "any-company",
        ANY_COMPANY,
        lambda w, s, c: _c("/s/cash", {"branch_id": s.branch}),
        forged_ignored=True,
        note="a branch outside the caller's reach falls back to their first branch (cash_book.book_branches)",
    ),
    "CashState.pick_date": Rule(
        "any-company", ANY_COMPANY, lambda w, s, c: _c("/s/cash", {"day": s.today}), targets=False
    ),
    "CashState.start_handover": Rule(
        "giver",
        frozenset({"manager", "clerk", "agent"}),
        lambda w, s, c: _c(
            "/s/cash",
            {
                "form": {
                    "handover-to": {"clerk": s.manager_user, "agent": s.clerk_user}.get(c, str(s.foreman_id)),
                    "denom-100": "1",
                    "note": "",
                }
            },
            ("CashState.load", {}),
            *((("CashState.cancel_handover", {"handover_id": s.handover}),) if c == "agent" else ()),
        ),
        mutates=True,
        note="staff holding cash hand it to someone above them in their branch (the agent cancels his "
        "pending hand-over first: one at a time); the owner and the accountant hold none",
    ),
    "CashState.cancel_handover": Rule(
        "giver",
        frozenset({"agent"}),
        lambda w, s, c: _c("/s/cash", {"handover_id": s.handover}),
        mutates=True,
        note="only the staff member who handed the cash over",
    ),
    "CashState.confirm_handover": Rule(
        "receiver",
        frozenset({"clerk", "foreman"}),
        lambda w, s, c: _c("/s/cash", {"form": {"handover_id": s.handover, "count-100": "1"}}),
        mutates=True,
        note="the clerk it was handed to, or the company's owner (who may count any hand-over in the "
        "company); the branch manager is not its receiver",
    ),
    "CashState.reject_handover": Rule(
        "receiver",
        frozenset({"clerk", "foreman"}),
        lambda w, s, c: _c("/s/cash", {"form": {"handover_id": s.handover, "reason": "The bag is short"}}),
        mutates=True,
    ),
    # --- company: the branch dashboard (/s/branch) -----------------------------------------------------
    "BranchDashboardState.load": Rule(
        "staff-books",
        frozenset({"manager", "accountant"}),
        lambda w, s, c: _c("/s/branch"),
        targets=False,
        quiet=frozenset({"clerk", "agent", "staff_other"}),
        shows_data=True,
        note='staff whose role lacks "books" see that the view is not for their role (no data, no '
        "error); the owner has /f/company",
    ),
    # --- company: a branch's members (/s/members) ----------------------------------------------------
    "StaffMembersState.load": Rule(
        "staff-view",
        STAFF_VIEW,
        lambda w, s, c: _c("/s/members"),
        targets=False,
        quiet=frozenset({"agent", "staff_other"}),
        shows_data=True,
        note='staff whose role holds "view" (the roster of their branch; the accountant\'s of every '
        "branch); an agent sees that it is not for his role; the owner has the group pages",
    ),
    "StaffMembersState.choose_group": Rule(
        "staff-view",
        STAFF_VIEW | ANY_FOREMAN,
        lambda w, s, c: _c("/s/members", {"group_id": s.forming_group}),
        quiet=ALL - STAFF_VIEW - ANY_FOREMAN,
        forged_ignored=True,
        shows_data=True,
        note="a group outside the caller's reach shows their own first group (branch_roster); the owner "
        'holds "view" everywhere in the company (each foreman sees their own)',
    ),
    "StaffMembersState.add_member": Rule(
        "staff-members",
        ANY_FOREMAN | STAFF_MEMBERS,
        lambda w, s, c: _c(
            "/s/members",
            {
                "form": {
                    "add-name": "Door Step",
                    "add-mobile": "9555500011",
                    "add-address": "",
                    "add-language": "en",
                }
            },
            ("StaffMembersState.choose_group", {"group_id": s.forming_group}),
        ),
        targets=False,
        mutates=True,
        note="into the group the roster shows: choose_group picks it among the caller's own groups (its "
        "forged ids are tested there; B's foreman naming A's group adds to his own first group) and "
        "members.add_member checks it again",
    ),
    "StaffMembersState.open_address": ui("/s/members", {"ticket_id": "1"}),
    "StaffMembersState.set_address_open": ui("/s/members", {"value": False}),
    "StaffMembersState.save_address": Rule(
        "staff-members",
        FOREMAN_ONLY | STAFF_MEMBERS,
        lambda w, s, c: _c(
            "/s/members",
            {"form": {"address": "5, New Street, Chennai"}},
            ("StaffMembersState.choose_group", {"group_id": s.group}),
            ("StaffMembersState.open_address", {"ticket_id": s.ticket}),
        ),
        mutates=True,
        quiet=ALL - FOREMAN_ONLY - STAFF_MEMBERS,
        forged_ignored=True,
        note="the dialog opens only for an editable row of the roster the caller may read "
        "(branch_members.member_in_reach checks again): for anyone else, and for another company's "
        "member, nothing opens and Save does nothing",
    ),
    "StaffMembersState.decide": Rule(
        "staff-members",
        FOREMAN_OWNER | STAFF_MEMBERS,
        lambda w, s, c: _c("/s/members", {"request_id": s.join_request, "approve": False}),
        mutates=True,
        note="the owner, the platform admin (group_for_foreman, as on the foreman's pages) and staff "
        'holding "members" in the group\'s branch',
    ),
    # --- company: the owner's company page (/f/company) -------------------------------------------------
    "CompanyState.load": Rule(
        "any-foreman", ANY_FOREMAN, lambda w, s, c: _c("/f/company"), targets=False, shows_data=True
    ),
    "CompanyState.save_gst": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c(
            "/f/company",
            {"form": {"gstin": "29ABCPE1234F1Z7", "legal_name": "Owner Chits", "address": "2, MG Road"}},
        ),
        targets=False,
        mutates=True,
        note="the caller's own company's GST registration (services/people/gst_registration.py)",
    ),
    "CompanyState.add_branch": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c(
            "/f/company", {"form": {"name": "Trichy", "code": "TRY", "address": "1, Main Rd"}}
        ),
        targets=False,
        mutates=True,
        note="a branch of the caller's own company",
    ),
    "CompanyState.invite": Rule(
        "owner",
        FOREMAN_ONLY,
        lambda w, s, c: _c(
            "/f/company",
            {
                "form": {
                    "name": "Kavya Newhire",
                    "mobile": "9555500010",
                    "role": "clerk",
                    "branch_id": s.branch,
                    "address": "",
                }
            },
        ),
        mutates=True,
        note="only the owner hires, into a branch of their own company",
    ),
    "CompanyState.set_active": Rule(
        "owner",
        FOREMAN_ONLY,
        lambda w, s, c: _c("/f/company", {"staff_id": s.staff_row, "active": False}),
        mutates=True,
    ),
    "CompanyState.change_role": Rule(
        "owner",
        FOREMAN_ONLY,
        lambda w, s, c: _c(
            "/f/company", {"form": {"staff_id": s.staff_row, "role": "accountant", "branch_id": s.branch}}
        ),
        mutates=True,
    ),
    "CompanyState.choose_branch": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c("/f/company", {"branch_id": s.branch}),
        forged_ignored=True,
        note="another company's branch falls back to the owner's first branch",
    ),
    "CompanyState.assign": Rule(
        "staff-assign",
        frozenset({"foreman", "manager"}),
        lambda w, s, c: _c(
            "/f/company",
            {"form": {"member_id": str(s.member_id), "agent_id": s.agent_user}},
            ("CompanyState.choose_branch", {"branch_id": s.branch}),
        ),
        mutates=True,
        acts_then_page_refuses=frozenset({"manager"}),
        note='the branch manager holds "assign" for their branch (staff.assign_member), but the page '
        "around the form is the owner's",
    ),
    "CompanyState.unassign": Rule(
        "staff-assign",
        frozenset({"foreman", "manager"}),
        lambda w, s, c: _c(
            "/f/company",
            {"member_id": str(s.member_id)},
            ("CompanyState.choose_branch", {"branch_id": s.branch}),
        ),
        mutates=True,
        acts_then_page_refuses=frozenset({"manager"}),
    ),
    # --- admin ----------------------------------------------------------------------------------------
    "AdminState.load": Rule("admin", ADMIN, lambda w, s, c: _c("/admin"), targets=False),
    "AdminState.run_checks": Rule("admin", ADMIN, lambda w, s, c: _c("/admin"), targets=False),
    "AdminState.set_page": Rule("admin", ADMIN, lambda w, s, c: _c("/admin", {"page": 1}), targets=False),
    "AdminState.filter_users": Rule(
        "admin",
        ADMIN,
        lambda w, s, c: _c("/admin", {"form": {"search": "a", "role": "member"}}),
        targets=False,
    ),
    "AdminState.ask_deactivate": ui("/admin", {"user_id": "2", "name": "Someone"}),
    "AdminState.set_dialog_open": ui("/admin", {"value": False}),
    "AdminState.confirm_deactivate": Rule(
        "admin",
        ADMIN,
        lambda w, s, c: _c(
            "/admin",
            {"form": {"reason": "Left the platform"}},
            ("AdminState.ask_deactivate", {"user_id": s.spare_user, "name": "x"}),
        ),
        targets=False,
        mutates=True,
    ),
    "AdminState.activate": Rule(
        "admin",
        ADMIN,
        lambda w, s, c: _c("/admin", {"user_id": w.inactive_user}),
        targets=False,
        mutates=True,
        note="the admin may act on any user",
    ),
    "AdminState.search_audit": Rule(
        "admin", ADMIN, lambda w, s, c: _c("/admin", {"form": {"action": "payment"}}), targets=False
    ),
    "AdminState.set_audit_page": Rule(
        "admin", ADMIN, lambda w, s, c: _c("/admin", {"page": 2}), targets=False
    ),
    # Issue 18: the admin page's Messages tab (the outbox, message by message).
    "AdminMessagesState.load_messages": Rule("admin", ADMIN, lambda w, s, c: _c("/admin"), targets=False),
    "AdminMessagesState.filter_messages": Rule(
        "admin", ADMIN, lambda w, s, c: _c("/admin", {"status": "failed"}), targets=False
    ),
}

EXCLUDED_HANDLERS: dict[str, str] = {
    "setvar": "Reflex's built-in setter: it only calls a public `set_<var>` handler of the same state "
    "(auto setters are off in Reflex 0.10), each of which has its own rule here; "
    "test_setvar_reaches_only_registered_setters proves it",
    "hydrate": "Reflex internal (State): sends the caller's own tab state back to it",
    "hydrate_and_load": "Reflex internal (State): the same, then the page's own on_load handlers",
    "set_is_hydrated": "Reflex internal: a flag of the caller's own tab",
    "on_load_internal": "Reflex internal: queues the page's on_load handlers, each of which has a rule",
    "update_vars_internal": "Reflex internal: the browser's own cookies/local storage into its own tab "
    "(a client may always choose its own cookie; a token only works if the server issued it)",
    "handle_frontend_exception": "Reflex internal: logs a browser-side error report",
}
"""Reflex's own handlers on its internal states (State, OnLoadInternalState, UpdateVarsInternalState,
FrontendEventExceptionState, SharedStateBaseInternal) and the setvar every state gets."""


@dataclasses.dataclass(frozen=True)
class RouteRule:
    kind: str
    allowed: frozenset[str]
    request: Callable[[World, Side], tuple[str, str]]  # (method, url) aimed at side's objects
    refused_status: tuple[int, ...] = (401, 403, 404)
    note: str = ""


ROUTES: dict[str, RouteRule] = {
    "GET /health": RouteRule("anonymous-ok", ALL, lambda w, s: ("GET", "/health")),
    "GET /metrics": RouteRule(
        "anonymous-ok",
        ALL,
        lambda w, s: ("GET", "/metrics"),
        note="aggregate counters only; with LUCKYCHIT_METRICS_TOKEN set it needs the bearer token "
        "(test_metrics_token_is_enforced)",
    ),
    "GET /api/draws/{draw_id:int}/proof.json": RouteRule(
        "anonymous-ok",
        ALL,
        lambda w, s: ("GET", f"/api/draws/{s.draw_done}/proof.json"),
        note="public by design; an open draw's proof does not exist yet (404 for everyone)",
    ),
    "GET /api/verify.py": RouteRule("anonymous-ok", ALL, lambda w, s: ("GET", "/api/verify.py")),
    "GET /api/reports/{group_id:int}/{kind:str}.csv": RouteRule(
        "staff-books", STAFF_BOOKS, lambda w, s: ("GET", f"/api/reports/{s.group}/payments.csv")
    ),
    "GET /api/reports/{group_id:int}/statement": RouteRule(
        "staff-books", STAFF_BOOKS, lambda w, s: ("GET", f"/api/reports/{s.group}/statement")
    ),
    "POST /api/razorpay/webhook": RouteRule(
        "anonymous-ok (signed)",
        frozenset(),
        lambda w, s: ("POST", "/api/razorpay/webhook"),
        refused_status=(400,),
        note="authenticated by the gateway's HMAC signature, not a session: an unsigned or wrongly "
        "signed body is refused with 400 for every caller and changes nothing",
    ),
    "POST /api/session": RouteRule(
        "anonymous-ok (grant)",
        frozenset(),
        lambda w, s: ("POST", "/api/session"),
        refused_status=(403,),
        note="trades a one-minute sign-in grant for the HttpOnly cookie; a post without this app's "
        "Origin is refused for every caller (tests/security/test_session_cookie.py)",
    ),
    "POST /api/session/end": RouteRule(
        "anonymous-ok (same-site)",
        frozenset(),
        lambda w, s: ("POST", "/api/session/end"),
        refused_status=(403,),
        note="clears the cookie; refused without this app's Origin, as sign-in is",
    ),
    # Issue 18: delivery reports. Authenticated by the provider's secret (a token in MSG91's URL, the
    # HMAC of Meta's app secret), never by a session: without them every caller is refused.
    "POST /api/webhooks/msg91": RouteRule(
        "anonymous-ok (token)",
        frozenset(),
        lambda w, s: ("POST", "/api/webhooks/msg91"),
        refused_status=(401,),
        note="MSG91 signs nothing: the URL's ?token= (LUCKYCHIT_MSG91_WEBHOOK_TOKEN) is the "
        "authentication; without it 401 for every caller (tests/services/messages/test_delivery_reports.py)",
    ),
    "GET /api/webhooks/whatsapp": RouteRule(
        "anonymous-ok (verify token)",
        frozenset(),
        lambda w, s: ("GET", "/api/webhooks/whatsapp"),
        refused_status=(403,),
        note="Meta's subscription check echoes hub.challenge only with LUCKYCHIT_WHATSAPP_VERIFY_TOKEN",
    ),
    "POST /api/webhooks/whatsapp": RouteRule(
        "anonymous-ok (signed)",
        frozenset(),
        lambda w, s: ("POST", "/api/webhooks/whatsapp"),
        refused_status=(401,),
        note="X-Hub-Signature-256 (HMAC-SHA256 with the app secret) over the raw body; 401 without it",
    ),
    "GET /api/receipts/{payment_id:int}.pdf": RouteRule(
        "viewer",
        VIEWER | STAFF_VIEW,
        lambda w, s: ("GET", f"/api/receipts/{s.payment}.pdf"),
        note='and the staff whose role holds "view" in the payment\'s branch, as ReceiptState.load',
    ),
}

# Issue 15's handlers (the group's life: agreement terms, ticket changes, closing) keep their rules
# in modules of their own; imported last because they build on the helpers above.
# Issue 19's accountant's hand-off (Tally file, year-end statements) likewise, in rules_accounts; its
# bank reconciliation in rules_bank. Issue 21's members' data rights in rules_data_rights.
from tests.security import (  # noqa: E402
    rules_accounts,
    rules_bank,
    rules_closing,
    rules_data_rights,
    rules_paperwork,
    rules_terms,
    rules_tickets,
)

for _part in (
    rules_terms,
    rules_tickets,
    rules_closing,
    rules_accounts,
    rules_bank,
    rules_paperwork,
    rules_data_rights,
):
    RULES.update(_part.RULES)
    ROUTES.update(_part.ROUTES)
