"""What every message sender shares: the message handed to it, what it answers, the two errors it
may raise, and the console sender (the development default).

A sender's `send` either returns `Accepted` (the provider took the message; its id is kept so a
delivery report can find the row again) or raises:

* `Retryable` - try again later: rate-limited (HTTP 429), the provider is down (5xx), a timeout or
  a refused connection. `retry_after` carries the provider's own hint (a `Retry-After` header).
* `Permanent` - trying again cannot help: an invalid number, a template not registered, a key the
  provider refuses. `config` marks problems that only the operator can fix (keys, templates), which
  the admin page shows as such.

The outbox (services/messages/outbox.py) decides from the type alone: retry with backoff, or mark
the message failed at once. Any other exception is treated as retryable (a bug must not silently
drop a receipt) and logged with its traceback.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger("luckychit.outbox")

MOBILE_RE = re.compile(r"[6-9]\d{9}")
"""An Indian mobile number as the app stores it (services/validation.clean_mobile): ten digits,
starting 6-9."""


class DeliveryError(Exception):
    """A sender could not hand the message to its provider; `Retryable` or `Permanent` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Retryable(DeliveryError):
    """Try again later (rate-limited, provider down, timeout, connection refused)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Permanent(DeliveryError):
    """Trying again cannot help (bad recipient, missing template, refused credentials)."""

    def __init__(self, message: str, *, config: bool = False) -> None:
        super().__init__(message)
        self.config = config


@dataclass(frozen=True)
class Outgoing:
    """One outbox row as a sender sees it. `reference` (``lc-outbox-<id>``) is the same on every
    attempt, so a provider that echoes a client reference lets a delivery report find the row even
    when the worker died before it could record the provider's message id."""

    outbox_id: int
    channel: str
    recipient: str
    kind: str
    body: str
    subject: str = ""
    params: Mapping[str, str] = field(default_factory=dict)
    language: str = "en"

    @property
    def reference(self) -> str:
        return f"lc-outbox-{self.outbox_id}"


@dataclass(frozen=True)
class Accepted:
    """The provider took the message: who (`provider`, e.g. "msg91") and under which id."""

    provider: str
    message_id: str


@dataclass(frozen=True)
class DeliveryReport:
    """One status a provider reported for a message it accepted (webhooks)."""

    provider_message_id: str
    status: str  # sent | delivered | failed
    error: str = ""
    reference: str = ""  # our `Outgoing.reference`, when the provider echoes it back


class Sender(Protocol):
    def send(self, message: Outgoing) -> Accepted: ...


def india_msisdn(mobile: str) -> str:
    """The number as Indian SMS and WhatsApp APIs take it (country code 91, no plus sign).
    Anything that is not an Indian mobile number is a permanent failure: no retry makes it one."""
    digits = mobile.strip().removeprefix("+")
    if len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    if not MOBILE_RE.fullmatch(digits):
        raise Permanent("Invalid mobile number: not a 10-digit Indian mobile number")
    return "91" + digits


def templates_from_env(raw: str, name: str) -> dict[str, str]:
    """A `{"kind": "template"}` JSON object from the environment (`LUCKYCHIT_MSG91_TEMPLATES`,
    `LUCKYCHIT_WHATSAPP_TEMPLATES`). Anything else raises ValueError naming the variable."""
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"{name} is not JSON: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{name} must be a JSON object of message kind -> template")
    return {k: v.strip() for k, v in data.items() if v.strip()}


class ConsoleSender:
    """Dev delivery: prints the message (a one-time code shows up in the server log). Nothing
    reaches a phone, which is why its provider name is "console" and the admin page never counts
    these as delivered."""

    provider = "console"

    def send(self, message: Outgoing) -> Accepted:
        line = f"[outbox:{message.channel}] to {message.recipient}: {message.subject} | {message.body}"
        log.warning(line)
        print(line, flush=True)
        return Accepted("console", message.reference)
