"""Work the app does on its own while it serves: the periodic jobs, in one place.

Every worker process runs :func:`periodic_jobs` (a Reflex lifespan task). Each job is written to be
run by several workers at once - rows are claimed with ``FOR UPDATE SKIP LOCKED`` - so no leader
election is needed; the same functions back the cron-style commands (``python -m luckychit_app
close-due-auctions``) for deployments that would rather run them from outside.

* outbox - deliver queued SMS, WhatsApp and email every 2 s (claimed under a lease, sent outside
  the transaction, retried with backoff: services/messages/outbox.py).
* reminders - queue the scheduled payment reminders due now, every 5 minutes between 09:00 and
  20:00 India time (services/messages/reminder_schedule.py).
* auctions - close auctions whose closing time has come, every second: pages poll the draw about
  once a second, so members see the result within about two seconds of the closing time.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from luckychit_app.clock import utcnow
from luckychit_app.db import transaction
from luckychit_app.gateways.routing import sender_from_env
from luckychit_app.services.draws import auction_closer
from luckychit_app.services.messages import reminder_schedule
from luckychit_app.services.messages.outbox import deliver_due

log = logging.getLogger("luckychit")


def _deliver_once() -> dict[str, int]:
    # Each channel goes to its configured provider (MSG91, WhatsApp Cloud API, SMTP), else to the
    # console. A provider whose settings are wrong raises here: the messages wait, nothing is lost.
    return deliver_due(transaction, sender_from_env())


def close_due_auctions(engine: Engine | None = None, *, limit: int = 50) -> dict[str, int]:
    """Settle every auction past its closing time, each in its own transaction (one that fails is
    logged and retried next time; it does not hold up the others). Returns counts by outcome."""
    with transaction(engine) as session:
        due = auction_closer.due_auction_ids(session, limit=limit)
    counts: Counter[str] = Counter()
    for draw_id in due:
        try:
            with transaction(engine) as session:
                outcome = auction_closer.close_if_due(session, draw_id=draw_id)
        except Exception:
            log.exception("closing auction draw %s failed; retrying next time", draw_id)
            outcome = "failed"
        counts[outcome] += 1
        if outcome == "settled":
            log.info("auction draw %s closed at its closing time and settled", draw_id)
    return {k: counts[k] for k in ("settled", "unsold", "skipped", "failed")}


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    every: float
    """Seconds between the end of one run and the start of the next."""


def send_reminders(engine: Engine | None = None) -> dict[str, int]:
    """Queue the scheduled reminders due now (services/messages/reminder_schedule.py): their dedupe
    keys make a second worker's run, or a run after a restart, queue nothing twice."""
    with transaction(engine) as session:
        return reminder_schedule.send_scheduled(session, now=utcnow())


JOBS = (
    Job("outbox", _deliver_once, 2.0),
    Job("reminders", send_reminders, 300.0),
    Job("auctions", close_due_auctions, 1.0),
)


async def _repeat(job: Job) -> None:
    while True:
        try:
            await asyncio.to_thread(job.run)
        except Exception:
            log.exception("periodic job %s failed; retrying", job.name)
        await asyncio.sleep(job.every)


async def periodic_jobs(jobs: tuple[Job, ...] = JOBS) -> None:
    """Run every job on its own schedule, off the event loop; a slow one (an SMTP server timing
    out) does not delay another (an auction due to close)."""
    await asyncio.gather(*(_repeat(job) for job in jobs))
