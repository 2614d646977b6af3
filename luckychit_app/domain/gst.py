"""GST on the foreman's commission: the rate in force on a day, the tax heads by place of supply,
and the tax invoice's numbering year.

The foreman's commission is the consideration for a taxable supply of services, "services provided
by a foreman of a chit fund in relation to chit" (heading 9971): 12 % under Notification
11/2017-Central Tax (Rate), S.No. 15(i) (6 % CGST + 6 % SGST), raised to 18 % from 18-07-2022 by
Notification 03/2022-Central Tax (Rate) of 13-07-2022 (47th GST Council). The dividend a member
receives is not a consideration and carries no GST (the discount shared among subscribers is their
own money). Late fees carry none either: the Andhra Pradesh High Court (December 2025) held that
interest and penalties a foreman charges a defaulting subscriber are not consideration for a supply
(CGST Act s.15(2)(d) does not reach them); services/money/late_fees.py charges no GST.

Place of supply (IGST Act 2017 s.12(2)): a chit member is an unregistered recipient, so the supply is
made where the member's address on record is, and at the foreman's own location where none is
recorded. Within the foreman's state it is an intra-State supply taxed half as CGST and half as SGST
(CGST Act s.9, the State Acts); across states it is IGST (IGST Act s.5).

All amounts are paise. Each head is rounded to the nearest paisa, half up (the invoice shows paise;
CGST Act s.170's rounding to the rupee applies to the tax paid with the return, not to the invoice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from luckychit_app.domain.errors import DomainError

SAC_CHIT = "9971"
"""Heading 9971, financial and related services (Notification 11/2017-CT(Rate), S.No. 15(i)); a
4-digit code suffices below ₹5 crore turnover (Notification 78/2020-Central Tax)."""

GST_RATES: tuple[tuple[date, int], ...] = (
    (date(2017, 7, 1), 1200),  # Notification 11/2017-Central Tax (Rate), S.No. 15(i): 12 %
    (date(2022, 7, 18), 1800),  # Notification 03/2022-Central Tax (Rate), 13-07-2022: 18 %
)
"""(in force from, rate in basis points), oldest first: a future change of rate is one row here."""

_BP = 10_000


@dataclass(frozen=True)
class GstCharge:
    """The tax on one commission: its taxable value, the rate and the heads (paise)."""

    taxable: int
    rate_bp: int
    cgst: int
    sgst: int
    igst: int

    @property
    def total(self) -> int:
        return self.cgst + self.sgst + self.igst

    @property
    def intra_state(self) -> bool:
        return self.igst == 0


NO_GST = GstCharge(0, 0, 0, 0, 0)
"""A foreman not registered for GST charges none (CGST Act s.22: registration, and with it the
tax, only above the threshold; an unregistered supplier may not collect tax, s.32(1))."""


def rate_on(day: date) -> int:
    """The GST rate (basis points) on the foreman's commission for a draw held on `day`."""
    if day < GST_RATES[0][0]:
        raise DomainError(f"GST began on 01-07-2017; there is no GST rate for {day:%d-%m-%Y}.")
    rate = GST_RATES[0][1]
    for start, bp in GST_RATES:
        if day >= start:
            rate = bp
    return rate


def _half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def charge(taxable: int, rate_bp: int, *, intra_state: bool) -> GstCharge:
    """The tax on `taxable` paise at `rate_bp`: CGST + SGST at half the rate each within the
    foreman's state, IGST at the whole rate across states (IGST Act s.12(2) decides which)."""
    if taxable < 0 or rate_bp < 0:
        raise DomainError("A taxable value and a GST rate cannot be negative.")
    if intra_state:
        half = _half_up(taxable * rate_bp, 2 * _BP)
        return GstCharge(taxable, rate_bp, half, half, 0)
    return GstCharge(taxable, rate_bp, 0, 0, _half_up(taxable * rate_bp, _BP))


def place_of_supply(recipient_state: str, supplier_state: str) -> str:
    """IGST Act s.12(2)(b): the recipient's location where their address is on record, else the
    supplier's location. States are the two-digit GST state codes ("33" Tamil Nadu)."""
    return recipient_state or supplier_state


def financial_year(day: date) -> str:
    """The Indian financial year of `day`, April to March ("2026-27"): a tax invoice's serial runs
    per financial year (CGST Rules 2017 r.46(b): "a consecutive serial number ... unique for a
    financial year")."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


GST_STATES: dict[str, str] = {
    "01": "Jammu and Kashmir",
    "02": "Himachal Pradesh",
    "03": "Punjab",
    "04": "Chandigarh",
    "05": "Uttarakhand",
    "06": "Haryana",
    "07": "Delhi",
    "08": "Rajasthan",
    "09": "Uttar Pradesh",
    "10": "Bihar",
    "11": "Sikkim",
    "12": "Arunachal Pradesh",
    "13": "Nagaland",
    "14": "Manipur",
    "15": "Mizoram",
    "16": "Tripura",
    "17": "Meghalaya",
    "18": "Assam",
    "19": "West Bengal",
    "20": "Jharkhand",
    "21": "Odisha",
    "22": "Chhattisgarh",
    "23": "Madhya Pradesh",
    "24": "Gujarat",
    "26": "Dadra and Nagar Haveli and Daman and Diu",
    "27": "Maharashtra",
    "29": "Karnataka",
    "30": "Goa",
    "31": "Lakshadweep",
    "32": "Kerala",
    "33": "Tamil Nadu",
    "34": "Puducherry",
    "35": "Andaman and Nicobar Islands",
    "36": "Telangana",
    "37": "Andhra Pradesh",
    "38": "Ladakh",
}
"""The GST state codes (the first two digits of a GSTIN; CBIC's state code list)."""
