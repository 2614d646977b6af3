"""Plotly figures for the foreman's dashboard, built in Python on the server from the dashboard
service's series; the page only renders them with `rx.plotly`. Amounts are plotted in rupees with
Indian-grouped hover labels, so the chart reads like the cards beside it."""

from __future__ import annotations

import plotly.graph_objects as go

from luckychit_app.domain.money import format_inr, format_inr_compact
from luckychit_app.services.dashboard import METHOD_LABELS, CollectionSeries

# Teal family for the app's accent; the colours stay distinguishable for colour-blind readers.
METHOD_COLOURS = {
    "cash": "#0f766e",
    "bank": "#2563eb",
    "upi": "#d97706",
    "online": "#7c3aed",
    "prize": "#64748b",
}
# Static charts: no plotly toolbar over the dashboard (pass as `config` to rx.plotly).
CHART_CONFIG = {"displayModeBar": False, "responsive": True}
FONT = {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12}


def _layout(fig: go.Figure, *, height: int) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        font=FONT,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": FONT},
    )
    return fig


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


def collection_figure(series: CollectionSeries) -> go.Figure:
    """Collected (stacked by payment method) against what fell due, per month."""
    fig = go.Figure()
    labels = [label.replace(" ", "<br>") for label in series.labels]  # "Nov<br>2026": no overlap
    for method, values in series.collected.items():
        if not any(values):
            continue
        fig.add_bar(
            name=METHOD_LABELS.get(method, method),
            x=labels,
            y=[v / 100 for v in values],
            marker_color=METHOD_COLOURS.get(method, "#94a3b8"),
            customdata=[format_inr(v) for v in values],
            hovertemplate="%{x}<br>" + METHOD_LABELS.get(method, method) + ": %{customdata}<extra></extra>",
        )
    fig.add_scatter(
        name="Due",
        x=labels,
        y=[v / 100 for v in series.due],
        mode="lines+markers",
        line={"color": "#dc2626", "width": 2, "dash": "dot"},
        customdata=[format_inr(v) for v in series.due],
        hovertemplate="%{x}<br>Due: %{customdata}<extra></extra>",
    )
    top = max([*series.due, *(sum(col) for col in zip(*series.collected.values(), strict=False))], default=0)
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_yaxes(**_rupee_ticks(top), gridcolor="#e5e7eb", zeroline=False)
    fig.update_xaxes(tickangle=0, showgrid=False)
    return _layout(fig, height=300)


def outstanding_figure(rows: list[tuple[str, int]]) -> go.Figure:
    """Dues fallen due and unpaid, by group, largest at the top."""
    rows = list(reversed(rows))
    names = [name if len(name) <= 28 else name[:27] + "…" for name, _ in rows]
    fig = go.Figure(
        go.Bar(
            x=[amount / 100 for _, amount in rows],
            y=names,
            orientation="h",
            marker_color="#dc2626",
            text=[format_inr_compact(amount) for _, amount in rows],
            textposition="auto",
            customdata=[format_inr(amount) for _, amount in rows],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(**_rupee_ticks(max((a for _, a in rows), default=0)), gridcolor="#e5e7eb")
    fig.update_yaxes(automargin=True)
    return _layout(fig, height=max(160, 48 + 34 * len(rows)))
