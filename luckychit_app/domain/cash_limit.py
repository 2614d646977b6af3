"""The cash a business may take from one person in one day (Income-tax Act, 1961, s.269ST).

s.269ST: no person shall receive an amount of two lakh rupees or more in cash (a) in aggregate from
a person in a day, (b) in respect of a single transaction, or (c) in respect of transactions relating
to one event or occasion from a person. s.271DA: whoever receives money in contravention of s.269ST
pays a penalty equal to the amount received. The limit is reached at ₹2,00,000 itself ("or more"):
₹1,99,999.99 in a day is allowed, ₹2,00,000 is not.

For a chit company the "person" is the member and the "day" the Indian calendar day the money was
received; every cash receipt from that member that day, for any ticket of any group of the company,
counts together with the one being recorded. A refund later does not undo a receipt. The foreman may
still record it (the money may already be in hand, and the books must say so) only by giving a
reason, which is kept on the payment and in the audit log for the accountant and the tax auditor
(Form 3CD, clause 31, asks the auditor to report such receipts).

Pure arithmetic; services/money/cash_limit.py applies it to the database.
"""

from __future__ import annotations

from luckychit_app.domain.money import format_inr

CASH_LIMIT = 2_00_000_00
"""₹2,00,000 in paise: the s.269ST limit, reached at this amount ("two lakh rupees or more")."""


def breaches(already: int, paise: int) -> bool:
    """Whether receiving ``paise`` in cash on top of ``already`` (the same person's cash that day)
    reaches the s.269ST limit."""
    return already + paise >= CASH_LIMIT


def refusal(already: int, paise: int) -> str:
    """Why the payment is refused, in words the person at the counter can act on."""
    total = already + paise
    before = f" ({format_inr(already)} already received today)" if already else ""
    return (
        f"Cash of {format_inr(total)} from this member today{before} reaches the ₹2,00,000 limit of "
        "the Income-tax Act s.269ST; receiving it attracts a penalty of the same amount (s.271DA). "
        "Take the rest by bank transfer or UPI, or give the reason for accepting this cash."
    )
