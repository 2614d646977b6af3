"""Email through a real SMTP server.

`SmtpSender` sends one message per call with explicit timeouts (a hung mail server must not stall
the outbox loop); STARTTLS or implicit TLS and login are used when configured. Its answer is the
message's own `Message-ID`, kept as the provider message id. Failures are sorted for the outbox:

* `Retryable`: the server cannot be reached, times out or disconnects, or answers with a 4xx
  "transient negative completion" reply (RFC 5321 section 4.2.1: the same command may succeed
  later), including every recipient refused with a 4xx (greylisting);
* `Permanent`: a recipient refused with a 5xx (no such mailbox), an address that is not one,
  and - with `config=True` - a login the server refuses, a TLS certificate that does not verify,
  or STARTTLS the server does not offer.

`gateways/routing.sender_from_env` builds it from these variables:

| variable | meaning | default |
|---|---|---|
| `LUCKYCHIT_SMTP_HOST` | SMTP server; unset = email goes to the console | unset |
| `LUCKYCHIT_SMTP_PORT` | port | 587 (465 with `ssl`) |
| `LUCKYCHIT_SMTP_SECURITY` | `starttls`, `ssl` or `none` | `starttls` |
| `LUCKYCHIT_SMTP_USER` / `LUCKYCHIT_SMTP_PASSWORD` | login, if the server needs one | unset |
| `LUCKYCHIT_SMTP_FROM` | sender address | `LuckyChit <no-reply@localhost>` |
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from luckychit_app.gateways.senders import Accepted, DeliveryError, Outgoing, Permanent, Retryable

SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_FROM = "LuckyChit <no-reply@localhost>"


def _recipients_refused(exc: smtplib.SMTPRecipientsRefused) -> DeliveryError:
    codes = [code for code, _ in exc.recipients.values()]
    text = "; ".join(f"{addr}: {code} {msg!r}"[:120] for addr, (code, msg) in exc.recipients.items())
    if codes and all(400 <= code < 500 for code in codes):
        return Retryable(f"recipient deferred: {text}")
    return Permanent(f"recipient refused: {text}")


def classify_smtp_error(exc: BaseException) -> DeliveryError:
    """An smtplib / socket / ssl error as `Retryable` or `Permanent` (see the module docstring)."""
    if isinstance(exc, DeliveryError):
        return exc
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return _recipients_refused(exc)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return Permanent(f"SMTP login refused: {exc.smtp_code}", config=True)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return Permanent(f"SMTP server does not support it: {exc}", config=True)
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = getattr(exc, "verify_message", None) or exc
        return Permanent(f"SMTP server certificate does not verify: {reason}", config=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        detail = f"{name}: {code} {exc.smtp_error!r}"[:250]
        if 500 <= code < 600:
            return Permanent(detail, config=isinstance(exc, smtplib.SMTPSenderRefused))
        return Retryable(detail)
    if isinstance(exc, OSError):  # SMTPServerDisconnected, timeouts, refused connections, TLS hiccups
        return Retryable(f"{name}: {exc}"[:250])
    if isinstance(exc, ValueError):
        return Permanent(f"{name}: {exc}"[:250])
    return Retryable(f"{name}: {exc}"[:250])


@dataclass(frozen=True)
class SmtpSender:
    host: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = None
    from_addr: str = DEFAULT_FROM
    timeout: float = 15.0
    provider: str = "smtp"

    def __post_init__(self) -> None:
        if self.security not in SECURITY_MODES:
            raise ValueError(f"SMTP security must be one of {SECURITY_MODES}, not {self.security!r}")

    def _message(self, recipient: str, subject: str, body: str) -> EmailMessage:
        if "\n" in recipient or "\r" in recipient or "@" not in recipient:
            raise Permanent("not an email address")
        message = EmailMessage()
        message["From"] = self.from_addr
        message["To"] = recipient
        # Header injection is refused by EmailMessage; a subject is one line anyway.
        message["Subject"] = " ".join(subject.split())[:200] or "LuckyChit"
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="luckychit")
        message.set_content(body)
        return message

    def send(self, message: Outgoing) -> Accepted:
        if message.channel != "email":
            raise Permanent(f"the SMTP sender only sends email, not {message.channel}", config=True)
        email = self._message(message.recipient, message.subject, message.body)
        try:
            self._transmit(email)
        except Exception as exc:
            raise classify_smtp_error(exc) from exc
        return Accepted(self.provider, str(email["Message-ID"]).strip("<>"))

    def _transmit(self, email: EmailMessage) -> None:
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
            client.send_message(email)


def smtp_from_env(env: Mapping[str, str]) -> SmtpSender | None:
    """The SMTP sender `LUCKYCHIT_SMTP_*` describe, or None without a host. A wrong security mode
    raises ValueError at once (a typo must not quietly send mail in clear)."""
    host = env.get("LUCKYCHIT_SMTP_HOST", "").strip()
    if not host:
        return None
    security = env.get("LUCKYCHIT_SMTP_SECURITY", "starttls").strip().lower()
    return SmtpSender(
        host=host,
        port=int(env.get("LUCKYCHIT_SMTP_PORT") or (465 if security == "ssl" else 587)),
        security=security,
        username=env.get("LUCKYCHIT_SMTP_USER") or None,
        password=env.get("LUCKYCHIT_SMTP_PASSWORD") or None,
        from_addr=env.get("LUCKYCHIT_SMTP_FROM") or DEFAULT_FROM,
    )
