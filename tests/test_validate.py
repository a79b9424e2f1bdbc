"""Meaning checks: references, the step graph, practice-card names, pictograms."""

from __future__ import annotations

import shutil

import pytest
import yaml

from conftest import SHIPPED, check, messages, minimal, shipped_files, write_scenario
from kiosk.scenario.library import load_library
from kiosk.scenario.validate import validate_paths


def _one(tmp_path, data, fragment):
    found = [m for m in messages(check(tmp_path, data)) if fragment in m]
    assert found, messages(check(tmp_path, data))
    return found[0]


def test_dangling_next_is_named_like_the_issue_says(tmp_path):
    data = minimal()
    data["steps"][2]["next"] = "knopp"
    line = _one(tmp_path, data, "gaat naar de onbekende stap")
    assert "mini.yaml:" in line
    assert "stap 'hulp' gaat naar de onbekende stap 'knopp' (bedoelt u 'knop'?)" in line


def test_dangling_branch(tmp_path):
    data = minimal()
    data["steps"][1]["branches"][0]["next"] = "nergens"
    assert "branches[1].next" in _one(tmp_path, data, "onbekende stap 'nergens'")


def test_unknown_page_reference_does_not_crash_the_checks(tmp_path):
    data = minimal()
    data["pages"] = None
    assert "onbekende pagina 'login'" in _one(tmp_path, data, "onbekende pagina")


def test_unreachable_step(tmp_path):
    data = minimal()
    data["steps"][1]["branches"] = []
    assert "step 'hulp': geen enkele weg leidt naar deze stap" in _one(
        tmp_path, data, "geen enkele weg"
    )


def test_step_that_cannot_reach_the_end(tmp_path):
    data = minimal()
    data["steps"][1]["expect"] = {"tap": "hulp"}
    data["steps"][1]["next"] = "hulp"
    data["steps"][1]["branches"] = []
    data["steps"][2]["next"] = "knop"
    assert "nooit aan het einde" in _one(tmp_path, data, "nooit aan het einde")


def test_expected_element_not_on_the_page(tmp_path):
    data = minimal()
    data["steps"][1]["expect"] = {"tap": "okk"}
    line = _one(tmp_path, data, "staat niet op de pagina")
    assert "steps" not in line or "expect.tap" in line
    assert "bedoelt u 'ok'?" in line


def test_expect_kinds_must_fit_the_element(tmp_path):
    data = minimal()
    data["steps"][1]["expect"] = {"type": "ok", "value": "card.bsn"}
    _one(tmp_path, data, "'ok' is geen invulvak")
    data["steps"][1]["expect"] = {"tap": "naam"}
    _one(tmp_path, data, "op 'naam' kan de bezoeker niet tikken")
    data["steps"][1]["expect"] = {"choose": "keuze", "option": "z"}
    _one(tmp_path, data, "'z' is geen optie van 'keuze'")
    data["steps"][1]["expect"] = {"answer": "ja"}
    _one(tmp_path, data, "geen antwoord op de vraag van deze stap")


def test_exactly_one_action_kind(tmp_path):
    data = minimal()
    data["steps"][1]["expect"] = {"tap": "ok", "answer": "ja"}
    _one(
        tmp_path, data, "precies één van tap, type, choose of answer nodig (gevonden: tap, answer)"
    )
    data["steps"][1]["expect"] = {}
    _one(tmp_path, data, "precies één van tap, type, choose of answer nodig")


def test_expected_typing_needs_a_referenced_value(tmp_path):
    data = minimal()
    data["steps"][0]["expect"] = {"type": "naam"}
    _one(tmp_path, data, "'expect' met 'type' heeft een 'value' nodig")
    data["steps"][0]["expect"] = {"type": "naam", "value": "amal.oefen"}
    _one(tmp_path, data, "nooit overgetypt")


def test_unknown_persona_field_and_code(tmp_path):
    data = minimal()
    data["steps"][0]["expect"] = {"type": "naam", "value": "card.gebruikersnaam"}
    _one(tmp_path, data, "onbekend veld van de oefenkaart 'gebruikersnaam'")
    data = minimal()
    data["steps"][0]["expect"] = {"type": "naam", "value": "code.koppel"}
    _one(tmp_path, data, "onbekende code 'koppel'")


def test_unknown_placeholder_in_a_page_text(tmp_path):
    data = minimal()
    data["pages"]["login"]["elements"][0]["text"] = "Welkom {card.naam}"
    _one(tmp_path, data, "onbekend veld van de oefenkaart 'naam'")
    data["pages"]["login"]["elements"][0]["text"] = "Welkom {kaart.full_name}"
    _one(tmp_path, data, "onbekende verwijzing {kaart.full_name}")


def test_unknown_persona(tmp_path):
    data = minimal()
    data["persona"] = "piet"
    _one(tmp_path, data, "onbekende oefenkaart 'piet'")


def test_unknown_pictogram(tmp_path):
    data = minimal()
    data["steps"][0]["pictogram"] = "smiley"
    _one(tmp_path, data, "onbekend pictogram 'smiley'")


def test_unknown_theme_and_organisation(tmp_path):
    data = minimal()
    data["theme"] = "sport"
    data["organisation"] = "nasa"
    _one(tmp_path, data, "onbekend thema 'sport'")
    _one(tmp_path, data, "onbekende organisatie 'nasa'")


def test_duplicate_ids(tmp_path):
    data = minimal()
    data["steps"][2]["id"] = "knop"
    _one(tmp_path, data, "deze stap-id staat er twee keer")
    data = minimal()
    data["pages"]["login"]["elements"].append({"type": "link", "id": "ok", "text": "Nog een"})
    _one(tmp_path, data, "de id 'ok' staat er twee keer")


def test_feedback_that_can_never_be_shown(tmp_path):
    data = minimal()
    # the 'any text' rule comes first, so the specific one below can never fire
    data["steps"][0]["wrong"].append(
        {"when": {"type": "naam"}, "feedback": {"nl": "Nooit te zien."}}
    )
    _one(tmp_path, data, "wrong[3]: kan nooit gebeuren")


def test_a_practice_page_must_say_it_is_practice(tmp_path):
    data = minimal()
    data["pages"]["login"]["address"] = "https://www.digid.nl/inloggen"
    data["pages"]["login"]["service"] = "DigiD"
    _one(tmp_path, data, "in een oefenadres staat 'oefen'")
    _one(tmp_path, data, "zegt dat het oefenen is")


def test_a_step_must_show_something(tmp_path):
    data = minimal()
    del data["steps"][2]["page"]
    _one(tmp_path, data, "laat niets zien")


def test_unused_pages_and_codes_are_warnings_not_errors(tmp_path):
    data = minimal()
    data["pages"]["extra"] = data["pages"]["fout"]
    report = check(tmp_path, data)
    assert report.ok
    warned = [str(p) for p in report.problems if p.severity == "warning"]
    assert any("pages.extra" in w for w in warned)
    assert any("codes.sms" in w and "nergens gebruikt" in w for w in warned)


def test_a_persona_with_a_possibly_real_bsn_is_refused(tmp_path):
    write_scenario(tmp_path, minimal())
    personas = tmp_path / "personas.yaml"
    personas.write_text(personas.read_text().replace('"270198346"', '"123456782"'))
    report = validate_paths([tmp_path / "mini.yaml"])
    assert any("komt door de elfproef" in str(p) for p in report.persona_problems)
    assert "amal" not in report.personas
    assert not report.ok


def test_the_same_scenario_id_twice(tmp_path):
    write_scenario(tmp_path, minimal(), "a.yaml")
    write_scenario(tmp_path, minimal(), "b.yaml")
    report = validate_paths([tmp_path])
    assert any("staat ook in a.yaml" in str(p) for p in report.problems)


def test_one_broken_file_does_not_take_the_others_down(tmp_path):
    shutil.copytree(SHIPPED / "flows", tmp_path / "flows")
    for path in SHIPPED.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "kapot.yaml").write_text("schema_version: 1\nid: [kapot\n")
    library = load_library(tmp_path)
    assert library.broken_files == ("kapot.yaml",)
    shipped = shipped_files()
    assert len(library.scenarios) == len(shipped)
    assert any(p.file == "kapot.yaml" for p in library.problems)


def test_the_example_in_the_authoring_guide_is_valid(tmp_path):
    import re

    guide = (SHIPPED / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## Een compleet voorbeeld.*?```yaml\n(.*?)```", guide, re.S).group(1)
    shutil.copytree(SHIPPED / "flows", tmp_path / "flows")
    report = check(tmp_path, example)
    untranslated = [p for p in report.problems if p.field.startswith("translations/")]
    assert report.ok and len(untranslated) == len(report.problems), messages(report)
    from kiosk.scenario.engine import ScenarioRun
    from kiosk.scenario.solve import solve

    scenario = report.files[0].scenario
    run = ScenarioRun(scenario, report.personas[scenario.persona])
    for move in solve(scenario, run.persona):
        run.act(move.action)
    assert run.finished


def test_a_recorded_clip_that_is_not_there_is_a_warning(tmp_path):
    data = minimal()
    data["steps"][0]["instruction"] = {"nl": "Typ uw naam.", "audio": {"so": "ontbreekt.ogg"}}
    report = check(tmp_path, data)
    assert report.ok
    assert any("assets/audio/so/ontbreekt.ogg is er nog niet" in m for m in messages(report))
    data["steps"][0]["instruction"]["audio"] = {"xx": "a.ogg"}
    assert not check(tmp_path, data).ok


@pytest.mark.parametrize(
    "scenario_id, fragment",
    [
        ("a" * 65, "65 tekens lang; het mag hoogstens 64"),
        ("a" * 300, "300 tekens lang"),
        ("DigiD-inloggen", "kleine letters"),
        ("digid inloggen", "kleine letters"),
        ("digid_inloggen", "kleine letters"),
        ("-digid", "kleine letters"),
        ("../digid", "kleine letters"),
    ],
)
def test_a_scenario_id_follows_the_id_rule(tmp_path, scenario_id, fragment):
    data = minimal()
    data["id"] = scenario_id
    report = check(tmp_path, data)
    found = [p for p in report.problems if p.field == "id" and p.severity == "error"]
    assert found and fragment in found[0].message, messages(report)
    assert found[0].file == "mini.yaml" and found[0].line == 2


def test_ids_that_follow_the_rule_pass(tmp_path):
    for scenario_id in ("a" * 64, "digid-inloggen-sms", "toeslag-2026"):
        data = minimal()
        data["id"] = scenario_id
        report = check(tmp_path, data)
        assert report.ok, messages(report)


def test_a_too_long_id_beside_translations_does_not_crash_the_library(tmp_path):
    folder = tmp_path / "scenarios"
    shutil.copytree(SHIPPED, folder)
    data = minimal()
    data["id"] = "a" * 300
    write_scenario(folder, data, "lang.yaml")
    library = load_library(folder)
    assert "lang.yaml" in library.broken_files
    assert len(library.scenarios) == len(shipped_files())


def _looping(data: dict) -> dict:
    """The right action of step 'knop' goes back to the first step; the branch still ends."""
    data["steps"][1]["next"] = "naam"
    data["steps"][2]["next"] = "end"
    return data


def test_a_right_path_that_goes_round_in_a_circle_is_refused(tmp_path):
    report = check(tmp_path, _looping(minimal()))
    errors = [p for p in report.problems if p.severity == "error"]
    assert len(errors) == 1, messages(report)
    (error,) = errors
    assert error.file == "mini.yaml" and error.field == "step 'knop'"
    assert "nooit aan het einde" in error.message and "naam → knop → naam" in error.message


@pytest.mark.parametrize("knop_next", ["naam", "knop", "hulp", "end"])
@pytest.mark.parametrize("hulp_next", ["naam", "knop", "hulp", "end"])
def test_valid_means_solvable(tmp_path, knop_next, hulp_next):
    from kiosk.scenario.solve import solve

    data = minimal()
    data["steps"][1]["next"] = knop_next
    data["steps"][2]["next"] = hulp_next
    report = check(tmp_path, data)
    (file_report,) = report.files
    if file_report.ok:
        scenario = file_report.scenario
        assert solve(scenario, report.personas[scenario.persona])


def test_a_misspelt_next_is_reported_once_not_as_every_step_after_it(tmp_path):
    data = minimal()
    data["steps"][0]["next"] = "knopp"
    errors = [p for p in check(tmp_path, data).problems if p.severity == "error"]
    assert len(errors) == 1, [str(p) for p in errors]
    assert "onbekende stap 'knopp' (bedoelt u 'knop'?)" in errors[0].message


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("schema_version: 2\nid: x\n\ttitle: y\n", "nooit met de Tab-toets"),
        ('schema_version: 2\ntitle: {nl: "abc}\n', "hetzelfde aanhalingsteken"),
        ("schema_version: 2\ntitle: {nl: abc\nsummary: y\n", "Ontbreekt er een '}'"),
        ("schema_version: 2\ntitle:\n  nl: a\n   en: b\n", "klopt het inspringen niet"),
    ],
)
def test_yaml_mistakes_get_plain_dutch_advice_without_python_words(tmp_path, text, advice):
    (problem,) = check(tmp_path, text).problems
    assert advice in problem.message and problem.line is not None
    for python_word in ("scalar", "mapping", "flow", "stream", "recursion", "Traceback"):
        assert python_word not in problem.message


def test_a_date_without_quotes_gets_the_advice_to_quote_it(tmp_path):
    data = minimal()
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    text = text.replace("theme: financien", "theme: financien\ndates:\n  brief: 2026-12-12")
    found = messages(check(tmp_path, text))
    assert any("datum zonder aanhalingstekens" in m for m in found), found


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Uw BSN is 111222333.", "elfproef"),
        ("Bel 06 41 27 90 55 voor hulp.", "echt mobiel nummer"),
        ("Bel +31 6 41279055.", "echt mobiel nummer"),
        ("Welkom {card.full_name", "niet afgesloten"),
    ],
)
def test_content_that_looks_like_real_personal_data_is_refused(tmp_path, text, fragment):
    data = minimal()
    data["pages"]["login"]["elements"][0]["text"] = text
    found = [m for m in messages(check(tmp_path, data)) if fragment in m]
    assert found


def test_made_up_numbers_in_content_are_fine(tmp_path):
    data = minimal()
    data["pages"]["login"]["elements"][0]["text"] = "Bel 06 01 27 90 55. Nummer 123456789."
    assert check(tmp_path, data).ok


@pytest.mark.parametrize(
    "name", ["a" * 300 + ".ogg", "../../../etc/passwd.wav", "/tmp/x.ogg", "start.mp3", "st art.ogg"]
)
def test_a_clip_name_is_a_plain_file_name_in_its_folder(tmp_path, name):
    data = minimal()
    data["steps"][0]["instruction"] = {"nl": "Typ uw naam.", "audio": {"so": name}}
    report = check(tmp_path, data)
    found = [p for p in report.problems if p.field.endswith(".audio.so")]
    assert found and found[0].severity == "error", messages(report)
    assert "gewone bestandsnaam" in found[0].message


def test_clip_names_of_the_authoring_guide_pass(tmp_path):
    data = minimal()
    for name in ("start.ogg", "digid-inloggen/start.ogg", "bent-u-er-nog.wav"):
        data["steps"][0]["instruction"] = {"nl": "Typ uw naam.", "audio": {"so": name}}
        assert check(tmp_path, data).ok, name


def test_a_question_mark_inside_braces_without_quotes_gets_a_warning_with_its_line(tmp_path):
    data = minimal()
    data["pages"]["login"]["elements"][0] = "PLACEHOLDER"
    lines = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if "PLACEHOLDER" in line)
    for element, warned in (
        ("{type: text, text: Wat wilt u doen?}", True),
        ('{type: text, text: "Wat wilt u doen?"}', False),
    ):
        lines[number - 1] = lines[number - 1].replace("PLACEHOLDER", element)
        report = check(tmp_path, "\n".join(lines) + "\n")
        lines[number - 1] = lines[number - 1].replace(element, "PLACEHOLDER")
        assert report.ok, messages(report)  # the kiosk reads both
        found = [p for p in report.problems if "aanhalingstekens" in p.message]
        assert bool(found) == warned, messages(report)
        if warned:
            assert found[0].line == number and found[0].severity == "warning"


def test_a_picture_on_only_some_answers_gets_a_warning(tmp_path):
    data = minimal()
    data["steps"].append(
        {
            "id": "vraag",
            "pictogram": "question",
            "instruction": {"nl": "Kies het goede antwoord."},
            "question": {
                "text": {"nl": "Wat doet u?"},
                "options": [
                    {"id": "goed", "text": {"nl": "Ik bel zelf."}, "pictogram": "phone"},
                    {"id": "fout", "text": {"nl": "Ik geef de code."}},
                ],
            },
            "expect": {"answer": "goed"},
            "hints": [{"nl": "Denk na."}, {"nl": "Kies het eerste."}],
        }
    )
    warned = [p for p in check(tmp_path, data).problems if "plaatje" in p.message]
    assert warned and warned[0].severity == "warning"
    data["steps"][-1]["question"]["options"][1]["pictogram"] = "close"
    assert not [p for p in check(tmp_path, data).problems if "plaatje" in p.message]
