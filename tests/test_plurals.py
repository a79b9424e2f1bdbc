"""Counts in UI strings take the grammatical form each language needs for that count."""

from __future__ import annotations

import gettext

import pytest
from babel import Locale
from babel.messages.pofile import read_po

from kiosk.i18n.catalogs import BABEL_LOCALE, HELP_LANGUAGES, extract_template, po_path
from kiosk.ui.presenters import ui_count

COUNTS = (0, 1, 2, 3, 5, 11, 100)
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
# Placeholders that are not a count of something with a grammatical number.
NOT_A_COUNT = {
    "Stap {n} van {total}",  # a position: "step 3 of 5" needs no plural form
    "Vraag aan de balie naar oefenbewijs nummer {number}.",  # a number to say, not a count
}


def catalog(language):
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=BABEL_LOCALE.get(language, language))


def cldr_form(language: str, n: int) -> int:
    """Which gettext form CLDR's plural rule asks for: forms are in CLDR's order of the
    categories the language has (Arabic: zero, one, two, few, many, other)."""
    rule = Locale.parse(BABEL_LOCALE.get(language, language)).plural_form
    categories = [c for c in CLDR_ORDER if c in rule.tags or c == "other"]
    if len(categories) > catalog(language).num_plurals:  # e.g. Ukrainian "other" is fractions
        categories.remove("other")
    return categories.index(rule(n))


def counted(language):
    return [m for m in catalog(language) if m.pluralizable]


@pytest.mark.parametrize("language", HELP_LANGUAGES)
def test_the_plural_rule_of_each_catalog_is_cldrs(language):
    rule = gettext.c2py(catalog(language).plural_expr)
    for n in COUNTS:
        assert rule(n) == cldr_form(language, n), (language, n)


def test_arabic_has_six_forms_ukrainian_three():
    assert catalog("ar").num_plurals == 6 and catalog("uk").num_plurals == 3
    assert {catalog(lang).num_plurals for lang in ("en", "tr", "so", "ti", "prs")} == {2}


@pytest.mark.parametrize("language", HELP_LANGUAGES)
def test_every_counted_string_has_every_form(language):
    messages = counted(language)
    assert len(messages) >= 6
    for message in messages:
        assert len(message.string) == catalog(language).num_plurals, message.id
        assert all(form.strip() for form in message.string), (language, message.id)
        assert not message.fuzzy


@pytest.mark.parametrize("language", HELP_LANGUAGES)
@pytest.mark.parametrize("n", COUNTS)
def test_the_kiosk_shows_the_right_form_for_each_count(language, n):
    for message in counted(language):
        singular, plural = message.id
        shown = ui_count(singular, plural, n, language)
        assert shown.help == message.string[cldr_form(language, n)].format(n=n)
        assert shown.nl == (singular if n == 1 else plural).format(n=n)
        assert shown.help.strip()


def test_every_count_in_a_ui_string_has_plural_forms():
    for message in extract_template():
        if message.id and not message.pluralizable and message.id not in NOT_A_COUNT:
            assert "{" not in message.id, f"a count needs ui_count: {message.id!r}"


def test_arabic_counts_are_grammatical():
    def arabic(n, singular, plural):
        return ui_count(singular, plural, n, "ar").help

    exercises = ("{n} oefening", "{n} oefeningen")
    assert arabic(1, *exercises) == "تمرين واحد"
    assert arabic(2, *exercises) == "تمرينان"  # the dual, not "2 تمارين"
    assert arabic(3, *exercises) == "3 تمارين"
    assert arabic(11, *exercises) == "11 تمرينًا"
    assert arabic(100, *exercises) == "100 تمرين"
    idle = (
        "Over {n} seconde stopt de oefening. Wat u typte, wordt gewist.",
        "Over {n} seconden stopt de oefening. Wat u typte, wordt gewist.",
    )
    assert "بعد 5 ثوانٍ" in arabic(5, *idle)  # not "بعد 5 ثانية"
    assert "بعد 30 ثانية" in arabic(30, *idle)


def test_dutch_counts_are_grammatical_too():
    assert ui_count("{n} oefening", "{n} oefeningen", 1, "nl").nl == "1 oefening"
    assert ui_count("Ongeveer {n} minuut", "Ongeveer {n} minuten", 1, "en").nl == (
        "Ongeveer 1 minuut"
    )
    assert ui_count("Ongeveer {n} minuut", "Ongeveer {n} minuten", 6, "en").help == (
        "About 6 minutes"
    )


def test_a_counted_string_missing_a_form_is_shown_in_dutch_never_empty(tmp_path, monkeypatch):
    from kiosk.i18n import catalogs

    text = po_path("ar").read_text(encoding="utf-8")
    damaged = text.replace('msgstr[2] "تمرينان"', 'msgstr[2] ""')
    assert damaged != text
    target = tmp_path / "locale" / "ar" / "LC_MESSAGES" / "oefenkiosk.po"
    target.parent.mkdir(parents=True)
    target.write_text(damaged, encoding="utf-8")
    monkeypatch.setattr(catalogs, "locale_dir", lambda: tmp_path / "locale")
    catalogs._read_catalog.cache_clear()
    catalogs.plural_translations.cache_clear()
    try:
        shown = ui_count("{n} oefening", "{n} oefeningen", 2, "ar")
        assert shown.nl == "2 oefeningen" and shown.help is None
    finally:
        catalogs._read_catalog.cache_clear()
        catalogs.plural_translations.cache_clear()
