"""The Reflex side of the metrics: an app middleware that hands each event to `metrics.observe_event`
(see luckychit_app/metrics.py for what is measured and why the task callback is the end hook)."""

from __future__ import annotations

from typing import Any

from reflex.event import Event
from reflex.middleware import Middleware

from luckychit_app.metrics import event_label, observe_event


class EventMetrics(Middleware):
    """App middleware (`app.add_middleware(EventMetrics())`): measures, never changes, an event."""

    async def preprocess(self, app: Any, state: Any, event: Event) -> None:
        observe_event(event_label(event.name))
        return None
