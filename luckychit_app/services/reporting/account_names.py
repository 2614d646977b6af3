"""The one place that names the books' accounts for people (issue 19, item 11).

Every export, statement or screen that shows an account (the ledger CSV, the Tally file, the
financial-year statements) calls :func:`account_names` with the accounts it is about to show and
gets "Asha Rao — Diwali Savings ticket 3 (dues receivable)", "Diwali Savings — cash", "Commission
income" back; the wording itself is domain/account_labels.py. The ids inside the account codes are
looked up in at most three queries (tickets with their member and group, groups, people), whatever
the number of accounts: never one query per row. Callers keep the code beside the name, so an
accountant can trace a line back to the books.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from luckychit_app.domain.account_labels import TicketName, account_label, refs_of
from luckychit_app.models import ChitGroup, Ticket, User


def account_names(session: Session, accounts: Iterable[str]) -> dict[str, str]:
    """{account code: readable name} for these accounts. Foreman accounts carry the foreman's name
    only when the list spans more than one foreman (a foreman's own books say "Commission income")."""
    wanted = set(accounts)
    refs = refs_of(wanted)
    tickets: dict[int, TicketName] = {}
    if refs.tickets:
        tickets = {
            tid: TicketName(member=member, group=group, ticket_no=no)
            for tid, no, member, group in session.exec(
                select(Ticket.id, Ticket.ticket_no, User.name, ChitGroup.name)
                .join(User, User.id == Ticket.member_id)
                .join(ChitGroup, ChitGroup.id == Ticket.group_id)
                .where(Ticket.id.in_(refs.tickets))
            ).all()
        }
    groups: dict[int, str] = {}
    if refs.groups:
        groups = dict(
            session.exec(select(ChitGroup.id, ChitGroup.name).where(ChitGroup.id.in_(refs.groups))).all()
        )
    people: dict[int, str] = {}
    if refs.people:
        people = dict(session.exec(select(User.id, User.name).where(User.id.in_(refs.people))).all())
    foremen = {a.split(":")[1] for a in wanted if a.startswith("foreman:")}
    return {
        account: account_label(
            account, groups=groups, tickets=tickets, people=people, name_foreman=len(foremen) > 1
        )
        for account in wanted
    }
