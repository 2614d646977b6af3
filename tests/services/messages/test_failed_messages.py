"""Issue 18, item 6: a message that failed for good reaches the bell of the foremen of the
recipient's groups, with the reason; a failed one-time code does not (its asker simply asks again)."""

from __future__ import annotations

from sqlmodel import select

from luckychit_app.gateways.senders import Permanent
from luckychit_app.models import Notification, User
from luckychit_app.services.messages import outbox
from tests.services.helpers import active_group, foreman, member_actor
from tests.services.messages.test_outbox_delivery import Recorder


def _failed_notices(tx, user_id: int) -> list[Notification]:
    with tx() as s:
        return list(
            s.exec(
                select(Notification).where(
                    Notification.user_id == user_id, Notification.kind == "message_failed"
                )
            ).all()
        )


def test_a_failed_receipt_tells_the_members_foreman_and_a_failed_code_does_not(tx):
    owner, stranger = foreman(tx), foreman(tx, name="Other Foreman")
    _group, tickets = active_group(tx, owner, tickets=3)
    member = member_actor(tx, tickets[1])
    with tx() as s:
        person = s.get(User, member.user_id)
        for kind in ("receipt", "sign_in_code"):
            outbox.enqueue(s, channel="sms", recipient=person.mobile, kind=kind, body=f"a {kind}")
    got = outbox.deliver_due(tx, Recorder(fail=Permanent("Invalid mobile number")))
    assert got["failed"] == 2
    notices = _failed_notices(tx, owner.user_id)
    assert [n.title for n in notices] == [f"SMS to {person.name} failed"]  # the receipt only
    assert "Invalid mobile number" in notices[0].body and notices[0].link == "/f/members"
    assert _failed_notices(tx, stranger.user_id) == [] and _failed_notices(tx, member.user_id) == []
