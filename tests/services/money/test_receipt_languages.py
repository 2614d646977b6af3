"""The receipt PDF in each of the six languages (issue 18): its words in the member's language, the
script's Noto font embedded (subset) beside DejaVu, and its letters extractable (each glyph mapped
back to its character in the font's ToUnicode table, which is what copy-paste and search read).
Without the fonts the receipt is printed in English rather than with empty boxes, and CI fails when
they are not installed (`make browser-deps`, .ci/run and the Dockerfile install them)."""

from __future__ import annotations

import os
import re
import zlib

import pytest
from sqlmodel import select

from luckychit_app.i18n import text
from luckychit_app.locales import BY_CODE, CODES
from luckychit_app.models import User
from luckychit_app.services.money import pdf_fonts, receipts
from luckychit_app.services.money.ledger import ledger_check
from tests.services.helpers import active_group, foreman, member_actor, pay

INSTALLMENT = 10_000 * 100


@pytest.fixture(autouse=True)
def _ledger_check_after_each_test(request: pytest.FixtureRequest):
    tx = request.getfixturevalue("tx")
    yield
    with tx() as s:
        assert ledger_check(s) == []


@pytest.fixture(autouse=True)
def _fonts_installed() -> None:
    gone = pdf_fonts.missing()
    if gone:
        reason = (
            f"PDF fonts missing: {gone} (apt-get install fonts-dejavu-core fonts-noto-core; pip uharfbuzz)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must install them, not skip")
        pytest.skip(reason)


def _font_names(pdf: bytes) -> set[str]:
    """The embedded fonts' names without the subset tag: {"DejaVuSansBook", "NotoSansTamil", …}."""
    return {name.decode() for name in re.findall(rb"/BaseFont /[A-Z]{6}\+([\w-]+)", pdf)}


def _used_fonts(pdf: bytes) -> set[str]:
    """The fonts a page's resources name (fpdf2 writes every registered font; a page uses some)."""
    used = set()
    for resources in re.findall(rb"/Font <<(.*?)>>", pdf, re.S):
        for obj in re.findall(rb"/F\d+ (\d+) 0 R", resources):
            body = re.search(rb"\n" + obj + rb" 0 obj\n(.*?)endobj", pdf, re.S).group(1)
            used |= {n.decode() for n in re.findall(rb"/BaseFont /[A-Z]{6}\+([\w-]+)", body)}
    return used


def _streams(pdf: bytes) -> list[bytes]:
    """Each stream's bytes, inflated. fpdf2 writes `stream\\n…\\nendstream` (syntax.py), so the
    pattern takes no optional CR: a compressed stream ending in byte 0x0d lost it, failed to inflate
    and made a test fail about one run in a hundred."""
    bodies = []
    for raw in re.findall(rb"stream\n(.*?)\nendstream", pdf, re.S):
        try:
            bodies.append(zlib.decompress(raw))
        except zlib.error:
            bodies.append(raw)
    return bodies


def _extractable(pdf: bytes) -> set[str]:
    """Every character some glyph maps back to, read from the ToUnicode CMaps (bfchar and bfrange)."""
    chars: set[str] = set()
    for body in _streams(pdf):
        if b"begincmap" not in body:
            continue
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", body, re.S):
            for target in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
                chars |= set(bytes.fromhex(target.decode()).decode("utf-16-be"))
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", body, re.S):
            for lo, hi, start in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
            ):
                first = int(start, 16)
                chars |= {chr(first + i) for i in range(int(hi, 16) - int(lo, 16) + 1)}
    return chars


def _receipt_in(tx, language: str, member_name: str = "Asha Rao") -> tuple[str, bytes]:
    boss = foreman(tx)
    _, (t1, _t2) = active_group(tx, boss, tickets=2, chit_value="20,000")
    member = member_actor(tx, t1)
    with tx() as s:
        user = s.get(User, member.user_id)
        user.language, user.name = language, member_name
        s.add(user)
    paid = pay(tx, boss, t1, INSTALLMENT + 500 * 100)  # a month and an advance: two lines
    with tx() as s:
        return receipts.receipt_pdf(s, actor=boss, payment_id=paid.id)  # the foreman downloads it


@pytest.mark.parametrize("language", CODES)
def test_the_receipt_prints_in_the_members_language_with_its_scripts_font(tx, language):
    name, pdf = _receipt_in(tx, language)
    assert name == "receipt-MAIN-000001.pdf" and pdf.startswith(b"%PDF-")
    used = _used_fonts(pdf)
    assert {"DejaVuSansBook", "DejaVuSansBold"} <= used, used  # digits, ₹ and Latin names
    script_font = BY_CODE[language].pdf_font
    if script_font:
        assert script_font in used or f"{script_font}Bold" in used, (language, used)
    else:
        assert not {f for f in used if f.startswith("Noto")}, used  # English needs no Indian script
    letters = _extractable(pdf)
    for key in ("receipt.title", "receipt.group", "receipt.line_advance"):
        words = text(language, key)
        missing = {c for c in words if not c.isspace() and c not in letters}
        assert not missing, f"{language} {key}: {sorted(missing)} cannot be extracted"
    assert "₹" in letters


def _page_streams(pdf: bytes) -> list[str]:
    streams = []
    for body in _streams(pdf):
        if b" Tj" in body:
            streams.append(body.decode("latin-1"))
    return streams


@pytest.mark.parametrize("language", ["hi", "ml"])
def test_text_after_a_fallback_line_sets_its_font_again(tx, language):
    """fpdf2 draws a line with fallback fonts inside q … Q, which restores the font before it: the
    text drawn next must set its own font, or it comes out in the glyphs of the font before (a
    Hindi receipt once showed a line's ₹ amount as garbage in the heading's bold 20 pt)."""
    _, pdf = _receipt_in(tx, language)
    (content,) = _page_streams(pdf)
    operators = re.findall(r"(?<![\w/])(q|Q|Tf|Tj)(?!\w)", re.sub(r"\((?:\\.|[^\\)])*\)", "()", content))
    restores = [i for i, op in enumerate(operators) if op == "Q"]
    assert restores, "no line fell back to a script font"
    for i in restores:
        following = operators[i + 1 :]
        if "Tj" in following:
            drawn = following.index("Tj")
            assert "Tf" in following[:drawn], f"text drawn after Q (operator {i}) without setting its font"


def test_a_name_in_another_script_prints_through_the_fallback_font(tx):
    """A Tamil reader's receipt for a group whose member typed their name in Devanagari."""
    _, pdf = _receipt_in(tx, "ta", member_name="अनीता शर्मा")
    used = _used_fonts(pdf)
    assert {"NotoSansTamil", "NotoSansDevanagari"} <= {f.removesuffix("Bold") for f in used}, used
    assert set("अनीता शर्मा".replace(" ", "")) <= _extractable(pdf)


def test_without_the_script_font_the_receipt_prints_in_english(tx, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_fonts, "NOTO_DIR", tmp_path)  # nothing there
    _, pdf = _receipt_in(tx, "ml")
    assert not {f for f in _font_names(pdf) if f.startswith("Noto")}
    assert set("Payment receipt".replace(" ", "")) <= _extractable(pdf)


def test_the_receipt_on_screen_is_in_the_members_language(tx):
    boss = foreman(tx)
    _, (t1, _t2) = active_group(tx, boss, tickets=2, chit_value="20,000")
    member = member_actor(tx, t1)
    paid = pay(tx, boss, t1, INSTALLMENT)
    with tx() as s:
        data = receipts.receipt(s, actor=member, payment_id=paid.id, lang="te")
        language = s.exec(select(User.language).where(User.id == member.user_id)).one()
    assert language == "en"  # the reader's language is passed in, not read from the row
    assert data["method"] == "నగదు" and data["lines"][0]["label"] == "1వ నెల వాయిదా"
    assert data["status"] == "అందింది"
