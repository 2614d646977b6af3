"""In-app notifications (the bell). Written in the caller's transaction so they appear with the event.

A notification is stored twice over: in English (`title`, `body`: what every reader of another
language sees, and the fallback for a message without keys) and as i18n keys with their values
(`title_key`, `body_key`, `values_json`, migration 0010), from which it is written out again in the
READER's language each time the bell, the list or a toast reads it. So a member who switches to Tamil
reads last month's notifications in Tamil too, and one who switches back reads them in English."""

from __future__ import annotations

import json
import logging
import string
import urllib.parse
from collections.abc import Iterable, Mapping

from sqlalchemy import func, update
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.i18n import STRINGS, TABLES, text
from luckychit_app.models import Notification, User
from luckychit_app.services.access import Actor, require_id, require_role
from luckychit_app.services.errors import ServiceError

log = logging.getLogger("luckychit")

READERS = ("member", "foreman", "admin")
"""Who has notifications to read (staff see their work on their own pages)."""
WORD_VALUES = {"status": "ticketstatus"}
"""Values that are words, stored as their key's last part (a ticket's status "suspended") and written
out in the reader's language at read time ("ticketstatus.suspended"), like the message around them."""


def whatsapp_link(mobile: str, text: str = "") -> str:
    """A WhatsApp click-to-chat (wa.me) link to an Indian mobile number (country code 91), with the
    message filled in when there is one."""
    link = f"https://wa.me/91{mobile}"
    return f"{link}?text={urllib.parse.quote(text)}" if text else link


def placeholders(key: str) -> set[str]:
    """The `{names}` an i18n string needs (English and Hindi agree: tests/test_i18n.py)."""
    return {name for _, name, _, _ in string.Formatter().parse(STRINGS[key][0]) if name}


def _plain(value: object) -> str | int:
    """A value as JSON keeps it: whole numbers stay numbers, everything else its text."""
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _keys_that_fit(kind: str, title_key: str, body_key: str, values: dict[str, str | int]) -> tuple[str, str]:
    """The keys, or "" for one that does not exist or lacks a value: that message is then shown as
    stored (English) to everyone rather than failing the event it reports."""
    fitting = []
    for key in (title_key, body_key):
        if key and (key not in STRINGS or not placeholders(key) <= values.keys()):
            log.warning("notification %s: key %r unknown or a value missing; kept in English", kind, key)
            key = ""
        fitting.append(key)
    return fitting[0], fitting[1]


def notify(
    session: Session,
    user_ids: Iterable[int],
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    title_key: str = "",
    body_key: str = "",
    values: Mapping[str, object] | None = None,
) -> None:
    """Notify each user: `title`/`body` in English, and, when the message has them, the i18n keys
    (`title_key`, `body_key`) and the `values` that fill them, from which the bell writes it out in
    the reader's language when it is read (see `render`). A key's values are shown as stored: names,
    amounts and dates as they are; a word (a ticket's status) by its code under a name in
    `WORD_VALUES`, which `render` writes out in the reader's language. A message with a title key
    but no body key keeps its body as written (a reason the foreman typed, say)."""
    ids = sorted(set(user_ids))
    vals = {str(name): _plain(value) for name, value in (values or {}).items()}
    title_key, body_key = _keys_that_fit(kind, title_key, body_key, vals)
    stored = json.dumps(vals, ensure_ascii=False, sort_keys=True) if title_key or body_key else "{}"
    session.add_all(
        Notification(
            user_id=uid,
            kind=kind,
            title=title[:120],
            body=body[:500],
            link=link[:200],
            title_key=title_key,
            body_key=body_key,
            values_json=stored,
        )
        for uid in ids
    )


def render(note: Notification, lang: str) -> tuple[str, str]:
    """(title, body) of a notification in the reader's language `lang`: a reader of Hindi, Tamil,
    Telugu, Kannada or Malayalam gets the keys written out in their language, an English reader (and
    a message without keys) the English as stored. A key that no longer fits (renamed, a value
    missing) falls back to the English rather than failing."""
    title, body = note.title, note.body
    if lang == "en" or lang not in TABLES or not (note.title_key or note.body_key):
        return title, body
    try:
        values = _words_in(lang, json.loads(note.values_json or "{}"))
        if note.title_key:
            title = text(lang, note.title_key, **values)
        if note.body_key:
            body = text(lang, note.body_key, **values)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        log.warning("notification %s: cannot write out %r/%r", note.id, note.title_key, note.body_key)
        return note.title, note.body
    return title, body


def _words_in(lang: str, values: dict[str, object]) -> dict[str, object]:
    """The values with each word of `WORD_VALUES` in `lang` (one stored before, already a word in
    Hindi, is kept as it is)."""
    words = {}
    for name, family in WORD_VALUES.items():
        key = f"{family}.{values.get(name)}"
        if name in values and key in STRINGS:
            words[name] = text(lang, key)
    return values | words


def reader_language(session: Session, actor: Actor) -> str:
    """The reader's language as saved now (a switch on another device counts at once)."""
    return session.exec(select(User.language).where(User.id == actor.user_id)).first() or "en"


def unread_count(session: Session, *, actor: Actor) -> int:
    return session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
    ).one()


def recent(session: Session, *, actor: Actor, limit: int = 20) -> list[Notification]:
    return list(
        session.exec(
            select(Notification)
            .where(Notification.user_id == actor.user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        ).all()
    )


def mark_all_read(session: Session, *, actor: Actor) -> None:
    session.exec(
        update(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def safe_link(link: str) -> str:
    """A notification's link if it is a path of this app ("/receipts/7"), else "" (never another
    site: links are written by services, but a page follows them without asking)."""
    return link if link.startswith("/") and not link.startswith("//") and "\\" not in link else ""


def open_one(session: Session, *, actor: Actor | None, notification_id: object) -> str:
    """Mark one of the reader's own notifications read and return where it leads ("" for nowhere).
    Someone else's notification, or none, is refused alike, and nothing changes."""
    actor = require_role(actor, *READERS)
    nid = require_id(notification_id, "notification")
    note = session.exec(
        select(Notification).where(Notification.id == nid, Notification.user_id == actor.user_id)
    ).first()
    if note is None:
        raise ServiceError("There is no such notification.")
    if note.read_at is None:
        note.read_at = utcnow()
        session.add(note)
    return safe_link(note.link)
