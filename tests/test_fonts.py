"""No empty boxes: every character the kiosk shows exists in the font that draws it."""

from __future__ import annotations

import unicodedata

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from conftest import SHIPPED
from kiosk.i18n.bidi import visual_line
from kiosk.i18n.catalogs import BABEL_LOCALE, HELP_LANGUAGES, po_path
from kiosk.i18n.fonts import FONTS, ICON_FONT
from kiosk.i18n.languages import LANGUAGES, language
from kiosk.paths import assets_dir
from kiosk.scenario.library import load_library
from kiosk.scenario.pictograms import load_pictograms
from kiosk.scenario.texts import scenario_texts

FONT_DIR = assets_dir() / "fonts"
LIBRARY = load_library(SHIPPED)


def characters(font_file: str) -> set[int]:
    return set(TTFont(FONT_DIR / font_file).getBestCmap())


def texts_in(code: str) -> list[str]:
    texts = [text.get(code) for s in LIBRARY.scenarios for _, text in scenario_texts(s)]
    with po_path(code).open("rb") as handle:
        catalog = read_po(handle, locale=BABEL_LOCALE.get(code, code))
    texts += [m.string for m in catalog if m.id and isinstance(m.string, str)]
    return [t for t in texts if t]


def missing(texts: list[str], cmap: set[int]) -> set[str]:
    return {
        c
        for text in texts
        for c in text
        if ord(c) not in cmap and not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc")
    }  # joiners draw nothing


@pytest.mark.parametrize("code", HELP_LANGUAGES)
def test_every_character_of_a_language_is_in_its_font(code):
    family = FONTS[language(code).script]
    texts = texts_in(code)
    if language(code).rtl:  # what is drawn: joined letters (presentation forms)
        texts += [visual_line(t) for t in texts]
    for style in (family.regular, family.bold):
        assert missing(texts, characters(style)) == set(), (code, style)


def test_every_language_name_shows_in_its_own_script():
    for lang in LANGUAGES:
        cmap = characters(FONTS[lang.script].regular)
        assert missing([lang.native_name], cmap) == set(), lang.code


def test_the_dutch_and_the_pages_show_in_the_latin_font():
    dutch = [text.nl for s in LIBRARY.scenarios for _, text in scenario_texts(s)]
    assert (
        missing(
            [*dutch, "OEFENEN — dit is niet echt", "•", "·"], characters(FONTS["latin"].regular)
        )
        == set()
    )


def test_every_pictogram_is_in_the_icon_font():
    cmap = characters(ICON_FONT.regular)
    absent = [p.name for p in load_pictograms().values() if p.codepoint not in cmap]
    assert absent == []


def test_the_check_finds_a_missing_glyph():
    assert missing(["Tik op 'Inloggen'"], characters("NotoSansArabic-Regular.ttf")) >= {"T", "'"}


def _quoted_in_kv_files() -> list[str]:
    """The string literals written in the screens' kv files, escapes decoded."""
    import ast
    import re

    found = []
    for path in sorted((assets_dir().parent / "kiosk" / "ui").rglob("*.kv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("#"):
                continue
            for literal in re.findall(r"'(?:[^'\\]|\\.)*'", line):
                found.append(ast.literal_eval(literal))
    return found


def test_every_character_written_in_the_screens_is_in_the_latin_font():
    texts = _quoted_in_kv_files()
    assert "Bestand kiezen" in texts  # the check reads the kv files at all
    for style in (FONTS["latin"].regular, FONTS["latin"].bold):
        assert missing(texts, characters(style)) == set(), style
