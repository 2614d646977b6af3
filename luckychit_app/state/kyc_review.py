"""The foreman's review of a member's KYC, from the members directory (/f/members): a dialog with the
member's details masked, Verify, and Reject with a reason the member is told."""

from __future__ import annotations

import reflex as rx

from luckychit_app.services.people import kyc
from luckychit_app.state.dashboard import MembersDirectoryState
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


class KycReviewState(SessionState):
    dialog_open: bool = False
    info: dict[str, str] = {}
    error: str = ""  # on the page: the member's KYC could not be opened
    dialog_error: str = ""  # in the dialog: a refused verify or reject
    notice: str = ""
    busy: bool = False
    _user_id: str = ""  # the member whose KYC the dialog shows, once the service let this foreman see it

    @rx.event
    async def open(self, user_id: str) -> None:
        self.error = self.dialog_error = self.notice = ""
        self._user_id, self.info, self.dialog_open = "", {}, False
        actor = await current_actor(self)
        try:
            info = await run_service(lambda s: kyc.review(s, actor=actor, user_id=user_id))
        except Failed as exc:
            self.error = exc.message
            return
        self._user_id, self.info, self.dialog_open = info["user_id"], info, True

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = value is True
        if not self.dialog_open:
            self.dialog_error = ""

    async def _decide(self, status: str, note: object) -> None:
        self.dialog_error = self.notice = ""
        if not self._user_id:
            self.error = "Open a member's KYC first."
            return
        actor, user_id, name = await current_actor(self), self._user_id, self.info.get("name", "")
        self.busy = True
        try:
            await run_service(
                lambda s: kyc.set_status(s, actor=actor, user_id=user_id, status=status, note=note)
            )
        except Failed as exc:
            self.dialog_error = exc.message
            return
        finally:
            self.busy = False
        self.dialog_open, self._user_id, self.info = False, "", {}
        self.notice = (
            f"{name}'s KYC is verified; they have been told."
            if status == "verified"
            else f"{name}'s KYC was rejected; they have been told the reason."
        )
        if actor is not None and actor.role == "foreman":  # the directory is the foreman's page
            directory = await self.get_state(MembersDirectoryState)
            await directory._refresh(actor)

    @rx.event
    async def verify(self) -> None:
        await self._decide("verified", "")

    @rx.event
    async def reject(self, form: dict) -> None:
        await self._decide("rejected", form.get("reason", "") if isinstance(form, dict) else "")
