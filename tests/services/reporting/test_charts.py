"""The dashboard's Plotly figures are built as plain JSON, without plotly's Figure and its
per-property validation (they cost ~15 ms, then ~6 ms, a chart); here each one goes through the
validating constructor, which raises on any unknown property or bad value and must reproduce the
figure exactly, and through Reflex's own serialiser of a Figure, which must send the same JSON."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from reflex.utils.serializers import serialize

from luckychit_app.services.money.payment_methods import METHODS
from luckychit_app.services.reporting.home_dashboard import CollectionSeries
from luckychit_app.state.charts import Figure, collection_figure, outstanding_figure

SERIES = CollectionSeries(
    labels=[f"{m} 2026" for m in ("Jan", "Feb", "Mar")],
    due=[4_000_000, 4_000_000, 0],
    collected={m: [1_000_000 * i, 0, 250 * i] for i, m in enumerate(METHODS)},
)


@pytest.mark.parametrize(
    "figure",
    [
        collection_figure(SERIES),
        collection_figure(CollectionSeries(["Dec 2026"], [0], {m: [0] for m in METHODS})),
        outstanding_figure([("A group whose name is longer than the chart allows", 12_345_600), ("B", 5)]),
        outstanding_figure([]),
    ],
)
def test_figure_is_what_the_validating_constructor_builds(figure: Figure) -> None:
    assert go.Figure(figure).to_dict() == figure
    assert serialize(go.Figure(figure)) == figure  # what the page was sent when the state held a Figure
    assert figure["layout"]["template"]["layout"]["plot_bgcolor"] == "white"  # plotly_white resolved


def test_validation_would_catch_a_bad_property() -> None:
    built = collection_figure(SERIES)
    built["data"][0]["colour"] = "red"
    with pytest.raises(ValueError):
        go.Figure(built)


def test_collection_figure_stacks_methods_in_rupees_against_due() -> None:
    built = collection_figure(SERIES)
    bars = [t for t in built["data"] if t["type"] == "bar"]
    names = [t["name"] for t in bars]
    assert names == ["Bank transfer", "UPI", "Online", "From prize", "From deposit"]  # no cash at all
    assert bars[0]["y"] == [10_000.0, 0.0, 2.5] and bars[0]["customdata"][0] == "₹10,000"
    due = built["data"][-1]
    assert due["name"] == "Due" and due["y"] == [40_000.0, 40_000.0, 0.0]
    assert built["layout"]["barmode"] == "stack"


# plotly.js-basic-dist-min's trace types (plotly.js dist/README.md: "basic" = scatter, bar, pie).
BASIC_BUNDLE_TRACES = {"scatter", "bar", "pie"}


def test_dashboard_charts_use_the_basic_plotly_bundle_the_sign_in_page_prefetches() -> None:
    """The dashboard draws with rx.plotly.basic (1.1 MB of JavaScript instead of the full 4.6 MB
    plotly.js, issue 22), so every trace its figures use must be in that bundle, and the page's
    preload and the sign-in page's prefetch must load that same library."""
    from reflex_components_plotly.plotly import Plotly, PlotlyBasic

    from luckychit_app.components.chart_library import CHART_LIBRARY, ChartPrefetch, ChartPreload
    from luckychit_app.pages.foreman.dashboard import dashboard_page

    for figure in (collection_figure(SERIES), outstanding_figure([("A", 100)])):
        assert {trace["type"] for trace in figure["data"]} <= BASIC_BUNDLE_TRACES

    def walk(component):
        yield component
        for child in [*component.children, *(getattr(component, n, None) for n in ("comp1", "comp2"))]:
            if child is not None:
                yield from walk(child)

    page = list(walk(dashboard_page()))
    charts = [c for c in page if isinstance(c, Plotly)]
    assert len(charts) == 2
    assert all(type(c) is PlotlyBasic for c in charts)
    assert any(type(c) is ChartPreload for c in page)  # the library loads beside the data
    for preload in (ChartPreload, ChartPrefetch):
        assert preload.create().lib_dependencies == PlotlyBasic.create().lib_dependencies
    assert PlotlyBasic.create().lib_dependencies[0].startswith(CHART_LIBRARY + "@")
