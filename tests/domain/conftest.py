"""Fixtures shared by the domain tests."""

from __future__ import annotations

import pytest

from tests.domain.oracle import RejectingChain, find_rejecting_chain


@pytest.fixture(scope="session")
def rejecting_chain() -> RejectingChain:
    """A selection that rejects at least two values before accepting one, found with the test oracle
    (not the app), so a broken rejection bound in the app fails the tests that use it instead of the
    search."""
    return find_rejecting_chain(min_rejections=2)
