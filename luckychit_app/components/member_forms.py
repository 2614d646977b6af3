"""Pieces of adding a member that the owner's group page (pages/foreman/member_adding.py,
group_members.py) and a clerk's phone page (pages/staff/members.py) share, so a new member's
password and the join requests read and behave the same wherever a member is added."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx


def password_callout(password: rx.Var, share_link: rx.Var) -> rx.Component:
    """The new member's one-time password, shown once (it is stored only as a hash), with a link that
    sends the sign-in details on WhatsApp so the member need not be told it aloud."""
    return rx.cond(
        password != "",
        rx.callout(
            rx.vstack(
                rx.text("One-time password (shown once): ", rx.code(password, id="otp")),
                rx.link(
                    rx.hstack(rx.icon("message-circle", size=16), "Send sign-in details on WhatsApp"),
                    href=share_link,
                    is_external=True,
                    id="share-whatsapp",
                ),
                spacing="1",
            ),
            icon="key-round",
            color_scheme="blue",
            width="100%",
        ),
    )


def join_requests_card(
    requests: rx.Var, request: Callable[[rx.Var], rx.Component], **props: object
) -> rx.Component:
    """The group's pending join requests, one `request` each (it carries Approve / Reject), shown
    only while there are any."""
    return rx.cond(
        requests.length() > 0,
        rx.card(
            rx.vstack(
                rx.heading("Join requests", size="3"),
                rx.foreach(requests, request),
                spacing="3",
                width="100%",
            ),
            width="100%",
            **props,
        ),
    )
