"""KYC at rest and the member's own settings, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import text

from luckychit_app import crypto
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.people import auth, kyc, profile
from tests.services.helpers import (
    PASSWORD,
    active_group,
    foreman,
    member_actor,
    new_mobile,
    snapshot,
)

PAN = "ABCPE1234F"
AADHAAR = "234123412346"  # valid Verhoeff checksum
DOB = "1985-07-20"
ACCOUNT = "123456789012"


def _member(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=2)
    return boss, member_actor(tx, tickets[0]), group_id


def test_kyc_is_stored_encrypted_and_shown_masked(tx, engine):
    _, member, _ = _member(tx)
    with tx() as s:
        kyc.submit(
            s, actor=member, pan_number=" abcpe1234f ", aadhaar_number="2341 2341 2346", date_of_birth=DOB
        )
    with tx() as s:
        shown = kyc.summary(s, actor=member)
    assert {k: shown[k] for k in ("status", "pan", "aadhaar")} == {
        "status": "submitted",
        "pan": "XXXXXX234F",
        "aadhaar": "XXXX XXXX 2346",
    }
    with engine.connect() as conn:
        raw = " ".join(str(v) for row in conn.execute(text("SELECT * FROM kyc_records")) for v in row)
    assert PAN not in raw and AADHAAR not in raw and "2341 2341" not in raw


@pytest.mark.parametrize(
    ("pan_number", "aadhaar_number", "field"),
    [
        ("ABCDE12345", "", "pan"),
        ("", "123412341234", "aadhaar"),
        ("", "", None),
        (["x"], "", "pan"),
        ("A" * 10_000, "", "pan"),
        ("", "2341234123467", "aadhaar"),
    ],
)
def test_bad_kyc_is_refused_and_changes_nothing(tx, engine, pan_number, aadhaar_number, field):
    _, member, _ = _member(tx)
    before = snapshot(engine)
    with pytest.raises(ServiceError) as caught, tx() as s:
        kyc.submit(s, actor=member, pan_number=pan_number, aadhaar_number=aadhaar_number)
    assert caught.value.field == field
    assert snapshot(engine) == before


def test_only_the_members_foreman_sets_kyc_status(tx):
    boss, member, _ = _member(tx)
    stranger = foreman(tx)
    with tx() as s:
        kyc.submit(s, actor=member, pan_number=PAN, date_of_birth=DOB)
    with pytest.raises(NotAllowed), tx() as s:
        kyc.set_status(s, actor=stranger, user_id=member.user_id, status="verified")
    with pytest.raises(NotAllowed), tx() as s:
        kyc.set_status(s, actor=member, user_id=member.user_id, status="verified")
    with tx() as s:
        kyc.set_status(s, actor=boss, user_id=member.user_id, status="verified")
    with tx() as s:
        assert kyc.summary(s, actor=member)["status"] == "verified"


def test_key_rotation_re_encrypts_under_the_new_key(tx, engine, monkeypatch):
    _, member, _ = _member(tx)
    with tx() as s:
        kyc.submit(
            s,
            actor=member,
            pan_number=PAN,
            aadhaar_number=AADHAAR,
            date_of_birth=DOB,
            bank_account=ACCOUNT,
            ifsc="SBIN0001234",
        )
    old = crypto.keyring()
    new_key = "rot2:" + base64.b64encode(b"another-32-byte-key-for-testing!").decode()
    old_spec = ",".join(f"{k}:{base64.b64encode(v).decode()}" for k, v in old[1].items())
    monkeypatch.setenv("LUCKYCHIT_DATA_KEYS", f"{new_key},{old_spec}")
    crypto.keyring.cache_clear()
    try:
        with tx() as s:
            assert kyc.rotate_keys(s) == 1
        with tx() as s:
            assert kyc.rotate_keys(s) == 0
        with engine.connect() as conn:
            token = conn.execute(
                text("SELECT pan_encrypted, bank_account_encrypted, key_id FROM kyc_records")
            ).one()
        assert token[0].startswith("rot2:") and token[1].startswith("rot2:") and token[2] == "rot2"
        admin = _admin(tx)
        with tx() as s:
            assert kyc.reveal_for_admin(s, actor=admin, user_id=member.user_id) == {
                "pan": PAN,
                "aadhaar": AADHAAR,
                "bank_account": ACCOUNT,
            }
    finally:
        monkeypatch.undo()
        crypto.keyring.cache_clear()


def _admin(tx):
    with tx() as s:
        user, _ = auth.create_user(
            s, name="Admin", mobile=new_mobile(), role="admin", created_by_id=None, password=PASSWORD
        )
        return Actor(user.id, "admin")


def test_language_and_notification_preferences(tx):
    _, member, _ = _member(tx)
    with tx() as s:
        profile.set_language(s, actor=member, language="hi")
    with pytest.raises(ServiceError), tx() as s:
        profile.set_language(s, actor=member, language="fr")
    with pytest.raises(ServiceError), tx() as s:
        # no email address on file
        profile.set_notifications(s, actor=member, sms=True, email=True, whatsapp=False)
    with pytest.raises(ServiceError), tx() as s:
        profile.set_notifications(s, actor=member, sms="yes", email=False, whatsapp=False)
    with tx() as s:
        profile.set_notifications(s, actor=member, sms=False, email=False, whatsapp=True)
        prefs = profile.preferences(s, actor=member)
    assert prefs["language"] == "hi" and prefs["notify_sms"] is False


def test_sessions_list_and_revoking_one_device(tx):
    with tx() as s:
        auth.create_user(
            s,
            name="Device Owner",
            mobile=(mobile := new_mobile()),
            role="member",
            created_by_id=None,
            password=PASSWORD,
        )
    with tx() as s:
        phone = auth.login(s, mobile=mobile, password=PASSWORD, user_agent="Phone")
    with tx() as s:
        laptop = auth.login(s, mobile=mobile, password=PASSWORD, user_agent="Laptop")
    with tx() as s:
        actor, _ = auth.actor_for_token(s, phone)
        devices = profile.sessions(s, actor=actor, current_token=phone)
    assert {d["device"] for d in devices} == {"Phone", "Laptop"}
    assert [d["device"] for d in devices if d["current"]] == ["Phone"]
    other = next(d for d in devices if d["device"] == "Laptop")
    intruder = _admin(tx)
    with pytest.raises(NotAllowed), tx() as s:
        profile.revoke_session(s, actor=intruder, session_id=other["id"])
    with tx() as s:
        profile.revoke_session(s, actor=actor, session_id=other["id"])
    with tx() as s:
        assert auth.actor_for_token(s, laptop) is None
        assert auth.actor_for_token(s, phone) is not None
