"""The admin's tools: users (activate / deactivate), platform totals, system health, audit search."""

from __future__ import annotations

import pytest
from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.models import AuthSession, User
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.people import admin, auth
from tests.services.helpers import PASSWORD, active_group, foreman, member_actor, pay

INSTALLMENT = 10_000 * 100


def _admin(tx) -> Actor:
    with tx() as s:
        user, _ = auth.create_user(
            s, name="Platform Admin", mobile="9000000001", role="admin", created_by_id=None, password=PASSWORD
        )
        return Actor(user.id, "admin", user.name)


def test_only_admins_get_in(tx):
    boss = foreman(tx)
    _group_id, (t1, *_rest) = active_group(tx, boss, tickets=3)
    member = member_actor(tx, t1)
    with tx() as s:
        for actor in (boss, member, None):
            for call in (admin.platform_totals, admin.system_health, admin.list_users, admin.search_audit):
                with pytest.raises(NotAllowed):
                    call(s, actor=actor)
            with pytest.raises(NotAllowed):
                admin.set_user_active(s, actor=actor, user_id=boss.user_id, active=False, reason="because")


def test_deactivating_a_foreman_ends_their_sessions_and_is_audited(tx):
    root = _admin(tx)
    boss = foreman(tx, name="Ramesh Kumar", mobile="9811122233")
    with tx() as s:
        rows, total = admin.list_users(s, actor=root, role="foreman")
        assert total == 1 and rows[0]["name"] == "Ramesh Kumar" and rows[0]["active"] == "yes"
        with pytest.raises(ServiceError):
            admin.set_user_active(
                s, actor=root, user_id=boss.user_id, active=False, reason=""
            )  # reason needed
        with pytest.raises(ServiceError):
            admin.set_user_active(s, actor=root, user_id=root.user_id, active=False, reason="oops")
        with pytest.raises(ServiceError):
            admin.set_user_active(s, actor=root, user_id=boss.user_id, active="no", reason="because")
        admin.set_user_active(s, actor=root, user_id=str(boss.user_id), active=False, reason="Complaints")
    with tx() as s:
        assert not s.get(User, boss.user_id).is_active
        live = s.exec(
            select(AuthSession).where(AuthSession.user_id == boss.user_id, AuthSession.revoked_at.is_(None))
        ).all()
        assert live == []
        with pytest.raises(ServiceError):
            auth.login(s, mobile="9811122233", password=PASSWORD)
    with tx() as s:
        found, n = admin.search_audit(s, actor=root, action="user.deact", who="Platform")
        assert n == 1 and "Complaints" in found[0]["detail"] and found[0]["object"] == f"user {boss.user_id}"
        admin.set_user_active(s, actor=root, user_id=boss.user_id, active=True)
    with tx() as s:
        assert s.get(User, boss.user_id).is_active
        assert auth.login(s, mobile="9811122233", password=PASSWORD)


def test_totals_come_from_the_books_and_health_reports_status(tx):
    root = _admin(tx)
    boss = foreman(tx)
    _group_id, tickets = active_group(tx, boss, tickets=3)
    pay(tx, boss, tickets[0], INSTALLMENT)
    pay(tx, boss, tickets[1], INSTALLMENT // 2)
    with tx() as s:
        totals = admin.platform_totals(s, actor=root)
        health = admin.system_health(s, actor=root)
        checks = admin.run_checks(s, actor=root)
    assert (totals["foremen"], totals["members"], totals["groups_active"], totals["tickets"]) == (
        "1",
        "3",
        "1",
        "3",
    )
    assert totals["collected"] == "₹15,000"
    assert totals["receivable"] == "₹15,000"  # ₹30,000 raised for month 1, ₹15,000 paid
    assert health["revision"] not in ("none", "unknown") and health["database"] in ("sqlite", "postgresql")
    assert health["outbox_ok"] == "yes"
    assert checks["audit_ok"] == "yes" and checks["ledger_ok"] == "yes"


def test_audit_search_filters_and_pages(tx):
    root = _admin(tx)
    boss = foreman(tx)
    active_group(tx, boss, tickets=3)
    with tx() as s:
        everything, total = admin.search_audit(s, actor=root, limit=2)
        assert len(everything) == 2 and total > 5
        assert int(everything[0]["id"]) > int(everything[1]["id"])  # newest first
        members, n = admin.search_audit(s, actor=root, action="member.")
        assert n == 3 and {r["action"] for r in members} == {"member.added"}
        today = today_ist().isoformat()  # the filter takes IST days, as the admin reads them
        assert admin.search_audit(s, actor=root, date_from=today, date_to=today)[1] >= total - 1
        assert admin.search_audit(s, actor=root, date_to="2020-01-01")[1] == 0
        assert admin.search_audit(s, actor=root, action="%")[1] == 0  # wildcards are literal
        for bad in ({"date_from": "31-01-2026"}, {"date_to": ["x"]}, {"offset": "many"}):
            with pytest.raises(ServiceError):
                admin.search_audit(s, actor=root, **bad)
