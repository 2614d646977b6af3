"""A prized subscriber's default (issue 15): the written demand and the notices to the guarantors.

Chit Funds Act 1982:
- s.32: a prized subscriber who defaults is liable to pay all the future subscriptions, and the
  foreman may recover them (with the dues) from the subscriber and from the security given under
  s.21(1)(e) / s.31 - the guarantors among it;
- s.33: no such claim without a written demand first. The demand is the in-app notice and an SMS
  through the outbox (written in this transaction, sent after it commits), naming what is overdue
  and the consolidated future subscriptions; every guarantor of the ticket's standing security gets
  a recovery notice by SMS with the same figures and the foreman's contact.

The ticket is marked defaulted (`Ticket.defaulted_at`, kept from the first demand). A demand is
made at most once per Indian calendar day per ticket: a second tap the same day sends nothing.

A security deposit is money the foreman holds for the subscriber (services/money/
security_deposits.py); the demand names what is held, and after it the foreman may recover the dues
from it (services/groups/deposit_recovery.py; s.21(1)(e), s.32).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from luckychit_app.clock import format_date, ist_day_bounds, to_ist, today_ist, utcnow
from luckychit_app.domain.money import format_inr
from luckychit_app.models import (
    AuditLog,
    ChitGroup,
    Company,
    Guarantor,
    Payout,
    PrizeSecurity,
    Ticket,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.locking import refuse_if_locked
from luckychit_app.services.messages import outbox
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.messages.reminders import pay_link
from luckychit_app.services.money import guarantors as sureties
from luckychit_app.services.money import payouts
from luckychit_app.services.money import security_deposits as deposits
from luckychit_app.services.money.amount_due import GroupBooks, TicketMoney, owed, still_to_pay, ticket_money
from luckychit_app.services.money.dues import PAYING_GROUP

DEMAND_ACTION = "prize_default.demanded"


@dataclass(frozen=True)
class Standing:
    """A prized ticket's position today, in paise: in default (installments past their due date and
    late fees) and still to come (every subscription not yet due, less any advance: s.32)."""

    overdue: int
    since: date | None
    future: int

    @property
    def total(self) -> int:
        return self.overdue + self.future


@dataclass(frozen=True)
class Demand:
    ticket_no: int
    member: str
    standing: Standing
    guarantors: int  # recovery notices queued
    deposit: int  # paise of security deposit held for the ticket (in the books; s.21(1)(e))
    already: bool  # a demand was made today already: nothing was sent again

    def summary(self) -> str:
        if self.already:
            return f"A written demand for ticket {self.ticket_no} went out today already; nothing was sent."
        told = (
            f" and a recovery notice to {self.guarantors} guarantor{'s' if self.guarantors != 1 else ''}"
            if self.guarantors
            else " (no guarantor on record)"
        )
        text = (
            f"Written demand sent to {self.member} for {format_inr(self.standing.total)} "
            f"({format_inr(self.standing.overdue)} overdue, {format_inr(self.standing.future)} future "
            f"subscriptions){told}."
        )
        if self.deposit:
            text += (
                f" {format_inr(self.deposit)} of security deposit is held for the ticket: you may now "
                "recover the dues from it (s.21(1)(e), s.32)."
            )
        return text


def standing_of(group: ChitGroup, money: TicketMoney, today: date) -> Standing:
    """A prized ticket's standing from its books (amount_due.ticket_money)."""
    late = [ln for ln in money.lines if ln.month <= group.current_month and ln.due_date < today]
    past_due = sum(ln.outstanding for ln in late)
    due = owed(group, money, as_of=today)
    return Standing(
        overdue=past_due + due.fees_unpaid + due.fees_accruing,
        since=min((ln.due_date for ln in late), default=None),
        future=max(0, still_to_pay(money) - past_due),
    )


def standing(session: Session, *, group: ChitGroup, ticket_id: int, today: date | None = None) -> Standing:
    return standing_of(group, ticket_money(session, [ticket_id])[ticket_id], today or today_ist())


def _demanded_today(session: Session, ticket_ids: list[int]) -> dict[int, datetime]:
    """When each of these tickets was sent today's written demand (tickets not sent one are left out)."""
    start, end = ist_day_bounds(today_ist())
    rows = session.exec(
        select(AuditLog.object_id, AuditLog.at).where(
            AuditLog.action == DEMAND_ACTION,
            AuditLog.object_type == "ticket",
            AuditLog.object_id.in_([str(t) for t in ticket_ids]),
            AuditLog.at >= start,
            AuditLog.at < end,
        )
    ).all()
    return {int(tid): at for tid, at in rows}


def _standing_securities(session: Session, ticket_id: int) -> list[PrizeSecurity]:
    payout_ids = select(Payout.id).where(Payout.ticket_id == ticket_id)
    return [
        s
        for pid in session.exec(payout_ids).all()
        for s in payouts.current_securities(session, payout_id=pid)
    ]


def _foreman_contact(session: Session, group: ChitGroup) -> str:
    foreman = session.get(User, group.foreman_id)
    company = session.exec(select(Company.name).where(Company.owner_id == group.foreman_id)).first()
    who = f"{foreman.name} ({company})" if company else foreman.name
    return f"{who}, {foreman.mobile}"


def demand(session: Session, *, actor: Actor | None, ticket_id: object) -> Demand:
    """The written demand on a defaulting prized subscriber (s.33) and the guarantors' notices."""
    # The ticket row-locked first (as money writers lock it) and read fresh: two taps wait for each
    # other, so the once-a-day check below sees the first one's demand.
    ticket = session.exec(
        select(Ticket)
        .where(Ticket.id == require_id(ticket_id, "ticket"))
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).first()
    if ticket is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, ticket.group_id)
    session.refresh(group)
    refuse_if_locked(group)
    if group.status not in PAYING_GROUP:
        raise ServiceError(f"This group is {group.status}: there are no dues to demand.")
    if ticket.status == "removed":
        raise ServiceError("This ticket has been removed from the group.")
    if ticket.member_id == group.foreman_id:
        raise ServiceError("This is the foreman's own ticket (s.21(1)(a)): there is nobody to demand from.")
    if ticket.prized_month is None:
        raise ServiceError(
            "This ticket has not won a prize: a non-prized defaulter is given notice and removed "
            "(s.28), not asked for the future subscriptions."
        )
    member = session.get(User, ticket.member_id)
    now = standing(session, group=group, ticket_id=ticket.id)
    if now.since is None:
        raise ServiceError(f"Ticket {ticket.ticket_no} has nothing overdue: there is no default to demand.")
    securities = _standing_securities(session, ticket.id)
    deposit = deposits.held(session, ticket.id)
    people = [
        g for found in sureties.of_securities(session, [s.id for s in securities]).values() for g in found
    ]
    if ticket.id in _demanded_today(session, [ticket.id]):
        return Demand(ticket.ticket_no, member.name, now, len(people), deposit, already=True)

    contact = _foreman_contact(session, group)
    figures = (
        f"{format_inr(now.overdue)} overdue since {format_date(now.since)}; future subscriptions "
        f"{format_inr(now.future)}; total {format_inr(now.total)}"
    )
    subject = f"Written demand: {group.name} ticket {ticket.ticket_no}"[:200]
    letter = (
        f"LuckyChit written demand (Chit Funds Act s.32-s.33). {member.name}, ticket {ticket.ticket_no} "
        f"of {group.name} won the prize of month {ticket.prized_month} and is in default: {figures}. "
        f"As a prized subscriber you must now pay all future subscriptions. Pay at {pay_link()} or "
        f"contact {contact}."
    )
    values = {"ticket": ticket.ticket_no, "group": group.name, "amount": format_inr(now.total)}
    outbox.enqueue(
        session,
        channel="sms",
        recipient=member.mobile,
        kind="demand_notice",
        subject=subject,
        body=letter,
        params={"name": member.name, **values},
        language=member.language,
    )
    notice_subject = f"Recovery notice: {group.name} ticket {ticket.ticket_no}"[:200]
    for person in people:
        body = _notice(person, member, ticket, group, figures, contact)
        outbox.enqueue(
            session,
            channel="sms",
            recipient=person.mobile,
            kind="recovery_notice",
            subject=notice_subject,
            body=body,
            params={"member": member.name, **values},
        )
    if ticket.defaulted_at is None:
        ticket.defaulted_at = utcnow()
        session.add(ticket)
    notify(
        session,
        [member.id],
        kind="prize_default",
        title=f"Written demand: ticket {ticket.ticket_no} of {group.name} is in default",
        body=f"{figures}. As a prized subscriber you must now pay all future subscriptions (s.32).",
        link="/m/payments",
    )
    audit.record(
        session,
        actor_id=actor.user_id,
        action=DEMAND_ACTION,
        object_type="ticket",
        object_id=ticket.id,
        detail={
            "group_id": group.id,
            "member_id": member.id,
            "overdue": now.overdue,
            "future": now.future,
            "total": now.total,
            "since": now.since.isoformat(),
            "guarantors": [g.id for g in people],
            "deposit": deposit,
        },
    )
    return Demand(ticket.ticket_no, member.name, now, len(people), deposit, already=False)


def _notice(
    person: Guarantor, member: User, ticket: Ticket, group: ChitGroup, figures: str, contact: str
) -> str:
    return (
        f"LuckyChit recovery notice (Chit Funds Act s.31-s.32). {person.name}, you signed on "
        f"{format_date(person.signed_on)} as guarantor for {member.name}, ticket {ticket.ticket_no} of "
        f"{group.name}, who is in default: {figures}. These may be recovered from the security you "
        f"gave. Contact {contact}."
    )


def prize_rows(
    session: Session, *, actor: Actor | None, group_id: object, page_books: GroupBooks | None = None
) -> list[dict]:
    """The prizes page's rows (payouts.payouts_for_group) with each prized ticket's default: what is
    overdue and still to come, when it was first demanded, and whether a demand can be sent now.
    `page_books`: the page's, when it lists the same tickets' books in other ways too."""
    found = payouts.group_payouts(session, actor=actor, group_id=group_id, page_books=page_books)
    group, rows, tickets, money = found.group, found.rows, found.tickets, found.money
    today = today_ist()
    ticket_ids = [int(row["ticket_id"]) for row in rows]
    held = deposits.held_by_ticket(session, ticket_ids)
    demanded = _demanded_today(session, ticket_ids)
    for row in rows:
        ticket = tickets[int(row["ticket_id"])]
        now = standing_of(group, money[ticket.id], today)
        open_ = (
            group.status in PAYING_GROUP
            and ticket.status != "removed"
            and ticket.member_id != group.foreman_id
        )
        sent = demanded.get(ticket.id)
        deposit = held.get(ticket.id, 0)
        # s.21(1)(e), s.32-s.33: the deposit answers for the dues once the written demand is made.
        most = min(deposit, now.total)
        recover = open_ and ticket.defaulted_at is not None and deposit > 0 and now.overdue > 0
        row.update(
            {
                "deposit_held": deposits.describe_held(deposit),
                "can_recover": recover,
                "recover_max": format_inr(most) if recover else "",
                "recover_rupees": f"{most // 100}.{most % 100:02d}" if recover else "",
                "overdue": format_inr(now.overdue) if now.since and open_ else "",
                "future": format_inr(now.future),
                "defaulted": format_date(to_ist(ticket.defaulted_at).date()) if ticket.defaulted_at else "",
                "can_demand": open_ and now.since is not None and sent is None,
                "demanded_today": sent is not None,
            }
        )
    return rows
