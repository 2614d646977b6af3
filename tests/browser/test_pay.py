"""Money journeys through the production build: a member pays online through the test gateway's
checkout (success and failure) and by UPI with a UTR from a phone; the foreman confirms the UPI
payment, records cash, marks a month paid, refunds, and releases a prize with security on a desktop.
Screenshots (phone 390×844, desktop 1440×900) go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from luckychit_app.seeding.demo import DEMO_PASSWORD, FOREMAN_MOBILE
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in

pytestmark = pytest.mark.browser
LUCKY = "Diwali Lucky Chit 2026"
OWES_TWO_MONTHS = "9000000017"  # ticket 7 of the lucky group skipped months 3 and 4 in the demo data
OWES_MONTH_FOUR = "9000000019"  # ticket 9 skipped month 4


def _member(browser, app_url, mobile):
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    sign_in(page, app_url, mobile, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/m/?$"))
    return context, page


def _open_pay_page(page, app_url):
    page.goto(f"{app_url}/m/payments")
    page.wait_for_selector(".ticket-due")
    page.locator(".ticket-due", has_text=LUCKY).locator(".pay-now").click()
    page.wait_for_url(re.compile(r".*/m/pay/\d+/?$"))
    page.wait_for_selector("#pay-total")


def _no_horizontal_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_member_pays_online_through_the_test_checkout(app_url, browser):
    context, page = _member(browser, app_url, OWES_TWO_MONTHS)
    page.wait_for_selector("#home-pay")
    shot(page, "pay-member-home-390")
    # One tap from home to the pay page of the most urgent due (issue 16), its amount filled in.
    page.click("#home-pay")
    page.wait_for_url(re.compile(r".*/m/pay/\d+/?$"))
    page.wait_for_selector("#pay-total")
    assert page.inner_text("body").count(LUCKY) >= 1
    home_total = page.inner_text("#pay-total")
    assert page.input_value("#pay-amount") == home_total.removeprefix("₹")  # "20,300", not "20300.00"
    page.goto(f"{app_url}/m/payments")
    page.wait_for_selector(".ticket-due")
    _no_horizontal_scroll(page, PHONE["width"])
    shot(page, "pay-payments-tab-390")
    _open_pay_page(page, app_url)
    total = page.inner_text("#pay-total")
    assert total == home_total
    assert re.fullmatch(r"₹[\d,]+(\.\d\d)?", total), total
    # Months 3 and 4 at least (another journey may have held the month 4 draw), oldest first.
    assert page.locator(".due-line").count() >= 2
    assert page.locator(".due-line").first.inner_text().startswith("Month 3")
    assert "days late" in page.locator(".due-line").first.inner_text()
    page.wait_for_selector("#upi-qr")
    href = page.get_attribute("#upi-link", "href")
    assert href.startswith("upi://pay?pa=ramesh.chits%40okaxis") and "cu=INR" in href
    _no_horizontal_scroll(page, PHONE["width"])
    shot(page, "pay-page-390")

    page.click("#pay-online")
    page.wait_for_url(re.compile(r".*/pay/test-checkout/order_\w+/?$"))
    page.wait_for_selector("#test-pay-success")
    assert page.inner_text("#checkout-amount") == total
    shot(page, "pay-test-checkout-390")
    page.click("#test-pay-success")
    page.wait_for_url(re.compile(r".*/receipts/\d+/?$"))
    page.wait_for_selector("#receipt-amount")
    assert page.inner_text("#receipt-amount") == total
    label = page.inner_text("#receipt-no").strip()
    assert re.fullmatch(r"MAIN/\d{6}", label)  # the branch series
    assert page.inner_text("#paid-confirmation") == f"Paid {total} — receipt {label}"
    assert page.locator("#bottom-nav").is_visible()
    assert "Month 3 installment" in page.inner_text("#receipt") and "Late fees" in page.inner_text("#receipt")
    _no_horizontal_scroll(page, PHONE["width"])
    shot(page, "pay-receipt-390")
    href = page.get_attribute("#receipt-pdf", "href")
    assert re.fullmatch(r"/api/receipts/\d+\.pdf", href), href
    direct = page.request.get(f"{app_url}{href}")
    assert direct.status == 200 and direct.headers["content-type"] == "application/pdf"
    assert direct.body().startswith(b"%PDF-")
    with page.expect_download() as download:
        page.click("#receipt-pdf")
    pdf = download.value
    assert pdf.suggested_filename.startswith("receipt-") and pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    assert re.search(r"/receipts/\d+/?$", page.url)  # saved; the receipt stays on screen

    page.goto(f"{app_url}/m/payments")
    # The tab may first show the list from the earlier visit: wait for the reload to bring the payment.
    expect(page.locator(".my-payment").first).to_contain_text(total)
    page.wait_for_selector(".passbook-line")
    # The payment's line says what it paid (months 3 and 4, and 5 if a journey opened it) and its receipt.
    paid_for = rf"Payment for months (3, 4|3–5) installments and late fee, receipt {re.escape(label)}"
    assert re.search(paid_for, page.inner_text("body"))
    shot(page, "pay-passbook-390")
    context.close()


def test_a_failed_checkout_leaves_the_dues_open(app_url, browser):
    context, page = _member(browser, app_url, OWES_MONTH_FOUR)
    _open_pay_page(page, app_url)
    before = page.inner_text("#pay-total")
    page.fill("#pay-amount", "1000")
    page.click("#pay-online")
    page.wait_for_url(re.compile(r".*/pay/test-checkout/order_\w+/?$"))
    page.wait_for_selector("#test-pay-failure")
    assert page.inner_text("#checkout-amount") == "₹1,000"
    page.click("#test-pay-failure")
    page.wait_for_url(re.compile(r".*/m/pay/\d+/?\?failed=1$"))
    page.wait_for_selector("#error")
    assert "nothing was charged" in page.inner_text("#error")
    assert page.inner_text("#pay-total") == before
    shot(page, "pay-failed-390")
    page.goto(f"{app_url}/m/payments")
    expect(page.locator(".my-payment").first).to_contain_text("Failed")
    context.close()


def test_upi_utr_then_the_foreman_confirms_records_cash_refunds_and_pays_a_prize(app_url, browser):
    context, page = _member(browser, app_url, OWES_MONTH_FOUR)
    _open_pay_page(page, app_url)
    owed = page.inner_text("#pay-total")
    page.fill("#utr", "12345")
    page.click("#submit-utr")
    page.wait_for_selector("text=12-digit number")
    page.fill("#utr", "4321 0987 6543")
    page.click("#submit-utr")
    page.wait_for_selector("#notice")
    assert "waiting for the foreman" in page.inner_text("#notice")
    page.wait_for_selector("#pending-upi")
    assert owed in page.inner_text("#pending-upi")
    shot(page, "pay-upi-submitted-390")
    context.close()

    desk = browser.new_context(viewport=DESKTOP)
    boss = desk.new_page()
    sign_in(boss, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    boss.wait_for_url(re.compile(r".*/f/?$"))
    boss.goto(f"{app_url}/f/groups")
    boss.click(f"text={LUCKY}")
    boss.wait_for_url(re.compile(r".*/f/groups/\d+/?$"))
    group_url = boss.url.rstrip("/")
    boss.goto(f"{group_url}/payments")
    boss.wait_for_selector("#dues-table")
    assert boss.inner_text("#payments-group") == LUCKY
    assert re.fullmatch(r"₹[\d,]+", boss.inner_text("#cash-held").strip())
    shot(boss, "pay-foreman-collect-1440")

    # The UPI queue: confirm the member's UTR.
    boss.get_by_role("tab", name=re.compile("UPI to confirm")).click()
    row = boss.locator(".upi-row", has_text="432109876543")
    shot(boss, "pay-foreman-upi-1440")
    row.locator(".confirm-upi").click()
    boss.wait_for_selector("#notice")
    assert "UPI payment confirmed: receipt" in boss.inner_text("#notice")

    # Cash for ticket 4 (partly paid in the demo), one entry.
    boss.get_by_role("tab", name="Collect").click()
    due = boss.locator(".due-row").nth(3)
    due.locator("input[name=amount]").fill("1500")
    due.locator(".record-payment").click()
    boss.wait_for_selector("#notice:has-text('Recorded ₹1,500')")

    # The overdue list with days late.
    boss.get_by_role("tab", name=re.compile("Overdue")).click()
    boss.wait_for_selector(".overdue-row")
    assert "days" in boss.locator(".overdue-row").first.inner_text()
    shot(boss, "pay-foreman-overdue-1440")

    # Refund the cash just recorded (a mistake), with its idempotency key.
    boss.get_by_role("tab", name="Receipts & refunds").click()
    boss.locator(".payment-row", has_text="₹1,500").first.locator(".refund").click()
    boss.wait_for_selector("#refund-amount")
    boss.fill("#refund-reason", "Entered against the wrong ticket")
    shot(boss, "pay-foreman-refund-1440")
    boss.click("#refund-submit")
    boss.wait_for_selector("#notice:has-text('Refund done')")

    # Prizes: security below 4/3 shows the warning; then release with the arrears kept.
    boss.get_by_role("tab", name="Prizes").click()
    card = boss.locator(".prize-card", has_text="payable").first
    card.locator("input[name=value]").fill("1000")
    card.locator("input[name=description]").fill("Brother, salaried")
    # A guarantor is a record (issue 15): name, mobile, relation, PAN or Aadhaar, signed date.
    card.locator("input[name=g_name]").fill("Suresh Sharma")
    card.locator("input[name=g_mobile]").fill("9876512345")
    card.locator("input[name=g_relation]").fill("Brother")
    card.locator("input[name=g_kyc]").fill("ABCPE1234F")
    card.locator("input[name=g_signed_on]").fill("2026-11-01")
    card.locator(".add-security").click()
    boss.wait_for_selector("#warning:has-text('below the legal cover')")
    card = boss.locator(".prize-card", has_text="payable").first
    assert card.locator(".security-warning").count() == 1
    shot(boss, "pay-foreman-prizes-1440")
    card.locator("input[name=reference]").fill("NEFT-778899")
    card.locator(".release-prize").click()
    boss.wait_for_selector("#notice:has-text('Prize released')")

    # Mark the whole month paid at once.
    boss.get_by_role("tab", name="Collect").click()
    boss.click("#mark-all")
    boss.click("#mark-all-confirm")
    boss.wait_for_selector("#notice:has-text('Marked')")
    # Every row's amount box follows what the ticket owes now (nothing, after marking all paid).
    boss.wait_for_function(
        "[...document.querySelectorAll('.due-row input[name=amount]')].every(e => e.value === '')"
    )
    shot(boss, "pay-foreman-marked-1440")
    assert boss.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    desk.close()
