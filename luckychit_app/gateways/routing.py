"""Which sender delivers which channel, from the environment.

`sender_from_env()` builds what the outbox loop uses: MSG91 for `sms` (gateways/msg91.py), the
WhatsApp Cloud API for `whatsapp` (gateways/whatsapp.py), SMTP for `email` (gateways/smtp_sender.py),
each when its variables are set, and the console for every channel without a provider - the
development default, which delivers nothing. `delivery_status()` says the same per channel in words
for the admin page, so a production install without a provider is told plainly that its SMS are not
reaching anyone. The variables each adapter reads are tabled in its module docstring and in the
README's "Messages" section.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from luckychit_app.gateways import msg91, smtp_sender, whatsapp
from luckychit_app.gateways.senders import Accepted, ConsoleSender, Outgoing, Sender

CHANNELS = ("sms", "whatsapp", "email")
"""The channels a member can be reached on (`console` rows are for development only)."""
CONSOLE = "console (not delivered)"
PROVIDER_NAMES = {"msg91": "MSG91", "whatsapp": "WhatsApp Cloud API", "smtp": "SMTP"}
SETTINGS_HINT = {
    "sms": "LUCKYCHIT_MSG91_AUTHKEY and LUCKYCHIT_MSG91_TEMPLATES",
    "whatsapp": "LUCKYCHIT_WHATSAPP_TOKEN, LUCKYCHIT_WHATSAPP_PHONE_NUMBER_ID and "
    "LUCKYCHIT_WHATSAPP_TEMPLATES",
    "email": "LUCKYCHIT_SMTP_HOST",
}
"""What to set to give a channel its provider (the admin page's banner names it)."""


@dataclass(frozen=True)
class RoutingSender:
    """Sends each message with the sender registered for its channel, else with `default`."""

    routes: Mapping[str, Sender]
    default: Sender = field(default_factory=ConsoleSender)

    def send(self, message: Outgoing) -> Accepted:
        return self.routes.get(message.channel, self.default).send(message)

    def provider_for(self, channel: str) -> str:
        """The provider's short name ("msg91", "smtp", …) or "console"."""
        return str(getattr(self.routes.get(channel, self.default), "provider", "console"))


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


Builder = Callable[[Mapping[str, str]], Sender | None]


def _builders() -> dict[str, Builder]:
    return {"sms": msg91.from_env, "whatsapp": whatsapp.from_env, "email": smtp_sender.smtp_from_env}


def sender_from_env(env: Mapping[str, str] | None = None) -> RoutingSender:
    """Each configured provider on its channel; the console for the rest. A provider whose
    variables are set but wrong raises ValueError: messages then wait in the queue (nothing is
    lost) until the setting is fixed, and the admin page names the problem."""
    env = _env(env)
    routes: dict[str, Sender] = {}
    for channel, build in _builders().items():
        sender = build(env)
        if sender is not None:
            routes[channel] = sender
    return RoutingSender(routes=routes)


def delivery_status(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """channel -> "MSG91" / "WhatsApp Cloud API" / "SMTP (host)", or "console (not delivered)", or
    "misconfigured: <why>" when the variables are set but wrong."""
    env = _env(env)
    status: dict[str, str] = {}
    for channel, build in _builders().items():
        try:
            sender = build(env)
        except ValueError as exc:
            status[channel] = f"misconfigured: {exc}"
            continue
        if sender is None:
            status[channel] = CONSOLE
            continue
        name = PROVIDER_NAMES.get(str(getattr(sender, "provider", "")), "provider")
        status[channel] = f"{name} ({sender.host})" if isinstance(sender, smtp_sender.SmtpSender) else name
    return status


def configured_channels(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The channels that reach a person (a provider is set and its settings read correctly)."""
    return tuple(
        channel
        for channel, said in delivery_status(env).items()
        if said != CONSOLE and not said.startswith("misconfigured")
    )
