"""The oefenbewijs as a PDF (fpdf2): A4 for an office printer, or a roll for a receipt printer.

Every line is Dutch first; under it, in a smaller size, the same in the visitor's language.
fpdf2 draws glyphs as it gets them, like Kivy's SDL2 text, so Arabic and Dari go through the
kiosk's own shaping (kiosk.i18n.bidi), line by line after wrapping, and each script gets the
kiosk's font for it (kiosk.i18n.fonts). Pictograms are glyphs of the kiosk's icon font.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from kiosk.certificate import texts
from kiosk.certificate.model import Certificate, PractisedExercise
from kiosk.i18n.bidi import has_rtl, visual_line, wrap_lines
from kiosk.i18n.fonts import FONTS, ICON_FONT
from kiosk.i18n.languages import language
from kiosk.paths import assets_dir
from kiosk.scenario.pictograms import Pictogram, load_pictograms

log = logging.getLogger(__name__)

NAMED = "met-naam"
NAMELESS = "zonder-naam"
"""The PDF's keywords say whether a visitor's name is on it: store.py saves only nameless ones."""

INK = (20, 20, 20)
HELP_INK = (70, 70, 70)
RULE = (150, 150, 150)
LINE = 0.46
"""Line height in mm per point of font size."""
FINISHED_PICTOGRAM = "check-on"
NOT_FINISHED_PICTOGRAM = "check-off"
_ETHIOPIC = re.compile("[\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]")


ZERO_WIDTH_NON_JOINER = "\u200c"


def _drawn(line: str) -> str:
    """A right-to-left line as drawn: shaped, in visual order, and without the zero-width
    non-joiner (Dari writes it inside words such as تصدیق‌نامه): its work is done once the
    letters have their shapes, and the PDF's font would draw it as a bar."""
    return visual_line(line).replace(ZERO_WIDTH_NON_JOINER, "")


class PdfUnavailable(Exception):
    """No PDF can be made (a font of the kiosk is missing); str() says which, in Dutch.
    The screen then offers the QR code only."""


@contextlib.contextmanager
def _quiet_font_reader() -> Iterator[None]:
    """fontTools warns about harmless details of the fonts (timestamps, the icon font's
    missing .notdef) each time they are read: kept out of the kiosk's log."""
    loggers = [logging.getLogger(name) for name in ("fontTools", "fpdf.fonts")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@dataclass(frozen=True)
class Layout:
    """Sizes of one paper format, in mm and pt."""

    page: str | tuple[float, float]
    margin: float
    title: float
    heading: float
    body: float
    small: float
    icon: float
    icon_width: float
    footer_height: float
    gap: float
    """Space between two exercises."""


A4 = Layout("A4", 15, 24, 14, 12, 9, 20, 13, 24, 2)
ROLL_80MM = Layout((80, 2000), 4, 18, 12, 10, 8, 14, 9, 0, 2)
"""A receipt roll: 72 mm printable on 80 mm paper; receipt_pdf cuts the page to its content."""


class _Document(FPDF):
    def __init__(self, cert: Certificate, layout: Layout) -> None:
        super().__init__(orientation="P", unit="mm", format=layout.page)
        self.cert = cert
        self.layout = layout
        self.help_font = language(cert.language).script
        self.rtl = language(cert.language).rtl
        self.pictograms = self._add_fonts(assets_dir() / "fonts")
        # A stray character in a staff text or a name is drawn by another script's font.
        self.set_fallback_fonts(["latin", "arabic", "ethiopic"], exact_match=False)
        self.set_margins(layout.margin, layout.margin, layout.margin)
        self.set_auto_page_break(True, layout.margin + layout.footer_height)
        self.set_title(texts.TITLE)
        self.set_creator("Oefenkiosk")
        self.set_keywords(NAMED if cert.name else NAMELESS)
        self.set_text_color(*INK)

    def _add_fonts(self, fonts: Path) -> dict[str, Pictogram]:
        """Register the kiosk's fonts; returns the pictograms that can be drawn (none without
        the icon font: the PDF then has plain rings, as the screens do)."""
        needed = [
            fonts / name for family in FONTS.values() for name in (family.regular, family.bold)
        ]
        missing = [path.name for path in needed if not path.is_file()]
        if missing:
            raise PdfUnavailable(f"Lettertype ontbreekt in assets/fonts: {', '.join(missing)}")
        with _quiet_font_reader():
            for script, family in FONTS.items():
                self.add_font(script, "", fonts / family.regular)
                self.add_font(script, "B", fonts / family.bold)
            if not (fonts / ICON_FONT.regular).is_file():
                log.warning("no icon font: the oefenbewijs has rings instead of pictograms")
                return {}
            self.add_font("icons", "", fonts / ICON_FONT.regular)
        return load_pictograms()

    def footer(self) -> None:
        if not self.layout.footer_height:
            return
        self.set_y(-(self.layout.margin + self.layout.footer_height) + 3)
        self.rule()
        self.dutch(texts.FOOTER, self.layout.small)
        self.help(texts.translated(texts.FOOTER, self.cert.language), self.layout.small)

    # --- lines ----------------------------------------------------------------------

    def dutch(self, text: str, size: float, bold: bool = False) -> None:
        if text:
            self.paragraph(text, "latin", size, bold, INK)

    def help(self, text: str, size: float, bold: bool = False) -> None:
        """A line in the visitor's language, under the Dutch one."""
        if text:
            self.paragraph(text, self.help_font, size * 0.92, bold, HELP_INK)

    def paragraph(self, text: str, font: str, size: float, bold: bool, ink) -> None:
        self.set_font(font, "B" if bold else "", size)
        self.set_text_color(*ink)
        height = size * LINE
        width = self.w - self.r_margin - self.get_x()
        if has_rtl(text):
            # Wrapped in reading order first, then each line shaped and put in visual order.
            for line in wrap_lines(text, width - 1, self.get_string_width):
                self.cell(width, height, _drawn(line), align="R", new_x=XPos.LEFT)
                self.ln(height)
        else:
            self.multi_cell(width, height, text, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def rule(self) -> None:
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)

    def pictogram(self, name: str, x: float, y: float) -> None:
        """The icon font's glyph; a plain ring when the name or the font is missing."""
        pictogram = self.pictograms.get(name)
        size = self.layout.icon
        if pictogram is None:
            radius = size * 0.14
            self.set_draw_color(*INK)
            self.circle(x + radius, y + radius * 1.2, radius, style="D")
            return
        self.set_font("icons", "", size)
        self.set_xy(x, y)
        self.cell(self.layout.icon_width, size * 0.4, pictogram.glyph)

    # --- blocks ---------------------------------------------------------------------

    def heading(self) -> None:
        lang, layout = self.cert.language, self.layout
        self.dutch(texts.TITLE, layout.title, bold=True)
        self.help(texts.translated(texts.TITLE, lang), layout.heading)
        self.ln(2)
        self.dutch(self.cert.library, layout.heading, bold=True)
        self.dutch(texts.dutch_date(self.cert.day), layout.body)
        self.help(texts.local_date(self.cert.day, lang), layout.body)
        self.ln(3)
        self.rule()
        self.ln(1)
        self.dutch(texts.INTRO, layout.body, bold=True)
        self.help(texts.translated(texts.INTRO, lang), layout.body)
        self.ln(3)

    def exercise(self, exercise: PractisedExercise) -> None:
        """Pictogram, "title · klaar", the same in the visitor's language, and a tick box."""
        lang, layout = self.cert.language, self.layout
        line = layout.body * LINE
        if self.will_page_break(line * 2):
            self.add_page()
        top = self.get_y()
        self.pictogram(exercise.pictogram, self.l_margin, top)
        status = FINISHED_PICTOGRAM if exercise.finished else NOT_FINISHED_PICTOGRAM
        self.pictogram(status, self.w - self.r_margin - layout.icon_width * 0.8, top)
        status_text = texts.FINISHED if exercise.finished else texts.NOT_FINISHED
        left, right = self.l_margin, self.r_margin
        self.set_left_margin(left + layout.icon_width + 2)  # write() wraps to the left margin
        self.set_right_margin(right + layout.icon_width)
        self.set_xy(self.l_margin, top)
        self.set_font("latin", "B", layout.body)
        self.write(line, exercise.title)
        self.set_font("latin", "", layout.body)
        self.write(line, f"  ·  {status_text}")
        self.ln(line)
        help_status = texts.translated(status_text, lang)
        if exercise.title_help or help_status:
            self.help(" · ".join(t for t in (exercise.title_help, help_status) if t), layout.body)
        self.set_left_margin(left)
        self.set_right_margin(right)
        self.set_xy(left, max(self.get_y(), top + layout.icon * 0.45) + layout.gap)

    def exercises(self) -> None:
        if not self.cert.exercises:
            self.dutch(texts.NOTHING_PRACTISED, self.layout.body)
            self.help(
                texts.translated(texts.NOTHING_PRACTISED, self.cert.language), self.layout.body
            )
        for exercise in self.cert.exercises:
            self.exercise(exercise)

    def referral(self) -> None:
        if not self.cert.referral:
            return
        self.ln(2)
        self.rule()
        self.ln(1)
        self.dutch(self.cert.referral, self.layout.body)

    def name(self) -> None:
        if not self.cert.name:
            return
        self.ln(4)
        label = texts.NAME
        self.set_font("latin", "", self.layout.body)
        self.cell(self.get_string_width(label + " "), self.layout.body * 0.5, label)
        script = "arabic" if has_rtl(self.cert.name) else "latin"
        script = "ethiopic" if _ETHIOPIC.search(self.cert.name) else script
        self.set_font(script, "B", self.layout.body)
        self.cell(0, self.layout.body * 0.5, _drawn(self.cert.name), new_x=XPos.LMARGIN)
        self.ln(self.layout.body * 0.5)
        self.help(texts.translated(texts.NAME, self.cert.language), self.layout.small)

    def build(self) -> None:
        self.add_page()
        self.heading()
        self.exercises()
        self.referral()
        self.name()


def certificate_pdf(cert: Certificate) -> bytes:
    """The oefenbewijs on A4 portrait: one page for up to about 12 exercises."""
    document = _Document(cert, A4)
    document.build()
    return bytes(document.output())


def receipt_pdf(cert: Certificate) -> bytes:
    """The oefenbewijs on an 80 mm receipt roll, as long as its content, the footer at the end."""
    measured = _receipt(cert, ROLL_80MM)
    length = measured.get_y() + ROLL_80MM.margin
    return bytes(_receipt(cert, replace(ROLL_80MM, page=(80, length))).output())


def _receipt(cert: Certificate, layout: Layout) -> _Document:
    document = _Document(cert, layout)
    document.set_auto_page_break(False)  # one strip; the first pass measures how long
    document.build()
    document.ln(3)
    document.rule()
    document.dutch(texts.FOOTER, layout.small)
    document.help(texts.translated(texts.FOOTER, cert.language), layout.small)
    return document
