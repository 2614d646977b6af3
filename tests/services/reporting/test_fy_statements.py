"""The foreman's financial-year statements (issue 19, item 8): April to March in IST days, the trial
balance (debits equal credits, income reset each year), the receipts and payments account (opening
+ receipts - payments = closing) and commission and GST by month, per group and in total; the CSV
files and the printable page; who may read them; the 31 March / 1 April boundary."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from sqlmodel import func, select

from luckychit_app.clock import IST
from luckychit_app.domain import ledger as books
from luckychit_app.domain.ledger import JournalDraft, Posting
from luckychit_app.models import AuditLog, JournalEntry
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money.ledger import post
from luckychit_app.services.reporting import fy_documents, fy_statements, tally_export
from luckychit_app.services.reporting.books_scope import books_of
from tests.services.groups.test_closing import hold_month, release_all, settle_up
from tests.services.helpers import active_group, foreman, member_actor, pay, staff

RUPEE = 100
COMMISSION = 1_500 * RUPEE  # 5 % of ₹30,000
PRIZE = 28_500 * RUPEE


def last_entry(tx) -> int:
    with tx() as s:
        return s.exec(select(func.max(JournalEntry.id))).one() or 0


def move_after(tx, after: int, upto: int, when: datetime) -> None:
    """Entries (after, upto] as if recorded at `when` (an IST wall-clock time)."""
    with tx() as s:
        for entry in s.exec(
            select(JournalEntry).where(JournalEntry.id > after, JournalEntry.id <= upto)
        ).all():
            entry.created_at = when.astimezone(UTC)
            s.add(entry)


def ist(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=IST)


@pytest.fixture
def year_end(tx):
    """Month 1 of a ₹30,000 group: dues and payments on 10 March 2026, the draw settled at
    23:59:59 IST on 31 March (the last second of FY 2025-26), the prize paid at 00:00 IST on
    1 April (the first of FY 2026-27); and a second group paid into on 2 April."""
    boss = foreman(tx, name="Ramesh Kumar")
    group_id, tickets = active_group(tx, boss, tickets=3)
    settle_up(tx, boss, tickets)
    paid = last_entry(tx)
    hold_month(tx, boss, group_id, tickets)
    drawn = last_entry(tx)
    release_all(tx, boss, group_id)
    released = last_entry(tx)
    other, (o1, *_rest) = active_group(tx, boss, tickets=3, name="Pongal Savings")
    pay(tx, boss, o1, 4_000 * RUPEE)
    move_after(tx, 0, paid, ist(2026, 3, 10, 11, 0))
    move_after(tx, paid, drawn, ist(2026, 3, 31, 23, 59, 59))
    move_after(tx, drawn, released, ist(2026, 4, 1, 0, 0))
    move_after(tx, released, last_entry(tx), ist(2026, 4, 2, 9, 30))
    return boss, group_id, tickets, other


def figures(tx, boss, year: int, as_of: str):
    with tx() as s:
        b = books_of(s, boss, boss.user_id)
        return fy_statements.figures(s, b, year, fy_statements.clean_as_of(year, as_of))


def test_the_trial_balance_at_31_march_balances_and_holds_the_years_entries(tx, year_end):
    boss, group_id, (t1, *_r), _other = year_end
    f = figures(tx, boss, 2025, "2026-03-31")
    debits, credits = fy_statements.totals(f, fy_statements.ALL)
    assert debits == credits > 0
    total = f.trial[fy_statements.ALL]
    assert total[books.cash(group_id)] == 30_000 * RUPEE  # collected, prize not yet paid
    assert total[books.prize_payable(t1)] == -PRIZE or any(
        v == -PRIZE for a, v in total.items() if books.account_kind(a) == "prize_payable"
    )
    assert total[books.commission_income(boss.user_id)] == -COMMISSION
    assert total[books.pot(group_id, 1)] == 0  # settled
    assert fy_statements.EARLIER not in total or total[fy_statements.EARLIER] == 0
    # Per group too: each group's entries balance on their own.
    for gid in f.trial:
        d, c = fy_statements.totals(f, gid)
        assert d == c
    # Commission by month: the draw of 31 March 23:59:59 IST is March's.
    assert f.monthly[fy_statements.ALL][(2026, 3)] == [COMMISSION, 0]
    assert sum(v[0] for v in f.monthly[fy_statements.ALL].values()) == COMMISSION


def test_from_1_april_the_income_of_earlier_years_is_one_line(tx, year_end):
    boss, group_id, _tickets, other = year_end
    f = figures(tx, boss, 2026, "2026-04-30")
    total = f.trial[fy_statements.ALL]
    assert total.get(books.commission_income(boss.user_id), 0) == 0  # no commission earned this year yet
    assert total[fy_statements.EARLIER] == -COMMISSION
    assert total[books.cash(group_id)] == 30_000 * RUPEE - PRIZE  # the prize paid at 00:00 on 1 April
    assert total[books.cash(other)] == 4_000 * RUPEE
    debits, credits = fy_statements.totals(f, fy_statements.ALL)
    assert debits == credits
    assert f.monthly.get(fy_statements.ALL, {}) == {} or not any(
        any(v) for v in f.monthly[fy_statements.ALL].values()
    )
    # A day of April before the prize: as at 31 March it was not paid; the year starts on 1 April.
    with pytest.raises(ServiceError) as refused:
        figures(tx, boss, 2026, "2026-03-31")
    assert refused.value.field == "as_of"


def test_receipts_and_payments_add_up_from_opening_to_closing(tx, year_end):
    boss, group_id, _tickets, other = year_end
    for year, as_of in ((2025, "2026-03-31"), (2026, "2026-04-30"), (2026, "2026-04-01")):
        f = figures(tx, boss, year, as_of)
        for gid in {*f.cash_open, *f.cash_close, *f.flows}:
            received = sum(p for (_k, came_in), p in f.flows[gid].items() if came_in)
            paid_out = sum(p for (_k, came_in), p in f.flows[gid].items() if not came_in)
            assert f.cash_open[gid] + received - paid_out == f.cash_close[gid], (year, as_of, gid)
    f = figures(tx, boss, 2026, "2026-04-30")
    assert f.cash_open[group_id] == 30_000 * RUPEE and f.cash_open[other] == 0
    assert dict(fy_statements.cash_heads(f, fy_statements.ALL, False)) == {"Prizes paid to members": PRIZE}
    assert dict(fy_statements.cash_heads(f, fy_statements.ALL, True)) == {
        "Subscriptions and dues received from members": 4_000 * RUPEE
    }
    f = figures(tx, boss, 2025, "2026-03-31")
    assert f.cash_open[fy_statements.ALL] == 0
    assert dict(fy_statements.cash_heads(f, fy_statements.ALL, True)) == {
        "Subscriptions and dues received from members": 30_000 * RUPEE
    }


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_files_and_the_printable_page(tx, year_end):
    boss, _group_id, _tickets, _other = year_end
    with tx() as s:
        name, trial = fy_documents.statement_csv(
            s,
            actor=boss,
            foreman_id=boss.user_id,
            year="2025-26",
            statement="trial-balance",
            as_of="2026-03-31",
            audit_in=s,
        )
        _n, cash = fy_documents.statement_csv(
            s, actor=boss, foreman_id=boss.user_id, year=2025, statement="receipts-payments", audit_in=s
        )
        _n, income = fy_documents.statement_csv(
            s, actor=boss, foreman_id=boss.user_id, year="2025", statement="commission-gst", audit_in=s
        )
        page = fy_documents.statements_page(s, actor=boss, foreman_id=boss.user_id, year="2025", audit_in=s)
    assert name == "ramesh-kumar-fy2025-26-trial-balance.csv"
    table = rows(trial)
    assert table[0] == ["Group", "Account", "Account code", "Tally group", "Debit", "Credit"]
    totals = [r for r in table if r[0] == "All groups" and r[1] == "Total"]
    # Cash ₹30,000, and month 2's dues raised at the draw (₹30,000 receivable against its pot).
    assert totals == [["All groups", "Total", "", "", "₹60,000", "₹60,000"]]
    assert [r[:2] for r in table if r[1] == "Diwali Savings — cash"][-1] == [
        "All groups",
        "Diwali Savings — cash",
    ]
    assert any(r[1] == "Commission income" and r[3] == "Direct Incomes" and r[5] == "₹1,500" for r in table)
    lines = rows(cash)
    assert ["All groups", "Closing balance", "Money in hand on 31-03-2026", "₹30,000"] in lines
    months = [r for r in rows(income) if r[0] == "All groups"]
    assert [r[1] for r in months] == [
        "Apr 2025", "May 2025", "Jun 2025", "Jul 2025", "Aug 2025", "Sep 2025",
        "Oct 2025", "Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026", "Total",
    ]  # fmt: skip
    assert months[11][2:] == ["₹1,500", "₹0"] and months[12][2:] == ["₹1,500", "₹0"]
    assert "Trial balance as at 31-03-2026" in page and "<script" not in page.replace("onclick", "")
    with tx() as s:
        kinds = [a.detail for a in s.exec(select(AuditLog).where(AuditLog.action == "report.exported")).all()]
    assert len(kinds) == 4 and any("fy-statements" in k for k in kinds)


def test_only_those_who_keep_the_foremans_books_read_the_statements(tx, year_end):
    boss, _group_id, (t1, *_r), _other = year_end
    stranger = foreman(tx, name="Other Foreman")
    accountant = staff(tx, boss, "accountant")
    refused = (stranger, member_actor(tx, t1), staff(tx, boss, "clerk"), None)
    with tx() as s:
        for caller in refused:
            with pytest.raises(NotAllowed):
                fy_statements.statements(s, actor=caller, foreman_id=boss.user_id, year="2025")
            with pytest.raises(NotAllowed):
                fy_documents.statement_csv(
                    s,
                    actor=caller,
                    foreman_id=boss.user_id,
                    year="2025",
                    statement="trial-balance",
                    audit_in=s,
                )
        data = fy_statements.statements(s, actor=accountant, foreman_id=boss.user_id, year="2025")
        assert data["groups"][-1]["debit"] == "₹60,000"
        for bad in ("2025-27", "1999", "x", "", None, True, 2101):
            with pytest.raises(ServiceError):
                fy_statements.statements(s, actor=boss, foreman_id=boss.user_id, year=bad)
        with pytest.raises(ServiceError, match="Unknown statement"):
            fy_documents.statement_csv(
                s, actor=boss, foreman_id=boss.user_id, year="2025", statement="x", audit_in=s
            )
        with pytest.raises(NotAllowed):  # a stranger is refused before learning the name is unknown
            fy_documents.statement_csv(
                s, actor=stranger, foreman_id=boss.user_id, year="2025", statement="x", audit_in=s
            )


def test_the_reports_page_overview_is_the_foremans_own(tx, year_end):
    boss, _group_id, _tickets, _other = year_end
    accountant = staff(tx, boss, "accountant")
    with tx() as s:
        view = fy_documents.accounts_overview(s, actor=boss, year="2025", as_of="2026-03-31")
        for caller in (accountant, None):
            with pytest.raises(NotAllowed):
                fy_documents.accounts_overview(s, actor=caller)
    assert view["owner"] == str(boss.user_id) and view["fy"] == "2025-26"
    assert {"value": "2025", "label": "FY 2025-26"} in view["years"]
    assert view["first"] == "2025-04-01" and view["last"] == "2026-03-31"
    assert {"label": "Commission income", "value": "₹1,500"} in view["summary"]
    assert len(view["months"]) == 12 and view["months"][11] == {
        "month": "Mar 2026",
        "commission": "₹1,500",
        "gst": "₹0",
    }


def test_gst_on_commission_is_counted_by_month_and_paying_it_over_is_a_payment(tx, year_end):
    """GST charged on the commission (CGST Act 2017 s.9) moves from the commission to GST payable;
    paying it to the government is cash out under its own head, not GST charged again."""
    boss, group_id, _tickets, _other = year_end
    gst = 27_000  # ₹270: 18 % of ₹1,500
    with tx() as s:
        charged, _ = post(
            s,
            JournalDraft(
                kind="gst",
                key="gst:test:1",
                memo="GST on the March commission",
                postings=(
                    Posting(books.commission_income(boss.user_id), gst),
                    Posting(books.gst_payable(boss.user_id), -gst),
                ),
            ),
            group_id=group_id,
        )
        paid, _ = post(
            s,
            JournalDraft(
                kind="gst_paid",
                key="gst_paid:test:1",
                memo="GST paid for March",
                postings=(Posting(books.gst_payable(boss.user_id), gst), Posting(books.cash(group_id), -gst)),
            ),
            group_id=group_id,
        )
    move_after(tx, charged.id - 1, charged.id, ist(2026, 3, 31, 18, 0))
    move_after(tx, paid.id - 1, paid.id, ist(2026, 4, 20, 10, 0))
    march = figures(tx, boss, 2025, "2026-03-31")
    assert march.monthly[fy_statements.ALL][(2026, 3)] == [COMMISSION - gst, gst]
    assert march.trial[fy_statements.ALL][books.gst_payable(boss.user_id)] == -gst
    april = figures(tx, boss, 2026, "2026-04-30")
    assert not any(v[1] for v in april.monthly[fy_statements.ALL].values())  # paying over is not charging
    assert (
        dict(fy_statements.cash_heads(april, fy_statements.ALL, False))["GST paid to the government"] == gst
    )
    assert april.trial[fy_statements.ALL].get(books.gst_payable(boss.user_id), 0) == 0
    with tx() as s:
        _name, text = tally_export.tally_export(
            s, actor=boss, foreman_id=boss.user_id, start="2026-03-01", end="2026-04-30", audit_in=s
        )
    ledgers = {n.get("NAME"): n.findtext("PARENT") for n in ET.fromstring(text).iter("LEDGER")}
    assert ledgers["GST payable"] == "Duties & Taxes" and ledgers["Commission income"] == "Direct Incomes"
