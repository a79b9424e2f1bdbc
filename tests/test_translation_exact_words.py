"""Words and dates a visitor must find on a Dutch practice page stay Dutch in every translation."""

from __future__ import annotations

import re

import pytest

from conftest import SHIPPED
from kiosk.i18n.catalogs import HELP_LANGUAGES
from kiosk.scenario.library import load_library
from kiosk.scenario.texts import scenario_texts

LIBRARY = load_library(SHIPPED)
MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
# The ways a Dutch page writes a date: "12 maart 2026", "12 maart", "12-03-2026", "12/03/2026".
DUTCH_DATE = re.compile(
    rf"\b\d{{1,2}} (?:{MONTHS})(?: \d{{4}})?\b|\b\d{{1,2}}[-/]\d{{1,2}}[-/]\d{{4}}\b"
)


def texts_in_every_language():
    for scenario in LIBRARY.scenarios:
        for key, text in scenario_texts(scenario):
            for language in HELP_LANGUAGES:
                yield scenario.id, key, text.nl, language, text.get(language) or ""


def is_title_summary_or_instruction(key: str) -> bool:
    return key in ("title", "summary") or key.endswith(".instruction")


def test_the_date_pattern_finds_dutch_dates_only():
    found = DUTCH_DATE.findall("Op 12 maart 2026, 3 mei, 12-03-2026 of 1/2/2026; niet 12 March")
    assert found == ["12 maart 2026", "3 mei", "12-03-2026", "1/2/2026"]


def test_the_shipped_scenarios_have_texts_with_a_date_and_with_koppelcode():
    dutch = [nl for _, _, nl, _, _ in texts_in_every_language()]
    assert any(DUTCH_DATE.search(nl) for nl in dutch)
    assert any("koppelcode" in nl.lower() for nl in dutch)


@pytest.mark.parametrize("language", HELP_LANGUAGES)
def test_a_date_to_match_is_written_as_the_dutch_page_writes_it(language):
    wrong = [
        f"{scenario} {key}: {translated!r} lacks {date!r}"
        for scenario, key, nl, lang, translated in texts_in_every_language()
        if lang == language
        for date in DUTCH_DATE.findall(nl)
        if date not in translated
    ]
    assert wrong == []


@pytest.mark.parametrize("language", HELP_LANGUAGES)
def test_title_summary_and_instruction_name_the_dutch_word_koppelcode(language):
    missing = [
        f"{scenario} {key}: {translated!r}"
        for scenario, key, nl, lang, translated in texts_in_every_language()
        if lang == language
        and is_title_summary_or_instruction(key)
        and "koppelcode" in nl.lower()
        and "koppelcode" not in translated.lower()
    ]
    assert missing == []
