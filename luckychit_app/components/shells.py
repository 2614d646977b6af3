"""Page shells: the foreman's desktop sidebar and the member's phone bottom navigation; and the
error, notice and loading blocks every page shows in them."""

from __future__ import annotations

import functools
import operator

import reflex as rx

from luckychit_app.components.notifications import bell
from luckychit_app.components.translate import t
from luckychit_app.services.access import PERMISSIONS
from luckychit_app.state.notifications import FOREMAN_LIST_PATH, BellState
from luckychit_app.state.session import SessionState

BRAND = "LuckyChit"


def error_callout(message: rx.Var, *, id: str = "error") -> rx.Component:
    """The red block of an error, when there is one; a page with a second one (a dialog's, a
    section's) gives that one its own `id`."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", width="100%", id=id),
    )


def notice_callout(message: rx.Var) -> rx.Component:
    return rx.cond(
        message != "", rx.callout(message, icon="check", color_scheme="green", width="100%", id="notice")
    )


def loading_block(label: str = "Loading…") -> rx.Component:
    return rx.center(
        rx.hstack(rx.spinner(), rx.text(label, color_scheme="gray")), padding="48px", width="100%"
    )


def role_gated(
    loading: rx.Var, allowed: rx.Var, body: rx.Component, *, refusal: str, refusal_id: str
) -> rx.Component:
    """A staff page's body: a spinner while it loads, then the page for the roles that use it, or
    the reason why not (the services refuse those roles anyway; this only says so kindly)."""
    return rx.cond(
        loading,
        loading_block(),
        rx.cond(allowed, body, rx.callout(refusal, icon="info", width="100%", id=refusal_id)),
    )


def _side_link(label: str, href: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=18), rx.text(label), spacing="3", align="center"),
        href=href,
        underline="none",
        padding="8px 12px",
        border_radius="8px",
        width="100%",
        _hover={"background": rx.color("accent", 3)},
    )


# The foreman's sidebar, in the order a working day goes: overview, groups, people, money, reports.
FOREMAN_LINKS = (
    ("Dashboard", "/f", "layout-dashboard"),
    ("Groups", "/f/groups", "layout-grid"),
    ("Members", "/f/members", "users"),
    ("Collections", "/f/collections", "indian-rupee"),
    ("Actions", "/f/actions", "bell-ring"),
    ("Queries", "/f/disputes", "message-circle-question"),
    ("Reports", "/f/reports", "file-spreadsheet"),
    ("Bank", "/f/bank", "landmark"),
    ("Company", "/f/company", "building-2"),
    ("Cash", "/s/cash", "hand-coins"),
    ("New group", "/f/groups/new", "circle-plus"),
)
# A staff member's pages: phone first (agents work in the field), the same on a desk. The last
# field is the permission (access.PERMISSIONS) whose roles see the tab, or None for every role: the
# branch's figures are for those who keep its books, adding members and keeping their addresses for
# those with "members".
STAFF_LINKS: tuple[tuple[str, str, str, str | None], ...] = (
    ("Today", "/s", "list-checks", None),
    ("Cash", "/s/cash", "hand-coins", None),
    ("Branch", "/s/branch", "chart-column", "books"),
    ("Members", "/s/members", "users", "members"),
)


def foreman_shell(*children: rx.Component, title: str | rx.Var) -> rx.Component:
    """The desktop frame: the sidebar and the page's column under its title. A page whose first
    child names it already (a group's page heads itself with the group's name) passes `title=""`
    and gets no generic heading above it."""
    sidebar = rx.box(
        # The box stretches to the page's full height, so its background reaches the bottom of a
        # long page; the links inside stay in view while the page scrolls.
        rx.vstack(
            rx.heading(BRAND, size="6", color=rx.color("accent", 11), padding_bottom="16px"),
            *[_side_link(label, href, icon) for label, href, icon in FOREMAN_LINKS],
            rx.spacer(),
            rx.hstack(
                rx.text(SessionState.user_name, size="2", color_scheme="gray"),
                rx.spacer(),
                bell(FOREMAN_LIST_PATH, "foreman-bell"),
                align="center",
                width="100%",
            ),
            rx.button("Sign out", on_click=SessionState.logout, variant="soft", width="100%", id="logout"),
            height="100vh",
            padding="20px",
            position="sticky",
            top="0",
        ),
        width="220px",
        min_width="220px",
        border_right=f"1px solid {rx.color('gray', 5)}",
        background=rx.color("gray", 2),
        display=["none", "none", "block"],
        id="sidebar",
    )
    topbar = rx.hstack(
        rx.heading(BRAND, size="5", color=rx.color("accent", 11)),
        rx.spacer(),
        *[rx.link(label, href=href) for label, href, _icon in FOREMAN_LINKS[:4]],
        rx.button("Sign out", on_click=SessionState.logout, size="1", variant="soft"),
        padding="12px 16px",
        width="100%",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        display=["flex", "flex", "none"],
        align="center",
        spacing="4",
    )
    heading = [rx.heading(title, size="7")] if isinstance(title, rx.Var) or title else []
    return rx.hstack(
        sidebar,
        rx.vstack(
            topbar,
            rx.vstack(
                *heading,
                *children,
                padding=["16px", "24px", "32px"],
                width="100%",
                max_width="1280px",
                spacing="4",
            ),
            width="100%",
            min_width="0",  # a wide table scrolls in its own box instead of widening the page
            spacing="0",
        ),
        spacing="0",
        width="100%",
        min_height="100vh",
        align="stretch",
        on_mount=BellState.watch,  # the bell's count kept live, a toast for what arrives
    )


def _tab(label: str | rx.Var, href: str, icon: str, here: rx.Var | None = None) -> rx.Component:
    """A bottom tab; `here` (true on the tab's own pages) marks it: accent colour, bold label, a bar
    on its top edge, and aria-current="page" for screen readers."""
    if here is None:
        here = rx.Var.create(False)
    return rx.link(
        rx.vstack(
            rx.icon(icon, size=22),
            rx.text(label, size="1", weight=rx.cond(here, "bold", "regular")),
            spacing="1",
            align="center",
        ),
        href=href,
        underline="none",
        flex="1",
        padding="8px 0",
        min_height="56px",
        display="flex",
        justify_content="center",
        color=rx.cond(here, rx.color("accent", 11), rx.color("gray", 11)),
        box_shadow=rx.cond(here, f"inset 0 3px 0 {rx.color('accent', 9)}", "none"),
        custom_attrs={"aria-current": rx.cond(here, "page", "false")},
    )


def _on(*prefixes: str, exact: str = "") -> rx.Var:
    """True while the browser shows a page under one of `prefixes` (or exactly `exact`)."""
    path = rx.State.router.url.path
    found = [path.startswith(prefix) for prefix in prefixes]
    if exact:
        found += [path == exact, path == exact + "/"]
    return functools.reduce(operator.or_, found)


# The member's tabs (name, label, link, icon), each with the pages it holds: a receipt and the pay
# page belong to Payments, a draw's own page to Draws, queries (reached from the profile) to Profile.
MEMBER_TABS = (
    ("home", "nav.home", "/m", "house", (), "/m"),
    ("payments", "nav.payments", "/m/payments", "wallet", ("/m/payments", "/m/pay/", "/receipts/"), ""),
    ("draws", "nav.draws", "/m/draws", "ticket", ("/m/draws",), ""),
    ("profile", "nav.profile", "/m/profile", "user", ("/m/profile", "/m/queries"), ""),
)


def _phone_frame(
    *children: rx.Component,
    title: str | rx.Var,
    header_action: rx.Component,
    tabs: list[rx.Component],
    nav_id: str,
    max_width: str,
    **frame_props: object,
) -> rx.Component:
    """The phone frame members and staff share, so both keep one look: a sticky header (brand, the
    user's name, then one action), the page's column, and a tab bar fixed to the bottom (the column
    leaves room under it so the last card is never hidden)."""
    return rx.box(
        rx.hstack(
            rx.heading(BRAND, size="5", color=rx.color("accent", 11)),
            rx.spacer(),
            rx.text(SessionState.user_name, size="2", color_scheme="gray"),
            header_action,
            padding="12px 16px",
            align="center",
            border_bottom=f"1px solid {rx.color('gray', 5)}",
            position="sticky",
            top="0",
            background=rx.color("gray", 1),
            z_index="5",
            class_name="no-print",
        ),
        rx.vstack(
            rx.heading(title, size="6"),
            *children,
            padding="16px",
            spacing="3",
            width="100%",
            padding_bottom="88px",
        ),
        rx.hstack(
            *tabs,
            position="fixed",
            bottom="0",
            left="0",
            right="0",
            background=rx.color("gray", 1),
            border_top=f"1px solid {rx.color('gray', 5)}",
            spacing="0",
            z_index="10",
            id=nav_id,
            class_name="no-print",
        ),
        max_width=max_width,
        margin="0 auto",
        min_height="100vh",
        **frame_props,
    )


def member_shell(*children: rx.Component, title: str | rx.Var, tab: str = "") -> rx.Component:
    """Phone layout: header with the bell (kept live while the page is open) and bottom tabs. `tab`
    (a MEMBER_TABS name) marks the page's tab as it is drawn; a page that does not say is marked
    from the address once it has loaded."""
    return _phone_frame(
        *children,
        title=title,
        header_action=bell(),
        tabs=[
            _tab(t(key), href, icon, rx.Var.create(name == tab) if tab else _on(*under, exact=exact))
            for name, key, href, icon, under, exact in MEMBER_TABS
        ],
        nav_id="bottom-nav",
        max_width="560px",
        on_mount=BellState.watch,
    )


def back_into_app() -> rx.Component:
    """On a public page the app links to (a draw's verification): the way back into the app for
    whoever is signed in: a member to their draws, anyone else to their home."""
    return rx.cond(
        SessionState.role == "member",
        rx.link(t("nav.back_to_draws"), href="/m/draws", size="2", id="back-to-app"),
        rx.cond(
            SessionState.role != "",
            rx.link(t("nav.back_to_app"), href="/", size="2", id="back-to-app"),
        ),
    )


def _staff_tab(label: str, href: str, icon: str, permission: str | None) -> rx.Component:
    """A staff tab, shown only to the staff roles holding `permission` (the services refuse the
    others anyway; the tab bar only leaves out what they cannot use)."""
    if permission is None:
        return _tab(label, href, icon)
    roles = [role for role, granted in PERMISSIONS.items() if permission in granted]
    return rx.cond(
        functools.reduce(operator.or_, [SessionState.staff_role == role for role in roles]),
        _tab(label, href, icon),
    )


def staff_shell(*children: rx.Component, title: str | rx.Var) -> rx.Component:
    """Phone layout for staff: header with name and sign-out, and bottom tabs (Today, Cash, Branch,
    Members), each shown only to the roles that use it; four tabs at most fit a 390 px screen."""
    return _phone_frame(
        *children,
        title=title,
        header_action=rx.button(
            "Sign out", on_click=SessionState.logout, size="1", variant="soft", id="logout"
        ),
        tabs=[_staff_tab(*link) for link in STAFF_LINKS],
        nav_id="staff-nav",
        max_width="720px",
    )


def centered_card(*children: rx.Component) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(*children, spacing="4", width="100%"), width="100%", max_width="420px", padding="24px"
        ),
        min_height="100vh",
        padding="16px",
        background=rx.color("accent", 2),
    )
