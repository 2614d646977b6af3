"""Builders shared by the default, substitution and refund tests: a running group where one member
stopped paying, with the months opened by real draws."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import select

from luckychit_app.models import ChitGroup, Ticket
from luckychit_app.services.access import Actor
from luckychit_app.services.groups import defaults, substitution
from tests.services.helpers import Tx, active_group, conduct, pay, pay_dues

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE  # ₹40,000 over 4 tickets
DEDUCTION = 2_000 * RUPEE  # the default agreement: 5 % of ₹40,000


def set_terms(tx: Tx, group_id: int, **terms: Any) -> None:
    """Agreement terms as the terms screen would have frozen them at the start (written as the row)."""
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        for name, value in terms.items():
            setattr(group, name, value)
        s.add(group)


def defaulter_group(tx: Tx, boss: Actor, months: int = 3, paid: int = 5_000 * RUPEE, **changes: Any):
    """A 4-ticket group (₹40,000) in month `months`: tickets 2-4 paid every month and took the
    draws; ticket 1 paid only `paid` and owes the rest. Returns (group id, ticket ids)."""
    changes.setdefault("foreman_first_chit", "")  # every seat a member's (s.21(1)(a) opted out)
    group_id, tickets = active_group(tx, boss, tickets=4, chit_value="40,000", **changes)
    if paid:
        pay(tx, boss, tickets[0], paid)
    for month in range(1, months):
        pay_dues(tx, boss, tickets[1:], month)
        conduct(tx, boss, group_id)
    return group_id, tickets


def declare(tx: Tx, boss: Actor, ticket_id: int, days_ago: int = 0) -> None:
    """Declared in default (the notice sent), `days_ago` days back."""
    with tx() as s:
        defaults.declare_default(s, actor=boss, ticket_id=ticket_id, reason="Three instalments unpaid")
    if days_ago:
        with tx() as s:
            ticket = s.get(Ticket, ticket_id)
            ticket.defaulted_at -= timedelta(days=days_ago)
            s.add(ticket)


def substitute(tx: Tx, boss: Actor, ticket_id: int, mode: str = "default", **who: Any):
    """Remove (or let exit) `ticket_id`; a new person takes the seat unless `who` says otherwise."""
    who = who or {"substitute": "new", "name": "Sita Substitute", "mobile": "9700000001"}
    with tx() as s:
        return substitution.remove_and_substitute(
            s, actor=boss, ticket_id=ticket_id, mode=mode, reason="Did not pay after the notice", **who
        )


def seated(tx: Tx, group_id: int, ticket_no: int) -> Ticket:
    with tx() as s:
        return s.exec(
            select(Ticket).where(
                Ticket.group_id == group_id, Ticket.ticket_no == ticket_no, Ticket.status != "removed"
            )
        ).one()


__all__ = [
    "DEDUCTION",
    "INSTALLMENT",
    "RUPEE",
    "declare",
    "defaulter_group",
    "seated",
    "set_terms",
    "substitute",
]
