"""GST on the commission through the production build at 1440×900 (issue 19): the owner enters the
company's GSTIN on the company page (a wrong one is refused with a clear message), a draw of a small
group of theirs is taxed, and the tax invoice (PDF) and the year's GST summary (CSV) download from the
same page; the branch's clerk records the members' state (Karnataka: IGST) on the roster; the draw's
minutes show the tax. The group is built through the services beside the demo
data, and the registration is taken off again after, so no other journey's prizes move."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlmodel import select, update

from luckychit_app.db import make_engine, transaction
from luckychit_app.models import Company, TaxInvoice, User
from luckychit_app.seeding.demo import CLERK_MOBILE, DEMO_PASSWORD, FOREMAN_MOBILE
from luckychit_app.services.people.auth import actor_for_user
from tests.browser.conftest import DESKTOP, shot, sign_in
from tests.services.helpers import active_group, conduct, pay_dues

pytestmark = pytest.mark.browser

GSTIN = "33ABCPE1234F1ZI"


@pytest.fixture
def taxed_group(app_db_url: str) -> Iterator[tuple[partial, object, int]]:
    engine = make_engine(app_db_url)
    tx = partial(transaction, engine)
    with tx() as s:
        boss = actor_for_user(s, s.exec(select(User.id).where(User.mobile == FOREMAN_MOBILE)).one())
    group_id, tickets = active_group(tx, boss, tickets=2, name="GST Lucky Chit", chit_value="1,00,000")
    pay_dues(tx, boss, tickets, 1)
    yield tx, boss, group_id
    with tx() as s:  # unregistered again: the other journeys' draws stay untaxed
        s.exec(
            update(Company)
            .where(Company.owner_id == boss.user_id)
            .values(gstin=None, legal_name="", gst_address="", state_code="")
        )
    engine.dispose()


def test_the_owner_registers_and_downloads_the_invoice_and_the_summary(app_url, browser, taxed_group):
    tx, boss, group_id = taxed_group
    page = browser.new_context(viewport=DESKTOP).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.goto(f"{app_url}/f/company")
    page.wait_for_selector("#gst-none")
    page.fill("#gst-gstin", "33ABCPE1234F1ZX")  # a wrong check character
    page.fill("#gst-legal-name", "Ramesh Chits Private Limited")
    page.fill("#gst-address", "12 Anna Salai, Chennai 600002")
    page.click("#gst-submit")
    page.wait_for_selector("text=This is not a valid GSTIN")
    page.fill("#gst-gstin", GSTIN)
    page.click("#gst-submit")
    page.wait_for_selector("#gst-current")
    assert GSTIN in page.inner_text("#gst-current")

    # Both members live in Karnataka: the branch's clerk records it in the roster's address dialog,
    # so the supply is inter-State (IGST).
    clerk = browser.new_context(viewport=DESKTOP).new_page()
    clerk.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(clerk, app_url, CLERK_MOBILE, DEMO_PASSWORD)
    clerk.wait_for_url(re.compile(r".*/s/?$"))
    clerk.goto(f"{app_url}/s/members")
    clerk.click("#roster-group")
    clerk.locator(".roster-group-option").filter(has_text="GST Lucky Chit").first.click()
    clerk.wait_for_function("document.querySelector('#roster-group-name').innerText.includes('GST Lucky')")
    for n in range(2):
        clerk.locator(".roster-row").nth(n).get_by_text("Edit address").click()
        clerk.fill("#address-input", f"{n + 4}, MG Road, Bengaluru")
        clerk.select_option("#address-state", "29")
        clerk.click("#address-save")
        clerk.wait_for_selector("#address-dialog", state="detached")
    shot(clerk, "gst-member-state-1440")
    clerk.context.close()

    draw = conduct(tx, boss, group_id)  # the month's draw, held now: taxed at 18 %
    with tx() as s:
        invoice = s.exec(select(TaxInvoice).where(TaxInvoice.draw_id == draw.id)).one()
    page.reload()
    link = page.locator(".tax-invoice-link", has_text=invoice.number)
    link.wait_for()
    with page.expect_download() as saved:
        link.click()
    assert saved.value.suggested_filename == f"tax-invoice-{invoice.number.replace('/', '-')}.pdf"
    assert Path(saved.value.path()).read_bytes().startswith(b"%PDF-")
    with page.expect_download() as saved:
        page.locator(".gst-summary-link", has_text=invoice.fy).click()
    rows = list(csv.reader(io.StringIO(Path(saved.value.path()).read_text(encoding="utf-8-sig"))))
    assert ["Total", "1", "5000.00", "0.00", "0.00", "900.00", "900.00"] in rows
    assert any(r[:3] == [invoice.issued_on.strftime("%b"), "Karnataka (29)", "18%"] for r in rows)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "gst-company-1440")

    page.goto(f"{app_url}/draws/{draw.id}/minutes")
    page.wait_for_selector("#minutes-winner")
    assert "₹900" in page.inner_text("body") and "GST on the commission" in page.inner_text("body")
    shot(page, "gst-minutes-1440")
    assert errors == [], errors
