"""Foreman: the company's GST on its page (issue 19): the registration that turns GST on, the
financial year's tax invoices (each a PDF) and the GST summary an accountant files the returns from."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from luckychit_app.components.downloads import download_link
from luckychit_app.components.tables import data_table
from luckychit_app.state.company import CompanyState as S


def _invoice_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            download_link(
                rx.text(r["number"]),
                href="/api/tax/invoices/" + r["id"] + ".pdf",
                class_name="tax-invoice-link",
            )
        ),
        rx.table.cell(r["date"]),
        rx.table.cell(r["recipient"]),
        rx.table.cell(r["place"]),
        rx.table.cell(r["taxable"]),
        rx.table.cell(r["tax"]),
    )


def _invoices() -> rx.Component:
    return rx.vstack(
        rx.heading("Tax invoices this financial year", size="3"),
        rx.cond(
            S.invoices.length() > 0,
            data_table(
                ("Invoice", "Date", "Recipient", "Place of supply", "Taxable value", "GST"),
                S.invoices,
                _invoice_row,
                "tax-invoices-table",
            ),
            rx.text("No tax invoice yet this financial year.", size="2", color_scheme="gray"),
        ),
        rx.hstack(
            rx.text("GST summary (CSV):", size="2"),
            rx.foreach(
                S.gst_years,
                lambda fy: download_link(
                    rx.button(rx.icon("download", size=14), fy, variant="soft", size="1"),
                    href="/api/tax/gst-summary.csv?fy=" + fy,
                    class_name="gst-summary-link",
                ),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        spacing="2",
        width="100%",
    )


def gst_section(
    section: Callable[..., rx.Component],
    field: Callable[[str, rx.Component], rx.Component],
    feedback: Callable[[str], rx.Component],
) -> rx.Component:
    """The GST registration: with a GSTIN every commission is taxed and invoiced. `section`, `field`
    and `feedback` are the company page's own card, labelled field and message slot."""
    return section(
        "GST registration",
        feedback("gst"),
        rx.cond(
            S.gst["registered"] != "",
            rx.text(
                "GSTIN ",
                rx.code(S.gst["gstin"], id="gst-current"),
                " · ",
                S.gst["state"],
                ". Each draw's commission is taxed at the rate of its day and invoiced.",
                size="2",
            ),
            rx.text(
                "Not registered: no GST is charged on commissions. Enter the GSTIN when the company "
                "registers (above ₹20 lakh of turnover, CGST Act s.22).",
                size="2",
                color_scheme="gray",
                id="gst-none",
            ),
        ),
        _invoices(),
        rx.form(
            rx.hstack(
                field(
                    "GSTIN",
                    rx.input(
                        name="gstin",
                        id="gst-gstin",
                        max_length=15,
                        default_value=S.gst["gstin"],
                        width="190px",
                    ),
                ),
                field(
                    "Legal name",
                    rx.input(
                        name="legal_name",
                        id="gst-legal-name",
                        max_length=120,
                        default_value=S.gst["legal_name"],
                    ),
                ),
                field(
                    "Principal place of business",
                    rx.input(
                        name="address", id="gst-address", max_length=200, default_value=S.gst["address"]
                    ),
                ),
                rx.button("Save GST details", type="submit", loading=S.busy, id="gst-submit"),
                spacing="3",
                align="end",
                wrap="wrap",
            ),
            on_submit=S.save_gst,
            reset_on_submit=False,
            key=S.gst["gstin"],
        ),
    )
