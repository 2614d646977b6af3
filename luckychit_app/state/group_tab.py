"""What every tab of a group's page shares: its loading and message flags, the group id from the
route, and service calls whose failure becomes the tab's error (ServiceCalls)."""

from __future__ import annotations

from luckychit_app.state.service_calls import ServiceCalls


class GroupTab(ServiceCalls, mixin=True):
    loading: bool = True
    error: str = ""
    notice: str = ""

    def _group_id(self) -> str:
        # The route's [group_id], a var Reflex adds to the root state (not the deprecated router.page).
        return str(self.group_id)
