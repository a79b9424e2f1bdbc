"""An all-day kiosk: changing the text size, the language or ending a session many times
leaves one set of screens alive and memory flat."""

from __future__ import annotations

import gc

import pytest

from kiosk.ui.probe import pss_kib
from kiosk.ui.touchbench import bindings_alive

pytestmark = pytest.mark.ui


@pytest.fixture
def fresh(kiosk):
    kiosk.app.end_session()
    kiosk.pump(3)
    return kiosk


def _alive(class_name: str) -> int:
    """How many objects of a class survive a full garbage collection (the frozen ones of
    the start-up too: they are unfrozen to be counted, then frozen again)."""
    gc.unfreeze()
    gc.collect()
    alive = sum(1 for o in gc.get_objects() if type(o).__name__ == class_name)
    gc.freeze()
    return alive


def _open(kiosk, scenario_id: str) -> None:
    app = kiosk.app
    scenario = app.library.scenario(scenario_id)
    kiosk.begin()
    tile = next(
        w
        for w in kiosk.walk()
        if type(w).__name__ == "ThemeTileButton" and w.theme_id == scenario.theme
    )
    kiosk.tap(tile)
    button = next(
        w
        for w in kiosk.walk()
        if type(w).__name__ == "ScenarioButton" and w.scenario_id == scenario_id
    )
    kiosk.tap(button)
    assert kiosk.current == "practice"


def _toggle_text_size(kiosk) -> None:
    kiosk.tap(kiosk.practice().ids.text_size)
    kiosk.wait(0.1)


def test_twenty_text_size_toggles_leave_one_practice_screen(fresh):
    kiosk = fresh
    app = kiosk.app
    _open(kiosk, "berichtenbox-brief")
    for _ in range(4):  # warm-up: fonts, textures and caches at both sizes
        _toggle_text_size(kiosk)
    kiosk.wait(0.5)  # callbacks pending from the last step (scrolling into view) have run
    assert _alive("PracticeScreen") == 1
    before = pss_kib()
    run, practice, welcome = app.run_state, kiosk.practice(), kiosk.screen("welcome")
    for _ in range(20):
        _toggle_text_size(kiosk)
    kiosk.wait(0.5)
    assert app.run_state is run and kiosk.current == "practice"
    # the text grows in place: the same screens, so the objects frozen after start-up
    # stay frozen and no full collection has to walk them all again
    assert kiosk.practice() is practice and kiosk.screen("welcome") is welcome
    assert _alive("PracticeScreen") == 1
    assert _alive("CoachPanel") == 1
    # about 12 MiB a toggle when every toggle's screens stayed alive
    grown_mib = (pss_kib() - before) / 1024
    assert grown_mib < 8, f"{grown_mib:.1f} MiB more after 20 toggles"


def test_ending_large_text_sessions_leaves_one_set_of_screens(fresh):
    kiosk = fresh
    app = kiosk.app
    names = ("WelcomeScreen", "PracticeScreen", "CatalogueScreen")
    counts = []
    for _ in range(4):
        _open(kiosk, "nep-sms")
        _toggle_text_size(kiosk)
        assert app.large_text
        app.end_session()  # the idle wipe: back to normal text, screens built again
        kiosk.wait(0.5)
        assert not app.large_text and kiosk.current == "welcome"
        counts.append(tuple(_alive(name) for name in names))
    # the screens of the last rebuild may still be on their way out, but none pile up:
    # before the fix every wipe of a large-text session kept a whole set of screens
    # (whether that last set is already gone depends on how busy the machine is)
    assert max(max(c) for c in counts) <= 2, counts


def test_a_full_collection_during_a_session_walks_only_the_last_seconds(fresh):
    """What a session builds is frozen every few seconds: a full collection while the
    visitor taps walks the newest objects only (about 130,000 without it), and the
    garbage frozen with them is collected between visitors."""
    from kiosk.scenario.solve import solve
    from kiosk.ui.app import FREEZE_EVERY_S, SETTLE_AFTER_WIPE_S

    kiosk = fresh
    app = kiosk.app
    _open(kiosk, "berichtenbox-brief")
    run = app.run_state
    for move in solve(run.scenario, run.persona, run.today):
        kiosk.practice().act(move.action)
        kiosk.pump(2)
    kiosk.wait(FREEZE_EVERY_S + 0.5)
    assert len(gc.get_objects()) < 20_000
    app.end_session()
    kiosk.wait(SETTLE_AFTER_WIPE_S + 0.5)
    assert len(gc.get_objects()) < 5_000  # everything that lives on is frozen again
    assert _alive("PracticeScreen") == 1


def test_the_tidy_up_after_a_wipe_never_keeps_a_new_visitor_waiting(fresh, monkeypatch):
    """The full collection after a wipe runs when nobody has touched the screen since:
    a visitor who begins at once is not kept waiting, and the next wipe tidies up."""
    from kiosk.ui import app as kiosk_app

    monkeypatch.setattr(kiosk_app, "SETTLE_AFTER_WIPE_S", 1.5)
    kiosk = fresh
    full_collections = []

    def count(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full_collections.append(info)

    gc.callbacks.append(count)
    try:
        _open(kiosk, "nep-sms")
        kiosk.app.end_session()
        kiosk.tap(kiosk.screen("welcome").ids.title)  # the next visitor, straight away
        kiosk.wait(2.0)
        after_a_touch = len(full_collections)
        _open(kiosk, "nep-sms")
        kiosk.app.end_session()
        kiosk.wait(2.0)
        after_quiet = len(full_collections) - after_a_touch
    finally:
        gc.callbacks.remove(count)
    assert after_a_touch == 0
    assert after_quiet == 1


def test_the_next_step_on_the_same_page_keeps_the_widgets_that_did_not_change(fresh):
    """Typing a name moves on to the next field of the same page: the page's other
    elements keep their widgets (less work per step), the field typed in is new."""
    from kiosk.scenario.engine import Type
    from kiosk.scenario.solve import solve

    kiosk = fresh
    app = kiosk.app
    _open(kiosk, "berichtenbox-brief")
    run = app.run_state
    practice = kiosk.practice()
    checked = 0
    for move in solve(run.scenario, run.persona, run.today):
        page_before = run.step.page
        content = practice._panes["page"].ids.content if "page" in practice._panes else None
        before = list(content.children) if content is not None else []
        action = move.action
        typed_into = practice._targets.get(action.field) if isinstance(action, Type) else None
        practice.act(move.action)
        kiosk.pump(2)
        if run.finished or run.step.page != page_before or "page" not in practice.drawn_anew:
            continue
        after = list(practice._panes["page"].ids.content.children)
        kept = [w for w in after if any(w is b for b in before)]
        assert kept, f"step {run.step_id}: every element of the page was built again"
        if typed_into is not None and typed_into in before:
            assert not any(w is typed_into for w in after), "the field typed in was kept"
        checked += 1
    assert checked >= 2


def test_after_an_exercise_only_its_own_button_in_the_list_is_built_again(fresh):
    """'Andere oefening' shows the theme's list with a tick on the exercise just done:
    the other buttons are the ones built before (less work on a Pi), that one is new."""
    from kiosk.scenario.solve import solve

    kiosk = fresh
    app = kiosk.app
    scenario_id = "nep-sms"
    _open(kiosk, scenario_id)
    app.go_catalogue(app.library.scenario(scenario_id).theme)
    kiosk.settle()
    before = {w.scenario_id: w for w in kiosk.walk() if type(w).__name__ == "ScenarioButton"}
    assert len(before) > 1 and not before[scenario_id].done
    app.start_practice(scenario_id)
    kiosk.settle()
    run = app.run_state
    for move in solve(run.scenario, run.persona, run.today):
        kiosk.practice().act(move.action)
        kiosk.pump(2)
    assert kiosk.current == "finished"
    kiosk.tap(kiosk.screen("finished").ids.other)
    assert kiosk.current == "catalogue"
    after = {w.scenario_id: w for w in kiosk.walk() if type(w).__name__ == "ScenarioButton"}
    assert after.keys() == before.keys()
    assert after[scenario_id].done and after[scenario_id] is not before[scenario_id]
    assert all(after[i] is before[i] for i in before if i != scenario_id)


def test_a_wipe_keeps_only_the_lists_the_next_visitor_sees_first(fresh):
    """After a visit in Arabic with an exercise done, the catalogue keeps only its Dutch
    tiles and untouched buttons: nothing of the visit is shown again, and what is kept
    between visitors does not grow with the languages they chose."""
    from kiosk.scenario.solve import solve

    kiosk = fresh
    app = kiosk.app
    kiosk.tap(
        next(w for w in kiosk.walk() if type(w).__name__ == "LanguageButton" and w.code == "ar")
    )
    _open(kiosk, "nep-sms")
    catalogue = kiosk.screen("catalogue")
    run = app.run_state
    for move in solve(run.scenario, run.persona, run.today):
        kiosk.practice().act(move.action)
        kiosk.pump(2)
    kiosk.tap(kiosk.screen("finished").ids.other)
    assert catalogue._buttons._kept and catalogue._tiles._kept
    app.end_session()
    kiosk.pump(2)
    assert all(tile.help_language == "" for tile in catalogue.ids.grid.children)
    assert all(key.help_language == "" for key in catalogue._tiles._kept)
    assert all(
        key.help_language == "" and not key.done and not key.number
        for key in catalogue._buttons._kept
    )
    kiosk.begin()  # the next visitor: the themes in Dutch, from what was kept
    assert catalogue.ids.grid.children


def test_visits_played_again_and_again_leave_no_bindings_behind(fresh):
    """What a visit binds is unbound when it ends: a visit played again leaves as many
    bindings alive as it found. Kivy's own ScrollView kept one more binding for its bar's
    colour for every frame a pane moved while a screen slid in (about 80 a visitor)."""
    from kiosk.scenario.solve import solve

    kiosk = fresh
    app = kiosk.app

    def visit() -> None:
        _open(kiosk, "nep-sms")
        run = app.run_state
        for move in solve(run.scenario, run.persona, run.today):
            kiosk.practice().act(move.action)
            kiosk.pump(2)
        kiosk.tap(kiosk.screen("finished").ids.other)
        app.end_session()
        kiosk.wait(1.0)  # the scroll bars fade (0.5 s): Kivy's own unbinding is done

    for _ in range(2):  # warm-up: the catalogue's kept buttons, fonts, textures
        visit()
    visit()
    before = bindings_alive()
    gained = []
    for _ in range(3):
        visit()
        gained.append(bindings_alive() - before)
    # before the fix: [54, 108, 162]
    assert max(gained) <= 10, f"bindings gained after each visit: {gained}"


def test_a_pane_moved_many_times_at_once_keeps_one_binding_for_its_bar(fresh):
    """A pane on a screen that slides in moves on every frame: Kivy's ScrollView bound
    its bar's colour on each move and unbound it once, half a second after the last."""
    from kivy.uix.widget import Widget

    from kiosk.ui.widgets.common import ScrollPane

    pane = ScrollPane(size=(300, 200))
    pane.add_widget(Widget(size_hint_y=None, height=2000))
    for step in range(20):  # within half a second, one frame each
        pane.y = step
        fresh.pump(1)
    fresh.wait(1.0)  # the bar has faded
    bar_bindings = [
        len(pane.get_property_observers(name)) for name in ("bar_color", "bar_inactive_color")
    ]
    assert sum(bar_bindings) <= 2, bar_bindings
