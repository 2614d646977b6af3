"""Plotly figures for the foreman's dashboard state, built in Python on the server from the dashboard
service's series as the figure JSON `rx.plotly` draws; the page only renders them. Amounts are
plotted in rupees; the axes are labelled in round compact steps (₹50K, ₹2.5L), while every bar's
label and hover gives the exact Indian-grouped figure (₹24,440), which a foreman reconciling cash needs."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import plotly.io as pio
from plotly.io.json import to_json_plotly

from luckychit_app.domain.money import format_inr, format_inr_compact
from luckychit_app.services.money.payment_methods import METHOD_SHORT_LABELS
from luckychit_app.services.reporting.home_dashboard import CollectionSeries

# Teal family for the app's accent; the colours stay distinguishable for colour-blind readers.
METHOD_COLOURS = {
    "cash": "#0f766e",
    "bank": "#2563eb",
    "upi": "#d97706",
    "online": "#7c3aed",
    "prize": "#64748b",
    "deposit": "#be185d",
}
# Static charts: no plotly toolbar over the dashboard (pass as `config` to rx.plotly).
CHART_CONFIG = {"displayModeBar": False, "responsive": True}
COLLECTION_HEIGHT = 300  # px; the page keeps this much room for the chart while plotly loads
FONT = {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12}


Figure = dict[str, Any]
"""A figure as plotly.js reads it: {"data": [traces], "layout": {...}}, plain JSON values."""


@cache
def _template() -> dict:
    """The plotly_white theme as plain JSON, resolved once per process and shared by every figure
    (nothing writes to a figure once built).

    Letting plotly resolve `template="plotly_white"` deep-copies and re-validates the whole theme
    for every figure: ~15 ms of Python per chart, most of the dashboard event's own time."""
    return json.loads(to_json_plotly(pio.templates["plotly_white"]))


def _figure(data: list[dict], layout: dict, *, height: int) -> Figure:
    """A figure's JSON from our own trace and layout literals, without a plotly Figure: building
    one (even unvalidated) and serialising it deep-copied the theme twice and cost ~6 ms a chart
    (issue 22). tests/services/reporting/test_charts.py rebuilds each figure through plotly's
    validating constructor and checks it comes out identical, so a bad property still fails."""
    full = {
        "template": _template(),
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "font": FONT,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "hoverlabel": {"font": FONT},
        **layout,
    }
    return {"data": data, "layout": full}


def _nice_step(max_paise: int, ticks: int = 4) -> int:
    """A round tick step in paise (1, 2, 2.5 or 5 times a power of ten rupees) covering the maximum."""
    raw = max(max_paise / ticks, 100)
    power = 100
    while power * 10 <= raw:
        power *= 10
    for factor in (1, 2, 2.5, 5, 10):
        if power * factor >= raw:
            return int(power * factor)
    return power * 10


def _rupee_ticks(max_paise: int) -> dict:
    """Axis ticks at round amounts labelled ₹50K / ₹2.5L instead of plotly's 250k."""
    if max_paise <= 0:
        return {"tickvals": [0], "ticktext": ["₹0"]}
    step = _nice_step(max_paise)
    values = list(range(0, max_paise + step, step))
    return {"tickvals": [v / 100 for v in values], "ticktext": [format_inr_compact(v) for v in values]}


def collection_figure(series: CollectionSeries) -> Figure:
    """Collected (stacked by payment method) against what fell due, per month."""
    labels = [label.replace(" ", "<br>") for label in series.labels]  # "Nov<br>2026": no overlap
    data: list[dict] = []
    for method, values in series.collected.items():
        if not any(values):
            continue
        label = METHOD_SHORT_LABELS.get(method, method)
        data.append(
            {
                "type": "bar",
                "name": label,
                "x": labels,
                "y": [v / 100 for v in values],
                "marker": {"color": METHOD_COLOURS.get(method, "#94a3b8")},
                "customdata": [format_inr(v) for v in values],
                "hovertemplate": label + ": %{customdata}<extra></extra>",
            }
        )
    data.append(
        {
            "type": "scatter",
            "name": "Due",
            "x": labels,
            "y": [v / 100 for v in series.due],
            "mode": "lines+markers",
            "line": {"color": "#dc2626", "width": 2, "dash": "dot"},
            "customdata": [format_inr(v) for v in series.due],
            "hovertemplate": "Due: %{customdata}<extra></extra>",
        }
    )
    top = max([*series.due, *(sum(col) for col in zip(*series.collected.values(), strict=False))], default=0)
    layout = {
        "barmode": "stack",
        # One hover per month with every method and the due line, each to the rupee.
        "hovermode": "x unified",
        "bargap": 0.35,
        "yaxis": {**_rupee_ticks(top), "gridcolor": "#e5e7eb", "zeroline": False},
        "xaxis": {"tickangle": 0, "showgrid": False},
    }
    return _figure(data, layout, height=COLLECTION_HEIGHT)


def outstanding_height(groups: int) -> int:
    """The outstanding chart's height in px: a bar per group, never squashed below 160 px."""
    return max(160, 48 + 34 * groups)


def outstanding_figure(rows: list[tuple[str, int]]) -> Figure:
    """Dues fallen due and unpaid, by group, largest at the top."""
    rows = list(reversed(rows))
    names = [name if len(name) <= 28 else name[:27] + "…" for name, _ in rows]
    bar = {
        "type": "bar",
        "x": [amount / 100 for _, amount in rows],
        "y": names,
        "orientation": "h",
        "marker": {"color": "#dc2626"},
        # The exact figure on the bar (a foreman reconciles cash against it), not "₹24.44K".
        "text": [format_inr(amount) for _, amount in rows],
        "textposition": "auto",
        "customdata": [format_inr(amount) for _, amount in rows],
        "hovertemplate": "%{y}: %{customdata}<extra></extra>",
    }
    layout = {
        "xaxis": {**_rupee_ticks(max((a for _, a in rows), default=0)), "gridcolor": "#e5e7eb"},
        "yaxis": {"automargin": True},
    }
    return _figure([bar], layout, height=outstanding_height(len(rows)))
