"""Every shipped scenario validates, solves, and every feedback in it can be reached."""

from __future__ import annotations

import re

import pytest

from conftest import shipped_files
from kiosk.scenario.engine import ScenarioRun
from kiosk.scenario.model import END
from kiosk.scenario.solve import example_action, route_to, rules_in_order, solve

FILES = shipped_files()


def _scenario(report, path):
    found = [f for f in report.files if f.file == path.name]
    assert found and found[0].ok, [str(p) for p in found[0].problems] if found else path
    return found[0].scenario


def test_there_are_four_first_scenarios():
    names = {p.stem for p in FILES}
    assert {"digid-inloggen-sms", "digid-app-activeren", "berichtenbox-brief", "nep-sms"} <= names


def test_every_theme_of_the_catalogue_has_at_least_two_exercises(shipped_report):
    """A visitor sent for any of the seven themes finds something to practise."""
    from kiosk.scenario.catalog import THEMES

    themes = [f.scenario.theme for f in shipped_report.files if f.ok]
    assert {t.id: themes.count(t.id) for t in THEMES if themes.count(t.id) < 2} == {}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_exercise_names_what_it_imitates_and_its_sources(shipped_report, path):
    """A volunteer can see what the practice pages imitate and where that comes from."""
    about = _scenario(shipped_report, path).about
    assert about, "no 'about': what does this exercise imitate?"
    assert "Veldgids" in about and re.search(r"bron(nen)? \d", about), about


def test_every_shipped_file_validates_without_problems(shipped_report):
    assert shipped_report.ok
    # Missing translations are counted by tests/test_translations.py.
    other = [p for p in shipped_report.problems if not p.field.startswith("translations/")]
    assert [str(p) for p in other] == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_solved_path_reaches_the_end(shipped_report, path):
    scenario = _scenario(shipped_report, path)
    persona = shipped_report.personas[scenario.persona]
    run = ScenarioRun(scenario, persona)
    moves = solve(scenario, persona)
    for move in moves:
        assert run.step_id == move.step_id
        outcome = run.act(move.action)
        assert outcome.result == "correct", (move, outcome)
    assert run.finished
    assert run.position == run.total_steps == len(moves)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_step_is_reachable_and_every_rule_can_be_seen(shipped_report, path):
    scenario = _scenario(shipped_report, path)
    persona = shipped_report.personas[scenario.persona]
    checked = 0
    for step in scenario.steps:
        route = route_to(scenario, persona, step.id)
        assert route is not None, f"no route to step {step.id!r}"
        rules = rules_in_order(step)
        for index in range(len(rules)):
            run = ScenarioRun(scenario, persona)
            for move in route:
                run.act(move.action)
            assert run.step_id == step.id
            action = example_action(scenario, persona, step, index)
            assert action is not None, f"{step.id}: rule {index} can never be reached"
            shown_step = run.step  # the step with the card's values filled in
            outcome = run.act(action)
            if index == 0:
                assert outcome.result == "correct"
            elif index <= len(step.branches):
                branch = step.branches[index - 1]
                assert outcome.result == "branched"
                assert run.finished if branch.next == END else run.step_id == branch.next
            else:
                feedback = shown_step.wrong[index - 1 - len(step.branches)].feedback
                assert outcome.result == "wrong"
                assert outcome.feedback == feedback
                assert run.step_id == step.id, "a wrong action never moves the visitor"
            checked += 1
    assert checked >= len(scenario.steps)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_step_has_hints_and_a_dutch_instruction(shipped_report, path):
    scenario = _scenario(shipped_report, path)
    for step in scenario.steps:
        assert step.instruction.nl.strip()
        assert len(step.hints) >= 2, f"{step.id}: give a 'where to look' and a 'what to do' hint"


def test_the_format_is_exercised_by_the_shipped_scenarios(shipped_report):
    """The four first scenarios together use every kind of view and action."""
    used_elements, kinds, views = set(), set(), set()
    for report in shipped_report.files:
        s = report.scenario
        for page in s.pages.values():
            used_elements |= {type(e).TYPE for e in page.elements}
        for phone in s.phones.values():
            used_elements |= {type(e).TYPE for e in phone.elements}
            if phone.notification:
                views.add("notification")
        for step in s.steps:
            kinds.add(step.expect.kind)
            views |= {v for v in ("page", "phone", "letter", "question") if getattr(step, v)}
            if step.branches:
                views.add("branch")
    assert {"tap", "type", "answer"} <= kinds
    assert {"page", "phone", "letter", "question", "notification", "branch"} <= views
    assert {
        "heading",
        "text",
        "info",
        "link",
        "button",
        "input",
        "checkbox",
        "qr",
        "qr_scan",
        "code",
        "inbox_item",
        "sms",
    } <= used_elements
