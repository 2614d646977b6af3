"""UPI direct: deep link and QR, UTR entry (12 digits, used once), the foreman's confirm/reject queue."""

from __future__ import annotations

import urllib.parse

import pytest
from sqlmodel import select

from luckychit_app.models import JournalEntry, Payment
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import upi
from luckychit_app.services.money.ledger import balance, ledger_check
from tests.services.helpers import active_group, foreman, member_actor, outstanding, snapshot

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE


@pytest.fixture(autouse=True)
def _ledger_check_after_each_test(request: pytest.FixtureRequest):
    """Whatever a test did, the books it leaves must pass ledger-check."""
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


@pytest.fixture
def setup(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, upi_vpa="ramesh.chits@okaxis")
    return boss, group_id, tickets, member_actor(tx, tickets[0])


def books_ok(tx):
    with tx() as s:
        assert ledger_check(s) == []


def test_the_deep_link_and_qr_carry_payee_amount_and_note():
    link = upi.upi_link(
        vpa="ramesh.chits@okaxis", payee="Ramesh Kumar", amount=1_000_050, note="LuckyChit Diwali T3"
    )
    assert link.startswith("upi://pay?")
    params = dict(urllib.parse.parse_qsl(link.split("?", 1)[1]))
    assert params == {
        "pa": "ramesh.chits@okaxis",
        "pn": "Ramesh Kumar",
        "am": "10000.50",
        "cu": "INR",
        "tn": "LuckyChit Diwali T3",
    }
    qr = upi.qr_data_uri(link)
    assert qr.startswith("data:image/svg+xml")


def test_a_utr_waits_for_the_foreman_then_posts_with_a_receipt(tx, setup):
    boss, group_id, (t1, *_), member = setup
    with tx() as s:
        p = upi.submit_utr(s, actor=member, ticket_id=t1, amount="10,000", utr="4123 4567 8901")
        assert (p.status, p.utr, p.receipt_no) == ("pending", "412345678901", None)
    assert outstanding(tx, t1, 1) == INSTALLMENT  # a claim is not money
    with tx() as s:
        assert s.exec(select(JournalEntry).where(JournalEntry.kind == "payment")).all() == []
        queue = upi.upi_queue(s, actor=boss, group_id=group_id)
        assert [(q["utr"], q["amount"]) for q in queue] == [("412345678901", "₹10,000")]
    with tx() as s:
        confirmed = upi.confirm_upi(s, actor=boss, payment_id=p.id)
        assert confirmed.status == "captured" and confirmed.receipt_no == 1
    with tx() as s:  # confirming twice is harmless
        assert upi.confirm_upi(s, actor=boss, payment_id=p.id).receipt_no == 1
        assert upi.upi_queue(s, actor=boss, group_id=group_id) == []
        assert balance(s, f"group:{group_id}:cash") == INSTALLMENT
    assert outstanding(tx, t1, 1) == 0
    books_ok(tx)


def test_the_foreman_can_correct_the_amount_to_what_arrived(tx, setup):
    boss, _, (t1, *_), member = setup
    with tx() as s:
        p = upi.submit_utr(s, actor=member, ticket_id=t1, amount="1,000", utr="999988887777")
    with tx() as s:
        assert upi.confirm_upi(s, actor=boss, payment_id=p.id, amount="10000").amount == INSTALLMENT
    assert outstanding(tx, t1, 1) == 0
    books_ok(tx)


def test_bad_and_reused_utrs_are_refused(tx, engine, setup):
    boss, _, (t1, t2, _), member = setup
    with tx() as s:
        p = upi.submit_utr(s, actor=member, ticket_id=t1, amount="100", utr="123456789012")
    before = snapshot(engine)
    for utr in (
        "12345678901",
        "1234567890123",
        "12345678901a",
        "",
        None,
        123456789012.0,
        True,
        ["123456789012"],
    ):
        with pytest.raises(ServiceError) as caught, tx() as s:
            upi.submit_utr(s, actor=member, ticket_id=t1, amount="100", utr=utr)
        assert caught.value.field == "utr", utr
    # The same UTR again, by the same member or another one, on any ticket.
    for actor, ticket in ((member, t1), (member_actor(tx, t2), t2)):
        with pytest.raises(ServiceError, match="already been used"), tx() as s:
            upi.submit_utr(s, actor=actor, ticket_id=ticket, amount="100", utr="123456789012")
    assert snapshot(engine) == before
    # A rejected UTR stays used: the same bank reference cannot be replayed.
    with tx() as s:
        rejected = upi.reject_upi(s, actor=boss, payment_id=p.id, reason="Not in the bank statement")
        assert rejected.status == "rejected"
    with pytest.raises(ServiceError, match="already been used"), tx() as s:
        upi.submit_utr(s, actor=member, ticket_id=t1, amount="100", utr="123456789012")
    with pytest.raises(ServiceError, match="rejected"), tx() as s:
        upi.confirm_upi(s, actor=boss, payment_id=p.id)
    books_ok(tx)


def test_only_the_ticket_holder_submits_and_only_the_groups_foreman_decides(tx, engine, setup):
    boss, _, (t1, t2, _), member = setup
    intruder = foreman(tx, name="Other Foreman")
    before = snapshot(engine)
    for actor in (member_actor(tx, t2), boss, intruder, None):
        with pytest.raises(NotAllowed), tx() as s:
            upi.submit_utr(s, actor=actor, ticket_id=t1, amount="100", utr="111122223333")
    assert snapshot(engine) == before
    with tx() as s:
        p = upi.submit_utr(s, actor=member, ticket_id=t1, amount="100", utr="111122223333")
    before = snapshot(engine)
    for actor in (member, intruder, None):
        with pytest.raises(NotAllowed), tx() as s:
            upi.confirm_upi(s, actor=actor, payment_id=p.id)
        with pytest.raises(NotAllowed), tx() as s:
            upi.reject_upi(s, actor=actor, payment_id=p.id, reason="nope nope")
    for bad in ("abc", -1, None, 2**40):
        with pytest.raises(ServiceError), tx() as s:
            upi.confirm_upi(s, actor=boss, payment_id=bad)
    with pytest.raises(ServiceError) as caught, tx() as s:
        upi.reject_upi(s, actor=boss, payment_id=p.id, reason="")
    assert caught.value.field == "reason"
    assert snapshot(engine) == before


def test_a_group_without_a_upi_id_takes_no_utrs(tx):
    boss = foreman(tx)
    _, (t1, *_) = active_group(tx, boss, tickets=2)
    with pytest.raises(ServiceError, match="UPI"), tx() as s:
        upi.submit_utr(s, actor=member_actor(tx, t1), ticket_id=t1, amount="100", utr="123456789012")
    with tx() as s:
        assert s.exec(select(Payment)).all() == []
