"""SMS through MSG91's Flow API, a DLT-compliant Indian provider.

Why templates: under TRAI's Telecom Commercial Communications Customer Preference Regulations, 2018
(TCCCPR 2018) every commercial SMS in India must come from a header (sender id) and match a content
template that the business registered on the operators' DLT platform; the operator drops anything
else. So an SMS here is never free text: each message kind (`sign_in_code`, `receipt`, ...) maps to
the MSG91 template (which carries the DLT template id and header) and is sent with that template's
variables, the outbox row's `params`. A kind without a registered template is a `Permanent` failure
that names the kind, not a silent drop.

Request (one message per call): ``POST https://control.msg91.com/api/v5/flow/`` with headers
``authkey`` and ``content-type: application/json`` and the body
``{"template_id": …, "short_url": "0", "recipients": [{"mobiles": "91XXXXXXXXXX", <params>}]}``
(plus ``"sender"`` when `LUCKYCHIT_SMS_SENDER` is set). The template's variables must be named as
the kind's params (``##code##``, ``##amount##`` …). Success is ``{"type": "success", "message":
"<request id>"}``; the request id is the provider message id the delivery report names.

| variable | meaning | default |
|---|---|---|
| `LUCKYCHIT_MSG91_AUTHKEY` | MSG91 auth key; unset = SMS go to the console (not delivered) | unset |
| `LUCKYCHIT_MSG91_TEMPLATES` | JSON object, message kind -> MSG91 template (flow) id | `{}` |
| `LUCKYCHIT_SMS_SENDER` | the 6-letter DLT header of the templates (TRAI TCCCPR 2018) | the template's |
| `LUCKYCHIT_MSG91_WEBHOOK_TOKEN` | secret of the report URL `/api/webhooks/msg91?token=…` | unset: refused |

Delivery reports: MSG91 posts them to the webhook URL configured in its panel. MSG91 does not sign
them (no HMAC header), so the URL itself carries a long random secret (`?token=…`, compared in
constant time); anyone who learns the URL can forge reports, so keep it out of logs and rotate it if
it leaks. A report is JSON (an object or a list of objects) with the request id (`requestId`) and
the status (`status`: delivered / failed / rejected …, or MSG91's numeric 1 = delivered,
2 = failed), optionally `description`; the older ``{"data": [{"requestId": …, "report": [{"status":
…, "desc": …}]}]}`` shape (also as a form field `data`) is read too.

Errors: HTTP 429, 5xx, timeouts and connection errors are `Retryable`; "Invalid mobile number",
template errors and authentication failures are `Permanent` (the last two with `config=True`). An
exhausted balance is retryable: the messages go once the account is topped up. MSG91 takes no
idempotency key, so a request whose answer is lost (read timeout) may be sent twice when retried:
for codes and receipts a second copy is better than none.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import requests

from luckychit_app.gateways.senders import (
    Accepted,
    DeliveryError,
    DeliveryReport,
    Outgoing,
    Permanent,
    Retryable,
    india_msisdn,
    templates_from_env,
)

URL = "https://control.msg91.com/api/v5/flow/"
TIMEOUT = (5.0, 15.0)
"""(connect, read) seconds: well inside the outbox lease, so a live worker never loses its claim."""
HEADER_RE = re.compile(r"[A-Za-z]{6}")
"""A DLT header for service and transactional SMS is six letters (TRAI TCCCPR 2018; the operators'
DLT platforms register them)."""
PARAM_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,29}")
REPORT_STATUSES = {
    "1": "delivered",
    "delivered": "delivered",
    "delivrd": "delivered",
    "2": "failed",
    "failed": "failed",
    "rejected": "failed",
    "undelivered": "failed",
    "expired": "failed",
    "ndnc": "failed",
    "blocked": "failed",
    "sent": "sent",
    "submitted": "sent",
}


def token_matches(expected: str | None, given: object) -> bool:
    """The delivery-report URL's secret, compared in constant time; False when none is configured."""
    if not expected or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def _error_for(status: int, text: str) -> DeliveryError:
    lower = text.lower()
    if "auth" in lower or status in (401, 403):
        return Permanent(f"MSG91 refused the auth key: {text}", config=True)
    if "template" in lower or "flow" in lower:
        return Permanent(f"MSG91 template problem: {text}", config=True)
    if "mobile" in lower or "number" in lower:
        return Permanent(f"MSG91: {text}")
    if "balance" in lower or "credit" in lower:
        return Retryable(f"MSG91 account balance: {text} (top up the account)")
    if "too many" in lower or "rate" in lower or "limit" in lower:
        return Retryable(f"MSG91 rate limit: {text}")
    return Permanent(f"MSG91 refused the message: {text}")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None


@dataclass(frozen=True)
class Msg91Sender:
    authkey: str
    templates: Mapping[str, str] = field(default_factory=dict)
    sender_id: str = ""
    url: str = URL
    provider: str = "msg91"

    def __post_init__(self) -> None:
        if self.sender_id and not HEADER_RE.fullmatch(self.sender_id):
            raise ValueError("LUCKYCHIT_SMS_SENDER must be the 6-letter DLT header (TRAI TCCCPR 2018)")

    def payload(self, message: Outgoing) -> dict[str, Any]:
        """The Flow API body for one message (public so the tests can show the documented shape)."""
        template = self.templates.get(message.kind)
        if not template:
            raise Permanent(
                f"No MSG91 template registered for message kind {message.kind!r}: add it to "
                "LUCKYCHIT_MSG91_TEMPLATES (DLT requires a registered template, TRAI TCCCPR 2018)",
                config=True,
            )
        recipient: dict[str, str] = {"mobiles": india_msisdn(message.recipient)}
        for name, value in message.params.items():
            if not PARAM_NAME_RE.fullmatch(name) or name == "mobiles":
                raise Permanent(f"template variable name {name!r} is not one MSG91 accepts", config=True)
            recipient[name] = value
        body: dict[str, Any] = {"template_id": template, "short_url": "0", "recipients": [recipient]}
        if self.sender_id:
            body["sender"] = self.sender_id
        return body

    def send(self, message: Outgoing) -> Accepted:
        if message.channel != "sms":
            raise Permanent(f"the MSG91 sender only sends SMS, not {message.channel}", config=True)
        body = self.payload(message)
        try:
            response = requests.post(
                self.url,
                json=body,
                headers={
                    "authkey": self.authkey,
                    "content-type": "application/json",
                    "accept": "application/json",
                },
                timeout=TIMEOUT,
            )
        except requests.RequestException as exc:  # timeouts, refused connections, TLS failures
            raise Retryable(f"MSG91 unreachable: {type(exc).__name__}") from exc
        if response.status_code == 429:
            raise Retryable("MSG91 rate limit (HTTP 429)", retry_after=_retry_after(response))
        if response.status_code >= 500:
            raise Retryable(f"MSG91 is down (HTTP {response.status_code})")
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            if response.ok:
                raise Retryable(f"MSG91 answered HTTP {response.status_code} without JSON")
            raise _error_for(response.status_code, response.text[:200])
        text = str(data.get("message") or "")[:200]
        if response.ok and data.get("type") == "success" and text:
            return Accepted(self.provider, text)
        raise _error_for(response.status_code, text or f"HTTP {response.status_code}")


def from_env(env: Mapping[str, str]) -> Msg91Sender | None:
    """The MSG91 sender `LUCKYCHIT_MSG91_*` describe, or None without an auth key. Templates that
    are not a JSON object of strings raise ValueError (shown on the admin page)."""
    authkey = env.get("LUCKYCHIT_MSG91_AUTHKEY", "").strip()
    if not authkey:
        return None
    return Msg91Sender(
        authkey=authkey,
        templates=templates_from_env(env.get("LUCKYCHIT_MSG91_TEMPLATES", ""), "LUCKYCHIT_MSG91_TEMPLATES"),
        sender_id=env.get("LUCKYCHIT_SMS_SENDER", "").strip(),
    )


def _items(data: object) -> list[dict[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get("data"), list | dict):
        data = data["data"]
    if isinstance(data, dict):
        data = [data]
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _report(request_id: object, status: object, error: object) -> DeliveryReport | None:
    mapped = REPORT_STATUSES.get(str(status).strip().lower())
    if not isinstance(request_id, str | int) or not str(request_id).strip() or mapped is None:
        return None
    return DeliveryReport(
        str(request_id).strip()[:120], mapped, str(error or "")[:200] if mapped == "failed" else ""
    )


def parse_reports(body: bytes) -> list[DeliveryReport]:
    """The delivery reports in one webhook post (see the module docstring for the shapes read).
    Raises ValueError when the body is neither JSON nor a form with a JSON `data` field."""
    text = body.decode("utf-8")
    try:
        data = json.loads(text)
    except ValueError:
        form = parse_qs(text)
        if "data" not in form:
            raise
        data = json.loads(form["data"][0])
    reports: list[DeliveryReport] = []
    for item in _items(data):
        request_id = item.get("requestId", item.get("request_id", item.get("requestid")))
        nested = item.get("report")
        if isinstance(nested, list):
            for line in nested:
                if isinstance(line, dict):
                    found = _report(
                        request_id, line.get("status"), line.get("desc") or line.get("description")
                    )
                    if found:
                        reports.append(found)
            continue
        error = item.get("description") or item.get("desc") or item.get("failureReason")
        found = _report(request_id, item.get("status", item.get("event")), error)
        if found:
            reports.append(found)
    return reports
