"""Every route, as each kind of user meets it, in each language (issue 16's standing checks).

Foreman, admin and staff at 1440×900, members and signed-out visitors at 390×844, on the demo data.
A page fails on: a console error or React prop warning, a page or an element wider than the window,
a count that does not agree with its noun ("1 draws"), or a form control, button or link without an
accessible name (axe-core's own rules, from axe-playwright-python). Every page and every tab of a
page is photographed into test-artifacts/sweep-*.png, to be looked at, not only asserted on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlmodel import select

from luckychit_app.db import make_engine, transaction
from luckychit_app.models import User
from luckychit_app.seeding.demo import (
    ADMIN_MOBILE,
    CLERK_MOBILE,
    DEMO_PASSWORD,
    FOREMAN_MOBILE,
    MANAGER_MOBILE,
    MEMBER_MOBILE,
)
from tests.browser.conftest import DESKTOP, PHONE, Ids, shot, sign_in, unlabelled

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "hi")

# axe-core rules for things a screen reader (and Playwright's get_by_label) must be able to name.
AXE_OPTIONS = {
    "runOnly": {
        "type": "rule",
        "values": [
            "label",
            "select-name",
            "aria-input-field-name",
            "aria-toggle-field-name",
            "button-name",
            "link-name",
            "image-alt",
            "duplicate-id-aria",
        ],
    },
    "resultTypes": ["violations"],
}

# Elements sticking out past the window's right edge, unless a scrolling or clipping box that itself
# fits holds them (a wide table in its own scroller is fine; a page that scrolls sideways is not).
TOO_WIDE = """() => {
  const W = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > W) out.push('page ' + document.documentElement.scrollWidth);
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= W + 1) continue;
    let held = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible' && p.getBoundingClientRect().right <= W + 1) {
        held = true; break;
      }
    }
    if (!held) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' to ' + Math.round(r.right));
    if (out.length > 4) break;
  }
  return out;
}"""

# Form controls with no name of their own: no <label for>, aria-label or aria-labelledby. A placeholder
# (which axe accepts) is not a name: it is gone once something is typed.

# "1 draws", "1 messages": a count of one with a plural noun (words that merely end in s excluded).
NOT_PLURALS = "is|was|has|does|plus|minus|as|this|its|us|status|compares"  # "/verify/1 compares"
ONE_PLURAL = re.compile(rf"(?<![\d.,])\b1 (?!(?:{NOT_PLURALS})\b)([a-z]+s)\b")


def _routes(role: str, i: Ids) -> list[str]:
    if role == "foreman":
        return [
            "/f",
            "/f/groups",
            "/f/groups/new",
            f"/f/groups/{i.group}",
            f"/f/groups/{i.group}/payments",
            "/f/actions",
            "/f/members",
            "/f/collections",
            "/f/disputes",
            f"/f/draws/{i.draw}",
            "/f/reports",
            "/f/bank",
            "/f/company",
            "/f/notifications",
            f"/receipts/{i.payment}",
            f"/draws/{i.draw}/minutes",
            "/change-password",
        ]
    if role == "admin":
        return ["/admin", "/change-password"]
    if role == "clerk":
        return ["/s", "/s/cash", "/s/members"]
    if role == "manager":
        return ["/s/branch"]
    if role == "member":
        return [
            "/m",
            "/m/payments",
            f"/m/pay/{i.ticket}",
            "/m/draws",
            f"/m/draws/{i.draw}",
            "/m/profile",
            "/m/queries",
            f"/m/queries/{i.dispute}",
            "/m/notifications",
            f"/receipts/{i.payment}",
            f"/verify/{i.draw}",
            f"/draws/{i.draw}/minutes",
            "/change-password",
        ]
    return ["/login", "/signup", f"/join/{i.join_code}", "/verify", f"/verify/{i.draw}"]


MOBILES = {
    "foreman": FOREMAN_MOBILE,
    "admin": ADMIN_MOBILE,
    "clerk": CLERK_MOBILE,
    "manager": MANAGER_MOBILE,
    "member": MEMBER_MOBILE,
}


def _set_language(app_db_url: str, mobile: str, language: str) -> str:
    """The user's language (read at sign-in); returns the one it replaced."""
    engine = make_engine(app_db_url)
    try:
        with transaction(engine) as s:
            user = s.exec(select(User).where(User.mobile == mobile)).one()
            before, user.language = user.language, language
            s.add(user)
            return before
    finally:
        engine.dispose()


def _settle(page) -> None:
    """Until the page's text stops changing (its state has loaded over the websocket)."""
    page.wait_for_load_state("networkidle")
    last, deadline = None, time.monotonic() + 8
    while time.monotonic() < deadline:
        now = page.evaluate("document.body.innerText")
        if now == last and now.strip():
            return
        last = now
        page.wait_for_timeout(300)


def _problems(page, axe: Axe, where: str) -> list[str]:
    found = [f"{where}: wider than the window: {', '.join(w)}" for w in [page.evaluate(TOO_WIDE)] if w]
    found += [f"{where}: no label: {', '.join(u[:5])}" for u in [unlabelled(page)] if u]
    text = page.evaluate("document.body.innerText")
    found += [f"{where}: '1 {m}'" for m in sorted(set(ONE_PLURAL.findall(text)))]
    for v in axe.run(page, options=AXE_OPTIONS).response["violations"]:
        targets = " ; ".join(n["html"][:110] for n in v["nodes"][:3])
        found.append(f"{where}: axe {v['id']} ({len(v['nodes'])}): {targets}")
    return found


def _sweep(page, app_url: str, routes: list[str], tag: str) -> list[str]:
    axe, problems = Axe(), []
    for route in routes:
        page.goto(app_url + route)
        _settle(page)
        slug = re.sub(r"[^a-z0-9]+", "-", route.strip("/").lower()).strip("-") or "root"
        where = f"{tag} {route}"
        problems += _problems(page, axe, where)
        shot(page, f"sweep-{tag}-{slug}")
        tabs = page.get_by_role("tab")
        for n in range(tabs.count()):
            tab = tabs.nth(n)
            name = re.sub(r"[^a-z0-9]+", "-", tab.inner_text().strip().lower())[:20].strip("-") or str(n)
            tab.click()
            _settle(page)
            problems += _problems(page, axe, f"{where} [{name}]")
            shot(page, f"sweep-{tag}-{slug}-{name}")
    return problems


def _console(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda m: (
            seen.append(f"{page.url}: {m.text[:120]}")
            if m.type == "error" or "Warning:" in m.text or "Invalid prop" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: seen.append(f"{page.url}: {str(e)[:120]}"))
    return seen


@pytest.fixture
def context_for(browser) -> Iterator[object]:
    made = []

    def new(viewport: dict[str, int]):
        phone = viewport == PHONE
        made.append(browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone))
        return made[-1].new_page()

    yield new
    for context in made:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["foreman", "admin", "clerk", "manager", "member"])
def test_every_route_of_a_signed_in_user(app_url, app_db_url, context_for, ids, role, language):
    mobile = MOBILES[role]
    page = context_for(PHONE if role == "member" else DESKTOP)
    console = _console(page)
    before = _set_language(app_db_url, mobile, language)
    try:
        sign_in(page, app_url, mobile, DEMO_PASSWORD)
        page.wait_for_url(lambda url: "/login" not in url)
        problems = _sweep(page, app_url, _routes(role, ids), f"{role}-{language}")
    finally:
        _set_language(app_db_url, mobile, before)
    found = problems + console
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_route(app_url, context_for, ids, language):
    page = context_for(PHONE)
    console = _console(page)
    page.goto(f"{app_url}/login")
    page.wait_for_selector("#public-language")
    if language == "hi":
        page.get_by_role("radio", name="हिन्दी").click()  # kept in this browser for the pages after
    problems = _sweep(page, app_url, _routes("public", ids), f"public-{language}")
    found = problems + console
    assert not found, "\n".join(found)
