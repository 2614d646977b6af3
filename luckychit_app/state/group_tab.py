"""What every tab of a group's page shares: its loading and message flags, the group id from the
route, and service calls whose failure becomes the tab's error."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import reflex as rx
from sqlmodel import Session

from luckychit_app.state.runner import Failed, run_service

T = TypeVar("T")


class GroupTab(rx.State, mixin=True):
    loading: bool = True
    error: str = ""
    notice: str = ""

    def _group_id(self) -> str:
        # The route's [group_id], a var Reflex adds to the root state (not the deprecated router.page).
        return str(self.group_id)

    async def _call(self, fn: Callable[[Session], T]) -> T | None:
        try:
            return await run_service(fn)
        except Failed as exc:
            self.error = exc.message
            return None
