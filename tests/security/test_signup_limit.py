"""Issue 17, item 2 (its limit): sign-up has sign-in's per-address limit. A burst of sign-ups with
registered numbers, the probe that told which numbers have accounts, is cut off after the limit:
the answers stop naming the number, and nothing is created."""

from __future__ import annotations

from typing import Any

from luckychit_app import ratelimit
from luckychit_app.i18n import text
from luckychit_app.seeding.demo import FOREMAN_MOBILE
from tests.security.conftest import AppDatabase, run
from tests.security.harness import Driver
from tests.security.world import World

LIMIT = 3


def test_signups_from_one_address_are_limited_like_signins(
    app: Any, app_db: AppDatabase, world: World, monkeypatch
) -> None:
    monkeypatch.setenv("LUCKYCHIT_RATE_SIGNUP", f"{LIMIT}/600")
    monkeypatch.setattr(ratelimit, "_local", {})
    form = {"name": "Probe", "mobile": FOREMAN_MOBILE, "password": "probe2026ok", "confirm": "probe2026ok"}

    async def body() -> list[str]:
        answers = []
        async with Driver(app) as driver:
            client, _ = await driver.open("/signup")
            for _ in range(LIMIT + 2):
                outcome = await driver.send(client, "SignupState.submit", {"form": form})
                assert not outcome.exceptions
                answers += outcome.errors()
            driver.close(client)
        return answers

    answers = run(body())
    too_many = text("en", "public.too_many")
    assert len(answers) == LIMIT + 2
    assert all(a != too_many for a in answers[:LIMIT]), answers  # within the limit: the form's answer
    assert answers[LIMIT:] == [too_many, too_many], answers
    assert not app_db.changed_tables()
