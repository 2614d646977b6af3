"""The foreman's notifications (desktop): members' queries and replies, join requests and the other
notices the services address to the foreman, latest first, each opening what it is about. The same
live list as the member's (components/notifications.py), in the foreman's frame. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.notifications import notification_list
from luckychit_app.components.shells import foreman_shell


def foreman_notifications_page() -> rx.Component:
    return foreman_shell(rx.box(notification_list(), max_width="720px", width="100%"), title="Notifications")
