"""A chit company's day through the real production build (issue 23): the owner invites a collection
agent and gives him a member on the desktop; the agent signs in on a phone, collects cash in two taps
and hands it over with denominations; the owner counts it in and sees it on the company's dashboard."""

from __future__ import annotations

import re

import pytest

from luckychit_app.seeding.demo import (
    CLERK_MOBILE,
    DEMO_PASSWORD,
    FOREMAN_MOBILE,
    MADURAI_AGENT_MOBILE,
    MANAGER_MOBILE,
)
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in

pytestmark = pytest.mark.browser

AGENT = ("Karthik Subramani", "9000000098")
MEMBER_LABEL = "Anjali Gupta · 9000000019"  # lucky ticket 9 (Main branch), owes month 4
AGENT_PASSWORD = "field-agent-42"


def _watch_console(page: object) -> list[str]:
    """Console errors and uncaught page errors: either is a defect even when the test passes."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _fits(page: object, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page is wider than the window"


def test_owner_invites_an_agent_who_collects_and_hands_over_cash(app_url, browser):
    owner = browser.new_page(viewport=DESKTOP)
    owner_errors = _watch_console(owner)
    sign_in(owner, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    owner.wait_for_url(re.compile(r".*/f/?$"))
    owner.locator("a[href='/f/company']:visible").first.click()
    owner.wait_for_selector("#invite-submit")

    # 1. The owner invites the agent into the Main branch and reads the one-time password once.
    owner.fill("#invite-name", AGENT[0])
    owner.fill("#invite-mobile", AGENT[1])
    owner.select_option("#invite-role", "agent")
    owner.select_option("#invite-branch", label="Main branch")
    owner.click("#invite-submit")
    owner.wait_for_selector("#invite-password-value")
    one_time = owner.inner_text("#invite-password-value").strip()
    assert len(one_time) >= 8
    owner.wait_for_selector(f".staff-row:has-text('{AGENT[0]}')")

    # ... and gives him a member of the Main branch to collect from.
    owner.select_option("#assign-branch", label="Main branch")
    owner.wait_for_selector(f"#assign-member option:has-text('{MEMBER_LABEL}')", state="attached")
    owner.select_option("#assign-member", label=MEMBER_LABEL)
    owner.wait_for_selector(f"#assign-agent option:has-text('{AGENT[0]}')", state="attached")
    owner.select_option("#assign-agent", label=AGENT[0])
    owner.click("#assign-submit")
    owner.wait_for_selector(f".assignment-row:has-text('Anjali Gupta'):has-text('{AGENT[0]}')")
    _fits(owner, DESKTOP["width"])
    shot(owner, "company-invite-1440")

    # 2. The agent signs in on his phone, sets his own password and lands on today's list.
    agent = browser.new_page(viewport=PHONE)
    agent_errors = _watch_console(agent)
    sign_in(agent, app_url, AGENT[1], one_time)
    agent.wait_for_url(re.compile(r".*/change-password/?$"))
    agent.fill("#current", one_time)
    agent.fill("#new", AGENT_PASSWORD)
    agent.fill("#confirm", AGENT_PASSWORD)
    agent.click("#save-password")
    agent.wait_for_url(re.compile(r".*/s/?$"))
    agent.wait_for_selector(".desk-row")
    rows = agent.locator(".desk-row")
    assert rows.count() >= 1 and all("Anjali Gupta" in t for t in rows.all_inner_texts())
    assert (
        agent.locator(".desk-row a.desk-whatsapp").first.get_attribute("href").startswith("https://wa.me/91")
    )
    _fits(agent, PHONE["width"])
    shot(agent, "agent-today-390")

    # Tap 1 opens the sheet with the amount; tap 2 records it. ₹5,000 in cash.
    rows.first.locator("button[id^='collect-']").click()
    agent.wait_for_selector("#collect-sheet")
    agent.fill("#collect-amount", "5000")
    agent.click("#collect-method-cash")
    agent.click("#collect-submit")
    agent.wait_for_selector("#collect-result")
    result = agent.inner_text("#collect-result")
    assert "MAIN/" in result and "₹5,000" in result
    shot(agent, "agent-collected-390")
    receipt_href = agent.get_attribute("#collect-receipt", "href")
    assert re.search(r"/receipts/\d+$", receipt_href)

    # 3. Cash in hand, handed to the owner as ten ₹500 notes.
    agent.goto(f"{app_url}/s/cash")
    agent.wait_for_selector("#cash-in-hand")
    assert "₹5,000" in agent.inner_text("#cash-in-hand")
    owner_option = agent.locator("#handover-to option").filter(has_text="Ramesh Kumar").first
    agent.select_option("#handover-to", owner_option.get_attribute("value"))
    agent.fill("#denom-500", "10")
    agent.wait_for_function("document.querySelector('#handover-total').innerText.includes('5,000')")
    agent.click("#handover-submit")
    agent.wait_for_selector("#my-handover")
    assert "₹5,000" in agent.inner_text("#my-handover")
    _fits(agent, PHONE["width"])
    shot(agent, "agent-handover-390")

    # 4. The owner counts the notes in; the agent then holds nothing.
    owner.goto(f"{app_url}/s/cash")
    owner.wait_for_selector("#waiting-for-you [id^='handover-']")
    card = owner.locator("#waiting-for-you [id^='handover-']").filter(has_text=AGENT[0]).first
    card.locator("[id='count-500']").fill("10")
    card.locator("button[id^='confirm-']").click()
    owner.wait_for_function(
        "document.querySelector('#cashbook-handovers').innerText.toLowerCase().includes('confirmed')"
    )
    assert owner.locator("#waiting-for-you [id^='handover-']").filter(has_text=AGENT[0]).count() == 0
    _fits(owner, DESKTOP["width"])
    shot(owner, "owner-cash-1440")
    agent.reload()
    agent.wait_for_selector("#cash-in-hand")
    assert "₹0" in agent.inner_text("#cash-in-hand")

    # 5. The company dashboard shows the agent's collection today and the Madurai agent's cash.
    owner.goto(f"{app_url}/f/company")
    owner.wait_for_selector(f"#agent-rows .agent-row:has-text('{AGENT[0]}')")
    agent_row = owner.locator("#agent-rows .agent-row").filter(has_text=AGENT[0]).first.inner_text()
    assert "₹5,000" in agent_row
    assert owner.locator("#branch-rows .branch-row").filter(has_text="Madurai").count() == 1
    assert owner.locator("#agent-rows .agent-row").filter(has_text="Anand Pillai").count() == 1
    _fits(owner, DESKTOP["width"])
    shot(owner, "company-dashboard-1440")

    assert owner_errors == [], owner_errors
    assert agent_errors == [], agent_errors
    owner.close()
    agent.close()


def test_an_agent_on_the_phone_sees_only_his_members_and_no_foreman_page(app_url, browser):
    page = browser.new_page(viewport=PHONE)
    errors = _watch_console(page)
    sign_in(page, app_url, MADURAI_AGENT_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/s/?$"))
    page.wait_for_selector(".desk-row")
    assert all("Weavers Auction Chit" in t for t in page.locator(".desk-row").all_inner_texts())
    page.goto(f"{app_url}/f/company")
    page.wait_for_url(re.compile(r".*/s/?$"))
    page.goto(f"{app_url}/s/cash")
    page.wait_for_selector("#cash-in-hand")
    assert "₹0" not in page.inner_text("#cash-in-hand")  # today's demo collection is still his
    _fits(page, PHONE["width"])
    shot(page, "agent-cash-390")
    assert errors == [], errors
    page.close()


def test_a_branch_manager_sees_his_branch_on_the_phone(app_url, browser):
    page = browser.new_page(viewport=PHONE)
    errors = _watch_console(page)
    sign_in(page, app_url, MANAGER_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/s/?$"))
    page.wait_for_selector(".desk-row")  # the whole Main branch's dues, not only one agent's
    assert all("Diwali Lucky Chit 2026" in t for t in page.locator(".desk-row").all_inner_texts())
    page.locator("#staff-nav a[href='/s/branch']").click()
    page.wait_for_selector("#branch-rows .branch-row")
    branches = page.locator("#branch-rows .branch-row").all_inner_texts()
    assert len(branches) == 1 and "Main branch" in branches[0]
    # The branch's books: every group of Main, each with its CSV files and statement to download.
    books = page.locator("#books .books-row")
    # Main runs the lucky group, the forming one and the closed Pongal group (issue 15).
    assert books.count() == 3 and "Weavers" not in page.inner_text("#books")
    href = books.first.locator("a.export-link").first.get_attribute("href")
    download = page.request.get(f"{app_url}{href}")
    assert download.status == 200 and download.headers["content-type"].startswith("text/csv")
    _fits(page, PHONE["width"])
    shot(page, "manager-branch-390")
    assert errors == [], errors
    page.close()


def test_a_clerk_adds_a_member_with_the_address_an_agent_needs(app_url, browser):
    page = browser.new_page(viewport=PHONE)
    errors = _watch_console(page)
    sign_in(page, app_url, CLERK_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/s/?$"))
    page.locator("#staff-nav a[href='/s/members']").click()
    page.wait_for_selector("#roster-group")
    page.click("#roster-group")
    page.locator(".roster-group-option").filter(has_text="New Year Savings 2027").first.click()
    page.wait_for_function("document.querySelector('#roster-group-name').innerText.includes('New Year')")
    page.wait_for_selector("#add-submit")
    page.fill("#add-name", "Thenmozhi Arasu")
    page.fill("#add-mobile", "9000000097")
    page.fill("#add-address", "7, Vellalar St, T. Nagar, Chennai")
    page.click("#add-submit")
    page.wait_for_selector("#otp")
    page.wait_for_selector(".roster-row:has-text('Thenmozhi Arasu')")
    assert "Vellalar St" in page.locator(".roster-row").filter(has_text="Thenmozhi Arasu").first.inner_text()
    _fits(page, PHONE["width"])
    shot(page, "clerk-members-390")
    assert errors == [], errors
    page.close()
