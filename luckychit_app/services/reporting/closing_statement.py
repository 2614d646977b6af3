"""The closing papers of a group (issue 15, item 12): the foreman's closing panel, and the closing
statement as a printable page and a PDF.

The statement shows the agreement's terms, each month's draw (winner, discount, prize, dividend,
commission, remainder), what was collected and paid out, where the carried remainders and the late
fees went, the refunds paid at the close, and the final balance of every kind of account of the group
and its tickets: all zero once the group is closed. Before the close (a completed group) it is marked
provisional. The owner, the platform admin and staff who keep the books ("books") may read it.
"""

from __future__ import annotations

import html
from collections import defaultdict

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_date, format_datetime_ist, to_ist, utcnow
from luckychit_app.domain import ledger as books
from luckychit_app.domain.money import format_inr, percent_bp
from luckychit_app.models import (
    Branch,
    ChitGroup,
    Company,
    Draw,
    JournalEntry,
    Payment,
    PaymentAllocation,
    Payout,
    PostingRow,
    Refund,
    SubscriberRefund,
    Ticket,
    User,
)
from luckychit_app.services.access import Actor, group_for_foreman, group_for_staff
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups import closing
from luckychit_app.services.groups.locking import settled_for_closing
from luckychit_app.services.money.ledger import balance, balances
from luckychit_app.services.money.payment_methods import METHOD_LABELS
from luckychit_app.services.reporting.pdf_pages import new_page

ACCOUNT_LABELS = (
    ("cash", "Cash held for the group"),
    ("cash_with", "Cash with collectors"),
    ("receivable", "Dues receivable (negative = advances)"),
    ("pot", "Monthly pots"),
    ("prize_payable", "Prizes payable"),
    ("late_fees", "Late-fee pool"),
    ("carry_forward", "Remainders carried forward"),
    ("refund_payable", "Refunds payable to members"),
    ("security_deposit", "Security deposits held (s.21(1)(e))"),
)


def statement_url(group_id: int) -> str:
    return f"/api/closing/{group_id}/statement"


def _ticket_names(session: Session, group_id: int) -> dict[int, tuple[int, str, str]]:
    return {
        t.id: (t.ticket_no, u.name, t.status)
        for t, u in session.exec(
            select(Ticket, User).join(User, User.id == Ticket.member_id).where(Ticket.group_id == group_id)
        ).all()
    }


def _final_balances(session: Session, group: ChitGroup) -> list[tuple[str, int]]:
    """Each kind of account of the group and of its tickets, summed (what the books hold now)."""
    tickets = {str(t) for t in session.exec(select(Ticket.id).where(Ticket.group_id == group.id)).all()}
    by_kind: dict[str, int] = defaultdict(int)
    for account, amount in balances(session, group_id=group.id).items():
        kind, _, rest = account.partition(":")
        ref = rest.split(":", 1)[0]
        if (kind == "group" and ref == str(group.id)) or (kind == "ticket" and ref in tickets):
            by_kind[books.account_kind(account) or "other"] += amount
    return [(label, by_kind.get(kind, 0)) for kind, label in ACCOUNT_LABELS]


def closing_statement(session: Session, *, actor: Actor | None, group_id: object) -> dict:
    """Everything on the closing statement, as display strings."""
    group = group_for_staff(session, actor, group_id, "books")
    if group.status not in ("completed", "closed"):
        raise ServiceError("The closing statement is ready once the group's last draw is held.")
    foreman = session.get(User, group.foreman_id)
    branch = session.get(Branch, group.branch_id)
    company = session.get(Company, branch.company_id) if branch else None
    names = _ticket_names(session, group.id)
    draws = session.exec(
        select(Draw).where(Draw.group_id == group.id, Draw.status == "completed").order_by(Draw.month)
    ).all()
    payouts = {p.draw_id: p for p in session.exec(select(Payout).where(Payout.group_id == group.id)).all()}
    received = session.exec(
        select(Payment.method, func.coalesce(func.sum(Payment.amount), 0))
        .where(Payment.group_id == group.id, Payment.status.in_(("captured", "refunded")))
        .group_by(Payment.method)
    ).all()
    by_method = {m: int(a) for m, a in received}
    refunded = int(
        session.exec(
            select(func.coalesce(func.sum(Refund.amount), 0))
            .join(Payment, Payment.id == Refund.payment_id)
            .where(Payment.group_id == group.id, Refund.status == "processed")
        ).one()
    )
    fees = -int(
        session.exec(
            select(func.coalesce(func.sum(PostingRow.amount), 0))
            .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
            .where(
                JournalEntry.kind == books.KIND_LATE_FEE, PostingRow.account == books.penalty_income(group.id)
            )
        ).one()
    )
    paid_in: dict[int, int] = defaultdict(int)
    for tid, amount in session.exec(
        select(Payment.ticket_id, func.sum(PaymentAllocation.amount))
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(Payment.group_id == group.id)
        .group_by(Payment.ticket_id)
    ).all():
        paid_in[tid] = int(amount)
    refunds = session.exec(
        select(SubscriberRefund).where(SubscriberRefund.group_id == group.id).order_by(SubscriberRefund.id)
    ).all()
    closing_paid = sum(r.amount for r in refunds if r.kind == "closing" and r.status == "paid")
    removal_paid = sum(r.amount for r in refunds if r.kind == "removal" and r.status == "paid")
    remainders = sum(d.remainder for d in draws)
    to_foreman = -int(
        session.exec(
            select(func.coalesce(func.sum(PostingRow.amount), 0))
            .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
            .where(JournalEntry.key == f"close:{group.id}", PostingRow.account == books.cash(group.id))
        ).one()
    )
    prize_of = {p.ticket_id: p for p in payouts.values()}
    final = _final_balances(session, group)
    ended = closing.termination_date(session, group)
    return {
        "name": group.name,
        "company": company.name if company else "",
        "branch": f"{branch.name} ({branch.code})" if branch else "",
        "foreman": foreman.name if foreman else "",
        "closed": group.status == "closed",
        "state": (
            f"Closed on {format_date(to_ist(group.closed_at).date())}"
            if group.status == "closed" and group.closed_at
            else "Provisional: the last draw is held, the group is not closed yet"
        ),
        "printed_at": format_datetime_ist(utcnow()),
        "terms": [
            ("Type", "Auction" if group.kind == "auction" else "Lucky draw"),
            ("Chit value", format_inr(group.chit_value)),
            ("Tickets / instalments", f"{group.tickets} ({group.period})"),
            ("Instalment", format_inr(group.chit_value // group.tickets)),
            ("Foreman's commission", percent_bp(group.commission_bp) + " of the chit value"),
            ("Maximum discount", percent_bp(group.max_discount_bp) if group.kind == "auction" else "—"),
            (
                "Dividend remainders",
                "carried forward to the close" if group.remainder_to == "carry" else "to the foreman",
            ),
            ("Late-fee pool", "to the members" if group.late_fee_pool_to == "members" else "to the foreman"),
            ("Started", format_date(group.start_date) if group.start_date else "—"),
            ("Last draw", format_date(ended) if ended else "—"),
        ],
        "draws": [
            [
                str(d.month),
                format_date(to_ist(d.drawn_at).date()) if d.drawn_at else "—",
                "#{} {}".format(*names.get(d.winner_ticket_id, ("?", "", ""))[:2]),
                format_inr(d.discount),
                format_inr(d.prize),
                format_inr(d.dividend_per_ticket),
                format_inr(d.commission),
                format_inr(d.remainder),
                (
                    f"paid {format_date(payouts[d.id].paid_on)}"
                    if d.id in payouts and payouts[d.id].status == "released" and payouts[d.id].paid_on
                    else (payouts[d.id].status if d.id in payouts else "—")
                ),
            ]
            for d in draws
        ],
        "totals": [
            ("Collected from members", format_inr(sum(a for m, a in by_method.items() if m != "prize"))),
            ("Kept from prizes for dues", format_inr(by_method.get("prize", 0))),
            ("Refunded on payments", format_inr(refunded)),
            ("Prizes paid", format_inr(sum(p.gross for p in payouts.values() if p.status == "released"))),
            ("Commission earned", format_inr(sum(d.commission for d in draws))),
            ("Late fees charged", format_inr(fees)),
            (
                "Remainders carried forward",
                format_inr(remainders)
                + (
                    " (returned to the members at the close)"
                    if group.remainder_to == "carry"
                    else " (to the foreman)"
                ),
            ),
            ("Refunds paid at the close", format_inr(closing_paid)),
            ("Removed subscribers refunded", format_inr(removal_paid)),
            (
                "Moved to the foreman at the close",
                format_inr(to_foreman) if group.status == "closed" else "—",
            ),
        ],
        "members": [
            [
                str(no),
                name,
                status,
                format_inr(paid_in.get(tid, 0)),
                format_inr(prize_of[tid].gross) if tid in prize_of else "—",
                ", ".join(
                    f"{format_inr(r.amount)} {r.status}" for r in refunds if r.ticket_id == tid and r.amount
                )
                or "—",
            ]
            for tid, (no, name, status) in sorted(names.items(), key=lambda kv: (kv[1][0], kv[0]))
        ],
        "final": [(label, format_inr(amount)) for label, amount in final],
        "all_zero": group.status == "closed" and all(amount == 0 for _label, amount in final),
    }


DRAW_HEADER = [
    "Month",
    "Date",
    "Winner",
    "Discount",
    "Prize",
    "Dividend",
    "Commission",
    "Remainder",
    "Payout",
]
MEMBER_HEADER = ["Ticket", "Member", "Status", "Subscriptions paid", "Prize", "Refund at close"]


def statement_html(data: dict) -> str:
    """A self-contained printable page (A4, no scripts but the print button); every value escaped."""
    e = html.escape

    def table(header: list[str], rows: list[list[str]]) -> str:
        head = "".join(f"<th>{e(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def grid(pairs: list[tuple[str, str]]) -> str:
        return "".join(f"<div><span>{e(k)}</span><b>{e(v)}</b></div>" for k, v in pairs)

    zero = "Every account of the group and its tickets is ₹0." if data["all_zero"] else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(data["name"])} · closing statement</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font: 13px/1.45 system-ui, sans-serif; color: #111; max-width: 980px; margin: 24px auto; }}
h1 {{ font-size: 22px; margin: 0 0 4px; }} h2 {{ font-size: 15px; margin: 22px 0 8px; }}
.muted {{ color: #555; }} .grid {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px 16px; }}
.grid div {{ display: flex; flex-direction: column; border-bottom: 1px solid #ddd; padding: 4px 0; }}
.grid span {{ color: #555; font-size: 11px; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border: 1px solid #ccc; padding: 4px 6px; }}
th {{ background: #f1f5f4; text-align: left; }} td {{ font-variant-numeric: tabular-nums; }}
.noprint {{ margin: 12px 0; }} @media print {{ .noprint {{ display: none; }} }}
</style></head><body>
<div class="noprint"><button onclick="window.print()">Print</button></div>
<h1>{e(data["name"])}: closing statement</h1>
<div class="muted">{e(data["company"])} · {e(data["branch"])} · foreman {e(data["foreman"])}</div>
<div class="muted">{e(data["state"])} · printed {e(data["printed_at"])}</div>
<h2>Terms of the agreement</h2><div class="grid">{grid(data["terms"])}</div>
<h2>Draws</h2>{table(DRAW_HEADER, data["draws"])}
<h2>Totals</h2><div class="grid">{grid(data["totals"])}</div>
<h2>Members</h2>{table(MEMBER_HEADER, data["members"])}
<h2>Final balances (sums of postings)</h2><div class="grid">{grid(data["final"])}</div>
<p><b>{e(zero)}</b></p>
</body></html>"""


def statement_pdf(session: Session, *, actor: Actor | None, group_id: object) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the closing statement, A4, with the ₹ sign."""
    data = closing_statement(session, actor=actor, group_id=group_id)
    page = new_page(f"{data['name']} closing statement")
    page.heading(f"{data['name']}: closing statement")
    page.line(f"{data['company']} · {data['branch']} · foreman {data['foreman']}", size=9)
    page.line(f"{data['state']} · printed {data['printed_at']}", size=9)
    page.pdf.ln(2)
    page.line("Terms of the agreement", size=11, bold=True)
    page.pairs(data["terms"])
    page.pdf.ln(2)
    page.line("Draws", size=11, bold=True)
    page.table(DRAW_HEADER, data["draws"], [0.06, 0.1, 0.2, 0.1, 0.11, 0.09, 0.1, 0.09, 0.15])
    page.line("Totals", size=11, bold=True)
    page.pairs(data["totals"], label_width=70)
    page.pdf.ln(2)
    page.line("Members", size=11, bold=True)
    page.table(MEMBER_HEADER, data["members"], [0.08, 0.26, 0.1, 0.18, 0.14, 0.24])
    page.line("Final balances (sums of postings)", size=11, bold=True)
    page.pairs(data["final"], label_width=70)
    if data["all_zero"]:
        page.pdf.ln(2)
        page.line("Every account of the group and its tickets is ₹0.", bold=True)
    slug = "".join(ch.lower() if ch.isalnum() else "-" for ch in data["name"]).strip("-")[:40] or "group"
    return f"{slug}-closing-statement.pdf", page.output()


# --- the foreman's closing panel ----------------------------------------------------------------


def closing_panel(session: Session, *, actor: Actor | None, group_id: object) -> dict:
    """What the group page's closing panel shows: what blocks, who gets what, the refunds due, and
    once closed the papers. Nothing here writes."""
    group = group_for_foreman(session, actor, group_id)
    names = _ticket_names(session, group.id)
    out: dict = {
        "status": group.status,
        "blockers": [],
        "shares": [],
        "refunds": [],
        "certificates": [],
        "plan": {},
        "can_settle": False,
        "can_close": False,
        "settled": False,
        "closed_at": format_date(to_ist(group.closed_at).date()) if group.closed_at else "",
        "statement": statement_url(group.id),
        "statement_pdf": statement_url(group.id) + ".pdf",
        "due_by": "",
        "to_foreman": "",
    }
    if group.status not in ("completed", "closed"):
        return out
    due_by = closing.removed_refund_due_by(session, group)
    out["due_by"] = format_date(due_by) if due_by else ""
    rows = session.exec(
        select(SubscriberRefund).where(SubscriberRefund.group_id == group.id).order_by(SubscriberRefund.id)
    ).all()
    out["refunds"] = [
        {
            "id": str(r.id),
            "ticket_no": str(names.get(r.ticket_id, (0,))[0]),
            "name": names.get(r.ticket_id, (0, "?"))[1],
            "kind": "Share at the close" if r.kind == "closing" else "Removed subscriber (s.30)",
            "amount": format_inr(r.amount),
            "status": r.status,
            "due": "yes" if r.status == "due" and r.amount else "",
            "paid": (
                f"{METHOD_LABELS[r.method]} {r.reference} on {format_date(to_ist(r.paid_at).date())}"
                if r.status == "paid" and r.paid_at
                else ""
            ),
        }
        for r in rows
    ]
    if group.status == "closed":
        out["certificates"] = [
            {"ticket_no": str(no), "name": name, "url": f"/api/no-dues/{tid}.pdf"}
            for tid, (no, name, status) in sorted(names.items(), key=lambda kv: kv[1][0])
            if status != "removed"
        ]
        return out
    blockers = closing.closing_blockers(session, group)
    settled = settled_for_closing(session, group.id)
    plan = None if blockers else closing.closing_plan(session, group)
    due = any(r.status == "due" for r in rows)
    out.update(
        blockers=blockers,
        settled=settled,
        can_settle=bool(plan is not None and not plan.empty and not settled),
        can_close=bool(plan is not None and plan.empty and not due),
        to_foreman=format_inr(balance(session, books.cash(group.id))),
    )
    if plan is not None:
        out["plan"] = {
            "carry": format_inr(plan.carry),
            "late_fees": format_inr(plan.late_fees),
            "late_fees_to": "the members" if plan.late_fees_to == "members" else "the foreman",
            "refunds": format_inr(plan.refunds),
        }
        out["shares"] = [
            {
                "ticket_no": str(s.ticket_no),
                "name": names[s.ticket_id][1],
                "carry": format_inr(s.carry),
                "late_fees": format_inr(s.late_fees),
                "advance": format_inr(s.advance),
                "deposit": format_inr(s.deposit),  # a prized member's security deposit (s.21(1)(e))
                "total": format_inr(s.total),
            }
            for s in plan.shares
            if not plan.empty
        ]
    return out
