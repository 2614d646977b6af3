"""Builders for service tests. Everything goes through the real services, one transaction per step,
so the database the assertions look at is exactly what the app would have committed."""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from luckychit_app.db import transaction
from luckychit_app.models import (
    AgentAssignment,
    Branch,
    ChitGroup,
    Draw,
    Installment,
    OutboxMessage,
    Payment,
    StaffMember,
    Ticket,
    User,
)
from luckychit_app.services.access import Actor
from luckychit_app.services.draws import conducting
from luckychit_app.services.groups import setup
from luckychit_app.services.groups.terms import seats_taken
from luckychit_app.services.money import offline_payments
from luckychit_app.services.money.allocation import apply_captured
from luckychit_app.services.money.dues import due_lines
from luckychit_app.services.people import auth, companies, members

Tx = Callable[[], AbstractContextManager[Session]]

PASSWORD = "secret123"
_mobiles = itertools.count(1)

# An auction group: 5 % commission, discounts up to 30 % in steps of ₹500.
AUCTION = {
    "kind": "auction",
    "chit_value": "1,00,000",
    "commission_pct": "5",
    "max_discount_pct": "30",
    "min_bid_step": "500",
}


def new_mobile() -> str:
    """A valid Indian mobile number not used before in this test run."""
    return f"98{next(_mobiles):08d}"


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: equal snapshots mean nothing changed. On
    SQLite the driver's raw rows, as SQLite stores them: converting every value cost three times as
    much, and refusal checks take two snapshots per call (the access matrix, the fuzz test and the
    state machines spent a quarter of their time here)."""
    tables = SQLModel.metadata.sorted_tables
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            raw = conn.connection.driver_connection
            return {
                table.name: raw.execute(sql).fetchall()
                for table, sql in zip(tables, _raw_selects(), strict=True)
            }
        return {
            table.name: [
                tuple(row) for row in conn.execute(sa_select(table).order_by(*table.primary_key.columns))
            ]
            for table in tables
        }


@functools.cache
def _raw_selects() -> tuple[str, ...]:
    return tuple(
        f'SELECT * FROM "{table.name}" ORDER BY '
        + ", ".join(f'"{column.name}"' for column in table.primary_key.columns)
        for table in SQLModel.metadata.sorted_tables
    )


def signup_code(s: Session, mobile: str) -> str:
    """The sign-up code auth.request_signup_code texts to `mobile`, read from the outbox as the
    member's phone would show it. The text is then taken out of the outbox (as if delivered and
    read), so tests that count what later steps queue see only those; tests/services/people/
    test_signup_codes.py checks the sign-up texts themselves."""
    number = auth.request_signup_code(s, mobile=mobile)
    text = s.exec(
        select(OutboxMessage).where(OutboxMessage.recipient == number).order_by(OutboxMessage.id.desc())
    ).first()
    found = re.search(r"\b(\d{6})\b", text.body if text else "")
    assert found, f"no sign-up code in the text to {number}: {text!r}"
    s.delete(text)
    s.flush()
    return found.group(1)


def foreman(tx: Tx, name: str = "Ramesh Kumar", mobile: str | None = None) -> Actor:
    """A foreman signed up through the real sign-up service."""
    mobile = mobile or new_mobile()
    with tx() as s:
        code = signup_code(s, mobile)
        token = auth.sign_up_foreman(s, name=name, mobile=mobile, code=code, password=PASSWORD)
        actor, _ = auth.actor_for_token(s, token)
    return actor


def main_branch_id(s: Session, actor: Actor) -> int:
    """The first branch of the actor's company, founded with the foreman's account."""
    return s.exec(select(Branch.id).where(Branch.company_id == actor.company_id).order_by(Branch.id)).first()


def branch(tx: Tx, owner: Actor, name: str, code: str) -> int:
    """A second (third, ...) branch of the owner's company, through the real service."""
    with tx() as s:
        return companies.add_branch(s, actor=owner, name=name, code=code).id


def staff(tx: Tx, owner: Actor, role: str, branch_id: int | None = None, name: str | None = None) -> Actor:
    """A staff account of the owner's company (in its first branch unless `branch_id` says), written
    as rows: the invitation service has tests of its own."""
    with tx() as s:
        where = branch_id if branch_id is not None or role == "accountant" else main_branch_id(s, owner)
        user = User(
            mobile=new_mobile(),
            name=name or f"{role.replace('_', ' ').title()} {next(_mobiles)}",
            role="staff",
            password_hash="x",
        )
        s.add(user)
        s.flush()
        s.add(
            StaffMember(
                company_id=owner.company_id,
                branch_id=where,
                user_id=user.id,
                role=role,
                invited_by_id=owner.user_id,
            )
        )
        s.flush()
        return auth.actor_for_user(s, user.id)


def assign_agent(tx: Tx, owner: Actor, agent: Actor, member_id: int) -> None:
    """The member's dues in the agent's branch are the agent's to collect (written as a row)."""
    with tx() as s:
        s.add(
            AgentAssignment(
                branch_id=agent.branch_id,
                member_id=member_id,
                agent_id=agent.user_id,
                assigned_by_id=owner.user_id,
            )
        )


def staff_cash(tx: Tx, collector: Actor, ticket_id: int, paise: int) -> int:
    """Cash a staff member took from a member, as the field and desk flows record it: a captured cash
    payment held by them (their custody account) until a confirmed hand-over. Returns its id."""
    with tx() as s:
        ticket = s.get(Ticket, ticket_id)
        group = s.get(ChitGroup, ticket.group_id)
        payment = offline_payments.payment_in_hand(
            s,
            group=group,
            ticket=ticket,
            paise=paise,
            method="cash",
            reference="-",
            recorded_by_id=collector.user_id,
        )
        s.add(payment)
        s.flush()
        apply_captured(s, payment=payment, group=group, actor_id=collector.user_id, held_by=collector.user_id)
        return payment.id


def group_form(**changes: Any) -> dict[str, Any]:
    """A valid lucky-draw form as the browser sends it (strings), with `changes` applied."""
    form: dict[str, Any] = {
        "name": "Diwali Savings",
        "kind": "lucky",
        "chit_value": "30,000",
        "tickets": "3",
        "commission_pct": "5",
        "max_discount_pct": "30",
        "min_bid_step": "100",
        "draw_day": "10",
        # The Act's default (s.21(1)(a)) is on; these tests seat members in every ticket.
        "foreman_first_chit": "off",
    }
    form.update(changes)
    return form


def create_group(tx: Tx, actor: Actor, **changes: Any) -> int:
    with tx() as s:
        return setup.create_group(s, actor=actor, form=group_form(**changes)).id


def add_members(tx: Tx, actor: Actor, group_id: int, count: int) -> list[int]:
    """Seat `count` new members; returns their ticket ids."""
    ids = []
    for i in range(count):
        with tx() as s:
            ticket, _ = members.add_member(
                s, actor=actor, group_id=group_id, name=f"Member {i + 1}", mobile=new_mobile()
            )
            ids.append(ticket.id)
    return ids


def active_group(tx: Tx, actor: Actor, tickets: int = 3, **changes: Any) -> tuple[int, list[int]]:
    """A started group with every seat filled: (group id, ticket ids in ticket-number order)."""
    group_id = create_group(tx, actor, tickets=str(tickets), **changes)
    with tx() as s:
        taken = seats_taken(s, group_id)
    add_members(tx, actor, group_id, tickets - taken)
    with tx() as s:
        setup.activate_group(s, actor=actor, group_id=group_id, start="2026-01-01")
    return group_id, ticket_ids(tx, group_id)


def ticket_ids(tx: Tx, group_id: int) -> list[int]:
    with tx() as s:
        return list(
            s.exec(select(Ticket.id).where(Ticket.group_id == group_id).order_by(Ticket.ticket_no)).all()
        )


def member_actor(tx: Tx, ticket_id: int) -> Actor:
    with tx() as s:
        return Actor(s.get(Ticket, ticket_id).member_id, "member")


def current_draw(tx: Tx, group_id: int) -> Draw:
    with tx() as s:
        return s.exec(
            select(Draw).where(Draw.status.in_(("committed", "bidding")), Draw.group_id == group_id)
        ).one()


def outstanding(tx: Tx, ticket_id: int, up_to_month: int | None = None) -> int:
    with tx() as s:
        return sum(ln.outstanding for ln in due_lines(s, ticket_id=ticket_id, up_to_month=up_to_month))


def rupees(paise: int) -> str:
    return f"{paise // 100}.{paise % 100:02d}"


def pay(tx: Tx, actor: Actor, ticket_id: int, paise: int, method: str = "cash") -> Payment:
    with tx() as s:
        return offline_payments.record_offline_payment(
            s, actor=actor, ticket_id=ticket_id, amount=rupees(paise), method=method
        )


def pay_dues(tx: Tx, actor: Actor, tickets: list[int], up_to_month: int) -> None:
    """Pay each ticket's outstanding dues up to `up_to_month` exactly."""
    for ticket_id in tickets:
        owing = outstanding(tx, ticket_id, up_to_month)
        if owing:
            pay(tx, actor, ticket_id, owing)


def conduct(tx: Tx, actor: Actor, group_id: int) -> Draw:
    draw_id = current_draw(tx, group_id).id
    with tx() as s:
        return conducting.conduct_draw(s, actor=actor, draw_id=draw_id, members_online=3)


def installments(tx: Tx, group_id: int, month: int) -> list[Installment]:
    with tx() as s:
        return list(
            s.exec(
                select(Installment)
                .where(Installment.group_id == group_id, Installment.month == month)
                .order_by(Installment.ticket_id)
            ).all()
        )


def race(engine: Engine, calls: list[Callable[[Session], object]], timeout: float = 180) -> list[object]:
    """Each call in its own thread and transaction, all released together (a barrier): the
    concurrent requests of real users. Returns each call's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            with transaction(engine) as s:
                results[i] = calls[i](s)
        except Exception as exc:  # the test inspects whatever happened
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a racing call hung"
    return results
