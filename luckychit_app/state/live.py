"""Helpers for pages that update themselves: a background task polls a tiny projection while the
browser tab stays connected. Polling the database (not in-process pub/sub) keeps it correct when
several workers serve behind Redis."""

from __future__ import annotations

import reflex as rx


def client_connected(state: rx.State) -> bool:
    """True while this state's browser tab still has its websocket open on this worker."""
    from luckychit_app.luckychit_app import app

    namespace = app.event_namespace
    return namespace is not None and state.router.session.client_token in namespace.token_to_sid
