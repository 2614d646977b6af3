"""Main journeys through the real production build, as a foreman on a desktop and a member on a phone."""

from __future__ import annotations

import re

import pytest

from luckychit_app.seeding.demo import DEMO_PASSWORD, FOREMAN_MOBILE, MEMBER_MOBILE
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, prove_mobile, shot, sign_in

pytestmark = pytest.mark.browser


def test_foreman_signs_in_and_sees_demo_groups(app_url, browser):
    page = browser.new_page(viewport=DESKTOP)
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.wait_for_selector("#card-groups")  # the dashboard is the foreman's home
    page.locator("a[href='/f/groups']:visible").first.click()  # the sidebar's Groups link
    page.wait_for_selector(".group-row")
    names = page.locator(".group-row a").all_inner_texts()
    assert {
        "Diwali Lucky Chit 2026",
        "Weavers Auction Chit",
        "New Year Savings 2027",
        "Pongal Savings 2026",
    } <= set(names)
    shot(page, "foreman-groups-1440")
    page.click("text=Diwali Lucky Chit 2026")
    page.wait_for_selector(".member-row")
    # Ten seats, and the row of the defaulter removed beside their substitute (issue 15).
    assert page.locator(".member-row").count() == 11
    assert page.locator(".member-row", has_text="Divya Raghavan").count() == 1
    shot(page, "foreman-group-1440")
    page.close()


def test_member_on_phone_sees_their_groups(app_url, browser):
    page = browser.new_page(viewport=PHONE)
    sign_in(page, app_url, MEMBER_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.wait_for_selector(".my-group")
    text = page.locator("main, body").first.inner_text()
    assert page.locator(".my-group").count() == 3
    assert "Diwali Lucky Chit 2026" in text and "Weavers Auction Chit" in text
    assert page.locator("#bottom-nav").is_visible()
    # Nothing may overflow the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "member-home-390")
    page.close()


def test_member_home_offers_upi_for_what_is_due(app_url, browser):
    """Ticket 4 of the lucky group (which takes UPI) part-paid month 4: the due card carries the
    days late, a UPI deep link for the amount and its QR for another phone's UPI app."""
    page = browser.new_page(viewport=PHONE)
    sign_in(page, app_url, "9000000014", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.wait_for_selector("#home-upi-qr")
    link = page.get_attribute("#home-upi-link a, a#home-upi-link", "href")
    assert link.startswith("upi://pay?pa=ramesh.chits%40okaxis") and "&am=" in link
    assert page.locator("#home-upi-qr").evaluate("img => img.naturalWidth > 0")
    # (This member reads Hindi.)
    assert re.search(r"\d+ (days (late|left)|दिन)|due today|आज देय", page.inner_text(".my-group >> nth=0"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "member-home-upi-390")
    page.close()


def test_wrong_password_is_refused_with_a_clear_message(app_url, browser):
    page = browser.new_page(viewport=PHONE)
    sign_in(page, app_url, MEMBER_MOBILE, "wrong-password-1")
    page.wait_for_selector("#error")
    assert "incorrect" in page.inner_text("#error")
    assert "/login" in page.url
    page.close()


def test_member_cannot_open_foreman_pages(app_url, browser):
    page = browser.new_page(viewport=PHONE)
    sign_in(page, app_url, MEMBER_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.goto(f"{app_url}/f/groups/1")
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.wait_for_selector(".my-group")
    assert "Priya" in page.inner_text("body")
    assert "Ticket" in page.inner_text("body") and "Members" not in page.inner_text("body")
    page.close()


def test_foreman_creates_group_and_adds_a_member(app_url, browser):
    page = browser.new_page(viewport=DESKTOP)
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.goto(f"{app_url}/f/groups/new")
    page.wait_for_selector("#create-group")
    page.fill("#name", "Browser Test Chit")
    page.fill("#chit_value", "1,00,000")
    page.fill("#tickets", "7")
    page.click("#create-group")
    page.wait_for_selector("#error")
    assert "7" in page.inner_text("#error")  # ₹1,00,000 does not divide into 7 tickets
    shot(page, "foreman-new-group-error-1440")
    page.fill("#tickets", "5")
    page.click("#create-group")
    page.wait_for_url(re.compile(r".*/f/groups/\d+/?$"))
    page.wait_for_selector("#group-name")
    assert page.inner_text("#group-name") == "Browser Test Chit"
    page.fill("#member-name", "Asha <script>alert(1)</script>")
    page.fill("#member-mobile", "+91 98765 43210")
    page.click("#add-member")
    page.wait_for_selector("#otp")
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}\d", page.inner_text("#otp").strip())
    # Ticket 1 is the foreman's (the first chit, s.21(1)(a)); the new member's name is shown as text.
    assert "<script>" in page.locator(".member-row", has_text="Asha").first.inner_text()
    shot(page, "foreman-member-added-1440")
    page.close()


def test_new_member_must_change_the_one_time_password(app_url, browser):
    foreman = browser.new_page(viewport=DESKTOP)
    sign_in(foreman, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    foreman.wait_for_url(re.compile(r".*/f/?$"))
    foreman.goto(f"{app_url}/f/groups")
    foreman.click("text=New Year Savings 2027")
    foreman.wait_for_selector("#add-member")
    foreman.fill("#member-name", "Kiran Rao")
    foreman.fill("#member-mobile", "9123456780")
    foreman.click("#add-member")
    foreman.wait_for_selector("#otp")
    otp = foreman.inner_text("#otp").strip()
    foreman.close()

    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    sign_in(phone, app_url, "9123456780", otp)
    phone.wait_for_url(re.compile(r".*/change-password/?$"))
    phone.goto(f"{app_url}/m")  # the guard sends a must-change user back
    phone.wait_for_url(re.compile(r".*/change-password/?$"))
    phone.fill("#current", otp)
    phone.fill("#new", "kiran2026pass")
    phone.fill("#confirm", "kiran2026pass")
    phone.click("#save-password")
    phone.wait_for_url(re.compile(r".*/m/?$"))
    phone.wait_for_selector(".my-group")
    assert "New Year Savings 2027" in phone.inner_text("body")
    shot(phone, "member-first-login-390")
    context.close()


def test_sign_in_with_a_one_time_code_from_the_outbox(app_url, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{app_url}/login")
    page.wait_for_selector("#code-mobile")
    page.fill("#code-mobile", MEMBER_MOBILE)
    page.click("#send-code")
    page.wait_for_selector("#code")
    log = ARTIFACTS / "app-server.log"
    code = None
    for _ in range(40):  # the console sender prints the message within a couple of seconds
        found = re.findall(rf"to {MEMBER_MOBILE}: .*code is (\d{{6}})", log.read_text())
        if found:
            code = found[-1]
            break
        page.wait_for_timeout(250)
    assert code, "the sign-in code never reached the console sender"
    page.fill("#code", code)
    page.click("#code-sign-in")
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.wait_for_selector(".my-group")
    page.close()


def test_invite_link_sign_up_and_foreman_approval(app_url, app_db_url, browser):
    foreman = browser.new_page(viewport=DESKTOP)
    sign_in(foreman, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    foreman.wait_for_url(re.compile(r".*/f/?$"))
    foreman.goto(f"{app_url}/f/groups")
    foreman.click("text=New Year Savings 2027")
    foreman.wait_for_selector("#add-member")
    link = foreman.inner_text("#invite-link").strip()
    code = link.rsplit("/join/", 1)[1]

    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    phone.goto(f"{app_url}/join/{code}")
    phone.wait_for_selector("#join-group")
    assert phone.inner_text("#join-group") == "New Year Savings 2027"
    prove_mobile(phone, app_db_url, "9988776655")
    phone.fill("input[name=name]", "Joining Person")
    phone.fill("input[name=password]", "joinme2026")
    phone.fill("input[name=confirm]", "joinme2026")
    shot(phone, "member-join-390")
    phone.click("#join-submit")
    phone.wait_for_url(re.compile(r".*/m/?$"))
    context.close()

    foreman.reload()
    foreman.wait_for_selector("#add-member")
    foreman.wait_for_selector(".join-request:has-text('Joining Person')")
    foreman.locator(".join-request .approve").first.click()
    foreman.wait_for_selector(".member-row:has-text('Joining Person')")
    foreman.close()


def test_a_new_foreman_signs_up_and_lands_on_their_home(app_url, app_db_url, browser):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{app_url}/signup")
    prove_mobile(page, app_db_url, "9345678901")
    page.fill("#name", "Lalitha Subramanian")
    page.fill("#password", "short")
    page.fill("#confirm", "short")
    page.click("text=Create account")
    page.wait_for_selector("#error")
    assert "at least 8" in page.inner_text("#error")
    page.fill("#password", "chits2026ok")
    page.fill("#confirm", "chits2026ok")
    page.click("text=Create account")
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.wait_for_selector("#card-groups")  # the URL changes before the dashboard renders
    assert "Lalitha Subramanian" in page.inner_text("body")
    page.close()
