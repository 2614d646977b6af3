"""Run service calls off the event loop, each in its own transaction, and turn service errors into
messages. Every state handler goes through `run_service`, so none blocks the loop or leaks a trace."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session

from luckychit_app.db import transaction
from luckychit_app.services.errors import ServiceError

T = TypeVar("T")
log = logging.getLogger("luckychit")
GENERIC_ERROR = "Something went wrong on our side. Nothing was saved; please try again."


class Failed(Exception):
    """A service call failed; `message` is safe to show."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _in_transaction(fn: Callable[[Session], T], commit_on_error: bool) -> T:
    try:
        with transaction() as session:
            try:
                return fn(session)
            except ServiceError:
                if commit_on_error:
                    # Sign-in failures must be counted even though the call fails.
                    session.commit()
                raise
    except ServiceError as exc:
        raise Failed(exc.message, exc.field) from exc
    except Exception as exc:
        log.exception("service call failed")
        raise Failed(GENERIC_ERROR) from exc


async def run_service(fn: Callable[[Session], T], *, commit_on_error: bool = False) -> T:
    return await asyncio.to_thread(_in_transaction, fn, commit_on_error)
