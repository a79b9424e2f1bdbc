"""The pure engine: actions in, outcomes out, no window, no clock, no disk."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import SHIPPED, minimal, write_scenario
from kiosk.scenario.engine import (
    DEFAULT_WRONG,
    EMPTY_FIELD,
    OFFER_SHOW_ME_AFTER,
    REAL_BSN,
    SHOW_ME,
    Answer,
    Choose,
    ScenarioRun,
    Tap,
    Type,
    same_value,
)
from kiosk.scenario.persona import contains_real_bsn, passes_eleven_check
from kiosk.scenario.solve import solve
from kiosk.scenario.validate import validate_paths


@pytest.fixture
def mini(tmp_path):
    report = validate_paths([write_scenario(tmp_path, minimal())])
    assert report.ok, [str(p) for p in report.problems]
    scenario = report.files[0].scenario
    return ScenarioRun(scenario, report.personas[scenario.persona])


@pytest.fixture(scope="module")
def shipped():
    report = validate_paths([SHIPPED])
    return {f.scenario.id: (f.scenario, report.personas[f.scenario.persona]) for f in report.files}


def test_right_action_moves_on_and_finishes(mini):
    outcome = mini.act(Type("naam", "amal.oefen"))
    assert outcome.result == "correct" and mini.step_id == "knop"
    outcome = mini.act(Tap("ok"))
    assert outcome.result == "correct" and outcome.finished and mini.finished


def test_wrong_action_gives_the_rules_feedback_and_stays(mini):
    outcome = mini.act(Tap("ok"))
    assert outcome.result == "wrong"
    assert outcome.feedback.nl == "Typ eerst uw naam."
    assert mini.step_id == "naam"
    outcome = mini.act(Type("naam", "iemand"))
    assert outcome.feedback.nl == "Niet de naam van de kaart."


def test_any_other_wrong_action_gets_the_steps_default_then_the_generic_one(mini):
    assert mini.act(Tap("hulp")).feedback == DEFAULT_WRONG  # step 'naam' has no default
    mini.act(Type("naam", "amal.oefen"))
    assert mini.act(Tap("akkoord")).feedback.nl == "Tik op de knop Inloggen."


def test_an_empty_field_is_told_gently(mini):
    assert mini.act(Type("bsn", "   ")).feedback == EMPTY_FIELD


def test_branch_leads_elsewhere_and_back_without_restarting(mini):
    mini.act(Type("naam", "amal.oefen"))
    outcome = mini.act(Tap("hulp"))
    assert outcome.result == "branched" and mini.step_id == "hulp"
    mini.act(Tap("terug"))
    assert mini.step_id == "knop"
    assert mini.act(Tap("ok")).finished


def test_shipped_wrong_password_branch_shows_the_error_page(shipped):
    scenario, persona = shipped["digid-inloggen-sms"]
    run = ScenarioRun(scenario, persona)
    for action in (Tap("digid"), Tap("wachtwoord"), Type("gebruikersnaam", "amal.oefen")):
        run.act(action)
    assert run.act(Type("wachtwoord", "tulpen2026")).result == "branched"  # wrong case
    assert run.step_id == "login-inloggen-fout"
    run.act(Tap("inloggen"))
    assert run.step_id == "login-wachtwoord-opnieuw"
    assert run.view().page_id == "login-inloggen-fout"
    assert run.act(Type("wachtwoord", "Tulpen2026")).result == "correct"
    run.act(Tap("inloggen"))
    assert run.step_id == "login-sms-code"


def test_progress_counts_the_right_path_and_never_goes_back(shipped):
    scenario, persona = shipped["digid-inloggen-sms"]
    run = ScenarioRun(scenario, persona)
    right_path = len(solve(scenario, persona, run.today))
    assert (run.position, run.total_steps) == (1, right_path)
    seen = [run.position]
    for action in (
        Tap("digid"),
        Tap("wachtwoord"),
        Type("gebruikersnaam", "amal.oefen"),
        Type("wachtwoord", "fout"),
        Tap("inloggen"),
        Type("wachtwoord", "Tulpen2026"),
        Tap("inloggen"),
    ):
        run.act(action)
        seen.append(run.position)
    assert seen == sorted(seen)
    assert run.step_id == "login-sms-code" and run.position == 6


def test_hints_come_one_by_one_then_show_me_names_the_element(mini):
    first, second, third = mini.hint(), mini.hint(), mini.hint()
    assert (first.level, first.text.nl, first.show_me) == (1, "Kijk naar het vak.", None)
    assert second.text.nl == "Typ de naam van de kaart."
    assert third.text == SHOW_ME and third.show_me == "naam"
    assert mini.hint().show_me == "naam"  # stays at show me
    assert mini.view().hints_given == 3


def test_show_me_for_a_choice_names_field_and_option(tmp_path):
    data = minimal()
    data["steps"][1]["expect"] = {"choose": "keuze", "option": "b"}
    report = validate_paths([write_scenario(tmp_path, data)])
    scenario = report.files[0].scenario
    run = ScenarioRun(scenario, report.personas["amal"])
    run.act(Type("naam", "amal.oefen"))
    target = run.show_me()
    assert (target.element, target.option) == ("keuze", "b")
    assert run.act(Choose("keuze", "a")).result == "wrong"
    assert run.act(Choose("keuze", "b")).finished


def test_counters_are_per_step_and_summarised(mini):
    mini.act(Tap("ok"))
    mini.act(Tap("hulp"))
    mini.hint()
    mini.show_me()
    assert mini.view().wrong_tries == 2
    mini.act(Type("naam", "amal.oefen"))
    assert mini.view().wrong_tries == 0 and mini.view().hints_given == 0
    mini.act(Tap("ok"))
    summary = mini.summary()
    assert (summary.wrong_tries, summary.hints, summary.show_me) == (2, 1, 1)
    assert [s.step_id for s in summary.steps] == ["naam", "knop"]


def test_show_me_is_offered_after_repeated_wrong_tries(mini):
    outcomes = [mini.act(Tap("hulp")) for _ in range(OFFER_SHOW_ME_AFTER)]
    assert [o.offer_show_me for o in outcomes] == [False] * (OFFER_SHOW_ME_AFTER - 1) + [True]


def test_accepted_values_are_kept_for_the_page_and_wiped(mini):
    mini.act(Type("naam", "amal.oefen"))
    assert mini.view().values == {("page:login", "naam"): "amal.oefen"}
    mini.act(Tap("akkoord"))  # wrong here: the checkbox is not ticked by a wrong tap
    assert mini.view().checked == frozenset()
    mini.wipe()
    assert mini.view().values == {}


def test_wrong_text_is_not_kept(mini):
    mini.act(Type("naam", "iemand anders"))
    assert mini.view().values == {}


def test_checkbox_is_ticked_by_the_right_tap(tmp_path):
    data = minimal()
    data["steps"][1]["expect"] = {"tap": "akkoord"}
    report = validate_paths([write_scenario(tmp_path, data)])
    run = ScenarioRun(report.files[0].scenario, report.personas["amal"])
    run.act(Type("naam", "amal.oefen"))
    run.act(Tap("akkoord"))
    assert ("page:login", "akkoord") in run.view().checked


def test_restart_goes_back_to_the_first_step_and_forgets(mini):
    mini.act(Type("naam", "amal.oefen"))
    mini.restart()
    assert mini.step_id == "naam" and mini.view().values == {} and mini.summary().steps == ()


def test_skip_moves_on_without_the_action(mini):
    outcome = mini.skip()
    assert outcome.result == "skipped" and mini.step_id == "knop"
    assert mini.summary().steps[0].skipped


def test_acting_after_the_end_is_a_programming_error(mini):
    mini.act(Type("naam", "amal.oefen"))
    mini.act(Tap("ok"))
    with pytest.raises(RuntimeError):
        mini.act(Tap("ok"))


# --- The BSN guard --------------------------------------------------------------------


def test_eleven_check():
    assert passes_eleven_check("111222333")
    assert passes_eleven_check("123456782")
    assert not passes_eleven_check("123456789")
    assert not passes_eleven_check("000000000")
    assert not passes_eleven_check("12345678")
    assert not passes_eleven_check("١٢٣٤٥٦٧٨٢")  # Arabic-Indic digits are not a BSN


def test_every_practice_card_bsn_fails_the_check(shipped):
    for _, persona in shipped.values():
        assert not passes_eleven_check(persona.bsn)


def test_a_real_looking_bsn_is_refused_and_not_kept(mini):
    outcome = mini.act(Type("bsn", "123456782"))
    assert outcome.result == "refused" and outcome.feedback == REAL_BSN
    assert "Typ nooit uw echte BSN" in outcome.feedback.nl
    assert mini.view().values == {} and mini.view().wrong_tries == 0
    assert "123456782" not in repr(mini.__dict__)


def test_the_guard_finds_a_bsn_written_with_dots_or_spaces_inside_text(mini):
    for text in ("1234.56.782", "mijn bsn is 123 456 782", "111222333"):
        assert mini.act(Type("naam", text)).result == "refused", text


def test_the_cards_own_bsn_is_accepted(tmp_path):
    data = minimal()
    data["steps"][0]["expect"] = {"type": "bsn", "value": "card.bsn"}
    data["steps"][0]["wrong"] = []
    report = validate_paths([write_scenario(tmp_path, data)])
    run = ScenarioRun(report.files[0].scenario, report.personas["amal"])
    assert run.act(Type("bsn", "2701 98 346")).result == "correct"


def test_all_zeros_is_not_a_bsn_and_is_not_accepted_either(mini):
    assert not contains_real_bsn("000000000", "270198346")
    outcome = mini.act(Type("bsn", "000000000"))
    assert outcome.result == "wrong"
    assert mini.view().values == {}


def test_longer_numbers_like_phone_numbers_and_ibans_are_not_bsns():
    assert not contains_real_bsn("0612345678", "270198346")
    assert not contains_real_bsn("NL91ABNA0417164300", "270198346")


def test_typed_text_never_shows_in_a_repr():
    assert "geheim" not in repr(Type("wachtwoord", "geheim"))


# --- Comparing typed values ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "expected", "same"),
    [
        ("text", " Amal.Oefen ", "amal.oefen", True),
        ("text", "amal oefen", "amal.oefen", False),
        ("password", "tulpen2026", "Tulpen2026", False),
        ("password", "Tulpen2026", "Tulpen2026", True),
        ("number", "482 913", "482913", True),
        ("code", "ktfw", "KTFW", True),
        ("pin", "28461", "28461", True),
        ("date", "14-3-1991", "14-03-1991", True),
        ("date", "14031991", "14-03-1991", True),
        ("date", "15-03-1991", "14-03-1991", False),
        ("date", "maart", "14-03-1991", False),
    ],
)
def test_same_value(kind, typed, expected, same):
    assert same_value(kind, typed, expected) is same


def test_answers_on_questions(shipped):
    scenario, persona = shipped["nep-sms"]
    run = ScenarioRun(scenario, persona)
    run.act(Tap("nep"))
    outcome = run.act(Answer("kort"))
    assert outcome.result == "wrong" and "link" in outcome.feedback.nl
    outcome = run.act(Answer("link"))
    assert outcome.result == "correct" and outcome.feedback == run.scenario.step("waarom").explain


def test_model_objects_are_frozen(mini):
    with pytest.raises(dataclasses.FrozenInstanceError):
        mini.step.id = "x"
