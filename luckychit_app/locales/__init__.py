"""The languages a member can read LuckyChit in: ONE list, which every language picker, validator
and select reads, so a language is added here (and its table in this package) and nowhere else.

English and Hindi keep their strings side by side in `luckychit_app/i18n.py` (`STRINGS`); each
other language has a module here (`ta`, `te`, `kn`, `ml`) holding one dict, key -> text, checked
against the English by tests/test_i18n.py (every key, the same placeholders, no English left).

Chit funds are most used in Tamil Nadu, Kerala, Andhra Pradesh, Telangana and Karnataka (issue 18),
hence these four besides English and Hindi. This module is data only (no imports of the app), so the
low layers (`clock` for dates, the PDF fonts) may read it too."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    """ISO 639-1, what `User.language` stores (a 2-character column) and the i18n tables are keyed by."""
    native: str
    """The language's name in its own script: what a picker shows (a reader finds their language
    by its look, not by its English name)."""
    english: str
    """Its name in English, for the foreman's screens and error messages."""
    locale: str
    """Babel's (CLDR's) locale for dates: the language as written in India. Every one of these writes
    numbers in Latin digits, as Indian money is printed."""
    pdf_font: str
    """The Noto font (Debian `fonts-noto-core`) with the script's glyphs, for PDFs; "" when the Latin
    font (DejaVu) has them."""


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English", "en_IN", ""),
    Language("hi", "हिन्दी", "Hindi", "hi_IN", "NotoSansDevanagari"),
    Language("ta", "தமிழ்", "Tamil", "ta_IN", "NotoSansTamil"),
    Language("te", "తెలుగు", "Telugu", "te_IN", "NotoSansTelugu"),
    Language("kn", "ಕನ್ನಡ", "Kannada", "kn_IN", "NotoSansKannada"),
    Language("ml", "മലയാളം", "Malayalam", "ml_IN", "NotoSansMalayalam"),
)
CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
"""("en", "hi", "ta", "te", "kn", "ml"): the values a language may take anywhere."""
DEFAULT = "en"
BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}


def supported(code: object) -> str:
    """`code` if it is one of ours, else English: what a service keeps for a value it did not choose
    (a CSV cell, a select left alone)."""
    return code if isinstance(code, str) and code in BY_CODE else DEFAULT


def native_name(code: str) -> str:
    """ "தமிழ்" for "ta": how a list shows a member's language (English for an unknown code)."""
    return BY_CODE[supported(code)].native
