"""Group terms: derived amounts and validation messages tied to form fields."""

from __future__ import annotations

import dataclasses

import pytest

from luckychit_app.domain.errors import DomainError, InvalidTermsError
from luckychit_app.domain.terms import GroupTerms, term_errors, validate_terms

LAKH = 100_000 * 100


def lucky(**changes) -> GroupTerms:
    return dataclasses.replace(GroupTerms(chit_value=LAKH, tickets=20, kind="lucky"), **changes)


def auction(**changes) -> GroupTerms:
    return dataclasses.replace(GroupTerms(chit_value=LAKH, tickets=20, kind="auction"), **changes)


def field_of(terms: GroupTerms) -> str | None:
    with pytest.raises(InvalidTermsError) as excinfo:
        validate_terms(terms)
    return excinfo.value.field


def test_defaults_and_derived_amounts():
    terms = auction()
    validate_terms(terms)
    assert terms.commission_bp == 500
    assert terms.max_discount_bp == 3000
    assert terms.installment == 5_000 * 100
    assert terms.commission == 5_000 * 100
    assert terms.max_discount == 30_000 * 100
    assert terms.duration_months == 20
    assert term_errors(terms) == []


def test_terms_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        lucky().tickets = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tickets": 1}, "tickets"),
        ({"tickets": 101}, "tickets"),
        ({"chit_value": 99_999}, "chit_value"),
        ({"chit_value": 10**13 + 20}, "chit_value"),
        ({"commission_bp": 701}, "commission_bp"),
        ({"commission_bp": -1}, "commission_bp"),
        ({"max_discount_bp": 5001}, "max_discount_bp"),
        ({"min_bid_step": 99}, "min_bid_step"),
        ({"draw_day": 0}, "draw_day"),
        ({"draw_day": 29}, "draw_day"),
        ({"grace_days": -1}, "grace_days"),
        ({"grace_days": 31}, "grace_days"),
        ({"late_fee_interest_bp": 501}, "late_fee_interest_bp"),
        ({"late_fee_flat": -1}, "late_fee_flat"),
        ({"late_fee_mode": "flat"}, "late_fee_flat"),
        ({"late_fee_mode": "interest"}, "late_fee_interest_bp"),
        ({"late_fee_mode": "daily"}, "late_fee_mode"),
        ({"kind": "raffle"}, "kind"),
        ({"remainder_to": "members"}, "remainder_to"),
    ],
)
def test_out_of_range_values_name_their_field(changes, field):
    assert field_of(lucky(**changes)) == field


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("tickets", True),
        ("tickets", "20"),
        ("tickets", 20.0),
        ("chit_value", 100000.0),
        ("chit_value", "1,00,000"),
        ("commission_bp", False),
        ("draw_day", 10.5),
        ("foreman_first_chit", 1),
        ("foreman_first_chit", "yes"),
    ],
)
def test_wrong_types_are_rejected(name, value):
    assert field_of(lucky(**{name: value})) == name


def test_uneven_division_message_suggests_values():
    with pytest.raises(InvalidTermsError) as excinfo:
        validate_terms(lucky(tickets=7))
    error = excinfo.value
    assert error.field == "chit_value"
    assert "₹1,00,000 does not divide evenly into 7 tickets" in str(error)
    assert "multiple of 7 paise" in str(error)
    assert "₹99,999.97" in str(error)
    assert "₹1,00,000.04" in str(error)


def test_commission_message_mentions_statutory_cap():
    with pytest.raises(InvalidTermsError) as excinfo:
        validate_terms(lucky(commission_bp=800))
    assert "7%" in str(excinfo.value)
    assert "2019" in str(excinfo.value)


def test_auction_max_discount_must_cover_commission():
    assert field_of(auction(commission_bp=600, max_discount_bp=500)) == "max_discount_bp"
    validate_terms(auction(commission_bp=600, max_discount_bp=600))
    validate_terms(lucky(commission_bp=600, max_discount_bp=500))  # irrelevant for lucky draws


def test_boundaries_are_accepted():
    validate_terms(lucky(tickets=2, chit_value=100_000))
    validate_terms(lucky(tickets=100, chit_value=10**13))
    validate_terms(auction(commission_bp=0, max_discount_bp=5000, min_bid_step=100))
    validate_terms(lucky(commission_bp=700, draw_day=28, grace_days=30))
    validate_terms(lucky(draw_day=1, grace_days=0))
    validate_terms(lucky(late_fee_mode="flat", late_fee_flat=100))
    validate_terms(lucky(late_fee_mode="interest", late_fee_interest_bp=500))


def test_term_errors_lists_every_problem_once():
    errors = term_errors(lucky(tickets=1, commission_bp=900, draw_day=31))
    assert [e.field for e in errors] == ["tickets", "commission_bp", "draw_day"]
    assert all(isinstance(e, DomainError) for e in errors)


def test_validate_terms_rejects_non_terms():
    with pytest.raises(DomainError):
        validate_terms({"chit_value": LAKH})  # type: ignore[arg-type]
