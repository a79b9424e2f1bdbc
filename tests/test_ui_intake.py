"""The intake by touch: a few questions after 'Beginnen' put a short route on top of the
catalogue; 'Overslaan' gives the catalogue as it was; the idle wipe forgets the answers.

Screenshots of every question and of the catalogue with its route are written at every
size into screenshots/ (git ignores it); look at them after a change.
"""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from kiosk.progress.store import LOG_FILE
from kiosk.scenario.route import route_for
from kiosk_driver import SIZES, layout_problems

pytestmark = pytest.mark.ui


@pytest.fixture
def fresh(kiosk):
    """Each test starts on the welcome screen with nothing left of the last one."""
    kiosk.app.end_session()
    kiosk.pump(3)
    return kiosk


def _choice(kiosk, choice_id: str):
    intake = kiosk.screen("intake")
    return next(b for b in intake.ids.choices.children if b.choice_id == choice_id)


def _answer(kiosk, question_id: str, choice_id: str, shot: str = "") -> None:
    """Read the question on screen, then tap the answer, as a visitor does."""
    assert kiosk.current == "intake"
    intake = kiosk.screen("intake")
    assert intake.question_id == question_id
    if shot:
        kiosk.screenshot(shot)
        problems = layout_problems(kiosk.app.root.current_screen)
        assert problems == [], f"{shot} at {kiosk.size_name}: {problems}"
    kiosk.tap(_choice(kiosk, choice_id))


def _route_on_screen(kiosk) -> list[str]:
    """The scenario buttons under 'Uw route', top to bottom, with their numbers."""
    catalogue = kiosk.screen("catalogue")
    buttons = sorted(catalogue.ids.route_grid.children, key=lambda b: -b.to_window(*b.pos)[1])
    assert [b.number for b in buttons] == [str(n) for n in range(1, len(buttons) + 1)]
    return [b.scenario_id for b in buttons]


def _themes_on_screen(kiosk) -> list[str]:
    grid = kiosk.screen("catalogue").ids.grid
    return [t.theme_id for t in grid.children if getattr(t, "theme_id", "")]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_intake_puts_its_route_on_top_of_the_catalogue(fresh, size):
    kiosk = fresh
    kiosk.resize(*size)
    app = kiosk.app
    kiosk.tap(kiosk.screen("welcome").ids.start)
    _answer(kiosk, "digid", "nee", "intake-digid")
    _answer(kiosk, "regelen", "werk", "intake-regelen")  # no app question without DigiD
    assert kiosk.current == "catalogue"
    kiosk.screenshot("catalogue-route-no-digid-werk")
    assert layout_problems(kiosk.app.root.current_screen) == []
    route = _route_on_screen(kiosk)
    assert route == [
        "digid-aanvragen",
        "digid-inloggen-sms",
        "werkzoekende-inschrijven",
        "bijstand-aanvragen",
        "vog-aanvragen",
    ]
    assert route == list(route_for(app.intake_answers, app.library.route, app.library))
    assert _themes_on_screen(kiosk), "the themes are still there below the route"
    # the first of the route opens by touch, and leaving it comes back to the route
    first = next(b for b in kiosk.screen("catalogue").ids.route_grid.children if b.number == "1")
    kiosk.tap(first)
    assert kiosk.current == "practice" and app.run_state.scenario.id == "digid-aanvragen"
    kiosk.tap(kiosk.practice().ids.coach.ids.stop)
    yes = next(
        w for w in kiosk.walk() if type(w).__name__ == "KioskButton" and w.text == "Ja, stoppen"
    )
    kiosk.tap(yes)
    assert kiosk.current == "catalogue" and kiosk.screen("catalogue").theme == ""
    assert _route_on_screen(kiosk) == route


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_other_answers_give_another_route_and_back_asks_again(fresh, size):
    kiosk = fresh
    kiosk.resize(*size)
    kiosk.tap(kiosk.screen("welcome").ids.start)
    _answer(kiosk, "digid", "ja")
    _answer(kiosk, "app", "nee", "intake-app")
    kiosk.tap(kiosk.screen("intake").ids.back)  # 'Terug': the app question again
    _answer(kiosk, "app", "ja")
    _answer(kiosk, "regelen", "financien")
    assert kiosk.current == "catalogue"
    kiosk.screenshot("catalogue-route-app-financien")
    assert layout_problems(kiosk.app.root.current_screen) == []
    assert _route_on_screen(kiosk) == [
        "digid-app-inloggen",
        "bank-helpdesk-fraude",
        "nep-sms",
        "betalen-ideal-wero",
        "gemeente-afspraak",
    ]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_skipping_the_intake_gives_the_catalogue_as_it_was(fresh, size):
    kiosk = fresh
    kiosk.resize(*size)
    kiosk.tap(kiosk.screen("welcome").ids.start)
    assert kiosk.current == "intake"
    _answer(kiosk, "digid", "nee")  # an answer, then the mind changed: 'Overslaan'
    kiosk.tap(kiosk.screen("intake").ids.skip)
    assert kiosk.current == "catalogue"
    assert _route_on_screen(kiosk) == []
    assert kiosk.screen("catalogue").route_title == ""
    assert len(_themes_on_screen(kiosk)) == 7
    kiosk.screenshot("catalogue-after-skipping-the-intake")
    assert layout_problems(kiosk.app.root.current_screen) == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_intake_in_a_help_language_shows_it_under_the_dutch(fresh, size):
    kiosk = fresh
    kiosk.resize(*size)
    kiosk.tap(next(w for w in kiosk.walk() if getattr(w, "code", None) == "ar"))
    kiosk.tap(kiosk.screen("welcome").ids.start)
    intake = kiosk.screen("intake")
    assert intake.question == "Heeft u al DigiD?" and intake.question_help
    assert "DigiD" in intake.question_help
    assert _choice(kiosk, "nee").text_help and intake.skip_help
    _answer(kiosk, "digid", "ja", "intake-digid-ar")
    _answer(kiosk, "app", "ja")
    _answer(kiosk, "regelen", "weet-niet", "intake-regelen-ar")
    kiosk.screenshot("catalogue-route-ar")
    assert layout_problems(kiosk.app.root.current_screen) == []
    assert kiosk.screen("catalogue").route_help


def test_the_idle_wipe_forgets_the_answers(fresh):
    kiosk = fresh
    app = kiosk.app
    kiosk.resize(800, 480)
    kiosk.tap(kiosk.screen("welcome").ids.start)
    _answer(kiosk, "digid", "nee")
    _answer(kiosk, "regelen", "gezin")
    assert _route_on_screen(kiosk)
    app.end_session()  # what the idle timer does after the countdown
    kiosk.pump(3)
    assert kiosk.current == "welcome"
    assert app.intake_answers == {} and app.route() == ()
    # never written down: no answer in the log, which has no kind of event for them
    assert app.event_log.flush()
    database = Database(app.data_folder / LOG_FILE)
    logged = [str(v) for row in database["events"].rows for v in row.values()]
    assert not {"digid", "regelen", "gezin"} & set(logged)
    kiosk.tap(kiosk.screen("welcome").ids.start)  # the next visitor starts afresh
    assert kiosk.current == "intake" and kiosk.screen("intake").question_id == "digid"
    kiosk.tap(kiosk.screen("intake").ids.skip)
    assert _route_on_screen(kiosk) == []


def test_without_route_rules_beginnen_goes_straight_to_the_catalogue(fresh):
    import dataclasses

    kiosk = fresh
    app = kiosk.app
    saved = app.full_library
    app.library = dataclasses.replace(saved, route=None)  # route.yaml broken or missing
    try:
        kiosk.tap(kiosk.screen("welcome").ids.start)
        assert kiosk.current == "catalogue" and _route_on_screen(kiosk) == []
    finally:
        app.library = saved
