"""The member's notifications (phone layout): the latest first, kept live while the page is open,
each opening what it is about (a payment's receipt, a draw, the profile)."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.notifications import notification_list
from luckychit_app.components.shells import member_shell
from luckychit_app.components.translate import t


def member_notifications_page() -> rx.Component:
    return member_shell(notification_list(), title=t("home.notifications"))
