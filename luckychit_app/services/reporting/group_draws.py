"""The group page's Draws tab: every month of a started group, the latest first, with its draw date
in the chit agreement (s.6(1)(h); the Act has every draw held on that date, s.16(1)): the months
still to come (no draw yet: it is created when its month opens), then each draw with its status,
commitment, winner and prize. An open draw says how far its date is and, before it, what the group's
agreement does with an early draw (warn or refuse: services.draws.conducting)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist, today_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, Draw, Ticket, User
from luckychit_app.services.access import Actor, group_for_foreman
from luckychit_app.services.draws.conducting import days_away, draw_date, early_draw_text
from luckychit_app.services.draws.draw_rows import OPEN_STATUSES

STATUS_LABELS = {
    "committed": "Open",
    "bidding": "Auction open",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "scheduled": "Later",
}


def group_draws(
    session: Session, *, actor: Actor | None, group_id: object, today: date | None = None
) -> list[dict[str, str]]:
    """The Draws tab's rows (display strings), for the group's foreman (or the platform admin)."""
    group = group_for_foreman(session, actor, group_id)
    today = today or today_ist()
    draws = session.exec(select(Draw).where(Draw.group_id == group.id).order_by(Draw.month.desc())).all()
    winners = {
        tid: f"#{no} {name}"
        for tid, no, name in session.exec(
            select(Ticket.id, Ticket.ticket_no, User.name)
            .join(User, User.id == Ticket.member_id)
            .where(Ticket.group_id == group.id)
        ).all()
    }
    rows = _months_to_come(group, max((d.month for d in draws), default=0), today)
    for d in draws:
        when = draw_date(group, d.month)
        is_open = d.status in OPEN_STATUSES
        early = is_open and when is not None and today < when
        held = format_date(to_ist(d.drawn_at).date()) if d.drawn_at else ""
        rows.append(
            {
                "id": str(d.id),
                "month": str(d.month),
                "status": d.status,
                "status_label": STATUS_LABELS.get(d.status, d.status.capitalize()),
                "date": format_date(when) if when else "—",
                "when": days_away(when, today) if is_open and when else "",
                # A draw held on another day than its date says so (s.17(2)(a): the minutes give the date).
                "held": held if held and when and held != format_date(when) else "",
                "early": group.early_draw if early else "",
                "early_text": early_draw_text(group, when, today) if early else "",
                "commitment": d.commitment[:16] + "…",
                "winner": winners.get(d.winner_ticket_id, "—") if d.winner_ticket_id else "—",
                "prize": format_inr(d.prize) if d.status == "completed" else "—",
            }
        )
    return rows


def _months_to_come(group: ChitGroup, last_opened: int, today: date) -> list[dict[str, str]]:
    """The months after the last opened one, the latest first: their dates only."""
    if group.start_date is None or group.status != "active":
        return []
    rows = []
    for month in range(group.tickets, last_opened, -1):
        when = draw_date(group, month)
        rows.append(
            {
                "id": "",
                "month": str(month),
                "status": "scheduled",
                "status_label": STATUS_LABELS["scheduled"],
                "date": format_date(when),
                "when": days_away(when, today),
                "held": "",
                "early": "",
                "early_text": "",
                "commitment": "—",
                "winner": "—",
                "prize": "—",
            }
        )
    return rows
