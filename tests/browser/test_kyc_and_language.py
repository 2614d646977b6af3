"""Issue 16 in the browser: a member's KYC with date of birth, bank account, IFSC and nominee, and the
foreman's review from /f/members (reject with a reason the member reads, then verify); the language
chosen before sign-in (/login, /signup, /join) becoming the new account's; and every form control of
these pages named by its label (Playwright's get_by_label), with no console error and nothing wider
than the window. Uses demo member Rahul Verma (9000000016), whom no other browser test signs in as."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.db import make_engine, transaction
from luckychit_app.models import ChitGroup, User
from luckychit_app.seeding.demo import ADMIN_MOBILE, DEMO_PASSWORD, FOREMAN_MOBILE
from tests.browser.conftest import DESKTOP, PHONE, prove_mobile, shot, sign_in, unlabelled

pytestmark = pytest.mark.browser

KYC_MEMBER = ("Rahul Verma", "9000000016")
TOO_WIDE = "() => document.documentElement.scrollWidth - window.innerWidth"


def _watch_console(page) -> list[str]:
    """Console errors and React's prop warnings of this page, as they come."""
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{page.url}: {m.text[:90]}")
            if m.type == "error" or "Warning:" in m.text or "Invalid prop" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {str(e)[:90]}"))
    return problems


def _every_control_labelled(page, where: str) -> None:
    assert unlabelled(page) == [], f"{where}: form controls without a label"
    assert page.evaluate(TOO_WIDE) <= 0, f"{where}: the page is wider than the window"


def _language_of(app_db_url: str, mobile: str) -> str:
    engine = make_engine(app_db_url)
    try:
        with transaction(engine) as s:
            return s.exec(select(User.language).where(User.mobile == mobile)).one()
    finally:
        engine.dispose()


def _invite_code(app_db_url: str, group: str) -> str:
    engine = make_engine(app_db_url)
    try:
        with transaction(engine) as s:
            return s.exec(select(ChitGroup.invite_code).where(ChitGroup.name == group)).one()
    finally:
        engine.dispose()


def test_a_language_chosen_before_sign_in_becomes_the_new_accounts(app_url, app_db_url, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = _watch_console(page)
    page.goto(f"{app_url}/login")
    page.wait_for_selector("#mobile")
    assert page.get_by_label("Mobile number", exact=True).get_attribute("id") == "mobile"
    assert page.get_by_label("Password", exact=True).get_attribute("id") == "password"
    assert page.get_by_label("Mobile number for a sign-in code").get_attribute("id") == "code-mobile"
    _every_control_labelled(page, "/login")
    page.get_by_role("radio", name="हिन्दी").click()
    page.wait_for_selector("text=मोबाइल नंबर")
    assert page.get_by_label("मोबाइल नंबर", exact=True).get_attribute("id") == "mobile"
    page.fill("#mobile", "9345600001")  # no such account: the service's error, in Hindi
    page.fill("#password", "not-a-pass-1")
    page.click("#sign-in")
    page.wait_for_selector("#error")
    assert page.inner_text("#error") == "मोबाइल नंबर या पासवर्ड गलत है।"
    shot(page, "login-hindi-390")

    # The choice is kept in this browser: the sign-up page opens in Hindi.
    page.get_by_role("link", name="फ़ोरमैन खाता बनाएँ").click()
    page.wait_for_url(re.compile(r".*/signup/?$"))
    page.wait_for_selector("text=आपका मोबाइल नंबर")
    _every_control_labelled(page, "/signup")
    prove_mobile(page, app_db_url, "9345600002")
    page.wait_for_selector("text=हमने 9345600002 पर एक संदेश भेजा है")
    _every_control_labelled(page, "/signup")
    page.get_by_label("आपका नाम").fill("Hemlata Chaturvedi")
    page.get_by_label("पासवर्ड (8+ अक्षर, एक अक्षर और एक अंक)").fill("hindi2026ok")
    page.get_by_label("पासवर्ड दोबारा लिखें").fill("hindi2026no")
    page.click("#sign-up")
    page.wait_for_selector("#error")
    assert page.inner_text("#error") == "दोनों पासवर्ड मेल नहीं खाते।"
    shot(page, "signup-hindi-390")
    page.get_by_label("पासवर्ड दोबारा लिखें").fill("hindi2026ok")
    page.click("#sign-up")
    page.wait_for_url(re.compile(r".*/f/?$"))
    assert _language_of(app_db_url, "9345600002") == "hi"
    assert problems == []
    context.close()


def test_joining_by_invite_in_hindi(app_url, app_db_url, browser):
    code = _invite_code(app_db_url, "New Year Savings 2027")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = _watch_console(page)
    page.goto(f"{app_url}/join/{code}")
    page.wait_for_selector("#join-group")
    assert page.get_by_label("Your mobile number").get_attribute("name") == "mobile"
    _every_control_labelled(page, "/join")
    page.get_by_role("radio", name="हिन्दी").click()
    page.wait_for_selector("text=सीटें बाकी")
    body = page.inner_text("body")
    assert "किस्तें, हर किस्त" in body and "seats left" not in body
    prove_mobile(page, app_db_url, "9345600003")
    assert page.get_by_label("आपका नाम").get_attribute("name") == "name"
    assert page.get_by_label("पासवर्ड दोबारा लिखें").get_attribute("name") == "confirm"
    _every_control_labelled(page, "/join")
    page.get_by_label("आपका नाम").fill("Pooja Trivedi")
    page.get_by_label("पासवर्ड (8+ अक्षर, एक अक्षर और एक अंक)").fill("join2026ok")
    page.get_by_label("पासवर्ड दोबारा लिखें").fill("join2026ok")
    shot(page, "join-hindi-390")
    page.click("#join-submit")
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.wait_for_selector("#bottom-nav >> text=होम")  # the new member's pages are in Hindi
    assert _language_of(app_db_url, "9345600003") == "hi"
    assert problems == []
    context.close()


def _member_profile(browser, app_url):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = _watch_console(page)
    sign_in(page, app_url, KYC_MEMBER[1], DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.goto(f"{app_url}/m/profile")
    page.wait_for_selector("#save-kyc")
    return context, page, problems


def _foreman_opens_the_kyc(browser, app_url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = _watch_console(page)
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.goto(f"{app_url}/f/members")
    page.wait_for_selector(".directory-row")
    page.get_by_label("KYC", exact=True).click()
    page.get_by_role("option", name="KYC to review").click()
    page.get_by_label("Search").fill(KYC_MEMBER[1])
    page.click("#directory-filter")
    page.wait_for_function(
        """name => { const rows = [...document.querySelectorAll('.directory-row')];
                     return rows.length > 0 && rows.every(r => r.innerText.includes(name)); }""",
        arg=KYC_MEMBER[0],
    )
    row = page.locator(".directory-row", has_text=KYC_MEMBER[0]).first
    row.locator(".kyc-review").click()
    page.wait_for_selector("#kyc-dialog")
    return context, page, problems


def test_member_kyc_and_the_foremans_review(app_url, browser):
    member, phone, phone_problems = _member_profile(browser, app_url)
    for label, name in (
        ("PAN", "pan"),
        ("Aadhaar", "aadhaar"),
        ("Date of birth", "date_of_birth"),
        ("Bank account number", "bank_account"),
        ("IFSC", "ifsc"),
        ("Nominee's name", "nominee_name"),
        ("Nominee's relation to you", "nominee_relation"),
        ("SMS", "notify-sms"),
    ):
        control = phone.get_by_label(label, exact=True)
        assert name in (control.get_attribute("name"), control.get_attribute("id")), label
    _every_control_labelled(phone, "/m/profile")
    # A minor is refused (Indian Majority Act 1875 s.3): nothing is saved, the boxes keep what was typed.
    minor = today_ist().replace(year=today_ist().year - 17) - timedelta(days=1)
    phone.get_by_label("PAN", exact=True).fill("ABCPE1234F")
    phone.get_by_label("Date of birth").fill(minor.isoformat())
    phone.click("#save-kyc")
    phone.wait_for_selector("#error")
    assert "18 or older" in phone.inner_text("#error")
    assert phone.get_by_label("PAN", exact=True).input_value() == "ABCPE1234F"
    phone.get_by_label("Date of birth").fill("1984-03-10")
    phone.get_by_label("Bank account number").fill("0012 3456 7890")
    phone.get_by_label("IFSC").fill("sbin0001234")
    phone.get_by_label("Nominee's name").fill("Lakshmi Verma")
    phone.get_by_label("Nominee's relation to you").select_option("spouse")
    phone.click("#save-kyc")
    phone.wait_for_selector("#bank-masked")
    assert phone.inner_text("#bank-masked") == "XXXX7890"
    assert "001234567890" not in phone.content()
    assert phone.get_by_label("PAN", exact=True).input_value() == ""  # a save clears the boxes
    shot(phone, "member-kyc-saved-390")

    foreman, desk, desk_problems = _foreman_opens_the_kyc(browser, app_url)
    assert desk.inner_text("#kyc-bank") == "XXXX7890"
    assert desk.inner_text("#kyc-ifsc") == "SBIN0001234"
    assert desk.inner_text("#kyc-nominee") == "Lakshmi Verma (Spouse)"
    assert "10-03-1984" in desk.inner_text("#kyc-dob")
    assert "001234567890" not in desk.content() and "ABCPE1234F" not in desk.content()
    _every_control_labelled(desk, "/f/members with the KYC dialog")
    shot(desk, "foreman-kyc-review-1440")
    desk.click("#kyc-reject")
    desk.wait_for_selector("#kyc-dialog-error")
    assert "Reason is required" in desk.inner_text("#kyc-dialog-error")
    desk.get_by_label("Reason for rejecting (the member sees it)").fill("The PAN does not match your card")
    desk.click("#kyc-reject")
    desk.wait_for_selector("#notice")
    assert "rejected" in desk.inner_text("#notice")
    desk.wait_for_selector("#kyc-dialog", state="detached")  # the dialog closes after the action
    shot(desk, "foreman-kyc-rejected-1440")

    phone.reload()
    phone.wait_for_selector("#kyc-review-note")
    assert "The PAN does not match your card" in phone.inner_text("#kyc-review-note")
    shot(phone, "member-kyc-rejected-390")
    phone.get_by_label("PAN", exact=True).fill("ABCPE1234F")
    phone.click("#save-kyc")
    phone.wait_for_selector("#notice")
    phone.wait_for_function("() => !document.querySelector('#kyc-review-note')")

    foreman.close()
    foreman, desk, more_problems = _foreman_opens_the_kyc(browser, app_url)
    desk.click("#kyc-verify")
    desk.wait_for_selector("#notice")
    assert "verified" in desk.inner_text("#notice")
    shot(desk, "foreman-kyc-verified-1440")
    phone.reload()
    phone.wait_for_selector("#save-kyc")
    phone.wait_for_selector("text=Verified")
    assert (phone_problems, desk_problems, more_problems) == ([], [], [])
    foreman.close()
    member.close()


def test_admin_filters_are_labelled_and_sign_in_rows_read_plainly(app_url, browser):
    page = browser.new_page(viewport=DESKTOP)
    problems = _watch_console(page)
    sign_in(page, app_url, ADMIN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/admin/?$"))
    page.wait_for_selector("#platform-totals")
    page.get_by_role("tab", name="Users").click()
    page.wait_for_selector(".user-row")
    assert page.get_by_label("Search").get_attribute("name") == "search"
    _every_control_labelled(page, "/admin users")
    page.get_by_role("tab", name="Audit log").click()
    page.get_by_label("Action").fill("auth.login")
    page.get_by_label("From").fill(today_ist().isoformat())
    page.click("#audit-search")
    page.wait_for_selector(".audit-row:has-text('auth.login')")
    _every_control_labelled(page, "/admin audit")
    table = page.inner_text("#audit-table")
    assert "{}" not in table and "Signed in with their password" in table
    shot(page, "admin-audit-sign-in-1440")
    assert problems == []
    page.close()
