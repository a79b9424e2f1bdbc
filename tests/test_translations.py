"""Every UI string and every shipped scenario text exists in all seven help languages."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from conftest import SHIPPED
from kiosk.i18n.catalogs import BABEL_LOCALE, HELP_LANGUAGES, extract_template, po_path
from kiosk.scenario.library import load_library
from kiosk.scenario.texts import scenario_texts
from kiosk.scenario.translations import read_translation, translation_path
from kiosk.ui.presenters import ui

LIBRARY = load_library(SHIPPED)


def _catalog(language):
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=BABEL_LOCALE.get(language, language))


@pytest.mark.parametrize("language", HELP_LANGUAGES)
def test_every_scenario_text_is_translated(language):
    missing = [
        f"{s.id}: {key}"
        for s in LIBRARY.scenarios
        for key, text in scenario_texts(s)
        if not text.get(language)
    ]
    assert missing == [], f"{len(missing)} texts without {language}: {missing[:20]}"


@pytest.mark.parametrize("language", HELP_LANGUAGES)
def test_every_ui_string_is_translated(language):
    missing = [
        m.id
        for m in _catalog(language)
        if m.id and not (all(m.string) if m.pluralizable else m.string)  # every plural form
    ]
    assert missing == [], f"UI strings without {language}: {missing}"


def test_the_catalogs_hold_every_ui_string_of_the_code():
    in_code = {m.id for m in extract_template() if m.id}
    for language in HELP_LANGUAGES:
        in_catalog = {m.id for m in _catalog(language) if m.id}
        assert sorted(in_code - in_catalog) == [], f"run oefenkiosk i18n-update ({language})"


@pytest.mark.parametrize("language", HELP_LANGUAGES)
def test_every_translation_is_marked_for_review(language):
    for scenario in LIBRARY.scenarios:
        translation, problems = read_translation(
            translation_path(SHIPPED, language, scenario.id), language
        )
        assert problems == [] and translation.review_needed, scenario.id
    assert "review: needed" in po_path(language).read_text(encoding="utf-8")


def test_a_translated_ui_string_is_shown_with_the_dutch():
    words = ui("Bent u er nog?", "ar")
    assert words.nl == "Bent u er nog?" and words.help and words.help_rtl
    assert ui("Bent u er nog?", "nl").help is None


def test_rtl_languages_are_arabic_and_dari_only():
    rtl = {language for language in HELP_LANGUAGES if ui("Stoppen", language).help_rtl}
    assert rtl == {"ar", "prs"}
