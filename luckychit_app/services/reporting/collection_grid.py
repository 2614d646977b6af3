"""A group's collection grid: member × month, each cell paid, partial, overdue or upcoming, one page
of tickets at a time. A cell the foreman can collect on carries what the ticket owes up to that
month, to prefill the payment form (a payment clears the oldest dues first).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_date, today_ist
from luckychit_app.domain.money import format_inr, format_inr_compact
from luckychit_app.domain.schedule import due_date_for
from luckychit_app.models import Installment, PaymentAllocation, Ticket, User
from luckychit_app.services.access import Actor, group_for_foreman
from luckychit_app.services.money.offline_payments import payments_seen
from luckychit_app.services.reporting.display import rupees_for_form
from luckychit_app.services.validation import page_window


def collection_grid(
    session: Session,
    *,
    actor: Actor | None,
    group_id: object,
    offset: object = 0,
    limit: object = 25,
    today: date | None = None,
) -> dict:
    """Member × month grid of one group, one page of tickets at a time.

    Each cell is `paid` (fully settled), `partial` (something paid, not all), `overdue` (nothing
    paid and the due date has passed) or `upcoming` (nothing paid, not yet due or not yet opened).
    """
    group = group_for_foreman(session, actor, group_id)
    first, size = page_window(offset, limit, max_limit=50)
    today = today or today_ist()
    total = session.exec(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.group_id == group.id, Ticket.status != "removed")
    ).one()
    tickets = session.exec(
        select(Ticket.id, Ticket.ticket_no, Ticket.status, User.name, User.mobile)
        .join(User, User.id == Ticket.member_id)
        .where(Ticket.group_id == group.id, Ticket.status != "removed")
        .order_by(Ticket.ticket_no)
        .offset(first)
        .limit(size)
    ).all()
    ticket_ids = [tid for tid, *_ in tickets]
    seen = payments_seen(session, ticket_ids)
    # (ticket, month) -> (amount, due date, paid). Plain columns: a page is ~1,000 dues, and an
    # Installment object per due cost more than the rest of the grid together (issue 22).
    cells: dict[tuple[int, int], tuple[int, date, int]] = {}
    if ticket_ids:
        paid = (
            select(
                PaymentAllocation.installment_id.label("iid"),
                func.sum(PaymentAllocation.amount).label("paid"),
            )
            .join(Installment, Installment.id == PaymentAllocation.installment_id)
            .where(Installment.ticket_id.in_(ticket_ids))
            .group_by(PaymentAllocation.installment_id)
            .subquery()
        )
        for tid, month, amount, due, got in session.exec(
            select(
                Installment.ticket_id,
                Installment.month,
                Installment.amount,
                Installment.due_date,
                func.coalesce(paid.c.paid, 0),
            )
            .outerjoin(paid, paid.c.iid == Installment.id)
            .where(Installment.ticket_id.in_(ticket_ids))
        ).all():
            cells[(tid, month)] = (amount, due, int(got))
    owing_to = _owing_up_to(cells)
    months = list(range(1, group.tickets + 1))
    running = group.status in ("active", "completed")
    flat: list[dict[str, str]] = [
        {
            "kind": "head",
            "text": "Ticket / member",
            "status": "",
            "ticket_id": "",
            "month": "",
            "title": "",
            "amount": "",
            "seen": "",
        }
    ]
    for m in months:
        when = ""
        if group.start_date:
            when = format_date(due_date_for(group.start_date, m, group.draw_day, group.period))
        flat.append(
            {
                "kind": "head",
                "text": f"M{m}",
                "status": "",
                "ticket_id": "",
                "month": str(m),
                "title": f"Month {m}" + (f", due {when}" if when else ""),
                "amount": "",
                "seen": "",
            }
        )
    counts: dict[str, int] = defaultdict(int)
    for tid, ticket_no, status, name, mobile in tickets:
        flat.append(
            {
                "kind": "name",
                "text": f"#{ticket_no} {name}",
                "status": status,
                "ticket_id": str(tid),
                "month": "",
                "title": f"{name} · {mobile}",
                "amount": "",
                "seen": "",
            }
        )
        for m in months:
            due = cells.get((tid, m))
            if due is None:
                state, label, title, owing = "upcoming", "", f"Month {m}: not scheduled yet", 0
            else:
                amount, due_date, got = due
                owing = amount - got
                opened = running and m <= group.current_month
                if owing <= 0:
                    state, label = "paid", "✓"
                elif got > 0:
                    state, label = "partial", format_inr_compact(owing)
                elif opened and due_date < today:
                    state, label = "overdue", format_inr_compact(owing)
                else:
                    state, label = "upcoming", ""
                title = (
                    f"Month {m} · due {format_date(due_date)} · {format_inr(amount)} · paid {format_inr(got)}"
                )
            counts[state] += 1
            clickable = running and due is not None and owing > 0 and m <= group.current_month
            flat.append(
                {
                    "kind": "cell",
                    "text": label,
                    "status": state,
                    "ticket_id": str(tid) if clickable else "",
                    "month": str(m),
                    "title": title,
                    "amount": rupees_for_form(owing_to[(tid, m)]) if clickable else "",
                    "seen": str(seen[tid]) if clickable else "",
                }
            )
    return {
        "cells": flat,
        "columns": str(len(months) + 1),
        "total": int(total),
        "counts": {k: str(v) for k, v in counts.items()},
    }


def _owing_up_to(cells: dict[tuple[int, int], tuple[int, date, int]]) -> dict[tuple[int, int], int]:
    """(ticket, month) -> what the ticket owes up to and including that month: a payment clears the
    oldest dues first, so paying a later month's cell must cover the earlier ones too."""
    running: dict[int, int] = defaultdict(int)
    owing: dict[tuple[int, int], int] = {}
    for (tid, month), (amount, _due, got) in sorted(cells.items()):
        running[tid] += max(amount - got, 0)
        owing[(tid, month)] = running[tid]
    return owing
