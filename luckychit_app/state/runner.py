"""Run service calls off the event loop, each in its own transaction, and turn service errors into
messages in the reader's language. Every state handler goes through `run_service` (or `run_flow` for
a flow that manages its own transactions, `run_report` for a report page's read-only figures, `run_check`
for the session check), so none blocks the loop, leaks a trace or translates an error itself."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy.sql import Select
from sqlmodel import Session

from luckychit_app import db_loop
from luckychit_app.db import read_transaction, transaction
from luckychit_app.i18n import message
from luckychit_app.services.errors import ServiceError

T = TypeVar("T")
Language = str | Callable[[], str]
"""The reader's language (one of locales.CODES: "en", "hi", "ta", …), or a function that tells it,
asked only when the call fails (for a call that learns who is reading inside it, like
`session.page_read`)."""

log = logging.getLogger("luckychit")
GENERIC_ERROR = "Something went wrong on our side. Nothing was saved; please try again."


class Failed(Exception):
    """A service call failed; `message` is safe to show and already in the reader's language."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _failed(exc: Exception, lang: Language, what: str) -> Failed:
    """`Failed` for an exception a call raised (call inside the `except` block, so the log has the
    trace). Services raise their messages in English, which is what the foreman's pages show;
    `i18n.message` finds a member's language's version."""
    if not isinstance(exc, ServiceError):
        log.exception("%s failed", what)
    english, field = (exc.message, exc.field) if isinstance(exc, ServiceError) else (GENERIC_ERROR, None)
    return Failed(message(lang() if callable(lang) else lang, english), field)


async def _off_loop(call: Callable[[], T], lang: Language, what: str) -> T:
    """`call()` on a worker thread, a failure turned into `Failed` in `lang` (every runner below)."""

    def translated() -> T:
        try:
            return call()
        except Exception as exc:
            raise _failed(exc, lang, what) from exc

    return await asyncio.to_thread(translated)


def _in_transaction(fn: Callable[[Session], T], commit_on_error: bool) -> T:
    with transaction() as session:
        try:
            return fn(session)
        except ServiceError:
            if commit_on_error:
                # Sign-in failures must be counted even though the call fails.
                session.commit()
            raise


async def run_service(
    fn: Callable[[Session], T], *, commit_on_error: bool = False, lang: Language = "en"
) -> T:
    """`fn(session)` in one transaction on a worker thread. Raises `Failed` with the message in
    `lang`, the reader's language (the default, English, leaves service messages as they are)."""
    return await _off_loop(lambda: _in_transaction(fn, commit_on_error), lang, "service call")


async def run_check(
    statement: Select, values: Mapping[str, Any], *, lang: Language = "en"
) -> Sequence[Any] | None:
    """A session check's one statement (`db_loop.fetch_one`: on the event loop on PostgreSQL), its
    failure turned into `Failed` like `run_service`'s."""
    try:
        return await db_loop.fetch_one(statement, values)
    except Exception as exc:
        raise _failed(exc, lang, "session check") from exc


def _in_read_transaction(fn: Callable[[Session], T]) -> T:
    with read_transaction() as session:
        return fn(session)


async def run_report(fn: Callable[[Session], T], *, lang: Language = "en") -> T:
    """`run_service` for a report page's figures: `fn(session)` in `db.read_transaction()`, on the
    read replica when one is configured, so it may lag the last writes by the replication delay and
    may not write."""
    return await _off_loop(lambda: _in_read_transaction(fn), lang, "report read")


async def run_flow(fn: Callable[[], T], *, lang: Language = "en") -> T:
    """A service flow that manages its own transactions (gateway calls between them), off the event
    loop and with its failures turned into `Failed` like `run_service`."""
    return await _off_loop(fn, lang, "payment flow")
