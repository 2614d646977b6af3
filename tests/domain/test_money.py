"""Parsing typed rupees into paise and showing paise the Indian way."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luckychit_app.domain.errors import DomainError, InvalidAmountError
from luckychit_app.domain.money import (
    MAX_PAISE,
    format_inr,
    format_inr_compact,
    parse_rupees,
    percent_bp,
)


@pytest.mark.parametrize(
    ("text", "paise"),
    [
        ("1,00,000", 10_000_000),
        ("100,000", 10_000_000),
        ("100000", 10_000_000),
        ("2500.50", 250_050),
        ("2500.5", 250_050),
        ("2500.", 250_000),
        (".75", 75),
        ("0.01", 1),
        ("₹ 5,000", 500_000),
        ("₹5,000", 500_000),
        ("Rs. 5,000/-", 500_000),
        ("INR 12,34,567.89", 123_456_789),
        ("  7  ", 700),
        ("5\u00a0000", 500_000),
        ("2500.500", 250_050),
        (5000, 500_000),
        ("1,00,00,00,00,000", MAX_PAISE),
    ],
)
def test_parse_rupees_accepts_common_forms(text, paise):
    assert parse_rupees(text) == paise


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        ("abc", "not an amount"),
        ("12abc", "not an amount"),
        ("1.005", "2 decimal places"),
        ("-5", "negative"),
        ("-₹500", "negative"),
        ("₹-500", "negative"),
        (-5, "negative"),
        ("0", "more than ₹0"),
        ("0.00", "more than ₹0"),
        (0, "more than ₹0"),
        ("1e5", "exponent"),
        ("1E+5", "exponent"),
        ("2.5e3", "exponent"),
        ("nan", "not an amount"),
        ("NaN", "not an amount"),
        ("inf", "not an amount"),
        ("-Infinity", "not an amount"),
        ("1,000,00", "commas"),
        ("1.000,50", "commas"),
        (",100", "commas"),
        ("100000000000.01", "cannot be more than"),
        ("999999999999999999999", "cannot be more than"),
        (10**11 + 1, "cannot be more than"),
        ("१००", "not an amount"),
        ("+5", "not an amount"),
    ],
)
def test_parse_rupees_rejects_with_clear_message(text, fragment):
    with pytest.raises(InvalidAmountError) as excinfo:
        parse_rupees(text)
    assert fragment in str(excinfo.value)


@pytest.mark.parametrize("value", [2.5, 5000.0, float("nan"), True, False, None, [5]])
def test_parse_rupees_rejects_non_text_non_int_types(value):
    with pytest.raises(DomainError):
        parse_rupees(value)


def test_parse_rupees_zero_when_allowed_and_field_is_carried():
    assert parse_rupees("0", allow_zero=True) == 0
    assert parse_rupees(0, allow_zero=True) == 0
    with pytest.raises(DomainError) as excinfo:
        parse_rupees("x", field="amount")
    assert excinfo.value.field == "amount"
    assert isinstance(excinfo.value, ValueError)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=MAX_PAISE))
def test_format_then_parse_round_trips(paise):
    assert parse_rupees(format_inr(paise)) == paise


@pytest.mark.parametrize(
    ("paise", "text"),
    [
        (10_000_000, "₹1,00,000"),
        (10_000_050, "₹1,00,000.50"),
        (-50_000, "-₹500"),
        (0, "₹0"),
        (5, "₹0.05"),
        (123_456_789, "₹12,34,567.89"),
        (1_000_00, "₹1,000"),
        (MAX_PAISE, "₹1,00,00,00,00,000"),
    ],
)
def test_format_inr(paise, text):
    assert format_inr(paise) == text


@pytest.mark.parametrize(
    ("paise", "text"),
    [
        (25_000_000, "₹2.5L"),
        (10_000_000, "₹1L"),
        (1_250_000_000, "₹1.25Cr"),
        (4_500_000, "₹45K"),
        (150_000, "₹1.5K"),
        (100_000, "₹1K"),
        (99_999, "₹999.99"),
        (50_000, "₹500"),
        (0, "₹0"),
        (-25_000_000, "-₹2.5L"),
        (12_345_678, "₹1.23L"),
        (9_999_900, "₹1L"),
        (999_950_000, "₹1Cr"),
        (MAX_PAISE, "₹10,000Cr"),
    ],
)
def test_format_inr_compact(paise, text):
    assert format_inr_compact(paise) == text


@pytest.mark.parametrize("bad", [1.5, True, "100"])
def test_formatting_refuses_non_int(bad):
    with pytest.raises(TypeError):
        format_inr(bad)
    with pytest.raises(TypeError):
        format_inr_compact(bad)


@pytest.mark.parametrize(
    ("bp", "text"), [(500, "5%"), (250, "2.5%"), (125, "1.25%"), (0, "0%"), (5, "0.05%"), (3000, "30%")]
)
def test_percent_bp(bp, text):
    assert percent_bp(bp) == text
