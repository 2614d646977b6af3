"""Work the app does on its own while it serves: delivering the outbox."""

from __future__ import annotations

import asyncio
import logging

from luckychit_app.db import transaction
from luckychit_app.gateways.smtp_sender import sender_from_env
from luckychit_app.services.outbox import deliver_pending

log = logging.getLogger("luckychit")


def _deliver_once() -> int:
    # Email goes out by SMTP when LUCKYCHIT_SMTP_HOST is set; everything else to the console.
    with transaction() as session:
        return deliver_pending(session, sender_from_env())


async def outbox_loop(interval: float = 2.0) -> None:
    while True:
        try:
            await asyncio.to_thread(_deliver_once)
        except Exception:
            log.exception("outbox delivery failed; retrying")
        await asyncio.sleep(interval)
