"""The foreman's desktop, driven from the UI only: the dashboard and the lists its cards open, a
group built from scratch (add members one by one and from CSV, start it, record payments from the
collection grid), reminders, reports, the admin pages, and another foreman being refused.
Screenshots at 1440×900 (and the dashboard at 1024 px) go to test-artifacts/ to be looked at."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func
from sqlmodel import select

from luckychit_app.db import make_engine, transaction
from luckychit_app.models import ChitGroup, User
from luckychit_app.seeding.demo import ADMIN_MOBILE, DEMO_PASSWORD, FOREMAN_MOBILE
from tests.browser.conftest import DESKTOP, prove_mobile, shot, sign_in

pytestmark = pytest.mark.browser
GROUP = "Dashboard Journey Chit"


def _foreman(browser, app_url, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport)
    # No internet here: answer WhatsApp's click-to-chat locally so the opened tab keeps its URL.
    context.route("https://wa.me/**", lambda route: route.fulfill(body="whatsapp", content_type="text/plain"))
    page = context.new_page()
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    return context, page


def _running_groups(app_db_url: str) -> int:
    engine = make_engine(app_db_url)
    try:
        with transaction(engine) as s:
            foreman_id = s.exec(select(User.id).where(User.mobile == FOREMAN_MOBILE)).one()
            return s.exec(
                select(func.count())
                .select_from(ChitGroup)
                .where(ChitGroup.foreman_id == foreman_id, ChitGroup.status == "active")
            ).one()
    finally:
        engine.dispose()


def test_dashboard_cards_charts_and_activity(app_url, app_db_url, browser):
    context, page = _foreman(browser, app_url)
    page.wait_for_selector("#card-pending")
    names = ("card-groups", "card-members", "card-collection", "card-pending")
    cards = {c: page.inner_text(f"#{c}") for c in names}
    # The demo foreman's running groups: the demo's two and any a journey before this one started.
    active = re.search(r"Active Groups\s+(\d+)", cards["card-groups"])
    assert active and int(active.group(1)) == _running_groups(app_db_url), cards["card-groups"]
    # The demo's 20 members, and any a journey before this one added (the clerk's adds one).
    members = re.search(r"Total Members\s+(\d+)", cards["card-members"])
    assert members and int(members.group(1)) >= 20, cards["card-members"]
    collection = " ".join(cards["card-collection"].split())
    # The rounded figure, its bar's percent, then the exact figures (issue 16).
    assert re.search(r"₹[\d.]+[KL]? \d+% ₹[\d,]+ of ₹[\d,]+ due in \w+ \d{4}", collection), collection
    assert "overdue" in cards["card-pending"]
    page.wait_for_selector("#collection-chart .main-svg")
    page.wait_for_selector("#outstanding-chart .main-svg")
    assert page.locator("#collection-chart .legendtext").count() >= 2  # stacked by method + due line
    assert page.locator(".activity-item").count() >= 5
    assert re.search(r"just now|ago|yesterday|\d\d-\d\d-\d{4}", page.inner_text("#activity"))
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    shot(page, "foreman-dashboard-1440")

    page.click("#card-pending")
    page.wait_for_url(re.compile(r".*/f/actions/?$"))
    page.wait_for_selector("#actions-payouts")
    assert "Overdue dues" in page.inner_text("body")
    shot(page, "foreman-actions-1440")

    page.goto(f"{app_url}/f/collections")
    page.wait_for_selector(".overdue-row")
    first = page.locator(".overdue-row").first.inner_text()
    assert "₹" in first and re.search(r"\d\d-\d\d-\d{4}", first)
    with context.expect_page() as whatsapp:
        page.locator(".remind-whatsapp").first.click()
    opened = whatsapp.value
    opened.wait_for_load_state()
    assert opened.url.startswith("https://wa.me/91") and "text=" in opened.url
    opened.close()
    page.click("#remind-all")
    page.wait_for_selector("#notice:has-text('reminders queued')")
    shot(page, "foreman-collections-1440")

    page.goto(f"{app_url}/f/members")
    page.wait_for_selector(".directory-row")
    assert page.locator(".directory-row").count() == 25  # paged on the server
    page.click("#directory-pager .next-page")
    page.wait_for_selector("#directory-pager:has-text('26–')")
    shot(page, "foreman-members-1440")
    context.close()


def test_dashboard_is_usable_at_1024(app_url, browser):
    context, page = _foreman(browser, app_url, viewport={"width": 1024, "height": 800})
    page.wait_for_selector("#collection-chart .main-svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    assert page.locator("#card-pending").is_visible()
    shot(page, "foreman-dashboard-1024")
    context.close()


def test_build_a_group_from_the_ui(app_url, app_db_url, browser):
    context, page = _foreman(browser, app_url)
    page.locator("a[href='/f/groups/new']:visible").first.click()
    page.wait_for_selector("#create-group")
    page.fill("#name", GROUP)
    page.fill("#chit_value", "30,000")
    page.fill("#tickets", "3")
    page.click(".foreman-first-chit")  # the Act's default (s.21(1)(a)) is on: members take every seat
    page.click("#create-group")
    page.wait_for_url(re.compile(r".*/f/groups/\d+/?$"))
    group_url = page.url
    group_id = group_url.rstrip("/").rsplit("/", 1)[1]
    page.wait_for_selector("#invite-qr")

    # One member by hand: the one-time password and a WhatsApp link to send it.
    page.fill("#member-name", "Asha Rao")
    page.fill("#member-mobile", "9876500001")
    page.click("#add-member")
    page.wait_for_selector("#otp")
    assert page.get_attribute("#share-whatsapp", "href").startswith("https://wa.me/919876500001?text=")

    # Two more from CSV; the bad rows are reported with their line and reason.
    page.fill(
        "#bulk-csv",
        "name,mobile,language\nRavi Kumar,9876500002,hi\nNo Phone,12345,en\nMeena Iyer,9876500003,en\n"
        "Asha Again,9876500002,en",
    )
    page.click("#bulk-import")
    page.wait_for_selector("#bulk-summary")
    assert "2 of 4 rows added" in page.inner_text("#bulk-summary")
    errors = page.locator(".bulk-error").all_inner_texts()
    assert any("10-digit" in e and e.startswith("3") for e in errors)
    assert any("twice" in e for e in errors)
    page.wait_for_selector(".member-row >> nth=2")
    shot(page, "foreman-group-members-1440")

    page.click("#activate")
    page.wait_for_selector("#notice")
    page.wait_for_selector("text=Month 1 of 3")

    # Collections: click each member's month-1 cell and record the installment in cash.
    page.get_by_role("tab", name="Collections").click()
    page.wait_for_selector("#collection-grid .grid-cell")
    for _ in range(3):
        unpaid = "#collection-grid .grid-cell[data-month='1'][data-ticket]:not([data-ticket=''])"
        cell = page.locator(unpaid).first
        cell.click()
        page.wait_for_selector("#pay-amount")
        assert page.input_value("#pay-amount") == "10000"
        page.click("#pay-submit")
        page.wait_for_selector("#notice:has-text('Payment recorded: receipt MAIN/')")
        page.wait_for_selector("#pay-amount", state="detached")
    assert page.locator("#collection-grid .cell-paid").count() == 3
    shot(page, "foreman-group-collections-1440")

    # Reports: CSVs with the signed-in cookie; a stranger without it gets nothing.
    page.get_by_role("tab", name="Settings").click()
    page.wait_for_selector(".export-payments")
    payments = page.request.get(f"{app_url}/api/reports/{group_id}/payments.csv")
    assert payments.status == 200 and "₹10,000" in payments.text() and "Ravi Kumar" in payments.text()
    assert re.search(r"\d\d-\d\d-\d{4}", payments.text())
    members = page.request.get(f"{app_url}/api/reports/{group_id}/members.csv")
    assert members.status == 200 and "Meena Iyer" in members.text()
    stranger = browser.new_context()
    assert stranger.request.get(f"{app_url}/api/reports/{group_id}/ledger.csv").status == 401
    stranger.close()
    page.goto(f"{app_url}/api/reports/{group_id}/statement")
    page.wait_for_selector("h1")
    assert GROUP in page.inner_text("h1") and "₹30,000" in page.inner_text("body")
    shot(page, "foreman-statement-1440")

    # The dashboard shows the new payments in its activity feed.
    # (The page first shows this tab's earlier state, so wait for the reloaded feed.)
    page.goto(f"{app_url}/f")
    # Three payments recorded a moment apart are one line (issue 16).
    page.wait_for_selector("#activity .activity-item:has-text('3 payments received, ₹30,000 in all')")
    page.goto(f"{app_url}/f/groups")
    page.wait_for_selector(f".group-row:has-text('{GROUP}'):has-text('100%')")
    context.close()

    # Another foreman opening this group's page sees an error and none of its members.
    other = browser.new_context(viewport=DESKTOP)
    stranger_page = other.new_page()
    stranger_page.goto(f"{app_url}/signup")
    prove_mobile(stranger_page, app_db_url, "9876500099")
    stranger_page.fill("#name", "Other Foreman")
    stranger_page.fill("#password", "other2026x")
    stranger_page.fill("#confirm", "other2026x")
    stranger_page.click("button[type=submit]")
    stranger_page.wait_for_url(re.compile(r".*/f/?$"))
    stranger_page.goto(group_url)
    stranger_page.wait_for_selector("#error")
    assert "not allowed" in stranger_page.inner_text("#error")
    assert stranger_page.locator(".member-row").count() == 0
    assert stranger_page.request.get(f"{app_url}/api/reports/{group_id}/dues.csv").status == 403
    other.close()


def test_conduct_a_draw_and_release_the_payout(app_url, browser):
    """From the group page: the Draws tab opens the month's draw console, the foreman conducts the
    draw, and the Payouts tab leads to the prize, which is released with a bank reference."""
    context, page = _foreman(browser, app_url)
    page.goto(f"{app_url}/f/groups")
    page.click(f"text={GROUP}")
    page.wait_for_selector("#group-name")
    page.get_by_role("tab", name="Draws").click()
    page.wait_for_selector(".draw-row")
    page.locator(".draw-row:has-text('Open draw') .open-draw").first.click()
    page.wait_for_url(re.compile(r".*/f/draws/\d+/?$"))
    page.wait_for_selector("#conduct")
    assert page.locator(".eligibility-row").count() == 3
    page.click("#conduct")
    page.wait_for_selector("#draw-result", timeout=20_000)
    winner = page.inner_text("#winner-heading")
    assert re.search(r"Ticket \d+", winner), winner
    shot(page, "foreman-group-draw-1440")

    page.go_back()
    page.wait_for_selector("#group-name")
    page.get_by_role("tab", name="Payouts").click()
    page.click("#open-payments")
    page.wait_for_url(re.compile(r".*/f/groups/\d+/payments/?$"))
    page.get_by_role("tab", name=re.compile("Prizes")).click()
    card = page.locator(".prize-card").first
    card.wait_for()
    # Two installments remain for the winner: a guarantor worth 4/3 of them, then the release.
    card.locator("input[name=value]").fill("30,000")
    card.locator("input[name=description]").fill("Employer's letter")
    # A guarantor is a record (issue 15): name, mobile, relation, PAN or Aadhaar, signed date.
    card.locator("input[name=g_name]").fill("Mohan Das")
    card.locator("input[name=g_mobile]").fill("9876512399")
    card.locator("input[name=g_relation]").fill("Employer")
    card.locator("input[name=g_kyc]").fill("234123412346")
    card.locator("input[name=g_signed_on]").fill("2026-11-01")
    card.locator(".add-security").click()
    page.wait_for_selector(".prize-card:has-text('Mohan Das')")
    assert page.locator(".prize-card .security-warning").count() == 0
    card = page.locator(".prize-card").first
    card.locator("input[name=reference]").fill("NEFT0001234")
    card.locator(".release-prize").click()
    page.wait_for_selector("#notice:has-text('Prize released')")
    assert "Prize released" in page.inner_text("#notice")
    shot(page, "foreman-group-payout-1440")
    context.close()


def test_admin_pages(app_url, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, app_url, ADMIN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/admin/?$"))
    page.wait_for_selector("#platform-totals")
    assert "Foremen" in page.inner_text("#platform-totals")
    assert "sqlite" in page.inner_text("#system-health")
    page.click("#run-checks")
    page.wait_for_selector("#check-results")
    assert "Audit chain OK" in page.inner_text("#check-results")
    assert "Books balance" in page.inner_text("#check-results")
    shot(page, "admin-overview-1440")

    page.get_by_role("tab", name="Users").click()
    page.wait_for_selector(".user-row")
    row = page.locator(".user-row:has-text('Vikram Singh')")
    row.locator(".deactivate").click()
    page.fill("input[name=reason]", "Left the town")
    page.click("#confirm-deactivate")
    page.wait_for_selector("#notice")
    assert page.locator(".user-row:has-text('Vikram Singh') .activate").count() == 1
    shot(page, "admin-users-1440")

    page.get_by_role("tab", name="Audit log").click()
    page.fill("input[name=action]", "user.")
    page.click("#audit-search")
    page.wait_for_selector(".audit-row:has-text('user.deactivated')")
    assert "Left the town" in page.inner_text("#audit-table")
    shot(page, "admin-audit-1440")
    # Put things back so other journeys find the member active.
    page.get_by_role("tab", name="Users").click()
    page.locator(".user-row:has-text('Vikram Singh') .activate").click()
    page.wait_for_selector(".user-row:has-text('Vikram Singh') .deactivate")
    context.close()
