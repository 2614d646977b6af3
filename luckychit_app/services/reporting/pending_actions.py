"""The foreman's pending actions: what is waiting on them (UPI payments to confirm, join requests,
draws whose date has come, listed with the upcoming ones and their dates, prizes to release,
members' open queries, and the group's life: tickets that may be declared in default, defaulters
whose 7-day notice ran out, refunds due to subscribers who left), counted on the dashboard's card
and listed on the Pending Actions page, each item linking to where it is done.

Lists are capped and scoped to the foreman's groups with a sub-select; overdue members are listed
on the collections page instead, which pages through them on the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist, today_ist, utcnow
from luckychit_app.domain.money import format_inr
from luckychit_app.domain.schedule import due_date_for
from luckychit_app.models import ChitGroup, Dispute, Draw, JoinRequest, Payment, Payout, Ticket, User
from luckychit_app.services.access import Actor, require_role
from luckychit_app.services.draws.conducting import days_away
from luckychit_app.services.groups.defaults import default_candidates, notice_day, notices_over
from luckychit_app.services.money.subscriber_refunds import refunds_due
from luckychit_app.services.paperwork.registrar import pending_filings
from luckychit_app.services.reporting.display import relative_time
from luckychit_app.services.reporting.foreman_scope import owned_groups


@dataclass(frozen=True)
class PendingCounts:
    """What is waiting on the foreman, per kind; ``total`` is the number on the card."""

    overdue_tickets: int
    overdue_amount: int
    upi_to_confirm: int
    join_requests: int
    draws_due: int
    payouts_to_release: int
    open_queries: int
    ticket_changes: int = 0  # defaults to declare, removals due, refunds to pay (issue 15)

    @property
    def total(self) -> int:
        return (
            self.overdue_tickets
            + self.upi_to_confirm
            + self.join_requests
            + self.draws_due
            + self.payouts_to_release
            + self.open_queries
            + self.ticket_changes
        )


class DrawDue(NamedTuple):
    """An open draw and its date, with what the pending list shows of its group."""

    draw_id: int
    month: int
    kind: str
    group_id: int
    group: str
    tickets: int
    when: date


def draws_due(session: Session, group_ids: Select, today: date) -> list[DrawDue]:
    """Open draws whose draw date has arrived (one open draw per running group at most). Plain
    columns: every dashboard load counts these across all of a foreman's groups."""
    return [d for d in open_draws(session, group_ids, today) if d.when <= today]


def open_draws(session: Session, group_ids: Select, today: date) -> list[DrawDue]:
    """Every running group's open draw with its date (the chit agreement's, s.6(1)(h)), the earliest
    first: those whose date has come, then the upcoming ones."""
    rows = session.exec(
        select(
            Draw.id,
            Draw.month,
            Draw.kind,
            ChitGroup.id,
            ChitGroup.name,
            ChitGroup.tickets,
            ChitGroup.start_date,
            ChitGroup.draw_day,
            ChitGroup.period,
        )
        .join(ChitGroup, ChitGroup.id == Draw.group_id)
        .where(
            Draw.group_id.in_(group_ids),
            Draw.status.in_(("committed", "bidding")),
            ChitGroup.status == "active",
        )
        .order_by(Draw.group_id)
    ).all()
    found = [
        DrawDue(
            draw_id,
            month,
            kind,
            group_id,
            name,
            tickets,
            due_date_for(start_date, month, draw_day, period) if start_date else today,
        )
        for draw_id, month, kind, group_id, name, tickets, start_date, draw_day, period in rows
    ]
    return sorted(found, key=lambda d: (d.when, d.group_id))


def pending_actions(session: Session, *, actor: Actor | None, today: date | None = None) -> dict:
    """The lists behind the Pending Actions card (each capped; every list links to where it is done).

    Overdue members are listed on the collections page, which pages through them on the server."""
    actor = require_role(actor, "foreman")
    today = today or today_ist()
    ids = owned_groups(actor)
    cap = 50
    upi = session.exec(
        select(Payment, User, ChitGroup, Ticket)
        .join(User, User.id == Payment.payer_id)
        .join(ChitGroup, ChitGroup.id == Payment.group_id)
        .join(Ticket, Ticket.id == Payment.ticket_id)
        .where(Payment.group_id.in_(ids), Payment.method == "upi", Payment.status == "pending")
        .order_by(Payment.created_at)
        .limit(cap)
    ).all()
    joins = session.exec(
        select(JoinRequest, User, ChitGroup)
        .join(User, User.id == JoinRequest.user_id)
        .join(ChitGroup, ChitGroup.id == JoinRequest.group_id)
        .where(JoinRequest.group_id.in_(ids), JoinRequest.status == "pending")
        .order_by(JoinRequest.created_at)
        .limit(cap)
    ).all()
    payouts = session.exec(
        select(Payout, ChitGroup, Ticket, User, Draw)
        .join(ChitGroup, ChitGroup.id == Payout.group_id)
        .join(Ticket, Ticket.id == Payout.ticket_id)
        .join(User, User.id == Ticket.member_id)
        .join(Draw, Draw.id == Payout.draw_id)
        .where(Payout.group_id.in_(ids), Payout.status == "payable")
        .order_by(Payout.id)
        .limit(cap)
    ).all()
    queries = session.exec(
        select(Dispute, User, ChitGroup)
        .join(User, User.id == Dispute.raised_by_id)
        .join(ChitGroup, ChitGroup.id == Dispute.group_id)
        .where(Dispute.group_id.in_(ids), Dispute.status == "open")
        .order_by(Dispute.updated_at)
        .limit(cap)
    ).all()
    return {
        **ticket_changes(session, ids, today),
        # Papers due to the Registrar (issue 19, item 6): overdue, or due within a week.
        "filings": pending_filings(session, ids, today),
        "upi": [
            {
                "id": str(p.id),
                "member": u.name,
                "group": g.name,
                "ticket": str(t.ticket_no),
                "amount": format_inr(p.amount),
                "utr": p.utr or "—",
                "when": relative_time(p.created_at),
                "link": f"/f/groups/{g.id}",
            }
            for p, u, g, t in upi
        ],
        "joins": [
            {
                "id": str(r.id),
                "member": u.name,
                "mobile": u.mobile,
                "group": g.name,
                "message": r.message if r.message != "-" else "",
                "when": relative_time(r.created_at),
            }
            for r, u, g in joins
        ],
        # The draws whose date has come, then the upcoming ones with their date (issue 16): each
        # opens its draw console, which warns before a draw held early.
        "draws": [
            {
                "id": str(d.draw_id),
                "group": d.group,
                "month": f"Month {d.month} of {d.tickets}",
                "kind": "Auction" if d.kind == "auction" else "Lucky draw",
                "date": f"{format_date(d.when)} ({days_away(d.when, today)})",
                "due": "yes" if d.when <= today else "",
                "link": f"/f/draws/{d.draw_id}",
            }
            for d in open_draws(session, ids, today)[:cap]
        ],
        "payouts": [
            {
                "id": str(p.id),
                "group": g.name,
                "member": u.name,
                "ticket": str(t.ticket_no),
                "month": str(d.month),
                "amount": format_inr(p.gross),
                "link": f"/f/groups/{g.id}",
            }
            for p, g, t, u, d in payouts
        ],
        "queries": [
            {
                "id": str(q.id),
                "title": q.title,
                "member": u.name,
                "group": g.name,
                "when": relative_time(q.updated_at),
            }
            for q, u, g in queries
        ],
    }


def ticket_changes(session: Session, group_ids: Select, today: date) -> dict[str, list[dict[str, str]]]:
    """The group's-life lists (Chit Funds Act s.28-s.30), each capped at 50: tickets the foreman may
    declare in default (the agreement's number of instalments unpaid), declared defaulters whose
    7-day notice has run out with the arrears unpaid (remove and substitute), and refunds due now to
    subscribers who left. Each links to the group's members tab, where they are done."""
    return {
        "defaults": [
            {
                "id": str(c["ticket"].id),
                "group": c["group"].name,
                "member": c["member"].name,
                "ticket": str(c["ticket"].ticket_no),
                "unpaid": f"{c['count']} instalments, {format_inr(c['owing'])}",
                "link": f"/f/groups/{c['group'].id}",
            }
            for c in default_candidates(session, group_ids, today)
        ],
        "removals": [
            {
                "id": str(c["ticket"].id),
                "group": c["group"].name,
                "member": c["member"].name,
                "ticket": str(c["ticket"].ticket_no),
                "notice": format_date(notice_day(c["ticket"])),
                "arrears": format_inr(c["arrears"]),
                "link": f"/f/groups/{c['group'].id}",
            }
            for c in notices_over(session, group_ids, utcnow())
        ],
        "refunds": [
            {
                "id": str(r.id),
                "group": g.name,
                "member": u.name,
                "ticket": str(t.ticket_no),
                "amount": format_inr(r.amount),
                "since": format_date(to_ist(r.created_at).date()),
                "link": f"/f/groups/{g.id}",
            }
            for r, g, t, u in refunds_due(session, group_ids)
        ],
    }
