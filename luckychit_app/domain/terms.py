"""A chit group's terms (the numbers fixed when the group is registered) and their validation.

``GroupTerms`` is deliberately *not* validated on construction: a form builds one from whatever the
foreman typed and then asks :func:`term_errors` for every problem at once (each tagged with the form
field), or :func:`validate_terms` for the first. Every domain function that computes money from
terms validates them first, so invalid terms can be represented but never produce numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from luckychit_app.domain.errors import InvalidTermsError
from luckychit_app.domain.money import MAX_PAISE, format_inr, percent_bp

GroupKind = Literal["lucky", "auction"]
RemainderTo = Literal["carry", "foreman"]
LateFeeMode = Literal["none", "flat", "interest"]
Period = Literal["monthly", "fortnightly", "weekly"]
RefundAt = Literal["close", "substitution"]
LateFeePoolTo = Literal["foreman", "members"]
EarlyDraw = Literal["warn", "refuse"]
GstRecovery = Literal["prize", "foreman"]

BP_PER_WHOLE = 10_000
"""Basis points in 100 %."""

MIN_TICKETS = 2
MAX_TICKETS = 100
MIN_CHIT_VALUE = 1_000 * 100
"""₹1,000: smaller groups are not worth the bookkeeping."""
MAX_COMMISSION_BP = 700
"""7 % of the chit value: the statutory cap on the foreman's commission since the 2019 amendment."""
DEFAULT_COMMISSION_BP = 500
MAX_DISCOUNT_CAP_BP = 5_000
"""The Act sets no ceiling on the discount: it is the chit agreement's (s.6). Published groups use
45 %; we accept up to a sane 50 % of the chit value (the database's limit too)."""
DISCOUNT_WARN_BP = 4_000
"""Above 40 % the foreman is warned (not refused): a prize that small is rarely worth taking."""
DEFAULT_MAX_DISCOUNT_BP = 3_000
MIN_BID_STEP = 100
"""₹1: bids must move by at least a rupee."""
MAX_LATE_FEE_INTEREST_BP = 500
"""5 % per month simple interest is the most a group may charge on overdue dues."""
MAX_GRACE_DAYS = 30
MIN_DRAW_DAY = 1
MAX_DRAW_DAY = 28
"""Draw days stop at 28 so that every month, February included, has the day."""
MIN_DEFAULT_AFTER = 1
MAX_DEFAULT_AFTER = 12
DEFAULT_DEFAULT_AFTER = 3
"""Unpaid instalments before a ticket may be declared defaulted: the chit agreement's (s.6), which
the Act's removal of a non-prized defaulter (s.28) relies on; 3 is common practice."""
MAX_REMOVAL_DEDUCTION_BP = 500
"""s.30(1) proviso: what the agreement deducts from a removed subscriber's contributions may not
exceed 5 % of the chit amount."""
DEFAULT_REMOVAL_DEDUCTION_BP = 500

GROUP_KINDS: tuple[GroupKind, ...] = ("lucky", "auction")
REMAINDER_TARGETS: tuple[RemainderTo, ...] = ("carry", "foreman")
LATE_FEE_MODES: tuple[LateFeeMode, ...] = ("none", "flat", "interest")
PERIODS: tuple[Period, ...] = ("monthly", "fortnightly", "weekly")
REFUND_TIMES: tuple[RefundAt, ...] = ("close", "substitution")
LATE_FEE_POOL_TARGETS: tuple[LateFeePoolTo, ...] = ("foreman", "members")
EARLY_DRAW_RULES: tuple[EarlyDraw, ...] = ("warn", "refuse")
"""A draw held before its date: the Act wants every draw on the date in the chit agreement (s.16(1),
the date being one of the agreement's particulars, s.6(1)(h)); the agreement says whether the app
warns the foreman and lets the draw go ahead ("warn", the default) or refuses it ("refuse")."""
GST_RECOVERIES: tuple[GstRecovery, ...] = ("prize", "foreman")
"""Who bears the GST on the commission (domain/gst.py): recovered from the prize ("prize", the practice
of chit companies: the published example's prize of ₹1,18,200) or borne by the foreman out of the
commission ("foreman"). Either way the foreman pays it to the government; the agreement says which."""
PERIOD_DAYS = {"fortnightly": 14, "weekly": 7}
"""Days between instalments for the periods not counted in calendar months."""


@dataclass(frozen=True)
class GroupTerms:
    """The fixed economics of one chit group; amounts in paise, rates in basis points.

    ``commission_bp`` is a share of the *chit value* per month (not of the discount), because that is
    what the Act caps. ``max_discount_bp`` and ``min_bid_step`` matter only to auction groups.
    ``remainder_to`` says where the paise left over from flooring the per-ticket dividend go.

    The agreement's own terms (issue 15; the Act leaves them to the chit agreement, s.6): ``period``
    (instalments monthly, fortnightly or weekly; always one per ticket), ``forfeit_dividend_when_late``
    (a ticket in arrears when a month settles gets no dividend that month), ``default_after`` (unpaid
    instalments before a ticket may be declared defaulted, s.28), ``removal_deduction_bp`` (kept from
    a removed subscriber's contributions, at most 5 % of the chit value, s.30(1)),
    ``removed_refund_at`` (when that refund is paid: at the substitution or at the close, s.30(2)/(3))
    and ``late_fee_pool_to`` (whether late fees are the foreman's or shared among members at the close).
    ``early_draw`` (issue 16): whether a draw held before its date is only warned about ("warn") or
    refused ("refuse"); the Act has every draw held on the agreement's date (s.16(1), s.6(1)(h)).
    ``gst_recovery`` (issue 19): who bears the GST on the commission (GST_RECOVERIES).
    """

    chit_value: int
    tickets: int
    kind: GroupKind
    commission_bp: int = DEFAULT_COMMISSION_BP
    max_discount_bp: int = DEFAULT_MAX_DISCOUNT_BP
    min_bid_step: int = 10_000
    foreman_first_chit: bool = False
    remainder_to: RemainderTo = "carry"
    late_fee_mode: LateFeeMode = "none"
    late_fee_flat: int = 0
    late_fee_interest_bp: int = 0
    grace_days: int = 0
    draw_day: int = 10
    period: Period = "monthly"
    forfeit_dividend_when_late: bool = False
    default_after: int = DEFAULT_DEFAULT_AFTER
    removal_deduction_bp: int = DEFAULT_REMOVAL_DEDUCTION_BP
    removed_refund_at: RefundAt = "close"
    late_fee_pool_to: LateFeePoolTo = "foreman"
    early_draw: EarlyDraw = "warn"
    gst_recovery: GstRecovery = "prize"

    @property
    def installment(self) -> int:
        """What each ticket pays per month before any dividend: V / N (exact once validated)."""
        return self.chit_value // self.tickets

    @property
    def commission(self) -> int:
        """The foreman's commission for one month, in paise (floored to whole paise)."""
        return self.chit_value * self.commission_bp // BP_PER_WHOLE

    @property
    def max_discount(self) -> int:
        """The largest discount an auction bid may offer, in paise (floored to whole paise)."""
        return self.chit_value * self.max_discount_bp // BP_PER_WHOLE

    @property
    def duration_months(self) -> int:
        """A group runs one period per ticket, so every ticket wins exactly once (the name keeps
        "months": a fortnightly or weekly group's "month k" is its k-th period)."""
        return self.tickets

    @property
    def removal_deduction(self) -> int:
        """What the agreement keeps from a removed subscriber's contributions, in paise (s.30(1))."""
        return self.chit_value * self.removal_deduction_bp // BP_PER_WHOLE


def _is_int(value: object) -> bool:
    """True for real ints only: ``bool`` is an int subclass but ``True`` is never a count or amount."""
    return isinstance(value, int) and not isinstance(value, bool)


def _int_error(terms: GroupTerms, name: str, label: str) -> InvalidTermsError | None:
    value = getattr(terms, name)
    if _is_int(value):
        return None
    return InvalidTermsError(f"{label} must be a whole number, not {value!r}.", field=name)


def _choice_error(value: object, choices: tuple[str, ...], name: str, label: str) -> InvalidTermsError | None:
    if isinstance(value, str) and value in choices:
        return None
    options = ", ".join(repr(c) for c in choices)
    return InvalidTermsError(f"{label} must be one of {options}, not {value!r}.", field=name)


def _divisibility_message(value: int, tickets: int) -> str:
    """Say why V/N fails and offer the two nearest values that work, so the foreman can just pick one."""
    below = value - value % tickets
    above = below + tickets
    suggestions = [format_inr(v) for v in (below, above) if MIN_CHIT_VALUE <= v <= MAX_PAISE]
    hint = f" (for example {' or '.join(suggestions)})" if suggestions else ""
    return (
        f"{format_inr(value)} does not divide evenly into {tickets} tickets; choose a value that is a "
        f"multiple of {tickets} paise{hint}."
    )


def term_errors(terms: GroupTerms) -> list[InvalidTermsError]:
    """Every problem with ``terms``, in form order, each naming its field; empty when valid.

    Forms show all problems at once; rules that depend on another field are only checked once that
    field itself is valid, so one mistake never produces a cascade of confusing messages.
    """
    errors: list[InvalidTermsError] = []

    def add(error: InvalidTermsError | None) -> None:
        if error is not None:
            errors.append(error)

    int_fields = {
        "chit_value": "Chit value",
        "tickets": "Number of tickets",
        "commission_bp": "Foreman commission",
        "max_discount_bp": "Maximum discount",
        "min_bid_step": "Minimum bid step",
        "late_fee_flat": "Flat late fee",
        "late_fee_interest_bp": "Late fee interest",
        "grace_days": "Grace days",
        "draw_day": "Draw day",
        "default_after": "Instalments before default",
        "removal_deduction_bp": "Deduction on removal",
    }
    typed_ok = {}
    for name, label in int_fields.items():
        error = _int_error(terms, name, label)
        typed_ok[name] = error is None
        add(error)

    kind_error = _choice_error(terms.kind, GROUP_KINDS, "kind", "Group type")
    add(kind_error)
    add(_choice_error(terms.remainder_to, REMAINDER_TARGETS, "remainder_to", "Dividend remainder"))
    mode_error = _choice_error(terms.late_fee_mode, LATE_FEE_MODES, "late_fee_mode", "Late fee type")
    add(mode_error)
    if not isinstance(terms.foreman_first_chit, bool):
        add(
            InvalidTermsError(
                f"'Foreman takes the first chit' must be yes or no, not {terms.foreman_first_chit!r}.",
                field="foreman_first_chit",
            )
        )
    add(_choice_error(terms.period, PERIODS, "period", "Instalment period"))
    if not isinstance(terms.forfeit_dividend_when_late, bool):
        add(
            InvalidTermsError(
                "'Dividend forfeited when in arrears' must be yes or no, not "
                f"{terms.forfeit_dividend_when_late!r}.",
                field="forfeit_dividend_when_late",
            )
        )
    add(
        _choice_error(
            terms.removed_refund_at, REFUND_TIMES, "removed_refund_at", "Removed subscriber's refund"
        )
    )
    add(_choice_error(terms.late_fee_pool_to, LATE_FEE_POOL_TARGETS, "late_fee_pool_to", "Late fees go to"))
    add(_choice_error(terms.early_draw, EARLY_DRAW_RULES, "early_draw", "A draw before its date"))
    add(_choice_error(terms.gst_recovery, GST_RECOVERIES, "gst_recovery", "GST on the commission"))

    tickets_ok = False
    if typed_ok["tickets"]:
        if MIN_TICKETS <= terms.tickets <= MAX_TICKETS:
            tickets_ok = True
        else:
            add(
                InvalidTermsError(
                    f"A group needs between {MIN_TICKETS} and {MAX_TICKETS} tickets, not {terms.tickets}.",
                    field="tickets",
                )
            )

    value_ok = False
    if typed_ok["chit_value"]:
        if terms.chit_value < MIN_CHIT_VALUE:
            add(
                InvalidTermsError(
                    f"The chit value must be at least {format_inr(MIN_CHIT_VALUE)}.", field="chit_value"
                )
            )
        elif terms.chit_value > MAX_PAISE:
            add(
                InvalidTermsError(
                    f"The chit value cannot be more than {format_inr(MAX_PAISE)}.", field="chit_value"
                )
            )
        else:
            value_ok = True
    if value_ok and tickets_ok and terms.chit_value % terms.tickets != 0:
        add(InvalidTermsError(_divisibility_message(terms.chit_value, terms.tickets), field="chit_value"))

    commission_ok = False
    if typed_ok["commission_bp"]:
        if 0 <= terms.commission_bp <= MAX_COMMISSION_BP:
            commission_ok = True
        else:
            add(
                InvalidTermsError(
                    f"Foreman commission must be between 0% and {percent_bp(MAX_COMMISSION_BP)} of the chit "
                    f"value (the statutory cap since 2019), not {percent_bp(terms.commission_bp)}.",
                    field="commission_bp",
                )
            )

    if typed_ok["max_discount_bp"]:
        if not 0 <= terms.max_discount_bp <= MAX_DISCOUNT_CAP_BP:
            add(
                InvalidTermsError(
                    f"The maximum discount must be between 0% and {percent_bp(MAX_DISCOUNT_CAP_BP)} of the "
                    f"chit value, not {percent_bp(terms.max_discount_bp)}.",
                    field="max_discount_bp",
                )
            )
        elif (
            kind_error is None
            and terms.kind == "auction"
            and commission_ok
            and terms.max_discount_bp < terms.commission_bp
        ):
            add(
                InvalidTermsError(
                    f"The maximum discount ({percent_bp(terms.max_discount_bp)}) cannot be below the "
                    f"foreman commission ({percent_bp(terms.commission_bp)}): every winning bid must "
                    "at least cover the commission.",
                    field="max_discount_bp",
                )
            )

    if typed_ok["min_bid_step"]:
        if terms.min_bid_step < MIN_BID_STEP:
            add(
                InvalidTermsError(
                    f"The minimum bid step must be at least {format_inr(MIN_BID_STEP)}.", field="min_bid_step"
                )
            )
        elif value_ok and terms.min_bid_step > terms.chit_value:
            add(
                InvalidTermsError(
                    "The minimum bid step cannot be more than the chit value.", field="min_bid_step"
                )
            )

    if typed_ok["late_fee_flat"]:
        if terms.late_fee_flat < 0:
            add(InvalidTermsError("The flat late fee cannot be negative.", field="late_fee_flat"))
        elif value_ok and terms.late_fee_flat > terms.chit_value:
            add(
                InvalidTermsError(
                    "The flat late fee cannot be more than the chit value.", field="late_fee_flat"
                )
            )
        elif mode_error is None and terms.late_fee_mode == "flat" and terms.late_fee_flat == 0:
            add(
                InvalidTermsError(
                    "Enter the flat late fee charged per overdue installment per month.",
                    field="late_fee_flat",
                )
            )

    if typed_ok["late_fee_interest_bp"]:
        if not 0 <= terms.late_fee_interest_bp <= MAX_LATE_FEE_INTEREST_BP:
            add(
                InvalidTermsError(
                    f"Late fee interest must be between 0% and {percent_bp(MAX_LATE_FEE_INTEREST_BP)} per "
                    f"month, not {percent_bp(terms.late_fee_interest_bp)}.",
                    field="late_fee_interest_bp",
                )
            )
        elif mode_error is None and terms.late_fee_mode == "interest" and terms.late_fee_interest_bp == 0:
            add(
                InvalidTermsError(
                    "Enter the monthly interest rate charged on overdue dues.", field="late_fee_interest_bp"
                )
            )

    if typed_ok["grace_days"] and not 0 <= terms.grace_days <= MAX_GRACE_DAYS:
        add(
            InvalidTermsError(
                f"Grace days must be between 0 and {MAX_GRACE_DAYS}, not {terms.grace_days}.",
                field="grace_days",
            )
        )

    if typed_ok["draw_day"] and not MIN_DRAW_DAY <= terms.draw_day <= MAX_DRAW_DAY:
        add(
            InvalidTermsError(
                f"The draw day must be between {MIN_DRAW_DAY} and {MAX_DRAW_DAY} so every month has it, "
                f"not {terms.draw_day}.",
                field="draw_day",
            )
        )

    # The chit agreement (s.6) fixes how many unpaid instalments make a default (s.28 relies on it).
    if typed_ok["default_after"] and not MIN_DEFAULT_AFTER <= terms.default_after <= MAX_DEFAULT_AFTER:
        add(
            InvalidTermsError(
                f"A ticket may be declared defaulted after {MIN_DEFAULT_AFTER} to {MAX_DEFAULT_AFTER} unpaid "
                f"instalments, not {terms.default_after}.",
                field="default_after",
            )
        )

    # s.30(1) proviso: the deduction from a removed subscriber's contributions is at most 5 % of V.
    if typed_ok["removal_deduction_bp"] and not 0 <= terms.removal_deduction_bp <= MAX_REMOVAL_DEDUCTION_BP:
        add(
            InvalidTermsError(
                f"The deduction on removal must be between 0% and {percent_bp(MAX_REMOVAL_DEDUCTION_BP)} of "
                f"the chit value (Chit Funds Act s.30), not {percent_bp(terms.removal_deduction_bp)}.",
                field="removal_deduction_bp",
            )
        )

    return errors


def term_warnings(terms: GroupTerms) -> list[InvalidTermsError]:
    """Terms that are allowed but worth a second look, each naming its field; shown, never refused.

    Today: an auction's maximum discount above 40 % of the chit value (published groups use 45 %, the
    Act sets no ceiling, so it is the agreement's choice, s.6).
    """
    warning = max_discount_warning(terms.max_discount_bp) if terms.kind == "auction" else ""
    return [InvalidTermsError(warning, field="max_discount_bp")] if warning else []


def max_discount_warning(max_discount_bp: object) -> str:
    """The warning for a maximum discount above 40 % (empty when there is nothing to say)."""
    if not _is_int(max_discount_bp) or not DISCOUNT_WARN_BP < max_discount_bp <= MAX_DISCOUNT_CAP_BP:
        return ""
    return (
        f"A maximum discount of {percent_bp(max_discount_bp)} is above the usual "
        f"{percent_bp(DISCOUNT_WARN_BP)}: a winner could take home as little as "
        f"{percent_bp(BP_PER_WHOLE - max_discount_bp)} of the chit value. Allowed, but make sure the "
        "chit agreement says so."
    )


def validate_terms(terms: GroupTerms) -> None:
    """Raise the first problem with ``terms`` as an ``InvalidTermsError`` naming its form field."""
    if not isinstance(terms, GroupTerms):
        raise InvalidTermsError(f"Expected group terms, got {type(terms).__name__}.")
    errors = term_errors(terms)
    if errors:
        raise errors[0]
