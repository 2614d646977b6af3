"""The Paperwork tab of a group's page (issue 19, items 5-7; Chit Funds Act 1982): the chit agreement
(s.6) with its PDF, the register of filings with the Registrar (s.7, s.9, s.10(2), s.18) and the
foreman's security (s.20). Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.downloads import download_link
from luckychit_app.components.shells import error_callout, notice_callout
from luckychit_app.state.foreman import GroupPageState
from luckychit_app.state.group_paperwork import GroupPaperworkState as P


def _field(label: str, name: str, ident: str = "", **props: object) -> rx.Component:
    """A labelled input; `ident` names its id when two forms of the tab share a field name."""
    ident = ident or f"paper-{name}"
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=ident),
        rx.input(name=name, id=ident, **props),
        spacing="1",
    )


def _select(label: str, name: str, options: list[tuple[str, str]]) -> rx.Component:
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=f"paper-{name}"),
        rx.el.select(
            *[rx.el.option(text, value=value) for value, text in options],
            name=name,
            id=f"paper-{name}",
            style={"padding": "6px", "border_radius": "6px"},
        ),
        spacing="1",
    )


def _agreement_card() -> rx.Component:
    gid = GroupPageState.group["id"].to(str)
    return rx.card(
        rx.vstack(
            rx.heading("Chit agreement (s.6)", size="3"),
            rx.text(
                "Every particular of s.6(1) from the group's frozen terms, with signature blocks for the "
                "subscribers, the foreman and two witnesses. Members read it in their language.",
                size="2",
                color_scheme="gray",
            ),
            download_link(
                rx.button("Download the agreement (PDF)", variant="soft"),
                href="/api/paperwork/" + gid + "/agreement.pdf",
                id="agreement-pdf",
            ),
            rx.form(
                rx.flex(
                    _field(
                        "Draw time (HH:MM)",
                        "draw_time",
                        default_value=P.particulars["draw_time"],
                        key=P.particulars["draw_time"],
                        max_length=5,
                        width="110px",
                    ),
                    _field(
                        "Draw place",
                        "draw_place",
                        default_value=P.particulars["draw_place"],
                        key=P.particulars["draw_place"],
                        max_length=200,
                    ),
                    _field(
                        "Approved bank",
                        "approved_bank",
                        default_value=P.particulars["approved_bank"],
                        key=P.particulars["approved_bank"],
                        max_length=120,
                    ),
                    _field(
                        "Inspection of records",
                        "inspection",
                        default_value=P.particulars["inspection"],
                        key=P.particulars["inspection"],
                        max_length=200,
                    ),
                    rx.button("Save particulars", type="submit", variant="soft", id="particulars-save"),
                    wrap="wrap",
                    spacing="3",
                    align="end",
                ),
                on_submit=P.save_particulars,
                reset_on_submit=False,
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _filing_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r["label"]),
        rx.table.cell(r["due"]),
        rx.table.cell(
            rx.badge(
                r["status"],
                color_scheme=rx.match(r["status"], ("filed", "green"), ("overdue", "red"), "amber"),
            )
        ),
        rx.table.cell(r["filed_on"]),
        rx.table.cell(r["reference"]),
        class_name="filing-row",
    )


def _filings_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Filings with the Registrar", size="3"),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("Paper", "Due", "Status", "Filed on", "Reference")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(P.filings, _filing_row)),
                width="100%",
            ),
            rx.form(
                rx.flex(
                    _select(
                        "Paper",
                        "kind",
                        [
                            ("agreement", "Chit agreement (s.7)"),
                            ("commencement", "Declaration for commencement (s.9)"),
                            ("copies", "True copies given (s.10(2))"),
                            ("minutes", "Minutes of a draw (s.18)"),
                        ],
                    ),
                    _field("Draw month (minutes)", "month", type="number", min=0, width="120px"),
                    _field("Filed on", "filed_on", type="date", required=True),
                    _field(
                        "Registrar's reference", "reference", "filing-reference", max_length=80, required=True
                    ),
                    _field("Note", "note", max_length=200),
                    rx.button("Record filing", type="submit", variant="soft", id="filing-save"),
                    wrap="wrap",
                    spacing="3",
                    align="end",
                ),
                on_submit=P.record_filing,
                reset_on_submit=True,
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _security_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r["form"]),
        rx.table.cell(r["amount"]),
        rx.table.cell(r["reference"]),
        rx.table.cell(r["bank"]),
        rx.table.cell(r["deposited_on"]),
        rx.table.cell(
            rx.cond(
                r["released_on"] != "",
                r["released_on"],
                rx.form(
                    rx.hstack(
                        rx.el.input(type="hidden", name="security_id", value=r["id"]),
                        rx.input(type="date", name="released_on", required=True, aria_label="Date released"),
                        rx.button("Release", type="submit", size="1", variant="soft"),
                        spacing="2",
                    ),
                    on_submit=P.release_security,
                ),
            )
        ),
        class_name="security-row",
    )


def _security_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Foreman's security (s.20)", size="3"),
            rx.callout(
                P.security_verdict, color_scheme=rx.cond(P.security_enough, "green", "amber"), size="1"
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("Form", "Amount", "Reference", "Bank", "Given on", "Released")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(P.securities, _security_row)),
                width="100%",
            ),
            rx.form(
                rx.flex(
                    _select(
                        "Form",
                        "form",
                        [
                            ("cash", "Cash in an approved bank"),
                            ("bank_guarantee", "Bank guarantee"),
                            ("govt_securities", "Government securities"),
                            ("other", "Other trustee securities"),
                        ],
                    ),
                    _field("Amount (₹)", "amount", required=True, width="140px"),
                    _field("Reference", "reference", "security-reference", max_length=80, required=True),
                    _field("Bank", "bank", max_length=120),
                    _field("Given on", "deposited_on", type="date", required=True),
                    rx.button("Record security", type="submit", variant="soft", id="security-save"),
                    wrap="wrap",
                    spacing="3",
                    align="end",
                ),
                on_submit=P.record_security,
                reset_on_submit=True,
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def paperwork_tab() -> rx.Component:
    return rx.vstack(
        error_callout(P.error, id="paperwork-error"),
        notice_callout(P.notice),
        _agreement_card(),
        _filings_card(),
        _security_card(),
        spacing="4",
        width="100%",
        padding_top="12px",
    )
