"""The outbox that delivers (issue 18, item 2): queueing with a kind, parameters and a dedupe key;
retries with backoff and a permanent-failure state; a claim lease that survives a worker's death;
and several deliverers at once - on SQLite and on PostgreSQL with real threads - sending each
message exactly once."""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from luckychit_app.clock import utcnow
from luckychit_app.gateways.senders import Accepted, ConsoleSender, Outgoing, Permanent, Retryable
from luckychit_app.models import OutboxMessage
from luckychit_app.services.messages import outbox
from luckychit_app.services.messages.kinds import KINDS
from luckychit_app.services.messages.outbox import BACKOFF, JITTER, LEASE, MAX_ATTEMPTS, deliver_due
from luckychit_app.services.messages.outbox_history import outbox_counts
from tests.services.helpers import race

APP = Path(__file__).resolve().parents[3] / "luckychit_app"


class Recorder:
    """A provider that remembers every message it took (thread-safe), optionally failing or slow."""

    def __init__(self, fail: Exception | None = None, delay: float = 0.0) -> None:
        self.sent: list[int] = []
        self.fail = fail
        self.delay = delay
        self._lock = threading.Lock()

    def send(self, message: Outgoing) -> Accepted:
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            self.sent.append(message.outbox_id)
        if self.fail is not None:
            raise self.fail
        return Accepted("recorder", f"rec-{message.outbox_id}")


def queue(tx, count: int = 1, *, kind: str = "receipt", now=None) -> list[int]:
    with tx() as s:
        rows = [
            outbox.enqueue(
                s,
                channel="sms",
                recipient=f"98765{i:05d}",
                kind=kind,
                body=f"message {i}",
                params={"n": i},
                now=now,
            )
            for i in range(count)
        ]
        s.flush()
        return [row.id for row in rows]


def row(tx, outbox_id: int) -> OutboxMessage:
    with tx() as s:
        return s.exec(select(OutboxMessage).where(OutboxMessage.id == outbox_id)).one()


# --- queueing -----------------------------------------------------------------------------------


def test_enqueue_keeps_the_kind_template_params_language_and_category(tx):
    with tx() as s:
        reminder = outbox.enqueue(
            s,
            channel="whatsapp",
            recipient="9876543210",
            kind="reminder",
            subject="Payment reminder",
            body="Asha, ₹7,500 is due for Diwali Savings.",
            params={"name": "Asha", "amount": "₹7,500", "group": "Diwali\n  Savings " + "x" * 40, "n": 3},
            language="ta",
        )
        code = outbox.enqueue(
            s,
            channel="sms",
            recipient="9876543210",
            kind="sign_in_code",
            body="code 123456",
            params={"code": 1},
        )
        s.flush()
    reminder, code = row(tx, reminder.id), row(tx, code.id)
    assert (reminder.kind, reminder.category, reminder.language, reminder.status) == (
        "reminder",
        "service",
        "ta",
        "queued",
    )
    params = json.loads(reminder.params)
    assert list(params) == ["name", "amount", "group", "n"]  # order kept: WhatsApp parameters are positional
    assert params["group"] == ("Diwali Savings " + "x" * 40)[:30] and params["n"] == "3"
    assert code.category == "transactional" and reminder.next_attempt_at is not None
    with tx() as s:
        for bad in (
            {"kind": "newsletter"},
            {"channel": "pigeon"},
            {"params": {"not a name": "x"}},
            {"params": {f"p{i}": i for i in range(11)}},
            {"dedupe_key": "k" * 121},
        ):
            arguments = {"channel": "sms", "recipient": "9876543210", "kind": "receipt", "body": "b"} | bad
            with pytest.raises(ValueError):
                outbox.enqueue(s, **arguments)


def test_a_dedupe_key_queues_one_message_and_leaves_the_rest_of_the_transaction_alone(tx):
    with tx() as s:
        first = outbox.enqueue(
            s, channel="sms", recipient="9876543210", kind="reminder", body="a", dedupe_key="due:1"
        )
        other = outbox.enqueue(s, channel="sms", recipient="9876543211", kind="reminder", body="b")
        again = outbox.enqueue(
            s, channel="sms", recipient="9876543210", kind="reminder", body="c", dedupe_key="due:1"
        )
        assert first is not None and other is not None and again is None
    with tx() as s:
        assert (
            outbox.enqueue(s, channel="sms", recipient="9", kind="reminder", body="d", dedupe_key="due:1")
            is None
        )
        assert s.exec(select(func.count()).select_from(OutboxMessage)).one() == 2


def test_two_workers_queueing_the_same_reminder_at_once_queue_one(tx, engine):
    def remind(s):
        return outbox.enqueue(
            s,
            channel="sms",
            recipient="9876543210",
            kind="reminder_due",
            body="due today",
            dedupe_key="due:42:0",
        )

    results = race(engine, [remind] * 4)
    assert sum(isinstance(r, OutboxMessage) for r in results) == 1, results
    assert sum(r is None for r in results) == 3, results
    with tx() as s:
        assert s.exec(select(func.count()).select_from(OutboxMessage)).one() == 1


def test_every_message_is_queued_through_enqueue_with_a_known_kind():
    """No call site builds an OutboxMessage itself (it would skip the kind, category and dedupe key),
    and every kind a call site names is one the providers can have a template for."""
    direct, unknown = [], []
    for path in APP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "OutboxMessage(" in text and path.name not in ("models.py", "outbox.py"):
            direct.append(str(path.relative_to(APP)))
        for call in re.finditer(r"enqueue\((.*?)\n\s*\)", text, re.S):
            for kind in re.findall(r'kind="([a-z_]+)"', call.group(1)):
                if kind not in KINDS:
                    unknown.append(f"{path.name}: {kind}")
    assert direct == [], f"build messages with outbox.enqueue: {direct}"
    assert unknown == [], f"kinds missing from services/messages/kinds.KINDS: {unknown}"


# --- retries, backoff, permanent failure --------------------------------------------------------


def test_the_backoff_schedule_with_bounded_jitter():
    rng = random.Random(18)
    for attempt, base in enumerate(BACKOFF, start=1):
        for _ in range(50):
            wait = outbox.retry_delay(attempt, rng=rng)
            assert base * (1 - JITTER) <= wait <= base * (1 + JITTER), (attempt, wait)
    assert outbox.retry_delay(99, rng=rng) <= BACKOFF[-1] * (1 + JITTER)
    # The provider's Retry-After wins when it is longer, but never beyond the longest wait.
    assert outbox.retry_delay(1, rng=rng, retry_after=600) == timedelta(seconds=600)
    assert outbox.retry_delay(1, rng=rng, retry_after=10**9) == BACKOFF[-1]
    assert outbox.retry_delay(5, rng=rng, retry_after=5) >= BACKOFF[4] * (1 - JITTER)
    waits = {outbox.retry_delay(1, rng=rng) for _ in range(20)}
    assert len(waits) > 10, "jitter spreads messages that failed together"


def test_a_retryable_failure_waits_its_backoff_and_fails_for_good_after_max_attempts(tx):
    (outbox_id,) = queue(tx)
    provider = Recorder(fail=Retryable("MSG91 is down (HTTP 503)"))
    now = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        counts = deliver_due(tx, provider, now=now, rng=random.Random(attempt))
        message = row(tx, outbox_id)
        assert message.attempts == attempt and "HTTP 503" in message.last_error
        if attempt < MAX_ATTEMPTS:
            assert counts["retry"] == 1 and message.status == "queued"
            wait = message.next_attempt_at - now
            base = BACKOFF[attempt - 1]
            assert base * (1 - JITTER) <= wait <= base * (1 + JITTER)
            # Not a moment before its time.
            assert deliver_due(tx, provider, now=now + wait - timedelta(seconds=1))["retry"] == 0
            now += wait
        else:
            assert counts["failed"] == 1 and message.status == "failed" and message.next_attempt_at is None
    assert provider.sent == [outbox_id] * MAX_ATTEMPTS
    assert deliver_due(tx, provider, now=now + timedelta(days=30)) == {
        "sent": 0,
        "retry": 0,
        "failed": 0,
        "stale": 0,
    }


def test_a_permanent_failure_is_final_at_once(tx):
    (outbox_id,) = queue(tx)
    provider = Recorder(fail=Permanent("Invalid mobile number"))
    assert deliver_due(tx, provider)["failed"] == 1
    message = row(tx, outbox_id)
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.last_error == "Permanent: Invalid mobile number"
    assert deliver_due(tx, provider, now=utcnow() + timedelta(days=1))["failed"] == 0
    assert provider.sent == [outbox_id]


def test_the_providers_retry_after_is_respected(tx):
    (outbox_id,) = queue(tx)
    now = utcnow()
    deliver_due(tx, Recorder(fail=Retryable("HTTP 429", retry_after=900)), now=now)
    assert row(tx, outbox_id).next_attempt_at - now == timedelta(seconds=900)


def test_an_unexpected_error_is_retried_not_dropped(tx):
    (outbox_id,) = queue(tx)
    assert deliver_due(tx, Recorder(fail=RuntimeError("bug in an adapter")))["retry"] == 1
    assert row(tx, outbox_id).last_error == "Retryable: RuntimeError: bug in an adapter"


def test_a_sign_in_code_that_expired_in_the_queue_is_not_sent(tx):
    stale = queue(tx, kind="sign_in_code", now=utcnow() - timedelta(minutes=11))
    fresh = queue(tx, kind="sign_in_code")
    provider = Recorder()
    assert deliver_due(tx, provider)["sent"] == 1
    assert provider.sent == fresh
    assert (row(tx, stale[0]).status, row(tx, stale[0]).last_error) == (
        "failed",
        "expired before it could be sent",
    )


def test_the_console_is_recorded_as_console_never_as_a_real_send(tx, capsys):
    (outbox_id,) = queue(tx)
    assert deliver_due(tx, ConsoleSender())["sent"] == 1
    assert "[outbox:sms] to 9876500000" in capsys.readouterr().out
    message = row(tx, outbox_id)
    assert (message.status, message.provider) == ("sent", "console")
    with tx() as s:
        assert outbox_counts(s) == {"waiting": 0, "sent": 0, "delivered": 0, "console": 1, "failed": 0}


# --- leases: a worker that dies, a worker that is too slow --------------------------------------


def test_a_message_left_mid_send_by_a_dead_worker_is_sent_once_after_its_lease(tx):
    (outbox_id,) = queue(tx)
    now = utcnow()
    with tx() as s:  # a worker claims it, then dies before sending or recording anything
        assert [m.outbox_id for m, _ in outbox.claim(s, now=now)] == [outbox_id]
    assert row(tx, outbox_id).status == "sending"
    provider = Recorder()
    # While the lease runs, the claim may belong to a live worker: nobody else touches it.
    assert deliver_due(tx, provider, now=now + LEASE - timedelta(seconds=1))["sent"] == 0
    assert deliver_due(tx, provider, now=now + LEASE + timedelta(seconds=1))["sent"] == 1
    for later in (timedelta(hours=1), timedelta(days=2)):
        assert deliver_due(tx, provider, now=now + later)["sent"] == 0
    assert provider.sent == [outbox_id]
    message = row(tx, outbox_id)
    assert (message.status, message.attempts, message.provider_message_id) == ("sent", 2, f"rec-{outbox_id}")


def test_a_worker_that_lost_its_lease_does_not_send(tx):
    (outbox_id,) = queue(tx)
    now = utcnow()
    with tx() as s:
        [(_message, attempt)] = outbox.claim(s, now=now)  # worker A, which then stalls
    other = Recorder()
    assert deliver_due(tx, other, now=now + LEASE + timedelta(seconds=1))["sent"] == 1  # worker B
    with tx() as s:  # A wakes up: its renewal fails, so it must not send
        assert not outbox.renew(s, outbox_id=outbox_id, attempt=attempt, now=now + LEASE * 2)
    with tx() as s:  # and a failure it would record changes nothing
        stale = outbox.record(s, outbox_id=outbox_id, attempt=attempt, result=Retryable("late"), now=utcnow())
        assert stale == "stale"
    assert other.sent == [outbox_id] and row(tx, outbox_id).status == "sent"


def test_several_deliverers_at_once_send_each_message_exactly_once(tx, engine):
    """Real threads, each running the background loop's work until nothing is due, over messages
    queued fresh and messages a dead worker left mid-send. On PostgreSQL the claims race through
    FOR UPDATE SKIP LOCKED; on SQLite through the conditional UPDATE under its write lock."""
    ids = queue(tx, 30)
    now = utcnow()
    with tx() as s:  # a worker that died holding five of them
        outbox.claim(s, now=now - LEASE - timedelta(seconds=5), limit=5)
    provider = Recorder(delay=0.002)
    workers = 3
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def loop() -> None:
        try:
            barrier.wait()
            while deliver_due(tx, provider, limit=4)["sent"]:
                pass
        except BaseException as exc:  # the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=loop) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)
    assert Counter(provider.sent) == Counter(ids), "every message sent, none twice"
    with tx() as s:
        statuses = Counter(s.exec(select(OutboxMessage.status)).all())
    assert statuses == {"sent": 30}
