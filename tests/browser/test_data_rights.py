"""A member's data rights on the phone (issue 21; DPDP Act 2023 s.11, s.12): the profile page's "My
data" card downloads one archive of the member's own data, and erasure is refused with its reasons
while the member still holds tickets in running groups (the demo member does), nothing changed."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from luckychit_app.seeding.demo import DEMO_PASSWORD, MEMBER_MOBILE
from tests.browser.conftest import PHONE, shot, sign_in

pytestmark = pytest.mark.browser


def test_the_member_downloads_their_data_and_sees_why_erasure_waits(app_url, browser):
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, app_url, MEMBER_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.goto(f"{app_url}/m/profile")
    page.wait_for_selector("#download-my-data")
    page.wait_for_selector("#erase-blockers")
    assert page.locator("#erase-my-data").is_disabled()
    blockers = page.inner_text("#erase-blockers")
    assert "not closed yet" in blockers and "Weavers Auction Chit" in blockers, blockers
    page.locator("#download-my-data").scroll_into_view_if_needed()
    shot(page, "member-my-data-390")

    with page.expect_download() as saved:
        page.click("#download-my-data")
    assert saved.value.suggested_filename.endswith(".zip")
    with open(saved.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    assert "README.txt" in names, names
    profile_file = next(n for n in names if n.startswith("profile"))
    profile = json.loads(archive.read(profile_file))
    assert MEMBER_MOBILE in json.dumps(profile), profile
    assert any(n.startswith("payments") for n in names) and any(n.startswith("tickets") for n in names)
    # Nobody else's data: the archive names no other demo member's mobile.
    text = "".join(archive.read(n).decode("utf-8", "replace") for n in names if not n.endswith(".pdf"))
    assert "9000000012" not in text  # another member of the same groups
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    assert not errors, errors
    page.close()
