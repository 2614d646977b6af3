"""The Act's paperwork of a group (issue 19, items 5-7): the chit agreement from the frozen terms
(s.6(1)), its PDF in the reader's language, the register of filings with the Registrar and what is
pending (s.7, s.9, s.10(2), s.18), and the foreman's security (s.20)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlmodel import select

from luckychit_app.models import AgreementParticulars, ChitGroup, RegistrarFiling, User
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.paperwork import agreement, registrar, security
from luckychit_app.services.reporting import pending_actions
from tests.services.helpers import (
    active_group,
    conduct,
    create_group,
    foreman,
    member_actor,
    pay_dues,
    snapshot,
)

TODAY = date(2026, 3, 1)


def _particulars(tx, boss, gid, **changes):
    values = {"draw_time": "10:30", "draw_place": "12 Anna Salai, Chennai", "approved_bank": "SBI, T Nagar"}
    values.update(changes)
    with tx() as s:
        return agreement.set_particulars(
            s, actor=boss, group_id=gid, inspection="Mon-Fri 10:00-17:00", **values
        )


def test_the_agreement_carries_every_particular_of_s6_from_the_terms(tx):
    boss = foreman(tx)
    gid, tickets = active_group(tx, boss, tickets=3, kind="auction", max_discount_pct="40")
    _particulars(tx, boss, gid)
    with tx() as s:
        s.get(User, member_actor(tx, tickets[0]).user_id).address = "4 Gandhi Road, Madurai"
    with tx() as s:
        v = agreement.agreement(s, actor=boss, group_id=gid)
    clauses = [r["clause"] for r in v["rows"]]
    assert clauses == [f"s.6(1)({c})" for c in "cdefghijlmno"]
    by = {r["clause"][-2]: r["value"] for r in v["rows"]}
    assert "3 instalments, monthly, of ₹10,000 per ticket" in by["c"]
    assert by["d"].startswith("From 10-01-2026 to 10-03-2026") or "to" in by["d"]
    assert "auction" in by["e"]
    assert "40%" in by["f"] and "₹12,000" in by["f"]
    assert "5%" in by["g"] and "₹1,500" in by["g"] and "recovered from the prize" in by["g"]
    assert "10:30" in by["h"] and "Anna Salai" in by["h"] and "day 10" in by["h"]
    assert by["j"] == "SBI, T Nagar"
    assert "3 unpaid instalments" in by["m"] and "₹1,500" in by["m"]
    assert by["o"] == "Mon-Fri 10:00-17:00"
    assert [sub["ticket"] for sub in v["subscribers"]] == ["1", "2", "3"]
    assert v["subscribers"][0]["address"] == "4 Gandhi Road, Madurai"
    assert len(v["dues"]) == 3 and v["dues"][0]["amount"] == "₹10,000"
    assert v["foreman"] and v["chit_value"] == "₹30,000"


def test_a_member_reads_their_own_groups_agreement_in_their_language_and_no_other(tx):
    boss = foreman(tx)
    gid, tickets = active_group(tx, boss)
    other_gid, _ = active_group(tx, foreman(tx, "Other Foreman"))
    member = dataclasses.replace(member_actor(tx, tickets[1]), language="ta")
    with tx() as s:
        for u in s.exec(select(User).where(User.role == "member")).all():
            u.address = f"{u.name} street"
    with tx() as s:
        v = agreement.agreement(s, actor=member, group_id=gid)
        name, pdf = agreement.agreement_pdf(s, actor=member, group_id=gid)
    assert v["title"] == "சீட்டு ஒப்பந்தம்"
    own = next(sub for sub in v["subscribers"] if sub["ticket"] == "2")
    assert own["address"].endswith("street")
    assert {sub["address"] for sub in v["subscribers"] if sub["ticket"] != "2"} == {"—"}
    assert pdf.startswith(b"%PDF") and name.endswith(".pdf")
    with tx() as s, pytest.raises(NotAllowed):
        agreement.agreement(s, actor=member, group_id=other_gid)
    with tx() as s, pytest.raises(NotAllowed):
        agreement.agreement_pdf(s, actor=member, group_id=other_gid)
    with tx() as s, pytest.raises(NotAllowed):
        agreement.agreement(s, actor=None, group_id=gid)


def test_the_foreman_and_the_admin_get_the_pdf_with_signature_blocks(tx):
    boss = foreman(tx)
    gid, _ = active_group(tx, boss)
    with tx() as s:
        name, pdf = agreement.agreement_pdf(s, actor=boss, group_id=gid)
        _, admin_pdf = agreement.agreement_pdf(s, actor=Actor(boss.user_id, "admin"), group_id=gid)
    assert name == "chit-agreement-diwali-savings.pdf"
    assert pdf.startswith(b"%PDF") and admin_pdf.startswith(b"%PDF")


def test_particulars_are_validated_and_frozen_once_the_agreement_is_filed(tx, engine):
    boss = foreman(tx)
    gid = create_group(tx, boss)
    before = snapshot(engine)
    with tx() as s, pytest.raises(ServiceError, match="time like"):
        agreement.set_particulars(s, actor=boss, group_id=gid, draw_time="25:00")
    assert snapshot(engine) == before
    with tx() as s, pytest.raises(NotAllowed):
        agreement.set_particulars(s, actor=foreman(tx, "Stranger"), group_id=gid, draw_time="10:00")
    _particulars(tx, boss, gid)
    with tx() as s:
        registrar.record_filing(
            s,
            actor=boss,
            group_id=gid,
            kind="agreement",
            filed_on="2026-01-02",
            reference="REG/2026/17",
            today=TODAY,
        )
    with tx() as s, pytest.raises(ServiceError, match="filed with the Registrar"):
        agreement.set_particulars(s, actor=boss, group_id=gid, draw_time="11:00")
    with tx() as s:
        assert s.get(AgreementParticulars, gid).draw_time == "10:30"


def test_the_register_lists_what_is_due_and_pending_actions_show_the_overdue(tx):
    boss = foreman(tx)
    gid, tickets = active_group(tx, boss)
    pay_dues(tx, boss, tickets, 1)
    conduct(tx, boss, gid)
    with tx() as s:
        rows = registrar.register(s, actor=boss, group_id=gid, today=TODAY)
    assert [(r["kind"], r["month"], r["status"]) for r in rows] == [
        ("agreement", "0", "overdue"),
        ("commencement", "0", "overdue"),
        ("copies", "0", "overdue"),
        ("minutes", "1", "pending"),
    ]
    with tx() as s:
        registrar.record_filing(
            s,
            actor=boss,
            group_id=gid,
            kind="agreement",
            filed_on="2025-12-20",
            reference="REG/17",
            today=TODAY,
        )
        registrar.record_filing(
            s,
            actor=boss,
            group_id=gid,
            kind="minutes",
            month="1",
            filed_on="2026-02-01",
            reference="MIN/1",
            today=TODAY,
        )
    with tx() as s:  # recording again corrects the row
        registrar.record_filing(
            s,
            actor=boss,
            group_id=gid,
            kind="agreement",
            filed_on="2025-12-21",
            reference="REG/17A",
            today=TODAY,
        )
        assert len(s.exec(select(RegistrarFiling).where(RegistrarFiling.group_id == gid)).all()) == 2
        rows = registrar.register(s, actor=boss, group_id=gid, today=TODAY)
        pending = pending_actions.pending_actions(s, actor=boss, today=TODAY)["filings"]
    assert rows[0]["status"] == "filed" and rows[0]["reference"] == "REG/17A"
    assert rows[3]["status"] == "filed"
    assert [p["id"] for p in pending] == [f"{gid}-commencement-0", f"{gid}-copies-0"]
    assert all(p["overdue"] == "yes" for p in pending)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "bylaws"}, "Choose what was filed"),
        ({"kind": "minutes", "month": "0"}, "Minutes are filed"),
        ({"kind": "agreement", "month": "2"}, "Minutes are filed"),
        ({"filed_on": "2026-03-02"}, "future"),
        ({"filed_on": "yesterday"}, "must be a date"),
        ({"reference": ""}, "Reference is required"),
    ],
)
def test_a_bad_filing_is_refused_and_changes_nothing(tx, engine, changes, message):
    boss = foreman(tx)
    gid, _ = active_group(tx, boss)
    args = {"kind": "agreement", "month": 0, "filed_on": "2026-01-02", "reference": "REG/1", **changes}
    before = snapshot(engine)
    with tx() as s, pytest.raises(ServiceError, match=message):
        registrar.record_filing(s, actor=boss, group_id=gid, today=TODAY, **args)
    assert snapshot(engine) == before


def test_only_the_groups_foreman_keeps_the_register(tx):
    boss = foreman(tx)
    gid, tickets = active_group(tx, boss)
    for who in (member_actor(tx, tickets[0]), foreman(tx, "Stranger"), None):
        with tx() as s, pytest.raises(NotAllowed):
            registrar.register(s, actor=who, group_id=gid)
        with tx() as s, pytest.raises(NotAllowed):
            registrar.record_filing(
                s, actor=who, group_id=gid, kind="agreement", filed_on="2026-01-02", reference="X"
            )


def test_the_security_is_recorded_weighed_against_s20_and_released_after_the_chit(tx):
    boss = foreman(tx)
    gid, tickets = active_group(tx, boss)  # a ₹30,000 chit
    with tx() as s:
        security.record_security(
            s,
            actor=boss,
            group_id=gid,
            form="cash",
            amount="15,000",
            reference="FD 991",
            bank="SBI, T Nagar",
            deposited_on="2025-12-15",
            today=TODAY,
        )
        v = security.securities(s, actor=boss, group_id=gid)
    assert not v["sufficient"] and "₹15,000 more in cash" in v["verdict"]
    with tx() as s:
        guarantee = security.record_security(
            s,
            actor=boss,
            group_id=gid,
            form="bank_guarantee",
            amount="15000",
            reference="BG 12",
            bank="Canara",
            deposited_on="2025-12-16",
            today=TODAY,
        )
        v = security.securities(s, actor=boss, group_id=gid)
        text = agreement.agreement(s, actor=boss, group_id=gid)["rows"][10]["value"]
    assert v["sufficient"] and "s.20(1)(a)" in v["verdict"]
    assert "FD 991" in text and "BG 12" in text
    with tx() as s, pytest.raises(ServiceError, match="after the chit has ended"):
        security.release_security(
            s, actor=boss, security_id=guarantee.id, released_on="2026-02-01", today=TODAY
        )
    with tx() as s:
        s.get(ChitGroup, gid).status = "completed"
    with tx() as s, pytest.raises(NotAllowed):
        security.release_security(
            s,
            actor=member_actor(tx, tickets[0]),
            security_id=guarantee.id,
            released_on="2026-02-01",
            today=TODAY,
        )
    with tx() as s, pytest.raises(ServiceError, match="between"):
        security.release_security(
            s, actor=boss, security_id=guarantee.id, released_on="2025-01-01", today=TODAY
        )
    with tx() as s:
        security.release_security(
            s, actor=boss, security_id=guarantee.id, released_on="2026-02-01", today=TODAY
        )
        v = security.securities(s, actor=boss, group_id=gid)
    assert not v["sufficient"] and v["rows"][0]["released_on"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"form": "gold"}, "form of the security"),
        ({"amount": "0"}, "Amount"),
        ({"amount": "-5"}, "Amount"),
        ({"deposited_on": "2026-03-05"}, "future"),
        ({"reference": " "}, "Reference is required"),
    ],
)
def test_a_bad_security_is_refused(tx, engine, changes, message):
    boss = foreman(tx)
    gid, _ = active_group(tx, boss)
    args = {"form": "cash", "amount": "1000", "reference": "FD 1", "deposited_on": "2026-01-01", **changes}
    before = snapshot(engine)
    with tx() as s, pytest.raises(ServiceError, match=message):
        security.record_security(s, actor=boss, group_id=gid, today=TODAY, **args)
    assert snapshot(engine) == before
