"""The foreman's list of dues past their date, with the late fee each is accruing (the payments
page's Overdue tab). Apart from late_fees.py because it reads the page's shared books
(amount_due.GroupBooks), which are made from the late fees' own reads."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from luckychit_app.clock import format_date, today_ist
from luckychit_app.domain.dues import DAYS_PER_FEE_MONTH, days_late
from luckychit_app.domain.money import format_inr
from luckychit_app.services.access import Actor, group_for_foreman
from luckychit_app.services.money.amount_due import GroupBooks, books_of
from luckychit_app.services.money.late_fees import accruing_fees


def overdue_list(
    session: Session,
    *,
    actor: Actor | None,
    group_id: object,
    as_of: date | None = None,
    page_books: GroupBooks | None = None,
) -> list[dict[str, str]]:
    """Every unpaid installment past its due date, most days late first, with the late fee accruing.
    `page_books`: the page's, when it lists the same tickets' books in other ways too."""
    group = group_for_foreman(session, actor, group_id)
    shared = books_of(session, group, page_books)
    as_of = as_of or today_ist()
    tickets = shared.seated()
    rows: list[tuple[int, int, dict[str, str]]] = []
    money = shared.money([ticket.id for ticket, _ in tickets])
    for ticket, user in tickets:
        books = money[ticket.id]
        # Raised months only (money.lines holds every month still owing): a due not yet opened
        # cannot be paid, so it is never overdue (dues.open_and_due).
        lines = [ln for ln in books.lines if ln.month <= group.current_month and ln.due_date < as_of]
        if not lines:
            continue
        fees = accruing_fees(group, lines, books.fees_charged, as_of)
        for ln in lines:
            late = days_late(ln.due_date, as_of)
            rows.append(
                (
                    -late,
                    ticket.ticket_no,
                    {
                        "ticket_id": str(ticket.id),
                        "ticket_no": str(ticket.ticket_no),
                        "name": user.name,
                        "mobile": user.mobile,
                        "month": str(ln.month),
                        "due_date": format_date(ln.due_date),
                        "outstanding": format_inr(ln.outstanding),
                        "days_late": str(late),
                        "months_late": str(-(-late // DAYS_PER_FEE_MONTH)),
                        "late_fee": format_inr(fees.get(ln.installment_id, 0)),
                    },
                )
            )
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]
