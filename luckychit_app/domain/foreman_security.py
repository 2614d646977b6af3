"""Whether the security a foreman gave for a chit is enough (Chit Funds Act 1982 s.20(1)).

Before applying for the sanction of a chit (s.4), the foreman gives the Registrar security for it,
in one of three ways (s.20(1), "gross chit amount" since the 2019 amendment):

(a) cash deposited in an approved bank in the Registrar's name, with a bank guarantee from an
    approved bank: together equal to the chit amount, at least half of it in cash (the text of (a):
    fifty per cent in cash and fifty per cent as a bank guarantee; more cash in place of guarantee
    only makes the security better, so it counts towards the whole);
(b) government securities worth (face or market value, whichever is less) at least one and a half
    times the chit amount;
(c) other securities a trustee may invest in (Indian Trusts Act s.20), worth at least one and a half
    times the chit amount.

The Registrar may refuse to register a chit whose security is insufficient (s.7(2) proviso (a)), so
the app shows the foreman how far each way falls short; it never refuses the record itself (the
Registrar, not the app, decides). A security still counts until it is released (s.20(5)).
All amounts in paise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CASH, GUARANTEE, GOVERNMENT, OTHER = "cash", "bank_guarantee", "govt_securities", "other"
FORMS = (CASH, GUARANTEE, GOVERNMENT, OTHER)


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


@dataclass(frozen=True)
class SecurityCover:
    """How the security held for one chit stands against s.20(1).

    ``clause`` is the first of "a", "b", "c" that the security satisfies ("" when none does);
    ``short_a`` is the cash still to deposit for clause (a) (cash covers the guarantee's half too),
    ``short_b`` the government securities still to give for clause (b)."""

    chit_value: int
    cash: int
    guarantee: int
    government: int
    other: int
    clause: str
    short_a: int
    short_b: int

    @property
    def sufficient(self) -> bool:
        return bool(self.clause)


def security_cover(chit_value: int, held: Mapping[str, int]) -> SecurityCover:
    """The cover of the security ``held`` (paise per form, released securities left out) for a chit
    of ``chit_value`` paise."""
    if not isinstance(chit_value, int) or isinstance(chit_value, bool) or chit_value <= 0:
        raise ValueError(f"The chit value must be a positive number of paise, not {chit_value!r}.")
    unknown = set(held) - set(FORMS)
    if unknown:
        raise ValueError(f"Unknown forms of security: {sorted(unknown)}.")
    cash, guarantee = held.get(CASH, 0), held.get(GUARANTEE, 0)
    government, other = held.get(GOVERNMENT, 0), held.get(OTHER, 0)
    # (a): half the chit amount in cash, the whole of it in cash and guarantee together.
    short_a = max(_ceil_div(chit_value, 2) - cash, chit_value - cash - guarantee, 0)
    # (b) and (c): one and a half times the chit amount.
    one_and_a_half = _ceil_div(chit_value * 3, 2)
    short_b = max(one_and_a_half - government, 0)
    clause = "a" if short_a == 0 else "b" if short_b == 0 else "c" if other >= one_and_a_half else ""
    return SecurityCover(chit_value, cash, guarantee, government, other, clause, short_a, short_b)
