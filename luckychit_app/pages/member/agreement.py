"""/m/agreement/[group_id]: the member's chit agreement (Chit Funds Act 1982 s.6(1)), one card per
particular, readable on a 390px phone, with the PDF to keep."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.downloads import download_link
from luckychit_app.components.shells import error_callout, member_shell
from luckychit_app.components.translate import t
from luckychit_app.state.member_agreement import MemberAgreementState as A

_WRAP = {"overflow_wrap": "anywhere"}


def _particular(r: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(r["label"], weight="bold", size="2", style=_WRAP),
                rx.spacer(),
                rx.badge(r["clause"], variant="soft", color_scheme="gray"),
                width="100%",
                align="start",
            ),
            rx.text(r["value"], size="2", style=_WRAP),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="agreement-particular",
    )


def _subscriber(s: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.badge(s["ticket"]),
        rx.vstack(
            rx.text(s["name"], size="2", style=_WRAP),
            rx.text(s["address"], size="1", color_scheme="gray", style=_WRAP),
            spacing="0",
        ),
        spacing="2",
        align="start",
        width="100%",
    )


def _due(d: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(d["month"], size="1", width="24px"),
        rx.text(d["date"], size="1"),
        rx.spacer(),
        rx.text(d["amount"], size="1"),
        width="100%",
    )


def member_agreement_page() -> rx.Component:
    return member_shell(
        error_callout(A.error),
        rx.cond(
            A.loading,
            rx.spinner(),
            rx.cond(
                A.error == "",
                rx.vstack(
                    rx.heading(A.info["group"], size="5", style=_WRAP),
                    rx.text(t("agreement.intro"), size="2", color_scheme="gray"),
                    rx.text(t("agreement.foreman"), ": ", A.info["foreman"], size="2", style=_WRAP),
                    rx.text(A.info["foreman_address"], size="1", color_scheme="gray", style=_WRAP),
                    rx.text(t("agreement.chit_value"), ": ", A.info["chit_value"], size="2", weight="bold"),
                    download_link(
                        rx.button(rx.icon("download"), t("agreement.download"), width="100%"),
                        href=A.info["pdf"],
                        width="100%",
                        id="agreement-download",
                    ),
                    rx.card(
                        rx.vstack(
                            rx.hstack(
                                rx.text(t("agreement.subscribers"), weight="bold", size="2"),
                                rx.spacer(),
                                rx.badge(A.info["subscribers_clause"], variant="soft", color_scheme="gray"),
                                width="100%",
                            ),
                            rx.foreach(A.subscribers, _subscriber),
                            spacing="2",
                            width="100%",
                        ),
                        width="100%",
                    ),
                    rx.foreach(A.rows, _particular),
                    rx.cond(
                        A.dues.length() > 0,
                        rx.card(
                            rx.vstack(
                                rx.text(t("agreement.dues"), weight="bold", size="2"),
                                rx.foreach(A.dues, _due),
                                spacing="1",
                                width="100%",
                            ),
                            width="100%",
                        ),
                    ),
                    spacing="3",
                    width="100%",
                    max_width="100%",
                    id="agreement",
                ),
            ),
        ),
        title=t("agreement.title"),
    )
