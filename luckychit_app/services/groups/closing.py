"""Closing a group after its last draw (issue 15, items 11 and 12), in three steps for the foreman:

1. **Settle for closing** (`settle_for_closing`): once every prize is released, every ticket's dues
   and late fees are paid and no collector holds the group's cash, one journal entry
   (``closing:{group}``) moves the dividend remainders carried forward to the seated tickets in
   equal shares (the chit agreement and DESIGN §2: the carry-forward "is paid out at closing"),
   the late-fee pool to the foreman or to the members as the agreement says (s.6 leaves it to the
   agreement), each advance back to its member and what is left of a prized member's security
   deposit back to them (Chit Funds Act s.21(1)(e): every subscription is paid, so the security has
   done its work), as refunds payable. Each ticket owed something
   gets a SubscriberRefund of kind "closing". Removed subscribers' refunds (kind "removal") kept for
   the close are payable now (Chit Funds Act s.30(3): within 15 days of the chit's termination).
2. **Pay each refund due**, closing shares and removed subscribers' refunds alike, with method,
   reference and date (services.money.subscriber_refunds: Dr the ticket's refund payable, Cr cash).
3. **Close** (`close_group`): refused while any refund is due; what the group's cash still holds
   (the foreman's commission and income) moves to the foreman's own cash (``close:{group}``), so
   every account of the group and its tickets is zero; the group is locked (services.groups.locking)
   and every member is told their no-dues certificate is ready.

Every refusal says what blocks and changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import to_ist, utcnow
from luckychit_app.domain import closing as rules
from luckychit_app.domain import ledger as books
from luckychit_app.domain.account_labels import TicketName, account_label
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import format_inr
from luckychit_app.domain.wording import plural
from luckychit_app.models import (
    ChitGroup,
    Draw,
    Installment,
    Payment,
    Payout,
    Refund,
    SubscriberRefund,
    Ticket,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups.locking import settled_for_closing
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.late_fees import late_fee_balances
from luckychit_app.services.money.ledger import balance, balances, custody_rows, post

REMOVED_REFUND_DAYS = 15
"""Chit Funds Act s.30(3): a removed subscriber never substituted is paid within 15 days of the
chit's termination (its last draw)."""
SHOWN = 5
"""Blockers named in one refusal; the panel lists them all."""


def locked_group(session: Session, actor: Actor | None, group_id: object) -> ChitGroup:
    """The foreman's group, row-locked so two closing steps never interleave."""
    group = group_for_foreman(session, actor, group_id)
    return session.exec(
        select(ChitGroup)
        .where(ChitGroup.id == group.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def status_refusal(group: ChitGroup) -> str | None:
    """Why a group in this status cannot be settled or closed (None for a completed group)."""
    if group.status == "completed":
        return None
    if group.status == "closed":
        return "This group is already closed."
    if group.status == "cancelled":
        return "This group was cancelled; a cancelled group is not closed."
    if group.status == "forming":
        return "This group has not started. A group that never starts is cancelled, not closed."
    return (
        f"Month {group.current_month}'s draw is still to be held: a group closes after its last draw "
        f"(month {group.tickets})."
    )


def _names(session: Session, group_id: int) -> dict[int, tuple[int, str, str, int]]:
    """Every ticket of the group: id -> (ticket no, member name, status, member id)."""
    return {
        t.id: (t.ticket_no, u.name, t.status, u.id)
        for t, u in session.exec(
            select(Ticket, User).join(User, User.id == Ticket.member_id).where(Ticket.group_id == group_id)
        ).all()
    }


def _label(names: dict[int, tuple[int, str, str, int]], ticket_id: int) -> str:
    no, name, _status, _member = names.get(ticket_id, (0, "?", "", 0))
    return f"ticket {no} ({name})"


def closing_blockers(session: Session, group: ChitGroup) -> list[str]:
    """Everything that must be done before the group can be settled or closed, in words."""
    found: list[str] = []
    names = _names(session, group.id)
    for payout, month in session.exec(
        select(Payout, Draw.month)
        .join(Draw, Draw.id == Payout.draw_id)
        .where(Payout.group_id == group.id, Payout.status != "released")
        .order_by(Draw.month)
    ).all():
        found.append(
            f"The month {month} prize of {format_inr(payout.gross)} to {_label(names, payout.ticket_id)} "
            "is not released yet."
        )
    seated = [tid for tid, (_, _, status, _) in names.items() if status != "removed"]
    owing: dict[int, int] = defaultdict(int)
    for tid, amount, paid in session.exec(
        select(Installment.ticket_id, Installment.amount, Installment.paid).where(
            Installment.group_id == group.id, Installment.paid < Installment.amount
        )
    ).all():
        if tid in seated:
            owing[tid] += int(amount) - int(paid)
    _fees, unpaid_fees = late_fee_balances(session, seated)
    books_now = balances(session, group_id=group.id)
    for tid in sorted(seated, key=lambda t: names[t][0]):
        dues = owing[tid] + max(0, unpaid_fees.get(tid, 0))
        owed = max(dues, books_now.get(books.receivable(tid), 0))
        if owed > 0:
            label = _label(names, tid)
            found.append(f"{label[0].upper()}{label[1:]} still owes {format_inr(owed)}.")
    custody = custody_rows(session, select(ChitGroup.id).where(ChitGroup.id == group.id))
    holders = {uid for _, _, uid, _ in custody}
    people = (
        dict(session.exec(select(User.id, User.name).where(User.id.in_(holders))).all()) if holders else {}
    )
    for _gid, _branch, holder, paise in custody:
        found.append(
            f"{format_inr(paise)} of the group's cash is still with {people.get(holder, 'a collector')}: "
            "it must be handed over first."
        )
    for pay in session.exec(
        select(Payment).where(Payment.group_id == group.id, Payment.status == "pending").order_by(Payment.id)
    ).all():
        what = "A UPI payment" if pay.method == "upi" else "An online payment"
        found.append(
            f"{what} of {format_inr(pay.amount)} for {_label(names, pay.ticket_id)} is waiting for "
            "confirmation: confirm or reject it first."
        )
    in_flight = session.exec(
        select(func.count())
        .select_from(Refund)
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Payment.group_id == group.id, Refund.status == "created")
    ).one()
    if in_flight:
        waiting = plural(in_flight, "refund is", "refunds are")
        found.append(f"{waiting} still waiting for the payment gateway.")
    return found


def _refuse(message: str, blockers: list[str]) -> ServiceError:
    more = f" (and {len(blockers) - SHOWN} more)" if len(blockers) > SHOWN else ""
    return ServiceError(f"{message} " + " ".join(blockers[:SHOWN]) + more)


def closing_plan(session: Session, group: ChitGroup) -> rules.ClosingPlan:
    """Where the group's remaining balances would go if it were settled now (all zero once it is)."""
    now = balances(session, group_id=group.id)
    tickets = session.exec(
        select(Ticket.id, Ticket.ticket_no)
        .where(Ticket.group_id == group.id, Ticket.status != "removed")
        .order_by(Ticket.ticket_no)
    ).all()
    # s.21(1)(e): a security deposit still held goes back to its member (every ticket's, so one
    # held for a ticket that is not seated is refused by the plan rather than left behind).
    deposits = {
        int(account.split(":")[1]): -amount
        for account, amount in now.items()
        if amount and books.account_kind(account) == "security_deposit"
    }
    try:
        return rules.plan_closing(
            carry=max(0, -now.get(books.carry_forward(group.id), 0)),
            late_fees=max(0, -now.get(books.penalty_income(group.id), 0)),
            late_fees_to=group.late_fee_pool_to,
            tickets=[(tid, no, min(0, now.get(books.receivable(tid), 0))) for tid, no in tickets],
            deposits=deposits,
        )
    except DomainError as exc:
        raise ServiceError(str(exc)) from exc


def termination_date(session: Session, group: ChitGroup) -> date | None:
    """The day of the group's last draw: when the chit terminates (s.30(3) counts from it)."""
    drawn = session.exec(
        select(Draw.drawn_at).where(Draw.group_id == group.id, Draw.month == group.tickets)
    ).first()
    return to_ist(drawn).date() if drawn else None


def removed_refund_due_by(session: Session, group: ChitGroup) -> date | None:
    """s.30(3): a removed subscriber's money is paid within 15 days of the chit's termination."""
    ended = termination_date(session, group)
    return ended + timedelta(days=REMOVED_REFUND_DAYS) if ended else None


def settle_for_closing(session: Session, *, actor: Actor | None, group_id: object) -> rules.ClosingPlan:
    """Step 1: post the settlement and record what each ticket is owed back. Returns the plan."""
    group = locked_group(session, actor, group_id)
    refused = status_refusal(group)
    if refused:
        raise ServiceError(refused)
    if settled_for_closing(session, group.id):
        raise ServiceError(
            "This group is already settled for closing: pay the refunds due, then close the group."
        )
    blockers = closing_blockers(session, group)
    if blockers:
        raise _refuse("The group cannot be settled for closing yet.", blockers)
    plan = closing_plan(session, group)
    if plan.empty:
        raise ServiceError(
            "There is nothing to settle: no remainders carried forward, late fees for the members, "
            "advances or security deposits to return. Close the group."
        )
    names = _names(session, group.id)
    # DESIGN §2 and the chit agreement (s.6): the carry-forward goes back to the members in equal
    # shares; the late-fee pool where the agreement says (late_fee_pool_to); advances to who paid them;
    # security deposits still held to their prized members (s.21(1)(e)).
    post(
        session,
        rules.closing_settled(group.id, group.foreman_id, plan),
        group_id=group.id,
        created_by_id=actor.user_id,
    )
    for share in plan.shares:
        if share.total:
            session.add(
                SubscriberRefund(
                    group_id=group.id,
                    ticket_id=share.ticket_id,
                    kind="closing",
                    member_id=names[share.ticket_id][3],
                    amount=share.total,
                    payable_at="close",
                    status="due",
                )
            )
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="group.settled_for_closing",
        object_type="group",
        object_id=group.id,
        detail={
            "carry_forward": plan.carry,
            "late_fees": plan.late_fees,
            "late_fees_to": plan.late_fees_to,
            "refunds": {str(s.ticket_no): s.total for s in plan.shares if s.total},
            "deposits": {str(s.ticket_no): s.deposit for s in plan.shares if s.deposit},
        },
    )
    for share in plan.shares:
        if share.total:
            notify(
                session,
                [names[share.ticket_id][3]],
                kind="closing_refund",
                title=f"{format_inr(share.total)} is due to you from {group.name} at its close",
                body="Your share of the amounts the group returns at its close; the foreman will pay it.",
                link="/m",
                title_key="notify.closing_share",
                body_key="notify.closing_share_body",
                values={"amount": format_inr(share.total), "group": group.name},
            )
    return plan


def _leftovers(session: Session, group: ChitGroup) -> list[str]:
    """Accounts of the group (but its cash) and of its tickets that are not zero: a defensive check,
    since settling and paying the refunds should have emptied them all."""
    names = _names(session, group.id)
    ticket_ids = set(names)
    # Named as every report names an account (domain/account_labels.py), from what is loaded here.
    tickets = {t: TicketName(member, group.name, no) for t, (no, member, _s, _m) in names.items()}
    out = []
    for account, amount in sorted(balances(session, group_id=group.id).items()):
        kind, _, rest = account.partition(":")
        ref = rest.split(":", 1)[0]
        ours = (kind == "group" and ref == str(group.id)) or (
            kind == "ticket" and ref.isdigit() and int(ref) in ticket_ids
        )
        if amount and ours and account != books.cash(group.id):
            label = account_label(account, groups={group.id: group.name}, tickets=tickets, people={})
            out.append(f"{label} is {format_inr(amount)}")
    return out


def close_group(session: Session, *, actor: Actor | None, group_id: object) -> ChitGroup:
    """Step 3: the group's remaining cash goes to the foreman, and the group is closed and locked."""
    group = locked_group(session, actor, group_id)
    refused = status_refusal(group)
    if refused:
        raise ServiceError(refused)
    blockers = closing_blockers(session, group)
    if blockers:
        raise _refuse("The group cannot be closed yet.", blockers)
    if not closing_plan(session, group).empty:
        raise ServiceError(
            "Settle the group for closing first: it still holds remainders, late fees, advances or "
            "security deposits that belong to its members."
        )
    names = _names(session, group.id)
    due = session.exec(
        select(SubscriberRefund)
        .where(SubscriberRefund.group_id == group.id, SubscriberRefund.status == "due")
        .order_by(SubscriberRefund.id)
    ).all()
    if due:
        raise _refuse(
            "Pay the refunds due before closing:",
            [f"{_label(names, r.ticket_id)} {format_inr(r.amount)}." for r in due],
        )
    left = _leftovers(session, group)
    if left:
        raise ServiceError("The books of this group are not settled: " + "; ".join(left[:SHOWN]) + ".")
    cash = balance(session, books.cash(group.id))
    if cash:
        # What is left is the foreman's own (the commission, DESIGN §2, and income the agreement
        # gives them): it leaves the group, whose every account is then zero (DESIGN §6).
        post(
            session,
            rules.group_closed(group.id, group.foreman_id, cash),
            group_id=group.id,
            created_by_id=actor.user_id,
        )
    group.status, group.closed_at, group.updated_at = "closed", utcnow(), utcnow()
    session.add(group)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="group.closed",
        object_type="group",
        object_id=group.id,
        detail={"to_foreman": cash},
    )
    seated = {t: v for t, v in names.items() if v[2] != "removed"}
    for tid, (no, _name, _status, member) in sorted(seated.items(), key=lambda kv: kv[1][0]):
        notify(
            session,
            [member],
            kind="group_closed",
            title=f"{group.name} is closed: your no-dues certificate for ticket {no} is ready",
            body="Every subscription is paid and nothing is due either way.",
            link=f"/api/no-dues/{tid}.pdf",
            title_key="notify.group_closed_certificate",
            body_key="notify.group_closed_certificate_body",
            values={"group": group.name, "n": no},
        )
    others = {v[3] for v in names.values() if v[2] == "removed"} - {v[3] for v in seated.values()}
    if others:
        notify(
            session,
            others,
            kind="group_closed",
            title=f"{group.name} is closed",
            link="/m",
            title_key="notify.group_closed",
            values={"group": group.name},
        )
    return group
