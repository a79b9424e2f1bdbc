"""The simple-Dutch checks of the validator."""

from __future__ import annotations

from conftest import check, messages, minimal
from kiosk.scenario.plain_dutch import actions, long_sentences, officialese


def test_a_sentence_over_15_words_is_found():
    short = "Tik op de knop 'Inloggen'."
    long = (
        "Als u klaar bent met het typen van uw gebruikersnaam en wachtwoord tikt u op de "
        "blauwe knop onderaan."
    )
    assert long_sentences(short) == []
    assert long_sentences(f"{short} {long}") == [long]


def test_two_actions_in_one_instruction_are_found():
    assert actions("Tik op de knop 'Inloggen'.") == ["tik"]
    assert actions("Open de brief. Tik op de bijlage.") == ["open", "tik"]
    assert actions("Tik op het vak en typ uw naam.") == ["tik", "typ"]
    assert actions("U bent ingelogd. Tik op 'Uitloggen' als u klaar bent.") == ["tik"]
    assert actions("Tik op 'Typ hier'.") == ["tik"]  # a button name is not an action


def test_officialese_gets_its_simple_word():
    assert officialese("Indien u vragen heeft, dient u te bellen.") == [("indien", "als")]
    assert officialese("U dient te betalen middels iDEAL.") == [
        ("middels", "met"),
        ("dient te", "moet"),
    ]
    assert officialese("Tik op 'Reeds betaald'.") == []  # quoted: text on the screen


def test_the_validator_warns_and_points_at_the_line(tmp_path):
    data = minimal()
    data["steps"][0]["instruction"] = {"nl": "Open het formulier. Typ indien mogelijk uw naam."}
    found = [m for m in messages(check(tmp_path, data)) if "steps.naam.instruction" in m]
    assert any("meer dan één handeling (open, typ)" in m for m in found)
    assert any("'indien' is ambtelijke taal; schrijf 'als'" in m for m in found)
    assert all("mini.yaml:" in m and "let op: " in m for m in found)


def test_page_texts_keep_the_dutch_of_the_real_services(tmp_path):
    data = minimal()
    data["pages"]["login"]["elements"][0]["text"] = "Indien u reeds een account heeft"
    assert not [m for m in messages(check(tmp_path, data)) if "ambtelijke taal" in m]
