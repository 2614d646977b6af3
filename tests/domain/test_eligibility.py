"""Who may enter month k's draw or auction."""

from __future__ import annotations

import pytest

from luckychit_app.domain.eligibility import (
    TicketState,
    blocking_months,
    eligible_tickets,
    ineligibility_reason,
)
from luckychit_app.domain.errors import DomainError


def ticket(no: int, *, active=True, prized=False, unpaid=()) -> TicketState:
    return TicketState(
        ticket_no=no, member_ref=f"m{no}", active=active, prized=prized, unpaid_months=frozenset(unpaid)
    )


def test_lucky_draw_needs_this_months_installment_paid():
    t = ticket(4, unpaid={3})
    assert [x.ticket_no for x in eligible_tickets([t], 3, "lucky")] == []
    assert "month 3" in (ineligibility_reason(t, 3, "lucky") or "")


def test_auction_only_needs_earlier_months_paid():
    t = ticket(4, unpaid={3})
    assert eligible_tickets([t], 3, "auction") == [t]
    assert ineligibility_reason(t, 3, "auction") is None
    assert ineligibility_reason(t, 4, "auction") is not None


def test_future_unpaid_months_do_not_block():
    assert ineligibility_reason(ticket(1, unpaid={5}), 3, "lucky") is None


def test_inactive_and_prized_tickets_are_excluded_with_reasons():
    inactive, prized = ticket(1, active=False), ticket(2, prized=True)
    assert eligible_tickets([inactive, prized], 1, "lucky") == []
    assert "not active" in (ineligibility_reason(inactive, 1, "lucky") or "")
    assert "already won" in (ineligibility_reason(prized, 1, "auction") or "")


def test_reason_lists_months():
    reason = ineligibility_reason(ticket(9, unpaid={1, 2, 3, 7}), 4, "lucky")
    assert reason == "Ticket 9 has unpaid dues for months 1, 2 and 3; pay them before the draw to take part."
    assert blocking_months(ticket(9, unpaid={1, 2, 3, 7}), 3, "auction") == [1, 2]


def test_result_sorted_by_ticket_number():
    tickets = [ticket(5), ticket(2), ticket(9, unpaid={1}), ticket(1)]
    assert [t.ticket_no for t in eligible_tickets(tickets, 1, "lucky")] == [1, 2, 5]
    assert [t.ticket_no for t in eligible_tickets(tickets, 1, "auction")] == [1, 2, 5, 9]


def test_duplicates_and_bad_arguments_rejected():
    with pytest.raises(DomainError):
        eligible_tickets([ticket(1), ticket(1)], 1, "lucky")
    with pytest.raises(DomainError):
        eligible_tickets([ticket(1)], 0, "lucky")
    with pytest.raises(DomainError):
        eligible_tickets([ticket(1)], 1, "raffle")  # type: ignore[arg-type]
    with pytest.raises(DomainError):
        ticket(0)


def test_unpaid_months_accept_any_iterable():
    state = TicketState(ticket_no=1, member_ref="m", active=True, prized=False, unpaid_months=[2, 2, 3])  # type: ignore[arg-type]
    assert state.unpaid_months == frozenset({2, 3})
    assert hash(state)
