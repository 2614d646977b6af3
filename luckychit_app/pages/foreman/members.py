"""The directory of every member across the foreman's groups (/f/members), searchable and filtered by
ticket status and KYC status (adding members happens on a forming group's Members tab); a member's KYC
is reviewed here: details masked, Verify, or Reject with a reason. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.pager import pager
from luckychit_app.components.shells import error_callout, foreman_shell, loading_block, notice_callout
from luckychit_app.pages.foreman.member_cells import dues_cell, kyc_badge, members_table, ticket_badge
from luckychit_app.state.dashboard import MembersDirectoryState
from luckychit_app.state.kyc_review import KycReviewState
from luckychit_app.state.recovery import TemporaryPasswordState

D = MembersDirectoryState
K = KycReviewState
P = TemporaryPasswordState

KYC_FILTERS = (
    ("any", "Any KYC"),
    ("submitted", "KYC to review"),
    ("verified", "KYC verified"),
    ("rejected", "KYC rejected"),
    ("none", "No KYC"),
)


def _labelled(label: str, control_id: str, control: rx.Component) -> rx.Component:
    """A control with its visible label tied to it (`<label for=…>`)."""
    return rx.vstack(
        rx.el.label(rx.text(label, size="1", weight="medium"), html_for=control_id),
        control,
        spacing="1",
    )


def _kyc_cell(m: rx.Var) -> rx.Component:
    return rx.hstack(
        kyc_badge(m["kyc"]),
        rx.cond(
            (m["kyc"] != "none") & (m["is_foreman"] != "yes"),
            rx.button(
                "Review",
                size="1",
                variant="soft",
                on_click=K.open(m["member_id"]),
                class_name="kyc-review",
                aria_label="Review the KYC of " + m["name"].to(str),
            ),
        ),
        spacing="2",
        align="center",
    )


def _new_password(m: rx.Var) -> rx.Component:
    """A temporary password for a member locked out without their phone, after a confirmation."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                "New password",
                size="1",
                variant="ghost",
                class_name="new-password",
                aria_label="New password for " + m["name"].to(str),
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("New password for ", m["name"]),
            rx.alert_dialog.description(
                "For a member who cannot get a sign-in code by text. Their open sessions end, they are "
                "texted that you did it, and they choose their own password at the next sign-in.",
                size="2",
            ),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        "Issue a temporary password", on_click=P.issue(m["member_id"]), id="issue-password"
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
            max_width="440px",
        ),
    )


def _issued() -> rx.Component:
    """The temporary password, shown once: it is not stored in clear and cannot be shown again."""
    return rx.cond(
        P.password != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("key-round")),
            rx.callout.text(
                "Temporary password for ",
                rx.text.strong(P.member_name),
                ": ",
                rx.code(P.password, size="3", id="temporary-password"),
                ". Tell it to them in person or on a call; it is shown only this once.",
            ),
            rx.button("Done", size="1", variant="soft", on_click=P.dismiss, margin_left="auto"),
            color_scheme="amber",
            id="temporary-password-callout",
        ),
    )


def _directory_row(m: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(m["name"], weight="medium")),
        rx.table.cell(m["mobile"]),
        rx.table.cell(rx.link(m["group"], href="/f/groups/" + m["group_id"])),
        rx.table.cell(m["ticket_no"]),
        rx.table.cell(ticket_badge(m["status"])),
        rx.table.cell(m["prized"]),
        rx.table.cell(dues_cell(m)),
        rx.table.cell(_kyc_cell(m)),
        rx.table.cell(rx.cond(m["is_foreman"] != "yes", _new_password(m))),
        class_name="directory-row",
    )


def _select(name: str, control_id: str, choices: tuple[tuple[str, str], ...]) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=control_id),
        rx.select.content(*[rx.select.item(label, value=value) for value, label in choices]),
        name=name,
        default_value="any",
    )


def _filters() -> rx.Component:
    return rx.form(
        rx.hstack(
            _labelled(
                "Search",
                "directory-search",
                rx.input(
                    name="search",
                    id="directory-search",
                    placeholder="Name or mobile",
                    max_length=80,
                    width="240px",
                ),
            ),
            _labelled(
                "Ticket status",
                "directory-status",
                _select(
                    "status",
                    "directory-status",
                    (
                        ("any", "Any status"),
                        *((s, s.capitalize()) for s in ("active", "suspended", "pending", "removed")),
                    ),
                ),
            ),
            _labelled("KYC", "directory-kyc", _select("kyc", "directory-kyc", KYC_FILTERS)),
            rx.button("Filter", type="submit", variant="soft", id="directory-filter"),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        on_submit=D.filter,
    )


def _fact(label: str, value: rx.Var, fact_id: str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label, min_width="130px"),
        rx.data_list.value(rx.text(value, id=fact_id)),
    )


def _review_dialog() -> rx.Component:
    i = K.info
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("KYC of ", i["name"]),
            rx.dialog.description(
                "Numbers are shown masked. Verify when the documents you have seen match; reject with a "
                "reason the member can act on (they are told it).",
                size="2",
                margin_bottom="12px",
            ),
            rx.vstack(
                rx.hstack(rx.text("Status", size="2"), kyc_badge(i["status"]), align="center"),
                rx.data_list.root(
                    _fact("Mobile", i["mobile"], "kyc-mobile"),
                    _fact("PAN", i["pan"], "kyc-pan"),
                    _fact("Aadhaar", i["aadhaar"], "kyc-aadhaar"),
                    _fact("Date of birth", i["date_of_birth"], "kyc-dob"),
                    _fact("Bank account", i["bank_account"], "kyc-bank"),
                    _fact("IFSC", i["ifsc"], "kyc-ifsc"),
                    _fact("Nominee", i["nominee"], "kyc-nominee"),
                    _fact("Submitted", i["submitted"], "kyc-submitted"),
                    size="2",
                ),
                rx.cond(
                    i["last_review"] != "",
                    rx.text(
                        i["last_review"],
                        rx.cond(i["review_note"] != "", rx.text.span(": ", i["review_note"])),
                        size="1",
                        color_scheme="gray",
                        id="kyc-last-review",
                    ),
                ),
                error_callout(K.dialog_error, id="kyc-dialog-error"),
                rx.cond(
                    i["can_verify"] == "yes",
                    rx.button(
                        rx.icon("badge-check", size=16),
                        "Verify",
                        on_click=K.verify,
                        loading=K.busy,
                        color_scheme="green",
                        id="kyc-verify",
                    ),
                    rx.text(
                        "No date of birth on record: the member must complete their KYC before it can be "
                        "verified (members must be adults).",
                        size="2",
                        color_scheme="amber",
                    ),
                ),
                rx.form(
                    rx.vstack(
                        rx.el.label(
                            rx.text("Reason for rejecting (the member sees it)", size="2", weight="medium"),
                            html_for="kyc-reason",
                        ),
                        rx.text_area(
                            name="reason",
                            id="kyc-reason",
                            max_length=200,
                            rows="2",
                            width="100%",
                            placeholder="e.g. The PAN does not match the card you showed",
                        ),
                        rx.hstack(
                            rx.dialog.close(
                                rx.button("Close", variant="soft", color_scheme="gray", type="button")
                            ),
                            rx.button(
                                "Reject",
                                type="submit",
                                color_scheme="red",
                                variant="soft",
                                loading=K.busy,
                                id="kyc-reject",
                            ),
                            justify="end",
                            width="100%",
                        ),
                        spacing="2",
                        width="100%",
                    ),
                    on_submit=K.reject,
                    reset_on_submit=False,
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="520px",
            id="kyc-dialog",
        ),
        open=K.dialog_open,
        on_open_change=K.set_dialog_open,
    )


def members_directory_page() -> rx.Component:
    return foreman_shell(
        error_callout(D.error),
        error_callout(K.error, id="kyc-error"),
        error_callout(P.error, id="password-error"),
        _issued(),
        notice_callout(K.notice),
        _filters(),
        rx.text(
            "To add members, open a forming group; join requests appear under Pending actions. A member's "
            "KYC is reviewed here: choose KYC to review, then Review.",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            D.loading,
            loading_block(),
            members_table(
                D.rows,
                _directory_row,
                ("Member", "Mobile", "Group", "Ticket", "Status", "Prized", "Dues", "KYC", "Account"),
                "directory-table",
            ),
        ),
        pager(D, "directory-pager"),
        _review_dialog(),
        title="Members",
    )
