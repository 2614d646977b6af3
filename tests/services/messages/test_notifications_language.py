"""Notifications are written in each recipient's language: Hindi readers get the i18n strings,
everyone else the English the service wrote."""

from __future__ import annotations

from sqlmodel import select

from luckychit_app.models import Notification, Ticket, User
from luckychit_app.services.money import offline_payments, payment_batch
from luckychit_app.services.people import profile
from tests.services.helpers import active_group, foreman, member_actor


def _latest(s, user_id: int) -> Notification:
    return s.exec(
        select(Notification).where(Notification.user_id == user_id).order_by(Notification.id.desc())
    ).first()


def test_payment_notification_follows_the_members_language(tx):
    boss = foreman(tx)
    _group_id, (t1, t2) = active_group(tx, boss, tickets=2, name="Diwali Chit", chit_value="20,000")
    hindi, english = member_actor(tx, t1), member_actor(tx, t2)
    with tx() as s:
        profile.set_language(s, actor=hindi, language="hi")
    with tx() as s:
        for tid in (t1, t2):
            offline_payments.record_offline_payment(s, actor=boss, ticket_id=tid, amount="500", method="cash")
    with tx() as s:
        hi, en = _latest(s, hindi.user_id), _latest(s, english.user_id)
        assert hi.title == "Diwali Chit के लिए ₹500 प्राप्त हुए"
        assert hi.body.startswith("रसीद क्रमांक ")
        assert en.title == "₹500 received for Diwali Chit" and en.body.startswith("Receipt no. ")
        assert s.get(User, s.get(Ticket, t1).member_id).language == "hi"


def test_a_batch_of_payments_notifies_each_member_in_their_language(tx):
    boss = foreman(tx)
    _group_id, (t1, t2) = active_group(tx, boss, tickets=2, name="Holi Chit", chit_value="20,000")
    hindi, english = member_actor(tx, t1), member_actor(tx, t2)
    with tx() as s:
        profile.set_language(s, actor=hindi, language="hi")
    with tx() as s:
        rows = [{"ticket_id": str(t), "amount": "700", "method": "cash"} for t in (t1, t2)]
        payment_batch.record_offline_payments(s, actor=boss, rows=rows)
    with tx() as s:
        hi, en = _latest(s, hindi.user_id), _latest(s, english.user_id)
        assert hi.title == "Holi Chit के लिए ₹700 प्राप्त हुए" and hi.body.startswith("रसीद क्रमांक ")
        assert en.title == "₹700 received for Holi Chit" and en.body.startswith("Receipt no. ")
