"""Scenario format 2: card fields, shared flows, earlier answers, matching per field type,
relative dates, conditions, and the upgrade of version-1 files."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from conftest import SHIPPED, check, messages, minimal, shipped_files, write_scenario
from kiosk.cli import main
from kiosk.scenario.dates import dutch_long, resolve_date
from kiosk.scenario.engine import Choose, ScenarioRun, Type, same_value
from kiosk.scenario.loader import load_scenario_file
from kiosk.scenario.validate import validate_paths

TODAY = date(2026, 12, 1)


def _run(tmp_path, data, today=TODAY, persona="amal"):
    report = check(tmp_path, data)
    assert report.ok, messages(report)
    scenario = report.files[0].scenario
    return ScenarioRun(scenario, report.personas[persona], today)


# --- matching per field type ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "expected", "same"),
    [
        ("postcode", "1234gh", "1234 GH", True),
        ("postcode", "1234 G H", "1234 GH", True),
        ("postcode", "1243 GH", "1234 GH", False),
        ("amount", "€ 23400", "23400", True),
        ("amount", "23.400", "23400", True),
        ("amount", "23.400,00", "23400", True),
        ("amount", "23400,-", "23400", True),
        ("amount", "712.50", "712,50", True),
        ("amount", "2340", "23400", False),
        ("amount", "23,4", "23400", False),
        ("date", "12-1-2027", "12 januari 2027", True),
        ("date", "12/01/2027", "12 januari 2027", True),
        ("date", "12 jan. 2027", "12-01-2027", True),
        ("date", "13-01-2027", "12 januari 2027", False),
        ("iban", "nl12oefn0123456789", "NL12 OEFN 0123 4567 89", True),
        ("phone", "+31 6 0123 4578", "06 01 23 45 78", True),
        ("phone", "0031601234578", "06-01234578", True),
        ("phone", "06 01 23 45 79", "06 01 23 45 78", False),
        ("email", " Amal.Haddad@Oefenmail.nl ", "amal.haddad@oefenmail.nl", True),
        ("text", "oefendorp ", "Oefendorp", True),
        ("password", "tulpen2026", "Tulpen2026", False),
    ],
)
def test_typed_answers_are_compared_per_field_type(kind, typed, expected, same):
    assert same_value(kind, typed, expected) is same


# --- relative dates -----------------------------------------------------------------------


def test_relative_dates_are_counted_from_the_day_played_and_written_in_dutch():
    assert dutch_long(resolve_date("today + 6 weeks", TODAY)) == "12 januari 2027"
    assert dutch_long(resolve_date("vandaag - 2 dagen", TODAY)) == "29 november 2026"
    assert resolve_date("today + 1 month", date(2027, 1, 31)) == date(2027, 2, 28)
    assert resolve_date("2026-12-12", TODAY) == date(2026, 12, 12)


def _dated_scenario() -> dict:
    data = minimal()
    data["dates"] = {"termijn": "today + 6 weeks"}
    data["pages"]["login"]["elements"][0]["text"] = "Reageer voor {date.termijn}"
    data["pages"]["login"]["elements"].append(
        {"type": "input", "id": "datum", "label": "Datum", "input": "date"}
    )
    data["steps"][0]["expect"] = {"type": "datum", "value": "date.termijn"}
    data["steps"][0]["instruction"] = {"nl": "Typ de datum {date.termijn}."}
    data["steps"][0]["wrong"] = []
    return data


def test_a_relative_date_is_shown_and_matched_when_typed(tmp_path):
    run = _run(tmp_path, _dated_scenario())
    assert run.step.instruction.nl == "Typ de datum 12 januari 2027."
    assert run.act(Type("datum", "11-01-2027")).result == "wrong"
    assert run.act(Type("datum", "12-1-2027")).result == "correct"
    later = _run(tmp_path / "later", _dated_scenario(), today=date(2027, 3, 1))
    assert later.step.instruction.nl == "Typ de datum 12 april 2027."


def test_an_unknown_date_expression_is_named(tmp_path):
    data = _dated_scenario()
    data["dates"]["termijn"] = "over 6 weken"
    assert any(
        "dates.termijn" in m and "today + 6 weeks" in m for m in messages(check(tmp_path, data))
    )


# --- the practice card ---------------------------------------------------------------------


def test_new_card_fields_fill_texts(tmp_path):
    data = minimal()
    data["steps"][0]["instruction"] = {
        "nl": "Typ {card.income}. Partner: {card.partner_name}. Kinderen: {card.children}."
    }
    run = _run(tmp_path, data)
    assert (
        run.step.instruction.nl
        == "Typ 23400. Partner: Samir Haddad. Kinderen: Sara Haddad en Adam Haddad."
    )


def test_the_moving_date_on_the_card_is_relative(tmp_path):
    data = minimal()
    data["steps"][0]["instruction"] = {"nl": "U verhuist op {card.moving_date}."}
    assert _run(tmp_path, data).step.instruction.nl == "U verhuist op 22 december 2026."


def test_shipped_cards_use_made_up_numbers_only(shipped_report):
    from kiosk.scenario.persona import iban_passes_check, passes_eleven_check, real_looking_mobile

    assert len(shipped_report.personas) == 3 and not shipped_report.persona_problems
    for card in shipped_report.personas.values():
        assert not passes_eleven_check(card.bsn)
        assert not card.partner_bsn or not passes_eleven_check(card.partner_bsn)
        assert not iban_passes_check(card.iban)
        assert real_looking_mobile(card.phone) is None
        assert card.income and card.permit_type and card.health_insurer and card.policy_number


# --- earlier answers carried forward --------------------------------------------------------


def _form_scenario() -> dict:
    data = minimal()
    data["pages"]["check"] = {
        "service": "DigiD (oefenen)",
        "address": "https://oefenen.digid.nl/controle",
        "elements": [
            {
                "type": "summary",
                "rows": [
                    {"label": "Naam", "value": "{form.naam}", "id": "wijzig-naam"},
                    {"label": "Keuze", "value": "{form.keuze}"},
                ],
            },
            {"type": "button", "id": "verzenden", "text": "Verzenden"},
        ],
    }
    data["steps"] = [
        data["steps"][0],
        {
            "id": "kies",
            "page": "login",
            "pictogram": "choose",
            "instruction": {"nl": "Kies B."},
            "expect": {"choose": "keuze", "option": "b"},
        },
        {
            "id": "controle",
            "page": "check",
            "pictogram": "tap",
            "instruction": {"nl": "Klopt {form.naam}? Tik op Verzenden."},
            "expect": {"tap": "verzenden"},
            "next": "end",
        },
    ]
    return data


def test_typed_and_chosen_values_reach_later_pages_from_memory_and_are_wiped(tmp_path):
    run = _run(tmp_path, _form_scenario())
    run.act(Type("naam", " amal.oefen"))
    run.act(Choose("keuze", "b"))
    assert run.context.form == {"naam": " amal.oefen", "keuze": "B"}
    from kiosk.ui.presenters import practice_view

    view = practice_view(run, "nl")
    table = view.page.elements[0].element
    assert [r.value for r in table.rows] == [" amal.oefen", "B"]
    assert "amal.oefen" in view.instruction.nl
    run.wipe()
    assert run.context.form == {}
    assert "amal.oefen" not in str(practice_view(run, "nl").page.elements[0].element)


def test_a_form_placeholder_must_name_a_field(tmp_path):
    data = _form_scenario()
    data["pages"]["check"]["elements"][0]["rows"][0]["value"] = "{form.naaam}"
    assert any("bedoelt u 'naam'" in m for m in messages(check(tmp_path, data)))


def test_a_wrong_typed_answer_shows_the_pages_own_error_under_the_field(tmp_path):
    data = minimal()
    data["pages"]["login"]["elements"][1]["error"] = "Deze gebruikersnaam is niet juist."
    run = _run(tmp_path, data)
    from kiosk.ui.presenters import practice_view

    assert practice_view(run, "nl").page.elements[1].error == ""
    run.act(Type("naam", "iemand"))
    assert practice_view(run, "nl").page.elements[1].error == "Deze gebruikersnaam is niet juist."
    run.act(Type("naam", "amal.oefen"))
    assert practice_view(run, "nl").page.elements[1].error == ""


# --- steps that depend on the card or on earlier answers -----------------------------------


def _partner_scenario() -> dict:
    data = minimal()
    data["steps"][0]["next"] = "partner"
    data["steps"].insert(
        1,
        {
            "id": "partner",
            "page": "login",
            "pictogram": "tap",
            "instruction": {"nl": "Vink 'Akkoord' aan voor {card.partner_name}."},
            "expect": {"tap": "akkoord"},
            "only_if": {"card": "partner_name"},
        },
    )
    return data


def test_a_partner_step_is_shown_only_for_a_card_with_a_partner(tmp_path):
    with_partner = _run(tmp_path, _partner_scenario(), persona="amal")
    with_partner.act(Type("naam", "amal.oefen"))
    assert with_partner.step_id == "partner"
    assert with_partner.total_steps == 3
    single = _run(tmp_path, _partner_scenario(), persona="yonas")
    single.act(Type("naam", "yonas.oefen"))
    assert single.step_id == "knop"
    assert single.total_steps == 2


def test_a_step_can_depend_on_an_earlier_choice(tmp_path):
    data = _form_scenario()
    data["steps"][2]["only_if"] = {"form": "keuze", "option": "a"}
    data["steps"][1]["next"] = "controle"
    data["steps"].append(
        {
            "id": "anders",
            "page": "login",
            "pictogram": "tap",
            "instruction": {"nl": "Tik op Inloggen."},
            "expect": {"tap": "ok"},
            "next": "end",
        }
    )
    del data["steps"][2]["next"]
    run = _run(tmp_path, data)
    run.act(Type("naam", "amal.oefen"))
    run.act(Choose("keuze", "b"))
    assert run.step_id == "anders"
    data["steps"][2]["only_if"] = {"form": "keuze", "option": "b"}
    other = _run(tmp_path / "b", data)
    other.act(Type("naam", "amal.oefen"))
    other.act(Choose("keuze", "b"))
    assert other.step_id == "controle"


# --- shared flows ----------------------------------------------------------------------------


def test_shipped_scenarios_use_the_shared_digid_flows():
    uses = {}
    for path in shipped_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        uses[path.stem] = [s["use"] for s in data["steps"] if "use" in s]
    assert "digid-inloggen-sms" in uses["digid-inloggen-sms"]
    assert "uitloggen" in uses["digid-inloggen-sms"]
    assert "digid-inloggen-sms" in uses["berichtenbox-brief"]
    assert any("digid-inloggen-app" in used for used in uses.values())


def test_a_flow_is_used_with_one_line_and_parameters(tmp_path):
    import shutil

    shutil.copytree(SHIPPED / "flows", tmp_path / "flows")
    data = minimal()
    data["steps"] = [
        {"use": "digid-inloggen-sms", "id": "login", "with": {"service": "Gemeente Oefendorp"}},
        *data["steps"][1:],
    ]
    data["start"] = "login"
    path = write_scenario(tmp_path, data)
    report = validate_paths([path])
    assert report.ok, messages(report)
    scenario = report.files[0].scenario
    assert scenario.first_step == "login-kies"
    assert scenario.step("login-sms-inloggen").next == "knop"  # the step after the line
    keuze = scenario.pages["login-keuze"]
    assert "U wilt inloggen bij: Gemeente Oefendorp" in [
        getattr(e, "text", "") for e in keuze.elements
    ]
    assert scenario.codes["sms"] == "123456"  # the scenario's own code wins


def test_a_flows_return_parameter_and_missing_parameters(tmp_path):
    import shutil

    shutil.copytree(SHIPPED / "flows", tmp_path / "flows")
    data = minimal()
    data["steps"].insert(
        0, {"use": "digid-inloggen-sms", "id": "login", "with": {"service": "X", "return": "hulp"}}
    )
    report = validate_paths([write_scenario(tmp_path, data)])
    assert report.files[0].scenario.step("login-sms-inloggen").next == "hulp"
    data["steps"][0] = {"use": "digid-inloggen-sms", "id": "login"}
    assert any(
        "heeft 'service' nodig" in m
        for m in messages(validate_paths([write_scenario(tmp_path, data)]))
    )
    data["steps"][0] = {"use": "digid-inlogen-sms", "id": "login"}
    assert any(
        "geen gedeelde flow 'digid-inlogen-sms'" in m
        for m in messages(validate_paths([write_scenario(tmp_path, data)]))
    )


# --- version 1 files -------------------------------------------------------------------------


def test_a_version_1_file_still_loads_and_migrate_rewrites_it(tmp_path, capsys):
    data = minimal()
    data["schema_version"] = 1
    text = "# mijn oefening\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path = write_scenario(tmp_path, text)
    loaded = load_scenario_file(path)
    assert loaded.ok and loaded.value.schema_version == 2
    assert main(["migrate", str(path)]) == 0
    rewritten = path.read_text(encoding="utf-8")
    assert rewritten.startswith("# mijn oefening\n") and "schema_version: 2" in rewritten
    assert rewritten.replace("schema_version: 2", "schema_version: 1") == text
    assert main(["migrate", str(path)]) == 0
    assert "al versie 2" in capsys.readouterr().out


# --- form features: upload and 'Wijzigen' ------------------------------------------------------


def test_an_upload_says_uploading_is_not_practised_and_tapping_chooses_the_practice_file(
    tmp_path,
):
    from kiosk.scenario.engine import Tap
    from kiosk.ui.presenters import practice_view

    data = minimal()
    data["pages"]["login"]["elements"].append(
        {"type": "upload", "id": "contract", "label": "Huurcontract", "file_name": "huur.pdf"}
    )
    data["steps"][1]["expect"] = {"tap": "contract"}
    run = _run(tmp_path, data)
    run.act(Type("naam", "amal.oefen"))
    (upload,) = [v for v in practice_view(run, "nl").page.elements if v.kind == "upload"]
    assert "uploaden oefent u hier niet" in upload.element.note and not upload.checked
    assert run.act(Tap("contract")).result == "correct"
    (chosen,) = [v for v in practice_view(run, "nl").page.elements if v.kind == "upload"]
    assert chosen.checked and chosen.element.file_name == "huur.pdf"


def test_a_summary_rows_wijzigen_link_can_be_tapped_and_a_row_without_id_cannot(tmp_path):
    from kiosk.scenario.engine import Tap

    data = _form_scenario()
    data["steps"][2]["expect"] = {"tap": "wijzig-naam"}
    run = _run(tmp_path, data)
    run.act(Type("naam", "amal.oefen"))
    run.act(Choose("keuze", "b"))
    assert run.act(Tap("wijzig-naam")).result == "correct"
    data["steps"][2]["expect"] = {"tap": "wijzig-keuze"}
    assert not check(tmp_path / "no-id", data).ok


def test_the_practice_card_shows_the_rent_the_forms_ask_for():
    from kiosk.scenario.library import load_library
    from kiosk.scenario.persona import card_lines

    library = load_library(SHIPPED)
    lines = dict(card_lines(library.personas["yonas"]))
    assert lines["Kale huur per maand"] == "€ 645,00"
    assert lines["Inkomen per jaar"] == "€ 19850"
