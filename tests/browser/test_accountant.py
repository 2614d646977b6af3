"""The accountant's hand-off (issue 19, items 8, 9, 11), driven from the foreman's Reports page: the
financial year's statements in short, the trial balance CSV and the printable statements, and the
Tally file of the year so far, parsed here as Tally would read it (every voucher balances, every
ledger declared once under a Tally group, named for people). Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from luckychit_app.seeding.demo import DEMO_PASSWORD, FOREMAN_MOBILE
from tests.browser.conftest import DESKTOP, shot, sign_in

pytestmark = pytest.mark.browser


def _reports(browser, app_url):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.goto(f"{app_url}/f/reports")
    page.wait_for_selector("#accountant-panel #fy-summary")
    return context, page, errors


def test_the_foreman_hands_the_year_to_the_accountant(app_url, browser):
    context, page, errors = _reports(browser, app_url)
    assert page.locator("#fy-months tbody tr").count() == 12  # April to March
    assert re.match(r"Apr \d{4}", page.locator("#fy-months tbody tr").first.inner_text())
    summary = page.inner_text("#fy-summary")
    assert "Trial balance: debits" in summary and "Commission income" in summary
    shot(page, "accountant-reports-1440")

    # The trial balance CSV: every group's and all groups', debits equal to credits.
    with page.expect_download() as saved:
        page.click("#fy-trial-balance")
    assert re.fullmatch(r".+-fy\d{4}-\d{2}-trial-balance\.csv", saved.value.suggested_filename)
    table = list(csv.reader(io.StringIO(Path(saved.value.path()).read_text(encoding="utf-8-sig"))))
    assert table[0] == ["Group", "Account", "Account code", "Tally group", "Debit", "Credit"]
    totals = [row for row in table if row[1] == "Total"]
    assert totals and all(row[4] == row[5] for row in totals), totals
    assert any(" — " in row[1] and row[2].startswith("ticket:") for row in table)  # readable, with the code

    # The printable statements open as a page of their own.
    href = page.get_attribute("#fy-statements", "href")
    statements = page.request.get(f"{app_url}{href}")
    assert statements.status == 200 and "Trial balance as at" in statements.text()

    # The Tally file of the year so far (the range the page offers first).
    with page.expect_download() as saved:
        page.click("#tally-download")
    assert re.fullmatch(r"tally-.+-\d{8}-\d{8}\.xml", saved.value.suggested_filename)
    root = ET.fromstring(Path(saved.value.path()).read_text(encoding="utf-8"))
    assert root.findtext("HEADER/TALLYREQUEST") == "Import Data"
    ledgers = {n.get("NAME"): n.findtext("PARENT") for n in root.iter("LEDGER")}
    assert ledgers and len({n.casefold() for n in ledgers}) == len(ledgers)
    assert "Commission income" in ledgers and "Cash-in-Hand" in ledgers.values()
    vouchers = list(root.iter("VOUCHER"))
    assert vouchers and {"Receipt", "Journal"} <= {v.get("VCHTYPE") for v in vouchers}
    for voucher in vouchers:
        amounts = [Decimal(a.text) for a in voucher.iter("AMOUNT")]
        assert sum(amounts) == 0, voucher.findtext("VOUCHERNUMBER")
        assert all(line.findtext("LEDGERNAME") in ledgers for line in voucher.iter("ALLLEDGERENTRIES.LIST"))

    # A range that ends before it starts is refused by the download, with the reason.
    page.fill("#tally-from", "2026-04-30")
    page.fill("#tally-to", "2026-04-01")
    page.wait_for_function("document.querySelector('#tally-download').href.includes('to=2026-04-01')")
    refused = page.request.get(app_url + page.get_attribute("#tally-download", "href"))
    assert refused.status == 400 and "must end on or after" in refused.text()

    # Statements at another day of the year: the page reads them again, with no error.
    first = page.get_attribute("#fy-as-of", "min")
    page.fill("#fy-as-of", first)
    page.wait_for_selector(f"#fy-summary:has-text('{first[8:10]}-{first[5:7]}-{first[:4]}')")
    assert page.locator("#accounts-error").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    shot(page, "accountant-reports-first-day-1440")
    assert errors == [], errors
    context.close()
