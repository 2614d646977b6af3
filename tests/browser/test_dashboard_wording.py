"""Issue 16 on the foreman's desktop (1440×900), through the production build: progress bars that
show their value with no console warning, the exact amount behind every rounded one, recent activity
with a bulk import folded into one line, chart placeholders on a first visit, counts in words
("1 draw due"), capitalised status badges, the draw console's columns, a confirmation after creating
a group, a sidebar that reaches the bottom of a long page, and the CSV exports' receipt numbers and
ledger account names. Screenshots go to test-artifacts/ to be looked at.

The groups it needs are the demo foreman's own, built through the services beside the demo data
(forming only, so no other journey's running-group figures move)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from functools import partial

import pytest
from sqlmodel import select

from luckychit_app.db import make_engine, transaction
from luckychit_app.models import User
from luckychit_app.seeding.demo import DEMO_PASSWORD, FOREMAN_MOBILE
from luckychit_app.services.people.auth import actor_for_user
from tests.browser.conftest import DESKTOP, shot, sign_in
from tests.services.helpers import add_members, create_group

pytestmark = pytest.mark.browser

IMPORTED = "Wording Import Chit"  # a forming group whose 20 members came at once (as from a CSV)
SINGULAR_BADGES = {
    "ticket overdue",
    "UPI payment to confirm",
    "join request",
    "draw due",
    "prize to release",
    "open query",
    "default or refund to handle",
}
PLURAL_SLIPS = re.compile(
    r"\b1 (draws|messages|tickets|members|payouts|queries|requests|instalments|installments|months|days)\b"
    r"|\w\(s\)"
)


@pytest.fixture(scope="module")
def imported_group(app_url: str, app_db_url: str) -> Iterator[int]:
    engine = make_engine(app_db_url)
    tx = partial(transaction, engine)
    with tx() as s:
        boss = actor_for_user(s, s.exec(select(User.id).where(User.mobile == FOREMAN_MOBILE)).one())
    group_id = create_group(tx, boss, name=IMPORTED, tickets="20", chit_value="2,00,000")
    add_members(tx, boss, group_id, 20)
    yield group_id
    engine.dispose()


def _foreman(browser, app_url):
    """A signed-in foreman's page that keeps every console error and warning it sees."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.console_lines = []
    page.on("console", lambda m: page.console_lines.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: page.console_lines.append(f"pageerror: {e}"))
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    return context, page


def _no_console_trouble(page) -> None:
    trouble = [
        line
        for line in page.console_lines
        if line.startswith(("error", "pageerror")) or "Invalid prop" in line or "Warning:" in line
    ]
    assert not trouble, trouble


def _bars_show_their_values(page, selector: str) -> list[int]:
    """Every progress bar in `selector` is determinate (Radix: data-state loading or complete, never
    the indeterminate sweep) and carries its number; returns the numbers."""
    bars = page.locator(f"{selector} [role=progressbar]")
    assert bars.count() > 0
    values = []
    for i in range(bars.count()):
        bar = bars.nth(i)
        assert bar.get_attribute("data-state") in ("loading", "complete"), bar.get_attribute("data-state")
        assert bar.get_attribute("aria-label")  # named for a screen reader
        values.append(int(bar.get_attribute("aria-valuenow")))
    return values


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def test_dashboard_bars_exact_figures_words_and_folded_activity(app_url, browser, imported_group):
    context, page = _foreman(browser, app_url)
    # A slow line for the first visit, so the chart placeholders are seen before plotly draws.
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 40, "downloadThroughput": 400_000, "uploadThroughput": 400_000},
    )
    page.goto(f"{app_url}/f")
    page.wait_for_selector("#collection-slot", timeout=60_000)
    before = "window.getComputedStyle(document.querySelector('#collection-slot'), '::before').content"
    if page.locator("#collection-slot .main-svg").count() == 0:
        assert page.evaluate(before) == '"Drawing the chart…"'
        assert page.locator("#collection-slot").bounding_box()["height"] >= 290  # the chart's room, kept
        shot(page, "foreman-dashboard-placeholder-1440")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.wait_for_selector("#collection-chart .main-svg", timeout=60_000)
    page.wait_for_selector("#outstanding-chart .main-svg")
    assert page.evaluate(before) in ("none", "normal")  # the placeholder goes once the chart is drawn

    # 1: the collection bar shows its value, the number the card prints beside it.
    (value,) = _bars_show_their_values(page, "#card-collection")
    percent = re.search(r"(\d+)%", page.inner_text("#card-collection")).group(1)
    assert value == int(percent)
    # 7: the exact figures in the card's detail and on hover, the rounded one as the heading.
    detail = page.inner_text("#collection-exact")
    assert re.fullmatch(r"₹[\d,]+ of ₹[\d,]+ due in \w+ \d{4}", detail), detail
    assert re.fullmatch(r"₹[\d.]+[KL]?", page.inner_text("#card-collection .stat-value").strip())
    hover = page.get_attribute("#card-collection .stat-value", "title")
    assert re.fullmatch(r"₹[\d,]+ collected of ₹[\d,]+ due", hover), hover
    # The outstanding chart's bars carry the exact amount, not "₹24.44K".
    labels = page.locator("#outstanding-chart .bartext").all_text_contents()  # SVG text
    assert labels and all(re.fullmatch(r"₹[\d,]+(\.\d\d)?", t.strip()) for t in labels), labels
    # 10: each pending count in words that agree with it ("1 draw due", "2 draws due").
    badges = page.locator(".pending-badge").all_inner_texts()
    assert badges
    for badge in badges:
        count, words = badge.strip().split(" ", 1)
        assert (count == "1") == (words in SINGULAR_BADGES), badge
    # 8: the twenty joins are one line, and the demo's draw results are still in the feed.
    feed = page.inner_text("#activity")
    assert f"20 members joined {IMPORTED}" in feed
    assert (
        page.locator(".activity-item:has-text('joined with ticket'):has-text('" + IMPORTED + "')").count()
        == 0
    )
    line = page.locator(f".activity-item:has-text('20 members joined {IMPORTED}') a")
    assert line.get_attribute("title").endswith("and 15 more")
    assert re.search(r"(Draw|Auction) for month \d+", feed)
    assert not PLURAL_SLIPS.search(page.inner_text("body"))
    _fits(page)
    shot(page, "foreman-dashboard-wording-1440")
    _no_console_trouble(page)
    context.close()


def test_groups_and_collections_lists(app_url, browser, imported_group):
    context, page = _foreman(browser, app_url)
    page.goto(f"{app_url}/f/groups")
    page.wait_for_selector(".group-row")
    _bars_show_their_values(page, "#groups-table")
    # Capitalised badges, and a forming group says "Forming" once (no stage repeating it).
    row = page.locator(f".group-row:has-text('{IMPORTED}')")
    assert row.inner_text().count("Forming") == 1
    badges = page.locator("#groups-table .rt-Badge").all_inner_texts()
    assert badges and all(b[:1].isupper() for b in badges if b), badges
    running = page.locator(".group-row:has-text('Diwali Lucky Chit 2026')")
    assert re.fullmatch(r"₹[\d,]+ of ₹[\d,]+", running.locator("[title]").first.get_attribute("title"))
    # 24: the filter's controls are found by their labels.
    page.get_by_label("Name", exact=True).fill("Wording")
    page.get_by_label("Status", exact=True).click()
    page.get_by_role("option", name="Forming").click()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_function("document.querySelectorAll('.group-row').length === 1")
    assert IMPORTED in page.inner_text("#groups-table")
    _fits(page)
    shot(page, "foreman-groups-wording-1440")

    page.goto(f"{app_url}/f/collections")
    page.wait_for_selector(".overdue-row")
    (value,) = _bars_show_their_values(page, "body")
    exact = page.inner_text("#collection-exact")
    assert exact.startswith(f"{value}% collected: ₹") and re.search(r"₹[\d,]+ of ₹[\d,]+$", exact), exact
    assert re.search(r"\b\d+ tickets?\b", page.inner_text("body"))
    assert not PLURAL_SLIPS.search(page.inner_text("body"))
    _fits(page)
    shot(page, "foreman-collections-wording-1440")
    _no_console_trouble(page)
    context.close()


def test_sidebar_reaches_the_bottom_of_a_long_page(app_url, browser, imported_group):
    context, page = _foreman(browser, app_url)
    page.goto(f"{app_url}/f/members")
    page.wait_for_selector(".directory-row >> nth=20")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page_height = page.evaluate("document.documentElement.scrollHeight")
    assert page_height > DESKTOP["height"] + 200  # a long page
    box = page.evaluate(
        "(() => { const r = document.querySelector('#sidebar').getBoundingClientRect();"
        " return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY}; })()"
    )
    assert box["top"] <= 0 and box["bottom"] >= page_height - 1, (box, page_height)
    # The links stay in view at the bottom of the page.
    assert page.locator("#sidebar a[href='/f/groups']").is_visible()
    assert page.locator("#logout").is_visible()
    shot(page, "foreman-members-long-1440")
    context.close()


def test_new_group_is_confirmed_and_the_draw_console_columns_differ(app_url, browser, imported_group):
    context, page = _foreman(browser, app_url)
    page.goto(f"{app_url}/f/groups/new")
    page.wait_for_selector("#create-group")
    page.fill("#name", "Wording Confirmation Chit")
    page.fill("#chit_value", "30,000")
    page.fill("#tickets", "3")
    page.click("#create-group")
    page.wait_for_url(re.compile(r".*/f/groups/\d+/?$"))
    page.wait_for_selector("#notice:has-text('created')")
    assert "Wording Confirmation Chit" in page.inner_text("#notice")
    shot(page, "foreman-group-created-1440")

    # The Settings tab's name box shows the whole name.
    page.get_by_role("tab", name="Settings").click()
    name_box = page.locator("#settings-name")
    name_box.wait_for()
    assert name_box.evaluate("el => el.scrollWidth <= el.clientWidth"), "the name box cuts the name"

    # A running demo group's open draw: Status is the ticket's own, Eligibility whether it is in.
    page.goto(f"{app_url}/f/actions")
    page.wait_for_selector("#actions-payouts")
    draw_link = page.locator("a[href^='/f/draws/']").first
    draw_link.wait_for()
    page.goto(app_url + draw_link.get_attribute("href"))
    page.wait_for_selector(".eligibility-row")
    rows = page.locator(".eligibility-row")
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td, th").all_inner_texts()
        status, eligibility = cells[2].strip(), cells[3].strip()
        assert status in ("Active", "Pending", "Suspended", "Removed"), cells
        assert eligibility == "Eligible" or eligibility.startswith("Not eligible"), cells
        assert status != eligibility
    assert not PLURAL_SLIPS.search(page.inner_text("body"))
    _fits(page)
    shot(page, "foreman-draw-columns-1440")
    _no_console_trouble(page)
    context.close()


def test_exports_print_receipts_and_accounts_readably(app_url, browser, imported_group):
    context, page = _foreman(browser, app_url)
    page.goto(f"{app_url}/f/groups")
    page.click("text=Diwali Lucky Chit 2026")
    page.wait_for_url(re.compile(r".*/f/groups/\d+/?$"))
    group_id = page.url.rstrip("/").rsplit("/", 1)[1]
    payments = page.request.get(f"{app_url}/api/reports/{group_id}/payments.csv")
    assert payments.status == 200
    receipts = [r[0] for r in csv.reader(io.StringIO(payments.text()))][1:]
    assert receipts and all(re.fullmatch(r"[A-Z0-9]+/\d{6}", r) for r in receipts if r), receipts[:5]
    ledger = list(
        csv.reader(io.StringIO(page.request.get(f"{app_url}/api/reports/{group_id}/ledger.csv").text()))
    )
    assert ledger[0][4:6] == ["Account", "Account id"]
    names = {row[4] for row in ledger[1:]}
    assert "Diwali Lucky Chit 2026 — cash" in names  # accounts named for people (issue 19, item 11)
    assert any(re.fullmatch(r".+ — Diwali Lucky Chit 2026 ticket \d+ \(dues receivable\)", n) for n in names)
    assert not any(n.startswith(("ticket:", "group:", "foreman:")) for n in names)
    assert any(row[5].startswith("ticket:") for row in ledger[1:])  # the id stays for reconciling
    context.close()
