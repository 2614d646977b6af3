"""How the books' accounts are named for people: "Asha Rao — Diwali Savings ticket 3 (dues
receivable)" for ``ticket:74:receivable``, "Diwali Savings — cash" for ``group:7:cash``.

The books name accounts by ids (domain/ledger.py) so that a name can never be mistyped into a new
account; an auditor, a Tally import or a foreman reads names. This module is the one rule that turns
the first into the second, given the names of the groups, tickets and people the ids point at
(services/reporting/account_names.py looks those up, in three queries whatever the number of
accounts). Pure: no database; an account whose ids are not in the maps falls back to its ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from luckychit_app.domain.ledger import account_kind

DASH = " — "


@dataclass(frozen=True)
class TicketName:
    """What names a ticket's accounts: its member, its group and its number in the group."""

    member: str
    group: str
    ticket_no: int


@dataclass(frozen=True)
class Refs:
    """The ids an account list points at, for one batched lookup per kind."""

    groups: frozenset[int]
    tickets: frozenset[int]
    people: frozenset[int]


_TICKET_WHAT = {
    "receivable": "dues receivable",
    "prize_payable": "prize payable",
    "refund_payable": "refund payable",
    "security_deposit": "security deposit held",
}
_FOREMAN_WHAT = {
    "commission": "Commission income",
    "gst_payable": "GST payable",
    "own_cash": "Foreman's own money (from closed groups)",
}


def _id(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 else None


def refs_of(accounts: Iterable[str]) -> Refs:
    """The group, ticket and person ids named by these accounts (unknown names are skipped)."""
    groups: set[int] = set()
    tickets: set[int] = set()
    people: set[int] = set()
    for account in accounts:
        kind, parts = account_kind(account), account.split(":")
        if kind is None:
            continue
        ref = _id(parts[1])
        if ref is None:
            continue
        if parts[0] == "ticket":
            tickets.add(ref)
        elif parts[0] == "group":
            groups.add(ref)
            if kind == "cash_with" and (holder := _id(parts[-1])) is not None:
                people.add(holder)
        elif parts[0] == "foreman":
            people.add(ref)
    return Refs(frozenset(groups), frozenset(tickets), frozenset(people))


def account_label(
    account: str,
    *,
    groups: Mapping[int, str],
    tickets: Mapping[int, TicketName],
    people: Mapping[int, str],
    name_foreman: bool = False,
) -> str:
    """The account as a person reads it. ``name_foreman`` adds the foreman's name to their own
    accounts ("Commission income (Ramesh Kumar)"), for a list that spans several foremen."""
    kind, parts = account_kind(account), account.split(":")
    if kind is None:
        return account
    ref = _id(parts[1])
    if parts[0] == "ticket":
        t = tickets.get(ref) if ref is not None else None
        seat = f"{t.member}{DASH}{t.group} ticket {t.ticket_no}" if t else f"Ticket id {parts[1]}"
        return f"{seat} ({_TICKET_WHAT.get(kind, kind.replace('_', ' '))})"
    if parts[0] == "foreman":
        what = _FOREMAN_WHAT.get(kind, kind.replace("_", " ").capitalize())
        if name_foreman:
            who = people.get(ref, f"foreman id {parts[1]}") if ref is not None else parts[1]
            return f"{what} ({who})"
        return what
    group = groups.get(ref, f"Group id {parts[1]}") if ref is not None else f"Group {parts[1]}"
    if kind == "cash":
        return f"{group}{DASH}cash"
    if kind == "cash_with":
        holder = _id(parts[-1])
        who = people.get(holder, f"staff id {parts[-1]}") if holder is not None else parts[-1]
        return f"{group}{DASH}cash with {who} (not yet handed over)"
    if kind == "pot":
        return f"{group}{DASH}month {parts[-1]} pot"
    if kind == "late_fees":
        return f"{group}{DASH}late fees"
    if kind == "carry_forward":
        return f"{group}{DASH}carried forward (dividend remainders)"
    return account
