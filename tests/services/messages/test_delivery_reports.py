"""Delivery-status webhooks (issue 18, item 2) through the real HTTP routes: the MSG91 URL token and
WhatsApp's X-Hub-Signature-256 are checked before anything is read (401, nothing changes); reports
apply once and only forward (sent -> delivered/read, failed with the provider's error); an unknown
id is acknowledged and ignored; and a WhatsApp report naming our reference rescues a message whose
worker died after Meta accepted it, so it is not sent again."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from functools import partial

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from luckychit_app.api import message_webhooks
from luckychit_app.api.routes import api
from luckychit_app.clock import utcnow
from luckychit_app.db import transaction
from luckychit_app.gateways.senders import Accepted, Outgoing
from luckychit_app.models import OutboxMessage
from luckychit_app.services.messages import outbox
from luckychit_app.services.messages.outbox import LEASE, deliver_due
from tests.services.helpers import snapshot

TOKEN = "msg91-report-token-7f3a9c"
SECRET = "meta-app-secret"
VERIFY = "verify-me-please"


@pytest.fixture
def client(engine, monkeypatch):
    monkeypatch.setattr(message_webhooks, "transaction", partial(transaction, engine))
    monkeypatch.setenv("LUCKYCHIT_MSG91_WEBHOOK_TOKEN", TOKEN)
    monkeypatch.setenv("LUCKYCHIT_WHATSAPP_APP_SECRET", SECRET)
    monkeypatch.setenv("LUCKYCHIT_WHATSAPP_VERIFY_TOKEN", VERIFY)
    with TestClient(api) as test_client:
        yield test_client


class Provider:
    def __init__(self, name: str) -> None:
        self.name, self.sent = name, []

    def send(self, message: Outgoing) -> Accepted:
        self.sent.append(message.outbox_id)
        return Accepted(self.name, f"{self.name}-id-{message.outbox_id}")


def sent_message(tx, channel: str, provider: str) -> int:
    with tx() as s:
        outbox_id = outbox.enqueue(
            s, channel=channel, recipient="9876543210", kind="receipt", body="Received"
        ).id
    assert deliver_due(tx, Provider(provider))["sent"] == 1
    return outbox_id


def row(tx, outbox_id: int) -> OutboxMessage:
    with tx() as s:
        return s.exec(select(OutboxMessage).where(OutboxMessage.id == outbox_id)).one()


def wa_body(*statuses: dict) -> bytes:
    change = {"field": "messages", "value": {"messaging_product": "whatsapp", "statuses": list(statuses)}}
    return json.dumps(
        {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}
    ).encode()


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def test_msg91_reports_need_the_url_token(tx, engine, client):
    outbox_id = sent_message(tx, "sms", "msg91")
    body = json.dumps({"requestId": f"msg91-id-{outbox_id}", "status": "delivered"}).encode()
    before = snapshot(engine)
    for query in ("", "?token=wrong-token", f"?token={TOKEN[:-1]}", f"?token={TOKEN}x"):
        assert client.post(f"/api/webhooks/msg91{query}", content=body).status_code == 401
    assert snapshot(engine) == before
    answer = client.post(f"/api/webhooks/msg91?token={TOKEN}", content=body)
    assert answer.status_code == 200 and answer.json() == {
        "status": "ok",
        "applied": 1,
        "duplicate": 0,
        "unknown": 0,
    }
    message = row(tx, outbox_id)
    assert message.status == "delivered" and message.delivered_at is not None


def test_msg91_reports_apply_once_forward_only_and_unknown_ids_are_acknowledged(tx, client):
    outbox_id = sent_message(tx, "sms", "msg91")
    url = f"/api/webhooks/msg91?token={TOKEN}"
    delivered = json.dumps([{"requestId": f"msg91-id-{outbox_id}", "status": "1"}]).encode()
    assert client.post(url, content=delivered).json()["applied"] == 1
    first = row(tx, outbox_id)
    assert client.post(url, content=delivered).json()["duplicate"] == 1  # the same report again
    late_failure = json.dumps({"requestId": f"msg91-id-{outbox_id}", "status": "failed"}).encode()
    assert client.post(url, content=late_failure).json()["duplicate"] == 1  # never backwards
    again = row(tx, outbox_id)
    assert (again.status, again.delivered_at, again.last_error) == ("delivered", first.delivered_at, "")
    unknown = json.dumps({"requestId": "not-ours-123", "status": "delivered"}).encode()
    assert client.post(url, content=unknown).json() == {
        "status": "ok",
        "applied": 0,
        "duplicate": 0,
        "unknown": 1,
    }
    assert client.post(url, content=b"<html>").status_code == 400


def test_a_failed_msg91_report_records_the_providers_error(tx, client):
    outbox_id = sent_message(tx, "sms", "msg91")
    body = json.dumps(
        {"requestId": f"msg91-id-{outbox_id}", "status": "rejected", "description": "DND"}
    ).encode()
    assert client.post(f"/api/webhooks/msg91?token={TOKEN}", content=body).json()["applied"] == 1
    assert (row(tx, outbox_id).status, row(tx, outbox_id).last_error) == ("failed", "DND")


def test_whatsapp_reports_need_a_valid_signature(tx, engine, client):
    outbox_id = sent_message(tx, "whatsapp", "whatsapp")
    body = wa_body({"id": f"whatsapp-id-{outbox_id}", "status": "delivered", "timestamp": "1750000000"})
    before = snapshot(engine)
    for headers in (
        {},
        signed(body, "wrong-secret"),
        signed(body + b" "),
        {"X-Hub-Signature-256": "sha256=00"},
    ):
        assert client.post("/api/webhooks/whatsapp", content=body, headers=headers).status_code == 401
    assert snapshot(engine) == before
    assert client.post("/api/webhooks/whatsapp", content=body, headers=signed(body)).json()["applied"] == 1
    assert row(tx, outbox_id).status == "delivered"


def test_whatsapp_statuses_out_of_order_and_twice_move_forward_once(tx, client):
    outbox_id = sent_message(tx, "whatsapp", "whatsapp")
    wamid = f"whatsapp-id-{outbox_id}"
    read = wa_body({"id": wamid, "status": "read"})
    sent = wa_body({"id": wamid, "status": "sent"})
    assert client.post("/api/webhooks/whatsapp", content=read, headers=signed(read)).json()["applied"] == 1
    for body in (read, sent):  # the same report again; "sent" arriving after "read"
        answer = client.post("/api/webhooks/whatsapp", content=body, headers=signed(body)).json()
        assert (answer["applied"], answer["duplicate"]) == (0, 1)
    assert row(tx, outbox_id).status == "delivered"
    failed = wa_body(
        {
            "id": wamid,
            "status": "failed",
            "errors": [{"code": 131026, "title": "Message undeliverable"}],
        }
    )
    assert (
        client.post("/api/webhooks/whatsapp", content=failed, headers=signed(failed)).json()["duplicate"] == 1
    )
    other = sent_message(tx, "whatsapp", "whatsapp")
    failed = failed.replace(wamid.encode(), f"whatsapp-id-{other}".encode())
    assert (
        client.post("/api/webhooks/whatsapp", content=failed, headers=signed(failed)).json()["applied"] == 1
    )
    assert row(tx, other).status == "failed"
    assert row(tx, other).last_error == "WhatsApp 131026: Message undeliverable"


def test_a_report_naming_our_reference_rescues_a_message_whose_worker_died(tx, client):
    with tx() as s:
        outbox_id = outbox.enqueue(s, channel="whatsapp", recipient="9876543210", kind="receipt", body="R").id
    now = utcnow()
    with tx() as s:  # claimed and (we suppose) accepted by Meta; the worker dies before recording it
        outbox.claim(s, now=now)
    body = wa_body(
        {"id": "wamid.LOST", "status": "sent", "biz_opaque_callback_data": f"lc-outbox-{outbox_id}"}
    )
    assert client.post("/api/webhooks/whatsapp", content=body, headers=signed(body)).json()["applied"] == 1
    message = row(tx, outbox_id)
    assert (message.status, message.provider, message.provider_message_id) == (
        "sent",
        "whatsapp",
        "wamid.LOST",
    )
    provider = Provider("whatsapp")
    assert deliver_due(tx, provider, now=now + LEASE + timedelta(minutes=1))["sent"] == 0
    assert provider.sent == [], "the lease expired, but the report said it went: not sent again"
    # A reference never adopts a row that already has its own provider id.
    taken = sent_message(tx, "whatsapp", "whatsapp")
    body = wa_body(
        {"id": "wamid.OTHER", "status": "failed", "biz_opaque_callback_data": f"lc-outbox-{taken}"}
    )
    assert client.post("/api/webhooks/whatsapp", content=body, headers=signed(body)).json()["unknown"] == 1
    assert row(tx, taken).status == "sent"


def test_whatsapp_subscription_check(client):
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    answer = client.get("/api/webhooks/whatsapp", params=query)
    assert answer.status_code == 200 and answer.text == "1158201444"
    assert (
        client.get("/api/webhooks/whatsapp", params={**query, "hub.verify_token": "nope"}).status_code == 403
    )
    assert client.get("/api/webhooks/whatsapp").status_code == 403
