"""The dashboard's chart library: plotly's basic bundle (`rx.plotly.basic`: scatter, bar and pie
traces; 1.08 MB of JavaScript, 0.36 MB gzipped) instead of the full plotly.js (4.65 MB, 1.38 MB
gzipped), whose other trace types the dashboard's two charts (stacked bars with a dotted line,
horizontal bars) do not use. `chart_preload` starts loading it as the dashboard mounts rather
than once its data has come; `chart_prefetch` on the sign-in page of a wide screen, so the first
dashboard a foreman signs in to finds it in the browser's cache (docs/benchmarks.md)."""

from __future__ import annotations

import reflex as rx
from reflex_base.utils.imports import ImportDict, ImportVar

CHART_LIBRARY = "plotly.js-basic-dist-min"


class ChartPreload(rx.Fragment):
    """Nothing on screen; starts loading the chart library as the page mounts, the way the
    dashboard's `rx.plotly.basic` does (the same dynamic import, so the same file), instead of when
    the charts first render: those wait inside the page's loading switch for the dashboard's data,
    and the library's download and parse then came after it (on a first visit the charts were drawn
    0.4 s after the cards, docs/benchmarks.md)."""

    # The version rx.plotly.basic pins; a Reflex prop declared as its base class does (not a ClassVar).
    lib_dependencies: list[str] = [f"{CHART_LIBRARY}@3.7.0"]  # noqa: RUF012

    def add_imports(self) -> ImportDict:
        return {"react": [ImportVar(tag="useEffect")]}

    def add_hooks(self) -> list[str | rx.Var]:
        return [f"useEffect(() => {{ import('{CHART_LIBRARY}').catch(() => {{}}); }}, []);"]


class ChartPrefetch(ChartPreload):
    """The same on the sign-in page, but only once the page is idle and only on a screen at least
    1024 px wide (a foreman's desk, not a member's phone, which has no charts to draw): the library
    is fetched and run while the foreman types a mobile number and password, and the dashboard
    the sign-in lands on finds it in the browser's cache."""

    def add_hooks(self) -> list[str | rx.Var]:
        return [
            "useEffect(() => {"
            " if (!window.matchMedia('(min-width: 1024px)').matches) return;"
            " const idle = window.requestIdleCallback || ((f) => setTimeout(f, 200));"
            f" idle(() => import('{CHART_LIBRARY}').catch(() => {{}}));"
            " }, []);"
        ]


chart_preload = ChartPreload.create
chart_prefetch = ChartPrefetch.create
