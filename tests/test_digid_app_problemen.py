"""The exercise 'Als het misgaat met de DigiD app' teaches the real order and the real texts.

The koppelcode goes from the APP to the WEBSITE (field guide 2.4); the error screens quote
the DigiD app word for word (source 9 of the field guide).
"""

from __future__ import annotations

import pytest

from conftest import SHIPPED
from kiosk.scenario.library import load_library

LIBRARY = load_library(SHIPPED)
SCENARIO = next((s for s in LIBRARY.scenarios if s.id == "digid-app-problemen"), None)

# Real app texts (DigiD app, January 2023), each on a phone screen of the exercise.
REAL_APP_TEXTS = [
    "U heeft een onjuiste koppelcode ingevoerd, waardoor het scannen van de QR-code niet is "
    "gelukt. Probeer het opnieuw.",
    "Koppelcode nodig?",
    "De pincode is onjuist. U heeft nog 1 poging.",
    "App gedeactiveerd",
    "U heeft 3 keer een onjuiste pincode ingevoerd. U moet de app opnieuw activeren.",
    "Voer activeringscode uit brief in.",
    "Geen brief gehad",
    "Brief aanvragen",
    "U vraagt nu een nieuwe activeringscode aan voor de DigiD app. "
    "Hiermee vervalt de eerder aangevraagde code.",
    "Activeringscode niet meer geldig",
    "De ingevoerde activeringscode is niet meer geldig. U moet de app opnieuw activeren.",
]


def texts_on(elements) -> list[str]:
    fields = ("text", "title")
    return [str(getattr(e, f)) for e in elements for f in fields if getattr(e, f, None)]


def test_the_exercise_loads_without_problems():
    assert SCENARIO is not None, f"digid-app-problemen did not load: {LIBRARY.broken_files}"


def test_the_koppelcode_is_shown_in_the_app_and_typed_on_the_website():
    assert SCENARIO is not None
    typing = [s for s in SCENARIO.steps if s.expect.type and s.expect.value == "code.koppel"]
    assert typing, "no step types the koppelcode"
    for step in typing:
        page_inputs = {e.id for e in SCENARIO.pages[step.page].elements if e.TYPE == "input"}
        phone_codes = [e.value for e in SCENARIO.phones[step.phone].elements if e.TYPE == "code"]
        assert step.expect.type in page_inputs, f"{step.id}: the koppelcode is typed on the website"
        assert phone_codes == ["{code.koppel}"], f"{step.id}: the app shows the koppelcode"
    for phone in SCENARIO.phones.values():
        assert not [e for e in phone.elements if e.TYPE == "input" and "koppel" in e.id]


@pytest.mark.parametrize("text", REAL_APP_TEXTS)
def test_the_phone_shows_the_real_app_text(text):
    assert SCENARIO is not None
    on_phones = [t for phone in SCENARIO.phones.values() for t in texts_on(phone.elements)]
    assert text in on_phones
