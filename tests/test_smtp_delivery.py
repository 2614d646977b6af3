"""Email through the outbox to a real local SMTP server (aiosmtpd): the message arrives and its row
records the Message-ID; a mailbox refused with 5xx fails at once, one deferred with 4xx (greylisting)
waits and is retried, an unreachable server is retried; and each smtplib error is sorted right."""

from __future__ import annotations

import smtplib
import socket
import ssl
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from luckychit_app.clock import utcnow
from luckychit_app.gateways.routing import sender_from_env
from luckychit_app.gateways.senders import Permanent, Retryable
from luckychit_app.gateways.smtp_sender import classify_smtp_error
from luckychit_app.models import OutboxMessage
from luckychit_app.services.messages import outbox


class _Server:
    """Accepts mail, except to addresses starting "gone" (550) or "later" (450, greylisting)."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, _server, _session, envelope, address, _options) -> str:
        if address.startswith("gone"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("later"):
            return "450 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope) -> str:
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    server = _Server()
    controller = Controller(server, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller.port, server
    finally:
        controller.stop()


def _env(port: int) -> dict[str, str]:
    return {
        "LUCKYCHIT_SMTP_HOST": "127.0.0.1",
        "LUCKYCHIT_SMTP_PORT": str(port),
        "LUCKYCHIT_SMTP_SECURITY": "none",
        "LUCKYCHIT_SMTP_FROM": "Chits <chits@example.in>",
    }


def _email(tx, to: str) -> int:
    with tx() as s:
        row = outbox.enqueue(
            s,
            channel="email",
            recipient=to,
            kind="reminder",
            subject="Payment reminder: Diwali Savings",
            body="₹7,500 is due for ticket 3.",
            params={"amount": "₹7,500"},
        )
        s.flush()
        return row.id


def _row(tx, outbox_id: int) -> OutboxMessage:
    with tx() as s:
        return s.exec(select(OutboxMessage).where(OutboxMessage.id == outbox_id)).one()


def test_an_email_goes_through_the_outbox_and_arrives(tx, smtp):
    port, server = smtp
    outbox_id = _email(tx, "asha@example.in")
    assert outbox.deliver_due(tx, sender_from_env(_env(port))) == {
        "sent": 1,
        "retry": 0,
        "failed": 0,
        "stale": 0,
    }
    assert len(server.received) == 1
    rcpts, content = server.received[0]
    mail = message_from_bytes(content)
    assert rcpts == ["asha@example.in"] and "chits@example.in" in mail["From"]
    assert "₹7,500 is due" in mail.get_payload(decode=True).decode()
    row = _row(tx, outbox_id)
    assert (row.status, row.provider, row.attempts) == ("sent", "smtp", 1)
    assert row.provider_message_id == mail["Message-ID"].strip("<>")
    assert outbox.deliver_due(tx, sender_from_env(_env(port)))["sent"] == 0  # never twice
    assert len(server.received) == 1


def test_a_mailbox_refused_with_5xx_fails_at_once(tx, smtp):
    port, server = smtp
    outbox_id = _email(tx, "gone@example.in")
    assert outbox.deliver_due(tx, sender_from_env(_env(port)))["failed"] == 1
    row = _row(tx, outbox_id)
    assert (row.status, row.attempts) == ("failed", 1) and "550" in row.last_error
    assert server.received == []


def test_a_greylisted_mailbox_is_retried_after_the_backoff(tx, smtp):
    port, _server = smtp
    outbox_id = _email(tx, "later@example.in")
    now = utcnow()
    assert outbox.deliver_due(tx, sender_from_env(_env(port)), now=now)["retry"] == 1
    row = _row(tx, outbox_id)
    assert row.status == "queued" and "450" in row.last_error
    assert timedelta(seconds=24) <= row.next_attempt_at - now <= timedelta(seconds=36)
    # Not due yet a second later; due once the wait is over.
    assert outbox.deliver_due(tx, sender_from_env(_env(port)), now=now + timedelta(seconds=1))["retry"] == 0
    assert outbox.deliver_due(tx, sender_from_env(_env(port)), now=now + timedelta(minutes=1))["retry"] == 1
    assert _row(tx, outbox_id).attempts == 2


def test_an_unreachable_server_is_retryable(tx):
    outbox_id = _email(tx, "asha@example.in")
    assert outbox.deliver_due(tx, sender_from_env(_env(_free_port())))["retry"] == 1
    assert "ConnectionRefused" in _row(tx, outbox_id).last_error


@pytest.mark.parametrize(
    ("error", "kind", "config"),
    [
        (smtplib.SMTPRecipientsRefused({"a@x.in": (550, b"no such user")}), Permanent, False),
        (smtplib.SMTPRecipientsRefused({"a@x.in": (451, b"try later")}), Retryable, False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), Permanent, True),
        (smtplib.SMTPSenderRefused(553, b"not allowed", "from@x.in"), Permanent, True),
        (smtplib.SMTPDataError(554, b"rejected as spam"), Permanent, False),
        (smtplib.SMTPDataError(421, b"too busy"), Retryable, False),
        (smtplib.SMTPConnectError(421, b"service not available"), Retryable, False),
        (smtplib.SMTPServerDisconnected("gone"), Retryable, False),
        (TimeoutError("timed out"), Retryable, False),
        (ConnectionRefusedError(111, "refused"), Retryable, False),
        (ssl.SSLCertVerificationError(1, "certificate verify failed"), Permanent, True),
        (smtplib.SMTPNotSupportedError("STARTTLS extension not supported"), Permanent, True),
    ],
)
def test_smtp_errors_are_sorted_into_retryable_and_permanent(error, kind, config):
    sorted_error = classify_smtp_error(error)
    assert type(sorted_error) is kind
    assert getattr(sorted_error, "config", False) is config
