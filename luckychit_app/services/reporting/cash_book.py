"""A branch's cash book for one Indian calendar day (issue 23): who held how much of the branch's
cash when the day opened, what each collected, received and handed over, what each held when it
closed, the day's cash receipts and hand-overs, and what the manager must look at.

Everything is read from the books (DESIGN §6): a holder's custody is the sum of postings on their
``group:G:cash_with:U`` accounts of the branch's groups, split by the day the entry was recorded
(its journal entry's time, in IST). So for every holder, by construction and by test:
``opening + collected + received - handed over + adjusted == closing``, where "adjusted" is any
other entry on a custody account (a reversal). The till is the branch's group cash accounts; bank,
UPI and online money is in them too, so the cash received at the counter is listed separately.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import String, case, cast, func, literal, or_
from sqlmodel import Session, select

from luckychit_app.clock import format_date, format_datetime_ist, ist_day_bounds, today_ist
from luckychit_app.domain import ledger as books
from luckychit_app.domain.money import format_inr, receipt_label
from luckychit_app.models import Branch, CashHandover, ChitGroup, JournalEntry, Payment, PostingRow
from luckychit_app.services.access import Actor, in_company
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money.cash_custody import (
    branch_for_cash,
    handover_views,
    staff_labels,
    user_names,
)
from luckychit_app.services.money.ledger import custody_rows
from luckychit_app.services.people.companies import branches_in_reach
from luckychit_app.services.validation import clean_date

HOLDER_COLUMNS = ("opening", "collected", "received", "handed_over", "adjusted", "closing")


def book_branches(session: Session, *, actor: Actor | None) -> list[dict[str, str]]:
    """The branches whose cash book the actor may read ("cash" or "books", or the owner): [] for
    everyone else, so the page shows no cash book to an agent."""
    if not in_company(actor) or not (actor.can("cash") or actor.can("books")):
        return []
    return [{"id": str(b.id), "name": b.name, "code": b.code} for b in branches_in_reach(session, actor)]


def _clean_day(value: object) -> date:
    if value is None or value == "":
        return today_ist()
    day = clean_date(value, field="cashbook-date", label="Day")
    if day > today_ist():
        raise ServiceError("The cash book can only be read for today or an earlier day.", "cashbook-date")
    return day


def _money(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    for key in keys:
        row[f"{key}_text"] = format_inr(row[key])
    return row


def _custody_and_till(
    session: Session, branch: Branch, start: datetime, end: datetime
) -> tuple[dict[int, dict[str, int]], dict[str, int]]:
    """Per holder the columns of HOLDER_COLUMNS, and the till's opening, handed in, other, closing."""
    groups = select(ChitGroup.id).where(ChitGroup.branch_id == branch.id)
    till_accounts = PostingRow.account.like("group:%:cash")
    people: dict[int, dict[str, int]] = {}

    def holder(user_id: int) -> dict[str, int]:
        return people.setdefault(user_id, dict.fromkeys(HOLDER_COLUMNS, 0))

    for _group, _branch, user_id, paise in custody_rows(session, groups, before=start):
        holder(user_id)["opening"] += paise
    opening_till = session.exec(
        select(func.sum(PostingRow.amount))
        .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
        .where(PostingRow.group_id.in_(groups), till_accounts, JournalEntry.created_at < start)
    ).one()
    till = {"opening": int(opening_till or 0), "handed_in": 0, "other": 0, "closing": 0}
    day = (
        select(
            PostingRow.account,
            JournalEntry.kind,
            func.sum(case((PostingRow.amount > 0, PostingRow.amount), else_=0)),
            func.sum(case((PostingRow.amount < 0, -PostingRow.amount), else_=0)),
        )
        .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
        .where(
            PostingRow.group_id.in_(groups),
            or_(PostingRow.account.like(books.cash_with_like(), escape="\\"), till_accounts),
            JournalEntry.created_at >= start,
            JournalEntry.created_at < end,
        )
    )
    for account, kind, debits, credits in session.exec(
        day.group_by(PostingRow.account, JournalEntry.kind)
    ).all():
        debits, credits = int(debits or 0), int(credits or 0)
        if books.account_kind(account) != "cash_with":
            if kind == books.KIND_HANDOVER:
                till["handed_in"] += debits - credits
            else:
                till["other"] += debits - credits
            continue
        row = holder(books.holder_of(account))
        if kind == books.KIND_PAYMENT:
            row["collected"] += debits
            row["adjusted"] -= credits
        elif kind == books.KIND_HANDOVER:
            row["received"] += debits
            row["handed_over"] += credits
        else:
            row["adjusted"] += debits - credits
    for row in people.values():
        row["closing"] = (
            row["opening"] + row["collected"] + row["received"] - row["handed_over"] + row["adjusted"]
        )
    till["closing"] = till["opening"] + till["handed_in"] + till["other"]
    return {uid: row for uid, row in people.items() if any(row.values())}, till


def _receipts(session: Session, branch: Branch, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The day's cash payments of the branch's groups (by when they were recorded), with who holds
    the money: the person who recorded it, or the till."""
    entry_key = literal("payment:") + cast(Payment.id, String)
    rows = session.exec(
        select(
            Payment.receipt_no,
            Payment.amount,
            Payment.payer_id,
            Payment.recorded_by_id,
            ChitGroup.name,
            PostingRow.account,
            JournalEntry.created_at,
        )
        .join(JournalEntry, JournalEntry.key == entry_key)
        .join(PostingRow, (PostingRow.entry_id == JournalEntry.id) & (PostingRow.amount > 0))
        .join(ChitGroup, ChitGroup.id == Payment.group_id)
        .where(
            ChitGroup.branch_id == branch.id,
            Payment.method == "cash",
            JournalEntry.created_at >= start,
            JournalEntry.created_at < end,
        )
        .order_by(Payment.receipt_no)
    ).all()
    names = user_names(session, {r[2] for r in rows} | {r[3] for r in rows})
    out = []
    for receipt_no, amount, payer, recorder, group, account, at in rows:
        with_staff = books.account_kind(account) == "cash_with"
        out.append(
            _money(
                {
                    "receipt": receipt_label(branch.code, receipt_no) if receipt_no else "—",
                    "member": names.get(payer, ""),
                    "group": group,
                    "amount": int(amount),
                    "recorded_by": names.get(recorder, "") if recorder else "",
                    "recorded_by_id": recorder,
                    "held_by": names.get(books.holder_of(account), "") if with_staff else "Till",
                    "at": format_datetime_ist(at),
                },
                "amount",
            )
        )
    return out


def _handovers(session: Session, branch: Branch, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Hand-overs started or decided that day, and every one started by then and still waiting."""
    rows = session.exec(
        select(CashHandover)
        .where(
            CashHandover.branch_id == branch.id,
            or_(
                (CashHandover.created_at >= start) & (CashHandover.created_at < end),
                (CashHandover.decided_at >= start) & (CashHandover.decided_at < end),
                (CashHandover.status == "pending") & (CashHandover.created_at < end),
            ),
        )
        .order_by(CashHandover.created_at, CashHandover.id)
    ).all()
    out = handover_views(session, list(rows))
    for view in out:
        view["declared_text"] = format_inr(view["declared"])
        view["counted_text"] = format_inr(view["counted"]) if view["counted"] is not None else "—"
        view["difference_text"] = format_inr(view["difference"]) if view["difference"] else ""
    return out


def _flags(holders: list[dict[str, Any]], handovers: list[dict[str, Any]]) -> list[str]:
    """What the manager must look at before closing the day."""
    flags = []
    for h in handovers:
        who = f"Hand-over {h['id']} from {h['from_name']} to {h['to_name']}"
        if h["status"] == "pending":
            flags.append(f"{who} ({format_inr(h['declared'])}) is waiting to be counted.")
        elif h["difference"] < 0:
            flags.append(
                f"{who} was {format_inr(-h['difference'])} short: it stays in {h['from_name']}'s custody "
                "until it is found or written off."
            )
        elif h["difference"] > 0:
            flags.append(
                f"{who} counted {format_inr(h['difference'])} more than {h['from_name']} held in the "
                "books: it is not booked to any group; resolve it."
            )
    for row in holders:
        if row["closing"] > 0:
            flags.append(f"{row['name']} still holds {format_inr(row['closing'])} at the end of the day.")
        elif row["closing"] < 0:
            flags.append(
                f"{row['name']}'s custody is {format_inr(row['closing'])}: more handed over than held."
            )
    return flags


def day_cash_book(session: Session, *, actor: Actor | None, branch_id: object, day: object) -> dict[str, Any]:
    """The branch's cash book for `day` (an IST calendar day; today when empty). Money values are
    paise with a ``_text`` twin for the screen."""
    branch = branch_for_cash(session, actor, branch_id)
    when = _clean_day(day)
    start, end = ist_day_bounds(when)
    people, till = _custody_and_till(session, branch, start, end)
    labels = staff_labels(session, people)
    holders = []
    for uid, row in sorted(people.items(), key=lambda kv: (labels[kv[0]].name, kv[0])):
        holders.append(
            _money(
                {"user_id": uid, "name": labels[uid].name, "role": labels[uid].role, **row},
                *HOLDER_COLUMNS,
            )
        )
    totals = _money({c: sum(h[c] for h in holders) for c in HOLDER_COLUMNS}, *HOLDER_COLUMNS)
    handovers = _handovers(session, branch, start, end)
    receipts = _receipts(session, branch, start, end)
    return {
        "branch": {"id": branch.id, "name": branch.name, "code": branch.code},
        "day": when.isoformat(),
        "day_text": format_date(when),
        "holders": holders,
        "totals": totals,
        "till": _money(dict(till), "opening", "handed_in", "other", "closing"),
        "receipts": receipts,
        "receipts_total": sum(r["amount"] for r in receipts),
        "receipts_total_text": format_inr(sum(r["amount"] for r in receipts)),
        "handovers": handovers,
        "flags": _flags(holders, handovers),
    }
