"""The financial-year statements as things to hand over (issue 19, item 8): three CSV files (trial
balance, receipts and payments, commission and GST by month), a printable page with all three,
and the summary the foreman's Reports page shows. The figures are fy_statements'; this module only
lays them out. Every download is audited, as the group exports are (reports.export_csv).
"""

from __future__ import annotations

import csv
import html
import io

from sqlmodel import Session

from luckychit_app.domain import financial_year as fy
from luckychit_app.services import audit
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.reporting import fy_statements
from luckychit_app.services.reporting.books_scope import books_of, slug
from luckychit_app.services.reporting.reports import safe_cell

STATEMENTS = ("trial-balance", "receipts-payments", "commission-gst")


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[safe_cell(c) for c in row] for row in rows])
    return out.getvalue()


def _trial_csv(data: dict) -> str:
    rows = []
    for g in data["groups"]:
        rows += [
            [g["group"], r["account"], r["code"], r["tally_group"], r["debit"], r["credit"]]
            for r in g["trial"]
        ]
        rows.append([g["group"], "Total", "", "", g["debit"], g["credit"]])
    return _csv(["Group", "Account", "Account code", "Tally group", "Debit", "Credit"], rows)


def _cash_csv(data: dict) -> str:
    rows = []
    for g in data["groups"]:
        rows.append([g["group"], "Opening balance", f"Money in hand on {data['from']}", g["opening"]])
        rows += [[g["group"], "Receipt", r["head"], r["amount"]] for r in g["receipts"]]
        rows.append([g["group"], "Receipts total", "", g["receipts_total"]])
        rows += [[g["group"], "Payment", p["head"], p["amount"]] for p in g["payments"]]
        rows.append([g["group"], "Payments total", "", g["payments_total"]])
        rows.append([g["group"], "Closing balance", f"Money in hand on {data['as_of']}", g["closing"]])
    return _csv(["Group", "Line", "Head", "Amount"], rows)


def _income_csv(data: dict) -> str:
    rows = []
    for g in data["groups"]:
        rows += [[g["group"], m["month"], m["commission"], m["gst"]] for m in g["months"]]
        rows.append([g["group"], "Total", g["commission_total"], g["gst_total"]])
    return _csv(["Group", "Month", "Commission income", "GST charged"], rows)


def _audit(audit_in: Session, actor: Actor | None, data: dict, kind: str) -> None:
    audit.record(
        audit_in,
        actor_id=actor.user_id if actor else None,
        action="report.exported",
        object_type="foreman",
        object_id=data["foreman_id"],
        detail={"kind": kind, "fy": data["fy"], "as_of": data["as_of_iso"]},
    )


def statement_csv(
    session: Session,
    *,
    actor: Actor | None,
    foreman_id: object,
    year: object,
    statement: object,
    as_of: object = None,
    audit_in: Session,
) -> tuple[str, str]:
    """(file name, CSV text) of one of the year's statements, every group's then all groups', read
    in `session` (the read replica's, db.read_transaction) and audited in `audit_in` (the primary)."""
    if statement not in STATEMENTS:
        books_of(session, actor, foreman_id)  # a stranger learns nothing, not even which names exist
        raise ServiceError("Unknown statement.", "statement")
    data = fy_statements.statements(session, actor=actor, foreman_id=foreman_id, year=year, as_of=as_of)
    builders = {"trial-balance": _trial_csv, "receipts-payments": _cash_csv, "commission-gst": _income_csv}
    content = builders[str(statement)](data)
    _audit(audit_in, actor, data, str(statement))
    return f"{slug(data['foreman'])}-fy{data['fy']}-{statement}.csv", content


def statements_page(
    session: Session,
    *,
    actor: Actor | None,
    foreman_id: object,
    year: object,
    as_of: object = None,
    audit_in: Session,
) -> str:
    """The printable page of all three statements (A4, no scripts but the print button), read in
    `session` and audited in `audit_in`, as `statement_csv`."""
    data = fy_statements.statements(session, actor=actor, foreman_id=foreman_id, year=year, as_of=as_of)
    _audit(audit_in, actor, data, "fy-statements")
    return statements_html(data)


def statements_html(data: dict) -> str:
    """A self-contained printable page; every value is HTML-escaped."""
    e = html.escape

    def table(header: list[str], rows: list[list[str]], foot: list[str] | None = None) -> str:
        head = "".join(f"<th>{e(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
        tail = "<tr>" + "".join(f"<th>{e(c)}</th>" for c in foot) + "</tr>" if foot else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}{tail}</tbody></table>"

    parts = []
    for g in data["groups"]:
        trial = table(
            ["Account", "Code", "Tally group", "Debit", "Credit"],
            [[r["account"], r["code"], r["tally_group"], r["debit"], r["credit"]] for r in g["trial"]],
            ["Total", "", "", g["debit"], g["credit"]],
        )
        cash = table(
            ["", "Head", "Amount"],
            [["Opening", f"Money in hand on {data['from']}", g["opening"]]]
            + [["Receipt", r["head"], r["amount"]] for r in g["receipts"]]
            + [["Payment", p["head"], p["amount"]] for p in g["payments"]]
            + [["Closing", f"Money in hand on {data['as_of']}", g["closing"]]],
            ["", f"Receipts {g['receipts_total']} · payments {g['payments_total']}", ""],
        )
        income = table(
            ["Month", "Commission income", "GST charged"],
            [[m["month"], m["commission"], m["gst"]] for m in g["months"]],
            ["Total", g["commission_total"], g["gst_total"]],
        )
        parts.append(
            f'<section class="{"all" if g["all"] else "group"}"><h2>{e(g["group"])}</h2>'
            f"<h3>Trial balance as at {e(data['as_of'])}</h3>{trial}"
            f"<h3>Receipts and payments, {e(data['from'])} to {e(data['as_of'])}</h3>{cash}"
            f"<h3>Commission income and GST by month</h3>{income}</section>"
        )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(data["foreman"])} · FY {e(data["fy"])} statements</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font: 13px/1.45 system-ui, sans-serif; color: #111; max-width: 980px; margin: 24px auto; }}
h1 {{ font-size: 22px; margin: 0 0 4px; }} h2 {{ font-size: 17px; margin: 26px 0 6px; }}
h3 {{ font-size: 14px; margin: 14px 0 6px; }} .muted {{ color: #555; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border: 1px solid #ccc; padding: 4px 6px; }}
th {{ background: #f1f5f4; text-align: left; }} td {{ font-variant-numeric: tabular-nums; }}
section.group {{ page-break-before: always; }}
.noprint {{ margin: 12px 0; }} @media print {{ .noprint {{ display: none; }} }}
</style></head><body>
<div class="noprint"><button onclick="window.print()">Print</button></div>
<h1>{e(data["foreman"])}: statements for FY {e(data["fy"])}</h1>
<div class="muted">Financial year 1 April to 31 March (Income-tax Act 1961 s.2(34)) · from {e(data["from"])}
to {e(data["as_of"])} · every figure a sum of the books' postings · printed {e(data["printed_at"])}</div>
{"".join(parts[-1:] + parts[:-1])}
</body></html>"""


def accounts_overview(
    session: Session, *, actor: Actor | None, year: object = None, as_of: object = None
) -> dict:
    """What the foreman's Reports page shows of their own books: the years to choose from, the
    chosen year's all-groups statements in short, and the Tally range it offers first."""
    if actor is None or actor.role != "foreman":
        raise NotAllowed()
    books = books_of(session, actor, actor.user_id)
    choices = fy_statements.years(session, books)
    chosen = choices[0] if year is None or year == "" else fy_statements.clean_year(year)
    data = fy_statements.statements(session, actor=actor, foreman_id=actor.user_id, year=chosen, as_of=as_of)
    total = data["groups"][-1]
    first, last = fy.fy_bounds(chosen)
    return {
        "owner": str(books.foreman_id),
        "years": [
            {"value": str(y), "label": f"FY {fy.fy_label(y)}"} for y in sorted({*choices, chosen})[::-1]
        ],
        "year": str(chosen),
        "fy": data["fy"],
        "as_of": data["as_of_iso"],
        "as_of_text": data["as_of"],
        "first": first.isoformat(),
        "last": last.isoformat(),
        "summary": [
            {"label": "Trial balance: debits", "value": total["debit"]},
            {"label": "Trial balance: credits", "value": total["credit"]},
            {"label": f"Money in hand on {data['from']}", "value": total["opening"]},
            {"label": "Received", "value": total["receipts_total"]},
            {"label": "Paid out", "value": total["payments_total"]},
            {"label": f"Money in hand on {data['as_of']}", "value": total["closing"]},
            {"label": "Commission income", "value": total["commission_total"]},
            {"label": "GST charged", "value": total["gst_total"]},
        ],
        "months": total["months"],
    }
