"""The DigiD app activation exercises teach the app's own PIN rules and letter-code rule."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import SHIPPED
from kiosk.scenario.engine import ScenarioRun, Tap, Type
from kiosk.scenario.persona import fill_in, resolve_in
from kiosk.scenario.validate import validate_paths


@pytest.fixture(scope="module")
def shipped():
    report = validate_paths([SHIPPED])
    return {f.scenario.id: (f.scenario, report.personas[f.scenario.persona]) for f in report.files}


def run_to(shipped, scenario_id: str, step_id: str, today: date = date(2026, 12, 1)) -> ScenarioRun:
    """A run of a shipped exercise, solved up to the step `step_id`."""
    scenario, persona = shipped[scenario_id]
    run = ScenarioRun(scenario, persona, today)
    while run.step_id != step_id:
        rule = run.step.expect
        if rule.kind == "tap":
            run.act(Tap(rule.tap))
        elif rule.kind == "type":
            run.act(Type(rule.type, resolve_in(rule.value, run.context)))
        else:
            raise AssertionError(f"unexpected step {run.step_id} before {step_id}")
    return run


@pytest.mark.parametrize(
    ("typed", "app_message"),
    [
        ("12345", "Pincode mag geen oplopende reeks zijn."),
        ("54321", "Pincode mag geen aflopende reeks zijn."),
        ("00000", "Pincode mag niet 5 keer hetzelfde cijfer zijn."),
        ("1 1 1 1 1", "Pincode mag niet 5 keer hetzelfde cijfer zijn."),
    ],
)
def test_a_too_simple_pin_gets_the_apps_own_message(shipped, typed, app_message):
    run = run_to(shipped, "digid-app-activeren", "pincode")
    outcome = run.act(Type("pincode", typed))
    assert outcome.result == "wrong"
    assert app_message in outcome.feedback.nl
    assert run.step_id == "pincode"


def test_another_pin_than_the_cards_is_wrong_without_a_rule_message(shipped):
    run = run_to(shipped, "digid-app-activeren", "pincode")
    outcome = run.act(Type("pincode", "13579"))
    assert outcome.result == "wrong"
    assert "Pincode mag" not in outcome.feedback.nl


def test_a_different_repeat_shows_the_apps_error_under_the_field(shipped):
    run = run_to(shipped, "digid-app-activeren", "pincode-herhalen")
    outcome = run.act(Type("pincode2", "13579"))
    assert "Pincodes zijn niet hetzelfde." in outcome.feedback.nl
    assert run.view().field_errors


def test_the_sms_route_does_not_log_in_with_the_app_at_the_end(shipped):
    scenario, _ = shipped["digid-app-activeren"]
    assert not [s.id for s in scenario.steps if s.id.startswith("inloggen-app")]
    assert scenario.steps[-1].question is not None


def test_the_letter_code_starts_with_an_a_and_without_it_gets_the_apps_message(shipped):
    scenario, _ = shipped["digid-app-activeren-brief"]
    assert scenario.codes["activering"].startswith("A")
    run = run_to(shipped, "digid-app-activeren-brief", "code")
    outcome = run.act(Type("activeringscode", scenario.codes["activering"][1:]))
    assert "De activeringscode moet beginnen met een A." in outcome.feedback.nl


def test_the_letter_is_dated_a_few_days_ago_and_valid_21_days(shipped):
    scenario, _ = shipped["digid-app-activeren-brief"]
    run = ScenarioRun(scenario, shipped["digid-app-activeren-brief"][1], date(2026, 12, 1))
    letter = run.scenario.letters["activeringscode"]
    assert fill_in(letter.date, run.context) == "29 november 2026"
    assert any("20 december 2026" in fill_in(b.text, run.context) for b in letter.body)
