"""Text people type is shown as text, everywhere it is shown (issue 7, item 2).

Reflex renders state through React, which escapes text; the risk is a page that bypasses it
(raw HTML) or a server-rendered download (the printable statement, CSV exports) that forgets to
encode. The browser journey in tests/browser/test_journeys.py shows a `<script>` member name as
text on the group page; these tests cover every other page and the downloads.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

import reflex as rx

from luckychit_app.db import transaction
from luckychit_app.services.access import Actor
from luckychit_app.services.people import members
from tests.security.conftest import AppDatabase, TestClient
from tests.security.world import World

SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("http://evil.example","Paid")'
RAW_HTML_MARKERS = ("dangerouslySetInnerHTML",)


def _rendered(component: Any) -> str:
    return json.dumps(component.render(), default=str)


def test_no_page_renders_raw_html(app: Any) -> None:
    """No page of the app puts HTML from anywhere (state or literal) into the DOM unescaped."""
    with app.set_contexts():
        assert any(m in _rendered(rx.html("<b>control</b>")) for m in RAW_HTML_MARKERS), "detector works"
        offenders = []
        for route, page in sorted(app._unevaluated_pages.items()):
            component = page.component() if callable(page.component) else page.component
            text = _rendered(component)
            offenders += [f"{route}: {m}" for m in RAW_HTML_MARKERS if m in text]
    assert not offenders, offenders


def test_downloads_encode_member_text(app_db: AppDatabase, world: World) -> None:
    """The printable statement escapes HTML; CSV exports defuse spreadsheet formulas."""
    from luckychit_app.api.routes import api

    tx = partial(transaction, app_db.engine)
    foreman = Actor(world.a.foreman_id, "foreman", "Ramesh Kumar")
    for name, mobile in ((SCRIPT_NAME, "9555500101"), (FORMULA_NAME, "9555500102")):
        with tx() as s:
            members.add_member(s, actor=foreman, group_id=world.a.forming_group, name=name, mobile=mobile)
    with TestClient(api) as client:
        client.cookies.set("lc_session", world.token("foreman"))
        statement = client.get(f"/api/reports/{world.a.forming_group}/statement")
        assert statement.status_code == 200
        assert SCRIPT_NAME not in statement.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in statement.text
        assert "text/html" in statement.headers["content-type"]
        csv_text = client.get(f"/api/reports/{world.a.forming_group}/members.csv").text
        assert "'=HYPERLINK" in csv_text
        assert not any(
            cell.startswith(("=", "+", "@")) for line in csv_text.splitlines() for cell in line.split(",")
        )
    app_db.reset()
