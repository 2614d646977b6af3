"""A foreman's financial-year statements from the books (issue 19, item 8), per group and in total.

The year is the Indian financial year, 1 April to 31 March (Income-tax Act 1961 s.2(34) with s.3;
domain/financial_year.py), drawn up at 31 March or at a chosen day within the year, in IST days:

* the trial balance: every account's debit or credit balance at that day, named for people
  (account_names) with its code and the Tally group it belongs to. Income accounts (commission,
  late fees: the income groups of domain/tally.py) show the year's income only; what they earned
  in earlier years is one line, "income of earlier years", as a year-end close would carry it to
  the capital account. Debits equal credits, for each group and in total, by construction;
* the receipts and payments account: money in hand (domain/tally.py CASH_KINDS) at the start of
  the year, what came in and went out by head (subscriptions, prizes, refunds, deposits, ...) and
  what was in hand at the day. Every entry that moves cash counts each of its other lines under
  its head, so opening + receipts - payments = closing, exactly, for each group;
* commission income and the GST charged on it, by month, April to March (CGST Act 2017 s.9: the
  foreman, the supplier of the chit service, owes the GST on the commission).

Every figure is a sum of postings (DESIGN §6), added up by the database in a handful of grouped
queries whatever the number of groups or entries; the screens and files get display strings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, or_
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import format_date, format_datetime_ist, to_ist, today_ist, utcnow
from luckychit_app.domain import financial_year as fy
from luckychit_app.domain import ledger, tally
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, JournalEntry, PostingRow
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.reporting.account_names import account_names
from luckychit_app.services.reporting.books_scope import Books, books_of, day_bounds, first_day
from luckychit_app.services.validation import clean_date

EARLIER = "income:earlier_years"
"""The trial balance's line for income of earlier years (not an account of the books)."""
EARLIER_NAME = "Income of earlier years (carried to the capital account)"
INCOME_KINDS = frozenset(k for k, parent in tally.PARENTS.items() if parent.endswith("Incomes"))
ALL = 0
"""The key of the all-groups figures beside each group's."""

_HEADS: dict[tuple[str, bool], str] = {
    # (the other line's account kind, money came in) -> the head it is shown under
    ("receivable", True): "Subscriptions and dues received from members",
    ("receivable", False): "Refunds of advances and reversed payments",
    ("prize_payable", False): "Prizes paid to members",
    ("prize_payable", True): "Prize money returned",
    ("refund_payable", False): "Refunds paid to subscribers who left",
    ("security_deposit", True): "Security deposits received",
    ("security_deposit", False): "Security deposits returned",
    ("gst_payable", False): "GST paid to the government",
    ("gst_payable", True): "GST collected",
    ("commission", True): "Commission received",
    ("commission", False): "Commission withdrawn",
    ("late_fees", True): "Late fees received",
    ("late_fees", False): "Late fees returned",
    ("carry_forward", False): "Dividend remainders paid out",
    ("carry_forward", True): "Dividend remainders received",
}


def _cash_entries(books: Books) -> Select:
    """Sub-select of the ids of these books' entries that move money in hand (tally.CASH_KINDS): a
    group's cash, staff custody, the foreman's own money. On an alias of the postings, so that it
    never correlates with the query it sits in."""
    cash = aliased(PostingRow)
    return select(cash.entry_id).where(
        cash.group_id.in_(books.groups),
        or_(
            cash.account.like("group:%:cash"),
            cash.account.like(ledger.cash_with_like(), escape="\\"),
            cash.account.like("foreman:%:own\\_cash", escape="\\"),
        ),
    )


@dataclass
class Figures:
    """The year's figures in paise, by group id (and ALL): what the statements display."""

    year: int
    first: date
    as_of: date
    groups: dict[int, str]
    trial: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    cash_open: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    cash_close: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    flows: dict[int, dict[tuple[str, bool], int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    monthly: dict[int, dict[tuple[int, int], list[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: [0, 0]))
    )


def clean_year(value: object) -> int:
    try:
        return fy.parse_fy(value)
    except DomainError as exc:
        raise ServiceError(exc.message, "fy") from exc


def clean_as_of(year: int, value: object) -> date:
    """The day the statements are drawn up at: 31 March unless a day of the year is chosen (and
    never a day still to come for the current year: then today)."""
    first, last = fy.fy_bounds(year)
    if value is None or value == "":
        return min(last, max(first, today_ist()))
    day = clean_date(value, field="as_of", label="As at")
    if not first <= day <= last:
        raise ServiceError(
            f"Choose a day of FY {fy.fy_label(year)}: {format_date(first)} to {format_date(last)}.", "as_of"
        )
    return day


def figures(session: Session, books: Books, year: int, as_of: date) -> Figures:
    """Everything the statements show, in paise, from six grouped queries."""
    first = fy.fy_bounds(year)[0]
    lo, hi = day_bounds(first, as_of)
    names = dict(
        session.exec(select(ChitGroup.id, ChitGroup.name).where(ChitGroup.id.in_(books.groups))).all()
    )
    out = Figures(year=year, first=first, as_of=as_of, groups=names)
    in_books = PostingRow.group_id.in_(books.groups)
    dated = select(PostingRow.group_id, PostingRow.account, func.sum(PostingRow.amount)).join(
        JournalEntry, JournalEntry.id == PostingRow.entry_id
    )
    for gid, account, total in session.exec(
        dated.where(in_books, JournalEntry.created_at < hi).group_by(PostingRow.group_id, PostingRow.account)
    ).all():
        out.trial[gid][account] += int(total)
        if ledger.account_kind(account) in tally.CASH_KINDS:
            out.cash_close[gid] += int(total)
    for gid, account, total in session.exec(
        dated.where(in_books, JournalEntry.created_at < lo).group_by(PostingRow.group_id, PostingRow.account)
    ).all():
        kind = ledger.account_kind(account)
        if kind in INCOME_KINDS:  # the year's income only; earlier years' on one line
            out.trial[gid][account] -= int(total)
            out.trial[gid][EARLIER] += int(total)
        elif kind in tally.CASH_KINDS:
            out.cash_open[gid] += int(total)
    cash_entries = _cash_entries(books)
    flows = session.exec(
        select(
            PostingRow.group_id,
            PostingRow.account,
            func.sum(case((PostingRow.amount > 0, PostingRow.amount), else_=0)),
            func.sum(case((PostingRow.amount < 0, PostingRow.amount), else_=0)),
        )
        .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
        .where(
            in_books,
            JournalEntry.created_at >= lo,
            JournalEntry.created_at < hi,
            PostingRow.entry_id.in_(cash_entries),
        )
        .group_by(PostingRow.group_id, PostingRow.account)
    ).all()
    for gid, account, debits, credits in flows:
        kind = ledger.account_kind(account) or "other"
        if kind in tally.CASH_KINDS:
            continue
        # A credit beside cash is money in under that line's head, a debit money out.
        out.flows[gid][(kind, True)] += -int(credits or 0)
        out.flows[gid][(kind, False)] += int(debits or 0)
    income = session.exec(
        select(
            PostingRow.group_id,
            PostingRow.account,
            PostingRow.amount,
            JournalEntry.created_at,
            PostingRow.entry_id.in_(cash_entries),
        )
        .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
        .where(
            in_books,
            JournalEntry.created_at >= lo,
            JournalEntry.created_at < hi,
            or_(
                PostingRow.account.like("foreman:%:commission"),
                PostingRow.account.like("foreman:%:gst\\_payable", escape="\\"),
            ),
        )
    ).all()
    for gid, account, amount, at, paid in income:
        day = to_ist(at).date()
        kind = ledger.account_kind(account)
        if kind == "commission":
            out.monthly[gid][(day.year, day.month)][0] -= int(amount)
        elif kind == "gst_payable" and not paid:  # charged on commission; paying it over is not
            out.monthly[gid][(day.year, day.month)][1] -= int(amount)
    _add_totals(out)
    return out


def _add_totals(out: Figures) -> None:
    """The ALL figures: every group's added up (accounts are the same codes in every group only
    for the foreman's own accounts, which is what a total by account wants)."""
    for gid in list(out.trial):
        for account, paise in out.trial[gid].items():
            out.trial[ALL][account] += paise
    for gid in list(out.cash_open):
        out.cash_open[ALL] += out.cash_open[gid]
    for gid in list(out.cash_close):
        out.cash_close[ALL] += out.cash_close[gid]
    for gid in list(out.flows):
        for head, paise in out.flows[gid].items():
            out.flows[ALL][head] += paise
    for gid in list(out.monthly):
        for month, (commission, gst) in out.monthly[gid].items():
            out.monthly[ALL][month][0] += commission
            out.monthly[ALL][month][1] += gst


def head_name(kind: str, money_in: bool) -> str:
    """The head a receipt or payment is shown under."""
    return _HEADS.get((kind, money_in), f"Other {'receipts' if money_in else 'payments'} ({kind})")


# --- display ------------------------------------------------------------------------------------


def _group_keys(f: Figures) -> list[int]:
    """The groups with anything to show, by name, then ALL last."""
    used = set(f.trial) | set(f.flows) | set(f.monthly) | set(f.cash_open)
    return [*sorted((g for g in used if g != ALL), key=lambda g: (f.groups.get(g, ""), g)), ALL]


def _group_name(f: Figures, gid: int) -> str:
    return "All groups" if gid == ALL else f.groups.get(gid, f"Group id {gid}")


def trial_rows(f: Figures, gid: int, names: dict[str, str]) -> list[dict[str, str]]:
    """One group's (or ALL's) trial balance, accounts with a balance only, sorted by Tally group."""
    rows = []
    for account, paise in f.trial.get(gid, {}).items():
        if not paise:
            continue
        parent = "Capital Account" if account == EARLIER else tally.parent_group(ledger.account_kind(account))
        rows.append(
            {
                "account": EARLIER_NAME if account == EARLIER else names.get(account, account),
                "code": account,
                "tally_group": parent,
                "debit": format_inr(paise) if paise > 0 else "",
                "credit": format_inr(-paise) if paise < 0 else "",
                "paise": paise,
            }
        )
    rows.sort(key=lambda r: (r["tally_group"], r["account"].casefold()))
    return rows


def totals(f: Figures, gid: int) -> tuple[int, int]:
    """(debits, credits) of a trial balance: equal whenever the books balance."""
    values = f.trial.get(gid, {}).values()
    return sum(p for p in values if p > 0), -sum(p for p in values if p < 0)


def cash_heads(f: Figures, gid: int, money_in: bool) -> list[tuple[str, int]]:
    heads: dict[str, int] = defaultdict(int)
    for (kind, came_in), paise in f.flows.get(gid, {}).items():
        if came_in == money_in and paise:
            heads[head_name(kind, money_in)] += paise
    return sorted(heads.items())


def statements(
    session: Session, *, actor: Actor | None, foreman_id: object, year: object, as_of: object = None
) -> dict:
    """The year's statements as display strings, for the page, the printable view and the files."""
    books = books_of(session, actor, foreman_id)
    y = clean_year(year)
    f = figures(session, books, y, clean_as_of(y, as_of))
    names = account_names(session, {a for gid in f.trial for a in f.trial[gid] if a != EARLIER})
    keys = _group_keys(f)
    groups = []
    for gid in keys:
        debit, credit = totals(f, gid)
        receipts, payments = cash_heads(f, gid, True), cash_heads(f, gid, False)
        months = [
            {
                "month": fy.month_label(*m),
                "commission": format_inr(f.monthly.get(gid, {}).get(m, [0, 0])[0]),
                "gst": format_inr(f.monthly.get(gid, {}).get(m, [0, 0])[1]),
            }
            for m in fy.fy_months(y)
        ]
        year_income = [sum(v[i] for v in f.monthly.get(gid, {}).values()) for i in (0, 1)]
        groups.append(
            {
                "group": _group_name(f, gid),
                "all": gid == ALL,
                "trial": trial_rows(f, gid, names),
                "debit": format_inr(debit),
                "credit": format_inr(credit),
                "balanced": debit == credit,
                "opening": format_inr(f.cash_open.get(gid, 0)),
                "closing": format_inr(f.cash_close.get(gid, 0)),
                "receipts": [{"head": h, "amount": format_inr(p)} for h, p in receipts],
                "payments": [{"head": h, "amount": format_inr(p)} for h, p in payments],
                "receipts_total": format_inr(sum(p for _h, p in receipts)),
                "payments_total": format_inr(sum(p for _h, p in payments)),
                "months": months,
                "commission_total": format_inr(year_income[0]),
                "gst_total": format_inr(year_income[1]),
            }
        )
    return {
        "foreman": books.foreman_name,
        "foreman_id": books.foreman_id,
        "year": y,
        "fy": fy.fy_label(y),
        "from": format_date(f.first),
        "as_of": format_date(f.as_of),
        "as_of_iso": f.as_of.isoformat(),
        "printed_at": format_datetime_ist(utcnow()),
        "groups": groups,
    }


def years(session: Session, books: Books) -> list[int]:
    """The financial years these books have entries in, newest first (this year when none)."""
    now = fy.fy_of(today_ist())
    start = first_day(session, books)
    first = min(fy.fy_of(start), now) if start else now
    return list(range(now, first - 1, -1))
