"""Errors raised by the pure domain layer.

Every rule violation in the domain is a :class:`DomainError`. It subclasses ``ValueError`` because a
broken rule is always a bad *value* (an amount, a bid, a configuration), and it carries a message
written for a person (a foreman filling a form, a member placing a bid) plus, when the value came
from a form, the name of the field so the UI can put the message next to the right input.

The subclasses exist so services can tell "the user typed something wrong" apart from "our own
numbers disagree" without parsing message text; they add no behaviour.
"""

from __future__ import annotations


class DomainError(ValueError):
    """A business rule was broken; ``str(error)`` is safe to show to the user as is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, field={self.field!r})"


class InvalidAmountError(DomainError):
    """A money amount typed by a person could not be accepted (see ``money.parse_rupees``)."""


class InvalidTermsError(DomainError):
    """A group's configuration (chit value, tickets, commission, ...) breaks a rule."""


class InvalidBidError(DomainError):
    """An auction bid (a discount) is outside the allowed range or does not beat the best bid."""


class UnbalancedEntryError(DomainError):
    """A journal entry is malformed: no postings, a zero posting, or debits unequal to credits."""


class InvariantError(DomainError):
    """Numbers computed by the domain contradict each other: a bug or tampered data, never user input."""
