"""A minimal Socket.IO client (protocol 5 over Engine.IO 4, websocket transport only) on asyncio and
wsproto, for the load benchmarks where aiohttp (python-socketio's asyncio transport) is not
installed. It implements the subset `bench.reflex_client` uses of `socketio.AsyncClient`: `on`,
`connect` (namespace CONNECT with auth), `emit`, `connected`, `disconnect`; it answers the
server's pings, so an idle tab stays connected like a browser's.

Packets: the server opens with ``0{sid, pingInterval, ...}``; the client connects its namespace
with ``40/_event,{auth}`` and is accepted with ``40/_event,{sid}`` (``44`` is a refusal); events
both ways are ``42/_event,["event", data]``; ping ``2`` is answered with pong ``3``.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Message,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)


class SocketClosed(RuntimeError):
    pass


class MiniAsyncClient:
    def __init__(self, **_options: Any) -> None:
        self.connected = False
        self._handlers: dict[str, Callable[..., Any]] = {}
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task | None = None
        self._namespace = "/"
        self._opened: asyncio.Future | None = None
        self._joined: asyncio.Future | None = None
        self._text: list[str] = []

    def on(self, event: str, handler: Callable[..., Any], namespace: str | None = None) -> None:
        self._handlers[event] = handler

    async def connect(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        transports: list[str] | None = None,
        socketio_path: str = "socket.io",
        namespaces: list[str] | None = None,
        auth: Any = None,
        wait_timeout: float = 30,
    ) -> None:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        target = f"/{socketio_path.strip('/')}/?EIO=4&transport=websocket" + (
            f"&{parts.query}" if parts.query else ""
        )
        self._namespace = (namespaces or ["/"])[0]
        loop = asyncio.get_running_loop()
        self._opened, self._joined = loop.create_future(), loop.create_future()
        self._reader, self._writer = await asyncio.wait_for(asyncio.open_connection(host, port), wait_timeout)
        extra = [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
        self._write(self._ws.send(Request(host=f"{host}:{port}", target=target, extra_headers=extra)))
        self._task = asyncio.create_task(self._read_loop())
        await asyncio.wait_for(self._opened, wait_timeout)
        self._send(f"40{self._prefix()}{json.dumps(auth) if auth is not None else ''}")
        await asyncio.wait_for(self._joined, wait_timeout)
        self.connected = True

    def _prefix(self) -> str:
        return "" if self._namespace == "/" else f"{self._namespace},"

    def _write(self, data: bytes) -> None:
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(data)

    def _send(self, text: str) -> None:
        self._write(self._ws.send(Message(data=text)))

    async def emit(self, event: str, data: Any = None, namespace: str | None = None) -> None:
        if not self.connected:
            raise SocketClosed("not connected")
        self._send(f"42{self._prefix()}{json.dumps([event, data], separators=(',', ':'))}")
        await self._writer.drain()

    async def _read_loop(self) -> None:
        try:
            while True:
                data = await self._reader.read(1 << 16)
                self._ws.receive_data(data or None)
                for event in self._ws.events():
                    if isinstance(event, TextMessage):
                        self._text.append(event.data)
                        if event.message_finished:
                            text, self._text = "".join(self._text), []
                            await self._packet(text)
                    elif isinstance(event, Ping):
                        self._write(self._ws.send(event.response()))
                    elif isinstance(event, CloseConnection):
                        with contextlib.suppress(Exception):
                            self._write(self._ws.send(event.response()))
                        return
                    elif isinstance(event, RejectConnection):
                        self._fail(SocketClosed(f"websocket refused: HTTP {event.status_code}"))
                        return
                    elif isinstance(event, AcceptConnection):
                        pass
                if not data:
                    return
        except (asyncio.IncompleteReadError, OSError) as exc:
            self._fail(SocketClosed(str(exc)))
        finally:
            self.connected = False
            self._fail(SocketClosed("connection closed"))

    def _fail(self, exc: Exception) -> None:
        for future in (self._opened, self._joined):
            if future is not None and not future.done():
                future.set_exception(exc)

    async def _packet(self, text: str) -> None:
        kind, body = text[:1], text[1:]
        if kind == "0":
            self._opened.set_result(json.loads(body))
        elif kind == "2":
            self._send("3" + body)
        elif kind == "4" and body:
            await self._message(body[0], body[1:])

    async def _message(self, kind: str, body: str) -> None:
        if body.startswith("/"):
            _, _, body = body.partition(",")
        while body[:1].isdigit():  # an ack id (none of the server's events ask for one)
            body = body[1:]
        if kind == "0":
            self._joined.set_result(True)
        elif kind == "4":
            self._fail(SocketClosed(f"namespace refused: {body}"))
        elif kind == "2":
            name, *args = json.loads(body)
            handler = self._handlers.get(name)
            if handler is not None:
                result = handler(*args)
                if inspect.isawaitable(result):
                    await result
        elif kind == "1":
            self.connected = False

    async def disconnect(self) -> None:
        if self.connected:
            with contextlib.suppress(Exception):
                self._send(f"41{self._prefix()}")
                self._write(self._ws.send(CloseConnection(code=1000)))
                await self._writer.drain()
        self.connected = False
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
        if self._writer is not None:
            self._writer.close()
