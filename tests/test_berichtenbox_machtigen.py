"""The Berichtenbox and DigiD Machtigen exercises teach what the real services do."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conftest import SHIPPED
from kiosk.scenario.engine import ScenarioRun
from kiosk.scenario.library import load_library
from kiosk.scenario.solve import solve
from kiosk.ui import presenters as p

MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"


@pytest.fixture(scope="module")
def library():
    return load_library(SHIPPED)


def _run_until(library, scenario_id: str, step_id: str) -> ScenarioRun:
    scenario = library.scenario(scenario_id)
    run = ScenarioRun(scenario, library.persona_for(scenario))
    for move in solve(scenario, library.persona_for(scenario)):
        if run.step_id == step_id:
            return run
        run.act(move.action)
    raise AssertionError(f"{scenario_id} never reaches step {step_id!r}")


def _dutch_date(text: str) -> date:
    day, month, year = text.split()
    return date(int(year), MONTHS.split().index(month) + 1, int(day))


def _page_texts(view) -> list[str]:
    texts = []
    for shown in view.page.elements:
        element = shown.element
        texts += [str(getattr(element, name, "") or "") for name in ("text", "label", "subject")]
    return texts


def test_the_bezwaar_deadline_is_six_weeks_after_the_beschikking(library):
    run = _run_until(library, "berichtenbox-brief", "termijn")
    view = p.practice_view(run, "nl")
    assert view.panes == ("letter",)
    letter = view.letter.letter
    sentence = next(part.text for part in letter.body if part.id == "termijn")
    deadline = _dutch_date(sentence.split("uiterlijk op ")[1].split(" bij")[0])
    assert deadline == _dutch_date(letter.date) + timedelta(weeks=6)


def test_the_message_has_no_reply_button_and_the_question_says_where_to_respond(library):
    run = _run_until(library, "berichtenbox-brief", "reageren")
    view = p.practice_view(run, "nl")
    assert view.panes == ("page", "question")
    assert not any("antwoord" in text.lower() for text in _page_texts(view))
    assert [c.id for c in view.question.options] == ["antwoord", "toeslagen", "mijnoverheid"]
    assert run.step.expect.answer == "toeslagen"


def test_email_notifications_are_set_with_the_address_from_the_card(library):
    run = _run_until(library, "berichtenbox-brief", "email")
    assert run.step.expect.value == "card.email"


def test_deleting_from_the_prullenbak_is_taught_as_gone(library):
    run = _run_until(library, "berichtenbox-brief", "prullenbak")
    assert run.step.expect.answer == "weg"


def test_the_machtigingscode_goes_with_the_bsn_never_the_login(library):
    run = _run_until(library, "digid-machtigen", "wat-geven")
    view = p.practice_view(run, "nl")
    texts = " ".join(_page_texts(view))
    assert "burgerservicenummer (BSN)" in texts
    assert "wachtwoord" not in texts.lower()
    assert run.step.expect.answer == "code-bsn"
    last = _run_until(library, "digid-machtigen", "nooit-geven")
    assert last.step.expect.answer == "niet"
