"""Getting back into an account (issue 18, item 5): a forgotten password is replaced after a one-time
code texted to the account's mobile proves the owner, and a member who cannot receive texts gets a
temporary password from the foreman of one of their groups, to be replaced at the next sign-in.

Both revoke every open session of the account: whoever held the old password (or a phone signed in
with it) is out. Requests for codes answer the same whether or not the number has an account, and
share the per-number code limit and lockout of sign-in codes (services/people/auth)."""

from __future__ import annotations

from sqlmodel import Session, select

from luckychit_app.models import User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_id, require_role, runs_a_group_of
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages import outbox
from luckychit_app.services.people import auth
from luckychit_app.services.validation import clean_mobile, clean_password

RESET = "reset"
WRONG_CODE = "That code is wrong or has expired."


def request_reset_code(session: Session, *, mobile: object) -> str:
    """Text a reset code to the number if it has an active account; the page says the same either way
    ("if the number has an account, a code was sent"), so the form does not tell who is registered.
    Returns the clean number the reset is then tied to."""
    number = clean_mobile(mobile)
    code = auth._new_code(session, number, RESET)
    user = session.exec(select(User).where(User.mobile == number, User.is_active)).first()
    if user is not None:
        outbox.enqueue(
            session,
            channel="sms",
            recipient=number,
            kind="reset_code",
            subject="LuckyChit password reset",
            body=f"Your LuckyChit password reset code is {code}. It expires in 10 minutes. "
            "If you did not ask for it, ignore this text: your password is unchanged.",
            params={"code": code},
            language=user.language,
        )
        audit.record(
            session, actor_id=user.id, action="auth.reset_requested", object_type="user", object_id=user.id
        )
    return number


def reset_password(
    session: Session, *, mobile: object, code: object, new: object, user_agent: str = ""
) -> str:
    """A new password for the number the reset code went to, every other session ended, and a session
    opened on this device (the owner has just proved the number). Returns its token."""
    number = clean_mobile(mobile)
    password = clean_password(new, "new")
    ok = auth._spend_code(session, number, code, RESET)
    user = session.exec(select(User).where(User.mobile == number, User.is_active)).first()
    if not ok or user is None:
        raise ServiceError(WRONG_CODE, "code")
    auth._refuse_stopped(session, user)
    user.password_hash = auth.hash_password(password)
    user.must_change_password = False
    session.add(user)
    auth.revoke_all(session, user_id=user.id)
    audit.record(
        session, actor_id=user.id, action="auth.password_reset", object_type="user", object_id=user.id
    )
    return auth.open_session(session, user, user_agent)


def _foreman_of(session: Session, actor: Actor | None, member_id: object) -> tuple[Actor, User]:
    """Only the foreman of a group the member holds a ticket in, and only for a member's account:
    a foreman cannot take over another foreman's, a staff member's or the admin's account this way."""
    actor = require_role(actor, "foreman")
    uid = require_id(member_id, "member")
    if uid == actor.user_id:
        raise ServiceError("Change your own password from your profile, not here.")
    user = session.get(User, uid)
    if user is None or not runs_a_group_of(session, actor.user_id, uid):
        raise NotAllowed()
    if user.role != "member":
        raise NotAllowed()
    if not user.is_active:
        raise ServiceError("This account is closed.")
    return actor, user


def issue_temporary_password(session: Session, *, actor: Actor | None, member_id: object) -> tuple[str, str]:
    """A temporary password for a member who cannot sign in (no phone for a code, say), which the
    foreman hands over in person or on a call. It works until the member chooses their own at the
    next sign-in (the password page is the only page until then); their open sessions end. The member
    is texted that it happened, so a reset they did not ask for does not go unnoticed.
    Returns (the member's name, the temporary password): shown once, never stored in clear."""
    actor, user = _foreman_of(session, actor, member_id)
    temp = auth.temporary_password()
    user.password_hash = auth.hash_password(temp)
    user.must_change_password = True
    session.add(user)
    auth.revoke_all(session, user_id=user.id)
    outbox.enqueue(
        session,
        channel="sms",
        recipient=user.mobile,
        kind="password_issued",
        subject="LuckyChit password reset",
        body=f"{actor.name} set a temporary password for your LuckyChit account. You will choose "
        "your own when you sign in. If you did not ask for this, call your foreman.",
        params={"foreman": actor.name},
        language=user.language,
    )
    audit.record(
        session,
        actor_id=actor.user_id,
        action="auth.temporary_password_issued",
        object_type="user",
        object_id=user.id,
        detail={"member": user.name},
    )
    return user.name, temp
