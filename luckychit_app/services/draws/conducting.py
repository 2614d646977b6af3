"""Conducting a month's lucky draw: the foreman presses "Conduct draw" (DESIGN.md §4).

The same button settles the months that need no draw in any group: the foreman's own first chit
(s.21(1)(a)) and the final month, which the last unprized ticket takes. Auctions close in
services.draws.auctions; both settle through services.draws.settling.

A draw before its date (issue 16): the Act has every draw held on the date, at the time and place the
chit agreement names (s.16(1); the date is one of the agreement's particulars, s.6(1)(h)). A group's
agreement says how strictly (``ChitGroup.early_draw``): "warn" (the default) lets the foreman go
ahead after the console has warned them, and records the early draw in the audit log; "refuse" turns
the draw away until its date. :func:`draw_timing` is what the console shows before the button.

The frozen eligible list stands. A member suspended after the freeze keeps the result of that draw
(their ticket was eligible when the list was frozen; the proof says so); the suspension only keeps
the ticket out of later draws.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from luckychit_app.clock import format_date, today_ist
from luckychit_app.domain.eligibility import DrawKind, TicketState, eligible_tickets, ineligibility_reason
from luckychit_app.domain.schedule import due_date_for
from luckychit_app.domain.settlement import settle_final_month, settle_foreman_first, settle_lucky
from luckychit_app.models import ChitGroup, Draw, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_viewer
from luckychit_app.services.draws.draw_rows import OPEN_STATUSES, draw_mode, draw_row, locked_draw
from luckychit_app.services.draws.settling import entropy_cutoff, settle_draw
from luckychit_app.services.draws.ticket_states import ticket_states
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups.terms import terms_of


def draw_date(group: ChitGroup, month: int) -> date | None:
    """The date of month ``month``'s draw in the chit agreement (s.6(1)(h)): the day that month's
    instalment falls due (domain.schedule); None before the group has started."""
    if group.start_date is None:
        return None
    return due_date_for(group.start_date, month, group.draw_day, group.period)


def days_away(when: date, today: date) -> str:
    """ "today", "in 3 days", "2 days ago": how far a draw date is from ``today``."""
    days = (when - today).days
    if days == 0:
        return "today"
    count = f"{abs(days)} day{'s' if abs(days) != 1 else ''}"
    return f"in {count}" if days > 0 else f"{count} ago"


def early_draw_text(group: ChitGroup, when: date, today: date) -> str:
    """What the console says about a draw held before its date, under the group's rule."""
    if group.early_draw == "refuse":
        return (
            f"This draw is on {format_date(when)} ({days_away(when, today)}). The group's chit agreement "
            "holds every draw on its date (Chit Funds Act s.16(1)), so it cannot be held before then."
        )
    return (
        f"This draw is on {format_date(when)} ({days_away(when, today)}). The Chit Funds Act (s.16(1)) has "
        "every draw held on the date in the chit agreement; this group's agreement allows an earlier draw, "
        "with this warning."
    )


def refuse_early_draw(session: Session, group: ChitGroup, draw: Draw, actor_id: int, today: date) -> None:
    """Before a draw is held: refuse it before its date when the group's agreement says so
    (``early_draw`` "refuse"; s.16(1), s.6(1)(h)), otherwise record in the audit log that it was
    held early (the console warned first). Nothing happens on or after the date."""
    when = draw_date(group, draw.month)
    if when is None or today >= when:
        return
    if group.early_draw == "refuse":
        raise ServiceError(early_draw_text(group, when, today), "early_draw")
    audit.record(
        session,
        actor_id=actor_id,
        action="draw.held_early",
        object_type="draw",
        object_id=draw.id,
        detail={"month": draw.month, "scheduled": when.isoformat(), "held": today.isoformat()},
        chain=group.foreman_id,
    )


def draw_timing(
    session: Session, *, actor: Actor | None, draw_id: object, today: date | None = None
) -> dict[str, str]:
    """The draw's date for the console and the group's Draws tab: ``draw_date`` (DD-MM-YYYY or ""),
    ``draw_when`` ("in 3 days"), and while the draw is open and its date still ahead, ``early``
    ("warn" or "refuse", the group's rule) with ``early_text`` saying so; both "" otherwise."""
    draw = draw_row(session, draw_id, lock=False)
    group = group_for_viewer(session, actor, draw.group_id)
    today = today or today_ist()
    when = draw_date(group, draw.month)
    early = draw.status in OPEN_STATUSES and when is not None and today < when
    return {
        "draw_date": format_date(when) if when else "",
        "draw_when": days_away(when, today) if when and draw.status in OPEN_STATUSES else "",
        "early": group.early_draw if early else "",
        "early_text": early_draw_text(group, when, today) if early else "",
    }


def no_eligible_reason(states: list[tuple[Ticket, TicketState]], month: int, kind: DrawKind) -> str:
    """Why nobody can take part, in the words of the eligibility rules (at most three reasons)."""
    reasons = sorted({ineligibility_reason(s, month, kind) or "" for _, s in states if not s.prized} - {""})
    return "No ticket is eligible for this draw: " + ("; ".join(reasons[:3]) or "all have won") + "."


def conduct_draw(
    session: Session,
    *,
    actor: Actor | None,
    draw_id: object,
    members_online: int | None = None,
    today: date | None = None,
) -> Draw:
    """Lucky draw for the month (also the foreman's first chit and the last remaining ticket).

    ``members_online`` overrides the count of open draw pages (demo data only); normally it is None.
    ``today`` (tests) is the Indian calendar day the draw is held on, to compare with its date.
    """
    draw, group = locked_draw(session, actor, draw_id)
    refuse_early_draw(session, group, draw, actor.user_id, today or today_ist())
    cutoff = entropy_cutoff(draw)
    terms = terms_of(group)
    states = ticket_states(session, group, draw.month)
    unprized = [(t, s) for t, s in states if s.prized is False]
    mode = draw_mode(group, draw)
    common = {
        "actor_id": actor.user_id,
        "draw": draw,
        "group": group,
        "cutoff": cutoff,
        "members_online": members_online,
    }
    if mode == "foreman_first":
        own = [(t, s) for t, s in states if t.member_id == group.foreman_id]
        if not own:
            raise ServiceError("The foreman's own ticket is missing.")
        return settle_draw(
            session,
            settlement=settle_foreman_first(terms),
            proof_kind="single-eligible",
            candidates=own[:1],
            **common,
        )
    if group.kind != "lucky" and mode != "final":
        raise ServiceError("This is an auction group: close the auction instead.")
    if mode == "final" and len(unprized) == 1:
        return settle_draw(
            session,
            settlement=settle_final_month(terms),
            proof_kind="single-eligible",
            candidates=unprized,
            **common,
        )
    chosen = [(t, s) for t, s in states if s in eligible_tickets([s for _, s in states], draw.month, "lucky")]
    if not chosen:
        raise ServiceError(no_eligible_reason(states, draw.month, "lucky"))
    return settle_draw(
        session,
        settlement=settle_lucky(terms, draw.month),
        proof_kind="lucky" if len(chosen) > 1 else "single-eligible",
        candidates=chosen,
        **common,
    )
