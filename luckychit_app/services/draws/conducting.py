"""Conducting a month's lucky draw: the foreman presses "Conduct draw" (DESIGN.md §4).

The same button settles the months that need no draw in any group: the foreman's own first chit
(s.21(1)(a)) and the final month, which the last unprized ticket takes. Auctions close in
services.draws.auctions; both settle through services.draws.settling.

The frozen eligible list stands. A member suspended after the freeze keeps the result of that draw
(their ticket was eligible when the list was frozen; the proof says so); the suspension only keeps
the ticket out of later draws.
"""

from __future__ import annotations

from sqlmodel import Session

from luckychit_app.domain.eligibility import DrawKind, TicketState, eligible_tickets, ineligibility_reason
from luckychit_app.domain.settlement import settle_final_month, settle_foreman_first, settle_lucky
from luckychit_app.models import Draw, Ticket
from luckychit_app.services.access import Actor
from luckychit_app.services.draws.draw_rows import draw_mode, locked_draw
from luckychit_app.services.draws.settling import entropy_cutoff, settle_draw
from luckychit_app.services.draws.ticket_states import ticket_states
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups.terms import terms_of


def no_eligible_reason(states: list[tuple[Ticket, TicketState]], month: int, kind: DrawKind) -> str:
    """Why nobody can take part, in the words of the eligibility rules (at most three reasons)."""
    reasons = sorted({ineligibility_reason(s, month, kind) or "" for _, s in states if not s.prized} - {""})
    return "No ticket is eligible for this draw: " + ("; ".join(reasons[:3]) or "all have won") + "."


def conduct_draw(
    session: Session, *, actor: Actor | None, draw_id: object, members_online: int | None = None
) -> Draw:
    """Lucky draw for the month (also the foreman's first chit and the last remaining ticket).

    ``members_online`` overrides the count of open draw pages (demo data only); normally it is None.
    """
    draw, group = locked_draw(session, actor, draw_id)
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
