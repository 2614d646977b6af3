"""A subscriber leaving a running group and a substitute taking the seat (Chit Funds Act 1982
s.28-s.30): the removal of a non-prized defaulter whose 7-day notice ran out (s.28), and a member's
voluntary exit, which is the same operation without the default.

One ticket row is one subscription. The leaving row keeps all its history and becomes 'removed'
(with `ended_at` and the reason); the substitute gets a new row with the same ticket number that
`replaces_ticket_id` points back from. In one transaction, under the ticket's row lock (so two
substitutions of one ticket cannot both win):

* the substitute's row gets every month's instalment, copied from the leaving row's schedule:
  they owe at once every instalment raised so far, the defaulter's arrears included (s.30(1)); those
  fall due on the day of the substitution, so no late fee runs from before they joined;
* the leaving row's raised instalments are closed at what was paid on them (the rest passed to the
  substitute) and its months not raised yet are dropped, so no screen counts a due twice;
* one journal entry (domain.ledger.substitution_posted) moves the seat's raised dues to the
  substitute, clears the leaving ticket's balance and sets aside its refund: what the subscriber
  contributed less the dues they still owed and the agreement's deduction (s.30(1), at most 5 % of
  the chit amount), payable on substitution or at the close as the agreement says (s.30(2)), and at
  the close whenever the company itself holds the seat (s.30(3));
* the leaving member and the substitute are told (the removal also by SMS), and the audit log
  records both.

The substitute is an existing member of the company's groups, a new person (their account created
as when a member is added), or the company itself, holding the seat until a real substitute is
found; seating that substitute is the company's own exit, without deduction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist, today_ist, utcnow
from luckychit_app.domain import ledger as books
from luckychit_app.domain.money import format_inr
from luckychit_app.models import (
    ChitGroup,
    Installment,
    Payment,
    PaymentAllocation,
    Refund,
    SubscriberRefund,
    Ticket,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.defaults import (
    CHANGEABLE,
    default_blocker,
    locked_ticket,
    notice_arrears,
    notice_day,
    notice_ends,
    overdue,
)
from luckychit_app.services.messages import outbox
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.ledger import balance, post
from luckychit_app.services.money.subscriber_refunds import EXIT_REASON
from luckychit_app.services.people.auth import create_user
from luckychit_app.services.validation import clean_mobile, clean_name, clean_text

MODES = ("default", "exit")
"""How a subscriber leaves: removed as a defaulter (s.28), or by their own request."""
SUBSTITUTES = ("member", "new", "company")


@dataclass(frozen=True)
class Change:
    """What a removal or exit did. `stayed`: the defaulter had paid the notice's arrears, so they keep
    the ticket and the default is lifted (s.28(1) proviso); nothing else changed."""

    removed: Ticket | None
    substitute: Ticket | None
    refund: SubscriberRefund | None
    password: str | None = None  # the one-time password of a substitute's new account
    stayed: bool = False


def _deduction(group: ChitGroup, ticket: Ticket) -> int:
    """The agreement's deduction (s.30(1): at most 5 % of the chit amount, the column's own limit);
    none when the seat is the company's own, which would only pay itself."""
    if ticket.member_id == group.foreman_id:
        return 0
    return group.removal_deduction_bp * group.chit_value // 10000


def figures_of(session: Session, group: ChitGroup, ticket: Ticket) -> books.RemovalFigures:
    """D (every instalment raised on the seat), B (the ticket's receivable) and the refund."""
    raised = session.exec(
        select(func.coalesce(func.sum(Installment.amount), 0)).where(
            Installment.ticket_id == ticket.id, Installment.month <= group.current_month
        )
    ).one()
    owed = balance(session, books.receivable(ticket.id))
    return books.removal_figures(int(raised), owed, _deduction(group, ticket))


def _payable_at(group: ChitGroup, ticket: Ticket, company_holds: bool) -> str:
    if ticket.member_id == group.foreman_id:
        return "substitution"  # the company's own money, returned by the real substitute
    # s.30(3): while the company holds the seat the refund waits for the close; otherwise the chit
    # agreement says when (s.30(2)).
    return "close" if company_holds else group.removed_refund_at


def change_blocker(session: Session, group: ChitGroup, ticket: Ticket, mode: str, now: object) -> str:
    """Why this ticket cannot leave now in this mode ("" when it can)."""
    if group.status != "active":
        return "Subscribers are substituted only while the group is running."
    if ticket.status == "removed":
        return "This ticket has already been removed."
    if ticket.status not in CHANGEABLE:
        return "Only an active or suspended ticket can be given to a substitute."
    if ticket.prized_month is not None:
        # s.28 removes non-prized subscribers only; a prized one owes all future subscriptions (s.33).
        return (
            "A prized ticket cannot be removed: it keeps paying until the end, and its arrears are "
            "recovered from the subscriber and their sureties (Chit Funds Act s.32, s.33)."
        )
    if group.foreman_first_chit and group.current_month <= 1 and ticket.member_id == group.foreman_id:
        # s.21(1)(a): month 1's chit is settled to the foreman's own ticket; with its last one gone,
        # month 1 could never be drawn (conducting.conduct_draw needs one).
        others = session.exec(
            select(func.count())
            .select_from(Ticket)
            .where(
                Ticket.group_id == group.id,
                Ticket.member_id == group.foreman_id,
                Ticket.status != "removed",
                Ticket.id != ticket.id,
            )
        ).one()
        if not others:
            return (
                "Month 1's chit goes to the foreman's own ticket (Chit Funds Act s.21(1)(a)): this ticket "
                "can be given to a substitute after month 1's draw."
            )
    waiting = session.exec(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.ticket_id == ticket.id, Payment.method == "upi", Payment.status == "pending"
        )
    ).one()
    if waiting:
        return (
            f"A UPI payment of {format_inr(int(waiting))} on this ticket waits for your confirmation: "
            "confirm or reject it first."
        )
    in_flight = session.exec(
        select(Refund.id)
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Payment.ticket_id == ticket.id, Refund.status == "created")
    ).first()
    if in_flight is not None:
        return "A refund on this ticket's payments is still in progress: let it finish first."
    if mode == "default":
        if ticket.member_id == group.foreman_id:
            return "The company's own ticket is not removed for default; seat a substitute instead."
        if ticket.defaulted_at is None:
            return "Declare the ticket in default first: the member must have the written notice (s.28)."
        ends = notice_ends(ticket)
        if ticket.id in notice_arrears(session, [ticket]) and now < ends:
            # The proviso to s.28(1): the defaulter may pay the arrears within 7 days of the notice.
            return (
                f"The notice sent on {format_date(notice_day(ticket))} runs until "
                f"{format_date(to_ist(ends).date())}: the member may still pay the arrears (s.28(1))."
            )
    return ""


def _substitute(
    session: Session,
    actor: Actor,
    group: ChitGroup,
    leaving: Ticket,
    kind: object,
    member_id: object,
    name: object,
    mobile: object,
) -> tuple[User, str | None]:
    """The substitute's account (and a one-time password when it is new), checked."""
    if kind not in SUBSTITUTES:
        raise ServiceError("Choose an existing member, a new person or the company.", "substitute")
    if kind == "company":
        if leaving.member_id == group.foreman_id:
            raise ServiceError("The company already holds this ticket: choose the substitute.", "substitute")
        return session.get(User, group.foreman_id), None
    temp = None
    if kind == "member":
        user = session.get(User, require_id(member_id, "member"))
        seated = (
            session.exec(
                select(Ticket.id)
                .join(ChitGroup, ChitGroup.id == Ticket.group_id)
                .where(Ticket.member_id == user.id, ChitGroup.foreman_id == group.foreman_id)
                .limit(1)
            ).first()
            if user is not None
            else None
        )
        if seated is None or user.role != "member":
            raise ServiceError("Choose a member of your groups.", "member_id")
    else:
        clean, number = clean_name(name), clean_mobile(mobile)
        user = session.exec(select(User).where(User.mobile == number)).first()
        if user is None:
            user, temp = create_user(
                session, name=clean, mobile=number, role="member", created_by_id=actor.user_id
            )
        elif user.role != "member":
            raise ServiceError("This mobile number belongs to a foreman, staff or admin account.", "mobile")
    if not user.is_active:
        raise ServiceError("This member's account is stopped.", "member_id")
    if user.id == leaving.member_id:
        raise ServiceError("The substitute must be someone other than the subscriber leaving.", "substitute")
    return user, temp


def _move_schedule(session: Session, group: ChitGroup, leaving: Ticket, seat: Ticket) -> None:
    """Copy every month's instalment to the substitute (raised months due today, s.30(1)); close the
    leaving row's raised months at what was paid and drop its months not raised yet."""
    today = today_ist()
    rows = session.exec(
        select(Installment).where(Installment.ticket_id == leaving.id).order_by(Installment.month)
    ).all()
    allocated = set(
        session.exec(
            select(PaymentAllocation.installment_id).where(
                PaymentAllocation.installment_id.in_([r.id for r in rows])
            )
        ).all()
    )
    for row in rows:
        raised = row.month <= group.current_month
        session.add(
            Installment(
                group_id=group.id,
                ticket_id=seat.id,
                month=row.month,
                due_date=max(row.due_date, today) if raised else row.due_date,
                amount=row.amount,
            )
        )
        if raised and row.amount != row.paid:
            row.amount = row.paid
            session.add(row)
        elif not raised and row.id not in allocated:
            session.delete(row)
    session.flush()


def remove_and_substitute(
    session: Session,
    *,
    actor: Actor | None,
    ticket_id: object,
    mode: object,
    reason: object = "",
    substitute: object,
    member_id: object = None,
    name: object = None,
    mobile: object = None,
) -> Change:
    """Remove a defaulter after their notice ran out (mode "default", s.28) or let a member exit
    (mode "exit"), and seat the substitute on the same ticket number, in one transaction."""
    leaving, group = locked_ticket(session, actor, ticket_id)
    if mode not in MODES:
        raise ServiceError("Choose removal for default or an exit.", "mode")
    why = (
        clean_text(reason, field="reason", label="Reason", min_len=3, max_len=200)
        if mode == "default"
        else EXIT_REASON
    )
    now = utcnow()
    blocker = change_blocker(session, group, leaving, mode, now)
    if blocker:
        raise ServiceError(blocker)
    if mode == "default" and leaving.id not in notice_arrears(session, [leaving]):
        return _lift_default(session, actor, group, leaving)
    user, temp = _substitute(session, actor, group, leaving, substitute, member_id, name, mobile)
    company_holds = user.id == group.foreman_id
    figures = figures_of(session, group, leaving)
    old_member = session.get(User, leaving.member_id)

    leaving.status, leaving.ended_at, leaving.status_reason = "removed", now, why
    session.add(leaving)
    session.flush()  # the seat is free before the substitute takes its number
    seat = Ticket(
        group_id=group.id,
        ticket_no=leaving.ticket_no,
        member_id=user.id,
        status="active",
        replaces_ticket_id=leaving.id,
    )
    session.add(seat)
    session.flush()
    _move_schedule(session, group, leaving, seat)
    post(
        session,
        books.substitution_posted(group.id, leaving.id, seat.id, figures),
        group_id=group.id,
        created_by_id=actor.user_id,
    )
    payable_at = _payable_at(group, leaving, company_holds)
    refund = SubscriberRefund(
        group_id=group.id,
        ticket_id=leaving.id,
        kind="removal",
        member_id=leaving.member_id,
        contributed=figures.contributed,
        deduction=max(figures.kept, 0),
        amount=figures.refund,
        payable_at=payable_at,
        status="due" if figures.refund else "paid",
        reference="" if figures.refund else "Nothing to refund",
        paid_at=None if figures.refund else now,
        paid_by_id=None if figures.refund else actor.user_id,
    )
    session.add(refund)
    session.flush()
    detail = {
        "group_id": group.id,
        "ticket_no": leaving.ticket_no,
        "reason": why,
        "substitute_ticket_id": seat.id,
        "substitute_user_id": user.id,
        "company_holds": company_holds,
        "taken_over": figures.taken_over,
        "balance": figures.balance,
        "contributed": figures.contributed,
        "kept": figures.kept,
        "refund": figures.refund,
        "payable_at": payable_at,
    }
    action = "ticket.removed" if mode == "default" else "ticket.exited"
    audit.record(
        session,
        actor_id=actor.user_id,
        action=action,
        object_type="ticket",
        object_id=leaving.id,
        detail=detail,
    )
    audit.record(
        session,
        actor_id=actor.user_id,
        action="ticket.substituted",
        object_type="ticket",
        object_id=seat.id,
        detail={"replaces_ticket_id": leaving.id, "new_account": temp is not None, **detail},
    )
    _tell(session, group, leaving, seat, old_member, user, figures, refund, mode, company_holds)
    return Change(removed=leaving, substitute=seat, refund=refund, password=temp)


def _lift_default(session: Session, actor: Actor, group: ChitGroup, ticket: Ticket) -> Change:
    """The defaulter paid the arrears the notice named: they stay and the default is lifted."""
    declared = ticket.defaulted_at
    ticket.defaulted_at = None
    session.add(ticket)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="ticket.default_lifted",
        object_type="ticket",
        object_id=ticket.id,
        detail={"group_id": group.id, "declared_at": declared.isoformat() if declared else None},
    )
    notify(
        session,
        [ticket.member_id],
        kind="default_lifted",
        title=f"Ticket {ticket.ticket_no} of {group.name}: arrears paid, you keep your ticket",
        link="/m/payments",
        title_key="notify.default_lifted",
        values={"n": ticket.ticket_no, "group": group.name},
    )
    return Change(removed=None, substitute=None, refund=None, stayed=True)


def _tell(
    session: Session,
    group: ChitGroup,
    leaving: Ticket,
    seat: Ticket,
    old_member: User,
    new_member: User,
    figures: books.RemovalFigures,
    refund: SubscriberRefund,
    mode: str,
    company_holds: bool,
) -> None:
    """The leaving member (in the app and, for a removal, by SMS: it ends their subscription) and
    the substitute (unless the company holds the seat)."""
    when = "when the group closes" if refund.payable_at == "close" else "now"
    back = (
        f"{format_inr(figures.refund)} of what you paid is set aside for you, payable {when}."
        if figures.refund
        else "Nothing is left to refund after the dues and the agreement's deduction."
    )
    if old_member.id != group.foreman_id:
        verb = (
            "removed for default and given to a substitute" if mode == "default" else "closed at your request"
        )
        title = f"Ticket {leaving.ticket_no} of {group.name} was {verb}"
        notify(
            session,
            [old_member.id],
            kind="ticket_removed",
            title=title,
            body=back,
            link="/m/payments",
            title_key="notify.ticket_removed" if mode == "default" else "notify.ticket_exited",
            body_key=(
                ("notify.refund_at_close" if refund.payable_at == "close" else "notify.refund_now")
                if figures.refund
                else ""
            ),
            values={"n": leaving.ticket_no, "group": group.name, "amount": format_inr(figures.refund)},
        )
        if mode == "default":
            outbox.enqueue(
                session,
                channel="sms",
                recipient=old_member.mobile,
                kind="removal_notice",
                body=f"{title}. {back}",
                params={
                    "ticket": leaving.ticket_no,
                    "group": group.name,
                    "amount": format_inr(figures.refund),
                },
                language=old_member.language,
            )
    if not company_holds:
        notify(
            session,
            [new_member.id],
            kind="joined",
            title=f"You hold ticket {seat.ticket_no} of {group.name}",
            body=(
                f"As the substitute, pay {format_inr(figures.taken_over)} for the instalments of months "
                f"1 to {group.current_month}, then each month's instalment."
            ),
            link="/m/payments",
            title_key="notify.substitute",
            body_key="notify.substitute_body",
            values={
                "n": seat.ticket_no,
                "group": group.name,
                "amount": format_inr(figures.taken_over),
                "month": group.current_month,
            },
        )


def change_preview(session: Session, *, actor: Actor | None, ticket_id: object) -> dict[str, str]:
    """What the dialogs show before the foreman confirms: whether each change is open now (or why
    not), the arrears, what a substitute pays and what the leaving subscriber gets back."""
    ticket = session.get(Ticket, require_id(ticket_id, "ticket"))
    if ticket is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, ticket.group_id)
    member = session.get(User, ticket.member_id)
    today, now = today_ist(), utcnow()
    count, arrears = overdue(session, [ticket.id], today).get(ticket.id, (0, 0))
    own = ticket.member_id == group.foreman_id
    out = {
        "ticket_id": str(ticket.id),
        "ticket_no": str(ticket.ticket_no),
        "name": member.name,
        "company_seat": "yes" if own else "",
        "overdue_count": str(count),
        "arrears": format_inr(arrears),
        "default_after": str(group.default_after),
        "default_blocker": default_blocker(session, group, ticket, today),
        "remove_blocker": change_blocker(session, group, ticket, "default", now),
        "exit_blocker": change_blocker(session, group, ticket, "exit", now),
        "notice": "",
        "paid_up": "",
    }
    if ticket.defaulted_at is not None and ticket.status != "removed":
        ends = to_ist(notice_ends(ticket)).date()
        out["notice"] = f"Notice sent on {format_date(notice_day(ticket))}, runs until {format_date(ends)}."
        if ticket.id not in notice_arrears(session, [ticket]):
            out["paid_up"] = "yes"
    if ticket.status == "removed" or group.current_month < 1:
        return out
    f = figures_of(session, group, ticket)
    later = session.exec(
        select(Installment.amount).where(
            Installment.ticket_id == ticket.id, Installment.month == group.current_month + 1
        )
    ).first()
    when = {"close": "when the group closes (s.30(3))", "substitution": "now, on substitution"}
    out.update(
        {
            "taken_over": format_inr(f.taken_over),
            "months": f"months 1 to {group.current_month}",
            "next": format_inr(int(later)) if later else "",
            "owed": format_inr(max(f.balance, 0)),
            "advance": format_inr(-f.balance) if f.balance < 0 else "",
            "contributed": format_inr(max(f.contributed, 0)),
            "deduction": format_inr(max(f.kept, 0)),
            "deduction_rule": (
                "none (the company's own seat)"
                if own
                else f"{group.removal_deduction_bp / 100:g} % of the chit value, by the agreement"
            ),
            "refund": format_inr(f.refund),
            "payable": when[_payable_at(group, ticket, False)],
            "payable_company": when[_payable_at(group, ticket, True)],
        }
    )
    return out


def ticket_actions(session: Session, *, actor: Actor | None, group_id: object) -> dict[str, str]:
    """Which change each ticket of the group offers now, for the members tab's buttons: keys
    "{ticket id}:default" / ":remove" / ":exit" = "yes", and ":note" = the default's state."""
    group = group_for_foreman(session, actor, group_id)
    if group.status != "active":
        return {}
    tickets = session.exec(
        select(Ticket).where(Ticket.group_id == group.id, Ticket.status.in_(CHANGEABLE))
    ).all()
    today, now = today_ist(), utcnow()
    late = overdue(session, [t.id for t in tickets], today)
    live = notice_arrears(session, tickets)
    out: dict[str, str] = {}
    for t in tickets:
        if t.prized_month is not None:
            continue
        key = str(t.id)
        out[f"{key}:exit"] = "yes"
        if t.member_id == group.foreman_id:
            continue
        if t.id in live:
            ends = notice_ends(t)
            if now >= ends:
                out[f"{key}:remove"] = "yes"
                out[f"{key}:note"] = "Notice over: may be removed"
            else:
                out[f"{key}:note"] = f"In default; notice until {format_date(to_ist(ends).date())}"
        elif late.get(t.id, (0, 0))[0] >= group.default_after:
            out[f"{key}:default"] = "yes"
            out[f"{key}:note"] = f"{late[t.id][0]} instalments unpaid"
    return out


def substitute_choices(session: Session, *, actor: Actor | None, group_id: object) -> list[dict[str, str]]:
    """Members of the company's groups who may take a seat, by name (at most 300)."""
    group = group_for_foreman(session, actor, group_id)
    rows = session.exec(
        select(User.id, User.name, User.mobile)
        .where(
            User.id.in_(
                select(Ticket.member_id)
                .join(ChitGroup, ChitGroup.id == Ticket.group_id)
                .where(ChitGroup.foreman_id == group.foreman_id)
            ),
            User.role == "member",
            User.is_active,
        )
        .order_by(User.name, User.id)
        .limit(300)
    ).all()
    return [{"id": str(uid), "label": f"{name} ({mobile})"} for uid, name, mobile in rows]
