"""What a ticket owes now, in one figure the pay screens, payouts and "mark all paid" agree on:
installments raised and unpaid, late fees posted and not collected, and late fees accruing.

The books of many tickets are read together (`ticket_money`: four statements whatever the number of
tickets) and the figures are worked out from them in Python (`owed`, `remaining`), so a page listing
every ticket of a group costs the same statements as one ticket's pay screen (issue 22: the payments
page read each ticket's dues, fees and advance apart, 828 statements for one recorded payment).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from luckychit_app.clock import today_ist
from luckychit_app.models import ChitGroup, Installment, Ticket, User
from luckychit_app.services.money.advances import advances_of
from luckychit_app.services.money.dues import DueLine, lines_by_ticket
from luckychit_app.services.money.late_fees import accruing_fees, late_fee_balances


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


@dataclass(frozen=True)
class TicketMoney:
    """One ticket's books as the dues screens need them."""

    lines: list[DueLine]  # installments still owing (raised or not), oldest first
    fees_charged: dict[int, int]  # late fees posted, per installment id
    fees_balance: int  # late fees posted less those collected (not clamped at 0)
    advance: int  # money paid ahead, not yet applied to any due


def ticket_money(
    session: Session, ticket_ids: Iterable[int], *, lines: dict[int, list[DueLine]] | None = None
) -> dict[int, TicketMoney]:
    """The books of every ticket in `ticket_ids`, in four statements. `lines`: the tickets' owing
    installments, when the caller has read them already (at least those up to the month it asks)."""
    ids = list(dict.fromkeys(ticket_ids))
    if not ids:
        return {}
    if lines is None:
        lines = lines_by_ticket(session, ids, Installment.paid < Installment.amount)
    charged, balance = late_fee_balances(session, ids)
    advances = advances_of(session, ids)
    return {
        tid: TicketMoney(
            lines=[ln for ln in lines.get(tid, []) if ln.outstanding > 0],
            fees_charged=dict(charged[tid]),
            fees_balance=balance[tid],
            advance=advances.get(tid, 0),
        )
        for tid in ids
    }


class GroupBooks:
    """One group's seated tickets and their books, each read once for a page that lists them several
    ways: the foreman's payments page shows dues, overdue dues and prizes of the same tickets, and
    each list read the tickets, their dues and their fees again (issue 22). Made per transaction,
    for reading: it keeps what it read, so a write after it would not show."""

    def __init__(self, session: Session, group: ChitGroup) -> None:
        self.session, self.group = session, group
        self._seated: list[tuple[Ticket, User]] | None = None
        self._money: dict[int, TicketMoney] = {}

    def seated(self) -> list[tuple[Ticket, User]]:
        """The group's tickets not removed, with their members, by ticket number."""
        if self._seated is None:
            self._seated = list(
                self.session.exec(
                    select(Ticket, User)
                    .join(User, User.id == Ticket.member_id)
                    .where(Ticket.group_id == self.group.id, Ticket.status != "removed")
                    .order_by(Ticket.ticket_no)
                ).all()
            )
        return self._seated

    def money(self, ticket_ids: Iterable[int]) -> dict[int, TicketMoney]:
        """`ticket_money` of these tickets, reading only those not read before."""
        ids = list(dict.fromkeys(ticket_ids))
        missing = [tid for tid in ids if tid not in self._money]
        self._money.update(ticket_money(self.session, missing))
        return {tid: self._money[tid] for tid in ids}


def books_of(session: Session, group: ChitGroup, books: GroupBooks | None) -> GroupBooks:
    """The page's shared books, or new ones; shared books must be the same group's."""
    if books is None:
        return GroupBooks(session, group)
    if books.group.id != group.id or books.session is not session:
        raise ValueError("books of another group or transaction")  # a programming error, not the user's
    return books


def owed(
    group: ChitGroup, money: TicketMoney, *, up_to_month: int | None = None, as_of: date | None = None
) -> AmountDue:
    """What the ticket owes now for the months raised (up to `up_to_month`, when asked)."""
    as_of = as_of or today_ist()
    month = group.current_month if up_to_month is None else min(up_to_month, group.current_month)
    lines = [ln for ln in money.lines if ln.month <= month]
    return AmountDue(
        dues=sum(ln.outstanding for ln in lines),
        fees_unpaid=max(0, money.fees_balance),
        fees_accruing=sum(accruing_fees(group, lines, money.fees_charged, as_of).values()),
        advance=money.advance,
    )


def still_to_pay(money: TicketMoney) -> int:
    """What the member has still to pay over the rest of the chit: every unpaid installment (raised
    or not) less any advance. Auction months not yet held count at the full installment."""
    return max(0, sum(ln.outstanding for ln in money.lines) - money.advance)


def amount_due(
    session: Session,
    *,
    group: ChitGroup,
    ticket_id: int,
    up_to_month: int | None = None,
    as_of: date | None = None,
    lines: list[DueLine] | None = None,
) -> AmountDue:
    """One ticket's `owed`. ``lines``: the ticket's due lines up to the month asked (or the current
    month), if the caller has read them already (it saves reading them twice)."""
    money = ticket_money(session, [ticket_id], lines=None if lines is None else {ticket_id: lines})
    return owed(group, money[ticket_id], up_to_month=up_to_month, as_of=as_of)
