"""Benchmark 2d: navigation to interactive in a real browser (Playwright driving Debian's Chromium)
against the production build on the large book.

* member home (/m) at 390x844 (a phone): interactive when the member's groups are on screen
  (`.my-group`, rendered from the home data the page's on_load fetched over the socket);
* foreman dashboard (/f) at 1440x900: interactive when the recent-activity list is on screen
  (`#activity`, the last of the dashboard's data to arrive in the same delta as the cards).

Each page is opened `--runs` times in a fresh browser context (a first visit: no cached
JavaScript) and `--runs` times more as a reload in a warm context (a returning visit). The
browser is signed in the way a real one is: the `lc_session` cookie holding a session token.
The browser's own Navigation Timing (DOM interactive, load) is reported beside.

    .venv/bin/python -m bench.browser [--runs 15]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bench import common

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PAGES = (
    ("member home", "/m", {"width": 390, "height": 844}, ".my-group", "member"),
    ("foreman dashboard", "/f", {"width": 1440, "height": 900}, "#activity", "foreman"),
)


def _tokens(database: str) -> dict[str, str]:
    common.use_bench_env(database)
    from sqlmodel import select

    from luckychit_app.db import transaction
    from luckychit_app.models import User
    from luckychit_app.services.people.auth import open_session

    with transaction() as s:
        foreman = s.exec(select(User).where(User.mobile == "9100000001")).one()
        member = s.exec(select(User).where(User.mobile == "7000000001")).one()
        return {"foreman": open_session(s, foreman, "bench"), "member": open_session(s, member, "bench")}


def _visit(page: Any, url: str, selector: str, reload: bool) -> dict[str, float]:
    started = time.perf_counter()
    if reload:
        page.reload(wait_until="commit")
    else:
        page.goto(url, wait_until="commit")
    page.wait_for_selector(selector, state="visible", timeout=60_000)
    interactive = time.perf_counter() - started
    nav = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n ? {dom: n.domInteractive, load: n.loadEventEnd} : {dom: 0, load: 0}; }"
    )
    return {"interactive": interactive, "dom_interactive": nav["dom"] / 1000, "load": nav["load"] / 1000}


def measure(server: common.Server, tokens: dict[str, str], runs: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    results = []
    shots = common.RESULTS / "screens"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, path, viewport, selector, who in PAGES:
            cookie = {
                "name": "lc_session",
                "value": tokens[who],
                "domain": "127.0.0.1",
                "path": "/",
                "sameSite": "Strict",
            }
            cold: list[dict[str, float]] = []
            for i in range(runs + 1):  # the first one warms the server's caches and is dropped
                context = browser.new_context(viewport=viewport)
                context.add_cookies([cookie])
                page = context.new_page()
                visit = _visit(page, server.url + path, selector, reload=False)
                if i:
                    cold.append(visit)
                else:
                    page.screenshot(path=str(shots / f"{who}.png"))
                context.close()
            context = browser.new_context(viewport=viewport)
            context.add_cookies([cookie])
            page = context.new_page()
            _visit(page, server.url + path, selector, reload=False)
            warm = [_visit(page, server.url + path, selector, reload=True) for _ in range(runs)]
            context.close()
            row = {
                "page": name,
                "path": path,
                "viewport": f"{viewport['width']}x{viewport['height']}",
                "first_visit": common.summary_ms([v["interactive"] for v in cold]),
                "first_visit_dom_interactive": common.summary_ms([v["dom_interactive"] for v in cold]),
                "repeat_visit": common.summary_ms([v["interactive"] for v in warm]),
                "repeat_visit_dom_interactive": common.summary_ms([v["dom_interactive"] for v in warm]),
            }
            results.append(row)
            print(
                f"{name} {row['viewport']}: first visit p50 {row['first_visit']['p50_ms']:.0f} ms "
                f"p95 {row['first_visit']['p95_ms']:.0f} ms (DOM interactive p50 "
                f"{row['first_visit_dom_interactive']['p50_ms']:.0f} ms); repeat visit p50 "
                f"{row['repeat_visit']['p50_ms']:.0f} ms p95 {row['repeat_visit']['p95_ms']:.0f} ms"
            )
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", default=common.BENCH_DB)
    parser.add_argument("--port", type=int, default=common.BASE_PORT + 10)
    parser.add_argument("--out", default="browser")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print("Debian's chromium is missing: apt-get install -y chromium")
        return 1
    database = common.db_url(args.database)
    info = common.machine()
    tokens = _tokens(database)
    started = time.perf_counter()
    with common.prod_server(
        database, workers=1, redis=True, port=args.port, frontend=True, name=args.out
    ) as srv:
        build = time.perf_counter() - started
        rows = measure(srv, tokens, args.runs)
    path = common.save(
        args.out,
        {
            "benchmark": "browser navigation to interactive",
            "command": f"python -m bench.browser --runs {args.runs}",
            "machine": info,
            "server_build_and_start_s": round(build, 1),
            "results": rows,
        },
    )
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
