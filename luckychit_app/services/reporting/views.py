"""Read models for pages: small dicts of display strings, built with a few set-based queries.
Pages never get ORM rows, and no page query runs once per row."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist, today_ist
from luckychit_app.domain.money import format_inr, format_inr_compact, percent_bp
from luckychit_app.domain.schedule import due_date_for
from luckychit_app.i18n import text
from luckychit_app.models import (
    ChitGroup,
    Draw,
    Installment,
    JoinRequest,
    Payment,
    PaymentAllocation,
    Ticket,
    User,
)
from luckychit_app.services.access import Actor, group_for_foreman, require_role
from luckychit_app.services.groups.terms import SEATED
from luckychit_app.services.money import upi
from luckychit_app.services.money.advances import advances_of
from luckychit_app.services.money.dues import PAYING_GROUP, DueLine, open_dues
from luckychit_app.services.money.late_fees import accruing_fees, late_fee_balances
from luckychit_app.services.reporting.display import stage_label


def _collected_by_group_month(
    session: Session, pairs: list[tuple[int, int]]
) -> dict[tuple[int, int], tuple[int, int]]:
    """(group, month) -> (due, collected) for the given pairs, in two queries."""
    if not pairs:
        return {}
    group_ids = {g for g, _ in pairs}
    due_rows = session.exec(
        select(Installment.group_id, Installment.month, func.sum(Installment.amount))
        .where(Installment.group_id.in_(group_ids))
        .group_by(Installment.group_id, Installment.month)
    ).all()
    paid_rows = session.exec(
        select(Installment.group_id, Installment.month, func.sum(PaymentAllocation.amount))
        .join(PaymentAllocation, PaymentAllocation.installment_id == Installment.id)
        .where(Installment.group_id.in_(group_ids))
        .group_by(Installment.group_id, Installment.month)
    ).all()
    due = {(g, m): int(a) for g, m, a in due_rows}
    paid = {(g, m): int(a) for g, m, a in paid_rows}
    return {p: (due.get(p, 0), paid.get(p, 0)) for p in pairs}


def _status_label(group: ChitGroup) -> str:
    return stage_label(group.status, group.current_month, group.tickets, group.closed_at)


def foreman_groups(session: Session, *, actor: Actor | None, offset: int = 0, limit: int = 50) -> list[dict]:
    actor = require_role(actor, "foreman", "admin")
    stmt = (
        select(ChitGroup).order_by(ChitGroup.id.desc()).offset(max(0, offset)).limit(min(max(limit, 1), 200))
    )
    if actor.role == "foreman":
        stmt = stmt.where(ChitGroup.foreman_id == actor.user_id)
    groups = session.exec(stmt).all()
    ids = [g.id for g in groups]
    seats = (
        dict(
            session.exec(
                select(Ticket.group_id, func.count())
                .where(Ticket.group_id.in_(ids), Ticket.status.in_(SEATED))
                .group_by(Ticket.group_id)
            ).all()
        )
        if ids
        else {}
    )
    money = _collected_by_group_month(session, [(g.id, g.current_month) for g in groups if g.current_month])
    rows = []
    for g in groups:
        due, paid = money.get((g.id, g.current_month), (0, 0))
        pct = f"{paid * 100 // due}%" if due else "—"
        rows.append(
            {
                "id": str(g.id),
                "name": g.name,
                "kind": "Auction" if g.kind == "auction" else "Lucky draw",
                "value": format_inr_compact(g.chit_value),
                "tickets": str(g.tickets),
                "members": f"{seats.get(g.id, 0)}/{g.tickets}",
                "status": g.status,
                "stage": _status_label(g),
                "installment": format_inr(g.chit_value // g.tickets),
                "collection": f"{format_inr_compact(paid)} of {format_inr_compact(due)} ({pct})"
                if due
                else "—",
            }
        )
    return rows


def group_page(session: Session, *, actor: Actor | None, group_id: object) -> dict:
    group = group_for_foreman(session, actor, group_id)
    tickets = session.exec(
        select(Ticket, User)
        .join(User, User.id == Ticket.member_id)
        .where(Ticket.group_id == group.id)
        .order_by(Ticket.ticket_no)
    ).all()
    # What each ticket has not paid of the dues already past their date, from the unpaid dues only
    # (`installments.paid` is kept by triggers, migration 0005; partial index ix_installment_open).
    overdue_by_ticket = dict(
        session.exec(
            select(Installment.ticket_id, func.sum(Installment.amount - Installment.paid))
            .where(
                Installment.group_id == group.id,
                Installment.paid < Installment.amount,
                Installment.month <= group.current_month,
                Installment.due_date < today_ist(),  # due today is not overdue yet, as on the dashboard
            )
            .group_by(Installment.ticket_id)
        ).all()
    )
    members = []
    for t, u in tickets:
        owing = int(overdue_by_ticket.get(t.id, 0))
        members.append(
            {
                "ticket_id": str(t.id),
                "ticket_no": str(t.ticket_no),
                "name": u.name,
                "mobile": u.mobile,
                "status": t.status,
                "prized": f"Month {t.prized_month}" if t.prized_month else "—",
                "overdue": format_inr(owing) if owing > 0 else "—",
            }
        )
    requests = session.exec(
        select(JoinRequest, User)
        .join(User, User.id == JoinRequest.user_id)
        .where(JoinRequest.group_id == group.id, JoinRequest.status == "pending")
        .order_by(JoinRequest.id)
    ).all()
    draws = session.exec(select(Draw).where(Draw.group_id == group.id).order_by(Draw.month.desc())).all()
    winners = {t.id: (t.ticket_no, u.name) for t, u in tickets}
    seated = sum(1 for t, _ in tickets if t.status in SEATED)
    return {
        "id": str(group.id),
        "name": group.name,
        "status": group.status,
        "stage": _status_label(group),
        "kind": "Auction" if group.kind == "auction" else "Lucky draw",
        "value": format_inr(group.chit_value),
        "installment": format_inr(group.chit_value // group.tickets),
        "tickets": str(group.tickets),
        "commission": percent_bp(group.commission_bp),
        "max_discount": percent_bp(group.max_discount_bp) if group.kind == "auction" else "—",
        # A fortnightly or weekly group draws every period from its start date (domain.schedule).
        "draw_day": str(group.draw_day) if group.period == "monthly" else group.period.capitalize(),
        "upi_vpa": group.upi_vpa or "—",
        "seats": f"{seated}/{group.tickets}",
        "can_activate": group.status == "forming" and seated == group.tickets,
        "is_forming": group.status == "forming",
        "members": members,
        "requests": [
            {"id": str(r.id), "name": u.name, "mobile": u.mobile, "message": r.message} for r, u in requests
        ],
        "draws": [
            {
                "id": str(d.id),
                "month": str(d.month),
                "status": d.status,
                "commitment": d.commitment[:16] + "…",
                "winner": (
                    f"#{winners[d.winner_ticket_id][0]} {winners[d.winner_ticket_id][1]}"
                    if d.winner_ticket_id in winners
                    else "—"
                ),
                "prize": format_inr(d.prize) if d.status == "completed" else "—",
            }
            for d in draws
        ],
    }


def _late_fees_owed(
    session: Session, ticket_groups: dict[int, ChitGroup], lines: dict[int, list[DueLine]]
) -> dict[int, int]:
    """Per ticket: late fees posted and not yet collected, plus those that paying every overdue
    installment today would post: the same total as `amount_due()` (the pay screen), read
    for all of the member's tickets at once."""
    charged, outstanding = late_fee_balances(session, ticket_groups)
    today = today_ist()
    return {
        tid: max(0, outstanding[tid])
        + sum(accruing_fees(group, lines.get(tid, []), charged[tid], today).values())
        for tid, group in ticket_groups.items()
    }


def member_home(session: Session, *, actor: Actor | None) -> dict:
    actor = require_role(actor, "member")
    rows = session.exec(
        select(Ticket, ChitGroup)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .where(Ticket.member_id == actor.user_id, Ticket.status != "removed")
        .order_by(ChitGroup.id, Ticket.ticket_no)
    ).all()
    ticket_ids = [t.id for t, _ in rows]
    due = defaultdict(int)
    next_due: dict[int, object] = {}
    if ticket_ids:
        lines = open_dues(session, ticket_ids)
        for tid, owing in lines.items():
            due[tid] = sum(ln.outstanding for ln in owing)
            next_due[tid] = owing[0].due_date
        ticket_groups = {t.id: g for t, g in rows}
        for tid, fee in _late_fees_owed(session, ticket_groups, lines).items():
            due[tid] += fee
    open_draws = (
        {
            d.group_id: d
            for d in session.exec(
                select(Draw).where(
                    Draw.group_id.in_([g.id for _, g in rows]), Draw.status.in_(("committed", "bidding"))
                )
            ).all()
        }
        if rows
        else {}
    )
    # Money paid ahead on a ticket that owes nothing now: shown as credit, not as "Nothing due".
    in_credit = [t.id for t, g in rows if not due[t.id] and g.status in PAYING_GROUP]
    credit = advances_of(session, in_credit) if in_credit else {}
    today = today_ist()
    lang = actor.language
    groups_out = []
    for t, g in rows:
        when = next_due.get(t.id)
        draw = open_draws.get(g.id)
        if due[t.id]:
            owes = format_inr(due[t.id])
        elif credit.get(t.id):
            owes = text(lang, "home.in_credit", amount=format_inr(credit[t.id]))
        else:
            owes = text(lang, "group.nothing_due")
        if g.status == "active":
            stage = text(lang, "group.month_of", k=g.current_month, n=g.tickets)
        else:
            stage = text(lang, f"group.{g.status}")
        groups_out.append(
            {
                "group_id": str(g.id),
                "ticket_id": str(t.id),
                "name": g.name,
                "ticket_no": str(t.ticket_no),
                "stage": stage,
                "kind": text(lang, f"kind.{g.kind}"),
                "value": format_inr_compact(g.chit_value),
                "prized": text(lang, "group.prized_in", month=t.prized_month)
                if t.prized_month
                else text(lang, "group.not_prized"),
                "is_prized": t.prized_month is not None,
                "due": owes,
                "has_due": due[t.id] > 0,
                "has_credit": bool(credit.get(t.id)),
                "due_when": _due_when(lang, when, today),
                "overdue": when is not None and when < today,
                "next_draw": (
                    format_date(due_date_for(g.start_date, g.current_month, g.draw_day, g.period), lang)
                    if g.start_date and draw
                    else "—"
                ),
                "commitment": (draw.commitment[:16] + "…") if draw else "—",
            }
        )
    total_due, total_credit = sum(due.values()), sum(credit.values())
    urgent = _most_urgent(rows, due, next_due)
    return {
        "groups": groups_out,
        "total_due": format_inr(total_due),
        "has_due": total_due > 0,
        "credit": text(lang, "home.in_credit", amount=format_inr(total_credit)) if total_credit else "",
        # Home's "Pay now" opens this ticket's pay page: one tap to the checkout of the most urgent due.
        "pay_href": f"/m/pay/{urgent[1].id}" if urgent else "/m/payments",
        "upi": _home_upi(session, rows, due, next_due),
    }


def _most_urgent(
    rows: list[tuple[Ticket, ChitGroup]],
    due: dict[int, int],
    next_due: dict[int, object],
    *,
    upi_only: bool = False,
) -> tuple[object, Ticket, ChitGroup] | None:
    """The ticket whose oldest unpaid installment fell (or falls) due first: (that date, ticket,
    group), or None when nothing is owed (with `upi_only`, among groups that take UPI)."""
    payable = [
        (next_due.get(t.id, date.max), t, g)  # owing only late fees: after every installment
        for t, g in rows
        if due[t.id] > 0 and (g.upi_vpa or not upi_only)
    ]
    return min(payable, key=lambda x: (x[0], x[1].id)) if payable else None


def _due_when(lang: str, when: date | None, today: date) -> str:
    """The due date with the days left, or how many days it is overdue."""
    if when is None:
        return ""
    if when < today:
        return text(lang, "group.overdue_since", date=format_date(when, lang), days=(today - when).days)
    if when == today:
        return text(lang, "group.due_today", date=format_date(when, lang))
    return text(lang, "group.due_on", date=format_date(when, lang), days=(when - today).days)


def _home_upi(
    session: Session, rows: list[tuple[Ticket, ChitGroup]], due: dict[int, int], next_due: dict[int, object]
) -> dict[str, str]:
    """UPI for the most urgent due that a group takes by UPI: the deep link and its QR (one small SVG,
    so the home page stays light; the pay page makes one for any amount)."""
    urgent = _most_urgent(rows, due, next_due, upi_only=True)
    if urgent is None:
        return {}
    _when, ticket, group = urgent
    payee, note = upi.payee_and_note(session, group, ticket)
    link = upi.upi_link(vpa=group.upi_vpa, payee=payee, amount=due[ticket.id], note=note)
    return {
        "link": link,
        "qr": upi.qr_data_uri(link),
        "group": group.name,
        "amount": format_inr(due[ticket.id]),
        "vpa": group.upi_vpa,
    }


def dispute_subjects(session: Session, *, actor: Actor | None, limit: int = 20) -> list[dict[str, str]]:
    """The member's recent payments and their groups' completed draws, to pick what a query is about."""
    actor = require_role(actor, "member")
    payments = session.exec(
        select(Payment, ChitGroup)
        .join(ChitGroup, ChitGroup.id == Payment.group_id)
        .where(Payment.payer_id == actor.user_id)
        .order_by(Payment.id.desc())
        .limit(limit)
    ).all()
    group_ids = select(Ticket.group_id).where(Ticket.member_id == actor.user_id)
    draws = session.exec(
        select(Draw, ChitGroup)
        .join(ChitGroup, ChitGroup.id == Draw.group_id)
        .where(Draw.group_id.in_(group_ids), Draw.status == "completed")
        .order_by(Draw.id.desc())
        .limit(limit)
    ).all()
    lang = actor.language
    out = [
        {
            "value": f"payment:{p.id}",
            "label": text(
                lang,
                "queries.subject_payment",
                amount=format_inr(p.amount),
                group=g.name,
                date=format_date(to_ist(p.created_at).date(), lang),  # the IST day, not UTC's
            ),
        }
        for p, g in payments
    ]
    out += [
        {"value": f"draw:{d.id}", "label": text(lang, "queries.subject_draw", group=g.name, month=d.month)}
        for d, g in draws
    ]
    return out
