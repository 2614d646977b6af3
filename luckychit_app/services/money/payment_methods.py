"""What the app calls each way money arrives (cash, bank, UPI, online, deducted from a prize,
recovered from a security deposit), in
one place so every screen, receipt and export names a method the same way.

There are two wordings on purpose: a receipt or passbook spells the method out (and the i18n
catalogue's ``method.*`` keys give the same words in the member's language), while charts, the
activity feed and CSV exports use the short form that fits a legend or a column.
"""

from __future__ import annotations

METHOD_LABELS = {
    "online": "Online (gateway)",
    "upi": "UPI",
    "cash": "Cash",
    "bank": "Bank transfer",
    "prize": "Deducted from prize",
    "deposit": "Recovered from security deposit",  # s.21(1)(e) (services/groups/deposit_recovery.py)
}
"""Full names, as receipts and passbooks print them (English of the ``method.*`` i18n keys)."""

METHOD_SHORT_LABELS = {
    "cash": "Cash",
    "bank": "Bank transfer",
    "upi": "UPI",
    "online": "Online",
    "prize": "From prize",
    "deposit": "From deposit",
}
"""Short names for chart legends, the activity feed and CSV exports."""

METHODS = tuple(METHOD_SHORT_LABELS)
"""Every method, in the order charts stack them."""
