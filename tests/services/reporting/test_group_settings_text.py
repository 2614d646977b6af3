"""The group's Settings tab reads as sentences (issue 16, item 25): the late fee is "No late fee" or
what is charged and from when, never a bare "None"."""

from __future__ import annotations

from luckychit_app.services.reporting import group_settings
from tests.services.helpers import create_group, foreman


def test_the_late_fee_reads_as_a_sentence(tx):
    actor = foreman(tx)
    cases = [
        ({}, "No late fee"),
        (
            {"late_fee_mode": "flat", "late_fee_flat": "100", "grace_days": "3"},
            "₹100 a month on each overdue instalment, after 3 grace days",
        ),
        (
            {"late_fee_mode": "flat", "late_fee_flat": "50", "grace_days": "1"},
            "₹50 a month on each overdue instalment, after 1 grace day",
        ),
        (
            {"late_fee_mode": "interest", "late_fee_interest_pct": "2.5", "grace_days": "0"},
            "2.5% a month on overdue dues, from the day after the due date",
        ),
    ]
    for changes, sentence in cases:
        group_id = create_group(tx, actor, **changes)
        with tx() as s:
            assert group_settings.group_settings(s, actor=actor, group_id=group_id)["late_fee"] == sentence
