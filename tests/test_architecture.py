"""The layout of docs/architecture.md, enforced: layers import only downwards, no two modules import
each other (directly or round a longer circle), and modules stay small enough to read.

The layer contracts live in pyproject.toml ([tool.importlinter]) and are checked with import-linter;
the circles are found here in grimp's import graph (the library import-linter is built on), which
counts imports inside functions too, since a lazy import that dodges a circle is still a circle."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest
from importlinter import cli  # noqa: F401  (importing it registers import-linter's adapters)
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "luckychit_app"

# Where a module past its limit should be split by screen or use case (issue 14).
LINE_LIMITS = {"state": 450, "pages": 450, "services": 650}


def _circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_layers_import_only_downwards(monkeypatch, capfd):
    monkeypatch.chdir(ROOT)
    # The use case, not the CLI wrapper: the wrapper reconfigures logging for the whole process
    # (dictConfig disables every logger that exists), which silenced the app's loggers in later tests.
    kept = lint_imports(config_filename="pyproject.toml", cache_dir=None, no_logo=True)
    report = capfd.readouterr().out
    assert kept, f"an import breaks a layer contract of pyproject.toml:\n{report}"


def test_no_import_circles():
    circles = _circles(grimp.build_graph("luckychit_app", cache_dir=None))
    assert not circles, "import circles (break each at its cause; docs/architecture.md):\n" + "\n".join(
        " <-> ".join(c) for c in circles
    )


def test_the_circle_finder_sees_a_circle():
    """The check above would pass vacuously if `_circles` found nothing in any graph."""
    graph = grimp.ImportGraph()
    for name in ("a", "a.b", "a.c", "a.d"):
        graph.add_module(name)
    graph.add_import(importer="a.b", imported="a.c")
    graph.add_import(importer="a.c", imported="a.d")
    graph.add_import(importer="a.d", imported="a.b")
    assert _circles(graph) == [["a.b", "a.c", "a.d"]]


@pytest.mark.parametrize("area", sorted(LINE_LIMITS))
def test_modules_stay_readable(area):
    limit = LINE_LIMITS[area]
    long = {
        str(path.relative_to(ROOT)): n
        for path in (APP / area).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > limit
    }
    assert not long, f"split these {area} modules by screen or use case (limit {limit} lines): {long}"


def test_every_package_says_what_it_holds_and_may_import():
    silent = [
        str(init.relative_to(ROOT))
        for init in APP.rglob("__init__.py")
        if init.parent.parent.name == "services" and "May import" not in init.read_text(encoding="utf-8")
    ]
    assert not silent, (
        f"these service packages need a docstring saying what they hold and may import: {silent}"
    )


def test_every_page_state_hangs_under_the_session():
    """A page load reads `SessionState` (state/session.py `page_read`); under the session, the
    state tree Reflex loads for the event already holds it, where a sibling cost one Redis read more
    per event (issue 24, docs/benchmarks.md 3i)."""
    import luckychit_app.luckychit_app  # noqa: F401  (registers every page's states)
    from luckychit_app.state.session import SessionState, _app_states

    stray = [
        cls.get_full_name()
        for cls in _app_states()
        if cls is not SessionState and not issubclass(cls, SessionState)
    ]
    assert not stray, f"app states outside SessionState: {stray}"
