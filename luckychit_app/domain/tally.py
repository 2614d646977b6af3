"""The rules of a Tally import file (TallyPrime and Tally.ERP 9), as pure functions.

Tally's XML import (ENVELOPE / HEADER / TALLYREQUEST "Import Data" / BODY / IMPORTDATA, Tally's
developer reference, "Integration of Transactions" and "Integration of Accounting Masters") wants:

* dates as ``yyyymmdd``;
* each voucher line's AMOUNT in rupees with two decimals, a debit NEGATIVE with ISDEEMEDPOSITIVE
  "Yes", a credit positive with "No" (our books are the other way round: positive paise debit);
* a voucher type that fits its lines: Receipt and Payment must move a cash or bank ledger in and
  out, Contra moves money between two of them, and Journal must touch none (Tally's default Journal
  voucher refuses cash and bank ledgers);
* every ledger created under one of Tally's predefined groups, its name unique (case does not
  count) and short.

Money stays in int paise until it is written as text here, digit by digit: never a float.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date

from luckychit_app.domain.errors import DomainError

NAME_LIMIT = 80
"""Longest ledger name written. Tally's name fields are short; 80 characters keeps every name well
inside what TallyPrime and Tally.ERP 9 accept while leaving room for "Member — Group ticket N
(dues receivable)"."""

CASH_KINDS = frozenset({"cash", "cash_with", "own_cash"})
"""Accounts of money in hand (domain/ledger.py): a group's cash, cash a staff member holds for it,
and the foreman's own money taken out of a closed group. Tally's "Cash-in-Hand" ledgers."""

PARENTS: Mapping[str, str] = {
    "cash": "Cash-in-Hand",
    "cash_with": "Cash-in-Hand",
    "own_cash": "Cash-in-Hand",
    # What a member owes on a ticket (negative: an advance paid): a debtor of the business.
    "receivable": "Sundry Debtors",
    # A month's subscriptions being collected for its prize: owed onward to the month's winner.
    "pot": "Current Liabilities",
    "prize_payable": "Current Liabilities",
    "refund_payable": "Current Liabilities",
    # The members' money the group keeps until its close (DESIGN §2) and security deposits held
    # for prized members (Chit Funds Act 1982 s.21(1)(e)): theirs, so liabilities.
    "carry_forward": "Current Liabilities",
    "security_deposit": "Current Liabilities",
    # The foreman's commission (Chit Funds Act 1982 s.21(1)(b)) is what the business earns by its
    # trade; late fees are incidental to it.
    "commission": "Direct Incomes",
    "late_fees": "Indirect Incomes",
    # GST charged on the commission, owed to the government (CGST Act 2017 s.9).
    "gst_payable": "Duties & Taxes",
}
SUSPENSE = "Suspense A/c"
"""Tally's predefined group for what cannot be classified: an account kind this file does not know."""

VOUCHER_TYPES = ("Receipt", "Payment", "Contra", "Journal")

_AMOUNT_RE = re.compile(r"^(-?)(\d{1,15})\.(\d{2})$")


def tally_date(day: date) -> str:
    """A date as Tally writes it: 20260401."""
    return day.strftime("%Y%m%d")


def tally_amount(paise: int) -> str:
    """A posting's amount (positive paise = debit) as Tally's AMOUNT: debit -1234.50, credit 1234.50."""
    if isinstance(paise, bool) or not isinstance(paise, int):
        raise DomainError(f"Amounts are int paise, not {paise!r}.")
    rupees, rest = divmod(abs(paise), 100)
    return f"{'-' if paise > 0 else ''}{rupees}.{rest:02d}"


def paise_of(text: str) -> int:
    """The inverse of :func:`tally_amount`, exact: Tally's "-1234.50" is a debit of 123450 paise.
    Anything but digits, a point and two decimals is refused (no floats, no exponents)."""
    found = _AMOUNT_RE.match(text.strip()) if isinstance(text, str) else None
    if not found:
        raise DomainError(f"{text!r} is not an amount with two decimals.")
    sign, rupees, rest = found.groups()
    paise = int(rupees) * 100 + int(rest)
    return paise if sign == "-" else -paise


def deemed_positive(paise: int) -> str:
    """Tally's ISDEEMEDPOSITIVE for a posting: "Yes" on a debit, "No" on a credit."""
    return "Yes" if paise > 0 else "No"


def parent_group(kind: str | None) -> str:
    """The predefined Tally group a ledger of this account kind is created under."""
    return PARENTS.get(kind or "", SUSPENSE)


def voucher_type(lines: Iterable[tuple[str | None, int]]) -> str:
    """Receipt, Payment, Contra or Journal for a voucher of (account kind, paise) lines.

    Money in hand that only moves between cash ledgers (a staff member hands cash over) is a Contra;
    money coming in on balance a Receipt, going out a Payment; an entry touching no cash ledger
    (dues raised, a draw settled, a late fee, a substitution) a Journal. One that moves cash but
    nets to none of it with other lines (never made by the books today) is a Journal too."""
    listed = list(lines)
    cash = [amount for kind, amount in listed if kind in CASH_KINDS]
    others = [amount for kind, amount in listed if kind not in CASH_KINDS]
    if not cash:
        return "Journal"
    if not others:
        return "Contra"
    net = sum(cash)
    if net > 0:
        return "Receipt"
    if net < 0:
        return "Payment"
    return "Journal"


def clean_text(text: str, limit: int | None = None) -> str:
    """Text a person typed, made safe for an XML 1.0 file Tally reads: control characters (which
    XML 1.0 cannot carry at all) removed, runs of spaces and line breaks made one space, cut to
    ``limit`` characters."""
    kept = "".join(" " if ch in "\t\r\n" else ch for ch in text if _xml_char(ch))
    tidy = " ".join(kept.split())
    return tidy[:limit].rstrip() if limit is not None else tidy


def _xml_char(ch: str) -> bool:
    code = ord(ch)
    if code < 0x20:
        return ch in "\t\r\n"
    if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        return False
    return unicodedata.category(ch) != "Cc"


def unique_ledger_names(labels: Mapping[str, str], limit: int = NAME_LIMIT) -> dict[str, str]:
    """One Tally ledger name per account code, from each account's readable label.

    Tally keys a ledger by its name, case ignored, so two accounts must never share one (two groups
    both called "Diwali Savings", two members of one name): those that would are told apart by
    their account code in brackets, which is unique. Every name is cleaned and at most ``limit``
    characters, the suffix kept whole when a long label is cut."""
    if limit < 40:
        raise DomainError("Ledger names need room for the account code.")
    names = {code: clean_text(label, limit) or clean_text(code, limit) for code, label in labels.items()}
    for _round in range(3):
        seen: dict[str, list[str]] = {}
        for code, name in names.items():
            seen.setdefault(name.casefold(), []).append(code)
        clashes = [codes for codes in seen.values() if len(codes) > 1]
        if not clashes:
            return names
        for codes in clashes:
            for code in codes:
                suffix = f" [{clean_text(code)}]"
                names[code] = clean_text(labels[code], limit - len(suffix)) + suffix
    # A label that reads like another account's code in brackets: fall back to the codes alone.
    return {code: clean_text(code, limit) for code in labels}
