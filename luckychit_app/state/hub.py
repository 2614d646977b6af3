"""The running app, as the states see it. `luckychit_app.py` registers the app object here right after
creating it; states ask the hub what only the app knows at run time (which tabs have a websocket open
on this worker) instead of importing the app module, which imports every page and so every state:
an import circle through the whole front end.

The hub holds the app object itself, not its websocket namespace: Reflex attaches the namespace when
the backend mounts its socket, after the app module has been imported (and tests swap it)."""

from __future__ import annotations

import reflex as rx

_app: rx.App | None = None


def register(app: rx.App) -> None:
    """Called once by `luckychit_app.py` with the app it created (a second call replaces the first)."""
    global _app
    _app = app


def tab_connected(state: rx.State, *, when_unknown: bool) -> bool:
    """True while this state's browser tab has its websocket open on this worker (where its events
    run); background loops poll it to stop when the tab goes away.

    `when_unknown` is the answer when this process has no websocket server to ask: before
    `register` (a script or test that imports states without the app) or while the registered app has
    not mounted its socket (`event_namespace` is None: events driven in-process). Each loop says what
    it needs: the live draw page passes True, because it has bounds of its own (a generation counter
    and a time limit) and must not stop early; the notification bell passes False, because its only
    other stop is the end of the session, and it would otherwise poll for as long as that lasts."""
    namespace = _app.event_namespace if _app is not None else None
    if namespace is None:
        return when_unknown
    return state.router.session.client_token in namespace.token_to_sid
