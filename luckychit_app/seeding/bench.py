"""A large, realistic book for benchmarks: `python -m luckychit_app seed-bench`.

The demo seed goes through the services one payment at a time, which is right for a few dozen rows
and far too slow for 160,000 dues. This module builds the same rows the services would write
(users, groups, tickets, every month's dues, payments with their allocations and receipts, draws
with real proofs, payouts, notifications and the double-entry journal) in memory, then bulk
loads them: PostgreSQL's COPY, or executemany of core inserts on SQLite (small books, tests).

The money is built with the domain's own journal builders (`domain.ledger`) and settlement rules
(`domain.settlement`), and the draws with `domain.fairness.run_draw`, so the book obeys every rule
`ledger-check` proves: balanced entries with unique keys, pots cleared at each completed draw,
allocations never beyond a payment or a due, receivables equal to unpaid dues, gap-free receipt
numbers per foreman. One audit row per seeding run is written through `services.audit.record`,
so `audit-verify` passes too. The database must be empty (freshly migrated). `installments.paid`
(the rollup the database keeps with triggers) is written with the dues and the trigger is off
while the allocations are copied, in the same transaction, so ledger-check's rollup check holds.

Shape (defaults: 100 groups, 4,000 members, 40 months): each group has `ceil(members / groups)`
tickets, or `months` if that is more (members hold several tickets when there are fewer members
than seats); every third group is an auction; the groups started between `months` and `months - 3`
months ago, so they are in months 37 to 40 (by default), each with that month's draw committed and
not yet held. Each earlier month was paid in full
(one payment per due), except a few prized members who stopped paying in the last months; the
current month is paid by about two thirds, half-paid by a few, unpaid by the rest.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from unittest import mock

from sqlalchemy import func, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from luckychit_app.clock import IST, today_ist
from luckychit_app.crypto import encrypt
from luckychit_app.domain import ledger as books
from luckychit_app.domain.fairness import DrawInputs, member_ref, new_server_seed, proof_sha256, run_draw
from luckychit_app.domain.money import format_inr
from luckychit_app.domain.schedule import due_date_for
from luckychit_app.domain.settlement import Settlement, settle_auction, settle_lucky
from luckychit_app.domain.terms import GroupTerms
from luckychit_app.models import (
    AuditLog,
    Bid,
    Branch,
    ChitGroup,
    Company,
    Draw,
    Installment,
    JournalEntry,
    Notification,
    Payment,
    PaymentAllocation,
    Payout,
    PostingRow,
    ReceiptCounter,
    Ticket,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.draws.ticket_states import member_ref_secret
from luckychit_app.services.groups.months import seed_context
from luckychit_app.services.money.ledger import _ticket_of
from luckychit_app.services.people.auth import hash_password
from luckychit_app.verify import commitment_of

BENCH_PASSWORD = "bench1234"  # noqa: S105  (printed by the command; benchmark databases only)
ADMIN_MOBILE = "9100000000"
INSTALLMENTS_RUPEES = (2_500, 5_000, 10_000, 25_000)
NAMES = (
    "Priya",
    "Arjun",
    "Lakshmi",
    "Irfan",
    "Sunita",
    "Rahul",
    "Kavita",
    "Suresh",
    "Anjali",
    "Vikram",
    "Meena",
    "Harish",
    "Deepa",
    "Gopal",
    "Fatima",
    "Ravi",
    "Neha",
    "Manoj",
    "Rekha",
    "Sanjay",
)
SURNAMES = ("Sharma", "Nair", "Iyer", "Khan", "Devi", "Verma", "Joshi", "Babu", "Gupta", "Singh", "Rao")

# Columns written per table, in COPY order. Everything else takes its database default (NULL).
COLUMNS: dict[type[SQLModel], tuple[str, ...]] = {
    User: (
        "id",
        "mobile",
        "name",
        "role",
        "password_hash",
        "must_change_password",
        "is_active",
        "language",
        "notify_sms",
        "notify_email",
        "created_at",
    ),
    Company: ("id", "owner_id", "name", "created_at"),
    Branch: ("id", "company_id", "name", "code", "address", "created_at"),
    ChitGroup: (
        "id",
        "foreman_id",
        "branch_id",
        "name",
        "kind",
        "chit_value",
        "tickets",
        "commission_bp",
        "max_discount_bp",
        "min_bid_step",
        "foreman_first_chit",
        "remainder_to",
        "late_fee_mode",
        "late_fee_flat",
        "late_fee_interest_bp",
        "grace_days",
        "draw_day",
        "status",
        "start_date",
        "current_month",
        "invite_code",
        "created_at",
        "updated_at",
    ),
    Ticket: (
        "id",
        "group_id",
        "ticket_no",
        "member_id",
        "status",
        "status_reason",
        "prized_month",
        "joined_at",
    ),
    Installment: ("id", "group_id", "ticket_id", "month", "due_date", "amount", "paid"),
    Payment: (
        "id",
        "group_id",
        "ticket_id",
        "foreman_id",
        "payer_id",
        "amount",
        "method",
        "status",
        "reference",
        "receipt_no",
        "branch_id",
        "failure_reason",
        "late_fee_paid",
        "recorded_by_id",
        "created_at",
        "paid_at",
    ),
    PaymentAllocation: ("id", "payment_id", "installment_id", "amount"),
    ReceiptCounter: ("branch_id", "last_no"),
    Draw: (
        "id",
        "group_id",
        "month",
        "kind",
        "status",
        "commitment",
        "seed_encrypted",
        "committed_at",
        "cutoff_at",
        "bidding_closes_at",
        "started_at",
        "frozen_at",
        "drawn_at",
        "revealed_at",
        "server_seed_hex",
        "winner_ticket_id",
        "discount",
        "prize",
        "commission",
        "dividend_per_ticket",
        "remainder",
        "net_installment",
        "members_online",
        "proof_json",
        "proof_sha256",
    ),
    Bid: ("id", "draw_id", "ticket_id", "discount", "placed_by_id", "in_person", "created_at"),
    Payout: (
        "id",
        "draw_id",
        "group_id",
        "ticket_id",
        "gross",
        "deduction",
        "status",
        "method",
        "reference",
        "paid_on",
        "released_by_id",
        "released_at",
    ),
    JournalEntry: ("id", "key", "kind", "memo", "group_id", "created_by_id", "created_at"),
    PostingRow: ("id", "entry_id", "account", "amount", "group_id", "ticket_id"),
    Notification: ("id", "user_id", "kind", "title", "body", "link", "created_at", "read_at"),
}
# Parents before children, so foreign keys hold at every step of the load.
LOAD_ORDER: tuple[type[SQLModel], ...] = (
    User,
    Company,
    Branch,
    ChitGroup,
    Ticket,
    Installment,
    Draw,
    Bid,
    Payout,
    Payment,
    PaymentAllocation,
    ReceiptCounter,
    JournalEntry,
    PostingRow,
    Notification,
)


@dataclass(frozen=True)
class BenchShape:
    """How big a book to build. `rng_seed` makes two runs build the same book (bar random seeds)."""

    groups: int = 100
    members: int = 4_000
    months: int = 40
    foremen: int = 1
    rng_seed: int = 8

    def __post_init__(self) -> None:
        if not 1 <= self.groups <= 100_000:
            raise ValueError("groups must be between 1 and 100,000")
        if not 2 <= self.members <= 10_000_000:
            raise ValueError("members must be at least 2")
        if not 1 <= self.months <= 100:
            raise ValueError("months must be between 1 and 100")
        if not 1 <= self.foremen <= self.groups:
            raise ValueError("foremen must be between 1 and the number of groups")

    @property
    def tickets_per_group(self) -> int:
        """Seats per group: enough for every member to hold one, within the statutory 2..100."""
        return min(100, max(2, math.ceil(self.members / self.groups), self.months))


@dataclass
class SeedReport:
    counts: dict[str, int]
    build_seconds: float
    load_seconds: float
    foreman_mobiles: list[str]
    member_mobiles: list[str]
    table_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return self.build_seconds + self.load_seconds


@dataclass
class _Book:
    """Rows per table, as tuples in `COLUMNS` order, plus the id counters that name them."""

    rows: dict[type[SQLModel], list[tuple]] = field(default_factory=lambda: defaultdict(list))
    next_ids: dict[type[SQLModel], int] = field(default_factory=lambda: defaultdict(lambda: 1))

    def new_id(self, model: type[SQLModel]) -> int:
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def add(self, model: type[SQLModel], row: tuple) -> None:
        self.rows[model].append(row)

    def post(self, draft: books.JournalDraft, *, group_id: int, by: int | None, at: datetime) -> None:
        """One journal entry and its postings, exactly as `services.money.ledger.post` stores them."""
        entry_id = self.new_id(JournalEntry)
        self.add(JournalEntry, (entry_id, draft.key, draft.kind, draft.memo[:200], group_id, by, at))
        for p in draft.postings:
            self.add(
                PostingRow,
                (self.new_id(PostingRow), entry_id, p.account, p.amount, group_id, _ticket_of(p.account)),
            )


def _ist(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=IST).astimezone(UTC)


def _months_back(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month0 + 1, 1)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}"


@dataclass
class _Group:
    """What the builder needs to remember about one group while it writes its months."""

    row_id: int
    foreman_id: int
    branch_id: int
    name: str
    terms: GroupTerms
    start: date
    current: int
    tickets: list[tuple[int, int, int]]  # (ticket id, ticket no, member id)
    installments: dict[tuple[int, int], int] = field(default_factory=dict)  # (ticket id, month) -> id
    amounts: dict[tuple[int, int], int] = field(default_factory=dict)  # (ticket id, month) -> amount due
    paid: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))  # -> applied
    prized: dict[int, int] = field(default_factory=dict)  # ticket id -> month won


_inr = functools.lru_cache(maxsize=65_536)(format_inr)


def build_book(shape: BenchShape, *, today: date | None = None) -> tuple[_Book, list[str], list[str]]:
    """Every row of the book, in memory. Returns (book, foreman mobiles, member mobiles).

    Babel's formatting was half the build time (every payment's memo formats its amount), and the
    book has only a few hundred distinct amounts, so the journal builders get a memoised
    `format_inr` while the book is built: same text, a fraction of the cost.
    """
    with mock.patch.object(books, "format_inr", _inr):
        return _build_book(shape, today=today)


def _build_book(shape: BenchShape, *, today: date | None) -> tuple[_Book, list[str], list[str]]:
    rng = random.Random(shape.rng_seed)
    today = today or today_ist()
    now = datetime.now(UTC)
    book = _Book()
    password = hash_password(BENCH_PASSWORD)
    ref_secret = member_ref_secret()

    book.add(
        User,
        (
            book.new_id(User),
            ADMIN_MOBILE,
            "Bench Admin",
            "admin",
            password,
            False,
            True,
            "en",
            True,
            False,
            now,
        ),
    )
    foremen: list[int] = []
    foreman_mobiles: list[str] = []
    branch_of: dict[int, int] = {}
    for j in range(shape.foremen):
        uid, mobile = book.new_id(User), f"91{j + 1:08d}"
        book.add(
            User, (uid, mobile, f"Foreman {j + 1}", "foreman", password, False, True, "en", True, False, now)
        )
        foremen.append(uid)
        foreman_mobiles.append(mobile)
        # Each foreman's company, with one branch (ids match: company j+1 has branch j+1).
        company = book.new_id(Company)
        book.add(Company, (company, uid, f"Foreman {j + 1} Chits", now))
        branch_of[uid] = book.new_id(Branch)
        book.add(Branch, (branch_of[uid], company, "Main branch", "MAIN", "", now))
    members: list[int] = []
    member_mobiles: list[str] = []
    for i in range(shape.members):
        uid, mobile = book.new_id(User), f"7{i + 1:09d}"
        lang = "hi" if i % 5 == 4 else "en"
        book.add(User, (uid, mobile, _name(rng), "member", password, False, True, lang, True, False, now))
        members.append(uid)
        member_mobiles.append(mobile)

    seats = shape.tickets_per_group
    longest = min(shape.months, seats)
    receipts: dict[int, int] = defaultdict(int)
    groups: list[_Group] = []
    seat = 0
    for g in range(shape.groups):
        kind = "auction" if g % 3 == 2 else "lucky"
        installment = INSTALLMENTS_RUPEES[g % len(INSTALLMENTS_RUPEES)] * 100
        terms = GroupTerms(
            chit_value=installment * seats,
            tickets=seats,
            kind=kind,
            commission_bp=500,
            max_discount_bp=3000,
            min_bid_step=50_000,
            draw_day=1 + (g * 7) % 28,
        )
        gid = book.new_id(ChitGroup)
        # Groups started over four consecutive months, so they are at different stages.
        current = max(1, longest - g % 4)
        start = _months_back(today, current - 1)
        foreman = foremen[g % len(foremen)]
        name = f"{'Auction' if kind == 'auction' else 'Lucky'} Chit {gid:03d}"
        created = _ist(start, 9) - timedelta(days=14)
        book.add(
            ChitGroup,
            (
                gid,
                foreman,
                branch_of[foreman],
                name,
                kind,
                terms.chit_value,
                seats,
                terms.commission_bp,
                terms.max_discount_bp,
                terms.min_bid_step,
                False,
                "carry",
                "none",
                0,
                0,
                0,
                terms.draw_day,
                "active",
                start,
                current,
                hashlib.sha256(f"bench-invite-{gid}".encode()).hexdigest()[:12],
                created,
                now,
            ),
        )
        tickets = []
        for no in range(1, seats + 1):
            tid = book.new_id(Ticket)
            member = members[seat % len(members)]
            seat += 1
            book.add(Ticket, (tid, gid, no, member, "active", "", None, created))
            tickets.append((tid, no, member))
        group = _Group(gid, foreman, branch_of[foreman], name, terms, start, current, tickets)
        for tid, _, _ in tickets:
            for month in range(1, seats + 1):
                group.installments[(tid, month)] = book.new_id(Installment)
                group.amounts[(tid, month)] = terms.installment
        groups.append(group)

    # Month by month across all groups, so receipt numbers follow the calendar per foreman.
    for month in range(1, longest + 1):
        for group in groups:
            if month <= group.current:
                _play_month(book, rng, group, month, ref_secret, receipts, today, now)

    for group in groups:
        dues = {m: due_date_for(group.start, m, group.terms.draw_day) for m in range(1, seats + 1)}
        for (tid, month), iid in group.installments.items():
            book.add(
                Installment,
                (
                    iid,
                    group.row_id,
                    tid,
                    month,
                    dues[month],
                    group.amounts[(tid, month)],
                    group.paid[(tid, month)],
                ),
            )
    prized = {tid: month for group in groups for tid, month in group.prized.items()}
    book.rows[Ticket] = [
        (tid, gid, no, member, status, reason, prized.get(tid), joined)
        for tid, gid, no, member, status, reason, _, joined in book.rows[Ticket]
    ]
    for branch, last in receipts.items():
        book.add(ReceiptCounter, (branch, last))
    return book, foreman_mobiles, member_mobiles


def _play_month(
    book: _Book,
    rng: random.Random,
    group: _Group,
    month: int,
    ref_secret: bytes,
    receipts: dict[int, int],
    today: date,
    now: datetime,
) -> None:
    """Open `month` (dues raised, draw committed), collect it, and unless it is the current month
    hold its draw or auction, settle it in the books and pay out older prizes."""
    terms, gid = group.terms, group.row_id
    due = due_date_for(group.start, month, terms.draw_day)
    opened = (
        _ist(group.start, 10)
        if month == 1
        else _ist(due_date_for(group.start, month - 1, terms.draw_day), 11)
    )
    opened += timedelta(seconds=1)
    book.post(
        books.dues_raised(gid, month, [(tid, terms.installment) for tid, _, _ in group.tickets]),
        group_id=gid,
        by=group.foreman_id,
        at=opened,
    )
    seed = new_server_seed()
    draw_id = book.new_id(Draw)
    is_current = month == group.current
    drawn_at = _ist(due, 11)
    settlement: Settlement | None = None
    winner: tuple[int, int, int] | None = None
    proof: dict | None = None
    if not is_current:
        unprized = [t for t in group.tickets if t[0] not in group.prized]
        if terms.kind == "lucky":
            settlement = settle_lucky(terms, month)
            candidates = unprized
        else:
            step = terms.min_bid_step
            top = rng.randrange(terms.commission, terms.max_discount + 1, step) if terms.max_discount else 0
            settlement = settle_auction(terms, month, max(top, terms.commission))
            candidates = [rng.choice(unprized)]
        inputs = DrawInputs(
            group_id=gid,
            group_name=group.name,
            draw_id=draw_id,
            month=month,
            kind=("lucky" if len(candidates) > 1 else "single-eligible"),
            commitment=commitment_of(seed),
            committed_at=opened,
            server_seed=seed,
            phrases=[f"bench phrase {month}"] if month % 4 == 0 else [],
            beacon=None,
            cutoff_at=drawn_at,
            eligible=[
                {"ticket": no, "member": member_ref(member, gid, ref_secret)} for _, no, member in candidates
            ],
            frozen_at=drawn_at,
            drawn_at=drawn_at,
            revealed_at=drawn_at,
        )
        proof = run_draw(inputs)
        winner = next(t for t in candidates if t[1] == proof["winner"]["ticket"])
        group.prized[winner[0]] = month
        if settlement.dividend_per_ticket:
            for tid, _, _ in group.tickets:
                group.amounts[(tid, month)] = settlement.net_installment
        if terms.kind == "auction":
            others = [t for t in unprized if t[0] != winner[0]]
            bids = [(winner, settlement.discount)]
            for rival in rng.sample(others, min(2, len(others))):
                lower = settlement.discount - terms.min_bid_step * rng.randint(1, 3)
                if lower >= terms.commission:
                    bids.append((rival, lower))
            for (tid, _, member), amount in sorted(bids, key=lambda b: b[1]):
                book.add(
                    Bid,
                    (book.new_id(Bid), draw_id, tid, amount, member, False, drawn_at - timedelta(minutes=30)),
                )
    book.add(
        Draw,
        (
            draw_id,
            gid,
            month,
            terms.kind,
            "committed" if is_current else "completed",
            commitment_of(seed),
            encrypt(seed, context=seed_context(gid, month)),
            opened,
            None if is_current else drawn_at,
            drawn_at if terms.kind == "auction" and not is_current else None,
            None if is_current else drawn_at - timedelta(hours=1),
            None if is_current else drawn_at,
            None if is_current else drawn_at,
            None if is_current else drawn_at,
            None if is_current else seed.hex(),
            None if winner is None else winner[0],
            0 if settlement is None else settlement.discount,
            0 if settlement is None else settlement.prize,
            0 if settlement is None else settlement.commission,
            0 if settlement is None else settlement.dividend_per_ticket,
            0 if settlement is None else settlement.remainder,
            0 if settlement is None else settlement.net_installment,
            0 if is_current else rng.randint(1, len(group.tickets)),
            None if proof is None else json.dumps(proof, sort_keys=True, ensure_ascii=False),
            None if proof is None else proof_sha256(proof),
        ),
    )
    _collect(book, rng, group, month, receipts, today, now)
    if settlement is not None and winner is not None:
        book.post(
            books.settlement_posted(
                gid,
                group.foreman_id,
                draw_id,
                settlement,
                winner[0],
                [tid for tid, _, _ in group.tickets],
                "carry",
            ),
            group_id=gid,
            by=group.foreman_id,
            at=drawn_at,
        )
        payout_id = book.new_id(Payout)
        released = month <= group.current - 3
        paid_on = due + timedelta(days=5)
        book.add(
            Payout,
            (
                payout_id,
                draw_id,
                gid,
                winner[0],
                settlement.prize,
                0,
                "released" if released else "payable",
                "bank" if released else "",
                f"NEFT{payout_id:08d}" if released else "",
                paid_on if released else None,
                group.foreman_id if released else None,
                _ist(paid_on, 15) if released else None,
            ),
        )
        if released:
            book.post(
                books.payout_released(gid, winner[0], payout_id, settlement.prize, 0),
                group_id=gid,
                by=group.foreman_id,
                at=_ist(paid_on, 15),
            )


def _collect(
    book: _Book,
    rng: random.Random,
    group: _Group,
    month: int,
    receipts: dict[int, int],
    today: date,
    now: datetime,
) -> None:
    """One payment per due paid. Lucky-draw members pay before the draw (they must, to take part);
    auction members pay the net installment after the auction. A few prized members stop paying in
    the last months; the current month is part paid."""
    terms, gid = group.terms, group.row_id
    due = due_date_for(group.start, month, terms.draw_day)
    is_current = month == group.current
    for tid, no, member in group.tickets:
        won = group.prized.get(tid)
        if won is not None and won < group.current - 3 and no % 17 == 3 and month > group.current - 3:
            continue  # a prized member who stopped paying: overdue in the dashboard and passbook
        owed = group.amounts[(tid, month)]
        if is_current:
            roll = rng.random()
            if roll < 0.30:
                continue
            if roll < 0.35:
                owed //= 2
            day = min(due, today) - timedelta(days=rng.randint(0, 6))
        elif terms.kind == "auction":
            day = due + timedelta(days=rng.randint(0, 5))
        else:
            day = due - timedelta(days=rng.randint(1, 6))
        paid_at = min(_ist(day, rng.randint(9, 18), rng.randint(0, 59)), now)
        pid = book.new_id(Payment)
        receipts[group.branch_id] += 1
        receipt = receipts[group.branch_id]
        method = "bank" if no % 3 == 0 else "cash"
        book.add(
            Payment,
            (
                pid,
                gid,
                tid,
                group.foreman_id,
                member,
                owed,
                method,
                "captured",
                f"Month {month}",
                receipt,
                group.branch_id,
                "",
                0,
                group.foreman_id,
                paid_at,
                paid_at,
            ),
        )
        book.add(
            PaymentAllocation, (book.new_id(PaymentAllocation), pid, group.installments[(tid, month)], owed)
        )
        group.paid[(tid, month)] += owed
        book.post(books.payment_received(gid, tid, pid, owed), group_id=gid, by=group.foreman_id, at=paid_at)
        book.add(
            Notification,
            (
                book.new_id(Notification),
                member,
                "payment_received",
                f"{_inr(owed)} received for {group.name}"[:120],
                f"Receipt no. {receipt}",
                f"/receipts/{pid}",
                paid_at,
                None if is_current else paid_at + timedelta(days=1),
            ),
        )


# --- loading ---------------------------------------------------------------------------------------


# month_totals (migration 0006) for the whole book at once, as the migration backfills it.
MONTH_TOTALS_FILL = (
    "INSERT INTO month_totals (group_id, month, kind, amount) "
    "SELECT group_id, date_trunc('month', due_date)::date, 'due', SUM(amount) FROM installments "
    "GROUP BY 1, 2",
    "INSERT INTO month_totals (group_id, month, kind, amount) "
    "SELECT i.group_id, date_trunc('month', i.due_date)::date, p.method, SUM(a.amount) "
    "FROM payment_allocations a JOIN installments i ON i.id = a.installment_id "
    "JOIN payments p ON p.id = a.payment_id GROUP BY 1, 2, 3",
)


def _copy_postgres(engine: Engine, book: _Book) -> dict[str, float]:
    """COPY every table in one transaction; a failure leaves the database as empty as it was.
    Returns the seconds each table took."""
    seconds: dict[str, float] = {}
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        with conn.cursor() as cur:
            for model in LOAD_ORDER:
                rows = book.rows.get(model, [])
                if not rows:
                    continue
                started = time.perf_counter()
                cols = ", ".join(COLUMNS[model])
                rollups = model in (PaymentAllocation, Installment)
                if rollups:
                    # installments.paid was written with the installments; the rollup triggers
                    # would add every allocation a second time (and one UPDATE per row), and
                    # month_totals is filled set-based below, in this transaction.
                    cur.execute(f"ALTER TABLE {model.__tablename__} DISABLE TRIGGER USER")
                with cur.copy(f"COPY {model.__tablename__} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                if rollups:
                    cur.execute(f"ALTER TABLE {model.__tablename__} ENABLE TRIGGER USER")
                seconds[model.__tablename__] = time.perf_counter() - started
            started = time.perf_counter()
            for statement in MONTH_TOTALS_FILL:
                cur.execute(statement)
            seconds["month_totals"] = time.perf_counter() - started
            for model in LOAD_ORDER:
                if "id" not in COLUMNS[model]:
                    continue
                table = model.__tablename__
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (our table names)
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                )
        conn.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
    started = time.perf_counter()
    with engine.connect() as analyze:
        analyze.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    seconds["ANALYZE"] = time.perf_counter() - started
    return seconds


def _insert_generic(engine: Engine, book: _Book, batch: int = 5_000) -> None:
    """Core executemany inserts, which apply each column's type (SQLite stores aware times as text)."""
    with Session(engine) as session:
        for model in LOAD_ORDER:
            cols = COLUMNS[model]
            rows = book.rows.get(model, [])
            if model is Installment:  # here the rollup triggers fill `paid` as allocations arrive
                rows = [(*r[:-1], 0) for r in rows]
            for i in range(0, len(rows), batch):
                session.execute(
                    insert(model.__table__), [dict(zip(cols, r, strict=True)) for r in rows[i : i + batch]]
                )
        session.commit()


def seed_bench(engine: Engine, shape: BenchShape) -> SeedReport:
    """Build and load the book into an empty, migrated database; one audit row records the run."""
    with Session(engine) as session:
        if session.exec(select(func.count()).select_from(User)).one():
            raise RuntimeError("seed-bench needs an empty database (create one and run migrate first)")
    started = time.perf_counter()
    book, foreman_mobiles, member_mobiles = build_book(shape)
    built = time.perf_counter()
    table_seconds = _copy_postgres(engine, book) if engine.dialect.name == "postgresql" else {}
    if engine.dialect.name != "postgresql":
        _insert_generic(engine, book)
    counts = {model.__tablename__: len(book.rows.get(model, [])) for model in LOAD_ORDER}
    with Session(engine, expire_on_commit=False) as session:
        audit.record(
            session,
            actor_id=None,
            action="bench.seeded",
            object_type="database",
            object_id="bench",
            detail={
                "groups": shape.groups,
                "members": shape.members,
                "months": shape.months,
                "foremen": shape.foremen,
                "rows": counts,
            },
        )
        session.commit()
        counts[AuditLog.__tablename__] = session.exec(select(func.count()).select_from(AuditLog)).one()
    return SeedReport(
        counts=counts,
        build_seconds=built - started,
        load_seconds=time.perf_counter() - built,
        foreman_mobiles=foreman_mobiles,
        member_mobiles=member_mobiles,
        table_seconds=table_seconds,
    )
