"""Drive the real Reflex app in-process, the way a browser (or an attacker's script) drives it over
the websocket, and record exactly what the browser would receive.

Why in-process: it runs Reflex's own event processor (`BaseStateEventProcessor`) with an in-memory
state manager, so each event goes through the same path as a websocket event (router data, the
`lc_session` cookie in the connection's handshake headers, middleware, payload conversion from type
hints, chained events, background tasks, delta serialisation), but without a build of the
frontend, a server or a browser. One call takes milliseconds instead of a round trip through a
production server, which is what makes calling ~130 handlers in several hundred variations
possible in one test run on a two-core machine.

What a call records (`Outcome`): every delta (the serialised state sent to the browser), every
frontend event (redirects, scripts, toasts), every exception that reached Reflex's backend
exception handler, and whether the handler finished in time.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from reflex.state import State
from reflex_base.constants import CompileVars
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from reflex_base.registry import RegistrationContext

from luckychit_app.services.people.sign_in_grants import SESSION_COOKIE
from luckychit_app.state.runner import GENERIC_ERROR

FIELD_MARKER = "_rx_state_"
FORM_POST = re.compile(r"f\.action = \\?\"(/[^\"\\]*)")
ERROR_VARS_SUFFIX = "error"
"""State vars named `error`, `phrase_error`, `bid_error`, `pasted_error` ... carry refusals."""


def state_classes() -> list[type[State]]:
    """Every rx.State subclass of the app (import luckychit_app.luckychit_app first), depth first."""

    def walk(cls: type[State]) -> Iterator[type[State]]:
        yield cls
        for sub in sorted(cls.get_substates(), key=lambda c: c.get_full_name()):
            yield from walk(sub)

    return list(walk(State))


def app_state_classes() -> list[type[State]]:
    """The states this project defines (not Reflex's internal ones)."""
    return [c for c in state_classes() if c.__module__.startswith("luckychit_app.")]


@dataclasses.dataclass
class Outcome:
    """What the browser received for one event (and its chained events)."""

    deltas: list[dict[str, dict[str, Any]]] = dataclasses.field(default_factory=list)
    events: list[tuple[str, dict[str, Any]]] = dataclasses.field(default_factory=list)
    exceptions: list[BaseException] = dataclasses.field(default_factory=list)
    timed_out: bool = False

    def values(self) -> dict[str, dict[str, Any]]:
        """The last value of every var the browser was sent, per state (marker suffix removed)."""
        merged: dict[str, dict[str, Any]] = {}
        for delta in self.deltas:
            for state, changes in delta.items():
                for key, value in changes.items():
                    merged.setdefault(state, {})[key.removesuffix(FIELD_MARKER)] = value
        return merged

    def errors(self) -> list[str]:
        """Non-empty error messages the handler put in state."""
        found = []
        for changes in self.values().values():
            for key, value in changes.items():
                if key.endswith(ERROR_VARS_SUFFIX) and isinstance(value, str) and value:
                    found.append(value)
        return found

    def redirects(self) -> list[str]:
        """Where the tab was sent: redirects, and the HTTP routes it was made to post a form to
        (state/session.post_form: a sign-in trading its grant, a sign-out clearing the cookie)."""
        found = []
        for name, payload in self.events:
            if name == "_redirect":
                found.append(str(payload.get("path", "")))
            elif post := FORM_POST.search(json.dumps(payload, default=str)):
                found.append(post.group(1))
        return found

    def serialised(self) -> str:
        """Everything sent to the browser, as the text that would cross the websocket."""
        return json.dumps([self.deltas, self.events], default=str, ensure_ascii=False)

    @property
    def crashed(self) -> bool:
        """An exception escaped a handler, or a service failed unexpectedly (GENERIC_ERROR)."""
        return bool(self.exceptions) or GENERIC_ERROR in self.errors()


class _Namespace:
    """Stands in for Reflex's socket.io namespace: records what would be emitted to each client,
    and tells `hub.tab_connected` which tabs are "open" (background loops stop when they close)."""

    def __init__(self) -> None:
        self.token_to_sid: dict[str, str] = {}
        self.sink: dict[str, Outcome] = {}

    async def emit_update(self, update: Any, token: str) -> None:
        outcome = self.sink.get(token)
        if outcome is None:
            return
        if update.delta:
            outcome.deltas.append(json.loads(json.dumps(update.delta, default=str)))
        for event in update.events or []:
            outcome.events.append((event.name, dict(event.payload)))


@dataclasses.dataclass
class Client:
    """One browser tab: its own client token (state tree), page and cookie."""

    token: str
    path: str
    router_data: dict[str, Any]


class Driver:
    """Start with `async with Driver(app) as d:`; then `await d.open(path, cookie)` a tab and
    `await d.send(tab, "StateClass.handler", payload)`."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.ns = _Namespace()
        self.exceptions: dict[str, list[BaseException]] = {}
        self.processor = BaseStateEventProcessor(middleware=app, backend_exception_handler=self._on_exception)
        self._contexts: Any = None
        self._previous_ns: Any = None

    def _on_exception(self, exc: Exception) -> None:
        from reflex_base.event.context import EventContext

        try:
            token = EventContext.get().token
        except LookupError:
            token = ""
        self.exceptions.setdefault(token, []).append(exc)

    async def __aenter__(self) -> Driver:
        from reflex.istate.manager.memory import StateManagerMemory

        self.processor.configure(state_manager=StateManagerMemory(), event_namespace=self.ns)
        await self.processor.start()
        self._contexts = self.app.set_contexts()
        self._contexts.__enter__()
        self._previous_ns = self.app._event_namespace
        self.app._event_namespace = self.ns
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.app._event_namespace = self._previous_ns
        self.ns.token_to_sid.clear()
        try:
            await self.processor.stop(graceful_shutdown_timeout=2)
        finally:
            self._contexts.__exit__(None, None, None)

    def router_data(
        self, token: str, path: str, query: Mapping[str, str] | None = None, cookie: str = ""
    ) -> dict[str, Any]:
        """What Reflex's EventNamespace.on_event builds from a websocket event: the route pattern
        for the path, its parameters as the query, and the connection's headers (with the session
        cookie the handshake carried) and IP."""
        bare = path.split("?", 1)[0]
        route = self.app.router(bare) or "404"
        params = dict(query or {})
        params.update(_route_params(route, bare))
        return {
            "pathname": "/" + route.removeprefix("/"),
            "asPath": path,
            "query": params,
            "token": token,
            "headers": {
                "user-agent": "luckychit-security-tests",
                "origin": "http://localhost:3000",
                **({"cookie": f"{SESSION_COOKIE}={cookie}"} if cookie else {}),
            },
            "ip": "127.0.0.1",
            "sid": "sid-" + token[:8],
        }

    async def open(
        self,
        path: str,
        cookie: str = "",
        query: Mapping[str, str] | None = None,
        load: bool = False,
        timeout: float = 60,
    ) -> tuple[Client, Outcome]:
        """A new tab on `path` whose websocket was opened with `cookie` as its lc_session cookie.

        load=False: `hydrate`, without the page's on_load handlers, so a handler is tested on its
        own, exactly as a forged event would arrive.
        load=True: `hydrate_and_load`, as a real browser opening the page does
        (runs the page's on_load chain; used to inspect what each page sends). A page whose on_load
        starts a live loop never finishes loading: after `timeout` the outcome is marked timed out
        and holds everything sent until then.
        """
        token = str(uuid.uuid4())
        self.ns.token_to_sid[token] = "sid-" + token[:8]
        client = Client(token=token, path=path, router_data=self.router_data(token, path, query, cookie))
        if load:
            name, wait = CompileVars.HYDRATE_AND_LOAD, timeout
        else:
            name, wait = CompileVars.HYDRATE, 30
        return client, await self._send(client, f"{State.get_full_name()}.{name}", {}, timeout=wait)

    async def send(
        self, client: Client, handler: str, payload: Mapping[str, Any] | None = None, timeout: float = 30
    ) -> Outcome:
        """Send one event; `handler` is "StateClassName.method" or a full Reflex event name."""
        return await self._send(client, full_event_name(handler), dict(payload or {}), timeout)

    async def _send(self, client: Client, name: str, payload: dict[str, Any], timeout: float) -> Outcome:
        outcome = Outcome()
        self.ns.sink[client.token] = outcome
        self.exceptions.pop(client.token, None)
        future = await self.processor.enqueue(
            client.token, Event(name=name, payload=payload, router_data=dict(client.router_data))
        )
        try:
            await asyncio.wait_for(future.wait_all(), timeout)
        except TimeoutError:
            outcome.timed_out = True
            future.cancel()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the handler's exception, also seen by the backend handler
            outcome.exceptions.append(exc)
        outcome.exceptions += [
            e for e in self.exceptions.pop(client.token, []) if e not in outcome.exceptions
        ]
        return outcome

    def close(self, client: Client) -> None:
        """The tab closes: background loops that check `hub.tab_connected` stop."""
        self.ns.token_to_sid.pop(client.token, None)


def full_event_name(handler: str) -> str:
    """ "DrawState.load" -> Reflex's full event name (the state's full name + "." + method)."""
    if handler.startswith(State.get_full_name()):
        return handler
    cls_name, _, method = handler.partition(".")
    for cls in state_classes():
        if cls.__name__ == cls_name:
            return f"{cls.get_full_name()}.{method}"
    raise KeyError(f"no state class named {cls_name}")


def registered_event_names() -> set[str]:
    """The event names Reflex will dispatch (anything else sent over the websocket is dropped)."""
    return set(RegistrationContext.get().event_handlers)


def _route_params(route: str, path: str) -> dict[str, str]:
    """Values of [param] segments: route "f/groups/[group_id]" + path "/f/groups/7" -> group_id=7."""
    params = {}
    for pattern, actual in zip(route.strip("/").split("/"), path.strip("/").split("/"), strict=False):
        if pattern.startswith("[") and pattern.endswith("]"):
            params[pattern[1:-1].removeprefix("...")] = actual
    return params
