"""The outbox: messages are queued in the same transaction as the event that caused them (so a
rolled-back event never sends anything) and delivered afterwards by every worker's background loop.

Queueing - `enqueue` is the one way in. It records the kind (the provider template: DLT SMS and
WhatsApp send templates, not free text), the template's parameters, the language, the category
(transactional or service, for opt-outs) and an optional `dedupe_key`, unique in the table: a
second message with the same key is not queued. That is decided by the unique index inside a
savepoint, not by a read-then-write, so two workers queueing the same reminder at the same moment
still queue one (the loser's insert fails on the index and only its savepoint rolls back).

Delivering - `deliver_due` runs three kinds of short transaction around the network calls:

1. claim: due rows (queued and past their `next_attempt_at`, or `sending` with an expired lease) are
   picked with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL and each moved by a conditional ``UPDATE …
   WHERE id = … AND <still due>`` (which is what makes it safe on SQLite, where the write lock is
   taken up front) to ``sending`` with ``claimed_until = now + LEASE`` and ``attempts + 1``. The
   attempt is recorded before anything is sent, and `attempts` is the claim's token from then on.
2. renew: just before its send, the message's lease is renewed - only if this worker's claim is
   still the current one (same `attempts`, still `sending`). A worker that lost the row sends nothing.
3. record: the provider's answer, in its own transaction: `sent` with the provider and its message
   id; or back to `queued` with exponential backoff (30 s, 2 min, 10 min, 1 h, 6 h, each ±20 %, or
   the provider's Retry-After when longer) until MAX_ATTEMPTS, then `failed`; or `failed` at once on
   a `Permanent` error. A message older than its kind's `max_age` (an expired sign-in code) is
   failed instead of sent.

What this guarantees, honestly: nothing is lost (a row stays queued or sending until an outcome is
recorded, and a worker that dies mid-send leaves a lease that expires, after which another worker
sends it) and, while workers are alive, nothing is sent twice (claims and renewals are exclusive,
and LEASE is far longer than the adapters' timeouts). Delivery is at-least-once in one window only:
a worker that dies (or loses the database) after the provider accepted a message but before step 3
committed. Its row is sent again after the lease. The providers here take no idempotency key;
WhatsApp echoes our reference (``lc-outbox-<id>``) in its status webhook, which marks the row sent
if the report arrives before the lease expires, closing most of that window for WhatsApp.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.gateways.senders import Accepted, DeliveryError, Outgoing, Permanent, Retryable, Sender
from luckychit_app.models import OutboxMessage
from luckychit_app.services.messages.failed_messages import tell_foremen
from luckychit_app.services.messages.kinds import KINDS, category_of

log = logging.getLogger("luckychit.outbox")

TxFactory = Callable[[], AbstractContextManager[Session]]
CHANNELS = ("sms", "whatsapp", "email", "console")
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
)
"""Waits after the 1st, 2nd, … failed attempt: quick for a blip, then patient for an outage."""
MAX_ATTEMPTS = len(BACKOFF) + 1
"""Six tries over about seven hours, then the message is failed for good (and shown to the admin)."""
JITTER = 0.2
"""Each wait is stretched or shrunk by up to 20 %, so messages that failed together (a provider
outage) do not all come back in the same second."""
LONGEST_WAIT = BACKOFF[-1]
LEASE = timedelta(minutes=5)
"""How long a claim holds a row. Far longer than one send can take (HTTP adapters time out after
5 s + 15 s, SMTP after 15 s per command), so a live worker never loses a row it is sending."""
MAX_PARAMS = 10
MAX_PARAM_CHARS = 30
"""DLT content templates take variables of up to 30 characters each (the operators' DLT platforms
under TRAI TCCCPR 2018); longer values are cut rather than having the operator drop the SMS."""


# --- queueing -----------------------------------------------------------------------------------


def _clean_params(params: Mapping[str, object] | None) -> dict[str, str]:
    if not params:
        return {}
    if len(params) > MAX_PARAMS:
        raise ValueError(f"a message takes at most {MAX_PARAMS} template parameters")
    clean: dict[str, str] = {}
    for name, value in params.items():
        if not isinstance(name, str) or not name.isidentifier() or len(name) > 30:
            raise ValueError(f"template parameter name {name!r} must be a short identifier")
        clean[name] = " ".join(str(value).split())[:MAX_PARAM_CHARS]
    return clean


def enqueue(
    session: Session,
    *,
    channel: str,
    recipient: str,
    kind: str,
    body: str,
    subject: str = "",
    params: Mapping[str, object] | None = None,
    language: str = "en",
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> OutboxMessage | None:
    """Queue one message in the caller's transaction. Returns the row, or None when a message with
    the same `dedupe_key` is already queued (or was sent): the unique index decides, inside a
    savepoint, so this is safe against a concurrent worker queueing the same key."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if dedupe_key is not None and not (0 < len(dedupe_key) <= 120):
        raise ValueError("a dedupe key is 1-120 characters")
    row = OutboxMessage(
        channel=channel,
        recipient=recipient,
        subject=subject[:200],
        body=body,
        kind=kind,
        params=json.dumps(_clean_params(params), ensure_ascii=False),
        language=(language or "en")[:5],
        category=category_of(kind),
        dedupe_key=dedupe_key,
        next_attempt_at=now or utcnow(),
        created_at=now or utcnow(),
    )
    if dedupe_key is None:
        session.add(row)
        session.flush()  # the caller gets the row with its id, as with a dedupe key
        return row
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row


# --- delivering ---------------------------------------------------------------------------------


def retry_delay(
    attempt: int, *, rng: random.Random | None = None, retry_after: float | None = None
) -> timedelta:
    """The wait after failed attempt number `attempt` (1-based): BACKOFF with JITTER, or the
    provider's Retry-After when that is longer (never beyond the longest wait)."""
    base = BACKOFF[min(max(attempt, 1), len(BACKOFF)) - 1]
    delay = base * (1 + (rng or random).uniform(-JITTER, JITTER))
    if retry_after and retry_after > 0:
        delay = max(delay, min(timedelta(seconds=retry_after), LONGEST_WAIT))
    return delay


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(
            OutboxMessage.status == "queued",
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        ),
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now),
    )


def _outgoing(row: OutboxMessage) -> Outgoing:
    try:
        params = json.loads(row.params or "{}")
    except ValueError:
        params = {}
    return Outgoing(
        outbox_id=row.id,
        channel=row.channel,
        recipient=row.recipient,
        kind=row.kind,
        body=row.body,
        subject=row.subject,
        params={str(k): str(v) for k, v in params.items()} if isinstance(params, dict) else {},
        language=row.language,
    )


def _too_old(row: OutboxMessage, now: datetime) -> bool:
    kind = KINDS.get(row.kind)
    return bool(kind and kind.max_age and row.created_at and now - row.created_at > kind.max_age)


def claim(
    session: Session, *, now: datetime, limit: int = 50, lease: timedelta = LEASE
) -> list[tuple[Outgoing, int]]:
    """Claim up to `limit` due messages for this worker (step 1 of the module docstring). Returns
    each message with its attempt number, the token the later steps check. Messages past their
    kind's max_age or out of attempts are failed here, without being sent."""
    due = session.exec(
        select(OutboxMessage.id, OutboxMessage.status)
        .where(_due(now))
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    claimed: list[int] = []
    for outbox_id, status in due:
        if status == "sending":
            # Its worker stopped (or lost the database) mid-send: the at-least-once window.
            log.warning(
                "outbox %s: its last sender stopped before recording an outcome; sending again", outbox_id
            )
        moved = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, _due(now))
            .values(status="sending", claimed_until=now + lease, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount == 1:
            claimed.append(outbox_id)
    if not claimed:
        return []
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.id.in_(claimed))
        .order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)
    ).all()
    batch: list[tuple[Outgoing, int]] = []
    for row in rows:
        if _too_old(row, now):
            _fail(session, row, "expired before it could be sent")
        elif row.attempts > MAX_ATTEMPTS:
            _fail(session, row, row.last_error or "a worker stopped during the last attempt")
        else:
            batch.append((_outgoing(row), row.attempts))
            continue
        session.add(row)
    return batch


def _fail(session: Session, row: OutboxMessage, error: str) -> None:
    """Failed for good: the foremen of the recipient's groups hear of it (failed_messages.py)."""
    row.status, row.claimed_until, row.next_attempt_at = "failed", None, None
    row.last_error = error[:300]
    tell_foremen(session, row)


def renew(session: Session, *, outbox_id: int, attempt: int, now: datetime, lease: timedelta = LEASE) -> bool:
    """Renew this worker's lease just before sending (step 2); False when the claim is no longer
    this worker's (its lease expired and another worker took the row), so it must not send."""
    moved = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == outbox_id,
            OutboxMessage.status == "sending",
            OutboxMessage.attempts == attempt,
        )
        .values(claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    return moved.rowcount == 1


def record(
    session: Session,
    *,
    outbox_id: int,
    attempt: int,
    result: Accepted | DeliveryError,
    now: datetime,
    rng: random.Random | None = None,
) -> str:
    """Store one send's outcome (step 3). Returns "sent", "retry", "failed" or "stale"."""
    row = session.exec(select(OutboxMessage).where(OutboxMessage.id == outbox_id).with_for_update()).first()
    if row is None:
        return "stale"
    if isinstance(result, Accepted):
        if row.status not in ("queued", "sending"):
            # Another attempt (or a webhook) recorded it first: the message went out twice.
            log.warning("outbox %s was already %s; %s sent it again", row.id, row.status, result.provider)
            return "stale"
        row.status, row.sent_at, row.claimed_until, row.next_attempt_at = "sent", now, None, None
        row.provider = result.provider[:20]
        row.provider_message_id = row.provider_message_id or result.message_id[:120]
        row.last_error = ""
        session.add(row)
        return "sent"
    if row.status != "sending" or row.attempts != attempt:
        return "stale"  # another worker owns the row now; its outcome will be recorded by it
    row.last_error = f"{type(result).__name__}: {result.message}"[:300]
    row.claimed_until = None
    if isinstance(result, Permanent) or attempt >= MAX_ATTEMPTS:
        _fail(session, row, row.last_error)
        outcome = "failed"
    else:
        retry_after = result.retry_after if isinstance(result, Retryable) else None
        row.status = "queued"
        row.next_attempt_at = now + retry_delay(attempt, rng=rng, retry_after=retry_after)
        outcome = "retry"
    session.add(row)
    return outcome


def _send(sender: Sender, message: Outgoing) -> Accepted | DeliveryError:
    try:
        return sender.send(message)
    except DeliveryError as exc:
        return exc
    except Exception as exc:  # a bug or an unexpected library error: retry, never drop silently
        log.exception("outbox %s: unexpected error from the sender", message.outbox_id)
        return Retryable(f"{type(exc).__name__}: {exc}"[:250])


def deliver_due(
    tx: TxFactory,
    sender: Sender,
    *,
    limit: int = 50,
    now: datetime | None = None,
    lease: timedelta = LEASE,
    rng: random.Random | None = None,
) -> dict[str, int]:
    """Send what is due, each message in its own short transactions around its network call (see
    the module docstring). Safe to run from any number of workers at once. `now` fixes the clock
    (tests). Returns counts: sent, retry, failed, stale (another worker had the row)."""
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    with tx() as session:
        batch = claim(session, now=clock(), limit=limit, lease=lease)
    counts: Counter[str] = Counter()
    for message, attempt in batch:
        with tx() as session:
            mine = renew(session, outbox_id=message.outbox_id, attempt=attempt, now=clock(), lease=lease)
        if not mine:
            counts["stale"] += 1
            continue
        result = _send(sender, message)
        with tx() as session:
            counts[
                record(
                    session, outbox_id=message.outbox_id, attempt=attempt, result=result, now=clock(), rng=rng
                )
            ] += 1
    return {key: counts[key] for key in ("sent", "retry", "failed", "stale")}
