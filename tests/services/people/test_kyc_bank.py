"""KYC of issue 16: the date of birth (adults only), the bank account (encrypted, last four shown) and
IFSC, the nominee, and the foreman's review (verify, or reject with a reason the member is told); the
directory's KYC filter; invite links on the address the app was opened at. SQLite and PostgreSQL."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import select

from luckychit_app import crypto, settings
from luckychit_app.models import AuditLog, KycRecord, Notification, User
from luckychit_app.services.access import Actor
from luckychit_app.services.draws import draw_views
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages import notifications
from luckychit_app.services.people import auth, kyc, members, profile
from luckychit_app.services.reporting import group_settings, member_directory
from tests.services.helpers import (
    active_group,
    branch,
    conduct,
    foreman,
    member_actor,
    new_mobile,
    pay_dues,
    snapshot,
    staff,
)

PAN = "ABCPE1234F"
ACCOUNT = "0012 3456 7890 12"
FULL = {
    "pan_number": PAN,
    "date_of_birth": "1980-02-29",
    "bank_account": ACCOUNT,
    "ifsc": " sbin0001234 ",
    "nominee_name": "  Kamala   Devi ",
    "nominee_relation": "mother",
}


def _setup(tx, tickets: int = 2):
    boss = foreman(tx)
    group_id, ids = active_group(tx, boss, tickets=tickets)
    return boss, member_actor(tx, ids[0]), group_id, ids


def _submit(tx, member, **fields):
    with tx() as s:
        return kyc.submit(s, actor=member, **{**FULL, **fields}).status


def test_bank_account_is_encrypted_and_the_member_sees_it_masked(tx, engine):
    _, member, _, _ = _setup(tx)
    assert _submit(tx, member) == "submitted"
    with tx() as s:
        shown = kyc.summary(s, actor=member)
    assert shown["bank_account"] == "XXXX9012" and shown["ifsc"] == "SBIN0001234"
    assert shown["date_of_birth"] == "29-02-1980"
    assert (shown["nominee_name"], shown["nominee_relation"]) == ("Kamala Devi", "mother")
    with engine.connect() as conn:
        raw = " ".join(str(v) for row in conn.execute(text("SELECT * FROM kyc_records")) for v in row)
    assert "001234567890" not in raw and "34567890" not in raw
    with tx() as s:
        assert kyc.payee_account(s, member.user_id) == "A/c XXXX9012, IFSC SBIN0001234"
        # Which parts changed is audited, never the values.
        detail = s.exec(select(AuditLog.detail).where(AuditLog.action == "kyc.submitted")).one()
    assert "bank_account" in detail and "9012" not in detail


def test_blank_fields_keep_what_is_stored_and_any_change_is_reviewed_again(tx):
    boss, member, _, _ = _setup(tx)
    _submit(tx, member)
    with tx() as s:
        kyc.set_status(s, actor=boss, user_id=member.user_id, status="verified")
    with tx() as s:
        kyc.submit(s, actor=member, ifsc="HDFC0000001")  # a branch's new IFSC, same account
    with tx() as s:
        shown = kyc.summary(s, actor=member)
    assert shown["status"] == "submitted" and shown["ifsc"] == "HDFC0000001"
    assert shown["bank_account"] == "XXXX9012" and shown["pan"] == "XXXXXX234F"
    with pytest.raises(ServiceError, match="Nothing to save"), tx() as s:
        kyc.submit(s, actor=member, pan_number=" ", bank_account="")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"date_of_birth": ""}, "date_of_birth"),  # a first submission needs the date of birth
        ({"date_of_birth": "31-12-1990"}, "date_of_birth"),
        ({"date_of_birth": "2030-01-01"}, "date_of_birth"),
        ({"date_of_birth": "1890-01-01"}, "date_of_birth"),
        ({"date_of_birth": ["1990-01-01"]}, "date_of_birth"),
        ({"bank_account": "12345678"}, "bank_account"),  # 8 digits
        ({"bank_account": "1234567890123456789"}, "bank_account"),  # 19 digits
        ({"bank_account": "12345ABC901"}, "bank_account"),
        ({"bank_account": "000000000000"}, "bank_account"),
        ({"bank_account": 123456789012}, "bank_account"),
        ({"bank_account": "9" * 10_000}, "bank_account"),
        ({"ifsc": "SBIN1001234"}, "ifsc"),  # the fifth character is 0
        ({"ifsc": "SBI00001234"}, "ifsc"),  # four letters of the bank
        ({"ifsc": "SBIN000123"}, "ifsc"),  # 10 characters
        ({"ifsc": "SBIN0001234X"}, "ifsc"),
        ({"ifsc": "SBIN000123$"}, "ifsc"),
        ({"ifsc": ""}, "ifsc"),  # an account number needs its IFSC
        ({"ifsc": None}, "ifsc"),
        ({"ifsc": {"x": 1}}, "ifsc"),
        ({"bank_account": "", "ifsc": "SBIN0001234"}, "bank_account"),  # an IFSC needs an account
        ({"nominee_relation": "cousin"}, "nominee_relation"),
        ({"nominee_relation": ""}, "nominee_relation"),  # a nominee needs a relation
        ({"nominee_name": "", "nominee_relation": "son"}, "nominee_name"),
        ({"nominee_name": "K"}, "nominee_name"),
        ({"nominee_name": "K" * 81}, "nominee_name"),
        ({"nominee_name": 7}, "nominee_name"),
    ],
)
def test_bad_details_are_refused_with_their_field_and_change_nothing(tx, engine, fields, field):
    _, member, _, _ = _setup(tx)
    before = snapshot(engine)
    with pytest.raises(ServiceError) as caught, tx() as s:
        kyc.submit(s, actor=member, **{**FULL, **fields})
    assert caught.value.field == field
    assert snapshot(engine) == before


def test_adults_only_on_the_day_of_the_eighteenth_birthday(tx):
    _, member, _, _ = _setup(tx)
    today = date(2026, 6, 15)
    with pytest.raises(ServiceError, match="18 or older") as caught, tx() as s:
        kyc.submit(s, actor=member, pan_number=PAN, date_of_birth="2008-06-16", today=today)
    assert caught.value.field == "date_of_birth"
    with tx() as s:
        kyc.submit(s, actor=member, pan_number=PAN, date_of_birth="2008-06-15", today=today)
    # Born on 29 February: eighteen on 1 March of a year without that day.
    with pytest.raises(ServiceError, match="18 or older"), tx() as s:
        kyc.submit(s, actor=member, date_of_birth="2008-02-29", today=date(2026, 2, 28))
    with tx() as s:
        kyc.submit(s, actor=member, date_of_birth="2008-02-29", today=date(2026, 3, 1))
        assert s.exec(select(KycRecord.date_of_birth)).one() == date(2008, 2, 29)


def test_the_foreman_reviews_masked_and_rejects_with_a_reason_the_member_is_told(tx, engine):
    boss, member, _, _ = _setup(tx)
    with tx() as s:
        profile.set_language(s, actor=member, language="hi")
    _submit(tx, member)
    with tx() as s:
        seen = kyc.review(s, actor=boss, user_id=str(member.user_id), today=date(2026, 3, 1))
    assert seen["pan"] == "XXXXXX234F" and seen["bank_account"] == "XXXX9012"
    assert seen["date_of_birth"] == "29-02-1980 (age 46)" and seen["nominee"] == "Kamala Devi (Mother)"
    assert seen["can_verify"] == "yes" and seen["status"] == "submitted"
    assert PAN not in str(seen) and "001234567890" not in str(seen)
    before = snapshot(engine)
    for blank in ("", "   ", None, ["x"]):
        with pytest.raises(ServiceError), tx() as s:
            kyc.set_status(s, actor=boss, user_id=member.user_id, status="rejected", note=blank)
    assert snapshot(engine) == before
    with tx() as s:
        kyc.set_status(
            s, actor=boss, user_id=member.user_id, status="rejected", note="PAN does not match the card"
        )
    with tx() as s:
        shown = kyc.summary(s, actor=member)
        told = s.exec(
            select(Notification).where(Notification.user_id == member.user_id, Notification.kind == "kyc")
        ).all()
        record = s.exec(select(KycRecord)).one()
        again = kyc.review(s, actor=boss, user_id=member.user_id)
    assert shown["status"] == "rejected" and shown["review_note"] == "PAN does not match the card"
    assert record.reviewed_by_id == boss.user_id and record.reviewed_at is not None
    assert again["last_review"].startswith("Rejected by Ramesh Kumar")
    # Stored in English with its keys, read in the member's Hindi (issue 16: notifications.render).
    shown_hi = [(n.kind, notifications.render(n, "hi")[0], n.link) for n in told]
    assert shown_hi == [("kyc", "आपका केवाईसी स्वीकार नहीं हुआ", "/m/profile")]
    assert "PAN does not match the card" in told[0].body
    # Submitting again puts it back for review; the old reason is no longer shown to the member.
    _submit(tx, member, pan_number="", nominee_name="", nominee_relation="", date_of_birth="")
    with tx() as s:
        assert kyc.summary(s, actor=member)["review_note"] == ""
        kyc.set_status(s, actor=boss, user_id=member.user_id, status="verified", note="ignored")
    with tx() as s:
        assert kyc.summary(s, actor=member)["status"] == "verified"
        told = s.exec(select(Notification).where(Notification.user_id == member.user_id)).all()
        titles = [notifications.render(n, "hi")[0] for n in told]
    assert "आपका केवाईसी सत्यापित हो गया है" in titles


def test_who_may_review(tx, engine):
    boss, member, _, ids = _setup(tx)
    _submit(tx, member)
    stranger = foreman(tx, name="Stranger")
    other_member = member_actor(tx, ids[1])
    manager = staff(tx, boss, "branch_manager")
    before = snapshot(engine)
    for actor in (stranger, other_member, manager, None):
        with pytest.raises(NotAllowed), tx() as s:
            kyc.review(s, actor=actor, user_id=member.user_id)
        with pytest.raises(NotAllowed), tx() as s:
            kyc.set_status(s, actor=actor, user_id=member.user_id, status="verified")
    for bad in ("abc", -1, None, [1], 10**30):
        with pytest.raises(ServiceError), tx() as s:
            kyc.review(s, actor=boss, user_id=bad)
    with pytest.raises(ServiceError, match="verified or rejected"), tx() as s:
        kyc.set_status(s, actor=boss, user_id=member.user_id, status="approved")
    assert snapshot(engine) == before


def test_nobody_reviews_their_own_kyc_and_verifying_needs_a_date_of_birth(tx, engine):
    boss, member, _, ids = _setup(tx)
    # The foreman holds the first ticket of their own group (the foreman's first chit, s.21(1)(a)).
    with tx() as s:
        owner_seat = s.exec(select(User.id).where(User.id == boss.user_id)).one()
        kyc.submit(s, actor=boss, pan_number=PAN, date_of_birth="1970-01-01")
    with pytest.raises((ServiceError, NotAllowed)), tx() as s:
        kyc.set_status(s, actor=boss, user_id=owner_seat, status="verified")
    # A record from before the date of birth was asked for cannot be verified until completed.
    with tx() as s:
        s.add(KycRecord(user_id=member.user_id, pan_last4="234F", status="submitted"))
    with tx() as s:
        assert kyc.review(s, actor=boss, user_id=member.user_id)["can_verify"] == ""
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="date of birth"), tx() as s:
        kyc.set_status(s, actor=boss, user_id=member.user_id, status="verified")
    assert snapshot(engine) == before
    # Nothing submitted: nothing to review.
    with pytest.raises(ServiceError, match="not submitted"), tx() as s:
        kyc.set_status(s, actor=boss, user_id=member_actor(tx, ids[1]).user_id, status="verified")


def test_the_directory_lists_kyc_to_review_with_the_members_id(tx):
    boss, member, group_id, _ = _setup(tx, tickets=3)
    _submit(tx, member)
    with tx() as s:
        waiting, total = member_directory.member_rows(s, actor=boss, kyc_status="submitted")
        nothing, _ = member_directory.member_rows(s, actor=boss, kyc_status="verified")
        none, none_total = member_directory.member_rows(s, actor=boss, group_id=group_id, kyc_status="none")
    assert total == 1 and waiting[0]["member_id"] == str(member.user_id) and waiting[0]["kyc"] == "submitted"
    assert nothing == [] and none_total == 2 and {r["kyc"] for r in none} == {"none"}
    for bad in ("pending", ["submitted"], 1):
        with pytest.raises(ServiceError), tx() as s:
            member_directory.member_rows(s, actor=boss, kyc_status=bad)


def test_invite_links_use_the_address_the_app_was_opened_at(tx, monkeypatch):
    boss, _, group_id, _ = _setup(tx)
    monkeypatch.delenv("LUCKYCHIT_PUBLIC_URL", raising=False)
    settings.get_settings.cache_clear()
    try:
        with tx() as s:
            here = group_settings.group_invite(
                s, actor=boss, group_id=group_id, origin="http://192.168.1.20:3000"
            )
            code = here["link"].rsplit("/", 1)[1]
        assert here["link"] == f"http://192.168.1.20:3000/join/{code}"
        assert here["qr"].startswith("data:image/svg+xml")
        for forged in (
            "javascript:alert(1)",
            "http://a b",
            "http://x.test/path",
            None,
            ["x"],
            "ftp://x.test",
        ):
            assert members.invite_url(code, forged) == f"http://localhost:3000/join/{code}"
        assert members.invite_url(code, "https://chits.example.in") == f"https://chits.example.in/join/{code}"
        assert members.invite_url(code, "http://[::1]:3000") == f"http://[::1]:3000/join/{code}"
        monkeypatch.setenv("LUCKYCHIT_PUBLIC_URL", "https://luckychit.example.com/")
        settings.get_settings.cache_clear()
        assert (
            members.invite_url(code, "http://192.168.1.20:3000")
            == f"https://luckychit.example.com/join/{code}"
        )
    finally:
        monkeypatch.undo()
        settings.get_settings.cache_clear()


def test_minutes_are_read_by_the_group_its_foreman_and_staff_who_may_view_it(tx):
    boss, member, group_id, ids = _setup(tx, tickets=3)
    pay_dues(tx, boss, ids, 1)
    draw = conduct(tx, boss, group_id)
    readers = [member, boss, staff(tx, boss, "clerk"), staff(tx, boss, "accountant")]
    for reader in readers:
        with tx() as s:
            assert draw_views.minutes(s, actor=reader, draw_id=draw.id)["id"] == str(draw.id)
    elsewhere = branch(tx, boss, "Madurai", "MDU")
    refused = [
        staff(tx, boss, "agent"),  # collects in the field: no "view"
        staff(tx, boss, "clerk", branch_id=elsewhere),  # another branch
        foreman(tx, name="Stranger"),
        Actor(10**6, "member"),
        None,
    ]
    for outsider in refused:
        with pytest.raises(NotAllowed), tx() as s:
            draw_views.minutes(s, actor=outsider, draw_id=draw.id)


def test_rotation_re_encrypts_the_bank_account(tx, engine, monkeypatch):
    _, member, _, _ = _setup(tx)
    _submit(tx, member, pan_number="", aadhaar_number="234123412346")
    old = crypto.keyring()
    new_key = "rot3:" + base64.b64encode(b"yet-another-32-byte-key-testing!").decode()
    old_spec = ",".join(f"{k}:{base64.b64encode(v).decode()}" for k, v in old[1].items())
    monkeypatch.setenv("LUCKYCHIT_DATA_KEYS", f"{new_key},{old_spec}")
    crypto.keyring.cache_clear()
    try:
        with tx() as s:
            assert kyc.rotate_keys(s) == 1
        with engine.connect() as conn:
            pan, account = conn.execute(
                text("SELECT pan_encrypted, bank_account_encrypted FROM kyc_records")
            ).one()
        assert pan is None and account.startswith("rot3:")
        with tx() as s:
            admin, _ = auth.create_user(
                s, name="Admin", mobile=new_mobile(), role="admin", created_by_id=None
            )
            shown = kyc.reveal_for_admin(s, actor=Actor(admin.id, "admin"), user_id=member.user_id)
        assert shown == {
            "pan": "",
            "aadhaar": "234123412346",
            "bank_account": ACCOUNT.replace(" ", ""),
        }
    finally:
        monkeypatch.undo()
        crypto.keyring.cache_clear()


def test_a_change_after_a_key_rotation_moves_every_number_to_the_new_key(tx, engine, monkeypatch):
    _, member, _, _ = _setup(tx)
    _submit(tx, member, aadhaar_number="234123412346")
    old = crypto.keyring()
    new_key = "rot4:" + base64.b64encode(b"a-fourth-32-byte-key-for-testing").decode()
    old_spec = ",".join(f"{k}:{base64.b64encode(v).decode()}" for k, v in old[1].items())
    monkeypatch.setenv("LUCKYCHIT_DATA_KEYS", f"{new_key},{old_spec}")
    crypto.keyring.cache_clear()
    try:
        with tx() as s:
            kyc.submit(s, actor=member, nominee_name="Gita Babu", nominee_relation="sister")
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT pan_encrypted, aadhaar_encrypted, bank_account_encrypted, key_id FROM kyc_records"
                )
            ).one()
        assert all(token.startswith("rot4:") for token in row[:3]) and row[3] == "rot4"
        with tx() as s:
            assert kyc.rotate_keys(s) == 0  # nothing left under the old key
    finally:
        monkeypatch.undo()
        crypto.keyring.cache_clear()
