"""A browser tab without the browser: Reflex's event protocol over socket.io, as the compiled
frontend (`.web/utils/state.js`) speaks it.

* The socket connects to `/_event` with the tab's client token in the query string and the page's
  hydrate event (`State.hydrate_and_load`) in the socket.io CONNECT packet's auth, exactly as
  `connect()` in state.js does. The sign-in cookie `lc_session` (HttpOnly) travels in the
  handshake's Cookie header, as a browser sends it: that is how a real tab authenticates.
* Events are emitted as "event" with `{name, payload, router_data}`; the server answers with
  "event" messages carrying `{delta, events}`. There is no "done" flag in Reflex 0.10, so a caller
  says which delta ends its event (e.g. a state's `loading` turning False), and a navigation ends
  when the root state's `is_hydrated` turns True, which is what the frontend waits for too.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Callable
from typing import Any

try:  # python-socketio's asyncio client needs aiohttp; without it, the small client in this folder
    import aiohttp  # noqa: F401
    import socketio

    AsyncClient = socketio.AsyncClient
except ImportError:
    from bench.mini_socketio import MiniAsyncClient as AsyncClient

NAMESPACE = "/_event"  # socket.io-client takes the namespace from the URL path, as well as the engine path
ROOT_STATE = "reflex___state____state"
FIELD = "_rx_state_"
HYDRATED = f"is_hydrated{FIELD}"

Delta = dict[str, dict[str, Any]]
Predicate = Callable[[Delta], bool]


def state_name(state_cls: type) -> str:
    return state_cls.get_full_name()


def handler_name(state_cls: type, handler: str) -> str:
    return f"{state_cls.get_full_name()}.{handler}"


def router_data(path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
    """What state.js's withRouterData sends: the real path, and the route params as the query."""
    data: dict[str, Any] = {"pathname": path, "asPath": path}
    if params:
        data["query"] = dict(params)
    return data


def hydrated(delta: Delta) -> bool:
    return delta.get(ROOT_STATE, {}).get(HYDRATED) is True


def var_is(state_cls: type, var: str, value: object) -> Predicate:
    """A delta in which `state_cls.var` has `value` (e.g. loading False at the end of a load)."""
    key, field = state_cls.get_full_name(), f"{var}{FIELD}"

    def check(delta: Delta) -> bool:
        return key in delta and field in delta[key] and delta[key][field] == value

    return check


class EventError(RuntimeError):
    """The server did not answer an event in time, or the socket went away."""


class ReflexTab:
    """One tab: one socket, one client token, the sign-in cookie, and the deltas received."""

    def __init__(self, base_url: str, *, origin: str, session_token: str = "") -> None:
        self.base_url = base_url
        self.origin = origin
        self.client_token = str(uuid.uuid4())
        self.headers = {"Origin": origin} | (
            {"Cookie": f"lc_session={session_token}"} if session_token else {}
        )
        self.sio = AsyncClient(
            reconnection=False,
            logger=bool(os.environ.get("BENCH_SIO_DEBUG")),
            engineio_logger=bool(os.environ.get("BENCH_SIO_DEBUG")),
        )
        self.sio.on("event", self._on_event, namespace=NAMESPACE)
        self._waiters: list[tuple[Predicate, asyncio.Future]] = []
        self.frontend_events: list[str] = []
        self.deltas = 0

    async def _on_event(self, update: dict) -> None:
        delta = update.get("delta") or {}
        self.deltas += 1
        for event in update.get("events") or []:
            self.frontend_events.append(str(event.get("name", "")))
        now = time.perf_counter()
        for waiter in list(self._waiters):
            check, future = waiter
            if not future.done() and check(delta):
                future.set_result(now)
                self._waiters.remove(waiter)

    def _expect(self, check: Predicate) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self._waiters.append((check, future))
        return future

    async def _await(self, future: asyncio.Future, started: float, timeout: float, what: str) -> float:
        try:
            done_at = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            self._waiters = [w for w in self._waiters if w[1] is not future]
            raise EventError(f"no answer to {what} within {timeout:.0f}s") from None
        return done_at - started

    async def open(self, path: str, params: dict[str, str] | None = None, timeout: float = 60) -> float:
        """Connect and hydrate on `path` (its on_load handlers run); seconds until hydrated."""
        done = self._expect(hydrated)
        started = time.perf_counter()
        await self.connect(path, params, boot="hydrate_and_load", timeout=timeout)
        return await self._await(done, started, timeout, f"hydrate of {path}")

    async def connect(
        self, path: str, params: dict[str, str] | None = None, *, boot: str, timeout: float = 60
    ) -> None:
        """Open the socket with `boot` (a root-state event: "hydrate_and_load" as a page opens, or
        a plain "hydrate") in the CONNECT packet, without waiting for its answer."""
        await self.sio.connect(
            f"{self.base_url}?token={self.client_token}",
            headers=self.headers,
            transports=["websocket"],
            socketio_path="_event",
            namespaces=[NAMESPACE],
            auth={
                "event": {
                    "name": f"{ROOT_STATE}.{boot}",
                    "payload": {},
                    "router_data": router_data(path, params),
                }
            },
            wait_timeout=timeout,
        )

    async def event(
        self,
        name: str,
        payload: dict | None = None,
        *,
        path: str,
        params: dict[str, str] | None = None,
        until: Predicate,
        timeout: float = 60,
    ) -> float:
        """Send one event and return the seconds until a delta satisfies `until`."""
        done = self._expect(until)
        started = time.perf_counter()
        await self.sio.emit(
            "event",
            {"name": name, "payload": payload or {}, "router_data": router_data(path, params)},
            namespace=NAMESPACE,
        )
        return await self._await(done, started, timeout, name)

    async def navigate(self, path: str, params: dict[str, str] | None = None, timeout: float = 60) -> float:
        """A client-side navigation: `on_load_internal` for `path`, until the page is hydrated
        again (every on_load handler of the page has run)."""
        from reflex.state import OnLoadInternalState

        return await self.event(
            handler_name(OnLoadInternalState, "on_load_internal"),
            path=path,
            params=params,
            until=hydrated,
            timeout=timeout,
        )

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()
