"""WhatsApp through the WhatsApp Business Cloud API (Meta's Graph API).

Why templates: WhatsApp lets a business start a conversation only with a message template that Meta
approved beforehand (WhatsApp Business Messaging Policy; free text only within 24 hours of the
member's own message). So, as for DLT SMS, each message kind maps to an approved template name and
is sent with the row's `params` as the template body's parameters, in order, in the row's language
(the template must be approved in that language: `en`, `hi`, `ta`, `te`, `kn`, `ml`).

Request: ``POST https://graph.facebook.com/v21.0/{phone_number_id}/messages`` with ``Authorization:
Bearer <token>`` and ``{"messaging_product": "whatsapp", "to": "91XXXXXXXXXX", "type": "template",
"template": {"name": …, "language": {"code": …}, "components": [{"type": "body", "parameters":
[{"type": "text", "text": …}, …]}]}, "biz_opaque_callback_data": "lc-outbox-<id>"}``. The opaque
callback data comes back in every status webhook, so a report still finds its row when the worker
died between Meta accepting the message and the outbox recording its id. Success answers
``{"messages": [{"id": "wamid…"}]}``; the wamid is the provider message id.

| variable | meaning | default |
|---|---|---|
| `LUCKYCHIT_WHATSAPP_TOKEN` | system-user access token; unset = WhatsApp goes to the console | unset |
| `LUCKYCHIT_WHATSAPP_PHONE_NUMBER_ID` | the sending number's id in WhatsApp Manager | unset |
| `LUCKYCHIT_WHATSAPP_TEMPLATES` | JSON object, message kind -> approved template name | `{}` |
| `LUCKYCHIT_WHATSAPP_APP_SECRET` | the Meta app's secret, key of `X-Hub-Signature-256` | unset: refused |
| `LUCKYCHIT_WHATSAPP_VERIFY_TOKEN` | the token typed into the webhook set-up | unset: refused |

Webhook: ``GET /api/webhooks/whatsapp`` answers Meta's verification (``hub.mode=subscribe``,
``hub.verify_token``, echo ``hub.challenge``); ``POST`` carries status updates signed with
``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, key = app secret>``.

Errors (Cloud API error codes): 131026 (undeliverable, not a WhatsApp user), 131047 (re-engagement
needed), 131051, 131008/131009 and 100 (bad parameters) are `Permanent`; 132xxx (template missing,
paused, parameters not matching), 190 (token expired), 10 and 200 (permission) are `Permanent` with
`config=True`; 130429, 131048, 131056, 80007 and 4 (rate limits), 1, 2, 131000, 131016, 133004
(temporarily unavailable), HTTP 5xx, timeouts and connection errors are `Retryable`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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

GRAPH = "https://graph.facebook.com/v21.0"
TIMEOUT = (5.0, 15.0)
"""(connect, read) seconds: well inside the outbox lease, so a live worker never loses its claim."""
RETRYABLE_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004})
CONFIG_CODES = frozenset({10, 190, 200, 131031})
LANGUAGES = {"en": "en", "hi": "hi", "ta": "ta", "te": "te", "kn": "kn", "ml": "ml"}
STATUSES = {"sent": "sent", "delivered": "delivered", "read": "delivered", "failed": "failed"}
_SPACES = re.compile(r"\s+")


def signature_matches(app_secret: str | None, body: bytes, header: object) -> bool:
    """`X-Hub-Signature-256` against the raw body; False without a secret or a well-formed header."""
    if not app_secret or not isinstance(header, str) or not header.startswith("sha256="):
        return False
    given = header.removeprefix("sha256=").strip()
    if len(given) != 64 or not given.isascii():
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given.lower())


def verify_challenge(verify_token: str | None, query: Mapping[str, str]) -> str | None:
    """The `hub.challenge` to echo when Meta's verification request carries our token, else None."""
    if not verify_token or query.get("hub.mode") != "subscribe":
        return None
    given = query.get("hub.verify_token", "")
    if not given or not hmac.compare_digest(verify_token.encode(), given.encode()):
        return None
    challenge = query.get("hub.challenge", "")
    return challenge if challenge.isascii() and 0 < len(challenge) <= 200 else None


def _error_for(status: int, data: object) -> DeliveryError:
    error = data.get("error") if isinstance(data, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    text = f"WhatsApp {code or status}: {str(error.get('message') or 'no error message')[:180]}"
    if code in RETRYABLE_CODES or (code is None and (status == 429 or status >= 500)):
        return Retryable(text)
    if code in CONFIG_CODES or (code is not None and 132000 <= code < 133000):
        return Permanent(text, config=True)
    if status >= 500:
        return Retryable(text)
    return Permanent(text)


@dataclass(frozen=True)
class WhatsAppSender:
    token: str
    phone_number_id: str
    templates: Mapping[str, str] = field(default_factory=dict)
    graph: str = GRAPH
    provider: str = "whatsapp"

    @property
    def url(self) -> str:
        return f"{self.graph}/{self.phone_number_id}/messages"

    def payload(self, message: Outgoing) -> dict[str, Any]:
        """The Cloud API body for one template message (public so tests can show its shape)."""
        name = self.templates.get(message.kind)
        if not name:
            raise Permanent(
                f"No approved WhatsApp template for message kind {message.kind!r}: add it to "
                "LUCKYCHIT_WHATSAPP_TEMPLATES",
                config=True,
            )
        template: dict[str, Any] = {"name": name, "language": {"code": LANGUAGES.get(message.language, "en")}}
        if message.params:
            # Meta refuses a parameter with newlines, tabs or more than four spaces in a row (132018).
            parameters = [
                {"type": "text", "text": _SPACES.sub(" ", v).strip()} for v in message.params.values()
            ]
            template["components"] = [{"type": "body", "parameters": parameters}]
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": india_msisdn(message.recipient),
            "type": "template",
            "template": template,
            "biz_opaque_callback_data": message.reference,
        }

    def send(self, message: Outgoing) -> Accepted:
        if message.channel != "whatsapp":
            raise Permanent(f"the WhatsApp sender only sends WhatsApp, not {message.channel}", config=True)
        body = self.payload(message)
        try:
            response = requests.post(
                self.url, json=body, headers={"Authorization": f"Bearer {self.token}"}, timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            raise Retryable(f"WhatsApp unreachable: {type(exc).__name__}") from exc
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.ok and isinstance(data, dict):
            messages = data.get("messages")
            if isinstance(messages, list) and messages and isinstance(messages[0], dict):
                wamid = messages[0].get("id")
                if isinstance(wamid, str) and wamid:
                    return Accepted(self.provider, wamid[:120])
            raise Retryable("WhatsApp answered without a message id")
        raise _error_for(response.status_code, data)


def from_env(env: Mapping[str, str]) -> WhatsAppSender | None:
    """The WhatsApp sender `LUCKYCHIT_WHATSAPP_*` describe, or None without a token. A token
    without a phone number id is a configuration error (ValueError), not a quiet console fallback."""
    token = env.get("LUCKYCHIT_WHATSAPP_TOKEN", "").strip()
    if not token:
        return None
    number_id = env.get("LUCKYCHIT_WHATSAPP_PHONE_NUMBER_ID", "").strip()
    if not number_id.isdigit():
        raise ValueError("LUCKYCHIT_WHATSAPP_PHONE_NUMBER_ID must be the sending number's id (digits)")
    return WhatsAppSender(
        token=token,
        phone_number_id=number_id,
        templates=templates_from_env(
            env.get("LUCKYCHIT_WHATSAPP_TEMPLATES", ""), "LUCKYCHIT_WHATSAPP_TEMPLATES"
        ),
    )


def _failure(status: dict[str, Any]) -> str:
    errors = status.get("errors")
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
        return "WhatsApp reported the message failed"
    first = errors[0]
    data = first.get("error_data")
    details = data.get("details") if isinstance(data, dict) else ""
    title = first.get("title") or first.get("message") or ""
    return f"WhatsApp {first.get('code', '?')}: {title} {details or ''}".strip()[:200]


def parse_statuses(body: bytes) -> list[DeliveryReport]:
    """The message statuses in one webhook post; other changes (incoming messages) are skipped.
    Raises ValueError when the body is not a WhatsApp Business Account notification."""
    data = json.loads(body)
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        raise ValueError("not a WhatsApp Business Account notification")
    reports: list[DeliveryReport] = []
    for entry in data.get("entry") or []:
        for change in (entry.get("changes") or []) if isinstance(entry, dict) else []:
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = change.get("value") if isinstance(change.get("value"), dict) else {}
            for status in value.get("statuses") or []:
                if not isinstance(status, dict):
                    continue
                wamid, mapped = status.get("id"), STATUSES.get(str(status.get("status")))
                if not isinstance(wamid, str) or not wamid or mapped is None:
                    continue
                reference = status.get("biz_opaque_callback_data")
                reports.append(
                    DeliveryReport(
                        provider_message_id=wamid[:120],
                        status=mapped,
                        error=_failure(status) if mapped == "failed" else "",
                        reference=reference[:40] if isinstance(reference, str) else "",
                    )
                )
    return reports
