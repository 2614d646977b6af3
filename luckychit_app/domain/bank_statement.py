"""Reading a bank statement the foreman downloaded from net banking: the lines of money in and out,
whatever the bank's export looks like.

Two formats:

- **CSV** (or tab/semicolon separated text), as Indian banks export it: a few lines of account
  details first, then a heading row such as HDFC's ``Date, Narration, Chq./Ref.No., Value Dt,
  Withdrawal Amt., Deposit Amt., Closing Balance``, SBI's ``Txn Date, Value Date, Description, Ref
  No./Cheque No., Debit, Credit, Balance`` or ICICI's ``Value Date, Transaction Date, Cheque Number,
  Transaction Remarks, Withdrawal Amount (INR ), Deposit Amount (INR ), Balance (INR )``, then the
  lines and often a summary. The heading row is found by its names (not its position), the columns
  by name too; dates are read day first (``02/03/2026``, ``02-03-26``, ``02-Mar-2026``), as Indian
  banks write them; amounts in Indian grouping (``1,00,000.00``) through :func:`money.parse_rupees`,
  so a paisa is never lost to a float.
- **OFX** (the Open Financial Exchange file some banks offer, ``.ofx``/``.qfx``), read with the
  ``ofxtools`` parser. Its models are stricter than Indian banks' files (an IFSC is longer than
  OFX's 9-character BANKID), so the lines are read from the parsed tree, not its models.

Every line gets a fingerprint (:func:`fingerprints`): the account, date, signed amount, reference
and running balance, hashed. Importing the same file twice, or a file that overlaps an earlier one,
finds the lines it already has by their fingerprints and adds nothing.

Pure: no database. A file that cannot be read raises :class:`DomainError` with a message that says
what to do about it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from luckychit_app.domain.errors import DomainError, InvalidAmountError
from luckychit_app.domain.money import parse_rupees

MAX_FILE_BYTES = 2_000_000
"""About 20,000 lines: a year of a busy current account. A bigger file is refused, not cut."""
MAX_LINES = 20_000
HEADER_SEARCH_ROWS = 60
"""The heading row is looked for among this many rows: banks put account details above it."""
NARRATION_CHARS = 300
REF_CHARS = 64
ACCOUNT_CHARS = 34
"""The longest account number anywhere (an IBAN); Indian account numbers have 9 to 18 digits."""

_IST = timezone(timedelta(hours=5, minutes=30))
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2}|\d{4})$")
_NAMED_DATE = re.compile(r"^(\d{1,2})[\s/\-.]?([A-Za-z]{3,9})[\s/\-.,]*(\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_SHAPE = re.compile(r"^\d{1,4}[\s/\-.][0-9A-Za-z]{1,9}[\s/\-.,]*\d{2,4}")
"""Looks like a date, whether or not it is a real one: such a cell that does not parse is an error,
not a summary row to skip."""
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[AaPp][Mm])?$")
_UTR = re.compile(r"(?<!\d)\d{12}(?!\d)")
_ACCOUNT = re.compile(
    r"\b(?:a/?c|account)\s*(?:no\.?|number|num)?\s*[:.\-]?\s*_?([0-9Xx*]{6,20})\b", re.IGNORECASE
)
_SAVE_AS_CSV = "Open it in Excel, choose Save As > CSV, and upload that."
_BINARY_STARTS = {
    b"PK\x03\x04": f"This is an Excel workbook (.xlsx). {_SAVE_AS_CSV}",
    b"\xd0\xcf\x11\xe0": f"This is an old Excel file (.xls). {_SAVE_AS_CSV}",
    b"%PDF": "This is a PDF statement. Download the statement from net banking as CSV (or Excel saved as "
    "CSV) or OFX, and upload that.",
}


@dataclass(frozen=True)
class StatementLine:
    """One line of the statement: money out (``debit``) or in (``credit``), in paise, never both."""

    row: int  # the line of the file it came from (1 = the first), for messages
    day: date  # the transaction date, India time
    value_day: date | None
    narration: str
    ref: str  # the bank's cheque/reference number (an OFX line's FITID)
    debit: int
    credit: int
    balance: int | None  # the running balance after this line, when the bank gives one
    utrs: tuple[str, ...] = ()  # 12-digit references found on the line (a UPI payment's UTR)


@dataclass(frozen=True)
class ParsedStatement:
    kind: str  # "csv" or "ofx"
    account: str  # the account number as the file names it ("" when it does not)
    lines: tuple[StatementLine, ...]
    skipped: int  # rows that are not transactions: account details, blank lines, the summary


# --- small parsers ---------------------------------------------------------------------------------


def parse_day(text: str) -> date:
    """A statement date, day first as Indian banks write it: ``02/03/2026``, ``2-3-26``,
    ``02.03.2026``, ``02-Mar-2026``, ``02 Mar 26``, ``2026-03-02``; a time after it is ignored.
    Two-digit years are 20xx. Raises ``DomainError`` for anything else (never guesses month-first)."""
    raw = " ".join(str(text).split())
    if not raw:
        raise DomainError("The date is empty.")
    head = _TIME.sub("", raw)
    try:
        if m := _ISO_DATE.match(head):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC_DATE.match(head):
            return date(_year(m[3]), int(m[2]), int(m[1]))
        if (m := _NAMED_DATE.match(head)) and m[2].lower() in _MONTHS:
            return date(_year(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    except ValueError as exc:  # 31/02/2026
        raise DomainError(f"{raw!r} is not a real date.") from exc
    raise DomainError(f"{raw!r} is not a date (write dates day first: 02/03/2026 or 02-Mar-2026).")


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def parse_amount(text: str) -> int:
    """A statement amount in paise, never negative: ``1,00,000.00``, ``2500``, ``₹ 500.50``,
    ``1,234.00 Cr``; an empty cell, ``-`` or ``0.00`` is 0. The sign (``-``, ``(…)``, ``Dr``) is
    read by :func:`parse_signed`; here it is refused."""
    paise, negative = parse_signed(text)
    if negative:
        raise InvalidAmountError(f"{text.strip()!r} is negative where an amount was expected.")
    return paise


def parse_signed(text: str) -> tuple[int, bool]:
    """An amount and whether it is negative (``-500``, ``(500.00)``, ``500.00 Dr``); Decimal and
    integers only, through :func:`money.parse_rupees` (Indian or international grouping)."""
    raw = " ".join(str(text).replace("\u00a0", " ").split())
    if raw in ("", "-", "--", "—"):
        return 0, False
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        raw, negative = raw[1:-1].strip(), True
    lowered = raw.lower()
    for suffix, is_debit in ((" dr", True), (" cr", False), ("dr", True), ("cr", False)):
        if lowered.endswith(suffix):
            raw, negative = raw[: -len(suffix)].strip(), negative or is_debit
            break
    if raw.startswith(("-", "\u2212")):
        raw, negative = raw[1:].strip(), True
    raw = raw.removeprefix("+").strip()
    try:
        paise = parse_rupees(raw, allow_zero=True)
    except InvalidAmountError as exc:
        raise InvalidAmountError(f"{text.strip()!r} is not an amount: {exc.message}") from exc
    return paise, negative and paise != 0


def utrs_in(narration: str, ref: str = "") -> tuple[str, ...]:
    """The 12-digit numbers on a line that may be a UPI payment's UTR (its RRN): any 12-digit run in
    the narration (``UPI/606112345678/…``, ``UPI-NAME-VPA-IFSC-606112345678-NOTE``), and a reference
    column holding one, also zero-padded to 16 digits as HDFC writes it (``0000606112345678``). An
    RRN starts with the year's last digit and the day of the year (001-366), so it never starts with
    four zeros: a padded cheque number (``0000000000004321``) is not one. A 12-digit number may still
    be something else (an account number): it only matters if a payment carries it as its UTR."""
    found: list[str] = []
    digits = ref.strip()
    if digits.isdigit() and len(digits) >= 12 and set(digits[:-12]) <= {"0"}:
        found.append(digits[-12:])
    found.extend(_UTR.findall(narration))
    found.extend(_UTR.findall(ref))
    return tuple(u for u in dict.fromkeys(found) if not u.startswith("0000"))


def _clean(text: object, limit: int) -> str:
    return " ".join(str(text or "").split())[:limit]


# --- CSV ---------------------------------------------------------------------------------------------

# The columns a statement may have, each recognised by its heading's words (lower case, punctuation
# as spaces). Checked in this order for every heading cell, so "Value Dt" is the value date before
# it can be the date, and "Dr / Cr" the debit/credit marker before it can be the debit.
_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("value_day", re.compile(r"^value (date|dt|dat)\b")),
    ("day", re.compile(r"\b(date|dt)\b")),
    ("balance", re.compile(r"\b(balance|bal)\b")),
    ("drcr", re.compile(r"^(dr cr|cr dr|debit credit|type|txn type|transaction type|d c|c d)$")),
    ("ref", re.compile(r"\b(chq|cheque|check|ref|reference|utr|instrument)\b|^chqno$")),
    ("debit", re.compile(r"\b(withdrawal|withdrawals|debit|debits|dr|paid out)\b")),
    ("credit", re.compile(r"\b(deposit|deposits|credit|credits|cr|paid in)\b")),
    ("narration", re.compile(r"\b(narration|description|particulars|remarks|details|transaction)\b")),
    ("amount", re.compile(r"^(amount|amt|transaction amount|txn amount)\b")),
)


def _heading_words(cell: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", cell.lower()).split())


def _columns(row: list[str]) -> dict[str, int]:
    """The known columns of a candidate heading row: name -> index (the first cell of each kind)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        words = _heading_words(cell)
        if not words or len(words) > 40:
            continue
        for name, pattern in _COLUMNS:
            if pattern.search(words):
                if name not in found:
                    found[name] = index
                break
    return found


def _is_heading(cols: dict[str, int]) -> bool:
    has_money = "credit" in cols or "amount" in cols
    return "day" in cols and has_money and len(cols) >= 3


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without the BOM Excel writes), else Windows-1252 as older
    Indian bank exports are; refuses Excel, PDF and other binary files with what to do instead."""
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            f"The file is larger than {MAX_FILE_BYTES // 1_000_000} MB. Download a shorter period "
            "(a month or a quarter) and import each file."
        )
    if not data.strip():
        raise DomainError("The file is empty.")
    for start, message in _BINARY_STARTS.items():
        if data.startswith(start):
            raise DomainError(message)
    if b"\x00" in data[:4096]:
        raise DomainError("This is not a text file. Download the statement as CSV or OFX and upload that.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _rows(text: str) -> list[list[str]]:
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise DomainError(f"The file could not be read as CSV: {exc}.") from exc
    if len(rows) > MAX_LINES + HEADER_SEARCH_ROWS:
        raise DomainError(f"The file has more than {MAX_LINES:,} lines. Import a shorter period at a time.")
    return rows


def _cell(row: list[str], cols: dict[str, int], name: str) -> str:
    index = cols.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def account_in(lines: Iterable[str]) -> str:
    """The account number the statement's heading lines name (``Account No :  50100012345678``,
    ``A/C No. XXXXXX5678``), or ""."""
    for line in lines:
        if m := _ACCOUNT.search(line):
            return m[1].upper()[:ACCOUNT_CHARS]
    return ""


def parse_csv(text: str) -> ParsedStatement:
    """The lines of a CSV statement (see the module's docstring). Rows above the heading and rows
    that are not transactions (no date in the date column: a line of asterisks, the summary) are
    skipped and counted; a row with a date but an amount that cannot be read stops the import with
    its line number, so nothing is half-imported."""
    rows = _rows(text)
    start, cols = next(
        ((i, c) for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if _is_heading(c := _columns(row))),
        (-1, {}),
    )
    if start < 0:
        raise DomainError(
            "No heading row was found. A statement needs columns named like Date, Narration, "
            "Withdrawal (or Debit), Deposit (or Credit) and Balance; download it from net banking as "
            "CSV and upload it unchanged."
        )
    account = account_in(" ".join(row) for row in rows[:start])
    lines: list[StatementLine] = []
    skipped = start + 1
    for n, row in enumerate(rows[start + 1 :], start=start + 2):
        line = _csv_line(row, cols, n)
        if line is None:
            skipped += 1
        else:
            lines.append(line)
    if not lines:
        raise DomainError("The file has a heading row but no transactions under it.")
    return ParsedStatement("csv", account, tuple(lines), skipped)


def _csv_line(row: list[str], cols: dict[str, int], n: int) -> StatementLine | None:
    """One row as a line, None for a row that is not a transaction."""
    when = _cell(row, cols, "day")
    if not when or not _DATE_SHAPE.match(when):
        return None
    try:
        day = parse_day(when)
        value_text = _cell(row, cols, "value_day")
        value_day = parse_day(value_text) if value_text and _DATE_SHAPE.match(value_text) else None
        debit, credit = _money_of(row, cols)
        balance_text = _cell(row, cols, "balance")
        balance = None
        if balance_text:
            paise, negative = parse_signed(balance_text)
            balance = -paise if negative else paise
    except DomainError as exc:
        raise DomainError(f"Line {n}: {exc.message}") from exc
    if debit == 0 and credit == 0:
        return None  # an opening-balance row or a zero line: no money moved
    narration = _clean(_cell(row, cols, "narration"), NARRATION_CHARS)
    ref = _clean(_cell(row, cols, "ref"), REF_CHARS)
    return StatementLine(n, day, value_day, narration, ref, debit, credit, balance, utrs_in(narration, ref))


def _money_of(row: list[str], cols: dict[str, int]) -> tuple[int, int]:
    """(debit, credit) from separate columns, or from one amount column with a Dr/Cr column (or a
    sign) beside it."""
    if "credit" in cols:
        debit = parse_amount(_cell(row, cols, "debit")) if "debit" in cols else 0
        credit = parse_amount(_cell(row, cols, "credit"))
        if debit and credit:
            raise DomainError("a line has both a withdrawal and a deposit.")
        return debit, credit
    paise, negative = parse_signed(_cell(row, cols, "amount"))
    marker = _heading_words(_cell(row, cols, "drcr"))
    if marker in ("dr", "d", "debit", "withdrawal"):
        negative = True
    elif marker not in ("", "cr", "c", "credit", "deposit"):
        raise DomainError(f"{_cell(row, cols, 'drcr')!r} is neither Dr nor Cr.")
    return (paise, 0) if negative else (0, paise)


# --- OFX ---------------------------------------------------------------------------------------------


def is_ofx(text: str) -> bool:
    """An OFX file: the SGML header (``OFXHEADER:100``) or an XML file with an ``<OFX>`` element."""
    head = text.lstrip("\ufeff \r\n\t")[:2000].upper()
    return head.startswith("OFXHEADER") or "<OFX>" in head


def parse_ofx(data: bytes) -> ParsedStatement:
    """The transactions of an OFX file (SGML 1.x or XML 2.x), parsed by ``ofxtools``. Each line's
    reference is its FITID (the bank's own id of the transaction, unique within the account)."""
    from ofxtools.Parser import OFXTree  # imported here: only an OFX import pays for it
    from ofxtools.Types import DateTime

    try:
        root = OFXTree().parse(io.BytesIO(data))
    except Exception as exc:  # ofxtools raises its own ParseError/OFXHeaderError and ValueError
        raise DomainError(
            "This OFX file could not be read. Download it again from net banking, or download the "
            "statement as CSV instead."
        ) from exc
    account = _clean(
        root.findtext(".//BANKACCTFROM/ACCTID") or root.findtext(".//ACCTID") or "", ACCOUNT_CHARS
    )
    lines: list[StatementLine] = []
    for n, trn in enumerate(root.iter("STMTTRN"), start=1):
        fields = {child.tag: (child.text or "").strip() for child in trn}
        try:
            posted: datetime = DateTime().convert(fields.get("DTPOSTED", ""))
            amount = Decimal(fields.get("TRNAMT", "").replace(",", ""))
        except (ValueError, InvalidOperation, TypeError) as exc:
            raise DomainError(f"Transaction {n} of the OFX file has no readable date or amount.") from exc
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            raise DomainError(f"Transaction {n} of the OFX file has an amount of more than 2 decimals.")
        paise = int(amount * 100)
        if paise == 0:
            continue
        narration = _clean(
            " ".join(v for v in (fields.get("NAME"), fields.get("MEMO")) if v), NARRATION_CHARS
        )
        ref = _clean(fields.get("FITID") or fields.get("REFNUM") or fields.get("CHECKNUM") or "", REF_CHARS)
        day = posted.astimezone(_IST).date()
        utrs = utrs_in(narration, fields.get("REFNUM") or fields.get("CHECKNUM") or "")
        lines.append(StatementLine(n, day, None, narration, ref, max(-paise, 0), max(paise, 0), None, utrs))
    if len(lines) > MAX_LINES:
        raise DomainError(f"The file has more than {MAX_LINES:,} lines. Import a shorter period at a time.")
    if not lines:
        raise DomainError("The OFX file has no transactions.")
    return ParsedStatement("ofx", account, tuple(lines), 0)


def parse_statement(data: bytes) -> ParsedStatement:
    """A statement file as uploaded: OFX when it says so, otherwise CSV."""
    text = decode(data)
    return parse_ofx(data) if is_ofx(text) else parse_csv(text)


# --- fingerprints --------------------------------------------------------------------------------


def fingerprints(account: str, lines: Iterable[StatementLine]) -> list[str]:
    """Each line's stable identity: SHA-256 of account, date, signed amount, reference and running
    balance. Two lines alike in all of these (two ₹500 cash deposits on one day, in a file without
    references or balances) are told apart by their order among such lines, so re-importing the
    file, or one that overlaps it, gives every line the fingerprint it had the first time."""
    seen: Counter[str] = Counter()
    out = []
    for line in lines:
        balance = "" if line.balance is None else str(line.balance)
        body = "|".join(
            (account.upper(), line.day.isoformat(), str(line.credit - line.debit), line.ref.upper(), balance)
        )
        seen[body] += 1
        out.append(hashlib.sha256(f"{body}|{seen[body]}".encode()).hexdigest())
    return out
