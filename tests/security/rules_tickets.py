"""Access rules for the tickets handlers and routes of issue 15, merged into access_rules.RULES/ROUTES
(kept beside it so that work on one part of the group's life does not edit the other's rules)."""

from __future__ import annotations

from tests.security.access_rules import FOREMAN_OWNER, RouteRule, Rule, _c

RULES: dict[str, Rule] = {}
ROUTES: dict[str, RouteRule] = {}

# --- Transfer of a ticket, guarantors as records, a prized subscriber's default (issue 15) --------
from tests.security.access_rules import PARTIAL_ADMIN, group_page, payments_page, ui  # noqa: E402
from tests.security.world import Side  # noqa: E402

GUARANTOR_FORM = {
    "g_name": "Suresh Babu",
    "g_mobile": "9876500001",
    "g_relation": "Brother-in-law",
    "g_kyc": "ABCPE1234F",
    "g_signed_on": "2026-01-15",
}
"""One guarantor as the prizes page's form posts it (services/money/guarantors.py FIELDS)."""


def _guarantor_security(s: Side) -> dict:
    return {
        "form": {
            "payout_id": s.payout,
            "security_seen": s.payout_security_seen,  # as the prize's row shows it
            "kind": "guarantor",
            "value": "5,00,000",
            **GUARANTOR_FORM,
        }
    }


TRANSFER_RULES: dict[str, Rule] = {
    # A transfer needs the foreman's consent (the chit agreement, s.6); a prized ticket's security
    # is replaced by the new holder's (s.21(1)(e), s.31). services/groups/transfers.py.
    "TicketTransferState.open_transfer": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(group_page(s), {"ticket_id": s.other_ticket}),
        shows_data=True,
    ),
    "TicketTransferState.close_transfer": ui("/f/groups/1"),
    "TicketTransferState.submit": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            group_page(s),
            {
                "form": {
                    "mobile": "9555500088",
                    "name": "Naveen Transferee",
                    "language": "en",
                    "reason": "Moving abroad; his cousin takes over",
                    # Used only if the ticket is prized (the draws pick winners at random).
                    "kind": "deposit",
                    "value": "5,00,000",
                    "description": "FD receipt 7781",
                    # How the deposit came in (s.21(1)(e); services/money/security_deposits.py).
                    "deposit_method": "cash",
                    "deposit_reference": "",
                    "deposit_received_on": s.today,
                }
            },
            ("TicketTransferState.open_transfer", {"ticket_id": s.other_ticket}),
        ),
        mutates=True,
        acts_then_page_refuses=PARTIAL_ADMIN,
        note="the admin's transfer happens; the members tab it then re-reads is the foreman's",
    ),
    # s.21(1)(e), s.31: a guarantor security names at least one guarantor as a record.
    "ForemanPaymentsState.add_security": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(payments_page(s), _guarantor_security(s)),
        mutates=True,
    ),
    "ForemanPaymentsState.release": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            payments_page(s),
            {
                "form": {
                    "payout_id": s.payout,
                    "method": "cash",
                    "reference": "",
                    "paid_on": s.today,
                    "deduction": "0",
                }
            },
            ("ForemanPaymentsState.add_security", _guarantor_security(s)),
        ),
        mutates=True,
    ),
    "ForemanPaymentsState.add_guarantor": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            payments_page(s),
            {
                "form": {
                    "payout_id": s.payout,
                    **GUARANTOR_FORM,
                    "g_name": "Meera Das",
                    "g_mobile": "9876500002",
                    "g_kyc": "234123412346",
                }
            },
            ("ForemanPaymentsState.add_security", _guarantor_security(s)),
        ),
        mutates=True,
    ),
    # s.32-s.33: the written demand on a defaulting prized subscriber, with the guarantors' notices.
    "ForemanPaymentsState.demand_default": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(payments_page(s), {"ticket_id": s.prized_default}),
        mutates=True,
    ),
}
RULES.update(TRANSFER_RULES)


# --- Dues recovered from a prized defaulter's security deposit (issue 15) -------------------------
# s.21(1)(e), s.32-s.33: after the written demand the foreman applies the deposit (world.py gives the
# prized defaulter a ₹5,000 cash deposit) to what is overdue and the future subscriptions.
# services/groups/deposit_recovery.py.
DEPOSIT_RULES: dict[str, Rule] = {
    "ForemanPaymentsState.recover_deposit": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            payments_page(s),
            {"form": {"ticket_id": s.prized_default, "amount": "", "request_key": "deposit-matrix-0001"}},
            ("ForemanPaymentsState.demand_default", {"ticket_id": s.prized_default}),
        ),
        mutates=True,
    ),
}
RULES.update(DEPOSIT_RULES)


# --- Default, removal with a substitute, exit, refunds to subscribers who left (issue 15) ---------
# Chit Funds Act s.28 (written notice; removal of a non-prized defaulter after 7 days), s.30 (the
# substitute pays the arrears; the leaver's contributions less the agreement's deduction are set
# aside and paid). services/groups/defaults.py, substitution.py, services/money/subscriber_refunds.py.
def _change_page(s: Side) -> str:
    return f"/f/groups/{s.change_group}"


CHANGE_RULES: dict[str, Rule] = {
    "TicketChangesState.load": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(_change_page(s)),
        note="each ticket's buttons and the group's refunds; the admin may read them, as every "
        "group_for_foreman service allows",
    ),
    "TicketChangesState.open_change": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(_change_page(s), {"ticket_id": s.default_ticket, "mode": "default"}),
        shows_data=True,
        note="the service's preview of the ticket (arrears, what a substitute pays, the refund)",
    ),
    "TicketChangesState.set_dialog_open": ui("/f/groups/1", {"value": False}),
    "TicketChangesState.set_sub_kind": ui("/f/groups/1", {"value": "new"}),
    "TicketChangesState.open_refund": ui("/f/groups/1", {"refund_id": "1"}),
    "TicketChangesState.set_refund_open": ui("/f/groups/1", {"value": False}),
    # s.28(1): the notice goes to the member in the app and by SMS.
    "TicketChangesState.confirm_default": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            _change_page(s),
            {"form": {"reason": "Month 1 unpaid past its date"}},
            ("TicketChangesState.open_change", {"ticket_id": s.default_ticket, "mode": "default"}),
        ),
        mutates=True,
        acts_then_page_refuses=PARTIAL_ADMIN,
        note="the admin's declaration happens; the members tab it then re-reads is the foreman's",
    ),
    # s.28, s.30: the seat passes to the substitute (here the company holds it) in one transaction.
    "TicketChangesState.confirm_change": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            _change_page(s),
            {"form": {"reason": "Notice ran out, arrears unpaid", "substitute": "company"}},
            ("TicketChangesState.open_change", {"ticket_id": s.removable_ticket, "mode": "remove"}),
        ),
        mutates=True,
        acts_then_page_refuses=PARTIAL_ADMIN,
        note="the admin's removal happens; the members tab it then re-reads is the foreman's",
    ),
    # s.30(2): a refund payable on substitution, paid out of the group's cash.
    "TicketChangesState.pay_refund": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            _change_page(s),
            {"form": {"method": "cash", "reference": "", "paid_on": s.today}},
            ("TicketChangesState.open_refund", {"refund_id": s.due_refund}),
        ),
        mutates=True,
    ),
}
RULES.update(CHANGE_RULES)
