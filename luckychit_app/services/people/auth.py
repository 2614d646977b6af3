"""Sign-in, sessions and passwords.

bcrypt is slow on purpose; callers in the UI run these functions in a worker thread. Unknown
mobiles still cost one bcrypt check, and lockout counts failures per mobile number whether or not
an account exists, so neither timing nor lockout reveals who is registered."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from datetime import timedelta

import bcrypt
from sqlalchemy import ColumnElement, Select, bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.models import (
    AuthSession,
    Company,
    LoginThrottle,
    OneTimeCode,
    StaffMember,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.access import OWNER, Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages import outbox
from luckychit_app.services.people.companies import found_company
from luckychit_app.services.validation import clean_mobile, clean_name, clean_password
from luckychit_app.settings import get_settings

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
CODE_TTL = timedelta(minutes=10)
CODES_PER_WINDOW = 3
BAD_LOGIN = "Mobile number or password is incorrect."
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _rounds() -> int:
    """Cost 12 in production; tests may lower it through the environment to stay fast."""
    return int(os.environ.get("LUCKYCHIT_BCRYPT_ROUNDS", "12"))


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(_rounds())).decode()


_DUMMY_HASH: str | None = None


def _check_password(password: str, hashed: str | None) -> bool:
    global _DUMMY_HASH
    if hashed is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password("not-a-real-password-1")
        bcrypt.checkpw(password.encode()[:72], _DUMMY_HASH.encode())
        return False
    return bcrypt.checkpw(password.encode()[:72], hashed.encode())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def temporary_password() -> str:
    """Readable over the phone: no 0/O or 1/l; always has a letter and a digit."""
    body = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(8))
    return body[:4] + "-" + body[4:] + str(secrets.randbelow(8) + 2)


def _throttle(session: Session, mobile: str) -> LoginThrottle:
    row = session.get(LoginThrottle, mobile)
    if row is None:
        row = LoginThrottle(mobile=mobile)
        session.add(row)
    return row


def _ensure_not_locked(row: LoginThrottle) -> None:
    if row.locked_until and row.locked_until > utcnow():
        minutes = max(1, int((row.locked_until - utcnow()).total_seconds() // 60) + 1)
        raise ServiceError(f"Too many failed attempts. Try again in {minutes} minutes.", "mobile")


def _register_failure(session: Session, row: LoginThrottle) -> None:
    row.failures += 1
    row.updated_at = utcnow()
    if row.failures >= MAX_FAILURES:
        row.locked_until = utcnow() + LOCKOUT
        row.failures = 0
    session.add(row)


def open_session(session: Session, user: User, user_agent: str = "") -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            user_id=user.id,
            token_hash=token_hash(token),
            expires_at=utcnow() + timedelta(hours=get_settings().session_hours),
            user_agent=user_agent[:200],
        )
    )
    return token


STOPPED = "This staff account has been stopped by the company's owner."


def _refuse_stopped(session: Session, user: User) -> None:
    """Every way of signing in calls this once the secret is proved and before anything is marked as
    a success: a staff account the owner stopped opens no session, whichever way it signs in."""
    if user.role == "staff" and actor_for_user_or_none(session, user.id) is None:
        raise ServiceError(STOPPED, "mobile")


def login(session: Session, *, mobile: object, password: object, user_agent: str = "") -> str:
    """Returns a new session token. Commit the session even on failure so that failures count."""
    number = clean_mobile(mobile)
    if not isinstance(password, str) or not password:
        raise ServiceError("Enter your password.", "password")
    throttle = _throttle(session, number)
    _ensure_not_locked(throttle)
    user = session.exec(select(User).where(User.mobile == number)).first()
    ok = _check_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.is_active:
        _register_failure(session, throttle)
        raise ServiceError(BAD_LOGIN, "password")
    _refuse_stopped(session, user)  # the password is right, but a stopped account opens no session
    throttle.failures = 0
    throttle.locked_until = None
    session.add(throttle)
    token = open_session(session, user, user_agent)
    audit.record(session, actor_id=user.id, action="auth.login", object_type="user", object_id=user.id)
    return token


_S, _U = AuthSession.__table__.c, User.__table__.c
_OWNED = Company.__table__.alias("owned")  # the company a foreman owns
_STAFF = StaffMember.__table__.alias("staff")
_EMPLOYER = Company.__table__.alias("employer")  # the company a staff member works for
# This runs before nearly every handler, so it is one indexed statement of plain columns selected
# from the tables (Core), not the ORM classes, whose statement compilation and cache keys cost about
# 40 % more CPU per lookup (docs/benchmarks.md §3f). With the company joins of issue 23 (three outer
# joins on unique keys) the check measured a median 631 µs of CPU per call against 626 µs before
# them, within that busy box's run-to-run spread (`python -m bench.session_lookup`,
# docs/benchmarks.md §3g, measured 2026-12-05).
_ACTOR_COLUMNS = (
    _U.id,
    _U.role,
    _U.name,
    _U.language,
    _U.is_active,
    _U.must_change_password,
    _OWNED.c.id,
    _STAFF.c.company_id,
    _EMPLOYER.c.owner_id,
    _STAFF.c.role,
    _STAFF.c.branch_id,
    _STAFF.c.active,
)


def _with_company(stmt: Select) -> Select:
    """The user's company: owned (foreman) or worked for (staff), by outer joins on unique keys."""
    return (
        stmt.outerjoin(_OWNED, _OWNED.c.owner_id == _U.id)
        .outerjoin(_STAFF, _STAFF.c.user_id == _U.id)
        .outerjoin(_EMPLOYER, _EMPLOYER.c.id == _STAFF.c.company_id)
    )


SESSION_ACTOR = _with_company(
    sa_select(_S.revoked_at, _S.expires_at, *_ACTOR_COLUMNS).join_from(
        AuthSession.__table__, User.__table__, _U.id == _S.user_id
    )
).where(_S.token_hash == bindparam("token_hash"))
_ACTOR_END = 2 + len(_ACTOR_COLUMNS)  # where a `session_statement`'s added columns start
_USER_ACTOR = _with_company(sa_select(*_ACTOR_COLUMNS).select_from(User.__table__)).where(
    _U.id == bindparam("user_id")
)


def _actor_of(row: Sequence) -> tuple[Actor, bool] | None:
    """(actor, must_change_password) from the `_ACTOR_COLUMNS` of a row, None for a stopped account."""
    (user_id, role, name, language, is_active, must_change, owned, staff_company, employer_owner,
     staff_role, staff_branch, staff_active) = row  # fmt: skip
    if not is_active:
        return None
    if role == "staff":
        if not staff_active:  # a staff member the owner stopped: no session works any more
            return None
        actor = Actor(user_id, role, name, language, staff_company, employer_owner, staff_role, staff_branch)
    elif role == "foreman":
        actor = Actor(user_id, role, name, language, owned, user_id, OWNER)
    else:
        actor = Actor(user_id=user_id, role=role, name=name, language=language)
    return actor, must_change


def session_statement(*also: ColumnElement) -> Select:
    """The session check reading more of the signed-in user in the same statement (scalar subqueries
    correlated with `users.id`), for `session_for_token`: one round trip instead of two."""
    return SESSION_ACTOR.add_columns(*also)


def session_values(token: object) -> dict[str, str] | None:
    """What a session check binds for `token`, or None for a token no session can have (the check
    runs on the event loop too: db_loop.fetch_one, state/session.py)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    return {"token_hash": token_hash(token)}


def session_of_row(row: Sequence | None) -> tuple[tuple[Actor, bool], Sequence] | None:
    """((actor, must_change_password), the values of the columns the statement adds) from the row a
    session check read, else None: no such session, or one revoked, expired or of a stopped account."""
    if row is None or row[0] is not None or row[1] <= utcnow():
        return None
    found = _actor_of(row[2:_ACTOR_END])
    return None if found is None else (found, row[_ACTOR_END:])


def session_for_token(
    session: Session | Connection, token: object, statement: Select
) -> tuple[tuple[Actor, bool], Sequence] | None:
    """`session_of_row` for a live session token, else None. `statement` is `SESSION_ACTOR` or one
    made by `session_statement`."""
    values = session_values(token)
    return None if values is None else session_of_row(session.execute(statement, values).first())


def actor_for_token(session: Session | Connection, token: object) -> tuple[Actor, bool] | None:
    """(actor, must_change_password) for a live session token, else None."""
    found = session_for_token(session, token, SESSION_ACTOR)
    return None if found is None else found[0]


def actor_for_user_or_none(session: Session, user_id: int) -> Actor | None:
    """The actor a user acts as, or None for a stopped account."""
    row = session.execute(_USER_ACTOR, {"user_id": user_id}).first()
    found = _actor_of(row) if row is not None else None
    return found[0] if found else None


def actor_for_user(session: Session, user_id: int) -> Actor:
    """The actor a user acts as, for work started without a browser (demo seeding, jobs, tests)."""
    actor = actor_for_user_or_none(session, user_id)
    if actor is None:
        raise NotAllowed("That account is not active.")
    return actor


def logout(session: Session, *, token: object) -> None:
    found = actor_for_token(session, token)
    if found is not None:
        audit.record(
            session,
            actor_id=found[0].user_id,
            action="auth.logout",
            object_type="user",
            object_id=found[0].user_id,
        )
    if isinstance(token, str):
        session.exec(
            update(AuthSession)
            .where(AuthSession.token_hash == token_hash(token), AuthSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_all(session: Session, *, user_id: int, except_token: str | None = None) -> int:
    stmt = update(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    if except_token:
        stmt = stmt.where(AuthSession.token_hash != token_hash(except_token))
    return session.exec(stmt.values(revoked_at=utcnow())).rowcount or 0


def change_password(
    session: Session, *, actor: Actor, current: object, new: object, token: str | None = None
) -> None:
    """Revokes every other session, so a stolen session dies with the old password."""
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotAllowed()
    if not isinstance(current, str) or not _check_password(current, user.password_hash):
        raise ServiceError("Current password is incorrect.", "current")
    password = clean_password(new, "new")
    if hmac.compare_digest(password, current):
        raise ServiceError("Choose a new password different from the current one.", "new")
    user.password_hash = hash_password(password)
    user.must_change_password = False
    session.add(user)
    revoke_all(session, user_id=user.id, except_token=token)
    audit.record(
        session, actor_id=user.id, action="auth.password_changed", object_type="user", object_id=user.id
    )


def sign_up_foreman(session: Session, *, name: object, mobile: object, code: object, password: object) -> str:
    """A new foreman's account, for the number the sign-up `code` was sent to (request_signup_code)."""
    clean = clean_name(name)
    pw = clean_password(password)
    number = prove_signup_code(session, mobile=mobile, code=code)
    user = User(mobile=number, name=clean, role="foreman", password_hash=hash_password(pw))
    session.add(user)
    session.flush()
    found_company(session, user)
    audit.record(
        session,
        actor_id=user.id,
        action="user.foreman_signed_up",
        object_type="user",
        object_id=user.id,
        detail={"name": clean},
    )
    return open_session(session, user)


def create_user(
    session: Session,
    *,
    name: str,
    mobile: str,
    role: str,
    created_by_id: int | None,
    password: str | None = None,
    language: str = "en",
) -> tuple[User, str]:
    """A new account with a one-time password (or the given one); returns (user, password)."""
    if session.exec(select(User.id).where(User.mobile == mobile)).first() is not None:
        raise ServiceError("An account with this mobile number already exists.", "mobile")
    temp = password or temporary_password()
    user = User(
        mobile=mobile,
        name=name,
        role=role,
        password_hash=hash_password(temp),
        must_change_password=password is None,
        created_by_id=created_by_id,
        language=language,
    )
    session.add(user)
    session.flush()
    if role == "foreman":
        found_company(session, user)
    return user, temp


def _new_code(session: Session, number: str, purpose: str) -> str:
    """A fresh 6-digit code of `purpose` for `number`, after the per-number limit: at most
    CODES_PER_WINDOW codes of each purpose per number in 15 minutes, so no form can be used to flood
    a phone with texts."""
    window_start = utcnow() - LOCKOUT
    recent = session.exec(
        select(OneTimeCode.id).where(
            OneTimeCode.mobile == number,
            OneTimeCode.purpose == purpose,
            OneTimeCode.created_at > window_start,
        )
    ).all()
    if len(recent) >= CODES_PER_WINDOW:
        raise ServiceError("Too many codes requested. Wait 15 minutes and try again.", "mobile")
    code = f"{secrets.randbelow(10**6):06d}"
    session.add(
        OneTimeCode(
            mobile=number,
            purpose=purpose,
            code_hash=token_hash(number + code),
            expires_at=utcnow() + CODE_TTL,
        )
    )
    return code


def _spend_code(session: Session, number: str, code: object, purpose: str) -> bool:
    """Whether `code` is the live code of `purpose` for `number`; a right code is used up. Brute
    force meets two limits: a code dies after MAX_FAILURES wrong tries, and every wrong try counts
    towards the number's lockout (as a wrong password does), whichever purpose it was for."""
    throttle = _throttle(session, number)
    _ensure_not_locked(throttle)
    if not isinstance(code, str) or not code.strip().isdigit() or len(code.strip()) != 6:
        raise ServiceError("Enter the 6-digit code.", "code")
    row = session.exec(
        select(OneTimeCode)
        .where(
            OneTimeCode.mobile == number,
            OneTimeCode.purpose == purpose,
            OneTimeCode.used_at.is_(None),
            OneTimeCode.expires_at > utcnow(),
        )
        .order_by(OneTimeCode.id.desc())
    ).first()
    if row is None or not hmac.compare_digest(row.code_hash, token_hash(number + code.strip())):
        if row is not None:
            row.attempts += 1
            if row.attempts >= MAX_FAILURES:
                row.used_at = utcnow()
            session.add(row)
        _register_failure(session, throttle)
        return False
    row.used_at = utcnow()
    session.add(row)
    throttle.failures = 0
    session.add(throttle)
    return True


def request_code(session: Session, *, mobile: object) -> None:
    """Queue a sign-in code through the outbox. The reply is the same whether or not the number
    has an account; requests are limited per number."""
    number = clean_mobile(mobile)
    code = _new_code(session, number, "signin")
    user = session.exec(select(User).where(User.mobile == number, User.is_active)).first()
    if user is not None:
        outbox.enqueue(
            session,
            channel="sms",
            recipient=number,
            kind="sign_in_code",
            subject="LuckyChit sign-in code",
            body=f"Your LuckyChit sign-in code is {code}. It expires in 10 minutes.",
            params={"code": code},
            language=user.language,
        )
        audit.record(
            session, actor_id=user.id, action="auth.code_requested", object_type="user", object_id=user.id
        )


def login_with_code(session: Session, *, mobile: object, code: object, user_agent: str = "") -> str:
    number = clean_mobile(mobile)
    ok = _spend_code(session, number, code, "signin")
    user = session.exec(select(User).where(User.mobile == number, User.is_active)).first()
    if not ok or user is None:
        raise ServiceError("That code is wrong or has expired.", "code")
    _refuse_stopped(session, user)  # the code is right, but a stopped account opens no session
    audit.record(session, actor_id=user.id, action="auth.login_code", object_type="user", object_id=user.id)
    return open_session(session, user, user_agent)


SIGNUP_TAKEN_TEXT = (
    "Someone asked to sign up to LuckyChit with this number, which already has an account. "
    "Sign in instead (a sign-in code works if you forgot the password). If it was not you, ignore this text."
)


def request_signup_code(session: Session, *, mobile: object) -> str:
    """Sign-up starts by proving the mobile number (issue 17, item 2). A new number is sent a code;
    a registered one is sent a text saying it already has an account. The page answers the same
    either way, so only the phone's owner learns whether the number is registered, and the per-number
    code limit and the per-address sign-up limit (state/auth_pages.over_limit) bound the texts.
    Returns the clean number, to which the sign-up itself is then tied."""
    number = clean_mobile(mobile)
    code = _new_code(session, number, "signup")
    taken = session.exec(select(User.id).where(User.mobile == number)).first() is not None
    outbox.enqueue(
        session,
        channel="sms",
        recipient=number,
        kind="signup_taken" if taken else "signup_code",
        subject="LuckyChit sign-up",
        body=SIGNUP_TAKEN_TEXT
        if taken
        else f"Your LuckyChit sign-up code is {code}. It expires in 10 minutes.",
        params={} if taken else {"code": code},
    )
    return number


def prove_signup_code(session: Session, *, mobile: object, code: object) -> str:
    """The clean mobile number, once `code` proves it (the sign-up code sent to it); else an error
    that says nothing of whether the number has an account."""
    number = clean_mobile(mobile)
    if not _spend_code(session, number, code, "signup"):
        raise ServiceError("That code is wrong or has expired.", "code")
    if session.exec(select(User.id).where(User.mobile == number)).first() is not None:
        # Registered since the code was sent (a foreman added them): only the number's owner,
        # who has just proved it, reads this.
        raise ServiceError("An account with this mobile number already exists. Sign in instead.", "mobile")
    return number
