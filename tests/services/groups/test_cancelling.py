"""Cancelling a group that never starts (issue 15, item 13): everything collected is refunded through
the books (cash at once, online through the gateway), members and applicants are told in the app
and by SMS, and the group is kept read-only. A started group is never cancelled."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from luckychit_app.domain import ledger as books
from luckychit_app.gateways.protocol import GatewayUnavailable
from luckychit_app.gateways.test_gateway import TestGateway
from luckychit_app.models import (
    AuditLog,
    ChitGroup,
    JoinRequest,
    Notification,
    OutboxMessage,
    Payment,
    Refund,
    Ticket,
)
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups import cancelling, closing, setup
from luckychit_app.services.money import offline_payments
from luckychit_app.services.money.allocation import apply_captured
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.services.money.online_capture import capture_online
from luckychit_app.services.people import members
from tests.services.helpers import (
    active_group,
    add_members,
    create_group,
    foreman,
    group_form,
    member_actor,
    new_mobile,
    signup_code,
    snapshot,
)

RUPEE = 100
REASON = "Only two of the five seats filled by the start date"


@pytest.fixture(autouse=True)
def _ledger_check_after_each_test(request: pytest.FixtureRequest):
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


@pytest.fixture
def gateway(engine):
    return TestGateway(engine)


def forming(tx, boss, seated: int = 2):
    """A 5-ticket group still forming: `seated` members and one applicant waiting by invite link."""
    group_id = create_group(tx, boss, tickets="5", foreman_first_chit="")
    tickets = add_members(tx, boss, group_id, seated)
    with tx() as s:
        code = s.get(ChitGroup, group_id).invite_code
    with tx() as s:
        mobile = new_mobile()
        members.sign_up_member(
            s,
            code=code,
            name="Asha Applicant",
            mobile=mobile,
            mobile_code=signup_code(s, mobile),
            password="pass-word-9",
        )
    return group_id, tickets


def cash_at_enrolment(tx, boss, ticket_id: int, paise: int) -> int:
    """Money the foreman took when the member enrolled (written as the counter writes it)."""
    with tx() as s:
        ticket = s.get(Ticket, ticket_id)
        group = s.get(ChitGroup, ticket.group_id)
        payment = offline_payments.payment_in_hand(
            s,
            group=group,
            ticket=ticket,
            paise=paise,
            method="cash",
            reference="Paid at enrolment",
            recorded_by_id=boss.user_id,
        )
        s.add(payment)
        s.flush()
        apply_captured(s, payment=payment, group=group, actor_id=boss.user_id)
        return payment.id


def online_at_enrolment(tx, gateway, ticket_id: int, paise: int) -> int:
    """Money a member paid online when enrolling, captured by the gateway."""
    order = gateway.create_order(amount=paise, receipt="enrolment", notes={})
    with tx() as s:
        ticket = s.get(Ticket, ticket_id)
        group = s.get(ChitGroup, ticket.group_id)
        payment = Payment(
            group_id=group.id,
            ticket_id=ticket.id,
            foreman_id=group.foreman_id,
            payer_id=ticket.member_id,
            amount=paise,
            method="online",
            status="pending",
            gateway_order_id=order["id"],
        )
        s.add(payment)
        s.flush()
        payment_id = payment.id
    response = gateway.simulate_checkout(order["id"], succeed=True)
    with tx() as s:
        capture_online(
            s,
            payment=s.get(Payment, payment_id),
            gateway_payment_id=response["razorpay_payment_id"],
            amount=paise,
            source="test",
            actor_id=None,
        )
    return payment_id


def cancel(tx, gateway, actor, group_id, reason=REASON):
    return cancelling.cancel_group(tx=tx, gateway=gateway, actor=actor, group_id=group_id, reason=reason)


def refused(engine, fn, match: str | None, error=ServiceError) -> None:
    before = snapshot(engine)
    with pytest.raises(error, match=match):
        fn()
    assert snapshot(engine) == before


def test_a_group_with_no_money_is_cancelled_and_everyone_told(tx, gateway):
    boss = foreman(tx)
    group_id, tickets = forming(tx, boss)
    summary = cancel(tx, gateway, boss, group_id)
    assert summary == {"refunded": "₹0", "payments": "0", "online": "0", "pending": "0", "failed": "0"}
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        assert group.status == "cancelled"
        request = s.exec(select(JoinRequest).where(JoinRequest.group_id == group_id)).one()
        assert (request.status, request.decided_by_id) == ("rejected", boss.user_id)
        told = s.exec(select(Notification).where(Notification.kind == "group_cancelled")).all()
        people = {s.get(Ticket, t).member_id for t in tickets} | {request.user_id}
        assert {n.user_id for n in told} == people
        assert all(REASON in n.body for n in told)
        sms = s.exec(select(OutboxMessage).where(OutboxMessage.channel == "sms")).all()
        assert len(sms) == len(people) and all("cancelled" in m.body for m in sms)
        audit = s.exec(select(AuditLog).where(AuditLog.action == "group.cancelled")).one()
        assert REASON in audit.detail


def test_everything_collected_is_refunded_through_the_books(tx, gateway):
    boss = foreman(tx)
    group_id, (t1, t2) = forming(tx, boss)
    cash_id = cash_at_enrolment(tx, boss, t1, 2_000 * RUPEE)
    online_id = online_at_enrolment(tx, gateway, t2, 1_500 * RUPEE)
    with tx() as s:
        assert balance(s, books.cash(group_id)) == 3_500 * RUPEE
        assert balance(s, books.receivable(t1)) == -2_000 * RUPEE
    summary = cancel(tx, gateway, boss, group_id)
    assert summary == {"refunded": "₹3,500", "payments": "2", "online": "1", "pending": "0", "failed": "0"}
    with tx() as s:
        rows = s.exec(select(Refund).order_by(Refund.payment_id)).all()
        assert [(r.payment_id, r.amount, r.status) for r in rows] == [
            (cash_id, 2_000 * RUPEE, "processed"),
            (online_id, 1_500 * RUPEE, "processed"),
        ]
        assert rows[1].gateway_refund_id  # sent back through the gateway
        assert {s.get(Payment, p).status for p in (cash_id, online_id)} == {"refunded"}
        assert balance(s, books.cash(group_id)) == 0
        assert balance(s, books.receivable(t1)) == 0 and balance(s, books.receivable(t2)) == 0
        bodies = [n.body for n in s.exec(select(Notification).where(Notification.kind == "group_cancelled"))]
        assert any("₹2,000 you paid is being refunded" in b for b in bodies)


def test_an_unreachable_gateway_leaves_the_refund_for_reconcile(tx, engine):
    class Down(TestGateway):
        def refund(self, **_kwargs):
            raise GatewayUnavailable("timeout")

    gateway = Down(engine)
    boss = foreman(tx)
    group_id, (_t1, t2) = forming(tx, boss)
    online_id = online_at_enrolment(tx, gateway, t2, 1_000 * RUPEE)
    summary = cancel(tx, gateway, boss, group_id)
    assert (summary["online"], summary["pending"]) == ("1", "1")
    with tx() as s:
        refund = s.exec(select(Refund)).one()
        assert (refund.payment_id, refund.status) == (online_id, "created")
        assert s.get(ChitGroup, group_id).status == "cancelled"
        assert balance(s, books.cash(group_id)) == 1_000 * RUPEE  # posted once the gateway confirms


def test_a_started_group_is_never_cancelled(tx, engine, gateway):
    boss = foreman(tx)
    group_id, _tickets = active_group(tx, boss, tickets=2, foreman_first_chit="")
    refused(engine, lambda: cancel(tx, gateway, boss, group_id), "has started and is in month 1")


def test_cancelling_is_the_foremans_with_a_reason_and_happens_once(tx, engine, gateway):
    boss = foreman(tx)
    group_id, tickets = forming(tx, boss)
    stranger = foreman(tx)
    member = member_actor(tx, tickets[0])
    for actor in (stranger, member, None):
        refused(engine, lambda actor=actor: cancel(tx, gateway, actor, group_id), None, NotAllowed)
    for junk in (None, "", "ab", 5, ["Seats not filled"], "x" * 201, "bad\x00reason"):
        refused(engine, lambda junk=junk: cancel(tx, gateway, boss, group_id, junk), "Reason")
    for junk in ("abc", -3, None, True, [group_id]):
        refused(engine, lambda junk=junk: cancel(tx, gateway, boss, junk), "Invalid group")
    cancel(tx, gateway, boss, group_id)
    refused(engine, lambda: cancel(tx, gateway, boss, group_id), "already cancelled")


def test_a_cancelled_group_is_read_only(tx, engine, gateway):
    boss = foreman(tx)
    group_id, tickets = forming(tx, boss)
    cancel(tx, gateway, boss, group_id)
    cancelled = "was cancelled: it is kept read-only"

    def call(fn, **kwargs):
        def run():
            with tx() as s:
                return fn(s, **kwargs)

        return run

    for fn, match in (
        (
            call(members.add_member, actor=boss, group_id=group_id, name="Late Comer", mobile=new_mobile()),
            "forming",
        ),
        (
            call(
                members.set_ticket_status, actor=boss, ticket_id=tickets[0], status="suspended", reason="Gone"
            ),
            cancelled,
        ),
        (call(setup.update_group, actor=boss, group_id=group_id, form=group_form(name="Renamed")), cancelled),
        (call(setup.activate_group, actor=boss, group_id=group_id), cancelled),
        (
            call(
                offline_payments.record_offline_payment,
                actor=boss,
                ticket_id=tickets[0],
                amount="100",
                method="cash",
            ),
            cancelled,
        ),
        (call(closing.settle_for_closing, actor=boss, group_id=group_id), "cancelled"),
        (call(closing.close_group, actor=boss, group_id=group_id), "cancelled"),
    ):
        refused(engine, fn, match)
    with tx() as s:
        code = s.get(ChitGroup, group_id).invite_code
    refused(engine, call(members.request_to_join, actor=member_actor(tx, tickets[0]), code=code), "no longer")
    with tx() as s:
        assert s.exec(select(func.count()).select_from(Ticket).where(Ticket.group_id == group_id)).one() == 2
