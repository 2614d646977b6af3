"""Benchmark 2d: navigation to interactive in a real browser (Playwright driving Debian's Chromium)
against the production build on the large book.

* member home (/m) at 390x844 (a phone): interactive when the member's groups are on screen
  (`.my-group`, rendered from the home data the page's on_load fetched over the socket);
* foreman dashboard (/f) at 1440x900: interactive when the recent-activity list is on screen
  (`#activity`, the last of the dashboard's data to arrive in the same delta as the cards); charts
  drawn when every chart slot the page shows (`.chart-slot`: the collection chart and, while any
  due is unpaid, the outstanding one) holds plotly's `.main-svg`.

Each page is opened `--runs` times in a fresh browser context (a first visit: no cached
JavaScript) and `--runs` times more as a reload in a warm context (a returning visit). The
browser is signed in the way a real one is: the `lc_session` cookie holding a session token.
The browser's own Navigation Timing (DOM interactive, load) is reported beside, and the bytes a
first visit moved over the wire (Resource Timing `transferSize`: compressed, with headers): all of
its JavaScript, and its largest file on its own (the dashboard's: the chart library).

The foreman is also signed in `--runs` times through the sign-in form in a fresh context (what a
new foreman's first visit is): from the click on "Sign in" to the dashboard's cards and to its
charts drawn (typing once the sign-in page has finished loading, as a person would).

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
# (name, path, viewport, interactive selector, who, charts drawn: wait for every `.chart-slot`'s plot)
PAGES = (
    ("member home", "/m", {"width": 390, "height": 844}, ".my-group", "member", False),
    ("foreman dashboard", "/f", {"width": 1440, "height": 900}, "#activity", "foreman", True),
)
FOREMAN_MOBILE, FOREMAN_PASSWORD = "9100000001", "bench1234"
CHARTS_DRAWN = (
    "() => { const slots = document.querySelectorAll('.chart-slot');"
    " return slots.length > 0 && [...slots].every(s => s.querySelector('.main-svg')); }"
)
# The first visit's bytes over the wire, from Resource Timing (same origin, so transferSize is given):
# all JavaScript, and the largest file on its own (on the dashboard, the chart library's chunk).
BYTES = """() => {
  const js = performance.getEntriesByType('resource').filter(r => r.name.split('?')[0].endsWith('.js'));
  const sum = (rs, k) => rs.reduce((a, r) => a + (r[k] || 0), 0);
  const big = js.reduce((a, r) => (!a || r.decodedBodySize > a.decodedBodySize ? r : a), null);
  return {js_transfer: sum(js, 'transferSize'), js_decoded: sum(js, 'decodedBodySize'),
          largest_file: big ? big.name.split('/').pop() : '', largest_transfer: big ? big.transferSize : 0,
          largest_decoded: big ? big.decodedBodySize : 0};
}"""


def _tokens(database: str) -> dict[str, str]:
    common.use_bench_env(database)
    from sqlmodel import select

    from luckychit_app.db import transaction
    from luckychit_app.models import User
    from luckychit_app.services.people.auth import open_session

    with transaction() as s:
        foreman = s.exec(select(User).where(User.mobile == FOREMAN_MOBILE)).one()
        member = s.exec(select(User).where(User.mobile == "7000000001")).one()
        return {"foreman": open_session(s, foreman, "bench"), "member": open_session(s, member, "bench")}


def _visit(page: Any, url: str, selector: str, reload: bool, charts: bool) -> dict[str, Any]:
    started = time.perf_counter()
    if reload:
        page.reload(wait_until="commit")
    else:
        page.goto(url, wait_until="commit")
    page.wait_for_selector(selector, state="visible", timeout=60_000)
    interactive = time.perf_counter() - started
    visit: dict[str, Any] = {"interactive": interactive}
    if charts:
        page.wait_for_function(CHARTS_DRAWN, timeout=60_000, polling="raf")
        visit["charts"] = time.perf_counter() - started
    nav = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n ? {dom: n.domInteractive, load: n.loadEventEnd} : {dom: 0, load: 0}; }"
    )
    visit.update(dom_interactive=nav["dom"] / 1000, load=nav["load"] / 1000)
    return visit


def _sign_in(browser: Any, url: str, shots: Path | None) -> dict[str, Any]:
    """A fresh context signs in through the form; seconds from the click to the cards and the charts."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(url + "/login")
    page.wait_for_selector("#mobile", state="visible", timeout=60_000)
    # A person reads the page and types for seconds; by then its own downloads are done.
    page.wait_for_load_state("networkidle", timeout=60_000)
    page.fill("#mobile", FOREMAN_MOBILE)
    page.fill("#password", FOREMAN_PASSWORD)
    started = time.perf_counter()
    page.click("#sign-in")
    page.wait_for_selector("#activity", state="visible", timeout=60_000)
    interactive = time.perf_counter() - started
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000, polling="raf")
    charts = time.perf_counter() - started
    if shots:
        page.screenshot(path=str(shots / "foreman-signed-in.png"))
    context.close()
    return {"interactive": interactive, "charts": charts}


def measure(server: common.Server, tokens: dict[str, str], runs: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    results = []
    shots = common.RESULTS / "screens"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, path, viewport, selector, who, charts in PAGES:
            cookie = {
                "name": "lc_session",
                "value": tokens[who],
                "domain": "127.0.0.1",
                "path": "/",
                "sameSite": "Strict",
            }
            cold: list[dict[str, Any]] = []
            wire: dict[str, Any] = {}
            for i in range(runs + 1):  # the first one warms the server's caches and is dropped
                context = browser.new_context(viewport=viewport)
                context.add_cookies([cookie])
                page = context.new_page()
                visit = _visit(page, server.url + path, selector, reload=False, charts=charts)
                if i:
                    cold.append(visit)
                else:
                    page.screenshot(path=str(shots / f"{who}.png"))
                    wire = page.evaluate(BYTES)
                context.close()
            context = browser.new_context(viewport=viewport)
            context.add_cookies([cookie])
            page = context.new_page()
            _visit(page, server.url + path, selector, reload=False, charts=charts)
            warm = [
                _visit(page, server.url + path, selector, reload=True, charts=charts) for _ in range(runs)
            ]
            context.close()
            row: dict[str, Any] = {
                "page": name,
                "path": path,
                "viewport": f"{viewport['width']}x{viewport['height']}",
                "first_visit": common.summary_ms([v["interactive"] for v in cold]),
                "first_visit_dom_interactive": common.summary_ms([v["dom_interactive"] for v in cold]),
                "repeat_visit": common.summary_ms([v["interactive"] for v in warm]),
                "repeat_visit_dom_interactive": common.summary_ms([v["dom_interactive"] for v in warm]),
                "first_visit_bytes": wire,
            }
            line = (
                f"{name} {row['viewport']}: first visit p50 {row['first_visit']['p50_ms']:.0f} ms "
                f"p95 {row['first_visit']['p95_ms']:.0f} ms (DOM interactive p50 "
                f"{row['first_visit_dom_interactive']['p50_ms']:.0f} ms); repeat visit p50 "
                f"{row['repeat_visit']['p50_ms']:.0f} ms p95 {row['repeat_visit']['p95_ms']:.0f} ms"
            )
            if charts:
                row["first_visit_charts_drawn"] = common.summary_ms([v["charts"] for v in cold])
                row["repeat_visit_charts_drawn"] = common.summary_ms([v["charts"] for v in warm])
                signed = [_sign_in(browser, server.url, shots if i == 0 else None) for i in range(runs)]
                row["from_sign_in"] = common.summary_ms([v["interactive"] for v in signed])
                row["from_sign_in_charts_drawn"] = common.summary_ms([v["charts"] for v in signed])
                line += (
                    f"; charts drawn first visit p50 {row['first_visit_charts_drawn']['p50_ms']:.0f} ms "
                    f"p95 {row['first_visit_charts_drawn']['p95_ms']:.0f} ms, repeat p50 "
                    f"{row['repeat_visit_charts_drawn']['p50_ms']:.0f} ms; from sign-in: cards p50 "
                    f"{row['from_sign_in']['p50_ms']:.0f} ms, charts p50 "
                    f"{row['from_sign_in_charts_drawn']['p50_ms']:.0f} ms p95 "
                    f"{row['from_sign_in_charts_drawn']['p95_ms']:.0f} ms"
                )
            line += (
                f"; first visit JS over the wire {wire.get('js_transfer', 0) / 1024:.0f} KiB"
                f" (largest {wire.get('largest_file', '')}: {wire.get('largest_transfer', 0) / 1024:.0f} KiB,"
                f" {wire.get('largest_decoded', 0) / 1024:.0f} KiB unpacked)"
            )
            results.append(row)
            print(line, flush=True)
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
    load = common.machine()["load_average_at_start"]
    path = common.save(
        args.out,
        {
            "benchmark": "browser navigation to interactive",
            "command": f"python -m bench.browser --runs {args.runs}",
            "machine": info,
            "load_average_at_end": load,
            "server_build_and_start_s": round(build, 1),
            "results": rows,
        },
    )
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
