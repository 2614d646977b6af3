"""Bank reconciliation (issue 19, item 10) as the foreman meets it at 1440×900: a member of a new
group claims a UPI payment with its UTR; the foreman uploads the bank statement (an HDFC-style CSV
with its heading lines, as tests/fixtures/bank/hdfc_statement.csv, dated today), sees the deposits
counted as matched and unmatched, confirms the pending UPI payment from its line and gets its
receipt; uploading the same file again adds nothing. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import pytest
from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.db import make_engine, transaction
from luckychit_app.models import Branch, Payment, User
from luckychit_app.seeding.demo import DEMO_PASSWORD, FOREMAN_MOBILE
from luckychit_app.services.money import upi
from luckychit_app.services.people.auth import actor_for_user
from tests.browser.conftest import DESKTOP, shot, sign_in, unlabelled
from tests.services.helpers import active_group, member_actor

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).parents[1] / "fixtures" / "bank" / "hdfc_statement.csv"


def _statement(utr: str) -> bytes:
    """The HDFC fixture's heading lines and columns, with today's deposits: the member's UPI
    payment (its UTR in the narration and, zero-padded, in the reference), a cash deposit nobody
    recorded, and a withdrawal."""
    lines = FIXTURE.read_text().splitlines()
    heading = next(i for i, ln in enumerate(lines) if ln.startswith("Date,"))
    day = today_ist().strftime("%d/%m/%y")
    body = [
        f'{day},UPI-ASHA-ASHA@OKAXIS-UTIB0000123-{utr}-CHIT,0000{utr},{day},,"10,000.00","1,10,000.00"',
        f'{day},CASH DEPOSIT BY - SELF - T NAGAR,0000000000000000,{day},,"777.77","1,10,777.77"',
        f'{day},ATW-512345XXXXXX1234-S1ANTN12-CHENNAI,0000000000004321,{day},"5,000.00",,"1,05,777.77"',
    ]
    return "\r\n".join([*lines[: heading + 2], *body]).encode()


def test_the_foreman_confirms_a_upi_payment_from_the_bank_statement(app_url, app_db_url, browser, tmp_path):
    engine = make_engine(app_db_url)
    tx = partial(transaction, engine)
    with tx() as s:
        boss = actor_for_user(s, s.exec(select(User.id).where(User.mobile == FOREMAN_MOBILE)).one())
        # In the Madurai branch: the Main branch's desk (the manager's journey) shows its own dues only.
        madurai = s.exec(select(Branch.id).where(Branch.code == "MDU")).one()
    _group, tickets = active_group(
        tx, boss, tickets=3, upi_vpa="ramesh.bank@okhdfcbank", name="Bank Check Chit", branch_id=str(madurai)
    )
    utr = f"6{tickets[0]:011d}"  # unique in this database: the ticket's id
    with tx() as s:
        payment_id = upi.submit_utr(
            s, actor=member_actor(tx, tickets[0]), ticket_id=tickets[0], amount="10,000", utr=utr
        ).id
    statement = tmp_path / "Acct_Statement_XX5678.csv"
    statement.write_bytes(_statement(utr))

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, app_url, FOREMAN_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/f/?$"))
    page.get_by_role("link", name="Bank", exact=True).first.click()
    page.wait_for_url(re.compile(r".*/f/bank/?$"))
    page.wait_for_selector("#bank-import")
    assert unlabelled(page) == []  # every control named (the upload's own file input is skipped)

    # Upload the statement: its deposits are counted and listed with their status.
    page.set_input_files("#bank-file input[type=file]", str(statement))
    page.click("#bank-import")
    page.wait_for_selector("#notice:has-text('Imported 3 new lines')")
    line = page.locator(".bank-line", has_text=utr)
    assert line.get_attribute("data-status") == "matched"
    assert "waiting for confirmation" in line.inner_text()
    cash = page.locator(".bank-line", has_text="CASH DEPOSIT BY - SELF")
    assert cash.first.get_attribute("data-status") == "unmatched"
    matched, unmatched = int(page.inner_text("#count-matched")), int(page.inner_text("#count-unmatched"))
    assert matched >= 1 and unmatched >= 1
    shot(page, "bank-reconciliation-imported-1440")

    # Confirm the pending UPI payment from its line: a receipt, and the line is confirmed.
    line.locator(".confirm-line").click()
    page.wait_for_selector("#notice:has-text('confirmed from the bank statement: receipt')")
    assert page.locator(".bank-line", has_text=utr).get_attribute("data-status") == "confirmed"
    assert page.locator(".bank-line", has_text=utr).locator(".confirm-line").count() == 0
    assert int(page.inner_text("#count-matched")) == matched  # a confirmed line still counts as matched
    with tx() as s:
        assert s.get(Payment, payment_id).status == "captured"
    shot(page, "bank-reconciliation-confirmed-1440")

    # The unmatched filter; then the same file again adds nothing.
    page.locator("#bank-filter").get_by_role("radio", name="Unmatched").click()
    page.wait_for_selector(f".bank-line:has-text('{utr}')", state="detached")
    assert page.locator(".bank-line[data-status='unmatched']").count() >= 1
    page.set_input_files("#bank-file input[type=file]", str(statement))
    page.click("#bank-import")
    page.wait_for_selector("#notice:has-text('Nothing new')")
    shot(page, "bank-reconciliation-reimported-1440")
    assert errors == []
    context.close()
