"""Reminders for overdue dues (WhatsApp links in the member's language, SMS/email through the
outbox) and the real SMTP sender, tested against a local aiosmtpd server."""

from __future__ import annotations

import socket
import urllib.parse
from datetime import date, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from luckychit_app.clock import utcnow
from luckychit_app.gateways.routing import RoutingSender, sender_from_env
from luckychit_app.gateways.senders import ConsoleSender, Outgoing, Permanent
from luckychit_app.gateways.smtp_sender import SmtpSender
from luckychit_app.models import AuditLog, OutboxMessage, Ticket, User
from luckychit_app.services.errors import NotAllowed
from luckychit_app.services.messages import reminders
from luckychit_app.services.messages.outbox import MAX_ATTEMPTS, deliver_due
from tests.services.helpers import active_group, foreman, member_actor, pay

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE
JAN_20 = date(2026, 1, 20)


def _set_member(tx, ticket_id: int, **values: object) -> None:
    with tx() as s:
        user = s.get(User, s.get(Ticket, ticket_id).member_id)
        for key, value in values.items():
            setattr(user, key, value)
        s.add(user)


def test_overdue_list_and_whatsapp_link_in_the_members_language(tx):
    boss = foreman(tx, name="Ramesh Kumar")
    _group_id, (t1, t2, t3) = active_group(tx, boss, tickets=3)
    pay(tx, boss, t1, INSTALLMENT)
    pay(tx, boss, t2, 2_500 * RUPEE)
    _set_member(tx, t3, language="hi")
    with tx() as s:
        rows, total = reminders.overdue_list(s, actor=boss, today=JAN_20)
    assert total == 2
    assert [(r["ticket_no"], r["amount"], r["since"], r["days"]) for r in rows] == [
        ("3", "₹10,000", "10-01-2026", "10"),  # oldest arrears first, then the largest
        ("2", "₹7,500", "10-01-2026", "10"),
    ]
    assert rows[0]["language"] == "हिन्दी"
    with tx() as s:
        english = reminders.whatsapp_reminder(s, actor=boss, ticket_id=t2, today=JAN_20)
        hindi = reminders.whatsapp_reminder(s, actor=boss, ticket_id=str(t3), today=JAN_20)
    mobile2 = rows[1]["mobile"]
    assert english.startswith(f"https://wa.me/91{mobile2}?text=")
    text = urllib.parse.unquote(english.split("text=", 1)[1])
    assert "₹7,500" in text and "overdue since 10-01-2026" in text and "/m/payments" in text
    assert "Ramesh Kumar" in text
    hindi_text = urllib.parse.unquote(hindi.split("text=", 1)[1])
    assert "नमस्ते" in hindi_text and "₹10,000" in hindi_text and "बकाया" in hindi_text
    with tx() as s:
        assert len(s.exec(select(AuditLog).where(AuditLog.action == "reminder.whatsapp")).all()) == 2
        # Nothing overdue on a paid-up ticket, and other foremen's or unknown tickets are refused.
        with pytest.raises(NotAllowed):
            reminders.whatsapp_reminder(s, actor=boss, ticket_id=t1, today=JAN_20)


def test_reminders_refuse_other_foremen_and_members(tx):
    boss = foreman(tx)
    group_id, (t1, *_rest) = active_group(tx, boss, tickets=3)
    other = foreman(tx, name="Other Foreman")
    member = member_actor(tx, t1)
    with tx() as s:
        assert reminders.overdue_list(s, actor=other, today=JAN_20) == ([], 0)
        with pytest.raises(NotAllowed):
            reminders.overdue_list(s, actor=other, group_id=group_id, today=JAN_20)
        with pytest.raises(NotAllowed):
            reminders.whatsapp_reminder(s, actor=other, ticket_id=t1, today=JAN_20)
        with pytest.raises(NotAllowed):
            reminders.remind_all_overdue(s, actor=other, group_id=group_id, today=JAN_20)
        with pytest.raises(NotAllowed):
            reminders.remind_all_overdue(s, actor=member, today=JAN_20)
        assert s.exec(select(OutboxMessage)).all() == []


def test_remind_all_queues_by_preference_and_not_twice(tx):
    boss = foreman(tx)
    _group_id, (t1, t2, t3) = active_group(tx, boss, tickets=3)
    _set_member(tx, t1, notify_email=True, email="one@example.in")
    _set_member(tx, t2, language="hi")
    _set_member(tx, t3, notify_sms=False)
    with tx() as s:
        result = reminders.remind_all_overdue(s, actor=boss, today=JAN_20)
    assert (result.tickets, result.sms, result.email, result.no_channel) == (3, 2, 1, 1)
    assert "2 SMS and 1 email" in result.summary() and "WhatsApp" in result.summary()
    with tx() as s:
        queued = s.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        channels = sorted((m.channel, m.recipient) for m in queued)
        assert ("email", "one@example.in") in channels
        hindi = next(m for m in queued if m.subject.startswith("भुगतान"))
        assert "₹10,000" in hindi.body
    with tx() as s:
        again = reminders.remind_all_overdue(s, actor=boss, today=JAN_20)
    assert (again.sms, again.email, again.skipped_recent) == (0, 0, 2)
    with tx() as s:
        assert len(s.exec(select(OutboxMessage)).all()) == 3


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, _server, _session, envelope) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_smtp_sender_delivers_a_real_message(smtp_server):
    controller, inbox = smtp_server
    sender = SmtpSender(host="127.0.0.1", port=controller.port, security="none", timeout=5)
    sender.send(
        Outgoing(
            1, "email", "asha@example.in", "reminder", subject="Payment reminder: Diwali", body="₹7,500 due"
        )
    )
    assert len(inbox.messages) == 1
    mail_from, rcpts, content = inbox.messages[0]
    assert rcpts == ["asha@example.in"] and "no-reply@localhost" in mail_from
    parsed = message_from_bytes(content)
    assert str(make_header(decode_header(parsed["Subject"]))) == "Payment reminder: Diwali"
    assert "₹7,500 due" in parsed.get_payload(decode=True).decode()
    with pytest.raises(Permanent):
        sender.send(Outgoing(2, "sms", "9876500000", "reminder", subject="x", body="y"))
    with pytest.raises(Permanent):
        sender.send(Outgoing(3, "email", "a@b.in\nBcc: evil@x.in", "reminder", subject="x", body="y"))


def test_outbox_delivers_email_by_smtp_and_sms_to_the_console(tx, smtp_server, capsys):
    controller, inbox = smtp_server
    port = controller.port
    sender = sender_from_env(
        {
            "LUCKYCHIT_SMTP_HOST": "127.0.0.1",
            "LUCKYCHIT_SMTP_PORT": str(port),
            "LUCKYCHIT_SMTP_SECURITY": "none",
            "LUCKYCHIT_SMTP_FROM": "Chits <chits@example.in>",
        }
    )
    assert isinstance(sender, RoutingSender)
    boss = foreman(tx)
    _group_id, (t1, _t2, _t3) = active_group(tx, boss, tickets=3)
    _set_member(tx, t1, notify_email=True, email="one@example.in")
    with tx() as s:
        reminders.remind_all_overdue(s, actor=boss, today=JAN_20)
    assert deliver_due(tx, sender)["sent"] == 4  # 3 SMS + 1 email
    assert [m[1] for m in inbox.messages] == [["one@example.in"]]
    assert "chits@example.in" in inbox.messages[0][0]
    assert capsys.readouterr().out.count("[outbox:sms]") == 3
    with tx() as s:
        assert {m.status for m in s.exec(select(OutboxMessage)).all()} == {"sent"}


def test_an_unreachable_smtp_server_is_retried_then_marked_failed(tx):
    boss = foreman(tx)
    _group_id, (t1, _t2, _t3) = active_group(tx, boss, tickets=3)
    _set_member(tx, t1, notify_email=True, email="one@example.in", notify_sms=False)
    with tx() as s:
        reminders.remind_all_overdue(s, actor=boss, today=JAN_20)
    down = RoutingSender(
        routes={"email": SmtpSender(host="127.0.0.1", port=_free_port(), security="none", timeout=2)},
        default=ConsoleSender(),
    )
    for day in range(MAX_ATTEMPTS):  # a day apart: past every backoff wait
        deliver_due(tx, down, now=utcnow() + timedelta(days=day))
    with tx() as s:
        email = s.exec(select(OutboxMessage).where(OutboxMessage.channel == "email")).one()
        assert (email.status, email.attempts) == ("failed", MAX_ATTEMPTS)
        assert "ConnectionRefused" in email.last_error


def test_without_smtp_settings_everything_goes_to_the_console():
    assert sender_from_env({}).routes == {}  # every channel on the default, the console
    assert isinstance(sender_from_env({}).default, ConsoleSender)
    with pytest.raises(ValueError):
        sender_from_env({"LUCKYCHIT_SMTP_HOST": "mail", "LUCKYCHIT_SMTP_SECURITY": "maybe"})
