"""CSV in and out, and the printable group statement.

Exports (members, dues, payments, ledger) are what a foreman hands an auditor or opens in a
spreadsheet: amounts in rupees with Indian grouping (₹1,00,000), dates DD-MM-YYYY in IST, every
money figure read from installments, allocations and postings. Text typed by people (names,
references, memos) is neutralised against spreadsheet formula injection.

The import side seats members in bulk from a CSV of `name,mobile[,language]`, each row in its own
savepoint, so one bad row is reported with its line number and never stops the good ones.
"""

from __future__ import annotations

import csv
import html
import io
from collections import defaultdict

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_date, format_datetime_ist, to_ist, today_ist, utcnow
from luckychit_app.domain.ledger import account_kind
from luckychit_app.domain.money import format_inr, percent_bp, receipt_label
from luckychit_app.locales import CODES
from luckychit_app.models import (
    ChitGroup,
    Draw,
    Installment,
    JournalEntry,
    KycRecord,
    Payment,
    PaymentAllocation,
    Payout,
    PostingRow,
    Ticket,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, group_for_staff
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money.payment_methods import METHOD_SHORT_LABELS
from luckychit_app.services.money.receipt_numbers import branch_codes
from luckychit_app.services.people import members
from luckychit_app.services.reporting.account_names import account_names
from luckychit_app.services.validation import clean_mobile

EXPORT_KINDS = ("members", "dues", "payments", "ledger")
MAX_IMPORT_ROWS = 200
MAX_IMPORT_BYTES = 64_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A person's text as a CSV cell that a spreadsheet shows, never evaluates (=HYPERLINK(...))."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _slug(name: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in name)
    return "-".join(part for part in keep.split("-") if part)[:40] or "group"


def _paid_by_installment(session: Session, group_id: int) -> dict[int, int]:
    return {
        iid: int(total)
        for iid, total in session.exec(
            select(PaymentAllocation.installment_id, func.sum(PaymentAllocation.amount))
            .join(Installment, Installment.id == PaymentAllocation.installment_id)
            .where(Installment.group_id == group_id)
            .group_by(PaymentAllocation.installment_id)
        ).all()
    }


def _members_csv(session: Session, group: ChitGroup) -> str:
    paid = _paid_by_installment(session, group.id)
    today = today_ist()
    owing: dict[int, int] = defaultdict(int)
    for inst in session.exec(
        select(Installment).where(
            Installment.group_id == group.id,
            Installment.month <= group.current_month,
            Installment.due_date <= today,
        )
    ).all():
        owing[inst.ticket_id] += max(inst.amount - paid.get(inst.id, 0), 0)
    rows = session.exec(
        select(Ticket, User, KycRecord)
        .join(User, User.id == Ticket.member_id)
        .outerjoin(KycRecord, KycRecord.user_id == User.id)
        .where(Ticket.group_id == group.id)
        .order_by(Ticket.ticket_no)
    ).all()
    return _csv(
        ["Ticket", "Member", "Mobile", "Status", "Prized month", "Joined", "KYC", "Dues outstanding"],
        [
            [
                str(t.ticket_no),
                safe_cell(u.name),
                u.mobile,
                t.status,
                str(t.prized_month or ""),
                format_date(to_ist(t.joined_at).date()),
                k.status if k else "none",
                format_inr(owing[t.id]),
            ]
            for t, u, k in rows
        ],
    )


def _dues_csv(session: Session, group: ChitGroup) -> str:
    paid = _paid_by_installment(session, group.id)
    today = today_ist()
    rows = session.exec(
        select(Installment, Ticket, User)
        .join(Ticket, Ticket.id == Installment.ticket_id)
        .join(User, User.id == Ticket.member_id)
        .where(Installment.group_id == group.id)
        .order_by(Installment.month, Ticket.ticket_no)
    ).all()
    out = []
    for inst, t, u in rows:
        got = paid.get(inst.id, 0)
        if got >= inst.amount:
            state = "paid"
        elif got > 0:
            state = "partial"
        elif inst.month <= group.current_month and inst.due_date < today:
            state = "overdue"
        else:
            state = "upcoming"
        out.append(
            [
                str(inst.month),
                format_date(inst.due_date),
                str(t.ticket_no),
                safe_cell(u.name),
                format_inr(inst.amount),
                format_inr(got),
                format_inr(max(inst.amount - got, 0)),
                state,
            ]
        )
    return _csv(["Month", "Due date", "Ticket", "Member", "Due", "Paid", "Outstanding", "Status"], out)


def _payments_csv(session: Session, group: ChitGroup) -> str:
    rows = session.exec(
        select(Payment, Ticket, User)
        .join(Ticket, Ticket.id == Payment.ticket_id)
        .join(User, User.id == Ticket.member_id)
        .where(Payment.group_id == group.id)
        .order_by(Payment.id)
    ).all()
    codes = branch_codes(session, [group.branch_id, *(p.branch_id for p, _t, _u in rows)])
    return _csv(
        ["Receipt", "Date", "Ticket", "Member", "Method", "Amount", "Status", "Reference", "UTR"],
        [
            [
                # The receipt's printed number ("MAIN/000177"), as on the receipt and every screen.
                receipt_label(codes[p.branch_id or group.branch_id], p.receipt_no) if p.receipt_no else "",
                format_date(to_ist(p.paid_at or p.created_at).date()),
                str(t.ticket_no),
                safe_cell(u.name),
                METHOD_SHORT_LABELS.get(p.method, p.method),
                format_inr(p.amount),
                p.status,
                safe_cell(p.reference if p.reference != "-" else ""),
                p.utr or "",
            ]
            for p, t, u in rows
        ],
    )


ENTRY_KINDS = {
    "dues": "Dues raised",
    "settlement": "Draw settled",
    "payment": "Payment received",
    "late_fee": "Late fee",
    "payout": "Prize paid out",
    "refund": "Refund",
    "reversal": "Reversal",
    "handover": "Cash handed over",
    "substitution": "Substitution",
    "subscriber_refund": "Refund to a subscriber who left",
    "closing": "Closing",
    "close": "Group closed",
}


def _ledger_csv(session: Session, group: ChitGroup) -> str:
    """Every posting of the group's books; "Account" is the readable name (account_names, the one
    naming rule) and "Account id" the books' own code of the account (what ledger-check and an
    accountant reconciling match on)."""
    rows = session.exec(
        select(JournalEntry, PostingRow)
        .join(PostingRow, PostingRow.entry_id == JournalEntry.id)
        .where(JournalEntry.group_id == group.id)
        .order_by(JournalEntry.id, PostingRow.id)
    ).all()
    names = account_names(session, {p.account for _, p in rows})
    return _csv(
        ["Entry", "Date", "Kind", "Memo", "Account", "Account id", "Debit", "Credit"],
        [
            [
                str(e.id),
                format_date(to_ist(e.created_at).date()),
                ENTRY_KINDS.get(e.kind, e.kind),
                safe_cell(e.memo),
                safe_cell(names[p.account]),
                p.account,
                format_inr(p.amount) if p.amount > 0 else "",
                format_inr(-p.amount) if p.amount < 0 else "",
            ]
            for e, p in rows
        ],
    )


def export_csv(
    session: Session, *, actor: Actor | None, group_id: object, kind: object, audit_in: Session
) -> tuple[str, str]:
    """(file name, CSV text) of one export of a group the actor runs or keeps the books of (an
    accountant or branch manager: the "books" permission), read in `session` (the read replica's,
    db.read_transaction); the download is audited in `audit_in`, a session on the primary."""
    group = group_for_staff(session, actor, group_id, "books")
    builders = {
        "members": _members_csv,
        "dues": _dues_csv,
        "payments": _payments_csv,
        "ledger": _ledger_csv,
    }
    if kind not in builders:
        raise ServiceError("Unknown export.", "kind")
    content = builders[kind](session, group)
    audit.record(
        audit_in,
        actor_id=actor.user_id,
        action="report.exported",
        object_type="group",
        object_id=group.id,
        detail={"kind": kind},
    )
    return f"{_slug(group.name)}-{kind}-{format_date(today_ist())}.csv", content


# --- printable statement -----------------------------------------------------------------------


def group_statement(session: Session, *, actor: Actor | None, group_id: object) -> dict:
    """Everything on the printable statement: terms, the books' balances, each ticket's position
    and the draws, all as display strings. For the owner and those who keep the books."""
    group = group_for_staff(session, actor, group_id, "books")
    foreman = session.get(User, group.foreman_id)
    paid = _paid_by_installment(session, group.id)
    today = today_ist()
    due_now: dict[int, int] = defaultdict(int)
    paid_total: dict[int, int] = defaultdict(int)
    for inst in session.exec(select(Installment).where(Installment.group_id == group.id)).all():
        paid_total[inst.ticket_id] += paid.get(inst.id, 0)
        if inst.month <= group.current_month and inst.due_date <= today:
            due_now[inst.ticket_id] += max(inst.amount - paid.get(inst.id, 0), 0)
    tickets = session.exec(
        select(Ticket, User)
        .join(User, User.id == Ticket.member_id)
        .where(Ticket.group_id == group.id)
        .order_by(Ticket.ticket_no)
    ).all()
    by_kind: dict[str, int] = defaultdict(int)
    for account, total in session.exec(
        select(PostingRow.account, func.sum(PostingRow.amount))
        .where(PostingRow.group_id == group.id)
        .group_by(PostingRow.account)
    ).all():
        by_kind[account_kind(account) or "other"] += int(total)
    names = {t.id: (t.ticket_no, u.name) for t, u in tickets}
    draws = session.exec(
        select(Draw).where(Draw.group_id == group.id, Draw.status == "completed").order_by(Draw.month)
    ).all()
    payouts = {p.draw_id: p for p in session.exec(select(Payout).where(Payout.group_id == group.id)).all()}
    return {
        "name": group.name,
        "foreman": foreman.name if foreman else "",
        "kind": "Auction" if group.kind == "auction" else "Lucky draw",
        "value": format_inr(group.chit_value),
        "installment": format_inr(group.chit_value // group.tickets),
        "tickets": str(group.tickets),
        "commission": percent_bp(group.commission_bp),
        "status": group.status.capitalize(),
        "stage": f"Month {group.current_month} of {group.tickets}" if group.current_month else "Not started",
        "start": format_date(group.start_date) if group.start_date else "—",
        "as_of": format_date(today),
        "cash": format_inr(by_kind["cash"]),
        "receivable": format_inr(by_kind["receivable"]),
        "prize_payable": format_inr(-by_kind["prize_payable"]),
        "commission_income": format_inr(-by_kind["commission"]),
        "late_fees": format_inr(-by_kind["late_fees"]),
        "carry_forward": format_inr(-by_kind["carry_forward"]),
        "members": [
            {
                "ticket": str(t.ticket_no),
                "name": u.name,
                "status": t.status.capitalize(),
                "prized": str(t.prized_month or "—"),
                "paid": format_inr(paid_total[t.id]),
                "due": format_inr(due_now[t.id]),
            }
            for t, u in tickets
        ],
        "draws": [
            {
                "month": str(d.month),
                "date": format_date(to_ist(d.drawn_at).date()) if d.drawn_at else "—",
                "winner": "#{} {}".format(*names.get(d.winner_ticket_id, ("?", ""))),
                "discount": format_inr(d.discount),
                "prize": format_inr(d.prize),
                "dividend": format_inr(d.dividend_per_ticket),
                "payout": (
                    "released " + format_date(payouts[d.id].paid_on)
                    if d.id in payouts and payouts[d.id].status == "released" and payouts[d.id].paid_on
                    else (payouts[d.id].status.capitalize() if d.id in payouts else "—")
                ),
                "proof": (d.proof_sha256 or "")[:16],
            }
            for d in draws
        ],
        "printed_at": format_datetime_ist(utcnow()),
    }


def statement_html(data: dict) -> str:
    """A self-contained printable page (A4, no scripts); every value is HTML-escaped."""
    e = html.escape

    def table(header: list[str], rows: list[list[str]]) -> str:
        head = "".join(f"<th>{e(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    terms = [
        ("Foreman", data["foreman"]),
        ("Type", data["kind"]),
        ("Chit value", data["value"]),
        ("Installment", data["installment"]),
        ("Tickets / months", data["tickets"]),
        ("Commission", data["commission"]),
        ("Started", data["start"]),
        ("Stage", data["stage"]),
    ]
    books = [
        ("Cash held for the group", data["cash"]),
        ("Dues receivable (negative = advances)", data["receivable"]),
        ("Prizes payable", data["prize_payable"]),
        ("Foreman commission earned", data["commission_income"]),
        ("Late fees", data["late_fees"]),
        ("Carried forward", data["carry_forward"]),
    ]
    dl = "".join(f"<div><span>{e(k)}</span><b>{e(v)}</b></div>" for k, v in terms)
    bk = "".join(f"<div><span>{e(k)}</span><b>{e(v)}</b></div>" for k, v in books)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(data["name"])} · statement {e(data["as_of"])}</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font: 13px/1.45 system-ui, sans-serif; color: #111; max-width: 980px; margin: 24px auto; }}
h1 {{ font-size: 22px; margin: 0 0 4px; }} h2 {{ font-size: 15px; margin: 22px 0 8px; }}
.muted {{ color: #555; }} .grid {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px 16px; }}
.grid div {{ display: flex; flex-direction: column; border-bottom: 1px solid #ddd; padding: 4px 0; }}
.grid span {{ color: #555; font-size: 11px; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border: 1px solid #ccc; padding: 4px 6px; }}
th {{ background: #f1f5f4; text-align: left; }} td {{ font-variant-numeric: tabular-nums; }}
.noprint {{ margin: 12px 0; }} @media print {{ .noprint {{ display: none; }} }}
</style></head><body>
<div class="noprint"><button onclick="window.print()">Print</button></div>
<h1>{e(data["name"])}</h1>
<div class="muted">Group statement as of {e(data["as_of"])} · printed {e(data["printed_at"])}</div>
<h2>Terms</h2><div class="grid">{dl}</div>
<h2>Books (sums of postings)</h2><div class="grid">{bk}</div>
<h2>Members</h2>
{
        table(
            ["Ticket", "Member", "Status", "Prized month", "Paid to date", "Due now"],
            [
                [m["ticket"], m["name"], m["status"], m["prized"], m["paid"], m["due"]]
                for m in data["members"]
            ],
        )
    }
<h2>Draws</h2>
{
        table(
            ["Month", "Date", "Winner", "Discount", "Prize", "Dividend/ticket", "Payout", "Proof SHA-256"],
            [
                [
                    d["month"],
                    d["date"],
                    d["winner"],
                    d["discount"],
                    d["prize"],
                    d["dividend"],
                    d["payout"],
                    d["proof"],
                ]
                for d in data["draws"]
            ],
        )
    }
</body></html>"""


# --- bulk import ------------------------------------------------------------------------------


def import_members_csv(
    session: Session, *, actor: Actor | None, group_id: object, text: object
) -> list[dict[str, str]]:
    """Seat members from CSV rows `name,mobile[,language]` (a header row is optional).

    Returns one result per data row: `ok` with the ticket number (and the one-time password for a
    new account, shown once), or the reason the row was refused."""
    group = group_for_foreman(session, actor, group_id)
    if not isinstance(text, str) or not text.strip():
        raise ServiceError("Paste or upload a CSV with one member per line: name, mobile.", "csv")
    if len(text.encode()) > MAX_IMPORT_BYTES:
        raise ServiceError("That file is too large; import at most 200 members at a time.", "csv")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if rows and rows[0] and rows[0][0].strip().lower() in ("name", "member", "member name"):
        rows = rows[1:]
        start = 2
    else:
        start = 1
    data = [(n, r) for n, r in enumerate(rows, start=start) if any(c.strip() for c in r)]
    if len(data) > MAX_IMPORT_ROWS:
        raise ServiceError(f"At most {MAX_IMPORT_ROWS} members can be imported at a time.", "csv")
    results: list[dict[str, str]] = []
    seen: set[str] = set()
    for line, row in data:
        name = row[0].strip() if row else ""
        mobile = row[1].strip() if len(row) > 1 else ""
        language = (row[2].strip().lower() if len(row) > 2 else "") or "en"
        result = {
            "line": str(line),
            "name": name[:80],
            "mobile": mobile[:20],
            "ok": "",
            "error": "",
            "ticket": "",
            "password": "",
        }
        if len(row) > 3:
            result["error"] = "Too many columns: expected name, mobile and optionally language."
        elif language not in CODES:
            result["error"] = f"Language must be one of {', '.join(CODES)}."
        else:
            try:
                number = clean_mobile(mobile)
                if number in seen:
                    raise ServiceError("This mobile number appears twice in the file.", "mobile")
                seen.add(number)
                with session.begin_nested():
                    ticket, temp = members.add_member(
                        session, actor=actor, group_id=group.id, name=name, mobile=mobile, language=language
                    )
                result.update(ok="yes", ticket=str(ticket.ticket_no), password=temp or "")
            except ServiceError as exc:
                result["error"] = exc.message
        results.append(result)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="member.bulk_import",
        object_type="group",
        object_id=group.id,
        detail={"rows": len(results), "added": sum(1 for r in results if r["ok"])},
    )
    return results
