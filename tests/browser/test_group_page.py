"""One group's page as a new foreman meets it (issue 16, items 2, 3, 4, 6, 24, 25), at 1440×900:

- the new-group form's controls are found by their labels, and it sets the agreement's rule on a draw
  before its date ("refuse" here);
- after "Start the group" the Members tab stops offering Add, CSV import, the invite link and Remove
  at once, without a reload, and a one-time password leaves the screen after the next action;
- the Collections tab scrolls inside its own box (the page stays 1,440 px wide), and its payment
  dialog labels each method once;
- the Draws tab and the draw console show the draw's date, and the console refuses the draw before
  it; the Pending Actions page lists the upcoming draw with its date;
- the Settings tab says "No late fee" and the early-draw rule.

Every control on these screens must have an accessible name. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
from functools import partial

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from luckychit_app.clock import format_date, today_ist
from luckychit_app.db import make_engine, transaction
from luckychit_app.domain.schedule import due_date_for
from luckychit_app.models import User
from luckychit_app.seeding.demo import DEMO_PASSWORD, FOREMAN_MOBILE
from luckychit_app.services.groups import setup
from luckychit_app.services.people.auth import actor_for_user
from tests.browser.conftest import DESKTOP, shot, sign_in, unlabelled
from tests.services.helpers import add_members, create_group, current_draw, pay_dues, ticket_ids

pytestmark = pytest.mark.browser
GROUP = "Early Draw Check Chit"

# Visible form controls that nothing names: no aria-label, no aria-labelledby, no <label> (for= or
# around). Hidden helpers (Radix's aria-hidden bubble inputs, the upload's file input) are skipped.


def _fits(page) -> None:
    """Nothing makes the page wider than the window."""
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def _draw_day() -> tuple[str, str]:
    """A draw day that puts month 1's draw after today (a group started today), and that date."""
    today = today_ist()
    day = today.day + 1 if today.day < 28 else 1
    when = due_date_for(today, 1, day, "monthly")
    assert when > today
    return str(day), format_date(when)


def test_a_group_page_from_forming_to_its_first_draw(app_url, browser):
    context = browser.new_context(viewport=DESKTOP)
    context.route("https://wa.me/**", lambda route: route.fulfill(body="whatsapp", content_type="text/plain"))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))

    # The new-group form: every control named; the early-draw rule set to "refuse".
    errors.clear()  # from here on: this screens (the dashboard's own are another check's)
    draw_day, draw_date = _draw_day()
    page.goto(f"{app_url}/f/groups/new")
    page.wait_for_selector("#create-group")
    assert unlabelled(page, "form") == []
    page.get_by_label("Group name", exact=True).fill(GROUP)
    page.get_by_label("Chit value (₹)", exact=True).fill("30,000")
    page.get_by_label("Tickets (members × months)", exact=True).fill("3")
    page.get_by_label("Draw day of month", exact=True).fill(draw_day)
    page.get_by_label("A draw before its date", exact=True).select_option("refuse")
    page.click(".foreman-first-chit")  # members take every seat
    shot(page, "group-new-form-1440")
    page.click("#create-group")
    page.wait_for_url(re.compile(r".*/f/groups/\d+/?$"))
    group_url = page.url
    page.wait_for_selector("#invite-qr")

    # Members: one by hand (its one-time password is shown once), two from CSV.
    page.get_by_label("Member name", exact=True).fill("Lata Menon")
    page.get_by_label("Mobile", exact=True).fill("9876610001")
    page.click("#add-member")
    page.wait_for_selector("#otp")
    assert unlabelled(page, "[role=tabpanel][data-state=active]") == []
    shot(page, "group-members-forming-1440")
    page.get_by_label("Search members by name or mobile", exact=True).fill("Lata")
    page.keyboard.press("Enter")
    page.wait_for_selector("#otp", state="detached")  # the next action takes the password away
    page.get_by_label("Rows to import", exact=True).fill(
        "Mohan Pillai,9876610002,en\nSita Raman,9876610003,hi"
    )
    page.click("#bulk-import")
    page.wait_for_selector("#bulk-summary:has-text('2 of 2 rows added')")
    page.get_by_label("Search members by name or mobile", exact=True).fill("")
    page.keyboard.press("Enter")
    page.wait_for_selector(".member-row >> nth=2")
    assert page.locator(".member-row .remove").count() == 3

    # Start: the adding forms, the invite, Remove and the CSV's passwords go at once, no reload.
    page.click("#activate")
    page.wait_for_selector("#invite-qr", state="detached")
    for gone in ("#member-name", "#bulk-csv", "#invite-link", "#otp", ".member-row .remove"):
        assert page.locator(gone).count() == 0, gone
    page.wait_for_selector(".member-row .suspend")  # the running group's actions instead
    _fits(page)
    shot(page, "group-members-started-1440")

    # Collections: the grid scrolls in its own box; the payment dialog names each method once.
    page.get_by_role("tab", name="Collections").click()
    page.wait_for_selector("#collection-grid .grid-cell")
    _fits(page)
    assert page.evaluate("document.getElementById('collection-grid').getBoundingClientRect().right") <= 1440
    page.locator(
        "#collection-grid .grid-cell[data-month='1'][data-ticket]:not([data-ticket=''])"
    ).first.click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    methods = dialog.locator("#pay-method").inner_text()
    assert methods.split() == ["Cash", "Bank", "transfer"], methods
    assert (
        page.get_by_label("Cash", exact=True).is_checked()
        and not page.get_by_label("Bank transfer", exact=True).is_checked()
    )
    assert page.get_by_label("Amount (₹)", exact=True).input_value() == "10000"
    assert unlabelled(page, "[role=dialog]") == []
    shot(page, "group-collections-pay-dialog-1440")
    page.get_by_label("Bank transfer", exact=True).check()
    page.get_by_label("Reference (optional)", exact=True).fill("NEFT-EARLY-1")
    page.click("#pay-submit")
    page.wait_for_selector("[role=dialog]", state="detached")
    page.wait_for_selector("#collection-grid .cell-paid")
    _fits(page)
    shot(page, "group-collections-1440")

    # Draws: month 1 with its date, refused before it by the group's agreement.
    page.get_by_role("tab", name="Draws").click()
    row = page.locator(".draw-row").first
    row.wait_for()
    assert draw_date in row.inner_text() and "Not before its date" in row.inner_text()
    shot(page, "group-draws-tab-1440")
    row.locator(".open-draw").click()
    page.wait_for_url(re.compile(r".*/f/draws/\d+/?$"))
    page.wait_for_selector("#early-draw")
    assert draw_date in page.inner_text("#draw-date")
    assert "s.16(1)" in page.inner_text("#early-draw")
    assert page.locator("#conduct").is_disabled()
    assert unlabelled(page) == []
    _fits(page)
    shot(page, "group-draw-console-early-1440")

    # Pending actions: the upcoming draw is listed with its date.
    page.goto(f"{app_url}/f/actions")
    page.wait_for_selector("#actions-draws")
    assert f"{draw_date} (in " in page.locator("#actions-draws tr", has_text=GROUP).inner_text()
    shot(page, "group-actions-upcoming-draw-1440")

    # Settings: the late fee as a sentence, the early-draw rule; the name box holds the whole name.
    page.goto(group_url)
    page.wait_for_selector("#group-name")
    page.get_by_role("tab", name="Settings").click()
    page.wait_for_selector("#settings-save")
    settings = page.get_by_role("tabpanel").inner_text()
    assert "No late fee" in settings and "Late fee\nNone" not in settings
    assert "Refused: a draw is held on or after its date" in settings
    name_box = page.get_by_label("Group name", exact=True)
    assert name_box.input_value() == GROUP
    assert name_box.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert unlabelled(page, "[role=tabpanel][data-state=active]") == []
    shot(page, "group-settings-1440")
    # Scheduled reminders (issue 18, item 4): the default days, a clear refusal, a save, tomorrow's list.
    days = page.get_by_label("Days from the due date", exact=True)
    expect(days).to_have_value("-3, 0, 3, 7")
    days.fill("soon")
    page.click("#reminders-save")
    expect(page.locator("#reminders-error")).to_contain_text("numbers separated by commas")
    days.fill("5, -2, 0")
    page.click("#reminders-save")
    expect(page.get_by_text("Reminder days saved.")).to_be_visible()
    expect(days).to_have_value("-2, 0, 5")
    expect(page.locator("#reminders-none, #reminders-tomorrow").first).to_be_visible()
    _fits(page)
    page.locator("#reminders-save").scroll_into_view_if_needed()
    shot(page, "group-settings-reminders-1440")
    assert not [e for e in errors if "Warning" in e or "Invalid prop" in e], errors
    context.close()


def test_the_early_draw_warning_lets_the_foreman_go_ahead(app_url, app_db_url, browser):
    """The default rule warns: the console names the date and the button says the draw is early;
    pressing it holds the draw. (The group is built through the services beside the demo data.)"""
    engine = make_engine(app_db_url)
    tx = partial(transaction, engine)
    with tx() as s:
        boss = actor_for_user(s, s.exec(select(User.id).where(User.mobile == FOREMAN_MOBILE)).one())
    draw_day, draw_date = _draw_day()
    group_id = create_group(tx, boss, name="Early Warning Chit", tickets="3", draw_day=draw_day)
    add_members(tx, boss, group_id, 3)
    with tx() as s:
        setup.activate_group(s, actor=boss, group_id=group_id)
    pay_dues(tx, boss, ticket_ids(tx, group_id), 1)
    draw_id = current_draw(tx, group_id).id
    engine.dispose()

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.goto(f"{app_url}/f/draws/{draw_id}")
    page.wait_for_selector("#early-draw")
    assert draw_date in page.inner_text("#draw-date") and "allows an earlier draw" in page.inner_text(
        "#early-draw"
    )
    assert page.inner_text("#conduct").strip() == "Conduct the draw early"
    _fits(page)
    shot(page, "group-draw-console-warn-1440")
    page.click("#conduct")
    page.wait_for_selector("#draw-result", timeout=20_000)
    assert page.locator("#early-draw").count() == 0
    context.close()


def test_a_long_groups_collection_grid_scrolls_inside_its_box(app_url, browser):
    """The demo's 20-month auction group: its grid is wider than the page's room, so it scrolls in
    its own box and the page stays as wide as the window."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.goto(f"{app_url}/f/groups")
    page.click("text=Weavers Auction Chit")
    page.wait_for_selector("#group-name")
    page.get_by_role("tab", name="Collections").click()
    page.wait_for_selector("#collection-grid .grid-cell")
    grid = page.locator("#collection-grid")
    assert grid.evaluate("e => e.scrollWidth > e.clientWidth")  # the months scroll sideways in the box
    assert grid.evaluate("e => e.getBoundingClientRect().right") <= DESKTOP["width"]
    _fits(page)
    shot(page, "group-collections-20-months-1440")
    grid.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    shot(page, "group-collections-20-months-scrolled-1440")
    context.close()
