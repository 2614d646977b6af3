"""The MSG91 Flow API adapter against mocked HTTP (`responses`) in the documented shapes: the request
it sends (template id per kind, 91-prefixed number, the template's variables, auth key header,
timeouts), and how each answer is sorted - success (request id kept), rate limit, invalid number,
provider down, template missing, refused key - plus the delivery-report parsing and URL token."""

from __future__ import annotations

import json

import pytest
import requests
import responses
from responses import matchers

from luckychit_app.gateways import msg91
from luckychit_app.gateways.msg91 import URL, Msg91Sender, parse_reports, token_matches
from luckychit_app.gateways.senders import Accepted, DeliveryReport, Outgoing, Permanent, Retryable

AUTHKEY = "412345AbCdEfGhIjKlMnOp"
TEMPLATES = {"sign_in_code": "65f0c0ffee1234567890abcd", "receipt": "65f0c0ffee1234567890beef"}


@pytest.fixture
def sender() -> Msg91Sender:
    return Msg91Sender(authkey=AUTHKEY, templates=TEMPLATES, sender_id="LCHITS")


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def code(outbox_id: int = 7, mobile: str = "9876543210") -> Outgoing:
    return Outgoing(
        outbox_id=outbox_id,
        channel="sms",
        recipient=mobile,
        kind="sign_in_code",
        subject="LuckyChit sign-in code",
        body="Your LuckyChit sign-in code is 482913. It expires in 10 minutes.",
        params={"code": "482913"},
    )


def test_success_sends_the_documented_request_and_keeps_the_request_id(sender, mocked):
    mocked.post(
        URL,
        json={"type": "success", "message": "3763646c3058373530393832"},
        match=[
            matchers.header_matcher({"authkey": AUTHKEY, "content-type": "application/json"}),
            matchers.json_params_matcher(
                {
                    "template_id": TEMPLATES["sign_in_code"],
                    "short_url": "0",
                    "recipients": [{"mobiles": "919876543210", "code": "482913"}],
                    "sender": "LCHITS",
                }
            ),
            matchers.request_kwargs_matcher({"timeout": msg91.TIMEOUT}),
        ],
    )
    assert sender.send(code()) == Accepted("msg91", "3763646c3058373530393832")


def test_rate_limited_is_retryable_with_the_providers_wait(sender, mocked):
    mocked.post(
        URL, status=429, json={"type": "error", "message": "Too many requests"}, headers={"Retry-After": "90"}
    )
    with pytest.raises(Retryable) as caught:
        sender.send(code())
    assert caught.value.retry_after == 90


def test_invalid_number_is_permanent(sender, mocked):
    mocked.post(URL, status=400, json={"type": "error", "message": "Invalid mobile number"})
    with pytest.raises(Permanent) as caught:
        sender.send(code())
    assert "Invalid mobile number" in caught.value.message and not caught.value.config


def test_a_number_that_is_not_indian_mobile_never_reaches_the_provider(sender, mocked):
    mocked.assert_all_requests_are_fired = False
    for bad in ("12345", "5876543210", "98765432101"):
        with pytest.raises(Permanent, match="Invalid mobile number"):
            sender.send(code(mobile=bad))
    assert len(mocked.calls) == 0


@pytest.mark.parametrize("status", [500, 502, 503])
def test_provider_down_is_retryable(sender, mocked, status):
    mocked.post(URL, status=status, body="<html>Bad gateway</html>")
    with pytest.raises(Retryable, match="down"):
        sender.send(code())


@pytest.mark.parametrize(
    "error", [requests.ConnectionError("refused"), requests.ConnectTimeout(), requests.ReadTimeout()]
)
def test_connection_errors_and_timeouts_are_retryable(sender, mocked, error):
    mocked.post(URL, body=error)
    with pytest.raises(Retryable, match="unreachable"):
        sender.send(code())


def test_a_kind_without_a_registered_template_fails_permanently_before_any_request(sender, mocked):
    mocked.assert_all_requests_are_fired = False
    reminder = Outgoing(8, "sms", "9876543210", "reminder", body="Pay ₹7,500", params={"amount": "₹7,500"})
    with pytest.raises(Permanent) as caught:
        sender.send(reminder)
    assert caught.value.config and "'reminder'" in caught.value.message
    assert "LUCKYCHIT_MSG91_TEMPLATES" in caught.value.message and len(mocked.calls) == 0


def test_template_refused_by_msg91_and_bad_key_are_permanent_configuration_errors(sender, mocked):
    mocked.post(URL, status=400, json={"type": "error", "message": "Template ID is not valid"})
    mocked.post(URL, status=401, json={"type": "error", "message": "Authentication failure"})
    for _ in range(2):
        with pytest.raises(Permanent) as caught:
            sender.send(code())
        assert caught.value.config


def test_an_error_type_in_a_200_answer_is_not_taken_for_success(sender, mocked):
    mocked.post(URL, status=200, json={"type": "error", "message": "Insufficient balance"})
    with pytest.raises(Retryable, match="balance"):
        sender.send(code())


def test_configuration_from_the_environment():
    assert msg91.from_env({}) is None
    built = msg91.from_env(
        {
            "LUCKYCHIT_MSG91_AUTHKEY": AUTHKEY,
            "LUCKYCHIT_MSG91_TEMPLATES": json.dumps(TEMPLATES),
            "LUCKYCHIT_SMS_SENDER": "LCHITS",
        }
    )
    assert built == Msg91Sender(authkey=AUTHKEY, templates=TEMPLATES, sender_id="LCHITS")
    with pytest.raises(ValueError, match="LUCKYCHIT_MSG91_TEMPLATES"):
        msg91.from_env({"LUCKYCHIT_MSG91_AUTHKEY": AUTHKEY, "LUCKYCHIT_MSG91_TEMPLATES": "{not json"})
    with pytest.raises(ValueError, match="6-letter"):
        msg91.from_env({"LUCKYCHIT_MSG91_AUTHKEY": AUTHKEY, "LUCKYCHIT_SMS_SENDER": "LUCKY-CHIT"})


def test_delivery_reports_in_each_shape():
    flat = json.dumps({"requestId": "abc123", "status": "delivered", "number": "919876543210"}).encode()
    assert parse_reports(flat) == [DeliveryReport("abc123", "delivered")]
    many = json.dumps(
        [
            {"requestId": "r1", "status": "Failed", "description": "Absent subscriber"},
            {"requestId": "r2", "status": "2"},
            {"requestId": "r3", "status": "1"},
            {"requestId": "r4", "status": "something new"},
            {"status": "delivered"},
        ]
    ).encode()
    assert parse_reports(many) == [
        DeliveryReport("r1", "failed", "Absent subscriber"),
        DeliveryReport("r2", "failed", ""),
        DeliveryReport("r3", "delivered"),
    ]
    legacy = {"data": [{"requestId": "r9", "report": [{"status": "1", "desc": "DELIVERED"}]}]}
    assert parse_reports(json.dumps(legacy).encode()) == [DeliveryReport("r9", "delivered")]
    form = ("data=" + requests.utils.quote(json.dumps(legacy))).encode()
    assert parse_reports(form) == [DeliveryReport("r9", "delivered")]
    with pytest.raises(ValueError):
        parse_reports(b"<xml/>")


def test_the_report_url_token_is_compared_in_full():
    assert token_matches("s3cret-token-0123456789", "s3cret-token-0123456789")
    assert not token_matches("s3cret-token-0123456789", "s3cret-token-012345678")
    assert not token_matches("s3cret-token-0123456789", "")
    assert not token_matches(None, "anything") and not token_matches("", "")
    assert not token_matches("s3cret", ["s3cret"])
