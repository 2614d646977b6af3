"""Issue 18, item 3: an email address is kept only once a code sent to it comes back, bad input
changes nothing, and the reminder channels follow the member's switches."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from luckychit_app.models import OutboxMessage, User
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.people import contact_email, profile
from tests.services.helpers import active_group, foreman, member_actor, snapshot
from tests.services.people.test_auth import attempt


def _member(tx):
    owner = foreman(tx)
    _group, tickets = active_group(tx, owner, tickets=3)
    return member_actor(tx, tickets[1])


def _emailed_code(tx, address: str) -> str:
    with tx() as s:
        row = s.exec(
            select(OutboxMessage).where(OutboxMessage.recipient == address).order_by(OutboxMessage.id.desc())
        ).first()
    assert row is not None and row.channel == "email" and row.kind == "email_code"
    return re.search(r"\b(\d{6})\b", row.body).group(1)


def _user(tx, actor) -> User:
    with tx() as s:
        return s.get(User, actor.user_id)


def test_an_address_is_kept_once_its_code_comes_back(tx):
    member = _member(tx)
    with tx() as s:
        assert (
            contact_email.request_code(s, actor=member, email="  Lakshmi.R@Example.COM ")
            == "Lakshmi.R@example.com"
        )
    assert _user(tx, member).email is None and _user(tx, member).email_pending == "Lakshmi.R@example.com"
    with pytest.raises(ServiceError, match="wrong or has expired"):
        attempt(tx, lambda s: contact_email.verify(s, actor=member, code="000000"))
    code = _emailed_code(tx, "Lakshmi.R@example.com")
    with tx() as s:
        assert contact_email.verify(s, actor=member, code=code) == "Lakshmi.R@example.com"
    user = _user(tx, member)
    assert (user.email, user.email_pending) == ("Lakshmi.R@example.com", None) and user.email_verified_at
    with pytest.raises(ServiceError, match="first"):
        attempt(tx, lambda s: contact_email.verify(s, actor=member, code=code))  # used once
    # Email reminders can be turned on now, and removing the address turns them off.
    with tx() as s:
        profile.set_notifications(s, actor=member, sms=False, email=True, whatsapp=True)
    assert (_user(tx, member).notify_email, _user(tx, member).notify_whatsapp) == (True, True)
    with tx() as s:
        contact_email.remove(s, actor=member)
    assert (_user(tx, member).email, _user(tx, member).notify_email) == (None, False)


def test_a_new_address_waits_while_the_proved_one_stays(tx):
    member = _member(tx)
    with tx() as s:
        contact_email.request_code(s, actor=member, email="first@example.com")
    with tx() as s:
        contact_email.verify(s, actor=member, code=_emailed_code(tx, "first@example.com"))
    with tx() as s:
        contact_email.request_code(s, actor=member, email="second@example.com")
    assert (_user(tx, member).email, _user(tx, member).email_pending) == (
        "first@example.com",
        "second@example.com",
    )
    with tx() as s:
        contact_email.cancel(s, actor=member)  # a typo: the proved address stays
    assert (_user(tx, member).email, _user(tx, member).email_pending) == ("first@example.com", None)


def test_bad_addresses_and_callers_change_nothing(tx, engine):
    member = _member(tx)
    before = snapshot(engine)
    for bad in (
        "",
        "   ",
        "no-at-sign",
        "a@b",
        "a@@b.com",
        "a..b@example.com",
        "x" * 120 + "@e.com",
        None,
        7,
        "a b@c.com",
    ):
        with pytest.raises(ServiceError) as caught, tx() as s:
            contact_email.request_code(s, actor=member, email=bad)
        assert caught.value.field == "email"
    for call in (
        lambda s: contact_email.verify(s, actor=member, code="123456"),  # nothing pending
        lambda s: contact_email.cancel(s, actor=member),
        lambda s: contact_email.remove(s, actor=member),
        lambda s: profile.set_notifications(s, actor=member, sms=True, email=True, whatsapp=False),
        lambda s: profile.set_notifications(s, actor=member, sms=True, email=False, whatsapp="yes"),
    ):
        with pytest.raises(ServiceError), tx() as s:
            call(s)
    with pytest.raises(NotAllowed), tx() as s:
        contact_email.request_code(s, actor=None, email="a@example.com")
    assert snapshot(engine) == before
