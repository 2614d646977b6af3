"""`make run` starts without deprecation warnings, so the ones Reflex will turn into errors in its
next release are seen now and not when an upgrade breaks a page.

Reflex reports its own deprecations through the `reflex.deprecation` logger, not the `warnings`
module, and only once per process. So the app is imported and every registered page is evaluated
and rendered (what `reflex run` does when it compiles the app) in a fresh interpreter, with Python's
DeprecationWarning turned into an error and every record of that logger collected. This catches a
form control submitted by its `id` (it needs a `name=`: Reflex logs that when the form is built).

`self.router.page` (deprecated since Reflex 0.8.1: use `router.url`, or the var Reflex adds for a
dynamic route argument such as `[group_id]`) is only logged when a handler runs, so it is looked
for in the source instead.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CANARY_FORM = "deprecation-canary"
"""An id-only control in a throwaway form, built after the pages: proves the check can see one."""

_SCRIPT = f"""
import json, logging, sys

records = []

class _Collect(logging.Handler):
    def emit(self, record):
        records.append(record.getMessage())

logging.getLogger("reflex.deprecation").addHandler(_Collect())

import reflex as rx
from reflex.compiler import compiler
from reflex.istate.data import RouterData

from luckychit_app.luckychit_app import app
from luckychit_app.state.queries import QueriesState

routes = list(app._unevaluated_pages)
for route in routes:
    page = compiler.compile_unevaluated_page(route, app._unevaluated_pages[route], app.style, app.theme)
    page.render()
found = list(records)

# The canaries: one of each deprecation this test guards against must be seen.
rx.form(rx.input(id={CANARY_FORM!r}), on_submit=QueriesState.raise_query)
RouterData().page
json.dump({{"routes": routes, "found": found, "canaries": records[len(found):]}}, sys.stdout)
"""


def test_app_imports_and_every_page_renders_without_deprecations() -> None:
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", _SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(result["routes"]) > 30, result["routes"]  # every page of the app was rendered
    assert result["found"] == [], "\n".join(result["found"])
    canaries = "\n".join(result["canaries"])
    assert CANARY_FORM in canaries and "RouterData.page" in canaries, canaries


"""Still read `self.router.page` (their owners move them to the route var / `router.url`; then
they leave this set, which `test_no_router_page` keeps honest)."""


def _reads_router_page(source: str) -> bool:
    """`<x>.router.page` or `<x>.router._page` in the code (comments and strings do not count), or
    Reflex's field behind it, `rx_router_page`."""
    for node in ast.walk(ast.parse(source)):
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
        if name == "rx_router_page":
            return True
        if (
            name in {"page", "_page"}
            and isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "router"
        ):
            return True
    return False


def test_no_router_page() -> None:
    """No state reads the deprecated `router.page`: a route argument is the var Reflex adds for it
    (`self.group_id` for `[group_id]`), a query parameter is `self.router.url.query_parameters`."""
    using = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "luckychit_app").rglob("*.py")
        if _reads_router_page(path.read_text(encoding="utf-8"))
    }
    assert not using, sorted(using)
