"""Members' data rights (issue 21, item 2; Digital Personal Data Protection Act 2023 s.11, s.12):
the copy of a member's own data, and erasure refused while obligations are open, then done without
touching the books. SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import String, Text, func
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, select

from luckychit_app.models import AuditLog, Dispute, Payment, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages import disputes
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.people import auth, data_rights, kyc
from tests.services.groups.test_closing import close, completed_group
from tests.services.helpers import PASSWORD, active_group, foreman, member_actor, pay_dues, snapshot

NAME = "Zebulon Quarrington"
EMAIL = "zebulon.q@example.com"
ADDRESS = "12 Lotus Street, Mylapore"
PAN = "ABCPE1234F"
AADHAAR = "234123412346"
ACCOUNT = "001234567890"


def _personalise(tx, member) -> str:
    """Gives the member distinctive personal data (so a search can find any copy of it), a known
    password and full KYC; returns their mobile."""
    with tx() as s:
        user = s.get(User, member.user_id)
        user.name, user.email, user.address = NAME, EMAIL, ADDRESS
        user.password_hash, user.must_change_password = auth.hash_password(PASSWORD), False
        s.add(user)
        mobile = user.mobile
    with tx() as s:
        kyc.submit(
            s,
            actor=member,
            pan_number=PAN,
            aadhaar_number=AADHAAR,
            date_of_birth="1980-02-29",
            bank_account=ACCOUNT,
            ifsc="SBIN0001234",
            nominee_name="Kamala Devi",
            nominee_relation="mother",
        )
    return mobile


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _is_text(column) -> bool:
    """A text or varchar column (SQLModel's AutoString is a TypeDecorator, not a String)."""
    kind = getattr(column.type, "impl", column.type)
    return isinstance(kind, (String, Text))


def _texts_holding(engine, needle: str) -> list[str]:
    """Every (table.column) of every table whose text holds `needle`: SQLAlchemy's metadata lists
    the columns, so a table added later is searched too."""
    found = []
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if _is_text(column):
                    hits = conn.execute(
                        sa_select(func.count())
                        .select_from(table)
                        .where(column.contains(needle, autoescape=True))
                    ).scalar()
                    if hits:
                        found.append(f"{table.name}.{column.name}")
    return found


def test_the_export_holds_the_members_own_data_and_nobody_elses(tx):
    boss = foreman(tx)
    _group_id, ids = active_group(tx, boss, tickets=2)
    member, other = member_actor(tx, ids[0]), member_actor(tx, ids[1])
    mobile = _personalise(tx, member)
    pay_dues(tx, boss, ids, 1)
    with tx() as s:
        other_user = s.get(User, other.user_id)
        other_name, other_mobile = other_user.name, other_user.mobile
        data, filename = data_rights.export_member_data(s, member, audit_in=s)
    files = _unzip(data)
    assert filename.endswith(".zip") and "README.txt" in files
    profile = json.loads(files["profile.json"])
    assert (profile["name"], profile["mobile"], profile["email"]) == (NAME, mobile, EMAIL)
    assert profile["kyc"]["pan"] == PAN and profile["kyc"]["aadhaar"] == AADHAAR
    assert profile["kyc"]["bank_account"] == ACCOUNT
    assert [t["id"] for t in json.loads(files["tickets.json"])] == [ids[0]]
    assert {d["ticket_id"] for d in json.loads(files["dues.json"])} == {ids[0]}
    payments = json.loads(files["payments.json"])
    assert payments and {p["ticket_id"] for p in payments} == {ids[0]}
    assert [n for n in files if n.startswith("receipts/")], "the receipt PDF is in the archive"
    assert json.loads(files["draws.json"]), "the draws of the member's group, with their proofs"
    everything = b"".join(v for n, v in files.items() if not n.endswith(".pdf")).decode()
    assert other_mobile not in everything and other_name not in everything
    with tx() as s:
        logged = s.exec(select(AuditLog).where(AuditLog.action == "data.exported")).one()
        assert logged.actor_id == member.user_id and PAN not in logged.detail
        with pytest.raises(NotAllowed):
            data_rights.export_member_data(
                s, boss, audit_in=s
            )  # a foreman's account is the company's, not here


def test_erasure_is_refused_with_every_open_obligation_named(tx, engine):
    boss = foreman(tx)
    _group_id, ids = active_group(tx, boss, tickets=2)
    member = member_actor(tx, ids[0])
    pay_dues(tx, boss, [ids[1]], 1)
    with tx() as s:
        payment_id = s.exec(select(Payment.id).where(Payment.ticket_id == ids[1])).first()
    before = snapshot(engine)
    with tx() as s, pytest.raises(ServiceError) as refused:
        data_rights.request_erasure(s, member)
    assert "unpaid dues" in refused.value.message and "not closed" in refused.value.message
    assert snapshot(engine) == before
    with tx() as s:
        shown = data_rights.erasure_check(s, member)
    assert len(shown) == 2
    # An open query blocks too (the other member's, who has paid).
    other = member_actor(tx, ids[1])
    with tx() as s:
        disputes.raise_dispute(
            s, actor=other, subject_type="payment", subject_id=payment_id, title="Receipt", body="Where?"
        )
    with tx() as s:
        keys = [key for key, _ in data_rights.erasure_blockers(s, other.user_id)]
    assert "rights.block_query" in keys and "rights.block_dues" not in keys
    with tx() as s, pytest.raises(NotAllowed):
        data_rights.request_erasure(s, boss)


def test_erasure_after_the_close_removes_every_personal_field_and_keeps_the_books(tx, engine):
    boss = foreman(tx)
    group_id, tickets = completed_group(tx, boss)
    member = member_actor(tx, tickets[0])
    mobile = _personalise(tx, member)
    with tx() as s:
        token = auth.login(s, mobile=mobile, password=PASSWORD)
        # A query, answered and closed: its words are the member's, and go.
        payment_id = s.exec(select(Payment.id).where(Payment.ticket_id == tickets[0])).first()
        dispute = disputes.raise_dispute(
            s, actor=member, subject_type="payment", subject_id=payment_id, title="My receipt", body=NAME
        )
    with tx() as s:
        disputes.close_dispute(s, actor=boss, dispute_id=dispute.id)
    with tx() as s, pytest.raises(ServiceError, match="not closed"):
        data_rights.request_erasure(s, member)
    close(tx, boss, group_id)
    assert "users.name" in _texts_holding(engine, NAME)  # the search finds what is there
    with tx() as s:
        assert data_rights.erasure_check(s, member) == []
        alias = data_rights.request_erasure(s, member)

    with tx() as s:
        assert ledger_check(s) == []
        assert audit.verify_chain(s).ok
        user = s.get(User, member.user_id)
        assert user.name == f"Erased member {alias}" and not user.mobile.isdigit()
        assert s.exec(select(Ticket).where(Ticket.member_id == member.user_id)).all(), (
            "the books keep the ticket"
        )
        assert s.exec(select(Payment).where(Payment.ticket_id == tickets[0])).all()
        assert s.get(Dispute, dispute.id).title == "[erased]"
        erased = s.exec(select(AuditLog).where(AuditLog.action == "data.erased")).one()
        assert erased.actor_id == member.user_id and erased.object_id == str(member.user_id)
    for needle in (NAME, mobile, EMAIL, ADDRESS, PAN, AADHAAR, ACCOUNT, "Kamala Devi"):
        assert _texts_holding(engine, needle) == [], needle
    with tx() as s:
        assert auth.actor_for_token(s, token) is None
    with tx() as s, pytest.raises(ServiceError):
        auth.login(s, mobile=mobile, password=PASSWORD)
    with tx() as s, pytest.raises(NotAllowed):
        data_rights.export_member_data(s, member, audit_in=s)  # the account is gone


def test_the_retention_period_is_configurable_with_a_sane_default(monkeypatch):
    monkeypatch.delenv(data_rights.RETENTION_ENV, raising=False)
    assert data_rights.retention_years() == 8
    monkeypatch.setenv(data_rights.RETENTION_ENV, "10")
    assert data_rights.retention_years() == 10
    monkeypatch.setenv(data_rights.RETENTION_ENV, "forever")
    assert data_rights.retention_years() == 8
