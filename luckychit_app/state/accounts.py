"""The accountant's hand-off on the foreman's Reports page (/f/reports, issue 19): the financial
year's statements in short with links to their files, and the Tally file of a range of days.

The files themselves come from authenticated HTTP routes (api/accounts.py); this state only keeps
the choices that build their links and the summary the page shows. Every read goes through the
services (fy_documents.accounts_overview, on the read replica when one is configured: run_report),
which check that the caller is a foreman reading their
own books and validate the year and the day the browser sent; the range setters only tidy what the
tab typed into two date boxes, which the download route validates again.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import reflex as rx

from luckychit_app.services.access import Actor
from luckychit_app.services.reporting import fy_documents
from luckychit_app.state.runner import Failed, run_report
from luckychit_app.state.session import SessionState, current_actor, page_actor

_DAY_CHARS = re.compile(r"[^0-9-]")


def _day(value: object) -> str:
    """What a date box sent, as at most "YYYY-MM-DD" characters (the route parses it)."""
    return _DAY_CHARS.sub("", str(value))[:10] if isinstance(value, str) else ""


class AccountsState(SessionState):
    """The financial year chosen, its summary and the Tally range, for the foreman's own books."""

    owner: str = ""
    years: list[dict[str, str]] = []
    year: str = ""
    fy: str = ""
    as_of: str = ""
    as_of_text: str = ""
    first: str = ""
    last: str = ""
    summary: list[dict[str, str]] = []
    months: list[dict[str, str]] = []
    tally_from: str = ""
    tally_to: str = ""
    openings: bool = False
    loading: bool = True
    error: str = ""

    @rx.var
    def tally_href(self) -> str:
        link = f"/api/accounts/{self.owner}/tally.xml?from={self.tally_from}&to={self.tally_to}"
        return link + ("&openings=1" if self.openings else "")

    @rx.var
    def statements_href(self) -> str:
        return f"/api/accounts/{self.owner}/fy/{self.year}/statements?as_of={self.as_of}"

    @rx.var
    def csv_prefix(self) -> str:
        """The statements' CSV links are this, the statement's name and `csv_suffix`."""
        return f"/api/accounts/{self.owner}/fy/{self.year}/"

    @rx.var
    def csv_suffix(self) -> str:
        return f".csv?as_of={self.as_of}"

    async def _read(self, actor: Actor | None, year: object, as_of: object, *, new_range: bool) -> None:
        try:
            data = await run_report(
                lambda s: fy_documents.accounts_overview(s, actor=actor, year=year, as_of=as_of)
            )
        except Failed as exc:
            self.error = exc.message
            return
        self.error = ""
        self.owner, self.years, self.year, self.fy = data["owner"], data["years"], data["year"], data["fy"]
        self.as_of, self.as_of_text = data["as_of"], data["as_of_text"]
        self.first, self.last = data["first"], data["last"]
        self.summary, self.months = data["summary"], data["months"]
        if new_range or not self.tally_from:
            self.tally_from, self.tally_to = data["first"], data["as_of"]

    @rx.event
    async def load(self) -> AsyncIterator[rx.event.EventSpec | None]:
        actor, away = await page_actor(self, "foreman")
        if away:
            yield away
            return
        self.loading = True
        yield
        await self._read(actor, self.year, "", new_range=True)
        self.loading = False

    @rx.event
    async def choose_year(self, value: str) -> None:
        """Another financial year: its statements at 31 March (or today), and its days for Tally."""
        await self._read(await current_actor(self), value, "", new_range=True)

    @rx.event
    async def choose_day(self, value: str) -> None:
        """Statements at another day of the chosen year."""
        await self._read(await current_actor(self), self.year, _day(value), new_range=False)

    @rx.event
    def set_tally_from(self, value: str) -> None:
        self.tally_from = _day(value)

    @rx.event
    def set_tally_to(self, value: str) -> None:
        self.tally_to = _day(value)

    @rx.event
    def set_openings(self, value: bool) -> None:
        self.openings = value is True
