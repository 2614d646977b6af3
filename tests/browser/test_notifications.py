"""The bell, its toasts and the notifications list (issue 16, items 20 and 21), on a 390×844 phone and
a 1440×900 desktop: no stack of old toasts at sign-in; one toast for what arrives, clear of the page's
title and of the tab bar, whose button opens the notification (a payment's receipt); the unread count
beside the bell, not over it; the list showing arrivals live and the count following every
mark-as-read; notifications written before a switch of language read in the new language.

Uses Vikram Singh (English) and Suresh Babu (Hindi), whom no other browser test signs in as; the
language switch is undone at the end."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from luckychit_app.db import make_engine, transaction
from luckychit_app.models import ChitGroup, Payment, Ticket, User
from luckychit_app.seeding.demo import DEMO_PASSWORD, FOREMAN_MOBILE
from luckychit_app.services.access import Actor
from luckychit_app.services.messages import disputes
from luckychit_app.services.money import offline_payments
from luckychit_app.services.people import profile
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in

pytestmark = pytest.mark.browser

MEMBER = "9000000020"  # Vikram Singh: English, 22 unread notifications in the demo data
HINDI_MEMBER = "9000000018"  # Suresh Babu: Hindi
GROUP = "Weavers Auction Chit"
TOAST = "[data-sonner-toast]"


class Foreman:
    """The foreman's side, straight through the services (as his desk would)."""

    def __init__(self, app_db_url: str) -> None:
        self.engine = make_engine(app_db_url)

    def record_cash(self, mobile: str, *amounts: str) -> list[int]:
        """Cash payments by the member, in one transaction: one notification each. Payment ids."""
        with transaction(self.engine) as s:
            boss = s.exec(select(User).where(User.mobile == FOREMAN_MOBILE)).one()
            member = s.exec(select(User).where(User.mobile == mobile)).one()
            ticket = s.exec(
                select(Ticket)
                .join(ChitGroup, ChitGroup.id == Ticket.group_id)
                .where(Ticket.member_id == member.id, ChitGroup.name == GROUP)
            ).first()
            return [
                offline_payments.record_offline_payment(
                    s, actor=Actor(boss.id, "foreman"), ticket_id=ticket.id, amount=rupees, method="cash"
                ).id
                for rupees in amounts
            ]

    def set_language(self, mobile: str, language: str) -> None:
        with transaction(self.engine) as s:
            member = s.exec(select(User).where(User.mobile == mobile)).one()
            profile.set_language(s, actor=Actor(member.id, "member"), language=language)


@pytest.fixture
def foreman_desk(app_db_url: str) -> Iterator[Foreman]:
    desk = Foreman(app_db_url)
    yield desk
    desk.engine.dispose()


def _phone(browser, app_url: str, mobile: str, viewport: dict = PHONE):
    context = browser.new_context(viewport=viewport, has_touch=viewport is PHONE)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, app_url, mobile, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.wait_for_selector(".my-group")
    return context, page, problems


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on screen"
    return box


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def _unread(page) -> str:
    return page.inner_text("#unread-count") if page.locator("#unread-count").count() else "0"


def _wait_unread(page, expected: str, timeout: int = 4000) -> None:
    page.wait_for_function(
        "n => { const e = document.querySelector('#unread-count'); return (e ? e.textContent : '0') === n }",
        arg=expected,
        timeout=timeout,
    )


def _no_overflow(page, name: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{name}: the page is {wide}px wider than the window"


def _named(page, scope: str) -> None:
    """Every control in `scope` has an accessible name (its text or aria-label)."""
    unnamed = page.eval_on_selector_all(
        f"{scope} button, {scope} a, {scope} input, {scope} select, {scope} textarea",
        """els => els
            .filter(e => !(e.getAttribute('aria-label') || e.innerText.trim()
                || (e.id && document.querySelector(`label[for="${e.id}"]`))))
            .map(e => e.outerHTML.slice(0, 120))""",
    )
    assert unnamed == [], f"controls without a name in {scope}: {unnamed}"


def test_phone_bell_toasts_and_live_list(app_url, browser, foreman_desk):
    context, page, problems = _phone(browser, app_url, MEMBER)
    # 1. Signing in with 20-odd unread notifications: the count, and no toast for any of them.
    page.wait_for_selector("#unread-count")
    page.wait_for_timeout(2500)  # two rounds of the bell's polling
    assert page.locator(TOAST).count() == 0, "old notifications raised toasts at sign-in"
    assert int(_unread(page)) >= 20
    assert not _overlap(_box(page, "#bell svg"), _box(page, "#unread-count")), "the count covers the bell"
    assert re.fullmatch(r"Notifications: \d+ unread", page.get_attribute("#bell", "aria-label"))
    _named(page, "#bell")
    shot(page, "notifications-signin-no-toasts-390")

    # 2. A payment arrives: the count goes up and one toast shows it, clear of the title and the tabs.
    before = int(_unread(page))
    (paid,) = foreman_desk.record_cash(MEMBER, "150")
    _wait_unread(page, str(before + 1))
    page.wait_for_selector(f"{TOAST} >> text=₹150 received for {GROUP}")
    page.wait_for_timeout(600)  # Sonner slides the toast in
    toast = _box(page, TOAST)
    assert not _overlap(toast, _box(page, "h1 >> text=Home")), "the toast covers the page title"
    assert not _overlap(toast, _box(page, "#bottom-nav")), "the toast covers the tab bar"
    assert toast["x"] >= 0 and toast["x"] + toast["width"] <= PHONE["width"]
    assert "Receipt no. " in page.inner_text(TOAST)
    shot(page, "notifications-live-toast-390")
    # Its button opens the payment's receipt, and that notification is read.
    page.locator(TOAST).get_by_role("button", name="Open").click()
    page.wait_for_url(re.compile(rf".*/receipts/{paid}/?$"))
    _wait_unread(page, str(before))

    # 3. Several at once: one toast that says how many, never a stack.
    page.goto(f"{app_url}/m")
    page.wait_for_selector(".my-group")
    page.wait_for_timeout(1500)
    foreman_desk.record_cash(MEMBER, "10", "20", "30")
    page.wait_for_selector(f"{TOAST} >> text=3 new notifications")
    page.wait_for_timeout(1500)
    assert page.locator(TOAST).count() == 1
    shot(page, "notifications-summary-toast-390")
    page.locator(TOAST).get_by_role("button", name="See all").click()

    # 4. The list: opening it marks everything read (the count goes at once); a new one appears at
    # the top while it is open, and the count follows "Mark all as read".
    page.wait_for_url(re.compile(r".*/m/notifications/?$"))
    page.wait_for_selector(".notification")
    _wait_unread(page, "0")
    assert page.locator(".notification.new").count() >= 3  # marked "New" for this visit
    _no_overflow(page, "list")
    shot(page, "notifications-list-390")
    (late,) = foreman_desk.record_cash(MEMBER, "40")
    page.wait_for_function(
        "t => document.querySelector('.notification').innerText.includes(t)",
        arg=f"₹40 received for {GROUP}",
        timeout=4000,
    )
    _wait_unread(page, "1")
    assert page.locator(TOAST).count() == 0, "the open list shows arrivals itself"
    _named(page, "#notification-list")
    page.click("#mark-all-read")
    _wait_unread(page, "0")
    assert page.locator("#mark-all-read").count() == 0
    # A card opens its notification: this one, the payment's receipt.
    page.locator(".notification").first.click()
    page.wait_for_url(re.compile(rf".*/receipts/{late}/?$"))

    # 5. A switch of language: the notifications written in English now read in Hindi.
    foreman_desk.set_language(MEMBER, "hi")
    try:
        page.goto(f"{app_url}/m/notifications")
        page.wait_for_selector(f".notification >> text={GROUP} के लिए ₹40 प्राप्त हुए")
        text = page.inner_text("#notification-list")
        assert f"{GROUP} के लिए ₹150 प्राप्त हुए" in text and "रसीद क्रमांक" in text
        assert "received for" not in text
        shot(page, "notifications-list-after-switch-hindi-390")
    finally:
        foreman_desk.set_language(MEMBER, "en")
    page.goto(f"{app_url}/m/notifications")
    page.wait_for_selector(f".notification >> text=₹40 received for {GROUP}")
    assert problems == [], f"console errors: {problems}"
    context.close()


def test_hindi_reader_and_desktop(app_url, browser, foreman_desk):
    """A member who reads Hindi gets the demo's notifications (stored in English) in Hindi, and a
    toast in Hindi; the list fits a desktop window too."""
    context, page, problems = _phone(browser, app_url, HINDI_MEMBER, viewport=DESKTOP)
    page.wait_for_selector("#unread-count")
    page.wait_for_timeout(2000)
    assert page.locator(TOAST).count() == 0
    assert page.get_attribute("#bell", "aria-label").startswith("सूचनाएँ: ")
    foreman_desk.record_cash(HINDI_MEMBER, "60", "70")
    page.wait_for_selector(f"{TOAST} >> text=2 नई सूचनाएँ")
    page.wait_for_timeout(600)
    assert not _overlap(_box(page, TOAST), _box(page, "#bottom-nav"))
    shot(page, "notifications-hindi-toast-1440")
    page.click("#bell")
    page.wait_for_selector(f".notification >> text={GROUP} के लिए ₹70 प्राप्त हुए")
    page.wait_for_selector(TOAST, state="detached", timeout=2000)  # the list shows what it announced
    text = page.inner_text("#notification-list")
    assert "received for" not in text and "is open" not in text, "English left in a Hindi list"
    assert "सभी को पढ़ा हुआ मानें" not in text  # opening the list marked everything read
    _no_overflow(page, "desktop list")
    shot(page, "notifications-hindi-list-1440")
    assert problems == [], f"console errors: {problems}"
    context.close()


def test_the_foremans_bell_counts_a_new_query_and_opens_it(app_url, app_db_url, browser, foreman_desk):
    """A member's query notifies the foreman: his sidebar bell counts it while the page is open, a
    toast announces it, and his notifications page lists it and opens the query."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.wait_for_selector("#foreman-bell")
    page.goto(f"{app_url}/f/notifications")  # what is there already is read, the count goes
    page.wait_for_selector("#notification-list[aria-busy=false]")  # listed: all marked read
    page.goto(f"{app_url}/f")
    page.wait_for_selector("#foreman-bell")
    expect(page.locator("#foreman-bell #unread-count")).to_have_count(0)
    with transaction(foreman_desk.engine) as s:
        member = s.exec(select(User).where(User.mobile == MEMBER)).one()
        payment = s.exec(
            select(Payment).where(Payment.payer_id == member.id, Payment.status == "captured")
        ).first()
        disputes.raise_dispute(
            s,
            actor=Actor(member.id, "member"),
            subject_type="payment",
            subject_id=payment.id,
            title="Cash not shown",
            body="I paid cash at the office; the passbook does not show it yet.",
        )
    # Read every 5 s on a foreman's tab (state/notifications.FOREMAN_POLL_SECONDS).
    expect(page.locator("#foreman-bell #unread-count")).to_have_text("1", timeout=12000)
    expect(page.locator(TOAST)).to_contain_text("Cash not shown")
    shot(page, "foreman-bell-new-query-1440")
    page.click("#foreman-bell")
    page.wait_for_url(re.compile(r".*/f/notifications/?$"))
    card = page.locator(".notification", has_text="Cash not shown").first
    expect(card).to_be_visible()
    expect(page.locator("#foreman-bell #unread-count")).to_have_count(0)  # read by opening the list
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    shot(page, "foreman-notifications-1440")
    card.click()
    page.wait_for_url(re.compile(r".*/f/disputes"))
    assert errors == []
    context.close()
