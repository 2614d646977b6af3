"""Who may take part in month k's draw or auction (DESIGN.md §3).

A ticket is eligible when its member is active, it has not already won, and it has no overdue dues.
For a lucky draw "overdue" includes month k's own installment (it is due before the draw); for an
auction only months before k count, because the month's net installment is not known until the
auction settles. The eligible list is sorted by ticket number because the fairness protocol freezes
exactly that list and hashes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from luckychit_app.domain.errors import DomainError

DrawKind = Literal["lucky", "auction"]


@dataclass(frozen=True)
class TicketState:
    """What eligibility needs to know about one ticket.

    ``member_ref`` is an opaque member id (it ends up in the public draw proof, so never a name or
    phone number). ``unpaid_months`` lists the months whose installment still has money outstanding
    and whose due date has passed or falls in the current month.
    """

    ticket_no: int
    member_ref: str
    active: bool
    prized: bool
    unpaid_months: frozenset[int]

    def __post_init__(self) -> None:
        """Accept any iterable of months (a list from a query) but store a frozenset so states hash."""
        if not isinstance(self.unpaid_months, frozenset):
            object.__setattr__(self, "unpaid_months", frozenset(self.unpaid_months))
        if isinstance(self.ticket_no, bool) or not isinstance(self.ticket_no, int) or self.ticket_no < 1:
            raise DomainError(f"Ticket numbers start at 1, not {self.ticket_no!r}.", field="ticket_no")


def _check_kind_and_month(month: int, kind: str) -> None:
    if isinstance(month, bool) or not isinstance(month, int) or month < 1:
        raise DomainError(f"Month numbers start at 1, not {month!r}.", field="month")
    if kind not in ("lucky", "auction"):
        raise DomainError(f"Draw kind must be 'lucky' or 'auction', not {kind!r}.", field="kind")


def blocking_months(ticket: TicketState, month: int, kind: DrawKind) -> list[int]:
    """The unpaid months that keep ``ticket`` out of month ``month``'s draw, oldest first."""
    _check_kind_and_month(month, kind)
    last = month if kind == "lucky" else month - 1
    return sorted(m for m in ticket.unpaid_months if m <= last)


def _months_phrase(months: list[int]) -> str:
    if len(months) == 1:
        return f"month {months[0]}"
    listed = ", ".join(str(m) for m in months[:-1])
    return f"months {listed} and {months[-1]}"


def ineligibility_reason(ticket: TicketState, month: int, kind: DrawKind) -> str | None:
    """Why ``ticket`` cannot take part in month ``month``'s draw or auction, or ``None`` if it can.

    Written for the foreman's eligibility screen and the member's own page, so it says what to do.
    """
    _check_kind_and_month(month, kind)
    if not ticket.active:
        return f"Ticket {ticket.ticket_no} is not active (the member is suspended or has left the group)."
    if ticket.prized:
        return f"Ticket {ticket.ticket_no} has already won a prize in this group."
    unpaid = blocking_months(ticket, month, kind)
    if unpaid:
        event = "draw" if kind == "lucky" else "auction"
        return (
            f"Ticket {ticket.ticket_no} has unpaid dues for {_months_phrase(unpaid)}; "
            f"pay them before the {event} to take part."
        )
    return None


def eligible_tickets(tickets: Iterable[TicketState], month: int, kind: DrawKind) -> list[TicketState]:
    """The tickets eligible for month ``month``, sorted by ticket number.

    Duplicate ticket numbers are refused: the draw list must name each ticket exactly once.
    """
    _check_kind_and_month(month, kind)
    states = list(tickets)
    seen: set[int] = set()
    for state in states:
        if state.ticket_no in seen:
            raise DomainError(f"Ticket {state.ticket_no} appears more than once.")
        seen.add(state.ticket_no)
    chosen = [state for state in states if ineligibility_reason(state, month, kind) is None]
    return sorted(chosen, key=lambda state: state.ticket_no)
