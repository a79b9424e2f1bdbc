"""Every UI string and every shipped scenario text exists in all seven help languages."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from conftest import SHIPPED, minimal, reference_bomb, write_scenario
from kiosk.i18n.catalogs import BABEL_LOCALE, HELP_LANGUAGES, extract_template, po_path
from kiosk.scenario.library import load_library
from kiosk.scenario.texts import scenario_texts
from kiosk.scenario.translations import (
    missing_labels,
    quoted_labels,
    read_translation,
    translation_path,
)
from kiosk.scenario.validate import validate_paths
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


def _with_quoted_label(tmp_path, translation: str, language: str = "en"):
    data = minimal()
    data["steps"][1]["instruction"] = {"nl": "Tik op de knop 'Inloggen'."}
    path = write_scenario(tmp_path, data)
    write_scenario(
        tmp_path / "translations" / language,
        f"review: needed\ntexts:\n  steps.knop.instruction: {translation!r}\n",
        "mini.yaml",
    )
    return validate_paths([path])


def test_a_translation_that_drops_a_quoted_dutch_label_is_refused(tmp_path):
    report = _with_quoted_label(tmp_path, "Tap the button 'Log in'.")
    found = [p for p in report.problems if p.file == "translations/en/mini.yaml"]
    assert len(found) == 1, [str(p) for p in report.problems]
    (problem,) = found
    assert problem.severity == "error" and problem.field == "steps.knop.instruction"
    assert problem.line == 3
    assert "(en)" in problem.message and "'Inloggen'" in problem.message
    assert not report.ok


def test_a_translation_that_keeps_the_label_passes(tmp_path):
    report = _with_quoted_label(tmp_path, "Tap the button «Inloggen» (log in).", "tr")
    assert report.ok, [str(p) for p in report.problems]


def test_apostrophes_are_not_labels():
    assert quoted_labels("Tik nooit op zo'n link. Foto's en 's avonds.") == []
    assert quoted_labels("Tik op 'Inloggen' en dan op 'Berichtenbox (1 nieuw)'.") == [
        "Inloggen",
        "Berichtenbox (1 nieuw)",
    ]


def test_an_inline_translation_must_keep_the_label_too(tmp_path):
    data = minimal()
    data["steps"][1]["instruction"] = {"nl": "Tik op 'Inloggen'.", "uk": "Натисніть «Увійти»."}
    report = validate_paths([write_scenario(tmp_path, data)])
    found = [p for p in report.problems if "'Inloggen'" in p.message]
    assert [p.field for p in found] == ["steps.knop.instruction.uk"], [str(p) for p in found]
    assert found[0].file == "mini.yaml" and found[0].line is not None


@pytest.mark.parametrize("language", HELP_LANGUAGES)
def test_every_shipped_translation_keeps_every_quoted_label(language):
    missing = [
        f"{s.id}: {key}: {label}"
        for s in LIBRARY.scenarios
        for key, text in scenario_texts(s)
        for label in missing_labels(text.nl, text.get(language) or text.nl)
    ]
    assert missing == []
    assert any(quoted_labels(text.nl) for s in LIBRARY.scenarios for _, text in scenario_texts(s))


def test_a_broken_translation_file_loses_only_that_translation(tmp_path):
    path = write_scenario(tmp_path, minimal())
    write_scenario(tmp_path / "translations" / "en", reference_bomb(200), "mini.yaml")
    library = load_library(tmp_path)
    assert [s.id for s in library.scenarios] == ["mini"]
    assert any("te veel verwijzingen" in p.message for p in library.problems)
    assert path.name not in library.broken_files
