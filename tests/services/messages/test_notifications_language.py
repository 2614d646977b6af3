"""Notifications are stored in English with their i18n keys and values (migration 0010) and written
out in the READER's language each time they are read: a Hindi reader gets the Hindi, everyone else
the English as stored, and a switch of language changes the old notifications too (issue 16, item 21).
Opening one marks it read and returns its link, only for its own reader."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from luckychit_app.i18n import STRINGS
from luckychit_app.models import Notification, Payment
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages import inbox, notifications
from luckychit_app.services.money import offline_payments, payment_batch
from luckychit_app.services.people import profile
from tests.services.helpers import active_group, foreman, member_actor, snapshot, staff

APP = Path(__file__).resolve().parents[3] / "luckychit_app"


def _latest(s, user_id: int) -> Notification:
    return s.exec(
        select(Notification).where(Notification.user_id == user_id).order_by(Notification.id.desc())
    ).first()


def _newest_item(tx, actor: Actor) -> dict[str, str]:
    with tx() as s:
        return inbox.read(s, actor=actor).items[0]


def _two_members(tx, name: str):
    boss = foreman(tx)
    _group_id, (t1, t2) = active_group(tx, boss, tickets=2, name=name, chit_value="20,000")
    return boss, (t1, t2), member_actor(tx, t1), member_actor(tx, t2)


def test_payment_notification_is_stored_in_english_with_keys_and_read_in_each_language(tx):
    boss, (t1, t2), hindi, english = _two_members(tx, "Diwali Chit")
    with tx() as s:
        profile.set_language(s, actor=hindi, language="hi")
    with tx() as s:
        for tid in (t1, t2):
            offline_payments.record_offline_payment(s, actor=boss, ticket_id=tid, amount="500", method="cash")
    with tx() as s:
        hi, en = _latest(s, hindi.user_id), _latest(s, english.user_id)
        payment = s.exec(select(Payment).where(Payment.ticket_id == t1)).one()
        for stored in (hi, en):  # the same English and keys for both: the reader decides at read time
            assert stored.title == "₹500 received for Diwali Chit" and stored.body.startswith("Receipt no. ")
            assert (stored.title_key, stored.body_key) == (
                "notify.payment_received",
                "notify.payment_received_body",
            )
            assert json.loads(stored.values_json)["group"] == "Diwali Chit"
        assert hi.link == f"/receipts/{payment.id}"  # a payment's notification opens its receipt
    item = _newest_item(tx, hindi)
    assert item["title"] == "Diwali Chit के लिए ₹500 प्राप्त हुए" and item["body"].startswith("रसीद क्रमांक ")
    assert item["link"] == f"/receipts/{payment.id}" and item["unread"] == "yes"
    item = _newest_item(tx, english)
    assert item["title"] == "₹500 received for Diwali Chit" and item["body"].startswith("Receipt no. ")


def test_a_switch_of_language_rewrites_the_old_notifications_both_ways(tx):
    boss, (t1, _t2), member, _other = _two_members(tx, "Onam Chit")
    with tx() as s:  # written while the member reads English
        offline_payments.record_offline_payment(s, actor=boss, ticket_id=t1, amount="300", method="cash")
    assert _newest_item(tx, member)["title"] == "₹300 received for Onam Chit"
    with tx() as s:
        profile.set_language(s, actor=member, language="hi")
    with tx() as s:
        got = inbox.read(s, actor=member)
    assert got.language == "hi" and got.items[0]["title"] == "Onam Chit के लिए ₹300 प्राप्त हुए"
    assert got.items[0]["body"].startswith("रसीद क्रमांक ")
    with tx() as s:  # written while Hindi, read after switching back to English
        offline_payments.record_offline_payment(s, actor=boss, ticket_id=t1, amount="200", method="cash")
        profile.set_language(s, actor=member, language="en")
    with tx() as s:
        titles = [i["title"] for i in inbox.read(s, actor=member).items[:2]]
    assert titles == ["₹200 received for Onam Chit", "₹300 received for Onam Chit"]


def test_a_batch_of_payments_notifies_each_member_in_their_language(tx):
    boss, (t1, t2), hindi, english = _two_members(tx, "Holi Chit")
    with tx() as s:
        profile.set_language(s, actor=hindi, language="hi")
    with tx() as s:
        rows = [{"ticket_id": str(t), "amount": "700", "method": "cash"} for t in (t1, t2)]
        payment_batch.record_offline_payments(s, actor=boss, rows=rows)
    hi, en = _newest_item(tx, hindi), _newest_item(tx, english)
    assert hi["title"] == "Holi Chit के लिए ₹700 प्राप्त हुए" and hi["body"].startswith("रसीद क्रमांक ")
    assert en["title"] == "₹700 received for Holi Chit" and en["body"].startswith("Receipt no. ")


def test_messages_without_keys_stay_as_written_and_a_key_without_a_body_key_keeps_the_body(tx):
    _boss, _tickets, member, _other = _two_members(tx, "Pongal Chit")
    with tx() as s:
        profile.set_language(s, actor=member, language="hi")
        notifications.notify(s, [member.user_id], kind="plain", title="Plain English", body="No keys here")
        notifications.notify(
            s,
            [member.user_id],
            kind="upi_rejected",
            title="UPI payment of ₹100 not confirmed (Pongal Chit)",
            body="The UTR did not match",  # typed by the foreman: shown as written
            title_key="notify.upi_rejected",
            values={"amount": "₹100", "group": "Pongal Chit"},
        )
    with tx() as s:
        items = inbox.read(s, actor=member).items
        stored = _latest(s, member.user_id)
    assert (items[0]["title"], items[0]["body"]) == (
        "₹100 के यूपीआई भुगतान की पुष्टि नहीं हुई (Pongal Chit)",
        stored.body,
    )
    assert (items[1]["title"], items[1]["body"]) == ("Plain English", "No keys here")
    assert stored.body_key == ""


def test_a_key_that_does_not_fit_is_dropped_and_the_english_is_kept(tx, caplog):
    _boss, _tickets, member, _other = _two_members(tx, "Ugadi Chit")
    with tx() as s:
        profile.set_language(s, actor=member, language="hi")
        notifications.notify(
            s,
            [member.user_id],
            kind="x",
            title="Missing values",
            title_key="notify.payment_received",
            values={"group": "Ugadi Chit"},  # no amount
        )
        notifications.notify(s, [member.user_id], kind="y", title="Unknown key", title_key="notify.nope")
    with tx() as s:
        stored = s.exec(select(Notification).where(Notification.user_id == member.user_id)).all()
        titles = [i["title"] for i in inbox.read(s, actor=member).items[:2]]
    assert {(n.title_key, n.values_json) for n in stored if n.kind in ("x", "y")} == {("", "{}")}
    assert titles == ["Unknown key", "Missing values"]
    assert "notify.nope" in caplog.text


def test_render_falls_back_to_the_english_when_stored_values_no_longer_fit():
    note = Notification(
        id=1,
        user_id=1,
        kind="payment_received",
        title="₹5 received for G",
        body="Receipt no. 1",
        title_key="notify.payment_received",
        body_key="notify.payment_received_body",
        values_json='{"amount": "₹5"}',  # "group" and "receipt" missing
    )
    assert notifications.render(note, "hi") == ("₹5 received for G", "Receipt no. 1")
    note.values_json = "not json"
    assert notifications.render(note, "hi") == ("₹5 received for G", "Receipt no. 1")
    assert notifications.render(note, "en") == ("₹5 received for G", "Receipt no. 1")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    group=st.text(min_size=1, max_size=40),
    amount=st.integers(min_value=1, max_value=10**9),
    receipt=st.text(alphabet="ABCXYZ0123456789/", min_size=1, max_size=12),
)
def test_any_values_are_written_out_whole_in_hindi_and_never_break_the_bell(group, amount, receipt):
    """Braces, quotes or Devanagari in a group's name are values, never part of the template."""
    values = {"amount": f"₹{amount:,}", "group": group, "receipt": receipt}
    note = Notification(
        id=1,
        user_id=1,
        kind="payment_received",
        title="English",
        body="English body",
        title_key="notify.payment_received",
        body_key="notify.payment_received_body",
        values_json=json.dumps(values, ensure_ascii=False),
    )
    title, body = notifications.render(note, "hi")
    assert title == f"{group} के लिए {values['amount']} प्राप्त हुए"
    assert body == f"रसीद क्रमांक {receipt}"


def test_opening_a_notification_marks_it_read_and_returns_its_link_only_for_its_reader(tx, engine):
    boss, (t1, _t2), member, other = _two_members(tx, "Lohri Chit")
    with tx() as s:
        offline_payments.record_offline_payment(s, actor=boss, ticket_id=t1, amount="250", method="cash")
    with tx() as s:
        note = _latest(s, member.user_id)
        note_id, link = note.id, note.link
        assert inbox.read(s, actor=member).unread >= 1
    clerk = staff(tx, boss, "clerk")
    before = snapshot(engine)
    refusals = [
        (other, note_id),  # another member's
        (boss, note_id),  # the foreman who caused it
        (clerk, note_id),  # staff read no notifications
        (None, note_id),
        (member, 10**6),  # none such
    ]
    for actor, nid in refusals:
        with pytest.raises(ServiceError), tx() as s:
            notifications.open_one(s, actor=actor, notification_id=nid)
    for junk in ("abc", -1, 0, None, [1], {"id": 1}, True, 10**30, "1; DROP TABLE users"):
        with pytest.raises(ServiceError), tx() as s:
            notifications.open_one(s, actor=member, notification_id=junk)
    assert snapshot(engine) == before
    with tx() as s:
        assert notifications.open_one(s, actor=member, notification_id=str(note_id)) == link
    with tx() as s:
        assert s.get(Notification, note_id).read_at is not None
        again = notifications.open_one(s, actor=member, notification_id=note_id)  # opening twice is fine
    assert again == link and link.startswith("/receipts/")


def test_links_outside_the_app_are_never_followed():
    assert notifications.safe_link("/receipts/7") == "/receipts/7"
    for bad in ("https://evil.example/x", "//evil.example", "javascript:alert(1)", "/\\evil", ""):
        assert notifications.safe_link(bad) == ""


def test_inbox_counts_marks_read_and_limits(tx):
    _boss, _tickets, member, other = _two_members(tx, "Bihu Chit")
    with tx() as s:
        for i in range(5):
            notifications.notify(s, [member.user_id], kind="n", title=f"Note {i}")
    with tx() as s:
        got = inbox.read(s, actor=member, limit=3)
        theirs = inbox.read(s, actor=other)
    assert [i["title"] for i in got.items] == ["Note 4", "Note 3", "Note 2"]
    assert got.unread >= 5 and got.newest == int(got.items[0]["id"])
    assert not any(i["title"].startswith("Note") for i in theirs.items)  # each reads their own
    with tx() as s:
        notifications.mark_all_read(s, actor=member)
    with tx() as s:
        after = inbox.read(s, actor=member)
    assert after.unread == 0 and {i["unread"] for i in after.items} == {""}
    with pytest.raises(NotAllowed), tx() as s:
        inbox.read(s, actor=None)


# --- every notify() call that passes keys passes the values they need ------------------------------


def _fields(key: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(STRINGS[key][0]) if name}


def _literal_keys(node: ast.expr) -> list[str]:
    """The key(s) a keyword argument names: a string, or either branch of `a if x else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if node.value else []
    if isinstance(node, ast.IfExp):
        return _literal_keys(node.body) + _literal_keys(node.orelse)
    raise AssertionError(f"a notification key must be a literal (or a choice of literals): {ast.dump(node)}")


def _notify_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "notify"
            ):
                calls.append((f"{path.relative_to(APP)}:{node.lineno}", node))
    return calls


def test_every_notify_call_with_keys_passes_every_value_its_keys_need():
    calls = _notify_calls()
    keyed = 0
    for where, call in calls:
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        keys = [key for name in ("title_key", "body_key") if name in kw for key in _literal_keys(kw[name])]
        if not keys:
            continue
        keyed += 1
        for key in keys:
            assert key in STRINGS, f"{where}: unknown key {key}"
        needed = set().union(*(_fields(key) for key in keys))
        if not needed:
            continue
        assert isinstance(kw.get("values"), ast.Dict), f"{where}: values must be a dict literal"
        given_names = {k.value for k in kw["values"].keys if isinstance(k, ast.Constant)}
        assert needed <= given_names, f"{where}: {sorted(needed - given_names)} missing from values"
    assert keyed >= 25, keyed  # the scan really finds the services' notifications
