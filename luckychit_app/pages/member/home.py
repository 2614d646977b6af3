"""Member phone pages: home (the Payments tab lives in pages/member/passbook.py)."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, member_shell
from luckychit_app.components.translate import t
from luckychit_app.state.member import MemberHomeState


def _due_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(t("home.total_due"), size="2", color_scheme="gray"),
            rx.heading(MemberHomeState.total_due, size="8", id="total-due"),
            rx.cond(
                MemberHomeState.has_due,
                rx.text(t("home.pay_before_draw"), size="2"),
                rx.text(t("home.all_paid"), size="2", color_scheme="green"),
            ),
            # Money paid ahead stays visible once everything is paid ("₹500 in credit").
            rx.cond(
                ~MemberHomeState.has_due & (MemberHomeState.credit != ""),
                rx.text(
                    MemberHomeState.credit, size="3", weight="bold", color_scheme="green", id="home-credit"
                ),
            ),
            # One tap to the checkout of the most urgent due: its ticket's pay page, amount filled in
            # (pages/member/pay.py: online checkout, UPI QR / deep link and UTR).
            rx.cond(
                MemberHomeState.has_due,
                rx.link(
                    rx.button(rx.icon("wallet"), t("home.pay_now"), size="3", width="100%"),
                    href=MemberHomeState.pay_href,
                    width="100%",
                    id="home-pay",
                ),
            ),
            rx.cond(MemberHomeState.has_due & (MemberHomeState.upi.length() > 0), _upi_box()),
            spacing="1",
        ),
        width="100%",
        background=rx.cond(MemberHomeState.has_due, rx.color("amber", 3), rx.color("green", 3)),
    )


def _upi_box() -> rx.Component:
    """UPI for the most urgent due: the deep link on this phone, the QR for another phone's app."""
    upi = MemberHomeState.upi
    return rx.vstack(
        rx.separator(size="4"),
        rx.text(t("home.upi_title"), " · ", upi["amount"], " · ", upi["group"], size="2", weight="medium"),
        rx.hstack(
            rx.image(src=upi["qr"], alt=t("pay.upi_qr_alt"), width="112px", height="112px", id="home-upi-qr"),
            rx.vstack(
                rx.text(t("pay.upi_to"), " ", rx.code(upi["vpa"]), size="1"),
                rx.button(
                    rx.el.a(rx.icon("smartphone"), t("pay.upi_app"), href=upi["link"]),
                    as_child=True,
                    size="2",
                    variant="soft",
                    id="home-upi-link",
                ),
                spacing="2",
            ),
            spacing="3",
            align="center",
        ),
        spacing="2",
        width="100%",
        padding_top="6px",
    )


def _group_card(g: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.heading(g["name"], size="4"), rx.spacer(), rx.badge(g["kind"]), width="100%"),
            rx.text(
                t("group.ticket"),
                " ",
                g["ticket_no"],
                " · ",
                g["value"],
                " · ",
                g["stage"],
                size="2",
                color_scheme="gray",
            ),
            rx.hstack(
                rx.text(
                    g["due"],
                    weight="bold",
                    color=rx.cond(
                        g["overdue"].to(bool),
                        rx.color("red", 11),
                        rx.cond(g["has_credit"].to(bool), rx.color("green", 11), rx.color("gray", 12)),
                    ),
                    class_name="group-due",
                ),
                rx.text(g["due_when"], size="2", color_scheme="gray"),
                align="baseline",
            ),
            rx.text(g["prized"], size="2"),
            rx.cond(
                g["has_due"].to(bool),
                rx.link(
                    rx.button(t("home.pay_amount"), " ", g["due"], size="2", variant="soft", width="100%"),
                    href="/m/pay/" + g["ticket_id"].to(str),
                    width="100%",
                    class_name="group-pay",
                ),
            ),
            rx.cond(
                g["commitment"] != "—",
                rx.text(
                    t("home.next_draw"),
                    " ",
                    g["next_draw"],
                    " · ",
                    t("home.commitment"),
                    " ",
                    rx.code(g["commitment"]),
                    size="1",
                    color_scheme="gray",
                ),
            ),
            # The chit agreement of the group (issue 19, item 5): its particulars and the PDF.
            rx.link(
                t("agreement.title"),
                href="/m/agreement/" + g["group_id"].to(str),
                size="2",
                class_name="group-agreement",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="my-group",
    )


def member_home_page() -> rx.Component:
    return member_shell(
        error_callout(MemberHomeState.error),
        rx.cond(
            MemberHomeState.loading,
            rx.spinner(),
            rx.vstack(
                _due_card(),
                rx.heading(t("home.my_groups"), size="4"),
                rx.cond(
                    MemberHomeState.groups.length() > 0,
                    rx.foreach(MemberHomeState.groups, _group_card),
                    rx.text(t("home.no_groups")),
                ),
                spacing="3",
                width="100%",
            ),
        ),
        title=t("home.title"),
        tab="home",
    )
