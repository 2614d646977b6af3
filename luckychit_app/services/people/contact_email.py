"""A member's email address (issue 18, item 3): kept only once a code sent to it proves it is theirs,
so receipts and reminders never go to a mistyped stranger's inbox.

The code is a one-time code of purpose "email" for the member's mobile number, so it shares the
per-number limit (3 codes in 15 minutes) and the lockout after wrong tries with sign-in codes
(services/people/auth). The address waits in `email_pending` until it is proved."""

from __future__ import annotations

import re

from sqlmodel import Session

from luckychit_app.clock import utcnow
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_role, user_of
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.messages import outbox
from luckychit_app.services.people import auth

PURPOSE = "email"
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
"""A practical address check (RFC 5321's full grammar admits forms no Indian mail provider issues);
the code sent to it is the real proof."""


def clean_email(value: object) -> str:
    if not isinstance(value, str):
        raise ServiceError("Enter an email address.", "email")
    email = value.strip()
    if not email:
        raise ServiceError("Enter an email address.", "email")
    # RFC 5321 s.4.5.3.1: at most 254 characters in a usable address; our column holds 120.
    if len(email) > 120 or not _EMAIL.fullmatch(email) or ".." in email:
        raise ServiceError("Enter a valid email address, like name@example.com.", "email")
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def request_code(session: Session, *, actor: Actor | None, email: object) -> str:
    """Email a 6-digit code to the address; it becomes the member's once the code comes back.
    Returns the clean address."""
    actor = require_role(actor, "member", "foreman")
    address = clean_email(email)
    user = user_of(session, actor)
    if user.email == address:
        raise ServiceError("This is already your email address.", "email")
    code = auth._new_code(session, user.mobile, PURPOSE)
    user.email_pending = address
    session.add(user)
    outbox.enqueue(
        session,
        channel="email",
        recipient=address,
        kind="email_code",
        subject="Your LuckyChit email code",
        body=f"Your LuckyChit code is {code}. Enter it on your profile page to add this email address. "
        "It expires in 10 minutes. If you did not ask for it, ignore this email.",
        params={"code": code},
        language=user.language,
    )
    audit.record(
        session,
        actor_id=actor.user_id,
        action="profile.email_code",
        object_type="user",
        object_id=actor.user_id,
        detail={"domain": address.rpartition("@")[2]},
    )
    return address


def verify(session: Session, *, actor: Actor | None, code: object) -> str:
    """The pending address becomes the member's email once `code` is right. Returns the address."""
    actor = require_role(actor, "member", "foreman")
    user = user_of(session, actor)
    if not user.email_pending:
        raise ServiceError("Send a code to your email address first.", "code")
    if not auth._spend_code(session, user.mobile, code, PURPOSE):
        raise ServiceError("That code is wrong or has expired.", "code")
    user.email, user.email_pending, user.email_verified_at = user.email_pending, None, utcnow()
    session.add(user)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="profile.email_verified",
        object_type="user",
        object_id=actor.user_id,
    )
    return user.email


def remove(session: Session, *, actor: Actor | None) -> None:
    """No email any more: nothing is sent there, email reminders stop."""
    actor = require_role(actor, "member", "foreman")
    user = user_of(session, actor)
    if not user.email and not user.email_pending:
        raise ServiceError("There is no email address to remove.", "email")
    user.email = user.email_pending = user.email_verified_at = None
    user.notify_email = False
    session.add(user)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="profile.email_removed",
        object_type="user",
        object_id=actor.user_id,
    )


def cancel(session: Session, *, actor: Actor | None) -> None:
    """Forget the address a code went to (a typo): the proved address, if any, stays."""
    actor = require_role(actor, "member", "foreman")
    user = user_of(session, actor)
    if not user.email_pending:
        raise ServiceError("No email address is waiting for its code.", "email")
    user.email_pending = None
    session.add(user)
