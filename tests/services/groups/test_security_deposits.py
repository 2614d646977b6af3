"""A prized subscriber's security deposit as money in the books (issue 15; Chit Funds Act s.21(1)(e),
s.32, s.33): received (cash, bank, UPI) or kept from the prize, held for the subscriber and not the
group's to pay out; after the written demand the foreman recovers the dues from it through a payment
of method "deposit" (dues, receipt, passbook and books agree, no cash counted twice); what is left
goes back at the close and the group closes at zero. Every refusal changes nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.domain import ledger as books
from luckychit_app.models import (
    AuditLog,
    ChitGroup,
    JournalEntry,
    Payment,
    PaymentAllocation,
    Payout,
    PrizeSecurity,
    SubscriberRefund,
    Ticket,
)
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups import closing, deposit_recovery, prize_defaults
from luckychit_app.services.money import (
    offline_payments,
    passbook,
    payouts,
    receipts,
    refunds,
    security_deposits,
    subscriber_refunds,
)
from luckychit_app.services.money.advances import available_cash
from luckychit_app.services.money.ledger import balance, balances, ledger_check
from tests.services.helpers import (
    active_group,
    conduct,
    foreman,
    member_actor,
    outstanding,
    pay,
    pay_dues,
    race,
    snapshot,
)

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE  # ₹30,000 in 3 tickets
PRIZE = 28_500 * RUPEE  # less 5 % commission
DEPOSIT = 15_000 * RUPEE


@pytest.fixture(autouse=True)
def _books_hold(request: pytest.FixtureRequest):
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


def _deposit(tx, boss, payout_id: int, value: str = "15000", **how) -> PrizeSecurity:
    how = how or {"method": "bank", "reference": "NEFT-DEP-77", "received_on": today_ist().isoformat()}
    with tx() as s:
        security, _warning = payouts.record_security(
            s, actor=boss, payout_id=payout_id, kind="deposit", value=value, description="Cash deposit", **how
        )
        return security


def _release(tx, boss, payout_id: int, deduction: str = "0") -> Payout:
    with tx() as s:
        return payouts.release_payout(
            s,
            actor=boss,
            payout_id=payout_id,
            method="bank",
            reference="NEFT-PRIZE-1",
            paid_on=today_ist().isoformat(),
            deduction=deduction,
        )


def _held(tx, ticket_id: int) -> int:
    with tx() as s:
        return security_deposits.held(s, ticket_id)


def _cash(tx, group_id: int) -> int:
    with tx() as s:
        return balance(s, books.cash(group_id))


def _recover(tx, boss, ticket_id, amount: object = None, key: str = "deposit-key-0001"):
    with tx() as s:
        return deposit_recovery.recover_from_deposit(
            s, actor=boss, ticket_id=ticket_id, amount=amount, request_key=key
        )


@pytest.fixture
def deposited(tx):
    return _deposited(tx, foreman(tx, name="Ramesh Kumar"))


def _deposited(tx, boss):
    """Month 1 paid and drawn; the winner paid a ₹15,000 deposit by bank and was paid the prize;
    month 2 (due 10-02-2026) is unpaid, so the prized ticket is in default with month 3 to come."""
    group_id, tickets = active_group(tx, boss, tickets=3, foreman_first_chit="")
    pay_dues(tx, boss, tickets, 1)
    draw = conduct(tx, boss, group_id)
    with tx() as s:
        payout = s.exec(select(Payout).where(Payout.group_id == group_id)).one()
    security = _deposit(tx, boss, payout.id)
    _release(tx, boss, payout.id)
    others = [t for t in tickets if t != draw.winner_ticket_id]
    return boss, group_id, draw.winner_ticket_id, others, security


def test_a_received_deposit_is_held_for_the_member_not_the_groups_to_pay_out(tx, deposited):
    boss, group_id, winner, _, security = deposited
    with tx() as s:
        entry = s.exec(
            select(JournalEntry).where(JournalEntry.key == f"security_deposit:{security.id}")
        ).one()
        assert entry.kind == books.KIND_SECURITY_DEPOSIT and "NEFT-DEP-77" in entry.memo
        assert balance(s, books.security_deposit(winner)) == -DEPOSIT
        # s.21(1)(e): the cash holds the deposit, but it is not the group's to pay out.
        assert balance(s, books.cash(group_id)) == 3 * INSTALLMENT - PRIZE + DEPOSIT
        assert available_cash(s, group_id=group_id) == 3 * INSTALLMENT - PRIZE
        rows = prize_defaults.prize_rows(s, actor=boss, group_id=group_id)
        audit = s.exec(select(AuditLog).where(AuditLog.action == "payout.security_recorded")).one()
    assert rows[0]["deposit_held"] == "held ₹15,000"
    assert rows[0]["securities"][0]["deposit"] == "received"
    assert not rows[0]["can_recover"]  # no written demand yet
    assert '"method": "bank"' in audit.detail


def test_receive_default_demand_recover_and_the_dues_receipt_passbook_and_books_agree(tx, engine, deposited):
    boss, group_id, winner, _, _security = deposited
    # Before the written demand the security is not touched (s.33).
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="written demand first"):
        _recover(tx, boss, winner)
    assert snapshot(engine) == before
    with tx() as s:
        demand = prize_defaults.demand(s, actor=boss, ticket_id=winner)
    assert demand.deposit == DEPOSIT and "₹15,000 of security deposit is held" in demand.summary()
    with tx() as s:
        row = prize_defaults.prize_rows(s, actor=boss, group_id=group_id)[0]
    # Overdue ₹10,000 (month 2) and the future ₹10,000 (month 3) after the demand; ₹15,000 is held.
    assert row["can_recover"] and row["recover_max"] == "₹15,000" and row["recover_rupees"] == "15000.00"
    cash = _cash(tx, group_id)
    with tx() as s:
        receivable_before = balance(s, books.receivable(winner))
    done = _recover(tx, boss, winner, amount="", key="deposit-key-0001")
    assert not done.replayed and done.payment.amount == DEPOSIT and done.held == 0
    assert "₹15,000 recovered from the security deposit" in done.summary()
    assert outstanding(tx, winner, 2) == 0  # month 2 paid from the deposit
    with tx() as s:
        payment = s.get(Payment, done.payment.id)
        assert (payment.method, payment.status, payment.payer_id) == (
            "deposit",
            "captured",
            s.get(Ticket, winner).member_id,
        )
        applied = s.exec(
            select(PaymentAllocation.amount).where(PaymentAllocation.payment_id == payment.id)
        ).all()
        assert sum(applied) == INSTALLMENT  # the rest is an advance for month 3 (s.32)
        entry = s.exec(select(JournalEntry).where(JournalEntry.key == f"payment:{payment.id}")).one()
        assert entry.kind == books.KIND_PAYMENT
        assert balance(s, books.security_deposit(winner)) == 0
        assert balance(s, books.receivable(winner)) == receivable_before - DEPOSIT
        # The cash came in with the deposit: the recovery moves none.
        assert balance(s, books.cash(group_id)) == cash
        slip = receipts.receipt(s, actor=boss, payment_id=payment.id)
        assert slip["amount"] == "₹15,000" and "security deposit" in slip["reference"]
        assert [ln["amount"] for ln in slip["lines"]] == ["₹10,000", "₹5,000"]  # month 2, advance
        book = passbook.passbook(s, actor=boss, ticket_id=winner)
        listed = [row for row in payments_rows(s, group_id) if row["id"] == str(payment.id)]
        assert listed and listed[0]["receipt_no"] != "—"
        audit = s.exec(select(AuditLog).where(AuditLog.action == deposit_recovery.ACTION)).one()
        assert audit.object_id == str(winner)
    assert any(f"{payment.receipt_no:06d}" in line["text"] for line in book["lines"])
    assert book["balance"] == "₹5,000 advance"
    assert slip["method"] == "Recovered from security deposit"
    # The deposit paid the dues; no money came in that could go back (s.21(1)(e)).
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="cannot be refunded"), tx() as s:
        refunds.create_refund(
            s,
            actor=boss,
            payment_id=payment.id,
            amount="1000",
            reason="Member asked",
            idempotency_key="refund-deposit-0001",
        )
    assert snapshot(engine) == before
    # A retried request (same key) returns the first recovery and writes nothing.
    before = snapshot(engine)
    again = _recover(tx, boss, winner, amount="", key="deposit-key-0001")
    assert again.replayed and again.payment.id == done.payment.id
    assert snapshot(engine) == before
    # Nothing is held any more.
    with pytest.raises(ServiceError, match="No security deposit is held"):
        _recover(tx, boss, winner, key="deposit-key-0002")
    assert snapshot(engine) == before


def payments_rows(s, group_id: int) -> list[dict[str, str]]:
    return receipts.payments_for_group(s, group=s.get(ChitGroup, group_id))


def test_bad_recoveries_are_refused_and_change_nothing(tx, engine, deposited):
    boss, group_id, winner, (plain, _), _security = deposited
    with tx() as s:
        prize_defaults.demand(s, actor=boss, ticket_id=winner)
    intruder = foreman(tx, name="Intruder")
    before = snapshot(engine)

    def refused(
        match, *, actor=boss, ticket_id=winner, amount=None, key="deposit-key-0009", error=ServiceError
    ):
        with pytest.raises(error, match=match), tx() as s:
            deposit_recovery.recover_from_deposit(
                s, actor=actor, ticket_id=ticket_id, amount=amount, request_key=key
            )
        assert snapshot(engine) == before

    refused(r"Only ₹15,000 is held", amount="15000.01")
    for junk in ("abc", "-5", "0", 2.5, [1], {"a": 1}, True, "9" * 40):
        refused("Amount", amount=junk)
    for junk in (None, "", "short", "x" * 65, "bad key!", 12345678, ["deposit-key-0009"]):
        refused("valid key", key=junk)
    for junk in (None, "abc", -1, 2.5, [1], True, 10**30):
        refused("Invalid ticket", ticket_id=junk)
    refused("has not won a prize", ticket_id=plain)
    for actor in (intruder, member_actor(tx, winner), None):
        refused("not allowed", actor=actor, error=NotAllowed)
    refused("not allowed", ticket_id=999_999, error=NotAllowed)
    # A closed or cancelled group takes no money.
    for status in ("closed", "cancelled"):
        with tx() as s:
            group = s.get(ChitGroup, group_id)
            group.status = status
            s.add(group)
        before = snapshot(engine)
        refused(status)
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        group.status = "active"
        s.add(group)
    # The member pays the overdue month: nothing is overdue, so the deposit stays as security.
    pay(tx, boss, winner, outstanding(tx, winner, 2))
    before = snapshot(engine)
    refused("nothing overdue now")
    assert _held(tx, winner) == DEPOSIT


def test_a_recovery_key_used_for_another_request_is_refused(tx, engine, deposited):
    boss, _group_id, winner, _, _security = deposited
    with tx() as s:
        prize_defaults.demand(s, actor=boss, ticket_id=winner)
    _recover(tx, boss, winner, amount="4000", key="deposit-key-0100")
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="already used"):
        _recover(tx, boss, winner, amount="5000", key="deposit-key-0100")
    assert snapshot(engine) == before
    # A second request recovers more, up to what is held and due.
    more = _recover(tx, boss, winner, amount="", key="deposit-key-0101")
    assert more.payment.amount == 11_000 * RUPEE and more.held == 0


def test_more_than_is_due_is_refused(tx, engine):
    """A deposit bigger than everything due: the recovery stops at the overdue and future dues."""
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, foreman_first_chit="")
    pay_dues(tx, boss, tickets, 1)
    draw = conduct(tx, boss, group_id)
    with tx() as s:
        payout = s.exec(select(Payout)).one()
    _deposit(tx, boss, payout.id, value="25000", method="cash", received_on=today_ist())
    _release(tx, boss, payout.id)
    winner = draw.winner_ticket_id
    with tx() as s:
        prize_defaults.demand(s, actor=boss, ticket_id=winner)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match=r"At most ₹20,000 is due"):
        _recover(tx, boss, winner, amount="20000.01")
    assert snapshot(engine) == before
    done = _recover(tx, boss, winner)
    assert done.payment.amount == 2 * INSTALLMENT and done.held == 5_000 * RUPEE
    with tx() as s:  # month 3 is settled by the advance when it is raised
        assert payouts.remaining_dues(s, ticket_id=winner) == 0


def test_a_deposit_kept_from_the_prize_is_held_and_paid_out_less(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, foreman_first_chit="")
    pay_dues(tx, boss, tickets, 1)
    draw = conduct(tx, boss, group_id)
    winner = draw.winner_ticket_id
    with tx() as s:
        payout = s.exec(select(Payout)).one()
    before = snapshot(engine)
    # The deposit must leave part of the prize to pay out.
    with pytest.raises(ServiceError, match="cannot hold this deposit"):
        _deposit(tx, boss, payout.id, value="28500", method="prize")
    assert snapshot(engine) == before
    security = _deposit(tx, boss, payout.id, value="20000", method="prize")
    assert _held(tx, winner) == 0  # nothing moves until the release
    with tx() as s:
        row = prize_defaults.prize_rows(s, actor=boss, group_id=group_id)[0]
    assert row["securities"][0]["deposit"] == "to be kept from the prize at its release"
    cash = _cash(tx, group_id)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="kept as the security deposit"):
        _release(tx, boss, payout.id, deduction="8500.01")
    assert snapshot(engine) == before
    released = _release(tx, boss, payout.id)
    with tx() as s:
        assert payouts.cash_paid(s, released) == PRIZE - 20_000 * RUPEE
        assert security_deposits.kept_from_prize(s, released) == 20_000 * RUPEE
        assert balance(s, books.prize_payable(winner)) == 0
        entry = s.exec(
            select(JournalEntry).where(JournalEntry.key == f"security_deposit:{security.id}")
        ).one()
        assert "kept from the prize" in entry.memo
        row = prize_defaults.prize_rows(s, actor=boss, group_id=group_id)[0]
    assert _held(tx, winner) == 20_000 * RUPEE
    assert _cash(tx, group_id) == cash - (PRIZE - 20_000 * RUPEE)
    assert "₹20,000 kept as the security deposit" in row["paid"] and row["deposit_held"] == "held ₹20,000"
    assert row["securities"][0]["deposit"] == "kept from the prize"


def test_how_a_deposit_came_in_is_checked_and_bad_details_change_nothing(tx, engine, deposited):
    boss, group_id, winner, others, _security = deposited
    pay_dues(tx, boss, [*others, winner], 2)
    draw = conduct(tx, boss, group_id)
    with tx() as s:
        payout = s.exec(select(Payout).where(Payout.draw_id == draw.id)).one()
    before = snapshot(engine)
    today = today_ist().isoformat()
    cases = [
        ({"method": None}, "how the deposit was received"),
        ({"method": "cheque"}, "how the deposit was received"),
        ({"method": ["cash"]}, "how the deposit was received"),
        ({"method": "bank", "reference": "", "received_on": today}, "Reference"),
        ({"method": "upi", "reference": "x" * 101, "received_on": today}, "Reference"),
        ({"method": "cash", "received_on": "2099-01-01"}, "future"),
        ({"method": "cash", "received_on": "2025-12-31"}, "before its draw"),
        ({"method": "cash", "received_on": "31/12/2026"}, "Date received"),
        ({"method": "cash", "received_on": None}, "Date received"),
        ({"method": "cash", "received_on": 20260101}, "Date received"),
    ]
    for how, match in cases:
        with pytest.raises(ServiceError, match=match), tx() as s:
            payouts.record_security(
                s, actor=boss, payout_id=payout.id, kind="deposit", value="5000", description="Deposit", **how
            )
    assert snapshot(engine) == before
    # Cash needs no reference; the other kinds ignore how money came in.
    _deposit(tx, boss, payout.id, value="5000", method="cash", received_on=today)
    with tx() as s:
        payouts.record_security(
            s,
            actor=boss,
            payout_id=payout.id,
            kind="property",
            value="5000",
            description="House deed",
            method="cheque",
        )
        assert security_deposits.held(s, payout.ticket_id) == 5_000 * RUPEE


def test_a_deposit_left_at_the_close_goes_back_and_the_group_closes_at_zero(tx, engine, deposited):
    """Part of the deposit recovered after a default, the rest of the dues paid: what is left of the
    deposit is the member's closing refund (s.21(1)(e)), and every account ends at zero."""
    boss, group_id, winner, others, _security = deposited
    with tx() as s:
        prize_defaults.demand(s, actor=boss, ticket_id=winner)
    _recover(tx, boss, winner, amount="4000", key="deposit-key-0200")
    for month in (2, 3):
        pay_dues(tx, boss, [winner, *others], month)
        draw = conduct(tx, boss, group_id)
        with tx() as s:
            payout = s.exec(select(Payout).where(Payout.draw_id == draw.id)).one()
            if payouts.remaining_dues(s, ticket_id=payout.ticket_id):
                payouts.record_security(
                    s, actor=boss, payout_id=payout.id, kind="property", value="20000", description="Deed 7"
                )
        _release(tx, boss, payout.id)
    pay_dues(tx, boss, [winner, *others], 3)
    with tx() as s:
        assert s.get(ChitGroup, group_id).status == "completed"
        plan = closing.closing_plan(s, s.get(ChitGroup, group_id))
    left = DEPOSIT - 4_000 * RUPEE
    assert _held(tx, winner) == left
    assert {sh.ticket_id: sh.deposit for sh in plan.shares if sh.deposit} == {winner: left}
    assert not plan.empty
    # Not closed while the deposit is held: settle first, then pay it back.
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="security deposits"), tx() as s:
        closing.close_group(s, actor=boss, group_id=group_id)
    assert snapshot(engine) == before
    with tx() as s:
        closing.settle_for_closing(s, actor=boss, group_id=group_id)
    assert _held(tx, winner) == 0
    with tx() as s:
        refund = s.exec(select(SubscriberRefund).where(SubscriberRefund.ticket_id == winner)).one()
        assert (refund.kind, refund.status, refund.amount) == ("closing", "due", left)
        assert balance(s, books.refunds_payable(winner)) == -refund.amount
    with pytest.raises(ServiceError, match="Pay the refunds due"), tx() as s:
        closing.close_group(s, actor=boss, group_id=group_id)
    with tx() as s:
        due = s.exec(select(SubscriberRefund).where(SubscriberRefund.status == "due")).all()
    for r in due:
        with tx() as s:
            subscriber_refunds.pay_subscriber_refund(
                s, actor=boss, refund_id=r.id, method="bank", reference="NEFT-BACK-1", paid_on=today_ist()
            )
    with tx() as s:
        closing.close_group(s, actor=boss, group_id=group_id)
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        ours = {str(t) for t in s.exec(select(Ticket.id).where(Ticket.group_id == group_id)).all()}
        left_over = {
            account: amount
            for account, amount in balances(s, group_id=group_id).items()
            if amount
            and (account.split(":")[0], account.split(":")[1])
            in {("group", str(group_id))} | {("ticket", t) for t in ours}
        }
        assert group.status == "closed" and left_over == {}


# --- racing a member's payment on PostgreSQL --------------------------------------------------------


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_recovery_racing_the_members_payment_keeps_the_books_right(tx, engine):
    """The member pays the overdue month while the foreman recovers from the deposit. Both lock the
    ticket, so one goes first: the payment first leaves nothing overdue and the recovery is refused;
    the recovery first takes ₹15,000 and the payment becomes an advance. Never both on the same due,
    never the deposit's cash counted twice, and the books pass ledger-check every round."""
    boss = foreman(tx)
    stories = set()
    for n in range(4):
        _boss, group_id, winner, _others, _security = _deposited(tx, boss)
        with tx() as s:
            prize_defaults.demand(s, actor=boss, ticket_id=winner)
        cash = _cash(tx, group_id)
        paid, recovered = race(
            engine,
            [
                lambda s, t=winner: (
                    offline_payments.record_offline_payment(
                        s, actor=boss, ticket_id=t, amount="10000", method="cash"
                    ).id
                ),
                lambda s, t=winner, key=f"deposit-race-{n:04d}": (
                    deposit_recovery.recover_from_deposit(
                        s, actor=boss, ticket_id=t, request_key=key
                    ).payment.amount
                ),
            ],
        )
        assert isinstance(paid, int), paid
        with tx() as s:
            assert ledger_check(s) == []
            receivable = balance(s, books.receivable(winner))
            held = security_deposits.held(s, winner)
        assert outstanding(tx, winner, 2) == 0
        # Only the member's ₹10,000 came in as cash; the recovery moved none.
        assert _cash(tx, group_id) == cash + INSTALLMENT
        if isinstance(recovered, Exception):  # the payment came first
            assert isinstance(recovered, ServiceError) and "nothing overdue" in recovered.message
            assert (held, receivable) == (DEPOSIT, 0)
            stories.add("payment first")
        else:
            assert recovered == DEPOSIT and held == 0
            assert receivable == -DEPOSIT  # ₹5,000 of the deposit and the ₹10,000 paid, in advance
            stories.add("recovery first")
    assert stories  # each round told one consistent story (which came first is the database's)
