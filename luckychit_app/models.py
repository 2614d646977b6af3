"""SQLModel tables: the database is the last line of defence for money, so every rule that
protects it (one draw per group-month, unique idempotency keys, unique ticket numbers, foreign
keys, non-negative amounts) is a constraint here, not only a check in a service.

Amounts are integer paise in BIGINT columns. Timestamps are aware UTC (`luckychit_app.clock.utcnow`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from luckychit_app.clock import utcnow

ROLES = ("admin", "foreman", "member", "staff")
# What a staff account may do is its StaffMember row's role; "staff" on the user only says it has one.
STAFF_ROLES = ("branch_manager", "clerk", "agent", "accountant")
TICKET_STATUSES = ("pending", "active", "suspended", "removed")
GROUP_STATUSES = ("forming", "active", "completed", "closed", "cancelled")
"""completed: the last draw is held; closed: settled to the paisa and locked (issue 15)."""
LIVE_GROUP_STATUSES = ("forming", "active")
"""A group whose seats still change hands: members join, move, transfer, are assigned to an agent."""
GROUP_PERIODS = ("monthly", "fortnightly", "weekly")


def _money(*, default: int = 0) -> int:
    """A BIGINT paise column (paise overflow INTEGER above ₹2.1 crore)."""
    return Field(default=default, sa_type=BigInteger)


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin','foreman','member','staff')", name="ck_users_role"),)

    id: int | None = Field(default=None, primary_key=True)
    mobile: str = Field(max_length=10, unique=True, index=True)
    name: str = Field(max_length=80)
    role: str = Field(max_length=10)
    password_hash: str = Field(max_length=100)
    must_change_password: bool = False
    is_active: bool = True
    language: str = Field(default="en", max_length=2)
    email: str | None = Field(default=None, max_length=120)
    notify_sms: bool = True
    notify_email: bool = False
    notify_whatsapp: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    # The address a code was sent to, until the code proves it (services/people/contact_email.py).
    email_pending: str | None = Field(default=None, max_length=120)
    email_verified_at: datetime | None = None
    date_of_birth: date | None = None
    # Where a collection agent finds the member (door-to-door collection).
    address: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    # The member's state (GST state code): the place of supply of the foreman's service to them
    # (IGST Act s.12(2)); "" when not on record, and then the foreman's own state (migration 0014).
    state_code: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})
    created_by_id: int | None = Field(default=None, foreign_key="users.id", nullable=True)
    created_at: datetime = Field(default_factory=utcnow)


class LoginThrottle(SQLModel, table=True):
    """Failures per mobile number (known or not), so lockout does not reveal who has an account."""

    __tablename__ = "login_throttle"
    mobile: str = Field(primary_key=True, max_length=10)
    failures: int = 0
    locked_until: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class AuthSession(SQLModel, table=True):
    __tablename__ = "auth_sessions"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    user_agent: str = Field(default="", max_length=200)


class SignInGrant(SQLModel, table=True):
    """A one-minute, one-use ticket the browser trades over HTTP for its HttpOnly session cookie
    (issue 17): sign-in happens over the websocket, which cannot set an HttpOnly cookie, so the new
    session's token waits here, sealed with the data key, until the tab posts the grant to
    /api/session. The row is deleted when it is used."""

    __tablename__ = "sign_in_grants"
    id: int | None = Field(default=None, primary_key=True)
    grant_hash: str = Field(max_length=64, unique=True)
    sealed_token: str = Field(max_length=400)
    expires_at: datetime = Field(index=True)


class OneTimeCode(SQLModel, table=True):
    __tablename__ = "one_time_codes"
    __table_args__ = (
        CheckConstraint("purpose IN ('signin','signup','reset','email')", name="ck_code_purpose"),
    )
    id: int | None = Field(default=None, primary_key=True)
    mobile: str = Field(max_length=10, index=True)
    purpose: str = Field(default="signin", max_length=10)  # a sign-in code never opens a sign-up
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    attempts: int = 0


class ChitGroup(SQLModel, table=True):
    __tablename__ = "chit_groups"
    __table_args__ = (
        CheckConstraint("kind IN ('lucky','auction')", name="ck_group_kind"),
        CheckConstraint(
            "status IN ('forming','active','completed','closed','cancelled')", name="ck_group_status"
        ),
        CheckConstraint("period IN ('monthly','fortnightly','weekly')", name="ck_group_period"),
        CheckConstraint("default_after BETWEEN 1 AND 12", name="ck_group_default_after"),
        CheckConstraint("removal_deduction_bp BETWEEN 0 AND 500", name="ck_group_removal_deduction"),
        CheckConstraint("removed_refund_at IN ('close','substitution')", name="ck_group_removed_refund_at"),
        CheckConstraint("late_fee_pool_to IN ('foreman','members')", name="ck_group_late_fee_pool"),
        CheckConstraint("early_draw IN ('warn','refuse')", name="ck_group_early_draw"),
        CheckConstraint("tickets BETWEEN 2 AND 100", name="ck_group_tickets"),
        CheckConstraint("commission_bp BETWEEN 0 AND 700", name="ck_group_commission"),
        CheckConstraint("max_discount_bp BETWEEN 0 AND 5000", name="ck_group_max_discount"),
        CheckConstraint("chit_value > 0 AND chit_value % tickets = 0", name="ck_group_value"),
        CheckConstraint("draw_day BETWEEN 1 AND 28", name="ck_group_draw_day"),
        CheckConstraint("current_month BETWEEN 0 AND tickets", name="ck_group_month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The company's owner: the foreman in law (Chit Funds Act s.2(j)), whoever of the staff acts.
    foreman_id: int = Field(foreign_key="users.id", index=True)
    branch_id: int = Field(foreign_key="branches.id", index=True)
    name: str = Field(max_length=80)
    kind: str = Field(max_length=10)
    chit_value: int = _money()
    tickets: int
    commission_bp: int = 500
    max_discount_bp: int = 3000
    min_bid_step: int = _money(default=10000)
    foreman_first_chit: bool = False
    remainder_to: str = Field(default="carry", max_length=10)
    late_fee_mode: str = Field(default="none", max_length=10)
    late_fee_flat: int = _money()
    late_fee_interest_bp: int = 0
    grace_days: int = 0
    draw_day: int = 10
    upi_vpa: str | None = Field(default=None, max_length=60)
    # Agreement terms the Act leaves to the chit agreement (issue 15, migration 0009); frozen at start.
    period: str = Field(default="monthly", max_length=12, sa_column_kwargs={"server_default": "monthly"})
    forfeit_dividend_when_late: bool = Field(
        default=False, sa_column_kwargs={"server_default": text("false")}
    )
    default_after: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    # Scheduled reminders (issue 18, item 4; migration 0013): days from a due's date on which its
    # unpaid members are reminded (-3 = three days before, 0 = on the day, 7 = a week late), and a pause.
    reminder_days: str = Field(
        default="-3,0,3,7", max_length=40, sa_column_kwargs={"server_default": "-3,0,3,7"}
    )
    reminders_paused: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    removal_deduction_bp: int = Field(default=500, sa_column_kwargs={"server_default": "500"})
    removed_refund_at: str = Field(
        default="close", max_length=12, sa_column_kwargs={"server_default": "close"}
    )
    late_fee_pool_to: str = Field(
        default="foreman", max_length=10, sa_column_kwargs={"server_default": "foreman"}
    )
    # Who bears the GST on the commission (issue 19, migration 0014): "prize" (recovered from the
    # prize, as chit companies do) or "foreman" (out of the commission).
    gst_recovery: str = Field(default="prize", max_length=8, sa_column_kwargs={"server_default": "prize"})
    status: str = Field(default="forming", max_length=10, index=True)
    start_date: date | None = None
    current_month: int = 0
    closed_at: datetime | None = None
    # A draw conducted before its scheduled date: warned about, or refused (issue 16, migration 0010).
    early_draw: str = Field(default="warn", max_length=8, sa_column_kwargs={"server_default": "warn"})
    invite_code: str = Field(max_length=16, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Ticket(SQLModel, table=True):
    """A seat in a group. One member may hold several tickets; the foreman's own ticket (for the
    first-chit option) is a ticket held by the foreman."""

    __tablename__ = "tickets"
    __table_args__ = (
        # One seated holder per ticket number; a removed subscriber's row stays beside their
        # substitute's (Chit Funds Act s.28-s.30: the removed subscriber's contributions stay theirs).
        Index(
            "uq_ticket_group_no_seated",
            "group_id",
            "ticket_no",
            unique=True,
            postgresql_where=text("status <> 'removed'"),
            sqlite_where=text("status <> 'removed'"),
        ),
        CheckConstraint("ticket_no >= 1", name="ck_ticket_no"),
        CheckConstraint("status IN ('pending','active','suspended','removed')", name="ck_ticket_status"),
        Index("ix_ticket_joined_at", "joined_at", "id"),  # newest joins, on the dashboard (0006)
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chit_groups.id", index=True)
    ticket_no: int
    member_id: int = Field(foreign_key="users.id", index=True)
    status: str = Field(default="active", max_length=10)
    status_reason: str = Field(default="", max_length=200)
    prized_month: int | None = None
    joined_at: datetime = Field(default_factory=utcnow)
    # Declared defaulted, with the written notice sent (s.28(1)); cleared when the arrears are paid.
    defaulted_at: datetime | None = None
    # When the subscriber left the group: removed as a defaulter (s.28) or by their own exit.
    ended_at: datetime | None = None
    # The removed ticket this one substitutes (s.28/s.30): the substitute pays its earlier instalments.
    replaces_ticket_id: int | None = Field(default=None, foreign_key="tickets.id", nullable=True)


class JoinRequest(SQLModel, table=True):
    __tablename__ = "join_requests"
    __table_args__ = (CheckConstraint("status IN ('pending','approved','rejected')", name="ck_join_status"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chit_groups.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    status: str = Field(default="pending", max_length=10)
    message: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="users.id", nullable=True)


class Installment(SQLModel, table=True):
    """One due per ticket per month. `amount` is what the member owes that month: the full
    installment, or the net installment once an auction has settled the dividend."""

    __tablename__ = "installments"
    __table_args__ = (
        UniqueConstraint("ticket_id", "month", name="uq_installment_ticket_month"),
        CheckConstraint("amount >= 0", name="ck_installment_amount"),
        Index("ix_installment_group_month", "group_id", "month"),
        # Only the dues still unpaid: what dashboards and overdue lists read (migration 0005).
        Index(
            "ix_installment_open",
            "group_id",
            "ticket_id",
            postgresql_where=text("paid < amount"),
            sqlite_where=text("paid < amount"),
        ),
        # The unpaid dues by due date with what the overdue counts read: an index-only scan of the
        # dues past their date, for the dashboard (migration 0022).
        Index(
            "ix_installment_overdue",
            "due_date",
            postgresql_include=["group_id", "ticket_id", "month", "amount", "paid"],
            postgresql_where=text("paid < amount"),
            sqlite_where=text("paid < amount"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chit_groups.id")
    ticket_id: int = Field(foreign_key="tickets.id", index=True)
    month: int
    due_date: date
    amount: int = _money()
    # Sum of payment_allocations.amount for this due, kept by database triggers (migration 0005):
    # a rollup for reading, never written by services; ledger-check proves it matches.
    paid: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": "0"})


class Payment(SQLModel, table=True):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_payment_amount"),
        # 'prize' is arrears (or future installments) deducted from the member's own prize payout;
        # 'deposit' is dues recovered from a prized subscriber's security deposit (s.21(1)(e), 0010).
        CheckConstraint(
            "method IN ('online','upi','cash','bank','prize','deposit')", name="ck_payment_method"
        ),
        # One gap-free receipt series per branch (services/money/receipt_numbers.py).
        UniqueConstraint("branch_id", "receipt_no", name="uq_payment_receipt"),
        Index("ix_payment_group_status", "group_id", "status"),
        Index("ix_payment_payer", "payer_id"),  # a member's payments (migration 0005)
        Index("ix_payment_paid_at", "paid_at"),  # newest payments first, on the dashboard
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chit_groups.id")
    ticket_id: int = Field(foreign_key="tickets.id", index=True)
    foreman_id: int = Field(foreign_key="users.id")
    payer_id: int = Field(foreign_key="users.id")
    amount: int = _money()
    method: str = Field(max_length=10)
    # created -> pending (awaiting gateway/foreman) -> captured | failed | rejected; captured -> refunded
    status: str = Field(default="created", max_length=12)
    gateway_order_id: str | None = Field(default=None, max_length=64, unique=True)
    gateway_payment_id: str | None = Field(default=None, max_length=64, unique=True)
    utr: str | None = Field(default=None, max_length=12, unique=True)
    reference: str = Field(default="", max_length=100)
    receipt_no: int | None = None
    branch_id: int | None = Field(default=None, foreign_key="branches.id", nullable=True)
    # A client-made key per collection attempt, so a retried tap on a slow line records once.
    idempotency_key: str | None = Field(default=None, max_length=64, unique=True, nullable=True)
    failure_reason: str = Field(default="", max_length=200)
    # Why cash of ₹2,00,000 or more from one member in a day was accepted (Income-tax Act s.269ST;
    # services/money/cash_limit.py, migration 0016); "" for every other payment.
    cash_override: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    # The part of this payment that settled late fees (charged on collection), so it is never also
    # treated as an advance for future dues.
    late_fee_paid: int = _money()
    recorded_by_id: int | None = Field(default=None, foreign_key="users.id", nullable=True)
    created_at: datetime = Field(default_factory=utcnow)
    paid_at: datetime | None = None


class Refund(SQLModel, table=True):
    """Money returned on a captured payment (duplicate or wrong capture). The idempotency key makes a
    retried refund request return the first refund instead of paying twice."""

    __tablename__ = "refunds"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_refund_amount"),
        CheckConstraint("status IN ('created','processed','failed')", name="ck_refund_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payments.id", index=True)
    amount: int = _money()
    reason: str = Field(default="", max_length=200)
    status: str = Field(default="created", max_length=10)
    idempotency_key: str = Field(max_length=80, unique=True)
    gateway_refund_id: str | None = Field(default=None, max_length=64, unique=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id", nullable=True)
    created_at: datetime = Field(default_factory=utcnow)
    processed_at: datetime | None = None


class PaymentAllocation(SQLModel, table=True):
    """Which dues a captured payment settled (oldest first); the sum per installment tells paid/partial."""

    __tablename__ = "payment_allocations"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_allocation_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payments.id", index=True)
    installment_id: int = Field(foreign_key="installments.id", index=True)
    amount: int = _money()


class MonthTotal(SQLModel, table=True):
    """Per group and calendar month in which dues fall due: what fell due (kind 'due') and what
    payments of each method applied to those dues (kind = the method).

    A rollup for the dashboard's 12-month chart, kept by database triggers on installments,
    payment_allocations and payments.method (migration 0006); never written by services, and
    ledger-check proves it equals the sums over the rows it summarises.
    """

    __tablename__ = "month_totals"

    group_id: int = Field(foreign_key="chit_groups.id", primary_key=True)
    month: date = Field(primary_key=True)  # the first day of the calendar month
    kind: str = Field(max_length=10, primary_key=True)
    amount: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": "0"})


class DataVersion(SQLModel, table=True):
    """A counter per group (kind 'g') and per user (kind 'u') that moves whenever anything a member's
    pages show about it changes: the key under which a tab may reuse the page it read before.

    Kept by database triggers on every table those pages read (migration 0007); never written by
    services, so no money path can forget to move it.
    """

    __tablename__ = "data_versions"

    kind: str = Field(max_length=1, primary_key=True)
    key_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    version: int = Field(default=0, sa_type=BigInteger)


class ReceiptCounter(SQLModel, table=True):
    """Gap-free receipt numbers per branch: the row is locked while a receipt is issued."""

    __tablename__ = "receipt_counters"
    branch_id: int = Field(
        foreign_key="branches.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    last_no: int = 0


class Company(SQLModel, table=True):
    """A chit business: its owner is the foreman of every group of every branch."""

    __tablename__ = "companies"
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", unique=True)
    name: str = Field(max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    # GST registration (issue 19, migration 0014): the supplier on every tax invoice; no GSTIN, no GST.
    gstin: str | None = Field(default=None, max_length=15, unique=True)
    legal_name: str = Field(default="", max_length=120, sa_column_kwargs={"server_default": ""})
    gst_address: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    state_code: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})


class Branch(SQLModel, table=True):
    """An office of the company: groups, receipt series and cash books are per branch."""

    __tablename__ = "branches"
    __table_args__ = (UniqueConstraint("company_id", "code", name="uq_branch_code"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id", index=True)
    name: str = Field(max_length=60)
    code: str = Field(max_length=8)  # printed before receipt numbers: "TNR/000012"
    address: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class StaffMember(SQLModel, table=True):
    """A staff account's place in a company. `branch_id` None means every branch (an accountant of
    the whole company); managers, clerks and agents always work in one branch."""

    __tablename__ = "staff_members"
    __table_args__ = (
        CheckConstraint("role IN ('branch_manager','clerk','agent','accountant')", name="ck_staff_role"),
        CheckConstraint("branch_id IS NOT NULL OR role = 'accountant'", name="ck_staff_branch"),
    )
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id", index=True)
    branch_id: int | None = Field(default=None, foreign_key="branches.id", nullable=True, index=True)
    user_id: int = Field(foreign_key="users.id", unique=True)
    role: str = Field(max_length=16)
    active: bool = True
    invited_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class AgentAssignment(SQLModel, table=True):
    """Which agent collects from a member in a branch (door to door)."""

    __tablename__ = "agent_assignments"
    branch_id: int = Field(
        foreign_key="branches.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    member_id: int = Field(
        foreign_key="users.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    agent_id: int = Field(foreign_key="users.id", index=True)
    assigned_by_id: int = Field(foreign_key="users.id")
    assigned_at: datetime = Field(default_factory=utcnow)


class CashHandover(SQLModel, table=True):
    """Cash a staff member hands to the branch (or to a clerk), counted by the receiver.

    `held` is what the books said the giver held when the hand-over was made; `declared` is the sum
    of the giver's denominations and `counted` the receiver's count. Only counted cash moves in the
    books; any difference from `held` stays flagged on this row and on the day's cash book."""

    __tablename__ = "cash_handovers"
    __table_args__ = (
        CheckConstraint("status IN ('pending','confirmed','rejected')", name="ck_handover_status"),
        CheckConstraint("declared > 0 AND held >= 0", name="ck_handover_amounts"),
        CheckConstraint("counted IS NULL OR counted >= 0", name="ck_handover_counted"),
        Index("ix_handover_branch_created", "branch_id", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    branch_id: int = Field(foreign_key="branches.id")
    from_user_id: int = Field(foreign_key="users.id", index=True)
    to_user_id: int = Field(foreign_key="users.id", index=True)
    held: int = _money()
    declared: int = _money()
    denominations: str = Field(default="{}", max_length=400)
    counted: int | None = Field(default=None, sa_type=BigInteger, nullable=True)
    counted_denominations: str = Field(default="{}", max_length=400)
    status: str = Field(default="pending", max_length=10, index=True)
    note: str = Field(default="", max_length=200)
    idempotency_key: str | None = Field(default=None, max_length=64, unique=True, nullable=True)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None


class Draw(SQLModel, table=True):
    """A group-month's draw or auction, created when the month opens (with its commitment).
    The seed is stored encrypted so a restart never loses it; it is revealed after the draw."""

    __tablename__ = "draws"
    __table_args__ = (
        UniqueConstraint("group_id", "month", name="uq_draw_group_month"),
        CheckConstraint("status IN ('committed','bidding','completed','cancelled')", name="ck_draw_status"),
        Index("ix_draw_drawn_at", "drawn_at"),  # latest draws, on the dashboard (0006)
        # The open draws, which the dashboard's draws due read (migration 0022).
        Index(
            "ix_draw_open",
            "group_id",
            postgresql_where=text("status IN ('committed', 'bidding')"),
            sqlite_where=text("status IN ('committed', 'bidding')"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chit_groups.id", index=True)
    month: int
    kind: str = Field(max_length=16)
    status: str = Field(default="committed", max_length=12)
    commitment: str = Field(max_length=64)
    seed_encrypted: str = Field(sa_type=Text)
    committed_at: datetime = Field(default_factory=utcnow)
    cutoff_at: datetime | None = None
    public_value: str | None = Field(default=None, max_length=200)
    bidding_closes_at: datetime | None = None
    started_at: datetime | None = None
    frozen_at: datetime | None = None
    drawn_at: datetime | None = None
    revealed_at: datetime | None = None
    server_seed_hex: str | None = Field(default=None, max_length=64)
    winner_ticket_id: int | None = Field(default=None, foreign_key="tickets.id", nullable=True)
    discount: int = _money()
    prize: int = _money()
    commission: int = _money()
    dividend_per_ticket: int = _money()
    remainder: int = _money()
    net_installment: int = _money()
    gst: int = _money()  # the tax on the commission (issue 19); `prize` is net of it when recovered
    members_online: int = 0
    proof_json: str | None = Field(default=None, sa_type=Text)
    proof_sha256: str | None = Field(default=None, max_length=64)
    # Issue 20 (docs/proofs.md): the drand round named with the commitment and bound into it (JSON;
    # None when no beacon was configured), the round as fetched at the draw or the fallback taken,
    # and the bid chain's last hash.
    beacon_terms: str | None = Field(default=None, sa_type=Text)
    beacon_json: str | None = Field(default=None, sa_type=Text)
    chain_head: str | None = Field(default=None, max_length=64)


class DrawEntropy(SQLModel, table=True):
    __tablename__ = "draw_entropy"
    __table_args__ = (UniqueConstraint("draw_id", "user_id", name="uq_entropy_member"),)

    id: int | None = Field(default=None, primary_key=True)
    draw_id: int = Field(foreign_key="draws.id", index=True)
    user_id: int = Field(foreign_key="users.id")
    phrase: str = Field(max_length=80)
    created_at: datetime = Field(default_factory=utcnow)


class DrawPresence(SQLModel, table=True):
    """Who has a draw's live page open: each open page writes a heartbeat every few seconds. Kept in
    the database (not in one worker's memory) so the count is right with several workers; at the
    draw the fresh rows are marked `at_draw`, which is the "members online" of the minutes."""

    __tablename__ = "draw_presence"
    __table_args__ = (UniqueConstraint("draw_id", "user_id", name="uq_presence_draw_user"),)

    id: int | None = Field(default=None, primary_key=True)
    draw_id: int = Field(foreign_key="draws.id", index=True)
    user_id: int = Field(foreign_key="users.id")
    first_seen_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    at_draw: bool = False


class Bid(SQLModel, table=True):
    __tablename__ = "bids"
    __table_args__ = (
        CheckConstraint("discount > 0", name="ck_bid_discount"),
        UniqueConstraint("draw_id", "seq", name="uq_bid_draw_seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    draw_id: int = Field(foreign_key="draws.id", index=True)
    ticket_id: int = Field(foreign_key="tickets.id")
    discount: int = _money()
    placed_by_id: int = Field(foreign_key="users.id")
    in_person: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    # The bid's place in the draw's hash chain (docs/proofs.md); None for bids placed before 0017.
    seq: int | None = None
    member_ref: str | None = Field(default=None, max_length=12)
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class Payout(SQLModel, table=True):
    __tablename__ = "payouts"
    __table_args__ = (
        CheckConstraint("deduction >= 0 AND deduction <= gross", name="ck_payout_deduction"),
        CheckConstraint("status IN ('payable','released')", name="ck_payout_status"),
        # The prizes released, newest first, for the dashboard's feed (migration 0022).
        Index(
            "ix_payout_released",
            "released_at",
            postgresql_where=text("status = 'released'"),
            sqlite_where=text("status = 'released'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    draw_id: int = Field(foreign_key="draws.id", unique=True)
    group_id: int = Field(foreign_key="chit_groups.id", index=True)
    ticket_id: int = Field(foreign_key="tickets.id")
    gross: int = _money()
    deduction: int = _money()
    status: str = Field(default="payable", max_length=10)
    method: str = Field(default="", max_length=10)
    reference: str = Field(default="", max_length=100)
    paid_on: date | None = None
    released_by_id: int | None = Field(default=None, foreign_key="users.id", nullable=True)
    released_at: datetime | None = None


class PrizeSecurity(SQLModel, table=True):
    __tablename__ = "prize_securities"
    id: int | None = Field(default=None, primary_key=True)
    payout_id: int = Field(foreign_key="payouts.id", index=True)
    kind: str = Field(max_length=16)  # guarantor | deposit | property | deduct_future
    value: int = _money()
    description: str = Field(default="", max_length=300)
    recorded_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    # Replaced by another security, e.g. when a prized ticket is transferred (issue 15).
    released_at: datetime | None = None


class Guarantor(SQLModel, table=True):
    """A surety for a prized subscriber's future subscriptions (Chit Funds Act s.31), as a person the
    foreman can write to: a recovery notice goes to this mobile when the subscriber defaults (s.32)."""

    __tablename__ = "guarantors"
    __table_args__ = (CheckConstraint("kyc_kind IN ('pan','aadhaar')", name="ck_guarantor_kyc_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    security_id: int = Field(foreign_key="prize_securities.id", index=True)
    name: str = Field(max_length=80)
    mobile: str = Field(max_length=10)
    relation: str = Field(max_length=40)
    kyc_kind: str = Field(max_length=8)
    kyc_encrypted: str = Field(sa_type=Text)  # AES-GCM (luckychit_app.crypto), like kyc_records
    kyc_last4: str = Field(max_length=4)
    signed_on: date
    created_at: datetime = Field(default_factory=utcnow)


class TicketTransfer(SQLModel, table=True):
    """A ticket passing to another person with the foreman's consent: the same seat, its dues,
    advance and prize go with it; this row keeps the earlier holder's history readable."""

    __tablename__ = "ticket_transfers"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id", index=True)
    from_member_id: int = Field(foreign_key="users.id", index=True)
    to_member_id: int = Field(foreign_key="users.id", index=True)
    month: int  # the group's month when it passed: instalments up to it were the earlier holder's
    reason: str = Field(max_length=200)
    created_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class SubscriberRefund(SQLModel, table=True):
    """Money a group owes one ticket's subscriber outside the draws. kind "removal": a removed or
    exiting subscriber's contributions less the agreement's deduction (Chit Funds Act s.30), payable
    on substitution or at the close (s.30(3)); kind "closing": a seated ticket's share of what the
    group returns at its close (carried remainders, the late-fee pool if agreed, an advance)."""

    __tablename__ = "subscriber_refunds"
    __table_args__ = (
        CheckConstraint("amount >= 0 AND deduction >= 0", name="ck_subscriber_refund_amount"),
        CheckConstraint("status IN ('due','paid')", name="ck_subscriber_refund_status"),
        CheckConstraint("payable_at IN ('close','substitution')", name="ck_subscriber_refund_when"),
        CheckConstraint("kind IN ('removal','closing')", name="ck_subscriber_refund_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chit_groups.id", index=True)
    ticket_id: int = Field(foreign_key="tickets.id", unique=True)  # one row per ticket
    kind: str = Field(default="removal", max_length=8)
    member_id: int = Field(foreign_key="users.id", index=True)
    contributed: int = _money()
    deduction: int = _money()
    amount: int = _money()
    payable_at: str = Field(max_length=12)
    status: str = Field(default="due", max_length=8)
    method: str = Field(default="", max_length=10)
    reference: str = Field(default="", max_length=100)
    paid_at: datetime | None = None
    paid_by_id: int | None = Field(default=None, foreign_key="users.id", nullable=True)
    created_at: datetime = Field(default_factory=utcnow)


class JournalEntry(SQLModel, table=True):
    """Immutable; corrections are reversing entries. `key` makes each external event apply once."""

    __tablename__ = "journal_entries"
    __table_args__ = (
        # The late fees posted on a ticket are read by every dues screen (migration 0020).
        Index(
            "ix_journal_late_fee",
            "id",
            postgresql_where=text("kind = 'late_fee'"),
            sqlite_where=text("kind = 'late_fee'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True)
    kind: str = Field(max_length=30)
    memo: str = Field(default="", max_length=200)
    group_id: int | None = Field(default=None, foreign_key="chit_groups.id", index=True, nullable=True)
    reverses_id: int | None = Field(default=None, foreign_key="journal_entries.id", nullable=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id", nullable=True)
    created_at: datetime = Field(default_factory=utcnow)


class PostingRow(SQLModel, table=True):
    __tablename__ = "postings"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="ck_posting_nonzero"),
        Index("ix_posting_account", "account"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="journal_entries.id", index=True)
    account: str = Field(max_length=60)
    amount: int = Field(sa_type=BigInteger)
    group_id: int | None = Field(default=None, foreign_key="chit_groups.id", index=True, nullable=True)
    ticket_id: int | None = Field(default=None, foreign_key="tickets.id", index=True, nullable=True)


class AuditLog(SQLModel, table=True):
    """Append-only; each row hashes its content with the previous row's hash in its chain: one
    chain per company owner (`chain` = the foreman's user id) and chain 0 for the platform
    (services/audit.py). `seq` numbers a chain's rows 1, 2, 3, ... without gaps; `id` is only the
    row's key (global insertion order) and no longer orders a chain."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_chain_seq", "chain", "seq", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    chain: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    seq: int
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id", nullable=True, index=True)
    action: str = Field(max_length=60, index=True)
    object_type: str = Field(max_length=30)
    object_id: str = Field(max_length=40)
    detail: str = Field(default="{}", sa_type=Text)
    prev_hash: str = Field(max_length=64)
    row_hash: str = Field(max_length=64, unique=True)


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    kind: str = Field(max_length=30)
    title: str = Field(max_length=120)
    body: str = Field(default="", max_length=500)
    link: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None
    # Issue 16 (migration 0010): the message as i18n keys and their values, so it is shown in the
    # reader's language of the day, not the one they had when it was written (title/body: English).
    title_key: str = Field(default="", max_length=60, sa_column_kwargs={"server_default": ""})
    body_key: str = Field(default="", max_length=60, sa_column_kwargs={"server_default": ""})
    values_json: str = Field(default="{}", sa_type=Text, sa_column_kwargs={"server_default": "{}"})


OUTBOX_STATUSES = ("queued", "sending", "sent", "delivered", "failed")
"""queued -> sending (claimed under a lease) -> sent (the provider took it) -> delivered (its
delivery report); failed is permanent. services/messages/outbox.py moves rows along (issue 18)."""


class OutboxMessage(SQLModel, table=True):
    """Messages to send (SMS, WhatsApp, email, one-time codes), written in the same transaction as
    the event and delivered afterwards by services/messages/outbox.py (create them with
    `outbox.enqueue`, never directly: it sets the kind, category and dedupe key)."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued','sending','sent','delivered','failed')", name="ck_outbox_status"
        ),
        CheckConstraint("category IN ('transactional','service')", name="ck_outbox_category"),
    )
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=10)  # sms | whatsapp | email | console
    recipient: str = Field(max_length=120)
    subject: str = Field(default="", max_length=200)
    body: str = Field(sa_type=Text)
    # The provider's registered template for `kind` is sent with `params` (JSON object of short
    # strings); `body` is the rendered text for the console, email and the record.
    kind: str = Field(default="notice", max_length=40)
    params: str = Field(default="{}", sa_type=Text)
    language: str = Field(default="en", max_length=5)
    category: str = Field(default="transactional", max_length=13)  # transactional | service
    dedupe_key: str | None = Field(default=None, max_length=120, unique=True)
    status: str = Field(default="queued", max_length=10, index=True)
    attempts: int = 0
    last_error: str = Field(default="", max_length=300)
    provider: str = Field(default="", max_length=20)
    provider_message_id: str | None = Field(default=None, max_length=120, index=True)
    next_attempt_at: datetime | None = Field(default=None, index=True)
    claimed_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    delivered_at: datetime | None = None


class KycRecord(SQLModel, table=True):
    """PAN and Aadhaar encrypted with AES-256-GCM; only the last four characters are kept in clear."""

    __tablename__ = "kyc_records"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", unique=True)
    pan_encrypted: str | None = Field(default=None, sa_type=Text)
    pan_last4: str = Field(default="", max_length=4)
    aadhaar_encrypted: str | None = Field(default=None, sa_type=Text)
    aadhaar_last4: str = Field(default="", max_length=4)
    key_id: str = Field(default="", max_length=16)
    status: str = Field(default="none", max_length=10)  # none | submitted | verified | rejected
    updated_at: datetime = Field(default_factory=utcnow)
    # Issue 16 (migration 0010): the adults-only check at KYC, where payouts and refunds go, and
    # who receives the member's money if they die (the nominee). The account number is encrypted
    # like PAN and Aadhaar, under the same key (key_id).
    date_of_birth: date | None = None
    bank_account_encrypted: str | None = Field(default=None, sa_type=Text)
    bank_account_last4: str = Field(default="", max_length=4, sa_column_kwargs={"server_default": ""})
    ifsc: str = Field(default="", max_length=11, sa_column_kwargs={"server_default": ""})
    nominee_name: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    nominee_relation: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id", nullable=True)
    reviewed_at: datetime | None = None
    review_note: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})


class Dispute(SQLModel, table=True):
    """A member's query on a payment or a draw, answered by the foreman as a thread."""

    __tablename__ = "disputes"
    __table_args__ = (
        CheckConstraint("subject_type IN ('payment','draw')", name="ck_dispute_subject"),
        CheckConstraint("status IN ('open','answered','closed')", name="ck_dispute_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chit_groups.id", index=True)
    raised_by_id: int = Field(foreign_key="users.id", index=True)
    subject_type: str = Field(max_length=10)
    subject_id: int
    title: str = Field(max_length=120)
    status: str = Field(default="open", max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DisputeMessage(SQLModel, table=True):
    __tablename__ = "dispute_messages"
    id: int | None = Field(default=None, primary_key=True)
    dispute_id: int = Field(foreign_key="disputes.id", index=True)
    author_id: int = Field(foreign_key="users.id")
    body: str = Field(max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)


class GatewaySimRecord(SQLModel, table=True):
    """The built-in test gateway's own store (orders, payments, refunds as Razorpay-shaped JSON).

    It stands in for Razorpay's servers in demo mode and tests, so it is written in its own short
    transactions, never inside the app's: exactly like a remote gateway, it keeps what it was told
    even when our transaction rolls back, which is what `reconcile` exists to repair.
    """

    __tablename__ = "test_gateway_records"
    id: str = Field(primary_key=True, max_length=40)
    entity: str = Field(max_length=12)
    parent_id: str | None = Field(default=None, max_length=40, index=True)
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)


class GatewayEvent(SQLModel, table=True):
    """Webhook events already applied; the unique event id de-duplicates redeliveries."""

    __tablename__ = "gateway_events"
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=80, unique=True)
    event_type: str = Field(max_length=40)
    received_at: datetime = Field(default_factory=utcnow)
    payload: str = Field(default="", sa_type=Text)


__all__ = [
    "AuditLog",
    "AuthSession",
    "Bid",
    "ChitGroup",
    "Dispute",
    "DisputeMessage",
    "Draw",
    "DrawEntropy",
    "GatewayEvent",
    "GatewaySimRecord",
    "Installment",
    "JoinRequest",
    "JournalEntry",
    "KycRecord",
    "LoginThrottle",
    "Notification",
    "OneTimeCode",
    "OutboxMessage",
    "Payment",
    "PaymentAllocation",
    "Payout",
    "PostingRow",
    "PrizeSecurity",
    "ReceiptCounter",
    "Refund",
    "Ticket",
    "User",
]


class TaxInvoice(SQLModel, table=True):
    """A tax invoice for one month's commission (CGST Act s.31; CGST Rules 2017 r.46): issued with
    the settlement, numbered gap-free per company and financial year, never edited (a correction is
    a credit note, s.34). The prized subscriber is the recipient: the tax is recovered from them."""

    __tablename__ = "tax_invoices"
    __table_args__ = (
        UniqueConstraint("company_id", "fy", "serial", name="uq_tax_invoice_serial"),
        CheckConstraint(
            "cgst >= 0 AND sgst >= 0 AND igst >= 0 AND taxable > 0", name="ck_tax_invoice_amounts"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id", index=True)
    fy: str = Field(max_length=7)  # "2026-27"
    serial: int
    number: str = Field(max_length=16)  # "2026-27/000001" (r.46(b): at most 16 characters)
    draw_id: int = Field(foreign_key="draws.id", unique=True)
    group_id: int = Field(foreign_key="chit_groups.id", index=True)
    ticket_id: int = Field(foreign_key="tickets.id", index=True)
    issued_on: date
    supplier_gstin: str = Field(max_length=15)
    supplier_state: str = Field(max_length=2)
    place_of_supply: str = Field(max_length=2)
    recipient_name: str = Field(max_length=80)
    recipient_address: str = Field(default="", max_length=200)
    taxable: int = _money()
    rate_bp: int
    cgst: int = _money()
    sgst: int = _money()
    igst: int = _money()
    recovered_from_prize: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class TaxInvoiceCounter(SQLModel, table=True):
    """Gap-free invoice serials per company and financial year: the row is locked while one is issued."""

    __tablename__ = "tax_invoice_counters"
    company_id: int = Field(
        foreign_key="companies.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    fy: str = Field(max_length=7, primary_key=True)
    last_serial: int = 0


FILING_KINDS = ("agreement", "commencement", "copies", "minutes")
"""What a foreman files with the Registrar of Chits for a group (issue 19, item 6): the chit
agreement (Chit Funds Act s.7), the declaration for the certificate of commencement (s.9), the
certificate that every subscriber has a true copy of the agreement (s.10(2)) and each draw's minutes
(s.18)."""
SECURITY_FORMS = ("cash", "bank_guarantee", "govt_securities", "other")
"""How a foreman gives a chit's security (s.20(1)): cash in an approved bank, a bank guarantee from
one (clause (a)), government securities (b), or other securities a trustee may invest in (c)."""


class RegistrarFiling(SQLModel, table=True):
    """One document filed with the Registrar for a group: when, under which reference. One row per
    document (a draw's minutes by its month); recording it again corrects the row, audited."""

    __tablename__ = "registrar_filings"
    __table_args__ = (
        UniqueConstraint("group_id", "kind", "month", name="uq_filing_group_kind_month"),
        CheckConstraint("kind IN ('agreement','commencement','copies','minutes')", name="ck_filing_kind"),
        CheckConstraint(
            "(kind = 'minutes' AND month >= 1) OR (kind <> 'minutes' AND month = 0)", name="ck_filing_month"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chit_groups.id")
    kind: str = Field(max_length=12)
    month: int = 0  # the draw's month for minutes; 0 for the group's own papers
    filed_on: date
    reference: str = Field(max_length=80)
    note: str = Field(default="", max_length=200)
    recorded_by_id: int = Field(foreign_key="users.id")
    recorded_at: datetime = Field(default_factory=utcnow)


class ForemanSecurity(SQLModel, table=True):
    """Security the foreman gave the Registrar for one chit (s.20): its form, value, reference and
    bank, the day it was given and the day it was released (s.20(5), after the chit terminates)."""

    __tablename__ = "foreman_securities"
    __table_args__ = (
        CheckConstraint(
            "form IN ('cash','bank_guarantee','govt_securities','other')", name="ck_foreman_security_form"
        ),
        CheckConstraint("amount > 0", name="ck_foreman_security_amount"),
        CheckConstraint(
            "released_on IS NULL OR released_on >= deposited_on", name="ck_foreman_security_release"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chit_groups.id", index=True)
    form: str = Field(max_length=16)
    amount: int = _money()
    reference: str = Field(max_length=80)
    bank: str = Field(default="", max_length=120)
    deposited_on: date
    released_on: date | None = None
    note: str = Field(default="", max_length=200)
    recorded_by_id: int = Field(foreign_key="users.id")
    released_by_id: int | None = Field(default=None, foreign_key="users.id", nullable=True)
    created_at: datetime = Field(default_factory=utcnow)


class AgreementParticulars(SQLModel, table=True):
    """The chit agreement's particulars that are not money terms: the time and place of the draws
    (s.6(1)(h)), the approved bank of the chit moneys (j) and when records may be inspected (o).
    Editable until the agreement is filed with the Registrar (s.7)."""

    __tablename__ = "agreement_particulars"

    group_id: int = Field(
        foreign_key="chit_groups.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    draw_time: str = Field(default="", max_length=5)  # "HH:MM", India time; "" = announced per draw
    draw_place: str = Field(default="", max_length=200)
    approved_bank: str = Field(default="", max_length=120)
    inspection: str = Field(default="", max_length=200)
    updated_by_id: int = Field(foreign_key="users.id")
    updated_at: datetime = Field(default_factory=utcnow)


class BankStatement(SQLModel, table=True):
    """One import of a bank statement file by a company (issue 19, item 10): which account, which
    days, how many lines it had and how many were new (re-importing a file adds none)."""

    __tablename__ = "bank_statements"
    __table_args__ = (CheckConstraint("source IN ('csv','ofx')", name="ck_bank_statement_source"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id", index=True)
    account: str = Field(default="", max_length=34)
    source: str = Field(max_length=4)
    filename: str = Field(default="", max_length=120)
    first_day: date
    last_day: date
    lines_read: int = 0
    lines_new: int = 0
    imported_by_id: int = Field(foreign_key="users.id")
    imported_at: datetime = Field(default_factory=utcnow)


class BankStatementLine(SQLModel, table=True):
    """A line of a company's bank statement, stored once: its fingerprint (account, date, amount,
    reference, running balance; domain/bank_statement.fingerprints) is unique per company, so an
    overlapping import finds it already there. Money in (`credit`) or out (`debit`), never both."""

    __tablename__ = "bank_statement_lines"
    __table_args__ = (
        UniqueConstraint("company_id", "fingerprint", name="uq_bank_line_fingerprint"),
        CheckConstraint(
            "(debit > 0 AND credit = 0) OR (debit = 0 AND credit > 0)", name="ck_bank_line_amount"
        ),
        Index("ix_bank_line_company_day", "company_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id")
    statement_id: int = Field(foreign_key="bank_statements.id", index=True)  # the import that added it
    fingerprint: str = Field(max_length=64)
    account: str = Field(default="", max_length=34)
    day: date
    value_day: date | None = None
    narration: str = Field(default="", max_length=300)
    ref: str = Field(default="", max_length=64)
    utrs: str = Field(default="", max_length=80)  # 12-digit references on the line, comma separated
    debit: int = _money()
    credit: int = _money()
    balance: int | None = Field(default=None, sa_type=BigInteger, nullable=True)
    created_at: datetime = Field(default_factory=utcnow)


class BankMatch(SQLModel, table=True):
    """A statement line that confirmed a pending UPI payment. A line confirms one payment, and a
    payment is confirmed by one line: both are unique, so two clicks (or two tabs) racing to use
    the same line post the money once."""

    __tablename__ = "bank_matches"
    __table_args__ = (CheckConstraint("how IN ('utr','amount')", name="ck_bank_match_how"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id", index=True)
    line_id: int = Field(foreign_key="bank_statement_lines.id", unique=True)
    payment_id: int = Field(foreign_key="payments.id", unique=True)
    how: str = Field(max_length=8)
    confirmed_by_id: int = Field(foreign_key="users.id")
    confirmed_at: datetime = Field(default_factory=utcnow)


class WorkerHeartbeat(SQLModel, table=True):
    """A background job's last run (issue 21): written after every run in its own short
    transaction, so /health and /metrics can tell a job that stopped (late) from one that runs
    but fails (failing). One row per job name; the job loop upserts it."""

    __tablename__ = "worker_heartbeats"

    name: str = Field(primary_key=True, max_length=40)
    last_started_at: datetime | None = None
    last_finished_at: datetime | None = None
    last_ok_at: datetime | None = None
    last_error: str = Field(default="", max_length=300, sa_column_kwargs={"server_default": ""})
    runs: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # The job's interval as its loop last reported it: lateness is judged from the row alone, so
    # /health and /metrics need not import the job list (api and background are separate layers).
    every_seconds: float = Field(default=0.0, sa_column_kwargs={"server_default": "0"})
