"""The kiosk under a virtual display: every scenario played to the end by touch.

Each run writes screenshots of every screen at every size in kiosk_driver.SIZES (800x480,
1280x800 and the portrait 720x1280) into screenshots/ (git ignores it); look at them after
a change.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

import pytest

from conftest import SHIPPED, shipped_files
from kiosk.scenario.engine import Answer, Choose, Tap, Type
from kiosk.scenario.library import load_library
from kiosk.scenario.solve import example_action, solve
from kiosk_driver import SIZES, assets_without, hidden_part, layout_problems, tap_ref

pytestmark = pytest.mark.ui

GUIDE = SHIPPED / "README.md"


@pytest.fixture
def fresh(kiosk):
    """Each test starts on the welcome screen with nothing left of the last one."""
    kiosk.app.end_session()
    kiosk.pump(3)
    return kiosk


@pytest.fixture(scope="module")
def library_with_guide_example(tmp_path_factory):
    """The shipped scenarios plus the authoring guide's example (radio, select and every
    form feature of format 2)."""
    folder = tmp_path_factory.mktemp("scenarios")
    shutil.copytree(SHIPPED / "flows", folder / "flows")
    for path in SHIPPED.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    guide = GUIDE.read_text(encoding="utf-8")
    example = re.search(r"## Een compleet voorbeeld.*?```yaml\n(.*?)```", guide, re.S).group(1)
    (folder / "voorbeeld-verhuizing.yaml").write_text(example, encoding="utf-8")
    library = load_library(folder)
    assert not library.broken_files
    return library


def _find(kiosk, cls_name: str, **attrs):
    for widget in kiosk.walk():
        if type(widget).__name__ == cls_name and all(
            getattr(widget, k, None) == v for k, v in attrs.items()
        ):
            return widget
    raise AssertionError(f"no {cls_name} with {attrs} on screen")


def _open_scenario(kiosk, scenario) -> None:
    kiosk.begin()
    assert kiosk.current == "catalogue"
    kiosk.tap(_find(kiosk, "ThemeTileButton", theme_id=scenario.theme))
    kiosk.tap(_find(kiosk, "ScenarioButton", scenario_id=scenario.id))
    assert kiosk.current == "practice"


def _perform(kiosk, action) -> None:
    """Do one engine action the way a visitor does: by touch."""
    practice = kiosk.practice()
    targets = practice._targets
    if isinstance(action, Type):
        box = targets[action.field].ids.box
        kiosk.tap(box)
        _check_typed_field_is_seen(kiosk, box)
        while box.shown:  # a wrong attempt is still there: clear it, as a visitor would
            kiosk.tap(practice.keyboard.key_for("{backspace}"))
        kiosk.type_on_screen_keyboard(action.text)
        keyboard = practice.keyboard
        if keyboard.parent is not None:  # fields that fill up move on by themselves
            kiosk.tap(keyboard.key_for("{done}"))
    elif isinstance(action, Tap):
        widget = targets[action.element]
        if type(widget).__name__ == "ElSms" and action.element in widget.ids.text.refs:
            tap_ref(kiosk, widget.ids.text, action.element)
        else:
            kiosk.tap(widget)
    elif isinstance(action, Choose):
        group = targets[action.field]
        # found by its place in the list: the text on screen has the card's values filled in
        options = _element(practice, action.field).options
        place = next(i for i, o in enumerate(options) if o.id == action.option)
        rows = [w for w in group.walk() if type(w).__name__ in ("OptionRow", "SelectBox")]
        if type(rows[0]).__name__ == "SelectBox":
            kiosk.tap(rows[0])
            shown = [w for w in kiosk.walk() if type(w).__name__ == "SelectRow"]
            kiosk.tap(shown[place])
        else:
            kiosk.tap(rows[place])
    elif isinstance(action, Answer):
        kiosk.tap(targets[action.option])
    kiosk.pump(2)


def _check_typed_field_is_seen(kiosk, box) -> None:
    """The field being typed in is seen whole, above the on-screen keyboard."""
    kiosk.wait(0.15)  # the keyboard slides the page up within a few frames
    practice = kiosk.practice()
    keyboard = practice.keyboard
    assert keyboard.get_root_window() is not None, "no keyboard for a text field"
    phone = practice._panes.get("phone")
    banners = list(phone.ids.notification_holder.children) if phone is not None else []
    problem = hidden_part(box, covering=[keyboard, *banners])
    assert problem is None, f"{kiosk.size_name}: {problem}"


def _check_every_text_field_is_seen_while_typing(kiosk, checked: set, name: str) -> None:
    """Tap each text field on the screen (once per page) and look: seen above the keys."""
    practice = kiosk.practice()
    for target, widget in list(practice._targets.items()):
        if type(widget).__name__ != "ElInput" or widget.get_root_window() is None:
            continue
        key = (widget.view.container, target)
        if key in checked:
            continue
        first_on_its_page = not any(c == key[0] for c, _ in checked)
        checked.add(key)
        kiosk.tap(widget.ids.box)
        _check_typed_field_is_seen(kiosk, widget.ids.box)
        if first_on_its_page:
            kiosk.screenshot(f"{name}-keyboard-{target}")
        kiosk.tap(practice.keyboard.key_for("{hide}"))
    assert practice.keyboard.parent is None


def _element(practice, element_id: str):
    from kiosk.scenario.engine import container_of

    run = practice.run
    return container_of(run.scenario, run.step, element_id)[1]


def _check_badge_is_clear_of_the_question(kiosk) -> None:
    """'Goed!' flashes over the page beside a question, never over the question's words."""
    practice = kiosk.practice()
    if kiosk.current != "practice" or practice.ids.toast.opacity == 0:
        return
    question = practice._panes.get("question")
    if question is None or question.get_root_window() is None:
        return
    toast = practice.ids.toast
    tx, ty = toast.to_window(toast.x, toast.y)
    qx, qy = question.to_window(question.x, question.y)
    apart = (
        tx + toast.width <= qx
        or qx + question.width <= tx
        or ty + toast.height <= qy
        or qy + question.height <= ty
    )
    assert apart or practice.ids.stage._panes == ("question",), (
        f"{kiosk.size_name}: 'Goed!' covers the question of {practice.run.step_id}"
    )


def _check_panes_start_at_the_top(kiosk) -> None:
    """A new page, phone screen or letter is shown from its top, however the last one
    was scrolled (one the step kept as it was stays where the visitor left it)."""
    practice = kiosk.practice()
    for name, pane in practice._panes.items():
        if name not in practice.drawn_anew:
            continue
        if pane.get_root_window() is not None and "scroll" in pane.ids:
            assert pane.ids.scroll.scroll_y > 0.99, f"the {name} opens scrolled down"


def _check_wrong_action_feedback(kiosk, run, step) -> None:
    """One wrong action by touch: the step's own feedback, gently, and no move."""
    persona, scenario = run.persona, run.scenario
    index = len(step.branches) + 1  # the first 'wrong' rule
    action = example_action(scenario, persona, step, index, run.today)
    _perform(kiosk, action)
    feedback = kiosk.practice().ids.coach.ids.feedback
    assert run.step_id == step.id
    assert feedback.kind == "wrong" and feedback.icon == "try-again"
    assert feedback.text == step.wrong[0].feedback.nl
    assert feedback.title  # words as well as colour
    kiosk.screenshot(f"{scenario.id}-wrong-{step.id}")
    keyboard = kiosk.practice().keyboard
    if keyboard.parent is not None:
        kiosk.tap(keyboard.key_for("{hide}"))


def _check_show_me(kiosk, run) -> None:
    practice = kiosk.practice()
    kiosk.tap(practice.ids.coach.ids.show_me)
    highlight = practice.ids.highlight
    expected = practice._targets[run.step.expect.target]
    assert highlight.active and highlight.target is expected
    kiosk.wait(0.2)
    x, y, w, _h = highlight.frame
    ex, ey = highlight.to_widget(*expected.to_window(expected.x, expected.y))
    assert abs(x - ex) < 12 and abs(y - ey) < 12 and w >= expected.width
    kiosk.screenshot(f"{run.scenario.id}-show-me-{run.step_id}")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "scenario_id",
    # every shipped exercise (a new file is played without naming it here), and the guide's
    [
        *sorted(p.stem for p in shipped_files()),
        "voorbeeld-verhuizing",
    ],
)
def test_every_scenario_can_be_finished_by_touch(
    fresh, library_with_guide_example, size, scenario_id
):
    kiosk = fresh
    kiosk.app.library = library_with_guide_example
    kiosk.resize(*size)
    scenario = kiosk.app.library.scenario(scenario_id)
    persona = kiosk.app.library.persona_for(scenario)
    _open_scenario(kiosk, scenario)
    run = kiosk.app.run_state
    moves = solve(scenario, persona, run.today)
    checked_wrong = False
    fields_seen: set = set()
    for number, move in enumerate(moves, start=1):
        assert run.step_id == move.step_id
        step = run.step
        kiosk.screenshot(f"{scenario_id}-{number:02d}-{step.id}")
        _check_panes_start_at_the_top(kiosk)
        problems = layout_problems(kiosk.app.root)
        assert problems == [], f"{step.id} at {kiosk.size_name}: {problems}"
        _check_every_text_field_is_seen_while_typing(kiosk, fields_seen, scenario_id)
        if number == 1:
            _check_show_me(kiosk, run)
        if not checked_wrong and step.wrong:
            _check_wrong_action_feedback(kiosk, run, step)
            checked_wrong = True
        _perform(kiosk, move.action)
        _check_badge_is_clear_of_the_question(kiosk)
    assert kiosk.current == "finished", f"stuck on step {run.step_id}"
    finished = kiosk.screen("finished")
    assert finished.summary == scenario.summary.nl
    kiosk.screenshot(f"{scenario_id}-finished")
    assert checked_wrong or not any(s.wrong for s in scenario.steps)
    kiosk.app.library = load_library(SHIPPED)


def _long_texts_scenario() -> dict:
    """A page that tests how the kiosk shows long codes and the tokens a visitor copies:
    so many dates, postcodes, amounts and times that some would fall at a line's end."""
    from conftest import minimal

    tokens = " ".join(
        f"Op {day} maart 2026 om 10.30 uur betaalt u \u20ac 1.234,{day:02d} voor 1234 GH."
        for day in range(1, 9)
    )
    data = minimal()
    data["id"] = "lange-teksten"
    data["pages"] = {
        "zaak": {
            "service": "Toeslagen (oefenen)",
            "address": "https://oefenen.toeslagen.nl/zaak",
            "elements": [
                {"type": "heading", "text": "Uw zaak"},
                {"type": "code", "label": "Zaaknummer", "value": "ZT-2026-0048-1193"},
                {"type": "text", "text": tokens},
                {"type": "button", "id": "verder", "text": "Verder"},
                {"type": "link", "id": "anders", "text": "Iets anders"},
            ],
        }
    }
    data["steps"] = [
        {
            "id": "lezen",
            "page": "zaak",
            "pictogram": "tap",
            "instruction": {"nl": f"Lees de brief goed. {tokens} Tik dan op Verder."},
            "expect": {"tap": "verder"},
            "wrong": [{"when": {"tap": "anders"}, "feedback": {"nl": f"Nog niet. {tokens}"}}],
            "explain": {"nl": f"Goed. {tokens}"},
        },
        {
            "id": "klaar",
            "page": "zaak",
            "pictogram": "tap",
            "instruction": {"nl": "Tik nog een keer op Verder."},
            "expect": {"tap": "verder"},
        },
    ]
    return data


@contextlib.contextmanager
def _playing_long_texts(kiosk, tmp_path, size, data: dict | None = None):
    """The long-texts exercise (or a changed copy), started at `size`; the shipped
    exercises are put back afterwards."""
    from conftest import write_scenario

    app = kiosk.app
    write_scenario(tmp_path, data or _long_texts_scenario())
    app.library = load_library(tmp_path)
    try:
        kiosk.resize(*size)
        app.start_practice("lange-teksten")
        kiosk.wait(0.3)
        yield kiosk.practice()
    finally:
        app.library = load_library(SHIPPED)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_long_codes_and_copied_tokens_are_shown_whole(fresh, tmp_path, size):
    from kivy.animation import Animation

    kiosk = fresh
    with _playing_long_texts(kiosk, tmp_path, size) as practice:
        _shot_and_check(kiosk, "long-texts")
        kiosk.tap(practice._targets["anders"])  # wrong: long feedback
        _shot_and_check(kiosk, "long-texts-feedback")
        kiosk.tap(practice._targets["verder"])  # right: 'Goed!' and why
        toast = practice.ids.toast
        Animation.cancel_all(toast)  # hold the badge where it shows, however slow this machine
        toast.opacity = 1
        _shot_and_check(kiosk, "long-texts-correct")
        toast.opacity = 0


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_next_instruction_is_seen_whole_beside_the_last_steps_explanation(
    fresh, tmp_path, size
):
    """After a right answer the last step's "Goed. ..." stays on screen, but the new
    instruction comes first: it is seen whole, and the explanation gets the room left."""
    from kivy.metrics import dp

    kiosk = fresh
    data = _long_texts_scenario()
    explain = "Goed. Bewaar de brief goed. U heeft de code zo nodig. " * 3
    data["steps"][0]["explain"] = {"nl": explain.strip()}
    data["steps"][1]["instruction"] = {"nl": "Zoek de code in de brief. Tik dan op Verder."}
    with _playing_long_texts(kiosk, tmp_path, size, data) as practice:
        kiosk.tap(practice._targets["verder"])
        kiosk.settle_for_picture()
        kiosk.screenshot("instruction-beside-explanation")
        coach = practice.ids.coach
        assert coach.ids.feedback.text == explain.strip()
        assert hidden_part(coach.ids.instruction) is None, hidden_part(coach.ids.instruction)
        scroll, feedback = coach.ids.feedback_scroll, coach.ids.feedback
        assert scroll.height >= min(feedback.height, dp(60)), "no room for the explanation"
        scroll_top = scroll.to_window(scroll.x, scroll.top)[1]
        feedback_top = feedback.to_window(feedback.x, feedback.top)[1]
        assert abs(feedback_top - scroll_top) < 2, "the explanation starts out of sight"


def test_welcome_and_catalogue_screens(fresh):
    kiosk = fresh
    for size in SIZES:
        kiosk.resize(*size)
        names = [b.native_name for b in kiosk.walk() if type(b).__name__ == "LanguageButton"]
        assert names == [
            "Nederlands",
            "English",
            "العربية",
            "ትግርኛ",
            "دری",
            "Українська",
            "Türkçe",
            "Soomaali",
        ]
        kiosk.screenshot("welcome")
        kiosk.begin()
        kiosk.screenshot("catalogue-themes")
        kiosk.tap(_find(kiosk, "ThemeTileButton", theme_id="financien"))
        kiosk.screenshot("catalogue-financien")
        kiosk.tap(kiosk.screen("catalogue").ids.back)
        kiosk.tap(kiosk.screen("catalogue").ids.back)
        assert kiosk.current == "welcome"
    kiosk.resize(800, 480)


def test_a_theme_without_scenarios_says_soon_and_goes_nowhere(fresh):
    from dataclasses import replace

    kiosk = fresh
    shipped = kiosk.app.library
    # every theme has exercises now: a library without the Wonen ones stands for a kiosk
    # whose staff switched them off, or a theme a network has not filled yet
    kiosk.app.library = replace(
        shipped, scenarios=tuple(s for s in shipped.scenarios if s.theme != "wonen")
    )
    try:
        kiosk.begin()
        tile = _find(kiosk, "ThemeTileButton", theme_id="wonen")
        assert not tile.available and tile.label == "Binnenkort"
        kiosk.tap(tile)
        assert kiosk.current == "catalogue" and kiosk.screen("catalogue").theme == ""
    finally:
        kiosk.app.library = shipped


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_idle_countdown_wipes_a_half_typed_field(fresh, size):
    kiosk = fresh
    kiosk.resize(*size)
    app = kiosk.app
    _open_scenario(kiosk, app.library.scenario("digid-inloggen-sms"))
    practice = kiosk.practice()
    kiosk.tap(practice._targets["digid"])
    kiosk.tap(practice._targets["wachtwoord"])
    kiosk.tap(practice._targets["gebruikersnaam"].ids.box)
    kiosk.type_on_screen_keyboard("geheim42")
    assert "geheim42" in practice._targets["gebruikersnaam"].ids.box.text
    app.idle.last_touch -= app.idle.timeout + 1
    kiosk.wait(0.4)
    overlay = app.idle_overlay
    assert overlay is not None and overlay.parent is not None
    assert 0 < overlay.seconds_left <= app.idle.countdown
    assert "Bent u er nog?" in kiosk.texts()
    kiosk.screenshot("idle-countdown")
    app.idle.last_touch -= app.idle.countdown
    kiosk.wait(0.4)
    assert kiosk.current == "welcome"
    assert app.run_state is None and practice._buffers == {}
    assert not [t for t in kiosk.texts() if "geheim" in t]
    assert app.idle_overlay is None


def _let_the_idle_countdown_run_out(kiosk) -> None:
    app = kiosk.app
    app.idle.last_touch -= app.idle.timeout + 1
    for _ in range(50):  # the idle check runs on the clock: a busy machine gives few frames
        kiosk.wait(0.1)
        if app.idle_overlay is not None:
            break
    assert app.idle_overlay is not None, "no 'Bent u er nog?'"
    app.idle.last_touch -= app.idle.countdown
    for _ in range(50):
        kiosk.wait(0.1)
        if app.idle_overlay is None:
            break


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_portrait_screen_has_the_coach_below_the_page(fresh, size):
    """The Touch Display 2 stands up: the coach panel goes under the page, full width;
    on a landscape screen it stands beside the page."""
    kiosk = fresh
    kiosk.resize(*size)
    _open_scenario(kiosk, kiosk.app.library.scenario("nep-sms"))
    kiosk.wait(0.2)
    practice = kiosk.practice()
    page = practice.ids.stage_column
    coach = practice.ids.coach
    page_x, page_y = page.to_window(page.x, page.y)
    coach_x, coach_y = coach.to_window(coach.x, coach.y)
    if size[1] > size[0]:
        assert coach_y + coach.height <= page_y + 1.5, "the coach is not below the page"
        assert coach.width > 0.9 * page.width, "the coach is not as wide as the page"
    else:
        assert coach_x >= page_x + page.width - 1.5, "the coach is not beside the page"
        assert coach.height > 0.5 * page.height


def test_walking_away_after_finishing_in_a_help_language_leaves_a_working_kiosk(fresh):
    kiosk = fresh
    app = kiosk.app
    app.speaker.auto_read = False
    try:
        kiosk.tap(_find(kiosk, "LanguageButton", code="en"))
        _open_scenario(kiosk, app.library.scenario("nep-sms"))
        for move in solve(app.run_state.scenario, app.run_state.persona):
            _perform(kiosk, move.action)
        assert kiosk.current == "finished" and kiosk.screen("finished").summary_help
        _let_the_idle_countdown_run_out(kiosk)
        assert kiosk.current == "welcome" and app.language == "nl" and app.run_state is None
        assert kiosk.screen("welcome").title_help == ""
        kiosk.begin()  # the next visitor can start
        assert kiosk.current == "catalogue"
    finally:
        app.speaker.auto_read = True


@pytest.mark.parametrize("large_text", [False, True], ids=["normal-text", "large-text"])
def test_walking_away_mid_exercise_in_a_help_language_draws_nothing_of_it_again(
    fresh, monkeypatch, large_text
):
    kiosk = fresh
    app = kiosk.app
    kiosk.tap(_find(kiosk, "LanguageButton", code="ar"))
    _open_scenario(kiosk, app.library.scenario("nep-sms"))
    if large_text:
        kiosk.tap(kiosk.practice().ids.text_size)
        kiosk.wait(0.3)
    assert app.large_text == large_text and kiosk.current == "practice"
    drawn = []
    practice = kiosk.practice()
    monkeypatch.setattr(practice, "render", lambda *a, **k: drawn.append("practice"))
    _let_the_idle_countdown_run_out(kiosk)
    assert kiosk.current == "welcome" and app.language == "nl" and not app.large_text
    assert drawn == [], "the wiped exercise was drawn (and read aloud) again"
    assert kiosk.practice().run is None
    kiosk.begin()
    assert kiosk.current == "catalogue"


def test_a_tap_in_the_frame_the_screen_changes_is_not_lost(fresh):
    """The next visitor taps 'start' while the idle wipe is still switching screens: the
    switch is instant, so the tap counts (a screen manager ignores touches while a
    transition runs, and 'no transition' used to run until the next frame)."""
    from kivy.tests.common import UnitTestTouch

    kiosk = fresh
    app = kiosk.app
    start = kiosk.screen("welcome").ids.start
    x, y = start.to_window(*start.center)
    _open_scenario(kiosk, app.library.scenario("nep-sms"))
    for _ in range(3):
        app.end_session()  # in the middle of a frame, as the idle timer does
        touch = UnitTestTouch(x, y)
        touch.touch_down()  # no frame in between
        touch.touch_up()
        kiosk.pump(2)
        assert kiosk.current == "intake", "the tap on 'start' was lost"
        kiosk.tap(kiosk.screen("intake").ids.back)  # before the first question: welcome
        assert kiosk.current == "welcome"


def test_a_pane_that_does_not_change_is_kept_and_a_changed_one_drawn_anew(fresh):
    """Between two steps the kiosk builds only what changed: a page or phone screen that
    stays the same keeps its widgets (and does not jump to its top); a pane changed in
    place by a wrong answer is drawn anew at the next step."""
    from kiosk.scenario.engine import ScenarioRun
    from kiosk.ui.presenters import practice_view

    kiosk = fresh
    app = kiosk.app
    kept = None
    for scenario in app.library.scenarios:  # a step after which a pane stays the same
        persona = app.library.persona_for(scenario)
        run = ScenarioRun(scenario, persona)
        for number, move in enumerate(solve(scenario, persona, run.today)):
            before = practice_view(run, "nl")
            run.act(move.action)
            if run.finished:
                break
            after = practice_view(run, "nl")
            same = [n for n in ("page", "phone") if getattr(before, n) == getattr(after, n)]
            if same and getattr(before, same[0]) is not None:
                kept = (scenario, number, same[0])
                break
        if kept:
            break
    assert kept, "no shipped exercise keeps a page or phone screen over a step"
    scenario, number, name = kept
    _open_scenario(kiosk, scenario)
    practice = kiosk.practice()
    moves = solve(scenario, app.library.persona_for(scenario), app.run_state.today)
    for move in moves[:number]:
        _perform(kiosk, move.action)
    pane = practice._panes[name]
    widgets = list(pane.ids.content.children)
    _perform(kiosk, moves[number].action)
    assert list(pane.ids.content.children) == widgets, f"an unchanged {name} was built again"
    assert all(t.get_root_window() is not None for t in practice._targets.values())
    # as after a wrong answer shown in place: the next step draws that pane and each of
    # its elements anew (none of its widgets is kept)
    practice._forget_shown()
    practice.render(reuse=True)
    rebuilt = list(pane.ids.content.children)
    assert not any(w is b for w in rebuilt for b in widgets), f"a changed {name} was kept"
    assert all(t.get_root_window() is not None for t in practice._targets.values())


def test_yes_i_am_here_keeps_the_session(fresh):
    kiosk = fresh
    app = kiosk.app
    _open_scenario(kiosk, app.library.scenario("nep-sms"))
    app.idle.last_touch -= app.idle.timeout + 1
    # the idle check runs on a timer: on a busy machine the question comes a little later
    assert _wait_until(kiosk, lambda: app.idle_overlay is not None), "no 'Bent u er nog?'"
    kiosk.tap(app.idle_overlay.ids.still_here)
    assert _wait_until(kiosk, lambda: app.idle_overlay is None, 5.0)
    assert kiosk.current == "practice" and app.run_state is not None


def _tap_into_the_username_field(kiosk):
    """Open the DigiD login exercise up to its username field, and tap into it."""
    _open_scenario(kiosk, kiosk.app.library.scenario("digid-inloggen-sms"))
    practice = kiosk.practice()
    kiosk.tap(practice._targets["digid"])
    kiosk.tap(practice._targets["wachtwoord"])
    box = practice._targets["gebruikersnaam"].ids.box
    kiosk.tap(box)
    return box


def test_a_physical_keyboard_types_too(fresh):
    kiosk = fresh
    app = kiosk.app
    _tap_into_the_username_field(kiosk)
    for character in "amal.oefenx":
        kiosk.press(ord(character), character)
    kiosk.press(8)  # backspace
    kiosk.press(13)  # enter
    assert app.run_state.step_id == "login-wachtwoord"


def test_switching_to_numbers_and_back_keeps_the_same_keys(fresh):
    """'123' and 'ABC' swap rows built once: no keys are built again on each switch
    (that took a quarter of a second on a Raspberry Pi), and typing still works."""
    from kiosk.ui.widgets.keyboard import LETTERS, SYMBOLS

    kiosk = fresh
    box = _tap_into_the_username_field(kiosk)
    keyboard = kiosk.practice().keyboard
    letter_a, to_numbers = keyboard.key_for("a"), keyboard.key_for(SYMBOLS)
    kiosk.tap(to_numbers)
    digit = keyboard.key_for("7")
    kiosk.tap(digit)
    kiosk.tap(keyboard.key_for(LETTERS))
    kiosk.tap(keyboard.key_for("a"))
    kiosk.tap(keyboard.key_for(SYMBOLS))
    assert keyboard.key_for("7") is digit
    kiosk.tap(keyboard.key_for(LETTERS))
    assert keyboard.key_for("a") is letter_a and keyboard.key_for(SYMBOLS) is to_numbers
    assert box.shown == "7a"


def test_a_date_or_word_read_aloud_stays_on_one_line_while_it_is_lit(fresh):
    """While a word is read, the whole run around it is lit: '1 november 2026' and
    'e-mailadres' never break over two lines at the colour's edge."""
    from kiosk.ui.widgets.common import HelpLabel, SpokenLabel

    sentence = "Kom op 1 november 2026 om 10.30 uur naar de balie."
    start = sentence.index("november")
    spoken = SpokenLabel(plain_text=sentence)
    spoken.show_spoken_word(start, len("november"))
    help_text = HelpLabel(logical_text=sentence, language="en")
    help_text.show_spoken_word(start, len("november"))
    for label in (spoken, help_text):
        assert "op [color=" in label.text and "[u]1\u00a0november\u00a02026[/u]" in label.text
        assert "10.30\u00a0uur" in label.text
    spoken.clear_spoken_word()
    assert "1\u00a0november\u00a02026" in spoken.text
    spoken.plain_text = "Typ uw e-mailadres."
    spoken.show_spoken_word(len("Typ uw "), 1)  # the voice reads 'e' as a word of its own
    assert "[u]e-mailadres.[/u]" in spoken.text


def test_escape_does_nothing_and_only_a_developer_window_closes(fresh):
    kiosk = fresh
    kiosk.press(27)
    assert kiosk.app.root is not None and kiosk.current == "welcome"
    assert kiosk.app._on_request_close() is False  # this test window is a developer window
    kiosk.app.windowed = False
    assert kiosk.app._on_request_close() is True
    kiosk.app.windowed = True


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_practice_card_is_one_tap_away(fresh, size):
    kiosk = fresh
    kiosk.resize(*size)
    _open_scenario(kiosk, kiosk.app.library.scenario("berichtenbox-brief"))
    kiosk.tap(kiosk.practice().ids.coach.ids.card)
    texts = kiosk.texts()
    assert "Yonas Tesfay" in texts and "381204957" in texts and "yonas.oefen" in texts
    kiosk.screenshot("practice-card")
    kiosk.tap(_find(kiosk, "KioskButton", text="Sluiten"))
    kiosk.wait(0.5)
    assert "Yonas Tesfay" not in kiosk.texts()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_hints_come_one_by_one_then_point(fresh, size):
    kiosk = fresh
    kiosk.resize(*size)
    _open_scenario(kiosk, kiosk.app.library.scenario("digid-inloggen-sms"))
    practice = kiosk.practice()
    step = kiosk.app.run_state.step
    feedback = practice.ids.coach.ids.feedback
    kiosk.tap(practice.ids.coach.ids.hint)
    assert feedback.kind == "hint" and feedback.text == step.hints[0].nl
    kiosk.tap(practice.ids.coach.ids.hint)
    assert feedback.text == step.hints[1].nl
    kiosk.screenshot("practice-hint")
    kiosk.tap(practice.ids.coach.ids.hint)
    assert practice.ids.highlight.active


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_stopping_asks_first_and_returns_to_the_theme(fresh, size):
    kiosk = fresh
    kiosk.resize(*size)
    _open_scenario(kiosk, kiosk.app.library.scenario("nep-sms"))
    kiosk.tap(kiosk.practice().ids.coach.ids.stop)
    kiosk.screenshot("practice-stop")
    kiosk.tap(_find(kiosk, "KioskButton", text="Nee, verder"))
    kiosk.wait(0.3)  # the dialog closes
    assert kiosk.current == "practice"
    kiosk.tap(kiosk.practice().ids.coach.ids.stop)
    kiosk.tap(_find(kiosk, "KioskButton", text="Ja, stoppen"))
    assert kiosk.current == "catalogue" and kiosk.screen("catalogue").theme == "financien"
    assert kiosk.app.run_state is None


def test_an_unknown_pictogram_shows_a_plain_ring_never_an_empty_box(kiosk):
    from kiosk.ui.widgets.common import Pictogram

    unknown = Pictogram(name="bestaat-niet")
    assert not unknown.known and unknown.text == ""  # the ring is drawn, not a glyph
    known = Pictogram(name="sms")
    assert known.known and known.text == chr(0xF08D3)


@pytest.mark.parametrize("missing", ["pictograms.yaml", "fonts/materialdesignicons-webfont.ttf"])
def test_without_pictograms_a_visitor_still_plays_an_exercise_to_the_end(fresh, tmp_path, missing):
    from kiosk.scenario.pictograms import FALLBACK_TEXT
    from kiosk.ui.widgets.common import Pictogram, SpeakButton

    kiosk = fresh
    kiosk.resize(800, 480)
    name = missing.rsplit("/", 1)[-1].split(".")[0]
    with assets_without(kiosk, tmp_path, missing):
        kiosk.begin()
        assert kiosk.current == "catalogue"
        tiles = [w for w in kiosk.walk() if type(w).__name__ == "ThemeTileButton"]
        soon = [t.theme_id for t in tiles if not t.available]
        assert len(tiles) == 7
        scenario = kiosk.app.library.scenario("digid-inloggen-sms")  # it types: the keyboard
        assert scenario.theme not in soon, f"themes that say 'Binnenkort': {soon}"
        kiosk.screenshot(f"no-{name}-catalogue")
        kiosk.app.go_welcome()
        kiosk.pump(2)
        _open_scenario(kiosk, scenario)
        run, typed = kiosk.app.run_state, False
        for number, move in enumerate(solve(scenario, kiosk.app.library.persona_for(scenario))):
            if number == 0:
                kiosk.screenshot(f"no-{name}-practice")
                drawn = [w for w in kiosk.walk() if isinstance(w, Pictogram | SpeakButton)]
                assert drawn and not any(w.known for w in drawn)
                signs = {w.text for w in drawn} - {""}  # a ring, or a sign of the text font
                assert signs <= set(FALLBACK_TEXT.values())
            assert run.step_id == move.step_id
            if isinstance(move.action, Type) and not typed:
                kiosk.tap(kiosk.practice()._targets[move.action.field].ids.box)
                kiosk.screenshot(f"no-{name}-keyboard")
                typed = True
            _perform(kiosk, move.action)
        assert kiosk.current == "finished", f"stuck on step {run.step_id}"
        kiosk.screenshot(f"no-{name}-finished")


def test_tap_targets_are_at_least_48dp(fresh):
    from kivy.metrics import dp

    kiosk = fresh
    _open_scenario(kiosk, kiosk.app.library.scenario("digid-inloggen-sms"))
    small = []
    names = (
        "KioskButton",
        "TileButton",
        "Key",
        "ElButton",
        "ElLink",
        "FieldBox",
        "OptionRow",
        "AnswerButton",
        "ThemeTileButton",
        "ScenarioButton",
    )
    for widget in kiosk.walk():
        name = type(widget).__name__
        shown = widget.get_root_window() is not None
        if name in names and shown and widget.height < dp(48) - 0.5:
            small.append((name, getattr(widget, "text", ""), widget.height))
    assert small == []


def test_a_missing_font_falls_back_and_says_so(kiosk, tmp_path, caplog):
    from kiosk.paths import assets_dir
    from kiosk.ui.fonts import register_fonts

    with caplog.at_level("WARNING"):
        assert register_fonts(tmp_path) is False  # no pictogram font there
    assert "falls back to Kivy's Roboto" in caplog.text
    assert register_fonts(assets_dir() / "fonts") is True


# --- Audio ------------------------------------------------------------------------------


def _wait_until(kiosk, condition, seconds: float = 15.0) -> bool:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        kiosk.pump(1)
    return condition()


def test_auto_read_speaks_each_new_instruction_and_highlights_the_word(fresh):
    kiosk = fresh
    speaker = kiosk.app.speaker
    assert speaker.auto_read and speaker.audio_on
    _open_scenario(kiosk, kiosk.app.library.scenario("digid-inloggen-sms"))
    assert _wait_until(kiosk, lambda: speaker._sound is not None), "the first step was not read"
    assert speaker.speaking == "instruction"
    kiosk.tap(kiosk.practice()._targets["digid"])
    instruction = kiosk.practice().ids.coach.ids.instruction
    assert instruction.plain_text == "Tik op 'Met gebruikersnaam en wachtwoord'."
    assert speaker.speaking == "instruction"  # the new step is read, the old reading stopped
    assert _wait_until(kiosk, lambda: "[u]" in instruction.text), "no word was highlighted"
    spoken = instruction.text.split("[u]")[1].split("[/u]")[0]
    assert spoken in instruction.plain_text.split()  # a whole run between two spaces


def test_the_speaker_tile_speaks_and_stops_and_leaving_stops_speech(fresh):
    kiosk = fresh
    speaker = kiosk.app.speaker
    speaker.auto_read = False
    try:
        _open_scenario(kiosk, kiosk.app.library.scenario("nep-sms"))
        coach = kiosk.practice().ids.coach
        assert speaker.speaking == ""
        kiosk.tap(coach.ids.speak)
        assert speaker.speaking == "instruction" and coach.speak_icon == "stop"
        kiosk.tap(coach.ids.speak)
        assert speaker.speaking == "" and coach.speak_icon == "speaker"
        kiosk.tap(coach.ids.speak)
        assert _wait_until(kiosk, lambda: speaker._sound is not None)
        kiosk.tap(coach.ids.stop)
        kiosk.tap(_find(kiosk, "KioskButton", text="Ja, stoppen"))
        assert kiosk.current == "catalogue"
        assert speaker.speaking == "" and speaker._sound is None
    finally:
        speaker.auto_read = True


def test_a_recording_the_player_cannot_load_is_reported_and_the_voice_reads_instead(
    fresh, tmp_path, monkeypatch
):
    kiosk = fresh
    speaker = kiosk.app.speaker
    service = speaker.service
    (tmp_path / "nl").mkdir()
    (tmp_path / "nl" / "kapot.ogg").write_bytes(b"OggS" + b"\x00 not a sound" * 40)
    monkeypatch.setattr(service, "clips_folder", tmp_path)
    speaker.say("test", "Tik op Start.", "nl", clip="kapot.ogg")
    assert _wait_until(kiosk, lambda: speaker._sound is not None), "nothing was read"
    assert speaker.speaking == "test"
    assert service.cache.holds(Path(speaker._sound.source)), "the voice, not the recording"
    assert service.damaged_clips == ("nl/kapot.ogg",)
    assert not service.hearable("nl", "kapot.ogg") or service.clip("nl", "kapot.ogg") is None
    speaker.stop()


def test_a_damaged_cached_speech_file_is_rendered_again_and_read(fresh):
    kiosk = fresh
    speaker = kiosk.app.speaker
    text = "Een zin die een kapot bestand had."
    speaker.say("first", text, "nl")
    assert _wait_until(kiosk, lambda: speaker._sound is not None), "nothing was read"
    first = Path(speaker._sound.source)
    speaker.stop()
    first.write_bytes(b"RIFF" + b"\x00" * 40)  # a power cut, a bad sector
    speaker.say("again", text, "nl")
    assert _wait_until(kiosk, lambda: speaker._sound is not None), "it stays silent"
    assert speaker._sound.length > 0.5
    speaker.stop()


def test_tapping_a_text_block_of_a_page_reads_it(fresh):
    kiosk = fresh
    speaker = kiosk.app.speaker
    speaker.auto_read = False
    try:
        _open_scenario(kiosk, kiosk.app.library.scenario("digid-inloggen-sms"))
        heading = next(w for w in kiosk.walk() if type(w).__name__ == "ElHeading")
        kiosk.tap(heading)
        assert speaker.speaking.startswith("read:")
        assert kiosk.app.run_state.view().wrong_tries == 0  # reading is not an answer
    finally:
        speaker.auto_read = True


def test_the_banner_toggles_auto_read_and_speed(fresh):
    kiosk = fresh
    speaker = kiosk.app.speaker
    _open_scenario(kiosk, kiosk.app.library.scenario("nep-sms"))
    practice = kiosk.practice()
    kiosk.tap(practice.ids.auto_read)
    assert not speaker.auto_read and practice.auto_read_text == "Voorlezen uit"
    kiosk.tap(practice.ids.speed)
    assert speaker.speed == "normal" and practice.speed_text == "Gewoon"
    kiosk.screenshot("practice-audio-toggles")
    kiosk.app.end_session()  # a new visitor gets the kiosk's settings back
    assert speaker.auto_read and speaker.speed == "slow"


# --- Languages, right-to-left, larger text ---------------------------------------------------

LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "ti": "ትግርኛ",
    "prs": "دری",
    "uk": "Українська",
    "tr": "Türkçe",
    "so": "Soomaali",
}


def _choose_language(kiosk, code: str) -> None:
    practice = kiosk.practice()
    if kiosk.current == "practice":
        kiosk.tap(practice.ids.language)
    else:
        kiosk.tap(kiosk.screen("catalogue").ids.language)
    kiosk.tap(_find(kiosk, "LanguageButton", code=code))
    kiosk.wait(0.3)


def test_switching_language_changes_every_text_at_once(fresh):
    kiosk = fresh
    app = kiosk.app
    _open_scenario(kiosk, app.library.scenario("nep-sms"))
    practice = kiosk.practice()
    coach = practice.ids.coach
    scenario = app.run_state.scenario
    _choose_language(kiosk, "ar")
    assert app.language == "ar" and kiosk.current == "practice"
    step = app.run_state.step
    assert coach.instruction == step.instruction.nl  # the Dutch stays
    assert coach.instruction_help == step.instruction.ar
    assert coach.help_language == "ar"
    assert practice.banner_help and coach.hint_help and coach.stop_help and coach.card_help
    helps = [w for w in kiosk.walk() if type(w).__name__ == "HelpLabel" and w.logical_text]
    assert helps and all(w.rtl and w.halign in ("right", "center") for w in helps)
    assert coach.ids.help_instruction.halign == "right"  # mirrored: read from the right
    rtl_speaker, ltr_speaker = coach.ids.speak_help_rtl, coach.ids.speak_help
    assert rtl_speaker.opacity == 1 and ltr_speaker.opacity == 0
    assert rtl_speaker.x > coach.ids.help_instruction.x  # the speaker is on the right
    assert all(w.font_name == "KioskArabic" for w in helps)
    _choose_language(kiosk, "ti")
    assert coach.instruction_help == step.instruction.ti
    assert all(
        w.font_name == "KioskEthiopic" and not w.rtl
        for w in kiosk.walk()
        if type(w).__name__ == "HelpLabel" and w.logical_text
    )
    _choose_language(kiosk, "nl")
    assert coach.instruction_help == "" and practice.banner_help == "" and coach.hint_help == ""
    assert scenario.id == app.run_state.scenario.id  # the same practice, not a restart


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_language_reads_well_at_every_size(fresh, size, caplog):
    kiosk = fresh
    kiosk.resize(*size)
    app = kiosk.app
    app.speaker.auto_read = False
    try:
        _open_scenario(kiosk, app.library.scenario("digid-inloggen-sms"))
        practice = kiosk.practice()
        kiosk.tap(practice._targets["digid"])
        kiosk.tap(practice._targets["app"])  # wrong: feedback in both languages
        for code in LANGUAGE_NAMES:
            _choose_language(kiosk, code)
            kiosk.tap(practice._targets["app"])
            assert layout_problems(kiosk.app.root) == [], code
            kiosk.screenshot(f"language-{code}-practice")
            if code in ("ar", "prs", "ti"):
                feedback = practice.ids.coach.ids.feedback
                assert feedback.help_text and feedback.ids.help.text
        app.language = "nl"
        _open_question_step(kiosk)
        for code in ("ar", "prs"):
            _choose_language(kiosk, code)
            assert layout_problems(kiosk.app.root) == [], code
            kiosk.screenshot(f"language-{code}-question")
        untranslated = [r.message for r in caplog.records if "translation for the UI" in r.message]
        assert untranslated == []
    finally:
        app.speaker.auto_read = True


def _open_question_step(kiosk) -> None:
    kiosk.app.start_practice("nep-sms")
    kiosk.pump(3)
    kiosk.tap(kiosk.practice()._targets["nep"])


def test_larger_text_fits_the_small_screen(fresh):
    from kivy.metrics import Metrics

    kiosk = fresh
    kiosk.resize(800, 480)
    app = kiosk.app
    _open_scenario(kiosk, app.library.scenario("berichtenbox-brief"))
    run_before = app.run_state
    kiosk.tap(kiosk.practice().ids.text_size)
    kiosk.wait(0.3)
    assert app.large_text and Metrics.fontscale == 1.25
    assert app.run_state is run_before and kiosk.current == "practice"
    assert layout_problems(app.root) == []
    kiosk.screenshot("large-text-practice")
    _choose_language(kiosk, "ar")
    assert layout_problems(app.root) == []
    kiosk.screenshot("large-text-practice-ar")
    app.end_session()
    kiosk.wait(0.3)
    assert not app.large_text and Metrics.fontscale == 1.0


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", ["ar", "ti"])
def test_the_other_screens_in_a_help_language(fresh, size, code, caplog):
    kiosk = fresh
    kiosk.resize(*size)
    app = kiosk.app
    app.speaker.auto_read = False
    try:
        kiosk.tap(_find(kiosk, "LanguageButton", code=code))
        assert app.language == code
        assert kiosk.screen("welcome").title_help
        _shot_and_check(kiosk, f"{code}-welcome")
        kiosk.begin()
        _shot_and_check(kiosk, f"{code}-catalogue")
        kiosk.tap(_find(kiosk, "ThemeTileButton", theme_id="financien"))
        assert all(b.title_help for b in kiosk.walk() if type(b).__name__ == "ScenarioButton")
        _shot_and_check(kiosk, f"{code}-catalogue-financien")
        kiosk.tap(_find(kiosk, "ScenarioButton", scenario_id="nep-sms"))
        kiosk.tap(kiosk.practice().ids.coach.ids.card)
        _shot_and_check(kiosk, f"{code}-card")
        kiosk.tap(_find(kiosk, "KioskButton", text="Sluiten"))
        kiosk.wait(0.3)
        for move in solve(app.run_state.scenario, app.run_state.persona):
            _perform(kiosk, move.action)
        assert kiosk.current == "finished" and kiosk.screen("finished").summary_help
        _shot_and_check(kiosk, f"{code}-finished")
        kiosk.tap(kiosk.screen("finished").ids.other)
        app.idle.last_touch -= app.idle.timeout + 1
        kiosk.wait(0.4)
        assert app.idle_overlay.question_help
        _shot_and_check(kiosk, f"{code}-idle")
        assert [r.message for r in caplog.records if "translation for the UI" in r.message] == []
    finally:
        app.speaker.auto_read = True


def _shot_and_check(kiosk, name: str) -> None:
    kiosk.screenshot(name)
    problems = layout_problems(kiosk.app.root)
    for popup in kiosk.window.children[:-1]:
        problems += layout_problems(popup)
    assert problems == [], f"{name} at {kiosk.size_name}: {problems}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_form_features_and_the_untranslated_notice_by_touch(
    fresh, library_with_guide_example, size
):
    """The guide's example in English (it has no translation): the visitor is told so
    first; the page's own error, the summary with earlier answers, the long reference
    number and the letter with pages and attachments show and can be touched."""
    kiosk = fresh
    app = kiosk.app
    app.library = library_with_guide_example
    kiosk.resize(*size)
    scenario = app.library.scenario("voorbeeld-verhuizing")
    kiosk.tap(_find(kiosk, "LanguageButton", code="en"))  # on the welcome screen
    assert app.language == "en"
    kiosk.begin()
    kiosk.tap(_find(kiosk, "ThemeTileButton", theme_id=scenario.theme))
    kiosk.tap(_find(kiosk, "ScenarioButton", scenario_id=scenario.id))
    practice = kiosk.practice()
    feedback = practice.ids.coach.ids.feedback
    assert feedback.kind == "hint" and "nog niet vertaald" in feedback.text
    assert "not translated" in feedback.help_text
    kiosk.screenshot("voorbeeld-verhuizing-untranslated-notice")
    run = app.run_state
    page = practice._panes["page"]
    assert page.header != "#2F3F4F"  # the gemeente's own look
    for move in solve(scenario, run.persona, run.today):
        if move.step_id == "postcode":
            _perform(kiosk, Type("postcode", "9999 ZZ"))
            errors = [w for w in kiosk.walk() if type(w).__name__ == "ErrorLine"]
            assert [w.text for w in errors] == ["Dit is geen geldige postcode."]
            kiosk.screenshot("voorbeeld-verhuizing-field-error")
        if move.step_id == "controleren":
            values = [w.value for w in kiosk.walk() if type(w).__name__ == "SummaryRowView"]
            assert values[:2] == ["1234 GH", move_value(run, "datum")]
            kiosk.screenshot("voorbeeld-verhuizing-summary")
        if move.step_id == "zaaknummer":
            (number,) = [w for w in kiosk.walk() if type(w).__name__ == "ReferenceValue"]
            kiosk.pump(3)
            assert number.texture_size[0] <= number.width + 1, "the number is cut off"
            assert not number.shorten
            kiosk.screenshot("voorbeeld-verhuizing-reference")
        if move.step_id == "brief":
            kinds = [type(w).__name__ for w in kiosk.walk()]
            assert "LetterPageBreak" in kinds and "AttachmentTitle" in kinds
            sheet = practice._panes["letter"]
            assert "Bibliotheekstraat 45" in sheet.ids.recipient.text  # to the new address
            kiosk.screenshot("voorbeeld-verhuizing-letter")
        _perform(kiosk, move.action)
    assert kiosk.current == "finished"
    app.language = "nl"
    app.library = load_library(SHIPPED)


def move_value(run, field: str) -> str:
    """What the visitor typed in `field` earlier (the run keeps it in memory)."""
    return run.context.form.get(field, "")
