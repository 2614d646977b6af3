"""Guarantors as records (issue 15; Chit Funds Act s.21(1)(e), s.31): a guarantor security names at
least one guarantor with name, mobile, relation, a PAN or Aadhaar number (validated, stored only
encrypted, shown masked) and the date they signed; every bad value is refused and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.crypto import decrypt
from luckychit_app.models import Guarantor, Payout, PrizeSecurity, Ticket, User
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import guarantors, payouts
from luckychit_app.services.money.ledger import ledger_check
from tests.services.helpers import active_group, conduct, foreman, member_actor, pay_dues, snapshot

PAN = "ABCPE1234F"
AADHAAR = "234123412346"  # a valid Verhoeff check digit
GOOD = {
    "name": "Suresh Babu",
    "mobile": "9876500001",
    "relation": "Brother",
    "kyc": PAN,
    "signed_on": "2026-01-15",
}


@pytest.fixture
def drawn(tx):
    """Month 1 paid and drawn: one payout payable."""
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, foreman_first_chit="")
    pay_dues(tx, boss, tickets, 1)
    conduct(tx, boss, group_id)
    with tx() as s:
        payout = s.exec(select(Payout)).one()
        holder = s.get(User, s.get(Ticket, payout.ticket_id).member_id)
    return boss, group_id, payout, holder


def _record(tx, boss, payout, *people, kind="guarantor", value="30000", description=""):
    with tx() as s:
        return payouts.record_security(
            s,
            actor=boss,
            payout_id=payout.id,
            kind=kind,
            value=value,
            description=description,
            guarantors=list(people),
        )


def test_a_guarantor_is_a_record_with_its_kyc_encrypted_and_shown_masked(tx, drawn):
    boss, group_id, payout, _ = drawn
    second = {**GOOD, "name": "Meera Babu", "mobile": "9876500002", "kyc": "2341 2341 2346"}
    security, warning = _record(tx, boss, payout, GOOD, second, value="20000")
    assert "below the legal cover" in warning  # ₹20,000 of guarantee for ₹20,000 of dues: 4/3 needed
    with tx() as s:
        rows = s.exec(
            select(Guarantor).where(Guarantor.security_id == security.id).order_by(Guarantor.id)
        ).all()
        assert [(g.name, g.mobile, g.relation, g.kyc_kind, g.kyc_last4) for g in rows] == [
            ("Suresh Babu", "9876500001", "Brother", "pan", "234F"),
            ("Meera Babu", "9876500002", "Brother", "aadhaar", "2346"),
        ]
        for g, plain in zip(rows, (PAN, AADHAAR), strict=True):
            assert plain not in g.kyc_encrypted
            context = f"guarantor:{security.id}:{g.kyc_kind}:{g.mobile}"
            assert decrypt(g.kyc_encrypted, context=context).decode() == plain
        assert s.get(PrizeSecurity, security.id).description == "Guarantor: Suresh Babu, Meera Babu"
        shown = payouts.payouts_for_group(s, actor=boss, group_id=group_id)[0]["securities"][0]
    assert "PAN XXXXXX234F" in shown["guarantors"] and "Aadhaar XXXX XXXX 2346" in shown["guarantors"]
    assert (
        "Suresh Babu (Brother), 9876500001" in shown["guarantors"]
        and "signed 15-01-2026" in shown["guarantors"]
    )
    assert PAN not in str(shown) and AADHAAR not in str(shown)


def test_the_cover_counts_the_guarantee_and_a_second_guarantor_can_be_added(tx, drawn):
    boss, _, payout, _ = drawn
    _, warning = _record(tx, boss, payout, GOOD, value="26667")
    assert warning == ""  # ₹26,667 covers ₹20,000 of remaining dues at 4/3
    with tx() as s:
        row, _ = payouts.add_guarantor(
            s, actor=boss, payout_id=payout.id, guarantor={**GOOD, "mobile": "9876500003", "kyc": AADHAAR}
        )
        assert (row.kyc_kind, row.kyc_last4) == ("aadhaar", "2346")
    with pytest.raises(ServiceError, match="already recorded"), tx() as s:
        payouts.add_guarantor(s, actor=boss, payout_id=payout.id, guarantor=GOOD)
    with tx() as s:
        assert len(s.exec(select(Guarantor)).all()) == 2
        assert ledger_check(s) == []


def test_a_guarantor_security_needs_a_guarantor_and_bad_details_change_nothing(tx, engine, drawn):
    boss, _, payout, holder = drawn
    intruder = foreman(tx, name="Intruder")
    before = snapshot(engine)
    tomorrow = (today_ist() + timedelta(days=1)).isoformat()
    bad_people = [
        ({}, "Name"),
        ("Suresh", "details"),
        ({**GOOD, "name": "S"}, "Name"),
        ({**GOOD, "name": None}, "Name"),
        ({**GOOD, "mobile": "12345"}, "mobile"),
        ({**GOOD, "mobile": holder.mobile}, "own guarantor"),
        ({**GOOD, "relation": ""}, "Relation"),
        ({**GOOD, "relation": "x" * 41}, "Relation"),
        ({**GOOD, "kyc": "ABCPE1234"}, "PAN"),
        ({**GOOD, "kyc": "ABCDE12345"}, "PAN"),
        ({**GOOD, "kyc": "234123412345"}, "Aadhaar"),
        ({**GOOD, "kyc": ""}, "PAN"),
        ({**GOOD, "kyc": 123412341234}, "PAN"),
        ({**GOOD, "kyc": "x" * 10_000}, "PAN"),
        ({**GOOD, "signed_on": tomorrow}, "future"),
        ({**GOOD, "signed_on": "1990-01-01"}, "Check the date"),
        ({**GOOD, "signed_on": "15/01/2026"}, "date"),
        ({**GOOD, "signed_on": None}, "date"),
    ]
    for person, match in bad_people:
        with pytest.raises(ServiceError, match=match), tx() as s:
            payouts.record_security(
                s,
                actor=boss,
                payout_id=payout.id,
                kind="guarantor",
                value="30000",
                description="",
                guarantors=[person],
            )
    cases = [
        ({"guarantors": []}, "needs its guarantor"),
        ({"guarantors": None}, "needs its guarantor"),
        ({"guarantors": "Suresh"}, "at most"),
        ({"guarantors": [GOOD] * 2}, "twice"),
        ({"guarantors": [{**GOOD, "mobile": f"98765000{i:02d}"} for i in range(6)]}, "at most 5"),
        ({"kind": "deposit", "description": "FD 1182", "guarantors": [GOOD]}, "go with a guarantor"),
        ({"description": ["x"], "guarantors": [GOOD]}, "Details"),
    ]
    for change, match in cases:
        args = {"kind": "guarantor", "value": "30000", "description": "", **change}
        with pytest.raises(ServiceError, match=match), tx() as s:
            payouts.record_security(s, actor=boss, payout_id=payout.id, **args)
    with pytest.raises(ServiceError, match="guarantor security first"), tx() as s:
        payouts.add_guarantor(s, actor=boss, payout_id=payout.id, guarantor=GOOD)
    for actor in (intruder, member_actor(tx, payout.ticket_id), None):
        with pytest.raises(NotAllowed), tx() as s:
            payouts.add_guarantor(s, actor=actor, payout_id=payout.id, guarantor=GOOD)
        with pytest.raises(NotAllowed), tx() as s:
            payouts.record_security(
                s,
                actor=actor,
                payout_id=payout.id,
                kind="guarantor",
                value="1",
                description="",
                guarantors=[GOOD],
            )
    assert snapshot(engine) == before


def test_after_the_release_no_security_or_guarantor_is_added(tx, drawn):
    boss, _, payout, _ = drawn
    _record(tx, boss, payout, GOOD)
    with tx() as s:
        payouts.release_payout(
            s,
            actor=boss,
            payout_id=payout.id,
            method="cash",
            reference="",
            paid_on=today_ist().isoformat(),
            deduction="10000",
        )
    for call in (
        lambda s: payouts.add_guarantor(
            s, actor=boss, payout_id=payout.id, guarantor={**GOOD, "mobile": "9876500009"}
        ),
        lambda s: payouts.record_security(
            s, actor=boss, payout_id=payout.id, kind="guarantor", value="1", description="", guarantors=[GOOD]
        ),
    ):
        with pytest.raises(ServiceError, match="already been released"), tx() as s:
            call(s)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(
        st.text(max_size=24),
        st.from_regex(r"[A-Z]{5}[0-9]{4}[A-Z]", fullmatch=True),
        st.from_regex(r"[2-9][0-9]{11}", fullmatch=True),
    )
)
def test_any_kyc_text_is_a_valid_number_or_a_clear_refusal(text):
    """PAN or Aadhaar, told apart by shape: whatever is typed, the answer is a number python-stdnum
    accepts (kept whole, last four shown) or a message on the KYC field - never a crash."""
    person = {**GOOD, "kyc": text}
    try:
        clean = guarantors.clean_guarantor(person, subscriber_mobile="9000000000")
    except ServiceError as exc:
        assert exc.field == "g_kyc" and exc.message
        return
    assert clean.kyc_kind in ("pan", "aadhaar")
    assert clean.kyc_number.replace(" ", "") == clean.kyc_number
    assert len(clean.kyc_number) == (10 if clean.kyc_kind == "pan" else 12)


def test_key_rotation_re_encrypts_guarantors_under_the_new_key(tx, drawn, monkeypatch):
    """A guarantor's PAN or Aadhaar follows the data key rotation like a member's KYC."""
    import base64

    from luckychit_app import crypto

    boss, _, payout, _ = drawn
    security, _ = _record(tx, boss, payout, GOOD, value="40000")
    old = crypto.keyring()
    new_key = "rot2:" + base64.b64encode(b"another-32-byte-key-for-testing!").decode()
    old_spec = ",".join(f"{k}:{base64.b64encode(v).decode()}" for k, v in old[1].items())
    monkeypatch.setenv("LUCKYCHIT_DATA_KEYS", f"{new_key},{old_spec}")
    crypto.keyring.cache_clear()
    try:
        with tx() as s:
            assert guarantors.rotate_keys(s) == 1
        with tx() as s:
            assert guarantors.rotate_keys(s) == 0
            row = s.exec(select(Guarantor).where(Guarantor.security_id == security.id)).one()
            assert row.kyc_encrypted.startswith("rot2:")
            context = f"guarantor:{security.id}:pan:{GOOD['mobile']}"
            assert decrypt(row.kyc_encrypted, context=context).decode() == PAN
    finally:
        crypto.keyring.cache_clear()
