"""The member's words in six languages (English and Hindi in i18n.STRINGS, Tamil, Telugu, Kannada
and Malayalam in luckychit_app/locales): every key in every language with the same placeholders and
in its own script, every key the code uses present, one list of languages that every picker and
validator reads, and no member screen left with a bare English label."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from luckychit_app import i18n
from luckychit_app.i18n import STRINGS, TABLES, check_detail, message, text
from luckychit_app.locales import CODES, LANGUAGES
from luckychit_app.models import GROUP_STATUSES
from luckychit_app.services.draws import draw_views
from luckychit_app.services.messages import disputes, notifications
from luckychit_app.services.money import passbook, payment_methods
from luckychit_app.services.people import members
from luckychit_app.verify import ALL_CHECK_NAMES, CHECK_NAMES

APP = Path(__file__).resolve().parents[1] / "luckychit_app"
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
SCRIPTS = {
    "hi": DEVANAGARI,
    "ta": re.compile(r"[\u0B80-\u0BFF]"),
    "te": re.compile(r"[\u0C00-\u0C7F]"),
    "kn": re.compile(r"[\u0C80-\u0CFF]"),
    "ml": re.compile(r"[\u0D00-\u0D7F]"),
}
"""Each language's letters: a translation holds some (a value left in English does not)."""
SAME_AS_ENGLISH = {"method.upi"}
"""Keys whose text is the same word in every language: "UPI" is printed so on every app and QR."""
# t("key") in components; text(lang, "key") / tr(lang, "key") on the server.
USED_KEY = re.compile(
    r"""\b(?:t|text|tr)\(\s*(?:[\w.]+(?:\([^()]*\))?\s*,\s*)?["']([a-z_]+\.[a-z0-9_]+)["']"""
)
# ... and either key of text(lang, "a.b" if x else "a.c").
CHOSEN_KEY = re.compile(r"""["']([a-z_]+\.[a-z0-9_]+)["']\s+if\b|\belse\s+["']([a-z_]+\.[a-z0-9_]+)["']""")
# Keys built at run time from a family prefix: text(lang, f"method.{p.method}").
USED_FAMILY = re.compile(r"""\b(?:text|tr)\(\s*[\w.]+\s*,\s*f["']([a-z_]+)\.\{""")
# notify(..., title_key="notify.x", body_key="notify.x_body"): Hindi notifications.
NOTIFY_KEY = re.compile(r"""\b(?:title|body)_key=["']([a-z_]+\.[a-z0-9_]+)["']""")
MEMBER_SCREENS = [
    *sorted((APP / "pages" / "member").glob("*.py")),
    APP / "pages" / "receipt.py",
    APP / "pages" / "public" / "verify.py",
    APP / "components" / "draw_animation.py",
]
BARE_LABEL = re.compile(
    r"""rx\.(?:text|heading|button|badge|link|callout|el\.a|el\.option)\(\s*["'][A-Za-z]"""
)
BARE_LINE = re.compile(r"""^\s+["'][A-Z][a-z][^"']*["'],?$""")
BRAND = "LuckyChit"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _sources() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if ".web" not in p.parts)


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_english_and_devanagari_hindi_with_the_same_placeholders(key):
    en, hi = STRINGS[key]
    assert en.strip() and hi.strip(), key
    assert DEVANAGARI.search(hi), f"{key}: the Hindi is not in Devanagari: {hi!r}"
    assert _fields(en) == _fields(hi), f"{key}: {_fields(en)} != {_fields(hi)}"
    assert "₹" not in en or "₹" in hi, f"{key}: keep the ₹ sign"


def test_every_language_has_one_table_and_the_pickers_read_one_list():
    from luckychit_app.services.people import profile
    from luckychit_app.state import auth_pages

    assert CODES == ("en", "hi", "ta", "te", "kn", "ml") == tuple(TABLES)
    assert [language.native for language in LANGUAGES] == [
        "English",
        "हिन्दी",
        "தமிழ்",
        "తెలుగు",
        "ಕನ್ನಡ",
        "മലയാളം",
    ]
    assert profile.LANGUAGES == auth_pages.LANGUAGES == CODES
    assert all(len(code) == 2 for code in CODES)  # User.language is a 2-character column


@pytest.mark.parametrize("language", [code for code in CODES if code != "en"])
def test_every_key_is_translated_with_the_same_placeholders_in_its_script(language):
    table = TABLES[language]
    assert set(table) == set(STRINGS), {
        "missing": sorted(set(STRINGS) - set(table)),
        "unknown": sorted(set(table) - set(STRINGS)),
    }
    script = SCRIPTS[language]
    problems = []
    for key, (en, _hi) in STRINGS.items():
        value = table[key]
        if not value.strip():
            problems.append((key, "empty"))
        elif _fields(value) != _fields(en):
            problems.append((key, f"placeholders {sorted(_fields(value))} != {sorted(_fields(en))}"))
        elif key in SAME_AS_ENGLISH:
            continue
        elif value == en or not script.search(value):
            problems.append((key, f"not in {language}'s script: {value!r}"))
        elif "₹" in en and "₹" not in value:
            problems.append((key, "keep the ₹ sign"))
    assert problems == []


@pytest.mark.parametrize("language", CODES)
def test_every_verifier_detail_is_written_in_each_language(language):
    details = [
        "version 1, hmac-sha256-rejection, kind lucky",
        "sha256(server_seed) equals the commitment published before the draw",
        "1 eligible ticket(s), sorted and unique; hash matches",
        "8 eligible ticket(s), sorted and unique; hash matches",
        "recomputed from 1 phrase(s)",
        "recomputed from 3 phrase(s) and a public value",
        "4 HMAC step(s) replayed (0 rejected); x mod 8 = 5; acceptance limit 65528",
        "only one eligible ticket: it takes the prize without a draw",
        "ticket 7 (member Asha Rao) is eligible[5]",
        "committed_at < cutoff_at <= frozen_at <= drawn_at <= revealed_at",
    ]
    for detail in details:
        written = check_detail(language, detail)
        if language == "en":
            assert "(s)" not in written
        else:
            assert written != detail and SCRIPTS[language].search(written), (detail, written)


def test_every_key_used_in_the_code_exists():
    used: dict[str, str] = {}
    prefixes = {key.split(".")[0] for key in STRINGS}  # "audit.event" style literals are not keys
    for path in _sources():
        source = path.read_text()
        chosen = [k for pair in CHOSEN_KEY.findall(source) for k in pair if k.split(".")[0] in prefixes]
        keys = USED_KEY.findall(source) + NOTIFY_KEY.findall(source) + chosen
        for key in keys:
            used.setdefault(key, str(path.relative_to(APP)))
    assert len(used) > 150  # the scan really finds the member screens' keys
    missing = {k: where for k, where in used.items() if k not in STRINGS}
    assert missing == {}


def test_every_key_family_built_at_run_time_covers_its_values():
    families: set[str] = set()
    for path in _sources():
        families.update(USED_FAMILY.findall(path.read_text()))
    families.update(notifications.WORD_VALUES.values())  # words in notifications, written when read
    values = {
        "method": set(payment_methods.METHOD_LABELS),
        "status": set(passbook.STATUS_LABELS),
        "mode": set(draw_views.MODE_LABELS),
        "drawstatus": set(draw_views.STATUS_LABELS),
        "check": set(CHECK_NAMES),
        "qstatus": set(disputes.STATUSES),
        "kind": {"lucky", "auction"},
        "ticketstatus": {to for _, to in members.TRANSITIONS},
        "group": set(GROUP_STATUSES) - {"active"},  # a running group shows its month instead
    }
    assert families == set(values)
    for family, names in values.items():
        assert {f"{family}.{n}" for n in names} <= set(STRINGS), family


def test_english_labels_match_the_foremans_english():
    """The foreman's pages read the same labels from the services' English dicts: they must agree."""
    pairs = [
        *((f"method.{k}", v) for k, v in payment_methods.METHOD_LABELS.items()),
        *((f"status.{k}", v) for k, v in passbook.STATUS_LABELS.items()),
        *((f"mode.{k}", v) for k, v in draw_views.MODE_LABELS.items()),
        *((f"drawstatus.{k}", v) for k, v in draw_views.STATUS_LABELS.items()),
    ]
    assert [(k, STRINGS[k][0]) for k, _ in pairs] == pairs


def test_every_check_the_verifier_can_report_has_a_label():
    """The verify pages label each check by `check.<name>`, for proofs of every version and kind."""
    assert {f"check.{name}" for name in ALL_CHECK_NAMES} <= set(STRINGS)


def test_translated_service_errors_are_the_services_exact_words():
    """`message()` matches a service's English word for word, so a typo would silently stay English."""
    code = "\n".join(p.read_text() for p in _sources() if p.name != "i18n.py")
    flat = re.sub(r'"\s*\n\s*f?"', "", code)  # join implicitly concatenated string literals
    for key, (en, _hi) in STRINGS.items():
        if key.startswith("error."):
            # With values, each fixed piece between them must be in the f-string that raises it.
            # (Compared without case and end stop: a service may capitalise a domain message.)
            pieces = [p.strip(" .").lower() for p in re.split(r"\{\w+\}", en) if p.strip(" .;")]
            missing = [p for p in pieces if p not in flat.lower()]
            assert missing == [], f"{key}: {missing} is not raised anywhere"


def test_message_and_text():
    assert message("hi", "This group is not collecting payments.") == "यह समूह अभी भुगतान नहीं ले रहा है।"
    assert message("en", "This group is not collecting payments.") == "This group is not collecting payments."
    assert message("hi", "Some message the table does not have.") == "Some message the table does not have."
    assert message("hi", "Amount: The amount must be more than ₹0.") == "राशि: राशि ₹0 से अधिक होनी चाहिए।"
    assert message("hi", "Amount: something new.") == "Amount: something new."
    assert message("hi", "Subject must be at least 3 characters.") == "विषय कम से कम 3 अक्षरों का होना चाहिए।"
    assert message("hi", "You can pay at most ₹19,775 on this ticket.") == (
        "आप इस टिकट पर अधिकतम ₹19,775 भर सकते हैं।"
    )
    assert (
        message("hi", "Bidding closed at 01-12-2026 12:53 IST.") == "बोली 01-12-2026 12:53 IST पर बंद हो गई।"
    )
    assert message("en", "Subject must be at least 3 characters.") == "Subject must be at least 3 characters."
    assert message("ta", "This group is not collecting payments.") == "இந்தக் குழு இப்போது கட்டணம் வசூலிக்கவில்லை."
    assert message("ml", "Amount: The amount must be more than ₹0.") == "തുക: തുക ₹0-നേക്കാൾ കൂടുതലായിരിക്കണം."
    assert message("kn", "Subject must be at least 3 characters.") == "ವಿಷಯ ಕನಿಷ್ಠ 3 ಅಕ್ಷರಗಳಿರಬೇಕು."
    assert message("te", "You can pay at most ₹19,775 on this ticket.") == (
        "ఈ టికెట్‌పై మీరు గరిష్ఠంగా ₹19,775 చెల్లించవచ్చు."
    )
    assert message("xx", "This group is not collecting payments.") == "This group is not collecting payments."
    assert text("xx", "nav.home") == "Home"  # a language we do not have reads English
    assert text("hi", "pay.days_late", days=3) == "3 दिन देर"
    assert text("en", "passbook.due", amount="₹1,000") == "₹1,000 due"
    assert i18n.text("hi", "common.ticket_n", n=7) == "टिकट 7"


@pytest.mark.parametrize("path", MEMBER_SCREENS, ids=lambda p: p.name)
def test_member_screens_have_no_bare_english_labels(path):
    lines = path.read_text().splitlines()
    bare = [
        (n, line.strip())
        for n, line in enumerate(lines, 1)
        if (BARE_LABEL.search(line) or BARE_LINE.match(line))
        and BRAND not in line
        and not line.strip().startswith(('"""', "#"))
    ]
    assert bare == []
