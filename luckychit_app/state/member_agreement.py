"""/m/agreement/[group_id]: the member's chit agreement (issue 19, item 5), in their language."""

from __future__ import annotations

import reflex as rx

from luckychit_app.services.paperwork import agreement
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


class MemberAgreementState(SessionState):
    """The particulars of s.6(1) of the member's own group; any other group shows an error, no data."""

    info: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    subscribers: list[dict[str, str]] = []
    dues: list[dict[str, str]] = []
    loading: bool = True
    error: str = ""

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading = True
        actor = await current_actor(self)
        if actor is None:
            return rx.redirect("/login")
        # The route's [group_id], a var Reflex adds to the root state.
        gid = str(self.group_id)
        try:
            page = await run_service(
                lambda s: agreement.agreement(s, actor=actor, group_id=gid), lang=actor.language
            )
        except Failed as exc:
            self.info, self.rows, self.subscribers, self.dues = {}, [], [], []
            self.error, self.loading = exc.message, False
            return None
        self.info = {k: str(v) for k, v in page.items() if isinstance(v, str)}
        self.info["pdf"] = f"/api/paperwork/{page['group_id']}/agreement.pdf"
        self.rows, self.subscribers, self.dues = page["rows"], page["subscribers"], page["dues"]
        self.error, self.loading = "", False
        return None
