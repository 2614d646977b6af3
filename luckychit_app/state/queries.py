"""The member's queries (disputes) on a payment or a draw, and one query's thread."""

from __future__ import annotations

import reflex as rx

from luckychit_app.services.access import Actor
from luckychit_app.services.messages import disputes
from luckychit_app.services.reporting import views
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor, page_actor


class QueriesState(SessionState):
    threads: list[dict[str, str]] = []
    subjects: list[dict[str, str]] = []
    subject: str = ""
    error: str = ""

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.error = ""
        actor, away = await page_actor(self, "member")
        if away:
            return away
        try:
            self.threads, self.subjects = await run_service(
                lambda s: (
                    disputes.threads_for_member(s, actor=actor),
                    views.dispute_subjects(s, actor=actor),
                ),
                lang=actor.language,
            )
        except Failed as exc:
            self.threads, self.subjects, self.error = [], [], exc.message
        if self.subjects and self.subject not in {x["value"] for x in self.subjects}:
            self.subject = self.subjects[0]["value"]
        return None

    @rx.var
    def subject_label(self) -> str:
        """The chosen subject in full (the picker may cut it on a phone)."""
        return next((x["label"] for x in self.subjects if x["value"] == self.subject), "")

    @rx.event
    def choose(self, value: str) -> None:
        self.subject = value if isinstance(value, str) else ""

    @rx.event
    async def raise_query(self, form: dict) -> rx.event.EventSpec | None:
        self.error = ""
        kind, _, ident = self.subject.partition(":")
        title, body = form.get("title"), form.get("body")
        actor = await current_actor(self)
        try:
            dispute_id = await run_service(
                lambda s: (
                    disputes.raise_dispute(
                        s, actor=actor, subject_type=kind, subject_id=ident, title=title, body=body
                    ).id
                ),
                lang=actor.language if actor else "en",
            )
        except Failed as exc:
            self.error = exc.message
            return None
        return rx.redirect(f"/m/queries/{dispute_id}")


class ThreadState(SessionState):
    thread: dict = {}
    messages: list[dict[str, str]] = []
    error: str = ""

    def _id(self) -> str:
        # The route's [dispute_id], a var Reflex adds to the root state (not the deprecated router.page).
        return str(self.dispute_id)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.error = ""
        actor, away = await page_actor(self, "member")
        if away:
            return away
        await self._read(actor)
        return None

    async def _read(self, actor: Actor | None) -> None:
        did = self._id()
        try:
            page = await run_service(
                lambda s: disputes.thread(s, actor=actor, dispute_id=did),
                lang=actor.language if actor else "en",
            )
        except Failed as exc:
            self.thread, self.messages = {}, []
            self.error = exc.message
            return
        self.messages = page.pop("thread")
        self.thread = page

    @rx.event
    async def reply(self, form: dict) -> None:
        self.error = ""
        actor, did, body = await current_actor(self), self._id(), form.get("body")
        try:
            await run_service(
                lambda s: disputes.add_message(s, actor=actor, dispute_id=did, body=body),
                lang=actor.language if actor else "en",
            )
        except Failed as exc:
            self.error = exc.message
            return
        await self._read(actor)
