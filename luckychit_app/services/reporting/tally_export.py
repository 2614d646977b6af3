"""The Tally file (issue 19, item 9): a foreman's journal entries of a range of Indian calendar days
as one XML file that TallyPrime or Tally.ERP 9 imports (Gateway of Tally > Import > Masters, then
Transactions, or over Tally's XML port): the ledger masters first ("All Masters"), then the vouchers.

Each journal entry becomes one voucher: its number is the entry's id, its REMOTEID the entry's
idempotency key (so importing the same range twice alters the vouchers instead of doubling them),
its date the IST day the entry was recorded, its type what its lines make it (domain/tally.py:
Receipt, Payment, Contra or Journal), and its lines the entry's postings, one per ledger. Each
account becomes one ledger, named as every report names it (account_names) and made unique for
Tally, with its account code as the ledger's alias (traceable to the books), under the Tally group
its kind belongs to. With ``openings`` each ledger also carries its balance at the start of the
range, for a new Tally company whose books begin on that day.

The file proves itself before anyone gets it: :func:`read_tally_xml` parses what was written (the
standard library's xml.etree, as any reader would) and :func:`check_tally_file` checks that every
voucher balances to the paisa, that its type fits its ledgers, that every ledger is declared once,
and that each ledger's lines add up to the books' own sums for the range (summed separately in SQL).
A file that fails is never sent: the download says so instead.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import to_ist, today_ist
from luckychit_app.domain import tally
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.financial_year import fy_bounds, fy_of
from luckychit_app.domain.ledger import account_kind
from luckychit_app.models import JournalEntry, PostingRow
from luckychit_app.services import audit
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.reporting.account_names import account_names
from luckychit_app.services.reporting.books_scope import Books, books_of, day_bounds, slug
from luckychit_app.services.reporting.reports import ENTRY_KINDS
from luckychit_app.services.validation import clean_date

log = logging.getLogger("luckychit")

NARRATION_LIMIT = 240
KNOWN_PARENTS = frozenset({*tally.PARENTS.values(), tally.SUSPENSE})


@dataclass(frozen=True)
class Voucher:
    """One journal entry as a voucher: (account code, paise) lines, positive = debit."""

    number: int
    key: str
    day: date
    kind: str
    memo: str
    lines: tuple[tuple[str, int], ...]


@dataclass
class TallyLedger:
    name: str
    code: str
    parent: str
    opening: int | None  # paise, positive = debit; None when the file gives no opening balance


@dataclass
class TallyVoucher:
    vchtype: str
    typename: str
    day: str
    number: str
    remote_id: str
    lines: list[tuple[str, int, str]] = field(default_factory=list)  # (ledger, paise, ISDEEMEDPOSITIVE)


@dataclass
class TallyFile:
    """What a Tally import file says, read back: the reports it carries, its ledgers, its vouchers."""

    request: str = ""
    reports: list[str] = field(default_factory=list)
    ledgers: list[TallyLedger] = field(default_factory=list)
    vouchers: list[TallyVoucher] = field(default_factory=list)


# --- reading the books -----------------------------------------------------------------------------


def clean_range(start: object, end: object) -> tuple[date, date]:
    """The range a browser asked for, as two IST days: both dates, in order, within one year of
    the first day (a financial year is what an accountant imports at a time, and it bounds the
    work one download asks of the server)."""
    first = clean_date(start, field="from", label="From")
    last = clean_date(end, field="to", label="To")
    if last < first:
        raise ServiceError("The range must end on or after the day it starts.", "to")
    try:
        year_on = first.replace(year=first.year + 1)
    except ValueError:  # 29 February: a year on is 1 March
        year_on = date(first.year + 1, 3, 1)
    if last >= year_on:
        raise ServiceError("Export at most one year at a time (one financial year per file).", "to")
    return first, last


def _vouchers(session: Session, books: Books, lo: datetime, hi: datetime) -> list[Voucher]:
    """Every entry of these books recorded in [lo, hi), oldest first, each ledger once per voucher
    (a settlement credits the commission twice: its share and the remainder) and zero nets left out."""
    rows = session.exec(
        select(
            JournalEntry.id,
            JournalEntry.key,
            JournalEntry.kind,
            JournalEntry.memo,
            JournalEntry.created_at,
            PostingRow.account,
            PostingRow.amount,
        )
        .join(PostingRow, PostingRow.entry_id == JournalEntry.id)
        .where(
            JournalEntry.group_id.in_(books.groups),
            JournalEntry.created_at >= lo,
            JournalEntry.created_at < hi,
        )
        .order_by(JournalEntry.created_at, JournalEntry.id, PostingRow.id)
    ).all()
    heads: dict[int, tuple[str, str, str, datetime]] = {}
    lines: dict[int, dict[str, int]] = defaultdict(dict)
    for eid, key, kind, memo, at, account, amount in rows:
        heads.setdefault(eid, (key, kind, memo, at))
        lines[eid][account] = lines[eid].get(account, 0) + int(amount)
    return [
        Voucher(eid, key, to_ist(at).date(), kind, memo, tuple((a, p) for a, p in lines[eid].items() if p))
        for eid, (key, kind, memo, at) in heads.items()
        if any(lines[eid].values())
    ]


def _sums(session: Session, books: Books, *, lo: datetime | None, hi: datetime) -> dict[str, int]:
    """Each account's sum of postings recorded before ``hi`` (and from ``lo``), computed by the
    database from the postings' own group: the figures the file must agree with."""
    query = (
        select(PostingRow.account, func.sum(PostingRow.amount))
        .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
        .where(PostingRow.group_id.in_(books.groups), JournalEntry.created_at < hi)
    )
    if lo is not None:
        query = query.where(JournalEntry.created_at >= lo)
    return {a: int(t) for a, t in session.exec(query.group_by(PostingRow.account)).all() if t}


# --- writing the file --------------------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    node = ET.SubElement(parent, tag)
    node.text = text
    return node


def _import(body: ET.Element, report: str) -> ET.Element:
    """One IMPORTDATA block of ``report`` ("All Masters" or "Vouchers"); returns its REQUESTDATA."""
    block = ET.SubElement(body, "IMPORTDATA")
    _text(ET.SubElement(block, "REQUESTDESC"), "REPORTNAME", report)
    return ET.SubElement(block, "REQUESTDATA")


def build_tally_xml(
    vouchers: list[Voucher],
    names: dict[str, str],
    openings: dict[str, int] | None = None,
) -> str:
    """The import file: ledger masters for every account in ``names`` (code -> Tally ledger name),
    with opening balances when given, then the vouchers. All text is escaped by the XML writer."""
    root = ET.Element("ENVELOPE")
    _text(ET.SubElement(root, "HEADER"), "TALLYREQUEST", "Import Data")
    body = ET.SubElement(root, "BODY")
    masters = _import(body, "All Masters")
    for code in sorted(names, key=lambda c: names[c].casefold()):
        message = ET.SubElement(masters, "TALLYMESSAGE", {"xmlns:UDF": "TallyUDF"})
        ledger = ET.SubElement(message, "LEDGER", {"NAME": names[code], "ACTION": "Create"})
        listed = ET.SubElement(ledger, "NAME.LIST", {"TYPE": "String"})
        _text(listed, "NAME", names[code])
        _text(listed, "NAME", code)  # the alias: the books' own code of the account
        _text(ledger, "PARENT", tally.parent_group(account_kind(code)))
        _text(ledger, "ISBILLWISEON", "No")
        _text(ledger, "AFFECTSSTOCK", "No")
        if openings is not None:
            _text(ledger, "OPENINGBALANCE", tally.tally_amount(openings.get(code, 0)))
    entries = _import(body, "Vouchers")
    for v in vouchers:
        kind = tally.voucher_type((account_kind(a), p) for a, p in v.lines)
        message = ET.SubElement(entries, "TALLYMESSAGE", {"xmlns:UDF": "TallyUDF"})
        remote = f"luckychit:{v.key}"
        node = ET.SubElement(message, "VOUCHER", {"REMOTEID": remote, "VCHTYPE": kind, "ACTION": "Create"})
        _text(node, "DATE", tally.tally_date(v.day))
        _text(node, "EFFECTIVEDATE", tally.tally_date(v.day))
        _text(node, "VOUCHERTYPENAME", kind)
        _text(node, "VOUCHERNUMBER", str(v.number))
        _text(node, "PERSISTEDVIEW", "Accounting Voucher View")
        said = f"{ENTRY_KINDS.get(v.kind, v.kind)}: {v.memo} (LuckyChit {v.key})"
        _text(node, "NARRATION", tally.clean_text(said, NARRATION_LIMIT))
        for account, paise in v.lines:
            line = ET.SubElement(node, "ALLLEDGERENTRIES.LIST")
            _text(line, "LEDGERNAME", names[account])
            _text(line, "ISDEEMEDPOSITIVE", tally.deemed_positive(paise))
            _text(line, "AMOUNT", tally.tally_amount(paise))
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- reading it back ----------------------------------------------------------------------------------


def read_tally_xml(text: str) -> TallyFile:
    """Parse an import file as Tally's importer reads it. Only our own output is parsed here (the
    file just written), so xml.etree's lack of protection against hostile XML does not matter."""
    try:
        root = ET.fromstring(text)  # noqa: S314 - our own file, never uploaded XML
    except ET.ParseError as exc:
        raise ServiceError(f"The Tally file is not well-formed XML: {exc}.") from exc
    found = TallyFile(request=root.findtext("HEADER/TALLYREQUEST") or "")
    if root.tag != "ENVELOPE":
        found.request = ""
    for block in root.iterfind("BODY/IMPORTDATA"):
        report = block.findtext("REQUESTDESC/REPORTNAME") or ""
        found.reports.append(report)
        for message in block.iterfind("REQUESTDATA/TALLYMESSAGE"):
            for node in message.iterfind("LEDGER"):
                aliases = [n.text or "" for n in node.iterfind("NAME.LIST/NAME")]
                opening = node.findtext("OPENINGBALANCE")
                found.ledgers.append(
                    TallyLedger(
                        name=node.get("NAME", ""),
                        code=aliases[1] if len(aliases) > 1 else "",
                        parent=(node.findtext("PARENT") or "") if report == "All Masters" else "",
                        opening=tally.paise_of(opening) if opening is not None else None,
                    )
                )
            for node in message.iterfind("VOUCHER"):
                voucher = TallyVoucher(
                    vchtype=node.get("VCHTYPE", ""),
                    typename=node.findtext("VOUCHERTYPENAME") or "",
                    day=node.findtext("DATE") or "",
                    number=node.findtext("VOUCHERNUMBER") or "",
                    remote_id=node.get("REMOTEID", ""),
                )
                if report != "Vouchers":
                    voucher.vchtype = ""
                for line in node.iterfind("ALLLEDGERENTRIES.LIST"):
                    voucher.lines.append(
                        (
                            line.findtext("LEDGERNAME") or "",
                            tally.paise_of(line.findtext("AMOUNT") or ""),
                            line.findtext("ISDEEMEDPOSITIVE") or "",
                        )
                    )
                found.vouchers.append(voucher)
    return found


def check_tally_file(
    found: TallyFile,
    *,
    first: date,
    last: date,
    movements: dict[str, int],
    openings: dict[str, int] | None = None,
) -> list[str]:
    """Everything wrong with a file read back, against the books' own sums for the range
    (``movements``: account code -> paise) and, with ``openings``, their balances at its start.
    An empty list means Tally gets balanced vouchers that say exactly what the books say."""
    problems: list[str] = []
    if found.request != "Import Data" or found.reports != ["All Masters", "Vouchers"]:
        problems.append("The envelope is not an import of masters then vouchers.")
    by_name: dict[str, TallyLedger] = {}
    codes: set[str] = set()
    for ledger in found.ledgers:
        if ledger.name.casefold() in by_name:
            problems.append(f"Ledger {ledger.name!r} is declared twice.")
        if ledger.code in codes or not ledger.code:
            problems.append(f"Ledger {ledger.name!r} has no alias or a repeated one.")
        if not 0 < len(ledger.name) <= tally.NAME_LIMIT or ledger.parent not in KNOWN_PARENTS:
            problems.append(f"Ledger {ledger.name!r} has a bad name or group {ledger.parent!r}.")
        by_name[ledger.name.casefold()] = ledger
        codes.add(ledger.code)
    totals: dict[str, int] = defaultdict(int)
    numbers: set[str] = set()
    span = (tally.tally_date(first), tally.tally_date(last))
    for v in found.vouchers:
        where = f"Voucher {v.number}"
        if v.number in numbers or not v.number:
            problems.append(f"{where} is numbered twice or not at all.")
        numbers.add(v.number)
        if v.vchtype not in tally.VOUCHER_TYPES or v.typename != v.vchtype:
            problems.append(f"{where} has no valid voucher type ({v.vchtype!r}).")
        if not (len(v.day) == 8 and span[0] <= v.day <= span[1]):
            problems.append(f"{where} is dated {v.day!r}, outside the range.")
        if len(v.lines) < 2 or sum(p for _n, p, _d in v.lines) != 0:
            problems.append(f"{where} does not balance.")
        kinds = []
        for name, paise, deemed in v.lines:
            ledger = by_name.get(name.casefold())
            if ledger is None:
                problems.append(f"{where} names {name!r}, which is not among the ledgers.")
                continue
            if deemed != tally.deemed_positive(paise) or paise == 0:
                problems.append(f"{where}: {name!r} says ISDEEMEDPOSITIVE {deemed} on {paise} paise.")
            totals[ledger.code] += paise
            kinds.append(("cash" if ledger.parent == "Cash-in-Hand" else None, paise))
        if kinds and tally.voucher_type(kinds) != v.vchtype:
            problems.append(
                f"{where} is a {v.vchtype} but its ledgers make it a {tally.voucher_type(kinds)}."
            )
    books = {c: p for c, p in movements.items() if p}
    written = {c: p for c, p in totals.items() if p}
    for code in sorted(set(books) | set(written)):
        if books.get(code, 0) != written.get(code, 0):
            problems.append(
                f"{code}: the file moves {written.get(code, 0)} paise, the books {books.get(code, 0)}."
            )
    if openings is not None:
        declared = {ledger.code: ledger.opening or 0 for ledger in found.ledgers}
        for code in sorted(set(openings) | set(declared)):
            if openings.get(code, 0) != declared.get(code, 0):
                problems.append(
                    f"{code}: opening {declared.get(code, 0)} paise, the books {openings.get(code, 0)}."
                )
    return problems


# --- the download ------------------------------------------------------------------------------------


def tally_export(
    session: Session,
    *,
    actor: Actor | None,
    foreman_id: object,
    start: object,
    end: object,
    openings: bool = False,
    audit_in: Session,
) -> tuple[str, str]:
    """(file name, XML) of the foreman's vouchers recorded from ``start`` to ``end`` (IST days,
    both included), for the owner, the platform admin and staff who keep the books. Refused, with
    nothing sent, if the file fails its own check. Read in `session` (the read replica's,
    db.read_transaction); the download is audited in `audit_in`, a session on the primary."""
    books = books_of(session, actor, foreman_id)
    first, last = clean_range(start, end)
    lo, hi = day_bounds(first, last)
    vouchers = _vouchers(session, books, lo, hi)
    before = _sums(session, books, lo=None, hi=lo) if openings else None
    accounts = {a for v in vouchers for a, _p in v.lines} | set(before or {})
    names = tally.unique_ledger_names(account_names(session, accounts))
    text = build_tally_xml(vouchers, names, before)
    try:
        problems = check_tally_file(
            read_tally_xml(text),
            first=first,
            last=last,
            movements=_sums(session, books, lo=lo, hi=hi),
            openings=before,
        )
    except DomainError as exc:
        problems = [exc.message]
    if problems:
        log.error("Tally export for foreman %s failed its check: %s", books.foreman_id, problems[:5])
        raise ServiceError(
            "The Tally file did not pass its own check, so it was not sent: "
            + "; ".join(problems[:3])
            + ". Nothing in the books was changed; please tell support."
        )
    audit.record(
        audit_in,
        actor_id=actor.user_id if actor else None,
        action="report.exported",
        object_type="foreman",
        object_id=books.foreman_id,
        detail={
            "kind": "tally",
            "from": first.isoformat(),
            "to": last.isoformat(),
            "vouchers": len(vouchers),
        },
    )
    name = f"tally-{slug(books.foreman_name)}-{first:%Y%m%d}-{last:%Y%m%d}.xml"
    return name, text


def default_range() -> tuple[date, date]:
    """The range the Reports page offers first: the current financial year up to today."""
    today = today_ist()
    return fy_bounds(fy_of(today))[0], today
