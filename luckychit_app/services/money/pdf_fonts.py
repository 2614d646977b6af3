"""Fonts for the PDFs a member keeps (the receipt; the no-dues certificate and the closing statement
through services/reporting/pdf_pages): DejaVu for Latin text and the ₹ sign, and Debian's
`fonts-noto-core` for the Indian scripts, registered as fpdf2 fallback fonts so a receipt in Tamil
with a member's name in Devanagari prints both. Indian scripts need text shaping (a vowel sign drawn
before its consonant, conjuncts): fpdf2 does it through HarfBuzz (`uharfbuzz`, pinned in
requirements.txt).

A font that is missing degrades as the receipt always has on a machine without DejaVu (Helvetica and
"Rs."): a document in a language whose script font is missing is printed in English, with a warning
in the log, rather than with empty boxes for letters. The Makefile, CI and the Dockerfile install
both packages; tests/services/money/test_receipt_languages.py fails under CI when they are missing."""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from luckychit_app.locales import BY_CODE, LANGUAGES

log = logging.getLogger("luckychit")

LATIN_DIR = Path("/usr/share/fonts/truetype/dejavu")
"""Debian `fonts-dejavu-core`."""
NOTO_DIR = Path("/usr/share/fonts/truetype/noto")
"""Debian `fonts-noto-core`: NotoSans<Script>-Regular.ttf and -Bold.ttf."""
_SCRIPTS: dict[str, re.Pattern[str]] = {
    "NotoSansDevanagari": re.compile("[\u0900-\u097f]"),
    "NotoSansTamil": re.compile("[\u0b80-\u0bff]"),
    "NotoSansTelugu": re.compile("[\u0c00-\u0c7f]"),
    "NotoSansKannada": re.compile("[\u0c80-\u0cff]"),
    "NotoSansMalayalam": re.compile("[\u0d00-\u0d7f]"),
}
"""Each script font by the Unicode block of its letters."""
assert {language.pdf_font for language in LANGUAGES} - {""} == set(_SCRIPTS)


def _files(name: str, folder: Path) -> tuple[Path, Path]:
    return folder / f"{name}-Regular.ttf", folder / f"{name}-Bold.ttf"


def _installed(name: str) -> bool:
    return all(path.exists() for path in _files(name, NOTO_DIR))


def _can_shape() -> bool:
    """uharfbuzz is there (fpdf2 imports it itself, and only when shaping is turned on)."""
    return importlib.util.find_spec("uharfbuzz") is not None


def missing() -> list[str]:
    """The font files (and the shaping library) a PDF in every language needs and this machine lacks."""
    latin = (LATIN_DIR / "DejaVuSans.ttf", LATIN_DIR / "DejaVuSans-Bold.ttf")
    gone = [str(p) for p in latin if not p.exists()]
    gone += [str(p) for name in _SCRIPTS for p in _files(name, NOTO_DIR) if not p.exists()]
    return gone + ([] if _can_shape() else ["uharfbuzz (pip)"])


def latin_installed() -> bool:
    """DejaVu (Debian `fonts-dejavu-core`): the Latin letters and the ₹ sign."""
    return (LATIN_DIR / "DejaVuSans.ttf").exists() and (LATIN_DIR / "DejaVuSans-Bold.ttf").exists()


def printable(lang: str) -> bool:
    """Whether a PDF can be printed in `lang` here: its script's font is installed and can be shaped."""
    font = BY_CODE[lang].pdf_font if lang in BY_CODE else ""
    return not font or (_installed(font) and _can_shape() and latin_installed())


class ShapedFPDF(FPDF):
    """FPDF for text with fallback fonts. fpdf2 2.8.9 draws a line that falls back to another font
    inside `q … Q`, which restores the font current before the line while fpdf2 still believes its
    own font is set, so the next text in that font was drawn in the earlier one (on a Hindi receipt,
    a line's "₹10,000" came out in the bold 20 pt glyphs of the amount above it). Forgetting the font
    after every cell makes fpdf2 set it again before the next text (a few bytes more per line)."""

    def cell(self, *args: object, **kwargs: object) -> bool:
        try:
            return super().cell(*args, **kwargs)
        finally:
            self.current_font_is_set_on_page = False

    def multi_cell(self, *args: object, **kwargs: object) -> object:
        try:
            return super().multi_cell(*args, **kwargs)
        finally:
            self.current_font_is_set_on_page = False


@dataclass(frozen=True)
class Fonts:
    family: str
    """The font family to set (fpdf2 falls back to the script fonts for letters it lacks)."""
    unicode: bool
    """False on a machine without DejaVu: Helvetica, which has no ₹ (print "Rs. " instead)."""
    scripts: tuple[str, ...]
    """The Noto fonts registered as fallbacks."""


def register(pdf: FPDF, texts: Iterable[str] | None = None) -> Fonts:
    """Register DejaVu and, as fallbacks, the installed script fonts of the scripts `texts` use (every
    installed one when `texts` is None: a font not used still costs a few kilobytes in the file)."""
    if not latin_installed():
        return Fonts("Helvetica", False, ())
    pdf.add_font("DejaVu", "", str(LATIN_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(LATIN_DIR / "DejaVuSans-Bold.ttf"))
    joined = None if texts is None else "\n".join(texts)
    wanted = [
        name
        for name, letters in _SCRIPTS.items()
        if (joined is None or letters.search(joined)) and _installed(name)
    ]
    if wanted and _can_shape():
        for name in wanted:
            regular, bold = _files(name, NOTO_DIR)
            pdf.add_font(name, "", str(regular))
            pdf.add_font(name, "B", str(bold))
        pdf.set_fallback_fonts(wanted)
        pdf.set_text_shaping(True)
    elif wanted:
        log.warning("PDF: uharfbuzz is not installed; %s text cannot be shaped", ", ".join(wanted))
        wanted = []
    return Fonts("DejaVu", True, tuple(wanted))
