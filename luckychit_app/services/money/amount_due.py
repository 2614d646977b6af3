"""What a ticket owes now, in one figure the pay screens, payouts and "mark all paid" agree on:
installments raised and unpaid, late fees posted and not collected, and late fees accruing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from luckychit_app.clock import today_ist
from luckychit_app.models import ChitGroup
from luckychit_app.services.money.advances import advance_of
from luckychit_app.services.money.dues import DueLine, due_lines
from luckychit_app.services.money.late_fees import accrued_late_fees, late_fees_unpaid


@dataclass(frozen=True)
class AmountDue:
    """What a ticket owes now: installments raised and unpaid, late fees (posted and accruing), less
    nothing else (an advance is already applied to every raised due)."""

    dues: int
    fees_unpaid: int
    fees_accruing: int
    advance: int

    @property
    def total(self) -> int:
        return self.dues + self.fees_unpaid + self.fees_accruing


def amount_due(
    session: Session,
    *,
    group: ChitGroup,
    ticket_id: int,
    up_to_month: int | None = None,
    as_of: date | None = None,
    lines: list[DueLine] | None = None,
) -> AmountDue:
    """``lines``: the ticket's due lines up to the month asked (or the current month), if the caller
    has read them already (it saves reading them twice)."""
    as_of = as_of or today_ist()
    month = group.current_month if up_to_month is None else min(up_to_month, group.current_month)
    if lines is None:
        lines = due_lines(session, ticket_id=ticket_id, up_to_month=month)
    lines = [ln for ln in lines if ln.outstanding > 0 and ln.month <= month]
    accruing = accrued_late_fees(session, group=group, ticket_id=ticket_id, as_of=as_of, lines=lines)
    return AmountDue(
        dues=sum(ln.outstanding for ln in lines),
        fees_unpaid=late_fees_unpaid(session, ticket_id=ticket_id),
        fees_accruing=sum(accruing.values()),
        advance=advance_of(session, ticket_id),
    )
