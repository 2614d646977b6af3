"""Every member screen in Tamil, Telugu, Kannada and Malayalam on a 390×844 phone (issue 18): the
demo member switches the language on the profile page (the text changes at once, no reload), then
home, payments and passbook, pay, draws, a draw's page, profile, queries, notifications, a receipt
and the verify page are each checked for a page wider than the window, a console error, an English
tab label or page label left over, the page's own words in the language, and the fonts Chromium drew
them in (a Tamil word once came out as empty boxes in a font with one of its letters, Noto Sans
Grantha: assets/typography.css names each script's font); each is photographed
into test-artifacts/languages-<lang>-<page>.png to be looked at. The member is English again after."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from luckychit_app.db import make_engine, transaction
from luckychit_app.i18n import STRINGS, text
from luckychit_app.locales import BY_CODE
from luckychit_app.models import User
from luckychit_app.seeding.demo import DEMO_PASSWORD, MEMBER_MOBILE
from tests.browser.conftest import PHONE, Ids, shot, sign_in
from tests.browser.test_route_sweep import TOO_WIDE, _console, _settle

pytestmark = pytest.mark.browser

REGIONAL = ("ta", "te", "kn", "ml")
NAV_KEYS = ("nav.home", "nav.payments", "nav.draws", "nav.profile")
SCRIPT_FONTS = {
    "Noto Sans Devanagari",
    "Noto Sans Tamil",
    "Noto Sans Telugu",
    "Noto Sans Kannada",
    "Noto Sans Malayalam",
}
"""The fonts with a whole script each (Debian fonts-noto-core), as typography.css names them."""
LATIN_FONTS = {
    "Noto Sans",
    "Liberation Sans",
    "DejaVu Sans",
    "DejaVu Sans Mono",
    "Liberation Mono",
    "Noto Sans Mono",
    "Noto Color Emoji",
}
"""What Chromium on Debian draws Latin letters, digits, ₹ and code in."""
_MARK_TEXT = """() => { for (const e of document.querySelectorAll('body *')) {
  if ([...e.childNodes].some(c => c.nodeType === 3 && /[^\\x00-\\x7f]/.test(c.textContent))) {
    e.setAttribute('data-font-probe', ''); } } }"""
"""Marks each element with text of its own beyond ASCII, for `_fonts_drawn`."""


def _language_of(app_db_url: str) -> str:
    engine = make_engine(app_db_url)
    try:
        with transaction(engine) as s:
            return s.exec(select(User.language).where(User.mobile == MEMBER_MOBILE)).one()
    finally:
        engine.dispose()


def _set_language_in_db(app_db_url: str, language: str) -> None:
    engine = make_engine(app_db_url)
    try:
        with transaction(engine) as s:
            user = s.exec(select(User).where(User.mobile == MEMBER_MOBILE)).one()
            user.language = language
            s.add(user)
    finally:
        engine.dispose()


def _screens(i: Ids) -> list[tuple[str, str, tuple[str, ...]]]:
    """(slug, route, keys whose words the page shows): the member's screens and the public pages a
    member reaches from them."""
    return [
        ("home", "/m", ("home.total_due", "home.my_groups")),
        ("payments", "/m/payments", ("payments.mine", "passbook.title")),
        ("pay", f"/m/pay/{i.ticket}", ("pay.amount_label", "pay.online")),
        ("draws", "/m/draws", ("draws.verify",)),
        ("draw", f"/m/draws/{i.draw}", ("draws.verify_this", "draws.prize")),
        ("profile", "/m/profile", ("profile.language", "profile.my_queries", "profile.save_kyc")),
        ("queries", "/m/queries", ("queries.ask", "queries.send")),
        ("notifications", "/m/notifications", ("nav.notifications",)),
        ("receipt", f"/receipts/{i.payment}", ("receipt.title", "receipt.from", "receipt.method")),
        ("verify", f"/verify/{i.draw}", ("verify.header", "verify.check_any")),
    ]


def _choose(page, app_url: str, language: str, current: str) -> None:
    """Pick `language` on the profile page; the tabs change language without a reload."""
    page.goto(f"{app_url}/m/profile")
    page.wait_for_selector("#save-kyc")
    # A fresh load first paints the default (English) state: wait for this member's, then choose.
    page.wait_for_selector(f"#bottom-nav >> text={text(current, 'nav.home')}")
    page.wait_for_selector(".device-row")
    marker = page.evaluate("window.__same_page = Math.random()")
    page.get_by_role("radio", name=BY_CODE[language].native).click()
    page.wait_for_selector(f"#bottom-nav >> text={text(language, 'nav.home')}")
    assert page.evaluate("window.__same_page") == marker, "the page reloaded to change language"


def _fonts_drawn(page) -> dict[str, int]:
    """Glyphs drawn per font family on the page, as Chromium's layout reports them (DevTools
    CSS.getPlatformFontsForNode): a font in the wrong script is seen here, not in the DOM's text."""
    page.evaluate(_MARK_TEXT)
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root["nodeId"], "selector": "[data-font-probe]"})
        glyphs: dict[str, int] = {}
        for node in nodes["nodeIds"]:
            for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                glyphs[font["familyName"]] = glyphs.get(font["familyName"], 0) + font["glyphCount"]
        return glyphs
    finally:
        cdp.detach()


def _check(page, language: str, slug: str, keys: tuple[str, ...]) -> list[str]:
    where = f"{language} {slug}"
    wanted = [text(language, key) for key in keys]
    page.wait_for_function(
        "words => words.every(w => document.body.innerText.includes(w))", arg=wanted, timeout=15_000
    )
    _settle(page)
    problems = [f"{where}: wider than the window: {', '.join(w)}" for w in [page.evaluate(TOO_WIDE)] if w]
    body = page.inner_text("body")
    english = [text("en", key) for key in keys if text("en", key) not in wanted]
    problems += [f"{where}: English left: {e!r}" for e in english if e in body]
    if page.locator("#bottom-nav").count():
        tabs = page.inner_text("#bottom-nav")
        left = [text("en", key) for key in NAV_KEYS if re.search(rf"\b{text('en', key)}\b", tabs)]
        problems += [f"{where}: English tab {e!r}" for e in left]
        problems += [
            f"{where}: tab {w!r} missing" for w in (text(language, k) for k in NAV_KEYS) if w not in tabs
        ]
    problems += [
        f"{where}: a key shown: {k}"
        for k in STRINGS
        if re.search(rf"(?<![\w.]){re.escape(k)}(?![\w.])", body)
    ]
    drawn = _fonts_drawn(page)
    script = BY_CODE[language].pdf_font.replace("NotoSans", "Noto Sans ")
    if script not in drawn:
        problems.append(f"{where}: nothing drawn in {script}: {drawn}")
    problems += [f"{where}: drawn in {font!r}" for font in set(drawn) - SCRIPT_FONTS - LATIN_FONTS]
    shot(page, f"languages-{language}-{slug}")
    return problems


def test_every_member_screen_in_each_regional_language(app_url, app_db_url, browser, ids: Ids):
    before = _language_of(app_db_url)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    console = _console(page)
    problems: list[str] = []
    try:
        sign_in(page, app_url, MEMBER_MOBILE, DEMO_PASSWORD)
        page.wait_for_url(re.compile(r".*/m/?$"))
        current = before
        for language in REGIONAL:
            _choose(page, app_url, language, current)
            current = language
            assert _language_of(app_db_url) == language
            for slug, route, keys in _screens(ids):
                page.goto(app_url + route)
                problems += _check(page, language, slug, keys)
    finally:
        context.close()
        _set_language_in_db(app_db_url, before)  # as the other browser tests expect
    assert not problems + console, "\n".join(problems + console)
