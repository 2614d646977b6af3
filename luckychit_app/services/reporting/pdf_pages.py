"""A4 PDF pages for the closing papers (the closing statement, the no-dues certificate), built like
the receipt (services.money.receipts): fpdf2 with the DejaVu font so ₹ prints as ₹, and a plain
"Rs." fallback on a machine without it. In English, with the Indian scripts' fonts as fallbacks
(services.money.pdf_fonts) so a member's or a group's name typed in Tamil or Hindi prints as typed."""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from luckychit_app.services.money import pdf_fonts


@dataclass
class Page:
    """An FPDF document with its font family and whether ₹ can be printed."""

    pdf: FPDF
    family: str
    unicode_font: bool

    def money(self, text: str) -> str:
        return text if self.unicode_font else text.replace("₹", "Rs. ")

    def heading(self, text: str, size: int = 15) -> None:
        self.pdf.set_font(self.family, "B", size)
        self.pdf.multi_cell(self.pdf.epw, size * 0.5, self.money(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def line(self, text: str, size: int = 10, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.multi_cell(self.pdf.epw, size * 0.5, self.money(text), new_x="LMARGIN", new_y="NEXT")

    def pairs(self, rows: list[tuple[str, str]], label_width: float = 48) -> None:
        for label, value in rows:
            self.pdf.set_font(self.family, "", 9)
            self.pdf.cell(label_width, 6, label)
            self.pdf.set_font(self.family, "B", 10)
            self.pdf.multi_cell(
                self.pdf.epw - label_width, 6, self.money(value), new_x="LMARGIN", new_y="NEXT"
            )

    def table(self, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
        """A bordered table; `widths` are fractions of the page's width."""
        cols = [self.pdf.epw * w for w in widths]
        self.pdf.set_draw_color(180, 180, 180)
        self.pdf.set_font(self.family, "B", 8)
        for text, width in zip(header, cols, strict=True):
            self.pdf.cell(width, 6, text, border=1)
        self.pdf.ln()
        self.pdf.set_font(self.family, "", 8)
        for row in rows:
            for text, width in zip(row, cols, strict=True):
                self.pdf.cell(width, 6, self.money(text)[:60], border=1)
            self.pdf.ln()
        self.pdf.ln(2)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def new_page(title: str) -> Page:
    pdf = pdf_fonts.ShapedFPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.set_title(title)
    pdf.add_page()
    fonts = pdf_fonts.register(pdf)
    return Page(pdf=pdf, family=fonts.family, unicode_font=fonts.unicode)
