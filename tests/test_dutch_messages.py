"""Every message a scenario author reads is plain Dutch: the authoring guide is Dutch."""

from __future__ import annotations

import copy

import yaml

from conftest import messages, minimal, write_scenario
from kiosk.scenario.validate import validate_paths

ENGLISH = (
    " the ",
    " must ",
    " is not ",
    " not ",
    "unknown",
    "missing",
    "should",
    "warning",
    " has ",
    " and ",
    " a ",
    " one ",
    " yet",
    " write ",
    " split ",
    " digits",
    " used by ",
    " sentence ",
    " translation ",
)


def _broken_personas(folder) -> None:
    """Three cards, each with one mistake: a possibly real BSN, a short BSN, a short pincode."""
    path = folder / "personas.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    amal = next(card for card in data["personas"] if card["id"] == "amal")
    for card_id, field, value in (
        ("echt", "bsn", "123456782"),
        ("kort", "bsn", "1234"),
        ("pin", "app_pincode", "123"),
    ):
        card = copy.deepcopy(amal) | {"id": card_id, field: value}
        data["personas"].append(card)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _broken_translation(folder) -> None:
    """A companion file with a number, an unknown key and a lost placeholder."""
    ar = folder / "translations" / "ar"
    ar.mkdir(parents=True)
    (ar / "mini.yaml").write_text(
        "texts:\n"
        "  steps.naam.instruction: 12\n"
        "  steps.weg.instruction: شيء\n"
        "  steps.knop.instruction: اضغط\n",
        encoding="utf-8",
    )
    en = folder / "translations" / "en"
    en.mkdir(parents=True)
    (en / "mini.yaml").write_text("- lijst\n- geen blok\n", encoding="utf-8")
    tr = folder / "translations" / "tr"
    tr.mkdir(parents=True)
    (tr / "mini.yaml").write_text("texts: [een, lijst]\n", encoding="utf-8")


def _messages_of_broken_scenarios(tmp_path) -> list[str]:
    data = minimal()
    first, second = data["steps"][0], data["steps"][1]
    first["instruction"] = {
        "nl": "Typ uw naam in het vak en tik daarna op de knop die u onderaan het "
        "scherm van de oefenpagina ziet staan.",
        "audio": {"so": "ontbreekt.ogg", "xx": "a.ogg"},
    }
    first["feedback"] = {"nl": "Indien u het niet weet, kijk op de kaart."}
    second["instruction"] = {"nl": "Tik op Inloggen {card.bsn}."}
    write_scenario(tmp_path, data, "a.yaml")
    write_scenario(tmp_path, data, "mini.yaml")
    _broken_personas(tmp_path)
    _broken_translation(tmp_path)
    return messages(validate_paths([tmp_path]))


def test_the_messages_for_broken_scenarios_speak_dutch(tmp_path):
    found = _messages_of_broken_scenarios(tmp_path)
    # the scenarios really are broken in each way the test means to cover
    expected = (
        "a.yaml",  # the same id twice
        "translations/so",  # a missing translation
        "teksten nog niet vertaald",
        "translations/ar/mini.yaml",
        "translations/en/mini.yaml",
        "translations/tr/mini.yaml",
        "personas[echt].bsn",
        "personas[kort].bsn",
        "personas[pin].app_pincode",
        ".audio.so",
        ".audio:",
    )
    for fragment in expected:
        assert any(fragment in m for m in found), (fragment, found)
    assert len([m for m in found if "steps.naam" in m or "step 'naam'" in m]) >= 3, found
    english = [m for m in found if any(word in f" {m.lower()} " for word in ENGLISH)]
    assert not english, "\n".join(english)
