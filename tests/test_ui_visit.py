"""Coming back and taking home, by touch: the oefencode at the end of a visit, typed again
on the welcome screen, and the oefenbewijs.

Screenshots: screenshots/<size>/visit-*.png.
"""

from __future__ import annotations

import time

import pytest
from test_printing_cups import real_printer  # noqa: F401 - a fixture
from test_ui import _find, _open_scenario, _perform

from kiosk.progress.codes import Progress, normalize
from kiosk.scenario.solve import solve
from kiosk_driver import SIZES, layout_problems

pytestmark = pytest.mark.ui

SCENARIO = "digid-inloggen-sms"


@pytest.fixture
def fresh(kiosk):
    kiosk.app.end_session()
    kiosk.pump(3)
    yield kiosk
    kiosk.app.end_session()
    _clear_code_lockout(kiosk)


def _clear_code_lockout(kiosk) -> None:
    from kiosk.progress.codes import LOCKOUT_NAME
    from kiosk.progress.lockout import clear

    kiosk.app.event_log.run_locked(lambda db: clear(db, LOCKOUT_NAME))


def _play_steps(kiosk, count: int) -> None:
    """The first `count` steps of the open exercise, by touch."""
    run = kiosk.app.run_state
    for move in solve(run.scenario, run.persona, run.today)[:count]:
        assert run.step_id == move.step_id
        _perform(kiosk, move.action)


def _to_goodbye(kiosk):
    """From a practice page: stop the exercise, then 'Stoppen' in the catalogue."""
    kiosk.tap(kiosk.practice().ids.coach.ids.stop)
    kiosk.tap(_find(kiosk, "KioskButton", text="Ja, stoppen"))
    kiosk.wait(0.3)  # the dialog closes
    assert kiosk.current == "catalogue"
    kiosk.tap(kiosk.screen("catalogue").ids.stop)
    assert kiosk.current == "goodbye"
    return kiosk.screen("goodbye")


def _type_code(kiosk, code: str) -> None:
    kiosk.tap(kiosk.screen("welcome").ids.have_code)
    assert kiosk.current == "resume"
    keyboard = kiosk.screen("resume").ids.keyboard
    for digit in code:
        kiosk.tap_key(keyboard.key_for(digit))
    kiosk.tap(kiosk.screen("resume").ids.go_on)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_visitor_stops_comes_back_with_the_code_and_goes_on_where_they_were(fresh, size):
    kiosk = fresh
    kiosk.resize(*size)
    app = kiosk.app
    _open_scenario(kiosk, app.library.scenario(SCENARIO))
    _play_steps(kiosk, 2)
    stopped_at = app.run_state.step_id
    goodbye = _to_goodbye(kiosk)
    code = normalize(goodbye.code)
    assert code is not None, f"no oefencode shown: {goodbye.code!r}"
    assert goodbye.qr is not None, "no QR code beside the oefencode"
    assert goodbye.ids.qr_image.get_root_window() is not None
    kiosk.screenshot("visit-goodbye")
    assert layout_problems(app.root) == []
    kiosk.tap(goodbye.ids.bye)
    assert kiosk.current == "welcome" and app.visit.code == ""

    _type_code(kiosk, code)
    assert kiosk.current == "catalogue", kiosk.screen("resume").message
    catalogue = kiosk.screen("catalogue")
    assert catalogue.back_title == "Welkom terug!"
    assert app.library.scenario(SCENARIO).title.nl in catalogue.go_on_text
    kiosk.screenshot("visit-welcome-back")
    kiosk.tap(catalogue.ids.go_on)
    assert kiosk.current == "practice"
    run = app.run_state
    assert run.scenario.id == SCENARIO and run.step_id == stopped_at
    assert run.summary().steps == (), "the replayed steps are not the visitor's answers"
    kiosk.screenshot("visit-went-on")

    # finishing it now: the same code holds it, with a mark in the catalogue
    moves = solve(run.scenario, run.persona, run.today)
    start = [m.step_id for m in moves].index(stopped_at)
    for move in moves[start:]:
        _perform(kiosk, move.action)
    assert kiosk.current == "finished"
    kiosk.tap(kiosk.screen("finished").ids.stop)
    assert normalize(kiosk.screen("goodbye").code) == code, "a visitor keeps one code"
    kiosk.tap(kiosk.screen("goodbye").ids.bye)
    _type_code(kiosk, code)
    assert catalogue.go_on_text == "", "nothing left unfinished"
    kiosk.tap(_find(kiosk, "ThemeTileButton", theme_id=app.library.scenario(SCENARIO).theme))
    assert _find(kiosk, "ScenarioButton", scenario_id=SCENARIO).done
    kiosk.screenshot("visit-finished-mark")


def test_the_volunteer_sees_where_a_returning_visitor_left_off(fresh):
    kiosk = fresh
    app = kiosk.app
    scenario = app.library.scenario(SCENARIO)
    third = solve(scenario, app.library.persona_for(scenario))[2].step_id
    code = app.code_book.save(
        Progress(finished=("nep-sms",)).with_position(SCENARIO, third),
        time.time(),
        6,
    )
    _type_code(kiosk, code)
    assert kiosk.current == "catalogue"
    app.modes.open_volunteer()
    try:
        panel = app.modes.volunteer
        panel.show_tab("session")
        kiosk.pump(3)
        shown = " ".join(kiosk.texts())
        assert "kwam terug met een oefencode" in shown
        assert app.library.scenario("nep-sms").title.nl in shown
        assert "Gestopt bij: " + app.library.scenario(SCENARIO).title.nl in shown
        assert "stap 3 van " in shown
        kiosk.screenshot("visit-volunteer")
    finally:
        app.modes.close_volunteer("test")


def test_wrong_codes_get_a_calm_message_then_a_wait(fresh):
    kiosk = fresh
    resume = kiosk.screen("resume")
    _type_code(kiosk, "1234")
    assert kiosk.current == "resume" and "8 cijfers" in resume.message
    for _ in range(5):
        kiosk.tap(resume.ids.back)
        _type_code(kiosk, "12345678")
        assert kiosk.current == "resume"
    assert "kennen we niet" in resume.message or "Wacht" in resume.message
    kiosk.tap(resume.ids.back)
    _type_code(kiosk, "87654321")
    assert "Wacht" in resume.message, resume.message
    kiosk.screenshot("visit-code-wait")


def test_an_old_code_is_refused_kindly(fresh):
    kiosk = fresh
    app = kiosk.app
    weeks = app.settings.resume_code_weeks
    made = time.time() - (weeks * 7 + 1) * 24 * 3600
    code = app.code_book.save(Progress(finished=("nep-sms",)), made, weeks)
    _type_code(kiosk, code)
    resume = kiosk.screen("resume")
    assert kiosk.current == "resume" and "te oud" in resume.message


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_oefenbewijs_is_kept_for_the_desk_without_a_printer(fresh, size):
    from pypdf import PdfReader

    from kiosk.certificate.store import find

    kiosk = fresh
    kiosk.resize(*size)
    app = kiosk.app
    _open_scenario(kiosk, app.library.scenario(SCENARIO))
    _play_steps(kiosk, 1)
    goodbye = _to_goodbye(kiosk)
    kiosk.tap(goodbye.ids.cert)
    assert kiosk.current == "certificate"
    screen = kiosk.screen("certificate")
    kiosk.wait(0.5)  # the printer is looked for off the UI thread
    assert screen.printer == "", "no printer here"
    shown = " ".join(kiosk.texts())
    assert app.library.scenario(SCENARIO).title.nl in shown
    assert screen.qr is not None
    kiosk.screenshot("visit-certificate")
    assert layout_problems(app.root) == []
    kiosk.tap(screen.ids.out)
    assert "oefenbewijs nummer" in screen.message
    number = screen.message.split("nummer")[1].strip(" .")
    saved = find(app.data_folder, number)
    assert saved is not None, f"no oefenbewijs {number} kept for the desk"
    text = "".join(page.extract_text() for page in PdfReader(saved.path).pages)
    assert app.library.scenario(SCENARIO).title.nl in text
    kiosk.screenshot("visit-certificate-saved")


def test_an_idle_wipe_forgets_the_code_and_the_visit(fresh):
    kiosk = fresh
    app = kiosk.app
    code = app.code_book.save(Progress(finished=("nep-sms",)), time.time(), 6)
    _type_code(kiosk, code)
    assert app.visit.returning is not None
    app.end_session()
    kiosk.pump(3)
    assert app.visit.returning is None and app.visit.code == ""
    assert app.visit.progress.empty
    assert not [t for t in kiosk.texts() if "Welkom terug" in t]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_name_typed_for_the_printout_reaches_a_real_printer_and_nothing_else(
    fresh, request, monkeypatch, size
):
    import dataclasses

    from pypdf import PdfReader

    server, spool = request.getfixturevalue("real_printer")
    kiosk = fresh
    kiosk.resize(*size)
    app = kiosk.app
    monkeypatch.setenv("CUPS_SERVER", server)  # the kiosk's CUPS: a private one, a real queue
    settings = app.settings
    app.settings = dataclasses.replace(settings, values={**settings.values, "printer": "oefen"})
    try:
        _open_scenario(kiosk, app.library.scenario(SCENARIO))
        _play_steps(kiosk, 1)
        kiosk.tap(_to_goodbye(kiosk).ids.cert)
        screen = kiosk.screen("certificate")
        for _ in range(600):  # the printer is looked for off the UI thread: on a busy
            kiosk.wait(0.05)  # machine that can take many seconds
            if screen.printer:
                break
        assert screen.printer == "oefen"
        kiosk.tap(screen.ids.name_field)
        kiosk.type_on_screen_keyboard("Zerihun Tesfamariam", keyboard=screen.keyboard)
        kiosk.tap_key(screen.keyboard.key_for("{done}"))
        assert screen.visitor_name == "Zerihun Tesfamariam"
        kiosk.screenshot("visit-print-preview")
        assert layout_problems(app.root) == []
        kiosk.tap(screen.ids.out)
        for _ in range(1200):  # CUPS takes its time, more so on a busy machine
            kiosk.wait(0.05)
            if screen.message:
                break
        assert "printer" in screen.message, screen.message
        jobs = []
        for _ in range(120):
            jobs = [p for p in spool.iterdir() if p.is_file() and p.stat().st_size > 0]
            if jobs:
                break
            time.sleep(0.5)
        assert jobs, "nothing reached the printer"
        printed = "".join(page.extract_text() for page in PdfReader(jobs[0]).pages)
        assert "Zerihun Tesfamariam" in printed
        kiosk.tap(screen.ids.back)
        assert screen.visitor_name == "", "the name is forgotten when the screen is left"
        assert app.event_log.flush()
        kept = b"".join(p.read_bytes() for p in app.data_folder.rglob("*") if p.is_file())
        assert b"Zerihun" not in kept and b"Tesfamariam" not in kept, "the name was stored"
    finally:
        app.settings = settings
