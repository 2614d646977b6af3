"""The app object, theme and page registration. Nothing else lives here."""

from __future__ import annotations

import reflex as rx

from luckychit_app import db_loop, metrics
from luckychit_app.api.metrics import warn_if_metrics_off
from luckychit_app.api.routes import api
from luckychit_app.background import periodic_jobs
from luckychit_app.logging_setup import configure_logging
from luckychit_app.pages.admin import admin_page
from luckychit_app.pages.foreman.actions import actions_page
from luckychit_app.pages.foreman.bank import bank_page
from luckychit_app.pages.foreman.collections import collections_page
from luckychit_app.pages.foreman.company import company_page
from luckychit_app.pages.foreman.dashboard import dashboard_page
from luckychit_app.pages.foreman.disputes import disputes_page
from luckychit_app.pages.foreman.draws import foreman_draw_page
from luckychit_app.pages.foreman.group import group_page
from luckychit_app.pages.foreman.groups import groups_page
from luckychit_app.pages.foreman.members import members_directory_page
from luckychit_app.pages.foreman.new_group import new_group_page
from luckychit_app.pages.foreman.notifications import foreman_notifications_page
from luckychit_app.pages.foreman.payments import group_payments_page
from luckychit_app.pages.foreman.reports import reports_page
from luckychit_app.pages.member.agreement import member_agreement_page
from luckychit_app.pages.member.draws import member_draw_page, member_draws_page
from luckychit_app.pages.member.home import member_home_page
from luckychit_app.pages.member.notifications import member_notifications_page
from luckychit_app.pages.member.passbook import member_payments_page
from luckychit_app.pages.member.pay import member_pay_page, test_checkout_page
from luckychit_app.pages.member.profile import member_profile_page
from luckychit_app.pages.member.queries import member_queries_page, member_thread_page
from luckychit_app.pages.minutes import minutes_page
from luckychit_app.pages.public.auth import change_password_page, index_page, login_page, signup_page
from luckychit_app.pages.public.forgot import forgot_password_page
from luckychit_app.pages.public.join import join_page
from luckychit_app.pages.public.verify import verify_page
from luckychit_app.pages.receipt import receipt_page
from luckychit_app.pages.staff.branch import branch_dashboard_page
from luckychit_app.pages.staff.cash import cash_page
from luckychit_app.pages.staff.desk import desk_page
from luckychit_app.pages.staff.members import staff_members_page
from luckychit_app.state import hub
from luckychit_app.state.accounts import AccountsState
from luckychit_app.state.admin import AdminState
from luckychit_app.state.bank_reconciliation import BankReconciliationState
from luckychit_app.state.branch_dashboard import BranchDashboardState
from luckychit_app.state.cash import CashState
from luckychit_app.state.company import CompanyState
from luckychit_app.state.dashboard import (
    ActionsState,
    CollectionsState,
    DashboardState,
    DisputesState,
    GroupsListState,
    MembersDirectoryState,
)
from luckychit_app.state.data_rights import DataRightsState
from luckychit_app.state.desk import DeskState
from luckychit_app.state.event_guard import EventArgumentGuard
from luckychit_app.state.event_metrics import EventMetrics
from luckychit_app.state.foreman import GroupPageState, NewGroupState
from luckychit_app.state.group_payments import ForemanPaymentsState
from luckychit_app.state.group_tabs import GroupMembersState
from luckychit_app.state.join import JoinState
from luckychit_app.state.live_draw import DrawState
from luckychit_app.state.member import MemberHomeState
from luckychit_app.state.member_agreement import MemberAgreementState
from luckychit_app.state.member_draws import MemberDrawsState
from luckychit_app.state.member_pay import MemberPayState
from luckychit_app.state.minutes import MinutesState
from luckychit_app.state.notifications import BellState
from luckychit_app.state.passbook import PassbookState
from luckychit_app.state.profile import ProfileState
from luckychit_app.state.queries import QueriesState, ThreadState
from luckychit_app.state.receipt import ReceiptState
from luckychit_app.state.session import SessionState
from luckychit_app.state.staff_members import StaffMembersState
from luckychit_app.state.test_checkout import TestCheckoutState
from luckychit_app.state.verify import VerifyState

app = rx.App(
    api_transformer=api,
    stylesheets=["/typography.css"],  # the Indian scripts' fonts by name; buttons that wrap
    head_components=[
        rx.el.meta(name="theme-color", content="#0f766e"),
        rx.el.link(rel="manifest", href="/manifest.json"),
        rx.el.link(rel="apple-touch-icon", href="/icon-192.png"),
        rx.script("if ('serviceWorker' in navigator) { navigator.serviceWorker.register('/sw.js'); }"),
    ],
)
# States ask the hub about the running app (open websockets) instead of importing this module.
hub.register(app)

# Outbox delivery and closing auctions at their closing time (luckychit_app.background).
app.register_lifespan_task(periodic_jobs)
app.register_lifespan_task(db_loop.pools_closed_at_exit)  # the session checks' pool (db_loop.py)
# Observability: JSON logs in production, and /metrics counting every event, payment and draw.
configure_logging()
metrics.install()
warn_if_metrics_off()  # production without LUCKYCHIT_METRICS_TOKEN: /metrics is refused (issue 17)
app.add_middleware(EventMetrics())
# Crafted events whose arguments cannot fit the handler are refused before it runs (issue 7).
app.add_middleware(EventArgumentGuard())

app.add_page(index_page, route="/", title="LuckyChit", on_load=SessionState.route_home)
app.add_page(login_page, route="/login", title="Sign in · LuckyChit")
app.add_page(signup_page, route="/signup", title="Foreman sign-up · LuckyChit")
app.add_page(change_password_page, route="/change-password", title="Password · LuckyChit")
app.add_page(forgot_password_page, route="/forgot-password", title="Forgot password · LuckyChit")

app.add_page(join_page, route="/join/[code]", title="Join a chit group · LuckyChit", on_load=JoinState.load)

app.add_page(dashboard_page, route="/f", title="Dashboard · LuckyChit", on_load=[DashboardState.load])
app.add_page(groups_page, route="/f/groups", title="Groups · LuckyChit", on_load=[GroupsListState.load])
app.add_page(
    new_group_page,
    route="/f/groups/new",
    title="New group · LuckyChit",
    on_load=[SessionState.guard_foreman, NewGroupState.load_branches],
)
app.add_page(
    group_page,
    route="/f/groups/[group_id]",
    title="Group · LuckyChit",
    # The other tabs read their data when opened (CollectionGridState.tab_changed).
    on_load=[GroupPageState.load, GroupMembersState.load],
)
app.add_page(
    actions_page,
    route="/f/actions",
    title="Pending actions · LuckyChit",
    on_load=[ActionsState.load],
)
app.add_page(
    members_directory_page,
    route="/f/members",
    title="Members · LuckyChit",
    on_load=[MembersDirectoryState.load],
)
app.add_page(
    collections_page,
    route="/f/collections",
    title="Collections · LuckyChit",
    on_load=[CollectionsState.load],
)
app.add_page(
    disputes_page,
    route="/f/disputes",
    title="Member queries · LuckyChit",
    on_load=[DisputesState.load],
)
app.add_page(
    foreman_draw_page,
    route="/f/draws/[draw_id]",
    title="Draw · LuckyChit",
    on_load=[DrawState.load, DrawState.watch],
)
app.add_page(
    group_payments_page,
    route="/f/groups/[group_id]/payments",
    title="Payments · LuckyChit",
    on_load=[ForemanPaymentsState.load],
)
app.add_page(
    reports_page,
    route="/f/reports",
    title="Reports · LuckyChit",
    on_load=[GroupsListState.load, AccountsState.load],
)
app.add_page(
    bank_page,
    route="/f/bank",
    title="Bank reconciliation · LuckyChit",
    on_load=[BankReconciliationState.load],
)

app.add_page(member_home_page, route="/m", title="Home · LuckyChit", on_load=MemberHomeState.load)
app.add_page(
    member_payments_page,
    route="/m/payments",
    title="Payments · LuckyChit",
    on_load=[PassbookState.load],
)
app.add_page(
    member_pay_page,
    route="/m/pay/[ticket_id]",
    title="Pay · LuckyChit",
    on_load=[MemberPayState.load],
)
app.add_page(
    test_checkout_page,
    route="/pay/test-checkout/[order]",
    title="Test checkout · LuckyChit",
    on_load=[TestCheckoutState.load],
)
app.add_page(
    member_agreement_page,
    route="/m/agreement/[group_id]",
    title="Chit agreement · LuckyChit",
    on_load=[MemberAgreementState.load],
)
app.add_page(
    member_draws_page,
    route="/m/draws",
    title="Draws · LuckyChit",
    on_load=[MemberDrawsState.load],
)
app.add_page(
    member_draw_page,
    route="/m/draws/[draw_id]",
    title="Live draw · LuckyChit",
    on_load=[DrawState.load, DrawState.watch],
)
app.add_page(
    member_profile_page,
    route="/m/profile",
    title="Profile · LuckyChit",
    on_load=[ProfileState.load, DataRightsState.load],
)
app.add_page(
    member_queries_page,
    route="/m/queries",
    title="Queries · LuckyChit",
    on_load=[QueriesState.load],
)
app.add_page(
    member_thread_page,
    route="/m/queries/[dispute_id]",
    title="Query · LuckyChit",
    on_load=[ThreadState.load],
)
app.add_page(
    member_notifications_page,
    route="/m/notifications",
    title="Notifications · LuckyChit",
    on_load=[BellState.open_list],
)
app.add_page(
    foreman_notifications_page,
    route="/f/notifications",
    title="Notifications · LuckyChit",
    on_load=[BellState.open_list],
)

app.add_page(
    minutes_page, route="/draws/[draw_id]/minutes", title="Minutes · LuckyChit", on_load=MinutesState.load
)
app.add_page(
    verify_page, route="/verify/[draw_id]", title="Verify a draw · LuckyChit", on_load=VerifyState.load
)
app.add_page(verify_page, route="/verify", title="Verify a draw · LuckyChit", on_load=VerifyState.load)

app.add_page(
    receipt_page, route="/receipts/[payment_id]", title="Receipt · LuckyChit", on_load=ReceiptState.load
)

app.add_page(admin_page, route="/admin", title="Admin · LuckyChit", on_load=AdminState.load)

# Staff: today's collection list (/s), cash and the branch cash book (/s/cash), the branch dashboard
# (/s/branch), a branch's members (/s/members); the owner's company page (/f/company)
app.add_page(desk_page, route="/s", title="Today · LuckyChit", on_load=DeskState.load)
app.add_page(cash_page, route="/s/cash", title="Cash · LuckyChit", on_load=CashState.load)
app.add_page(company_page, route="/f/company", title="Company · LuckyChit", on_load=CompanyState.load)
app.add_page(
    branch_dashboard_page, route="/s/branch", title="Branch · LuckyChit", on_load=BranchDashboardState.load
)
app.add_page(
    staff_members_page, route="/s/members", title="Members · LuckyChit", on_load=StaffMembersState.load
)
