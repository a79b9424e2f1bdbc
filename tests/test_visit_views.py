"""What the visit screens show and how a visit is followed, without a window."""

from __future__ import annotations

import pytest

from conftest import SHIPPED
from kiosk.progress.codes import LookUp, Progress
from kiosk.progress.visit import VisitState
from kiosk.scenario.library import load_library
from kiosk.scenario.solve import solve
from kiosk.ui.visit_views import (
    goodbye_view,
    look_up_message,
    returning_lines,
    typed_code,
    welcome_back,
)

SCENARIO = "digid-inloggen-sms"


@pytest.fixture(scope="module")
def library():
    return load_library(SHIPPED)


def test_the_code_is_typed_into_two_groups_of_four():
    assert typed_code("") == "____ ____"
    assert typed_code("48210") == "4821 0___"
    assert typed_code("48210937") == "4821 0937"


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("malformed", "8 cijfers"),
        ("unknown", "kennen we niet"),
        ("expired", "te oud"),
        ("wait", "Wacht 30 seconden"),
        ("unavailable", "Vraag het aan een medewerker"),
    ],
)
def test_every_refused_code_gets_its_own_calm_message(status, words):
    message = look_up_message(LookUp(status, seconds_left=29.6), "en")
    assert words in message.nl
    assert message.help, "the message has its help language too"


def test_a_returning_visitor_is_offered_the_exercise_they_left(library):
    title = library.scenario(SCENARIO).title.nl
    back = welcome_back(Progress(finished=("nep-sms",)).with_position(SCENARIO, "x"), library, "nl")
    assert back.done.nl == "U heeft 1 oefening klaar."
    assert back.go_on is not None and back.go_on.nl == f"Verder met: {title}"
    assert back.go_on_id == SCENARIO
    nothing_done = welcome_back(Progress().with_position(SCENARIO, "x"), library, "nl")
    assert nothing_done.done.nl == "Ga verder waar u was."
    all_done = welcome_back(Progress(finished=("nep-sms", SCENARIO)), library, "nl")
    assert all_done.go_on is None and all_done.done.nl == "U heeft 2 oefeningen klaar."


def test_an_exercise_that_is_gone_is_left_out(library):
    back = welcome_back(Progress(finished=("bestaat-niet",), stopped_in="ook-weg"), library, "nl")
    assert back.done.nl == "Ga verder waar u was." and back.go_on is None


def test_the_end_of_a_visit_shows_the_code_only_when_there_is_one():
    with_code = goodbye_view("48210937", True, 6, "nl", problem=False)
    assert with_code.code == "4821 0937" and with_code.certificate is not None
    assert any("6 weken" in line.nl for line in with_code.lines)
    not_saved = goodbye_view("", True, 6, "nl", problem=True)
    assert not_saved.code == "" and "medewerker" in not_saved.lines[0].nl
    assert not_saved.certificate is not None, "the oefenbewijs does not need the code"
    nothing = goodbye_view("", False, 6, "nl", problem=False)
    assert nothing.code == "" and nothing.certificate is None


def test_the_volunteer_reads_where_the_visitor_stopped(library):
    scenario = library.scenario(SCENARIO)
    path = [m.step_id for m in solve(scenario, library.persona_for(scenario))]
    progress = Progress(finished=("nep-sms",)).with_position(SCENARIO, path[2])
    lines = returning_lines(progress, library)
    assert lines[0] == "Deze bezoeker kwam terug met een oefencode."
    assert library.scenario("nep-sms").title.nl in lines[1]
    assert lines[2] == f"Gestopt bij: {scenario.title.nl}, stap 3 van {len(path)}."
    assert returning_lines(None, library) == ()


def test_a_visit_follows_starts_steps_and_finishes():
    visit = VisitState()
    visit.started("a", "s1")
    visit.moved("a", "s2", finished=False)
    assert visit.progress == Progress(stopped_in="a", stopped_at="s2")
    assert visit.unsaved
    visit.saved("48210937")
    assert not visit.unsaved
    visit.moved("a", "s3", finished=True)
    visit.started("b", "t1")
    assert visit.progress.finished == ("a",) and visit.progress.stopped_in == "b"
    assert visit.practised == ("a", "b") and visit.unsaved
    visit.started("a", "s1")  # practising a finished exercise again
    assert visit.progress.stopped_in == "b" and visit.practised == ("a", "b")


def test_a_visit_that_came_back_keeps_its_code():
    visit = VisitState()
    brought = Progress(finished=("a",))
    visit.came_back("48210937", brought)
    assert visit.code == "48210937" and visit.returning == brought and not visit.unsaved
