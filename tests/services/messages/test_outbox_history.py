"""What the admin sees of the outbox (issue 18): each message with its recipient masked, console-only
deliveries never counted or labelled as sent, a status filter, admins only; and, in production,
a plain banner for every channel without a provider."""

from __future__ import annotations

import pytest

from luckychit_app.gateways.routing import CONSOLE, configured_channels, delivery_status
from luckychit_app.gateways.senders import Accepted, ConsoleSender, Outgoing, Permanent
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages import outbox
from luckychit_app.services.messages.outbox import deliver_due
from luckychit_app.services.messages.outbox_history import delivery_banner, mask_recipient, recent_messages
from luckychit_app.services.people import admin, auth
from tests.services.helpers import PASSWORD, foreman


class Provider:
    def send(self, message: Outgoing) -> Accepted:
        if message.recipient.startswith("gone"):
            raise Permanent("recipient refused: 550")
        return Accepted("smtp", f"<id-{message.outbox_id}@luckychit>")


def _admin(tx) -> Actor:
    with tx() as s:
        user, _ = auth.create_user(
            s, name="Platform Admin", mobile="9000000001", role="admin", created_by_id=None, password=PASSWORD
        )
        return Actor(user.id, "admin", user.name)


def test_masking():
    assert mask_recipient("9876543210") == "XXXXXX3210"
    assert mask_recipient("asha.rao@example.in") == "a•••@example.in"


def test_history_masks_labels_console_and_filters(tx):
    root = _admin(tx)
    with tx() as s:
        for to in ("9876543210", "9876500001"):
            outbox.enqueue(s, channel="sms", recipient=to, kind="receipt", body="Received ₹7,500")
    deliver_due(tx, ConsoleSender())
    with tx() as s:
        outbox.enqueue(s, channel="email", recipient="asha@example.in", kind="reminder", body="Due")
        outbox.enqueue(s, channel="email", recipient="gone@example.in", kind="reminder", body="Due")
    deliver_due(tx, Provider())
    with tx() as s:
        outbox.enqueue(s, channel="sms", recipient="9876500002", kind="sign_in_code", body="code 123456")
        everything = recent_messages(s, actor=root)
        assert [m["status"] for m in everything] == [
            "queued",
            "failed",
            "sent",
            "console only",
            "console only",
        ]
        assert [m["recipient"] for m in everything][:3] == [
            "XXXXXX0002",
            "g•••@example.in",
            "a•••@example.in",
        ]
        assert "9876543210" not in repr(everything) and "123456" not in repr(everything)
        assert everything[1]["error"] == "Permanent: recipient refused: 550"
        assert everything[2]["provider_id"] == f"<id-{everything[2]['id']}@luckychit>"
        assert [m["status"] for m in recent_messages(s, actor=root, status="console")] == ["console only"] * 2
        assert [m["kind"] for m in recent_messages(s, actor=root, status="sent")] == ["reminder"]
        assert len(recent_messages(s, actor=root, status="failed")) == 1
        with pytest.raises(ServiceError):
            recent_messages(s, actor=root, status="'; drop table outbox; --")
        health = admin.system_health(s, actor=root)
    assert (
        health["outbox_sent"],
        health["outbox_console"],
        health["outbox_failed"],
        health["outbox_queued"],
    ) == (
        "1",
        "2",
        "1",
        "1",
    )


def test_only_the_admin_reads_the_history(tx):
    boss = foreman(tx)
    with tx() as s:
        for actor in (boss, None, Actor(boss.user_id, "member", "x")):
            with pytest.raises(NotAllowed):
                recent_messages(s, actor=actor)


def test_channels_without_a_provider_say_so_and_production_says_it_plainly(monkeypatch):
    env = {"LUCKYCHIT_SMTP_HOST": "mail.example.in"}
    status = delivery_status(env)
    assert status == {"sms": CONSOLE, "whatsapp": CONSOLE, "email": "SMTP (mail.example.in)"}
    assert configured_channels(env) == ("email",)
    banner = delivery_banner(status, "prod")
    assert banner.startswith("SMS/WhatsApp messages are NOT being delivered: no provider configured (set ")
    assert "LUCKYCHIT_MSG91_AUTHKEY" in banner and "LUCKYCHIT_WHATSAPP_TOKEN" in banner
    assert delivery_banner(status, "dev") == ""
    full = {
        **env,
        "LUCKYCHIT_MSG91_AUTHKEY": "k",
        "LUCKYCHIT_MSG91_TEMPLATES": '{"receipt": "t1"}',
        "LUCKYCHIT_WHATSAPP_TOKEN": "t",
        "LUCKYCHIT_WHATSAPP_PHONE_NUMBER_ID": "1234",
    }
    assert delivery_status(full) == {
        "sms": "MSG91",
        "whatsapp": "WhatsApp Cloud API",
        "email": "SMTP (mail.example.in)",
    }
    assert delivery_banner(delivery_status(full), "prod") == ""
    broken = delivery_status({**full, "LUCKYCHIT_MSG91_TEMPLATES": "[1, 2]"})
    assert broken["sms"].startswith("misconfigured: LUCKYCHIT_MSG91_TEMPLATES")
    assert "Provider settings are wrong" in delivery_banner(broken, "prod")
