"""Receipts (page data, PDF and its download route), the passbook and cash position read from the
books, and the webhook HTTP route with the raw-body signature."""

from __future__ import annotations

from functools import partial

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from luckychit_app.api import payments as api_payments
from luckychit_app.db import transaction
from luckychit_app.gateways.test_gateway import TestGateway
from luckychit_app.models import GatewayEvent, Payment, User
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import online_checkout, passbook, receipts, refunds, upi
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.money.receipts import rupees_in_hindi_words, rupees_in_words
from luckychit_app.services.people import auth
from tests.services.helpers import active_group, conduct, foreman, member_actor, pay, pay_dues

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


def test_amounts_in_words_use_indian_grouping():
    assert rupees_in_words(1_00_000 * RUPEE) == "Rupees One Lakh Only"
    assert rupees_in_words(12_34_56_789 * RUPEE + 5) == (
        "Rupees Twelve Crore Thirty Four Lakh Fifty Six Thousand Seven Hundred Eighty Nine"
        " and Five Paise Only"
    )
    assert rupees_in_words(0) == "Rupees Zero Only"


def test_amount_in_hindi_words():
    assert rupees_in_hindi_words(1_00_000 * RUPEE) == "रुपये एक लाख मात्र"
    assert rupees_in_hindi_words(9_575 * RUPEE) == "रुपये नौ हज़ार पाँच सौ पचहत्तर मात्र"
    assert rupees_in_hindi_words(12_34_56_789 * RUPEE + 5) == (
        "रुपये बारह करोड़ चौंतीस लाख छप्पन हज़ार सात सौ नवासी और पाँच पैसे मात्र"
    )
    assert rupees_in_hindi_words(1_85_500 * RUPEE) == "रुपये एक लाख पचासी हज़ार पाँच सौ मात्र"
    assert rupees_in_hindi_words(0) == "रुपये शून्य मात्र"


def test_receipt_shows_what_the_money_paid_and_who_may_see_it(tx):
    boss = foreman(tx)
    _, (t1, t2, _) = active_group(tx, boss, tickets=3, upi_vpa="boss@okaxis")
    p = pay(tx, boss, t1, 12_000 * RUPEE)
    with tx() as s:
        data = receipts.receipt(s, actor=member_actor(tx, t1), payment_id=p.id)
    assert data["receipt_no"] == "MAIN/000001" and data["amount"] == "₹12,000" and data["method"] == "Cash"
    assert data["amount_words"] == "Rupees Twelve Thousand Only"
    assert [line["label"] for line in data["lines"]] == ["Month 1 installment", "Advance (for coming months)"]
    for actor in (member_actor(tx, t2), foreman(tx, name="Other"), None):
        with pytest.raises(NotAllowed), tx() as s:
            receipts.receipt(s, actor=actor, payment_id=p.id)
    with tx() as s:
        pending = upi.submit_utr(
            s, actor=member_actor(tx, t2), ticket_id=t2, amount="100", utr="123123123123"
        )
    with pytest.raises(ServiceError, match="waiting for confirmation"), tx() as s:
        receipts.receipt(s, actor=boss, payment_id=pending.id)


def test_the_pdf_has_the_rupee_sign_and_the_receipt_number(tx):
    boss = foreman(tx)
    _, (t1, *_) = active_group(tx, boss, tickets=2, chit_value="20,000")
    p = pay(tx, boss, t1, INSTALLMENT)
    with tx() as s:
        name, data = receipts.receipt_pdf(s, actor=boss, payment_id=p.id)
    assert name == "receipt-MAIN-000001.pdf" and data.startswith(b"%PDF-")
    assert b"DejaVu" in data  # the Unicode font is embedded, so "₹" prints as ₹


def test_passbook_and_cash_position_come_from_the_books(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    conduct(tx, boss, group_id)
    extra = pay(tx, boss, tickets[0], 15_000 * RUPEE)
    with tx() as s:
        refunds.create_refund(
            s,
            actor=boss,
            payment_id=extra.id,
            amount="2000",
            reason="Overpaid",
            idempotency_key="pb-refund-001",
        )
    member = member_actor(tx, tickets[0])
    with tx() as s:
        book = passbook.passbook(s, actor=member, ticket_id=tickets[0])
        cash = passbook.cash_position(s, actor=boss, group_id=group_id)
        mine = passbook.member_payments(s, actor=member)
    texts = [line["text"] for line in book["lines"] if line["sign"] != "prize"]
    # In date order: installments on their due dates (January, February), the payments today.
    assert texts[:2] == ["Month 1 installment", "Month 2 installment"]
    # A payment says what it paid for, its receipt numbered as the receipt prints it (issue 16).
    assert "Payment for month 1 installment, receipt MAIN/000001" in texts and "Refund paid to you" in texts
    assert "Payment for month 2 installment and advance for coming months, receipt MAIN/000004" in texts
    # 10,000 + 10,000 due, 10,000 + 15,000 paid, 2,000 refunded: ₹3,000 paid ahead.
    assert book["balance"] == "₹3,000 advance"
    assert (
        cash["cash"] == "₹43,000" and cash["prizes_payable"] == "₹28,500" and cash["commission"] == "₹1,500"
    )
    assert [p["amount"] for p in mine["payments"]] == ["₹15,000", "₹10,000"]
    with pytest.raises(NotAllowed), tx() as s:
        passbook.passbook(s, actor=member_actor(tx, tickets[1]), ticket_id=tickets[0])
    with tx() as s:
        assert ledger_check(s) == []


@pytest.fixture
def client(engine, monkeypatch):
    monkeypatch.setattr(api_payments, "transaction", partial(transaction, engine))
    monkeypatch.setattr(api_payments, "get_gateway", lambda: TestGateway(engine))
    from luckychit_app.api.routes import api

    return TestClient(api)


def test_webhook_route_checks_the_signature_over_the_raw_body(tx, engine, client):
    gateway = TestGateway(engine)
    boss = foreman(tx)
    _, (t1, *_) = active_group(tx, boss, tickets=2, chit_value="20,000")
    member = member_actor(tx, t1)
    info = online_checkout.start_checkout(tx=tx, gateway=gateway, actor=member, ticket_id=t1, amount="10000")
    gateway.simulate_checkout(info.order_id, succeed=True)
    body, headers = gateway.events_for_checkout(info.order_id)[0]

    tampered = client.post(
        "/api/razorpay/webhook", content=body.replace(b"captured", b"CAPTURED"), headers=headers
    )
    assert tampered.status_code == 400
    unsigned = client.post(
        "/api/razorpay/webhook", content=body, headers={"Content-Type": "application/json"}
    )
    assert unsigned.status_code == 400
    results = [client.post("/api/razorpay/webhook", content=body, headers=headers) for _ in range(3)]
    assert [(r.status_code, r.json()["status"]) for r in results] == [
        (200, "applied"),
        (200, "duplicate"),
        (200, "duplicate"),
    ]
    assert results[0].headers["cache-control"] == "no-store"
    huge = client.post("/api/razorpay/webhook", content=b"x" * 300_000, headers=headers)
    assert huge.status_code == 413
    with tx() as s:
        assert s.get(Payment, info.payment_id).status == "captured"
        assert len(s.exec(select(GatewayEvent)).all()) == 1


def test_receipt_pdf_route_needs_the_right_session(tx, engine, client):
    boss = foreman(tx)
    _, (t1, *_) = active_group(tx, boss, tickets=2, chit_value="20,000")
    p = pay(tx, boss, t1, INSTALLMENT)
    member_id = member_actor(tx, t1).user_id
    with tx() as s:
        own = auth.open_session(s, s.get(User, boss.user_id))
        member = s.get(User, member_id)
        member.must_change_password = False
        s.add(member)
        s.flush()
        member_token = auth.open_session(s, member)
    other = foreman(tx, name="Other Foreman")
    with tx() as s:
        other_token = auth.open_session(s, s.get(User, other.user_id))
    url = f"/api/receipts/{p.id}.pdf"
    assert client.get(url).status_code == 401
    assert client.get(url, cookies={"lc_session": "forged"}).status_code == 401
    assert client.get(url, cookies={"lc_session": other_token}).status_code == 403
    for token in (own, member_token):
        ok = client.get(url, cookies={"lc_session": token})
        assert ok.status_code == 200 and ok.headers["content-type"] == "application/pdf"
        assert ok.content.startswith(b"%PDF-")
    assert client.get(f"/api/receipts/{p.id + 99}.pdf", cookies={"lc_session": own}).status_code == 403
