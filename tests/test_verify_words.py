"""The verify page's check details (issue 16, item 27): the verifier (luckychit_app/verify.py) writes
English with "(s)"; the page shows each passed check in the reader's language, its noun singular or
plural, with no "(s)" left and nothing else in English but the formulas and names."""

from __future__ import annotations

import re

import pytest

from luckychit_app.i18n import check_detail
from luckychit_app.verify import verify_proof
from tests.domain.test_fairness import sample_proof

LATIN_WORDS = re.compile(
    r"\b(?:ticket|tickets|phrase|phrases|step|steps|recomputed|eligible ticket|only one)\b"
)


@pytest.mark.parametrize(
    ("proof", "one"),
    [
        (sample_proof(), False),
        (sample_proof(phrases=["one phrase"]), True),
    ],
)
def test_every_passed_check_reads_in_hindi_and_in_english_without_s_in_brackets(proof, one):
    checks = verify_proof(proof)
    assert all(c.ok for c in checks)
    for check in checks:
        if check.name == "beacon":
            continue  # version 2's beacon sentences have no vcheck.* translation yet (issue 20)
        english, hindi = check_detail("en", check.detail), check_detail("hi", check.detail)
        assert "(s)" not in english and "(s)" not in hindi, check.name
        if check.name != "timestamps":
            assert hindi != check.detail, f"{check.name}: {check.detail!r} was left in English"
        assert not LATIN_WORDS.search(re.sub(r"\(member '[^']*'\)", "", hindi)), hindi
    details = {c.name: check_detail("en", c.detail) for c in checks}
    assert details["eligible_list"].startswith("7 eligible tickets,")
    assert details["client_seed"] == ("recomputed from 1 phrase" if one else "recomputed from 3 phrases")


def test_singular_and_plural_of_the_hmac_steps():
    one = "1 HMAC step(s) replayed (0 rejected); x mod 7 = 3; acceptance limit 18446744073709551612"
    two = "2 HMAC step(s) replayed (1 rejected); x mod 7 = 3; acceptance limit 18446744073709551612"
    assert check_detail("en", one).startswith("1 HMAC step replayed")
    assert check_detail("en", two).startswith("2 HMAC steps replayed")
    assert check_detail("hi", one).startswith("1 HMAC चरण दोहराया गया")
    assert check_detail("hi", two).startswith("2 HMAC चरण दोहराए गए")
    assert check_detail("hi", "recomputed from 3 phrase(s)") == "3 वाक्यों से दोबारा गणना की गई"
    assert check_detail("hi", "recomputed from 1 phrase(s)") == "1 वाक्य से दोबारा गणना की गई"


def test_a_failed_checks_reason_stays_as_the_verifier_wrote_it():
    reason = "the eligible list hashes to ab12, but the proof records cd34"
    assert check_detail("hi", reason) == reason
