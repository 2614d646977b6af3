"""A group's agreement terms as the services read them: from a group row (:func:`terms_of`), from
the foreman's form (:func:`terms_from_form`, one clear message per wrong field), and how many seats
are taken. Many packages need the terms (payments, late fees, draws), so this module depends on
nothing but the domain rules and the foundation - never on money/ or months."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import parse_rupees
from luckychit_app.domain.terms import (
    DEFAULT_DEFAULT_AFTER,
    EARLY_DRAW_RULES,
    GST_RECOVERIES,
    LATE_FEE_POOL_TARGETS,
    MAX_DEFAULT_AFTER,
    MAX_DISCOUNT_CAP_BP,
    MAX_REMOVAL_DEDUCTION_BP,
    MIN_DEFAULT_AFTER,
    PERIODS,
    REFUND_TIMES,
    GroupTerms,
    max_discount_warning,
    validate_terms,
)
from luckychit_app.models import ChitGroup, Ticket
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.validation import clean_int, clean_percent_bp, clean_text, clean_vpa

TERM_FIELDS = (
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
    # The agreement's own terms (issue 15), frozen with the rest once the group starts.
    "period",
    "forfeit_dividend_when_late",
    "default_after",
    "removal_deduction_bp",
    "removed_refund_at",
    "late_fee_pool_to",
    # A draw before its date: warned about or refused (issue 16); the agreement's, frozen at start too.
    "early_draw",
    # Who bears the GST on the commission (issue 19): the agreement's, frozen with the rest.
    "gst_recovery",
)
SEATED = ("pending", "active", "suspended")
# The domain names rates by their stored unit; the form asks for percentages. Errors must name the
# form's input, or the UI has nowhere to show the message.
FORM_FIELD = {
    "commission_bp": "commission_pct",
    "max_discount_bp": "max_discount_pct",
    "late_fee_interest_bp": "late_fee_interest_pct",
    "removal_deduction_bp": "removal_deduction_pct",
}


def terms_of(group: ChitGroup) -> GroupTerms:
    return GroupTerms(**{f: getattr(group, f) for f in TERM_FIELDS})


def seats_taken(session: Session, group_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Ticket).where(Ticket.group_id == group_id, Ticket.status.in_(SEATED))
    ).one()


def _get(form: dict, key: str, default: object) -> object:
    """Hidden or blank form fields arrive missing, None or "": all mean "use the default"."""
    value = form.get(key)
    return default if value is None or (isinstance(value, str) and not value.strip()) else value


def _money_field(form: dict, key: str, label: str, *, allow_zero: bool = False, default: str = "0") -> int:
    raw = _get(form, key, default)
    # Whole rupees may arrive as an int; a float goes on to parse_rupees, which refuses it (binary
    # floats cannot hold every paise value, so str(float) could silently change the amount).
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    try:
        return parse_rupees(raw, allow_zero=allow_zero)
    except DomainError as exc:
        raise ServiceError(f"{label}: {exc}", key) from exc


def _choice(form: dict, key: str, label: str, options: tuple[str, ...], default: str) -> str:
    value = _get(form, key, default)
    if value not in options:
        raise ServiceError(f"{label} must be one of: {', '.join(options)}.", key)
    return value


def _flag(form: dict, key: str, default: bool = False) -> bool:
    """A yes/no field: a missing one (or None) means ``default``; "" is an unticked box."""
    value = form.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if value in ("on", "true", "1", "yes"):
        return True
    if value in ("", "off", "false", "0", "no"):
        return False
    raise ServiceError("Invalid choice.", key)


def terms_from_form(form: object) -> tuple[str, GroupTerms, str | None]:
    """(name, terms, upi_vpa) from a form dict of strings; raises ServiceError naming the field."""
    if not isinstance(form, dict):
        raise ServiceError("Invalid form.")
    name = clean_text(form.get("name"), field="name", label="Group name", min_len=3, max_len=80)
    kind = _choice(form, "kind", "Draw type", ("lucky", "auction"), "lucky")
    late_mode = _choice(form, "late_fee_mode", "Late fee", ("none", "flat", "interest"), "none")
    terms = GroupTerms(
        chit_value=_money_field(form, "chit_value", "Chit value", default=""),
        tickets=clean_int(_get(form, "tickets", None), field="tickets", label="Tickets", lo=2, hi=100),
        kind=kind,
        commission_bp=clean_percent_bp(
            _get(form, "commission_pct", "5"), field="commission_pct", label="Foreman commission", hi_bp=700
        ),
        max_discount_bp=clean_percent_bp(
            _get(form, "max_discount_pct", "30"),
            field="max_discount_pct",
            label="Maximum discount",
            hi_bp=MAX_DISCOUNT_CAP_BP,  # the agreement's ceiling, up to 50 % (warned above 40 %)
        ),
        min_bid_step=_money_field(form, "min_bid_step", "Minimum bid step", default="100"),
        # s.21(1)(a): the foreman's first chit is the Act's default, so a form that does not say
        # otherwise gets it (the new-group form always says, from its checkbox).
        foreman_first_chit=_flag(form, "foreman_first_chit", default=True),
        remainder_to=_choice(form, "remainder_to", "Rounding remainder", ("carry", "foreman"), "carry"),
        late_fee_mode=late_mode,
        late_fee_flat=_money_field(form, "late_fee_flat", "Flat late fee", allow_zero=True),
        late_fee_interest_bp=clean_percent_bp(
            _get(form, "late_fee_interest_pct", "0"),
            field="late_fee_interest_pct",
            label="Late fee interest",
            hi_bp=500,
        ),
        grace_days=clean_int(
            _get(form, "grace_days", 0), field="grace_days", label="Grace days", lo=0, hi=30
        ),
        draw_day=clean_int(_get(form, "draw_day", 10), field="draw_day", label="Draw day", lo=1, hi=28),
        **_agreement_terms(form),
    )
    try:
        validate_terms(terms)
    except DomainError as exc:
        raise ServiceError(str(exc), FORM_FIELD.get(exc.field, exc.field)) from exc
    return name, terms, clean_vpa(form.get("upi_vpa"))


def _agreement_terms(form: dict) -> dict[str, object]:
    """The terms the Act leaves to the chit agreement (s.6), from the form, with their defaults."""
    return {
        "period": _choice(form, "period", "Instalment period", PERIODS, "monthly"),
        "forfeit_dividend_when_late": _flag(form, "forfeit_dividend_when_late"),
        "default_after": clean_int(
            _get(form, "default_after", DEFAULT_DEFAULT_AFTER),
            field="default_after",
            label="Unpaid instalments before default",
            lo=MIN_DEFAULT_AFTER,
            hi=MAX_DEFAULT_AFTER,
        ),
        "removal_deduction_bp": clean_percent_bp(
            _get(form, "removal_deduction_pct", "5"),
            field="removal_deduction_pct",
            label="Deduction from a removed subscriber (s.30)",
            hi_bp=MAX_REMOVAL_DEDUCTION_BP,
        ),
        "removed_refund_at": _choice(
            form, "removed_refund_at", "Removed subscriber's refund", REFUND_TIMES, "close"
        ),
        "late_fee_pool_to": _choice(
            form, "late_fee_pool_to", "Late fees go to", LATE_FEE_POOL_TARGETS, "foreman"
        ),
        # The Act has every draw held on the agreement's date (s.16(1), s.6(1)(h)); the agreement
        # says whether a draw before it is warned about (the default) or refused.
        "early_draw": _choice(form, "early_draw", "A draw before its date", EARLY_DRAW_RULES, "warn"),
        "gst_recovery": _choice(form, "gst_recovery", "GST on the commission", GST_RECOVERIES, "prize"),
    }


def discount_warning(value: object) -> str:
    """The warning for a maximum discount as typed on the form ("45" → a warning above 40 %); empty
    while the value is fine or not yet a valid percentage (the submit says what is wrong then)."""
    try:
        bp = clean_percent_bp(
            value, field="max_discount_pct", label="Maximum discount", hi_bp=MAX_DISCOUNT_CAP_BP
        )
    except ServiceError:
        return ""
    return max_discount_warning(bp)
