"""The Act's paperwork through the production build (issue 19, items 5-7): the demo foreman opens a
group's Paperwork tab, downloads the chit agreement (PDF), records its filing with the Registrar and
a security deposit; the demo member opens their own group's agreement on a 390×844 phone and
downloads it. The foreman's group is built through the services beside the demo data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlmodel import select

from luckychit_app.db import make_engine, transaction
from luckychit_app.models import ForemanSecurity, RegistrarFiling, Ticket, User
from luckychit_app.seeding.demo import DEMO_PASSWORD, FOREMAN_MOBILE, MEMBER_MOBILE
from luckychit_app.services.people.auth import actor_for_user
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in
from tests.services.helpers import active_group

pytestmark = pytest.mark.browser


@pytest.fixture
def paper_group(app_db_url: str) -> Iterator[tuple[partial, int]]:
    engine = make_engine(app_db_url)
    tx = partial(transaction, engine)
    with tx() as s:
        boss = actor_for_user(s, s.exec(select(User.id).where(User.mobile == FOREMAN_MOBILE)).one())
    group_id, _ = active_group(tx, boss, tickets=2, name="Paperwork Chit", chit_value="50,000")
    yield tx, group_id
    engine.dispose()


def test_the_foreman_downloads_the_agreement_and_records_a_filing_and_the_deposit(
    app_url, browser, paper_group
):
    tx, group_id = paper_group
    page = browser.new_context(viewport=DESKTOP).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.goto(f"{app_url}/f/groups/{group_id}")
    page.get_by_role("tab", name="Paperwork").click()
    page.wait_for_selector("#agreement-pdf")
    with page.expect_download() as saved:
        page.click("#agreement-pdf")
    assert saved.value.suggested_filename == "chit-agreement-paperwork-chit.pdf"
    assert Path(saved.value.path()).read_bytes().startswith(b"%PDF-")

    page.fill("#paper-draw_time", "10:30")
    page.fill("#paper-draw_place", "12 Anna Salai, Chennai")
    page.click("#particulars-save")
    page.wait_for_selector("text=Agreement particulars saved.")

    page.select_option("#paper-kind", "agreement")
    page.fill("#paper-filed_on", "2025-12-20")
    page.fill("#filing-reference", "REG/2025/88")
    page.click("#filing-save")
    page.wait_for_selector("text=Filing recorded.")
    page.locator(".filing-row", has_text="REG/2025/88").wait_for()

    page.select_option("#paper-form", "cash")
    page.fill("#paper-amount", "25,000")
    page.fill("#security-reference", "FD 4411")
    page.fill("#paper-deposited_on", "2025-12-15")
    page.click("#security-save")
    page.wait_for_selector("text=Security recorded.")
    page.locator(".security-row", has_text="FD 4411").wait_for()
    shot(page, "paperwork-foreman")
    with tx() as s:
        assert s.exec(
            select(RegistrarFiling).where(RegistrarFiling.group_id == group_id)
        ).one().reference == ("REG/2025/88")
        assert (
            s.exec(select(ForemanSecurity).where(ForemanSecurity.group_id == group_id)).one().amount
            == 2_500_000
        )
    assert errors == []


def test_a_member_reads_their_agreement_on_a_phone(app_url, browser, app_db_url):
    engine = make_engine(app_db_url)
    with transaction(engine) as s:
        group_id = s.exec(
            select(Ticket.group_id)
            .join(User, User.id == Ticket.member_id)
            .where(User.mobile == MEMBER_MOBILE)
        ).first()
    engine.dispose()
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, app_url, MEMBER_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.locator(".group-agreement").first.wait_for()
    page.goto(f"{app_url}/m/agreement/{group_id}")
    page.wait_for_selector("#agreement")
    assert page.locator(".agreement-particular").count() == 12
    assert "s.6(1)(h)" in page.inner_text("#agreement")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the agreement scrolls sideways at 390px ({width}px)"
    with page.expect_download() as saved:
        page.click("#agreement-download")
    assert Path(saved.value.path()).read_bytes().startswith(b"%PDF-")
    shot(page, "paperwork-member-390")
