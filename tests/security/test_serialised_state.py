"""What the browser receives holds no secret (issue 7, item 3: serialised state).

Every page of the app is opened, as every caller (one test per caller, so the callers spread over
the xdist workers), the way a browser opens it (`hydrate_and_load`
with the session cookie: the full state snapshot, then the page's on_load handlers and everything
they chain). Everything sent back - every delta of every state and every frontend event - is
searched for:

- password hashes (the bcrypt prefix "$2b$" and every stored hash);
- session tokens other than the caller's own (its own is the cookie it already holds), and the
  stored token hashes;
- the server seed of every draw not yet revealed (decrypted from the app's database with
  luckychit_app.crypto), in hex and base64, and every stored encrypted value;
- the data keys (LUCKYCHIT_DATA_KEYS) and the test gateway's secrets;
- the plain KYC numbers (PAN, Aadhaar with and without spaces).
"""

from __future__ import annotations

import asyncio
import base64
import re
import time
from typing import Any

import pytest
from sqlmodel import Session, select

from luckychit_app.crypto import decrypt, keyring
from luckychit_app.gateways.test_gateway import install_key_secret, install_webhook_secret
from luckychit_app.models import AuthSession, ChitGroup, Draw, KycRecord, User
from luckychit_app.services.groups.months import seed_context
from tests.security.conftest import AppDatabase, run
from tests.security.harness import Driver
from tests.security.world import CALLERS, KYC_AADHAAR, KYC_ACCOUNT, KYC_PAN, World

STATS: dict[str, float] = {"pages": 0, "visits": 0, "bytes": 0, "seconds": 0.0}
PAGE_SECONDS = 3
"""Pages with a live loop (draw pages) keep sending while open; each visit lasts at most this."""
LIVE = re.compile(r"/draws/\d+/?$")
"""The pages with a live loop (a draw's page, the member's and the foreman's)."""


def _params(world: World) -> dict[str, list[str]]:
    """Values for each dynamic route segment: A's objects (incl. open, not yet revealed draws)."""
    a = world.a
    return {
        "group_id": [a.group, a.auction_group],
        "draw_id": [a.draw_open, a.auction_draw, a.draw_done],
        "ticket_id": [a.ticket],
        "payment_id": [a.payment],
        "dispute_id": [a.dispute],
        "code": [a.invite_code],
        "order": [a.order],
    }


def pages(app: Any, world: World) -> list[str]:
    """Every registered page as concrete paths."""
    params = _params(world)
    found = []
    for route in sorted(app._unevaluated_pages):
        paths = ["/" + ("" if route == "index" else route)]
        for name, values in params.items():
            if f"[{name}]" in route:
                paths = [p.replace(f"[{name}]", v) for p in paths for v in values]
        assert all("[" not in p for p in paths), f"no test value for a parameter of {route}"
        found += paths
    return found


def secrets_in(app_db: AppDatabase) -> dict[str, str]:
    """label -> secret text that must never reach a browser."""
    found: dict[str, str] = {"bcrypt prefix": "$2b$"}
    with Session(app_db.engine) as s:
        for user in s.exec(select(User)).all():
            found[f"password hash of user {user.id}"] = user.password_hash
        for row in s.exec(select(AuthSession)).all():
            found[f"token hash of session {row.id}"] = row.token_hash
        groups = {g.id: g for g in s.exec(select(ChitGroup)).all()}
        for draw in s.exec(select(Draw)).all():
            found[f"encrypted seed of draw {draw.id}"] = draw.seed_encrypted.partition(":")[2]
            if draw.revealed_at is None:
                seed = decrypt(
                    draw.seed_encrypted, context=seed_context(groups[draw.group_id].id, draw.month)
                )
                found[f"unrevealed seed of draw {draw.id} (hex)"] = seed.hex()
                found[f"unrevealed seed of draw {draw.id} (base64)"] = base64.b64encode(seed).decode()
        for record in s.exec(select(KycRecord)).all():
            for column in ("pan_encrypted", "aadhaar_encrypted", "bank_account_encrypted"):
                value = getattr(record, column, None)
                if value:
                    found[f"{column} of user {record.user_id}"] = value.partition(":")[2]
    for key_id, key in keyring()[1].items():
        found[f"data key {key_id}"] = base64.b64encode(key).decode()
        found[f"data key {key_id} (hex)"] = key.hex()
    found["PAN"] = KYC_PAN
    found["Aadhaar"] = KYC_AADHAAR
    found["Aadhaar (spaced)"] = f"{KYC_AADHAAR[:4]} {KYC_AADHAAR[4:8]} {KYC_AADHAAR[8:]}"
    found["bank account"] = KYC_ACCOUNT
    found["test gateway key secret"] = install_key_secret()
    found["test gateway webhook secret"] = install_webhook_secret()
    return {label: value for label, value in found.items() if value}


@pytest.mark.parametrize("caller", CALLERS)
def test_no_secret_reaches_any_page(app: Any, app_db: AppDatabase, world: World, caller: str) -> None:
    secrets = secrets_in(app_db)
    assert any("unrevealed seed" in label for label in secrets), "the world must have open draws"
    assert any(label.startswith("pan_encrypted") for label in secrets), "the world must hold KYC"
    paths = pages(app, world)
    leaks: list[str] = []
    seen: dict[tuple[str, str], str] = {}
    started = time.perf_counter()

    async def body() -> None:
        async with Driver(app) as driver:

            async def visit(path: str) -> None:
                client, outcome = await driver.open(
                    path, world.token(caller), load=True, timeout=PAGE_SECONDS
                )
                driver.close(client)
                if outcome.exceptions:
                    leaks.append(f"{path} as {caller} crashed: {outcome.exceptions[:1]}")
                text = outcome.serialised()
                seen[(path, caller)] = text
                STATS["visits"] += 1
                STATS["bytes"] += len(text)
                own = world.token(caller)
                for label, secret in secrets.items():
                    if secret in text:
                        leaks.append(f"{path} as {caller}: {label}")
                for other, token in world.tokens.items():
                    if token and token != own and token in text:
                        leaks.append(f"{path} as {caller}: the session token of {other}")

            for path in paths:
                if not LIVE.search(path):
                    await visit(path)
            # Pages with a live loop run for PAGE_SECONDS each: side by side, as tabs would.
            await asyncio.gather(*(visit(path) for path in paths if LIVE.search(path)))

    run(body())
    STATS["pages"] = len(paths)
    elapsed = time.perf_counter() - started
    STATS["seconds"] += elapsed
    print(
        f"\nserialised state as {caller}: {len(paths)} pages, {sum(map(len, seen.values())) / 1e6:.1f} MB "
        f"searched for {len(secrets)} secrets in {elapsed:.0f}s"
    )
    assert not leaks, "\n".join(dict.fromkeys(leaks))
    # The pages did load their data (so the search above had something to search), and public
    # values that sit next to the secrets do reach the browser.
    a = world.a
    with Session(app_db.engine) as s:
        open_draw, done_draw = s.get(Draw, int(a.draw_open)), s.get(Draw, int(a.draw_done))
    expected = {
        (f"/f/groups/{a.group}", "foreman"): "Diwali Lucky Chit 2026",
        ("/m/profile", "member"): "XXXX XXXX " + KYC_AADHAAR[-4:],
        (f"/m/draws/{a.draw_open}", "member"): open_draw.commitment,
        (f"/draws/{a.draw_done}/minutes", "member"): done_draw.server_seed_hex,
        ("/admin", "admin"): "Platform Admin",
        ("/f/company", "foreman"): "Latha Menon",
        ("/s/cash", "clerk"): "Murugan Karthik",  # his hand-over, waiting for her to count it
        ("/s/members", "clerk"): "New Year Savings 2027",
    }
    missing = [
        f"{where}: {value[:20]}"
        for where, value in expected.items()
        if where[1] == caller and value not in seen[where]
    ]
    assert not missing, f"pages did not show what they should: {missing}"
    # Writes while pages are open are expected (presence heartbeats, notifications marked read);
    # the world is reset for the next test.
    app_db.reset()
