"""The intake's route: which exercises come first after the questions (route.yaml)."""

from __future__ import annotations

import shutil

import pytest

from conftest import SHIPPED
from kiosk.packs.archive import content_files
from kiosk.scenario.library import load_library
from kiosk.scenario.route import (
    MAX_ROUTE,
    QUESTIONS,
    ROUTE_FILE,
    load_route,
    next_question,
    route_for,
    without_last,
)

LIBRARY = load_library(SHIPPED)
RULES = LIBRARY.route


def test_the_shipped_route_rules_load_without_problems():
    assert RULES is not None
    assert not [p for p in LIBRARY.problems if p.file == ROUTE_FILE]


def test_without_digid_the_route_starts_with_applying_for_it():
    route = route_for({"digid": "nee", "regelen": "werk"}, RULES, LIBRARY)
    assert route == (
        "digid-aanvragen",
        "digid-inloggen-sms",
        "werkzoekende-inschrijven",
        "bijstand-aanvragen",
        "vog-aanvragen",
    )


def test_digid_without_the_app_activates_the_app_then_logs_in_with_it():
    route = route_for({"digid": "ja", "app": "nee", "regelen": "wonen"}, RULES, LIBRARY)
    assert route[:2] == ("digid-app-activeren", "digid-app-inloggen")
    assert route[2:] == ("verhuizing-doorgeven", "huurtoeslag-aanvragen")  # easiest first


def test_digid_with_the_app_logs_in_with_the_app_and_skips_what_it_does_not_need():
    route = route_for({"digid": "ja", "app": "ja", "regelen": "inburgering"}, RULES, LIBRARY)
    assert route[0] == "digid-app-inloggen"
    assert not {"digid-aanvragen", "digid-app-activeren", "digid-app-activeren-brief"} & set(route)
    assert route[1] == "digid-inloggen-sms"  # the theme's easiest (level 1) comes next


def test_a_theme_comes_easiest_first_by_level_then_minutes():
    route = route_for({"digid": "ja", "app": "ja", "regelen": "financien"}, RULES, LIBRARY)
    assert route == (
        "digid-app-inloggen",
        "bank-helpdesk-fraude",  # level 1, 7 minutes
        "nep-sms",  # level 1, 8 minutes
        "betalen-ideal-wero",  # level 2, 8 minutes
        "gemeente-afspraak",  # level 2, 8 minutes
    )


def test_every_path_of_answers_gives_a_short_route_without_repeats():
    seen = set()
    for digid in QUESTIONS[0].choices:
        apps = [c.id for c in QUESTIONS[1].choices] if digid.id == "ja" else [None]
        for app in apps:
            for what in QUESTIONS[2].choices:
                answers = {"digid": digid.id, "regelen": what.id}
                if app:
                    answers["app"] = app
                route = route_for(answers, RULES, LIBRARY)
                assert 1 <= len(route) <= MAX_ROUTE, answers
                assert len(set(route)) == len(route), answers
                assert set(route) <= {s.id for s in LIBRARY.scenarios}
                seen.add(route)
    assert len(seen) > 10  # the answers matter


def test_an_app_answer_left_from_a_path_gone_back_on_counts_no_more():
    with_app = route_for({"digid": "nee", "app": "ja", "regelen": "werk"}, RULES, LIBRARY)
    assert "digid-app-inloggen" not in with_app


def test_exercises_staff_switched_off_are_left_out():
    shown = LIBRARY.only(tuple(s.id for s in LIBRARY.scenarios if s.id != "digid-aanvragen"))
    route = route_for({"digid": "nee", "regelen": "werk"}, RULES, shown)
    assert route == (
        "digid-inloggen-sms",
        "werkzoekende-inschrijven",
        "bijstand-aanvragen",
        "vog-aanvragen",
    )


def test_no_rules_no_route():
    assert route_for({"digid": "nee"}, None, LIBRARY) == ()


def test_the_questions_follow_the_answers():
    assert next_question({}).id == "digid"
    assert next_question({"digid": "nee"}).id == "regelen"  # no app question without DigiD
    assert next_question({"digid": "ja"}).id == "app"
    assert next_question({"digid": "ja", "app": "nee", "regelen": "werk"}) is None
    assert without_last({"digid": "ja", "app": "nee"}) == {"digid": "ja"}
    assert without_last({}) == {}


def test_every_answer_has_a_pictogram_of_the_registry():
    from kiosk.scenario.pictograms import load_pictograms

    registry = load_pictograms()
    assert {c.pictogram for q in QUESTIONS for c in q.choices} <= set(registry)


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "scenarios"
    shutil.copytree(SHIPPED, folder)
    return folder


def _break(folder, old: str, new: str) -> None:
    path = folder / ROUTE_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(folder, text: str) -> int:
    lines = (folder / ROUTE_FILE).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_an_unknown_exercise_is_reported_with_line_and_field_and_the_kiosk_still_loads(content):
    _break(content, "[digid-aanvragen, digid-inloggen-sms]", "[digid-aanvrage, digid-inloggen-sms]")
    library = load_library(content)
    problems = [str(p) for p in library.problems if p.file == ROUTE_FILE]
    line = _line_of(content, "digid-aanvrage,")
    assert problems == [
        f"route.yaml:{line}: answers.digid.nee.exercises: onbekende oefening "
        "'digid-aanvrage' (bedoelt u 'digid-aanvragen'?)"
    ]
    assert library.route is None  # no route: the catalogue as without the intake
    assert len(library.scenarios) == len(LIBRARY.scenarios)
    assert ROUTE_FILE in library.broken_files


def test_an_unknown_answer_and_question_are_reported(content):
    _break(
        content,
        "    weet-niet:\n      exercises: [digid-aanvragen",
        "    misschien:\n      exercises: [digid-aanvragen",
    )
    _break(content, "  regelen:", "  regelne:")
    rules, problems = load_route(content, {s.id for s in LIBRARY.scenarios})
    assert rules is None
    shown = [str(p) for p in problems]
    line = _line_of(content, "misschien:")
    assert (
        f"route.yaml:{line}: answers.digid.misschien: onbekend antwoord; "
        "antwoorden: ja, nee, weet-niet"
    ) in shown
    assert any(
        s.startswith(
            f"route.yaml:{_line_of(content, 'regelne:')}: answers.regelne: onbekende vraag"
        )
        for s in shown
    )


def test_a_route_file_that_is_no_yaml_leaves_the_kiosk_its_catalogue(content):
    (content / ROUTE_FILE).write_text("answers: [digid\n", encoding="utf-8")
    library = load_library(content)
    assert library.route is None and len(library.scenarios) == len(LIBRARY.scenarios)
    assert [p for p in library.problems if p.file == ROUTE_FILE and p.line]


def test_validate_reports_a_broken_route_file(content, capsys):
    from kiosk.cli import main

    _break(content, "theme: werk", "theme: werken")
    assert main(["validate", str(content)]) == 1
    out = capsys.readouterr().out
    assert f"route.yaml:{_line_of(content, 'theme: werken')}: answers.regelen.werk.theme: " in out


def test_without_a_route_file_there_is_no_route_and_no_problem(content):
    (content / ROUTE_FILE).unlink()
    library = load_library(content)
    assert library.route is None and not library.broken_files


def test_a_content_pack_carries_the_route_file():
    assert ROUTE_FILE in content_files(SHIPPED)


def test_the_cached_library_keeps_its_route(tmp_path):
    from kiosk.scenario.library_cache import load_library_cached

    load_library_cached(SHIPPED, tmp_path)
    cached = load_library_cached(SHIPPED, tmp_path)
    assert cached.route == RULES


def test_the_intake_view_shows_the_help_language_under_the_dutch():
    from kiosk.ui.presenters import intake_view

    view = intake_view({"digid": "ja"}, "tr")
    assert view.question.nl == "Heeft u de DigiD app?"
    assert "DigiD" in view.question.help and view.question.help_language == "tr"
    assert [c.id for c in view.choices] == ["ja", "nee", "weet-niet"]
    assert view.skip.help and view.back.help
    assert intake_view({"digid": "nee", "regelen": "werk"}, "nl") is None
