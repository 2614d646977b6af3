"""The WhatsApp Cloud API adapter against mocked HTTP (`responses`) in Meta's documented shapes: the
template message it sends, and how each answer is sorted - success (wamid kept), rate limits,
undeliverable number, template missing, expired token, Graph API down - plus the webhook's
signature check, subscription challenge and status parsing."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
import requests
import responses
from responses import matchers

from luckychit_app.gateways import whatsapp
from luckychit_app.gateways.senders import Accepted, DeliveryReport, Outgoing, Permanent, Retryable
from luckychit_app.gateways.whatsapp import (
    WhatsAppSender,
    parse_statuses,
    signature_matches,
    verify_challenge,
)

TOKEN, NUMBER_ID = "EAAG-test-token", "109876543210987"
URL = f"https://graph.facebook.com/v21.0/{NUMBER_ID}/messages"
TEMPLATES = {"receipt": "lc_receipt", "sign_in_code": "lc_sign_in_code"}
SECRET = "meta-app-secret"


@pytest.fixture
def sender() -> WhatsAppSender:
    return WhatsAppSender(token=TOKEN, phone_number_id=NUMBER_ID, templates=TEMPLATES)


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def receipt(language: str = "ta", mobile: str = "9876543210") -> Outgoing:
    return Outgoing(
        outbox_id=41,
        channel="whatsapp",
        recipient=mobile,
        kind="receipt",
        body="Received ₹7,500 for Diwali Savings ticket 3. Receipt MAIN/000038",
        params={"amount": "₹7,500", "group": "Diwali  Savings\n", "receipt": "MAIN/000038"},
        language=language,
    )


def error(code: int, message: str, status: int = 400) -> dict:
    return {
        "json": {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "error_subcode": 2494010,
                "fbtrace_id": "AbCdEf",
            }
        },
        "status": status,
    }


def test_success_sends_an_approved_template_in_the_members_language(sender, mocked):
    mocked.post(
        URL,
        json={
            "messaging_product": "whatsapp",
            "contacts": [{"input": "919876543210", "wa_id": "919876543210"}],
            "messages": [{"id": "wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQUFBQUFB"}],
        },
        match=[
            matchers.header_matcher({"Authorization": f"Bearer {TOKEN}"}),
            matchers.json_params_matcher(
                {
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": "919876543210",
                    "type": "template",
                    "template": {
                        "name": "lc_receipt",
                        "language": {"code": "ta"},
                        "components": [
                            {
                                "type": "body",
                                "parameters": [
                                    {"type": "text", "text": "₹7,500"},
                                    {"type": "text", "text": "Diwali Savings"},  # no newline, one space
                                    {"type": "text", "text": "MAIN/000038"},
                                ],
                            }
                        ],
                    },
                    "biz_opaque_callback_data": "lc-outbox-41",
                }
            ),
            matchers.request_kwargs_matcher({"timeout": whatsapp.TIMEOUT}),
        ],
    )
    assert sender.send(receipt()) == Accepted("whatsapp", "wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQUFBQUFB")


@pytest.mark.parametrize(
    "code", [130429, 131048, 131056, 80007, 4], ids=["throughput", "spam", "pair", "waba", "app"]
)
def test_rate_limits_are_retryable(sender, mocked, code):
    mocked.post(URL, **error(code, "Rate limit hit", status=429 if code == 130429 else 400))
    with pytest.raises(Retryable, match=str(code)):
        sender.send(receipt())


@pytest.mark.parametrize("code", [131026, 131047], ids=["not-on-whatsapp", "re-engagement"])
def test_undeliverable_numbers_are_permanent(sender, mocked, code):
    mocked.post(URL, **error(code, "Message undeliverable"))
    with pytest.raises(Permanent) as caught:
        sender.send(receipt())
    assert not caught.value.config


def test_an_invalid_number_never_reaches_meta(sender, mocked):
    mocked.assert_all_requests_are_fired = False
    with pytest.raises(Permanent, match="Invalid mobile number"):
        sender.send(receipt(mobile="+1 415 555 0100"))
    assert len(mocked.calls) == 0


def test_template_missing_at_meta_and_expired_token_are_configuration_errors(sender, mocked):
    mocked.post(URL, **error(132001, "Template name does not exist in the translation"))
    mocked.post(URL, **error(190, "Error validating access token: Session has expired", status=401))
    for _ in range(2):
        with pytest.raises(Permanent) as caught:
            sender.send(receipt())
        assert caught.value.config


def test_a_kind_without_an_approved_template_fails_before_any_request(sender, mocked):
    mocked.assert_all_requests_are_fired = False
    reminder = Outgoing(9, "whatsapp", "9876543210", "reminder", body="Pay", params={"a": "1"})
    with pytest.raises(Permanent, match="LUCKYCHIT_WHATSAPP_TEMPLATES") as caught:
        sender.send(reminder)
    assert caught.value.config and len(mocked.calls) == 0


def test_graph_api_down_and_connection_errors_are_retryable(sender, mocked):
    mocked.post(URL, status=503, body="Service Unavailable")
    mocked.post(URL, **error(2, "Service temporarily unavailable", status=500))
    mocked.post(URL, body=requests.ConnectTimeout())
    for _ in range(3):
        with pytest.raises(Retryable):
            sender.send(receipt())


def test_configuration_from_the_environment():
    assert whatsapp.from_env({}) is None
    env = {
        "LUCKYCHIT_WHATSAPP_TOKEN": TOKEN,
        "LUCKYCHIT_WHATSAPP_PHONE_NUMBER_ID": NUMBER_ID,
        "LUCKYCHIT_WHATSAPP_TEMPLATES": json.dumps(TEMPLATES),
    }
    assert whatsapp.from_env(env) == WhatsAppSender(
        token=TOKEN, phone_number_id=NUMBER_ID, templates=TEMPLATES
    )
    with pytest.raises(ValueError, match="PHONE_NUMBER_ID"):
        whatsapp.from_env({"LUCKYCHIT_WHATSAPP_TOKEN": TOKEN})


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_webhook_signature_is_checked_over_the_raw_body():
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    assert signature_matches(SECRET, body, sign(body))
    assert not signature_matches(SECRET, body + b" ", sign(body))
    assert not signature_matches(SECRET, body, sign(body, "another-secret"))
    assert not signature_matches(SECRET, body, sign(body).removeprefix("sha256="))
    assert not signature_matches(SECRET, body, "sha256=" + "é" * 64)
    assert not signature_matches(None, body, sign(body)) and not signature_matches(SECRET, body, None)


def test_subscription_challenge_is_echoed_only_with_the_verify_token():
    query = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    assert verify_challenge("verify-me", query) == "1158201444"
    assert verify_challenge("verify-me", {**query, "hub.verify_token": "guess"}) is None
    assert verify_challenge("verify-me", {**query, "hub.mode": "unsubscribe"}) is None
    assert verify_challenge(None, query) is None


def status_body(*statuses: dict) -> bytes:
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {"phone_number_id": NUMBER_ID},
                                "statuses": list(statuses),
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()


def test_status_updates_are_read_in_order_with_their_errors_and_reference():
    body = status_body(
        {"id": "wamid.A", "status": "sent", "timestamp": "1750000000", "recipient_id": "919876543210"},
        {"id": "wamid.A", "status": "read", "timestamp": "1750000060", "recipient_id": "919876543210"},
        {
            "id": "wamid.B",
            "status": "failed",
            "timestamp": "1750000000",
            "recipient_id": "919876543211",
            "biz_opaque_callback_data": "lc-outbox-12",
            "errors": [
                {
                    "code": 131026,
                    "title": "Message undeliverable",
                    "error_data": {"details": "Receiver is not a WhatsApp user"},
                }
            ],
        },
        {"id": "wamid.C", "status": "deleted"},
    )
    assert parse_statuses(body) == [
        DeliveryReport("wamid.A", "sent"),
        DeliveryReport("wamid.A", "delivered"),
        DeliveryReport(
            "wamid.B",
            "failed",
            "WhatsApp 131026: Message undeliverable Receiver is not a WhatsApp user",
            "lc-outbox-12",
        ),
    ]
    with pytest.raises(ValueError):
        parse_statuses(b'{"object": "page"}')
