"""Email through a real SMTP server, beside the console sender.

`SmtpSender` sends one message per call with explicit timeouts (a hung mail server must not stall
the outbox loop); STARTTLS or implicit TLS and login are used when configured. `RoutingSender` picks
a sender by channel, so email goes out by SMTP while SMS (no SMS gateway yet) stays on the console.
`sender_from_env()` builds what the outbox loop uses:

| variable | meaning | default |
|---|---|---|
| `LUCKYCHIT_SMTP_HOST` | SMTP server; unset = email goes to the console | unset |
| `LUCKYCHIT_SMTP_PORT` | port | 587 (465 with `ssl`) |
| `LUCKYCHIT_SMTP_SECURITY` | `starttls`, `ssl` or `none` | `starttls` |
| `LUCKYCHIT_SMTP_USER` / `LUCKYCHIT_SMTP_PASSWORD` | login, if the server needs one | unset |
| `LUCKYCHIT_SMTP_FROM` | sender address | `LuckyChit <no-reply@localhost>` |
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from luckychit_app.gateways.senders import ConsoleSender, Sender

SECURITY_MODES = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class SmtpSender:
    host: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = None
    from_addr: str = "LuckyChit <no-reply@localhost>"
    timeout: float = 15.0

    def __post_init__(self) -> None:
        if self.security not in SECURITY_MODES:
            raise ValueError(f"SMTP security must be one of {SECURITY_MODES}, not {self.security!r}")

    def _message(self, recipient: str, subject: str, body: str) -> EmailMessage:
        if "\n" in recipient or "\r" in recipient or "@" not in recipient:
            raise ValueError("not an email address")
        message = EmailMessage()
        message["From"] = self.from_addr
        message["To"] = recipient
        # Header injection is refused by EmailMessage; a subject is one line anyway.
        message["Subject"] = " ".join(subject.split())[:200] or "LuckyChit"
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="luckychit")
        message.set_content(body)
        return message

    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None:
        if channel != "email":
            raise ValueError(f"the SMTP sender only sends email, not {channel}")
        message = self._message(recipient, subject, body)
        context = ssl.create_default_context()
        if self.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=context
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            client.ehlo()
            if self.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(message)


@dataclass(frozen=True)
class RoutingSender:
    """Sends each message with the sender registered for its channel, else with `default`."""

    routes: Mapping[str, Sender]
    default: Sender

    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None:
        self.routes.get(channel, self.default).send(
            channel=channel, recipient=recipient, subject=subject, body=body
        )


def sender_from_env(env: Mapping[str, str] | None = None) -> Sender:
    """SMTP for email when `LUCKYCHIT_SMTP_HOST` is set; the console for everything else."""
    env = os.environ if env is None else env
    console = ConsoleSender()
    host = env.get("LUCKYCHIT_SMTP_HOST", "").strip()
    if not host:
        return console
    security = env.get("LUCKYCHIT_SMTP_SECURITY", "starttls").strip().lower()
    smtp = SmtpSender(
        host=host,
        port=int(env.get("LUCKYCHIT_SMTP_PORT") or (465 if security == "ssl" else 587)),
        security=security,
        username=env.get("LUCKYCHIT_SMTP_USER") or None,
        password=env.get("LUCKYCHIT_SMTP_PASSWORD") or None,
        from_addr=env.get("LUCKYCHIT_SMTP_FROM") or "LuckyChit <no-reply@localhost>",
    )
    return RoutingSender(routes={"email": smtp}, default=console)
