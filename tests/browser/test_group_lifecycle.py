"""A chit group's life through the real production build at 1440×900 (issue 15): the foreman removes
a defaulter whose notice ran out and seats a substitute (Chit Funds Act s.28-s.30), transfers a
ticket, closes a finished group and downloads a member's no-dues certificate, and cancels a group
that never started. The groups are the demo foreman's own, built through the services beside the
demo data so that no other journey's figures move."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

import pytest
from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.db import make_engine, transaction
from luckychit_app.models import Payout, Ticket, User
from luckychit_app.seeding.demo import DEMO_PASSWORD, FOREMAN_MOBILE
from luckychit_app.services.money import payouts
from luckychit_app.services.people.auth import actor_for_user
from tests.browser.conftest import DESKTOP, shot, sign_in
from tests.services.groups.substitution_helpers import declare, defaulter_group
from tests.services.helpers import active_group, conduct, create_group, pay, pay_dues

pytestmark = pytest.mark.browser

RUPEE = 100
SUBSTITUTE = ("Kamala Devi", "9700012301")
NEW_HOLDER = ("Ravi Shankar", "9700012302")


@dataclass(frozen=True)
class Groups:
    defaulter: int  # running; ticket 1 declared in default ten days ago, arrears unpaid
    defaulter_mobile: str
    passing_mobile: str  # a ticket of the same group, not prized, that changes hands
    finished: int  # every draw held and prize paid; one member paid ₹250 ahead
    forming: int


@pytest.fixture(scope="module")
def groups(app_url: str, app_db_url: str) -> Iterator[Groups]:
    engine = make_engine(app_db_url)
    tx = partial(transaction, engine)
    with tx() as s:
        boss = actor_for_user(s, s.exec(select(User.id).where(User.mobile == FOREMAN_MOBILE)).one())
    running, tickets = defaulter_group(tx, boss, name="Lifecycle Defaulter Chit")
    declare(tx, boss, tickets[0], days_ago=10)
    finished, done = active_group(tx, boss, tickets=2, name="Lifecycle Finished Chit", chit_value="20,000")
    for month in (1, 2):
        pay_dues(tx, boss, done, month)
        conduct(tx, boss, finished)
    today = today_ist().isoformat()
    with tx() as s:
        for payout in s.exec(select(Payout).where(Payout.group_id == finished)).all():
            payouts.release_payout(
                s, actor=boss, payout_id=payout.id, method="bank", reference="NEFT-LC-1", paid_on=today
            )
    pay(tx, boss, done[1], 250 * RUPEE)  # an advance, returned at the close
    forming = create_group(tx, boss, name="Lifecycle Cancelled Chit")
    with tx() as s:
        seats = [s.get(Ticket, tid) for tid in tickets]
        holders = {t.id: (t.prized_month, s.get(User, t.member_id).mobile) for t in seats}
    passing = next(
        mobile for tid, (prized, mobile) in holders.items() if tid != tickets[0] and prized is None
    )
    yield Groups(running, holders[tickets[0]][1], passing, finished, forming)
    engine.dispose()


def _watch_console(page: object) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _fits(page: object) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"], "wider than the window"


def _foreman_on(browser: object, app_url: str, group_id: int) -> tuple[object, list[str]]:
    page = browser.new_page(viewport=DESKTOP)
    errors = _watch_console(page)
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.goto(f"{app_url}/f/groups/{group_id}")
    page.wait_for_selector("#group-name")
    return page, errors


def test_remove_a_defaulter_and_seat_a_substitute(app_url, browser, groups):
    page, errors = _foreman_on(browser, app_url, groups.defaulter)
    row = page.locator(".member-row", has_text=groups.defaulter_mobile)
    row.locator(".remove-substitute").click()
    page.wait_for_selector("#remove-reason")
    dialog = page.get_by_role("dialog")
    assert "The substitute pays now" in dialog.inner_text() and "gets back" in dialog.inner_text()
    page.fill("#remove-reason", "No payment after the notice of removal")
    dialog.get_by_role("radio").nth(1).click()  # a new person
    page.fill("#substitute-name", SUBSTITUTE[0])
    page.fill("#substitute-mobile", SUBSTITUTE[1])
    shot(page, "lifecycle-substitute-dialog-1440")
    page.click("#confirm-change")
    page.wait_for_selector("#ticket-change-notice")
    page.wait_for_selector(f".member-row:has-text('{SUBSTITUTE[1]}')")
    refunds = page.locator("#subscriber-refunds")
    refunds.wait_for()
    assert "₹" in refunds.inner_text()
    _fits(page)
    shot(page, "lifecycle-substituted-1440")
    assert errors == [], errors


def test_transfer_a_ticket(app_url, browser, groups):
    page, errors = _foreman_on(browser, app_url, groups.defaulter)
    page.locator(".member-row", has_text=groups.passing_mobile).locator(".transfer").click()
    page.wait_for_selector("#transfer-mobile")
    page.fill("#transfer-mobile", NEW_HOLDER[1])
    page.fill("#transfer-name", NEW_HOLDER[0])
    page.fill("#transfer-reason", "Passed to a cousin with the foreman's consent")
    page.click("#transfer-submit")
    page.wait_for_selector("#transfer-done")
    page.keyboard.press("Escape")
    page.wait_for_selector(f".member-row:has-text('{NEW_HOLDER[1]}')")
    assert page.locator(".member-row", has_text=groups.passing_mobile).count() == 0
    _fits(page)
    shot(page, "lifecycle-transferred-1440")
    assert errors == [], errors


def test_close_a_finished_group_and_download_a_no_dues_certificate(app_url, browser, groups):
    page, errors = _foreman_on(browser, app_url, groups.finished)
    page.wait_for_selector("#closing-panel")
    page.click("#settle-for-closing")
    refund = page.locator("#closing-panel .refund-row").first
    refund.wait_for()
    assert "₹250" in refund.inner_text()
    refund.locator("input[name='reference']").fill("NEFT-ADV-250")
    refund.locator(".pay-refund").click()
    page.wait_for_selector("#close-group")
    page.click("#close-group")
    page.click("#confirm-close")
    link = page.locator(".no-dues-link").first
    link.wait_for()
    response = page.request.get(app_url + link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert "pdf" in response.headers["content-type"]
    statement = page.request.get(app_url + page.get_attribute("#closing-statement-pdf", "href"))
    assert statement.status == 200 and statement.body().startswith(b"%PDF")
    _fits(page)
    shot(page, "lifecycle-closed-1440")
    assert errors == [], errors


def test_cancel_a_forming_group(app_url, browser, groups):
    page, errors = _foreman_on(browser, app_url, groups.forming)
    page.click("#cancel-group")
    page.fill("#cancel-reason", "Not enough members joined")
    page.click("#confirm-cancel")
    page.wait_for_selector("#cancel-group", state="detached")  # the page re-read the cancelled group
    assert "Cancelled" in page.inner_text("body")
    _fits(page)
    shot(page, "lifecycle-cancelled-1440")
    assert errors == [], errors
