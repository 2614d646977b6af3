"""Where outbox messages go. The console sender (dev) writes them to the log; SMS and email
senders for production plug in here behind the same `send` signature."""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger("luckychit.outbox")


class Sender(Protocol):
    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None: ...


class ConsoleSender:
    """Dev delivery: prints the message (a one-time code shows up in the server log)."""

    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None:
        line = f"[outbox:{channel}] to {recipient}: {subject} | {body}"
        log.warning(line)
        print(line, flush=True)
