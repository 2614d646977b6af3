"""Member phone pages: home with groups and what is due."""

from __future__ import annotations

import reflex as rx

from luckychit_app.services.reporting import views
from luckychit_app.state.session import SessionState, member_page


class MemberHomeState(SessionState):
    groups: list[dict] = []
    total_due: str = ""
    has_due: bool = False
    credit: str = ""  # "₹500 in credit": paid ahead, shown once nothing is due
    pay_href: str = "/m/payments"  # home's "Pay now": the most urgent due's pay page
    upi: dict[str, str] = {}
    loading: bool = True
    error: str = ""
    _shown: str = ""  # the page key of what this tab shows (kept by member_page)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        page = await member_page(self, "home", lambda s, actor: views.member_home(s, actor=actor))
        if page.away or page.unchanged:  # unchanged: the tab shows this page already (nothing assigned)
            return page.away
        self.loading = False
        if page.data is None:
            self.groups, self.upi, self.error = [], {}, page.error
            return None
        home = page.data
        self.groups, self.total_due, self.has_due = home["groups"], home["total_due"], home["has_due"]
        self.upi, self.credit, self.pay_href = home["upi"], home["credit"], home["pay_href"]
        self.error = ""
        return None
