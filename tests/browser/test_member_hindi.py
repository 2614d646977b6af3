"""Every member screen in Hindi on a 390×844 phone: home, payments and passbook, pay (with a
handler's error and the test gateway's checkout), draws, a live draw page, verify, a receipt,
queries and notifications. Uses a demo member no other browser test signs in as, and switches
back to English at the end."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlmodel import select

from luckychit_app.db import make_engine, transaction
from luckychit_app.models import ChitGroup, Ticket, User
from luckychit_app.seeding.demo import DEMO_PASSWORD, FOREMAN_MOBILE
from luckychit_app.services.access import Actor
from luckychit_app.services.money import offline_payments
from tests.browser.conftest import PHONE, shot, sign_in

pytestmark = pytest.mark.browser

HINDI_MEMBER = "9000000012"  # Arjun Nair: ticket 2 in both demo groups, owes month 2 of the auction
AUCTION = "Weavers Auction Chit"


def _body(page) -> str:
    return page.inner_text("body")


def _hindi(page, name: str, present: list[str], absent: list[str]) -> None:
    """The page shows these Hindi labels and none of these English ones; screenshot it."""
    # A page's state from an earlier visit shows first; wait for this load's (Hindi) data.
    with contextlib.suppress(PlaywrightTimeout):  # the asserts below then say which label is missing
        page.wait_for_function(
            "labels => labels.every(l => document.body.innerText.includes(l))", arg=present, timeout=15_000
        )
    text = _body(page)
    for label in present:
        assert label in text, f"{name}: {label!r} missing"
    leftovers = [label for label in absent if label in text]
    assert leftovers == [], f"{name}: English left over: {leftovers}"
    shot(page, f"member-hindi-{name}-390")


def _foreman_records_cash(app_db_url: str, rupees: str) -> None:
    engine = make_engine(app_db_url)
    try:
        with transaction(engine) as s:
            boss = s.exec(select(User).where(User.mobile == FOREMAN_MOBILE)).one()
            member = s.exec(select(User).where(User.mobile == HINDI_MEMBER)).one()
            ticket = s.exec(
                select(Ticket)
                .join(ChitGroup, ChitGroup.id == Ticket.group_id)
                .where(Ticket.member_id == member.id, ChitGroup.name == AUCTION)
            ).one()
            offline_payments.record_offline_payment(
                s, actor=Actor(boss.id, "foreman"), ticket_id=ticket.id, amount=rupees, method="cash"
            )
    finally:
        engine.dispose()


def _language_of(app_db_url: str, mobile: str) -> str:
    engine = make_engine(app_db_url)
    try:
        with transaction(engine) as s:
            return s.exec(select(User.language).where(User.mobile == mobile)).one()
    finally:
        engine.dispose()


def _set_language(page, app_url: str, radio: str, nav_label: str, current_label: str) -> None:
    page.goto(f"{app_url}/m/profile")
    page.wait_for_selector("#save-kyc")
    # The first paint of a fresh load is the default (English) state: wait for this member's state
    # before choosing, or a click on the already-selected default would change nothing.
    page.wait_for_selector(f"#bottom-nav >> text={current_label}")
    page.wait_for_selector(".device-row")
    page.get_by_role("radio", name=radio).click()
    page.wait_for_selector(f"#bottom-nav >> text={nav_label}")


def test_every_member_screen_in_hindi(app_url, app_db_url, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, app_url, HINDI_MEMBER, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.wait_for_selector(".my-group")
    _set_language(page, app_url, "हिन्दी", "होम", "Home")
    assert _language_of(app_db_url, HINDI_MEMBER) == "hi"
    try:
        _walk_every_screen(page, app_url, app_db_url)
    finally:
        _set_language(page, app_url, "English", "Home", "होम")
        context.close()
    assert _language_of(app_db_url, HINDI_MEMBER) == "en"  # left as the other tests expect


def _walk_every_screen(page, app_url: str, app_db_url: str) -> None:
    nav = ["होम", "भुगतान", "ड्रॉ", "प्रोफ़ाइल"]
    _hindi(page, "profile", ["प्रोफ़ाइल", "भाषा", "मेरे सवाल", "पासवर्ड बदलें", *nav], ["My queries", "Save KYC"])

    page.goto(f"{app_url}/m")
    page.wait_for_selector(".my-group")
    _hindi(
        page,
        "home",
        ["अभी कुल देय", "मेरे समूह", "अभी भुगतान करें", "नीलामी", "टिकट"],
        ["Total due now", "My groups", "Pay now", "Ticket", "Lucky draw", "Month"],
    )

    page.goto(f"{app_url}/m/payments")
    page.wait_for_selector(".ticket-due")
    page.wait_for_selector(".passbook-line")
    _hindi(
        page,
        "payments",
        ["भुगतान", "मेरे भुगतान", "पासबुक", "अभी देय", "रसीद", "की किस्त", "नकद"],
        ["My payments", "Passbook", "due now", "Pay now", "Receipt", "installment", "Cash", "Received"],
    )

    # A receipt of one of the member's payments.
    page.locator(".my-payment a", has_text="रसीद").first.click()
    page.wait_for_selector("#receipt")
    _hindi(
        page,
        "receipt",
        ["भुगतान रसीद", "किससे प्राप्त", "माध्यम", "← वापस", "रुपये", "मात्र"],
        ["Payment receipt", "Received from", "Method", "Back", "installment", "Rupees"],
    )

    # Pay: Hindi labels, a handler's error in Hindi, the test checkout, and the failed-payment notice.
    page.goto(f"{app_url}/m/payments")
    page.locator(".ticket-due", has_text=AUCTION).locator(".pay-now").click()
    page.wait_for_selector("#pay-total")
    _hindi(
        page,
        "pay",
        ["भुगतान की राशि (₹)", "अभी ऑनलाइन भुगतान करें", "अभी देय, सबसे पुराना पहले", "महीना"],
        ["Pay online now", "Amount to pay", "Due now", "Month", "late fee"],
    )
    due = page.input_value("#pay-amount")
    page.fill("#pay-amount", "0")
    page.click("#pay-online")
    page.wait_for_selector("text=राशि ₹0 से अधिक होनी चाहिए")
    assert "must be more than" not in _body(page)
    page.fill("#pay-amount", due)
    page.click("#pay-online")
    page.wait_for_url(re.compile(r".*/pay/test-checkout/.+"))
    page.wait_for_selector("#test-pay-failure")
    _hindi(
        page,
        "checkout",
        ["LuckyChit टेस्ट गेटवे", "विफल भुगतान का अभ्यास करें", "रद्द करें और वापस जाएँ", "टिकट 2 की किस्त"],
        ["Simulate a failed payment", "Cancel and go back", "Demo mode", "installment"],
    )
    page.click("#test-pay-failure")
    page.wait_for_url(re.compile(r".*/m/pay/\d+\?failed=1"))
    page.wait_for_selector("#error")
    assert "भुगतान नहीं हो पाया" in page.inner_text("#error")

    page.goto(f"{app_url}/m/draws")
    page.wait_for_selector(".draw-group")
    _hindi(
        page,
        "draws",
        ["ड्रॉ", "टिकट:", "जाँचें", "लाइव पेज खोलें", "प्रतिबद्धता"],
        ["Your ticket", "Verify", "open live page", "commitment", "Ticket"],
    )

    page.locator(".draw-group", has_text=AUCTION).locator(".open-draw").click()
    page.wait_for_url(re.compile(r".*/m/draws/\d+/?$"))
    page.wait_for_selector("#commitment")
    _hindi(
        page,
        "draw",
        ["ड्रॉ प्रतिबद्धता", "आपके टिकट", "अपना लकी वाक्य जोड़ें", "नीलामी"],
        ["Draw commitment", "Your tickets", "Add your lucky phrase", "Published", "Eligible", "unpaid"],
    )

    page.goto(f"{app_url}/m/draws")
    page.wait_for_selector(".draw-group")
    page.get_by_role("button", name="जाँचें").first.click()
    page.wait_for_url(re.compile(r".*/verify/\d+/?$"))
    page.wait_for_selector("#verdict")
    assert page.inner_text("#verdict").startswith("मान्य")
    _hindi(
        page,
        "verify",
        ["ड्रॉ की जाँच", "मान्य", "विजेता: टिकट", "कोई भी प्रमाण फ़ाइल जाँचें"],
        ["Draw verification", "Winner: ticket", "Check any proof file", "Recorded with the draw"],
    )

    page.goto(f"{app_url}/m/queries")
    page.wait_for_selector("#query-subject option", state="attached")
    assert page.locator("#query-subject option").first.inner_text().startswith("भुगतान")
    _hindi(
        page,
        "queries",
        ["मेरे सवाल", "किसी भुगतान या ड्रॉ के बारे में पूछें", "फ़ोरमैन को भेजें"],
        ["My queries", "Ask about a payment", "Send to the foreman"],
    )
    page.fill("#query-title", "ab")
    page.fill("#query-body", "The receipt month looks wrong.")
    page.click("#query-send")
    page.wait_for_selector("#error")
    assert "विषय कम से कम 3 अक्षरों का होना चाहिए" in page.inner_text("#error")

    # A notification written after the switch is in Hindi (older ones stay as they were written).
    _foreman_records_cash(app_db_url, "100")
    page.goto(f"{app_url}/m/notifications")
    page.wait_for_selector("#bottom-nav")
    _hindi(
        page,
        "notifications",
        ["सूचनाएँ", f"{AUCTION} के लिए ₹100 प्राप्त हुए", "रसीद क्रमांक", *nav],
        ["Notifications", "No notifications yet.", "₹100 received"],
    )
    assert "प्राप्त हुए" in page.locator(".notification").first.inner_text()
