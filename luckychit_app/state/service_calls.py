"""`_call`: a service call whose failure becomes the state's `error` message instead of an exception,
for states that show one error line for everything they do (each state declares its own `error`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import reflex as rx
from sqlmodel import Session

from luckychit_app.state.runner import Failed, run_service

T = TypeVar("T")


class ServiceCalls(rx.State, mixin=True):
    async def _call(self, fn: Callable[[Session], T]) -> T | None:
        try:
            return await run_service(fn)
        except Failed as exc:
            self.error = exc.message
            return None
