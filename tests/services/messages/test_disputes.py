"""Member queries on a payment or a draw, answered by the group's foreman as a thread."""

from __future__ import annotations

import pytest
from sqlmodel import select

from luckychit_app.models import AuditLog, Dispute, Draw, Notification
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages import disputes
from luckychit_app.services.reporting import home_dashboard
from tests.services.helpers import active_group, conduct, foreman, member_actor, pay

INSTALLMENT = 10_000 * 100


def test_member_raises_foreman_answers_member_replies_and_closes(tx):
    boss = foreman(tx)
    _group_id, (t1, _t2, _t3) = active_group(tx, boss, tickets=3)
    payment = pay(tx, boss, t1, INSTALLMENT)
    asha = member_actor(tx, t1)
    with tx() as s:
        dispute = disputes.raise_dispute(
            s,
            actor=asha,
            subject_type="payment",
            subject_id=payment.id,
            title="Receipt shows the wrong amount",
            body="I paid ₹10,000 in cash on Monday.",
        )
        dispute_id = dispute.id
    with tx() as s:
        rows, total = disputes.threads_for_foreman(s, actor=boss)
        assert (
            total == 1 and rows[0]["status"] == "open" and rows[0]["subject"].startswith("Payment of ₹10,000")
        )
        assert home_dashboard.cards(s, actor=boss)["queries"] == "1"
        disputes.add_message(s, actor=boss, dispute_id=dispute_id, body="Checked: receipt 1 is ₹10,000.")
    with tx() as s:
        mine = disputes.threads_for_member(s, actor=asha)
        assert [(r["id"], r["status"], r["messages"]) for r in mine] == [(str(dispute_id), "answered", "2")]
        disputes.add_message(s, actor=asha, dispute_id=dispute_id, body="Thank you, understood.")
        assert s.get(Dispute, dispute_id).status == "open"
        disputes.close_dispute(s, actor=asha, dispute_id=dispute_id)
    with tx() as s:
        thread = disputes.thread(s, actor=boss, dispute_id=dispute_id)
        assert thread["is_closed"] and [m["by_member"] for m in thread["thread"]] == ["yes", "", "yes"]
        with pytest.raises(ServiceError):
            disputes.add_message(s, actor=boss, dispute_id=dispute_id, body="One more thing")
        actions = [a.action for a in s.exec(select(AuditLog).where(AuditLog.object_type == "dispute")).all()]
        assert actions == ["dispute.raised", "dispute.message", "dispute.message", "dispute.closed"]
        kinds = s.exec(select(Notification.user_id).where(Notification.kind == "dispute")).all()
        assert boss.user_id in kinds and asha.user_id in kinds


def test_a_draw_can_be_questioned_by_any_member_of_its_group(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    for t in tickets:
        pay(tx, boss, t, INSTALLMENT)
    conduct(tx, boss, group_id)
    member = member_actor(tx, tickets[2])
    with tx() as s:
        draw_id = s.exec(select(Draw.id).where(Draw.group_id == group_id, Draw.month == 1)).one()
        d = disputes.raise_dispute(
            s,
            actor=member,
            subject_type="draw",
            subject_id=str(draw_id),
            title="How was the winner chosen?",
            body="Please explain the proof.",
        )
        assert d.group_id == group_id


def test_nobody_else_can_read_or_write_a_thread(tx):
    boss = foreman(tx)
    _group_id, (t1, t2, _t3) = active_group(tx, boss, tickets=3)
    payment = pay(tx, boss, t1, INSTALLMENT)
    other_boss = foreman(tx, name="Other Foreman")
    _other_group, (o1, *_rest) = active_group(tx, other_boss, tickets=3)
    asha, ravi, outsider = member_actor(tx, t1), member_actor(tx, t2), member_actor(tx, o1)
    with tx() as s:
        # Only the member whose payment it is may question it; foremen do not raise disputes.
        for actor in (ravi, outsider, boss):
            with pytest.raises(NotAllowed):
                disputes.raise_dispute(
                    s, actor=actor, subject_type="payment", subject_id=payment.id, title="Hmm?", body="Why?"
                )
        dispute_id = disputes.raise_dispute(
            s, actor=asha, subject_type="payment", subject_id=payment.id, title="Wrong", body="Wrong amount"
        ).id
    with tx() as s:
        for actor in (ravi, outsider, other_boss, None):
            with pytest.raises(NotAllowed):
                disputes.thread(s, actor=actor, dispute_id=dispute_id)
            with pytest.raises(NotAllowed):
                disputes.add_message(s, actor=actor, dispute_id=dispute_id, body="Let me in")
            with pytest.raises(NotAllowed):
                disputes.close_dispute(s, actor=actor, dispute_id=dispute_id)
        assert disputes.threads_for_foreman(s, actor=other_boss) == ([], 0)
        assert disputes.threads_for_member(s, actor=ravi) == []


def test_dispute_input_is_validated(tx):
    boss = foreman(tx)
    _group_id, (t1, *_rest) = active_group(tx, boss, tickets=3)
    payment = pay(tx, boss, t1, INSTALLMENT)
    asha = member_actor(tx, t1)
    with tx() as s:
        for subject_type, subject_id, title, body in (
            ("refund", payment.id, "Title", "Body text"),
            ("payment", "1; drop", "Title", "Body text"),
            ("payment", payment.id, "", "Body text"),
            ("payment", payment.id, "Title", "x" * 1001),
            ("payment", payment.id, "Title", {"$ne": 1}),
            ("payment", payment.id, "Title\u202e", "Body text"),
        ):
            with pytest.raises(ServiceError):
                disputes.raise_dispute(
                    s, actor=asha, subject_type=subject_type, subject_id=subject_id, title=title, body=body
                )
        with pytest.raises(ServiceError):
            disputes.threads_for_foreman(s, actor=boss, status="everything")
