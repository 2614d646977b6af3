"""Notifications read in Tamil, Telugu, Kannada and Malayalam (issue 18): stored once in English with
their keys, written out in whichever of the six languages the reader has now; a word among the
values (a ticket's status) in the reader's language too, never in the language of whoever happened
to be notified first; a batch of payments notifies each member in theirs; the service errors a
member sees come in their language."""

from __future__ import annotations

import pytest

from luckychit_app.i18n import message, text
from luckychit_app.locales import CODES
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.messages import inbox
from luckychit_app.services.money import offline_payments, payment_batch
from luckychit_app.services.people import members, profile
from tests.services.helpers import active_group, foreman, member_actor


def _two_members(tx, name: str):
    boss = foreman(tx)
    _group_id, (t1, t2) = active_group(tx, boss, tickets=2, name=name, chit_value="20,000")
    return boss, (t1, t2), member_actor(tx, t1), member_actor(tx, t2)


def _newest(tx, actor) -> dict[str, str]:
    with tx() as s:
        return inbox.read(s, actor=actor).items[0]


def test_one_payment_notification_reads_in_each_of_the_six_languages(tx):
    boss, (t1, _t2), member, _other = _two_members(tx, "Pongal Chit")
    with tx() as s:
        offline_payments.record_offline_payment(s, actor=boss, ticket_id=t1, amount="300", method="cash")
    seen = {}
    for language in CODES:
        with tx() as s:
            profile.set_language(s, actor=member, language=language)
        seen[language] = _newest(tx, member)["title"]
    assert seen["en"] == "₹300 received for Pongal Chit"
    assert seen["ta"] == "Pongal Chit-க்கு ₹300 பெறப்பட்டது"
    assert seen["te"] == "Pongal Chit కోసం ₹300 అందింది"
    assert seen["kn"] == "Pongal Chitಗಾಗಿ ₹300 ಸ್ವೀಕರಿಸಲಾಗಿದೆ"
    assert seen["ml"] == "Pongal Chit-നായി ₹300 ലഭിച്ചു"
    assert len(set(seen.values())) == len(CODES)


def test_a_tickets_status_is_a_word_in_the_readers_language(tx):
    boss, (t1, _t2), member, _other = _two_members(tx, "Ugadi Chit")
    with tx() as s:
        members.set_ticket_status(s, actor=boss, ticket_id=t1, status="suspended", reason="Dues unpaid")
    expected = {
        "en": "Your ticket 1 is now suspended",
        "hi": "आपका टिकट 1 अब निलंबित है",
        "ta": "உங்கள் டிக்கெட் 1 இப்போது இடைநீக்கத்தில் உள்ளது",
        "te": "మీ టికెట్ 1 ఇప్పుడు సస్పెండ్ అయింది",
        "kn": "ನಿಮ್ಮ ಟಿಕೆಟ್ 1 ಈಗ ಅಮಾನತಿನಲ್ಲಿದೆ",
        "ml": "നിങ്ങളുടെ ടിക്കറ്റ് 1 ഇപ്പോൾ സസ്പെൻഡ് ചെയ്തു",
    }
    for language, title in expected.items():
        with tx() as s:
            profile.set_language(s, actor=member, language=language)
        assert _newest(tx, member)["title"] == title


def test_a_batch_of_payments_notifies_each_member_in_their_own_language(tx):
    boss, (t1, t2), tamil, malayali = _two_members(tx, "Vishu Chit")
    with tx() as s:
        profile.set_language(s, actor=tamil, language="ta")
        profile.set_language(s, actor=malayali, language="ml")
    with tx() as s:
        rows = [{"ticket_id": str(t), "amount": "700", "method": "cash"} for t in (t1, t2)]
        payment_batch.record_offline_payments(s, actor=boss, rows=rows)
    ta, ml = _newest(tx, tamil), _newest(tx, malayali)
    assert ta["title"] == "Vishu Chit-க்கு ₹700 பெறப்பட்டது" and ta["body"].startswith("ரசீது எண் ")
    assert ml["title"] == "Vishu Chit-നായി ₹700 ലഭിച്ചു" and ml["body"].startswith("രസീത് നമ്പർ ")


def test_a_language_outside_the_list_is_refused_in_the_readers_language(tx):
    boss = foreman(tx)
    _group_id, (t1, _t2) = active_group(tx, boss, tickets=2)
    member = member_actor(tx, t1)
    with pytest.raises(ServiceError) as refused, tx() as s:
        profile.set_language(s, actor=member, language="fr")
    assert (
        message("kn", refused.value.message) == text("kn", "error.language") == "ಪಟ್ಟಿಯಲ್ಲಿರುವ ಒಂದು ಭಾಷೆಯನ್ನು ಆರಿಸಿ."
    )
