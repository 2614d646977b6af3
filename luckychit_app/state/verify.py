"""/verify and /verify/[draw_id]: the public verify page. The stored proof's checks for a draw, and a box
to check any proof file pasted or uploaded (a signed-in member reads it in their language)."""

from __future__ import annotations

import asyncio

import reflex as rx

from luckychit_app.i18n import check_detail
from luckychit_app.i18n import text as tr
from luckychit_app.services.draws import draw_views
from luckychit_app.state.display_strings import scalar_strings, string_rows
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


def _worded(checks: list[dict], lang: str) -> list[dict[str, str]]:
    """The checks as rows, a passed check's detail in the reader's language with its noun in the
    singular or the plural (i18n.check_detail); a failed check's technical reason stays as written."""
    return string_rows([{**c, "detail": check_detail(lang, c["detail"])} if c["ok"] else c for c in checks])


class VerifyState(SessionState):
    """The public verify page: the stored proof's checks, and a box for any proof file."""

    info: dict[str, str] = {}
    checks: list[dict[str, str]] = []
    sha_rows: list[dict[str, str]] = []
    auction_words: list[str] = []
    has_draw: bool = False
    completed: bool = False
    all_ok: bool = False
    error: str = ""
    _lang: str = "en"
    pasted_checks: list[dict[str, str]] = []
    pasted_sha: str = ""
    pasted_ok: bool = False
    pasted_done: bool = False
    pasted_error: str = ""

    def _reset_pasted(self) -> None:
        self.pasted_checks, self.pasted_sha, self.pasted_ok, self.pasted_done, self.pasted_error = (
            [],
            "",
            False,
            False,
            "",
        )

    @rx.event
    async def load(self) -> None:
        self._reset_pasted()
        # Public page: a signed-in member reads it in their language (this also refreshes t()).
        actor = await current_actor(self)
        self._lang = lang = actor.language if actor is not None and actor.role == "member" else "en"
        # The route's [draw_id], a var Reflex adds to the root state; "" on /verify (no argument).
        did = str(self.draw_id)
        self.has_draw = bool(did)
        self.auction_words = []
        if not did:
            self.info, self.checks, self.sha_rows, self.completed, self.all_ok, self.error = (
                {},
                [],
                [],
                False,
                False,
                "",
            )
            return
        try:
            view = await run_service(
                lambda s: draw_views.verify_view(s, draw_id=did, lang=lang, actor=actor), lang=lang
            )
        except Failed as exc:
            self.info, self.checks, self.sha_rows, self.completed, self.all_ok = {}, [], [], False, False
            self.error, self.auction_words = exc.message, []
            return
        self.info = scalar_strings(view)
        self.checks, self.sha_rows = _worded(view["checks"], lang), string_rows(view["sha_rows"])
        self.auction_words = [str(line) for line in view["auction_words"]]
        self.completed, self.all_ok, self.error = bool(view["completed"]), bool(view["all_ok"]), ""

    async def _check_text(self, text: object) -> None:
        result = await asyncio.to_thread(draw_views.verify_text, text, self._lang)
        self.pasted_error, self.pasted_sha = result["error"], result["sha"]
        self.pasted_checks, self.pasted_ok = _worded(result["checks"], self._lang), bool(result["all_ok"])
        self.pasted_done = not result["error"]

    @rx.event
    async def check_pasted(self, form: dict) -> None:
        await self._check_text(form.get("proof"))

    @rx.event
    async def check_upload(self, files: list[rx.UploadFile]) -> None:
        """A proof file chosen on the phone or computer; only the first file, at most 256 kB."""
        self._reset_pasted()
        if not files:
            self.pasted_error = tr(self._lang, "verify.choose_first")
            return
        data = await files[0].read(draw_views.MAX_PROOF_CHARS * 4 + 1)
        if len(data) > draw_views.MAX_PROOF_CHARS * 4:
            self.pasted_error = tr(self._lang, "verify.too_big")
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.pasted_error = tr(self._lang, "verify.not_utf8")
            return
        await self._check_text(text)
