"""A signed-in user's own settings: language, notification channels and open sessions."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist, utcnow
from luckychit_app.locales import CODES
from luckychit_app.models import AuthSession, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_id, require_role, user_of
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.people.auth import token_hash

LANGUAGES = CODES
"""What a user may read the app in (luckychit_app/locales: the one list)."""


def preferences(session: Session, *, actor: Actor | None) -> dict[str, object]:
    actor = require_role(actor, "member", "foreman", "admin")
    user = user_of(session, actor)
    return {
        "language": user.language,
        "notify_sms": user.notify_sms,
        "notify_email": user.notify_email,
        "notify_whatsapp": user.notify_whatsapp,
        "email": user.email or "",
        "email_pending": user.email_pending or "",
        "name": user.name,
        "mobile": user.mobile,
    }


def set_language(session: Session, *, actor: Actor | None, language: object) -> str:
    actor = require_role(actor, "member", "foreman", "admin")
    if language not in LANGUAGES:
        raise ServiceError("Choose one of the languages offered.", "language")
    user = user_of(session, actor)
    user.language = language
    session.add(user)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="profile.language",
        object_type="user",
        object_id=actor.user_id,
        detail={"language": language},
    )
    return language


def set_notifications(
    session: Session, *, actor: Actor | None, sms: object, email: object, whatsapp: object
) -> None:
    """The channels payment reminders go to (issue 18, item 3). Turning one off stops reminders there;
    sign-in codes, receipts and the notices the Act requires still go (services/messages/kinds.py)."""
    actor = require_role(actor, "member", "foreman", "admin")
    if not all(isinstance(v, bool) for v in (sms, email, whatsapp)):
        raise ServiceError("Invalid choice.")
    user = user_of(session, actor)
    if email and not user.email:
        raise ServiceError("Add an email address before choosing email notifications.", "email")
    user.notify_sms, user.notify_email, user.notify_whatsapp = sms, email, whatsapp
    session.add(user)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="profile.notifications",
        object_type="user",
        object_id=actor.user_id,
        detail={"sms": sms, "email": email, "whatsapp": whatsapp},
    )


def sessions(session: Session, *, actor: Actor | None, current_token: str = "") -> list[dict[str, str]]:
    actor = require_role(actor, "member", "foreman", "admin")
    rows = session.exec(
        select(AuthSession)
        .where(
            AuthSession.user_id == actor.user_id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > utcnow(),
        )
        .order_by(AuthSession.id.desc())
        .limit(20)
    ).all()
    mine = token_hash(current_token) if current_token else ""
    return [
        {
            "id": str(r.id),
            "device": (r.user_agent or "Unknown device")[:60],
            "since": format_datetime_ist(r.created_at),
            "current": "yes" if r.token_hash == mine else "",
        }
        for r in rows
    ]


def revoke_session(session: Session, *, actor: Actor | None, session_id: object) -> None:
    actor = require_role(actor, "member", "foreman", "admin")
    sid = require_id(session_id, "session")
    row = session.get(AuthSession, sid)
    if row is None or row.user_id != actor.user_id:
        raise NotAllowed()
    session.exec(
        update(AuthSession)
        .where(AuthSession.id == sid, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    audit.record(
        session, actor_id=actor.user_id, action="auth.session_revoked", object_type="session", object_id=sid
    )


def language_of(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.language if user else "en"
