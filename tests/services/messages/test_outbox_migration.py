"""Migration 0012 on a database with messages already in the outbox: waiting ones stay due at once,
SMS the console "sent" before are labelled console, and the way back keeps every row."""

from __future__ import annotations

from luckychit_app.db import make_engine
from tests.services.test_migrations import _to


def test_0012_keeps_waiting_messages_due_and_calls_console_sends_console(empty_url: str) -> None:
    _to(empty_url, "0011_sign_in_grants")
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO outbox (id, channel, recipient, subject, body, status, attempts, last_error, "
            "created_at, sent_at) VALUES "
            "(1, 'sms', '9876543210', '', 'code 1', 'queued', 0, '', '2026-01-01 10:00:00+00:00', NULL), "
            "(2, 'sms', '9876543211', '', 'receipt', 'sent', 1, '', '2026-01-01 10:00:00+00:00', "
            "'2026-01-01 10:00:02+00:00'), "
            "(3, 'email', 'a@example.in', 'R', 'reminder', 'failed', 5, 'ConnectionRefusedError', "
            "'2026-01-01 10:00:00+00:00', NULL)"
        )
    engine.dispose()

    _to(empty_url, "0012_outbox_delivery")
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, status, kind, category, provider, next_attempt_at IS NOT NULL, dedupe_key "
            "FROM outbox ORDER BY id"
        ).all()
    assert [tuple(r) for r in rows] == [
        (1, "queued", "notice", "transactional", "", True, None),
        (2, "sent", "notice", "transactional", "console", False, None),
        (3, "failed", "notice", "transactional", "", False, None),
    ]
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE outbox SET status = 'sending' WHERE id = 1")
        conn.exec_driver_sql("UPDATE outbox SET status = 'delivered' WHERE id = 2")
    engine.dispose()

    _to(empty_url, "0011_sign_in_grants", down=True)
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        back = conn.exec_driver_sql("SELECT id, status FROM outbox ORDER BY id").all()
    assert [tuple(r) for r in back] == [(1, "queued"), (2, "sent"), (3, "failed")]
    engine.dispose()
