"""Volunteer and staff mode on the running kiosk: the corner gesture, PINs, skip, statistics,
settings, reset; and the practice log written by real touches holds nothing typed.

The tests share one kiosk and run in file order: the first sets the PINs.
"""

from __future__ import annotations

import contextlib
import random
import time
import tomllib

import pytest
from sqlite_utils import Database

from kiosk.admin.control import EXIT_TO_DESKTOP
from kiosk.admin.pins import PinFile
from kiosk.progress.stats import shown
from kiosk.progress.store import LOG_FILE
from kiosk_driver import SIZES, assets_without, layout_problems

pytestmark = pytest.mark.ui

STAFF_PIN = "582913"
VOLUNTEER_PIN = "771204"


@pytest.fixture
def fresh(kiosk):
    kiosk.app.modes.close_volunteer("test")
    if kiosk.current == "staff":
        kiosk.app.modes.close_staff()
    kiosk.app.end_session()
    kiosk.pump(3)
    return kiosk


def hold_corner(kiosk, seconds: float = 3.3) -> None:
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(12, kiosk.window.height - 12)
    touch.touch_down()
    kiosk.wait(seconds)
    touch.touch_up()
    kiosk.pump(3)


def dialog(kiosk):
    found = kiosk.app.modes.dialog
    assert found is not None, "the PIN dialog is not open"
    return found


def type_pin(kiosk, pin: str) -> None:
    pad = dialog(kiosk).ids.pad
    keys = {key.label: key for key in pad.children if key.label}
    for digit in pin:
        kiosk.tap(keys[digit])
    kiosk.tap(dialog(kiosk).ids.ok)
    for _ in range(100):  # scrypt runs in a thread
        kiosk.wait(0.05)
        if kiosk.app.modes.dialog is None or not kiosk.app.modes.dialog.busy:
            break


def log_rows(kiosk) -> list[dict]:
    assert kiosk.app.event_log.flush()
    return list(Database(kiosk.app.data_folder / LOG_FILE)["events"].rows)


def start_scenario(kiosk, scenario_id: str) -> None:
    kiosk.begin()
    kiosk.app.start_practice(scenario_id)
    kiosk.pump(3)


# --- first run: no PINs yet -------------------------------------------------------------------


def test_first_run_opens_staff_mode_to_set_the_pins(fresh):
    kiosk = fresh
    assert PinFile.in_folder(kiosk.app.data_folder).missing() == ("volunteer", "staff")
    hold_corner(kiosk)
    assert kiosk.current == "staff"
    staff = kiosk.screen("staff")
    assert staff.page == "pins" and staff.first_run
    go_to(kiosk, staff, "settings")
    assert staff.page == "pins", "nothing else before the staff PIN is set"
    assert staff.ids.set_volunteer_pin.disabled, "the staff PIN comes first"
    kiosk.screenshot("staff-first-run")

    kiosk.tap(staff.ids.set_staff_pin)
    type_pin(kiosk, STAFF_PIN)
    assert "nog een keer" in dialog(kiosk).message
    type_pin(kiosk, STAFF_PIN)
    assert kiosk.app.modes.dialog is None
    kiosk.tap(staff.ids.set_volunteer_pin)
    type_pin(kiosk, VOLUNTEER_PIN)
    type_pin(kiosk, VOLUNTEER_PIN)
    pins = PinFile.in_folder(kiosk.app.data_folder)
    assert pins.missing() == ()
    assert pins.role_of(STAFF_PIN) == "staff" and pins.role_of(VOLUNTEER_PIN) == "volunteer"
    assert not staff.first_run
    kiosk.tap(staff.ids.back)
    assert kiosk.current == "welcome"


def test_a_short_press_on_the_corner_does_nothing(fresh):
    hold_corner(fresh, seconds=1.0)
    assert fresh.app.modes.dialog is None and fresh.current == "welcome"


# --- volunteer mode ---------------------------------------------------------------------------


def test_volunteer_mode_with_gesture_and_pin_skips_a_step_and_shows_statistics(fresh):
    kiosk = fresh
    start_scenario(kiosk, "digid-inloggen-sms")
    run = kiosk.app.run_state
    hold_corner(kiosk)
    type_pin(kiosk, VOLUNTEER_PIN)
    panel = kiosk.app.modes.volunteer
    assert panel is not None and panel.tab == "step"
    assert panel.expected == "Tik op ‘Inloggen met DigiD’"
    assert panel.notes == run.step.notes.nl  # the step's own notes
    assert panel.about.startswith("Deze oefening bootst na: ") and "Veldgids" in panel.about
    for width, height in SIZES:
        kiosk.resize(width, height)
        panel = kiosk.app.modes.volunteer  # built again for the new size
        assert panel.tab == "step"
        kiosk.screenshot("volunteer-step")
        assert layout_problems(panel) == [], kiosk.size_name

    kiosk.tap(panel.ids.skip)
    assert run.position == 2 and panel.step.startswith("2. ")
    assert kiosk.practice().run is run and kiosk.current == "practice"

    kiosk.tap(panel.ids.tab_session)
    assert "1 overgeslagen" in " ".join(kiosk.texts())

    kiosk.tap(panel.ids.tab_statistics)
    kiosk.wait(0.5)
    stats = panel.ids.stats
    rows = [w for w in stats.ids.table.children if type(w).__name__ == "StatsTableRow"]
    titles = [r.title for r in rows]
    assert "Inloggen met DigiD en sms-controle" in titles
    login = next(r for r in rows if r.title == "Inloggen met DigiD en sms-controle")
    starts = sum(
        r["kind"] == "scenario_started" and r["scenario"] == "digid-inloggen-sms"
        for r in log_rows(kiosk)
    )
    assert starts >= 1 and login.started == shown(starts)  # "< 5" while there are 1 to 4
    kiosk.tap(stats.ids.month)
    kiosk.wait(0.5)
    assert stats.days == 30
    kiosk.screenshot("volunteer-statistics")
    kiosk.resize(800, 480)
    panel = kiosk.app.modes.volunteer

    kinds = [r["kind"] for r in log_rows(kiosk)]
    assert "step_skipped" in kinds and "mode_changed" in kinds
    kiosk.tap(panel.ids.close)
    assert kiosk.app.modes.volunteer is None


def test_volunteer_mode_closes_itself_after_a_while(fresh, monkeypatch):
    from kiosk.ui.screens import volunteer

    kiosk = fresh
    hold_corner(kiosk)
    type_pin(kiosk, VOLUNTEER_PIN)
    assert kiosk.app.modes.volunteer is not None
    monkeypatch.setattr(volunteer, "CLOSE_AFTER", 0.5)
    kiosk.wait(1.8)
    assert kiosk.app.modes.volunteer is None


def test_volunteer_picks_a_scenario_for_the_visitor(fresh):
    kiosk = fresh
    hold_corner(kiosk)
    type_pin(kiosk, VOLUNTEER_PIN)
    panel = kiosk.app.modes.volunteer
    assert panel.tab == "choose"
    title = kiosk.app.library.scenario("nep-sms").title.nl
    button = next(b for b in panel.ids.choices.children if b.text == title)
    kiosk.tap(button)
    assert kiosk.current == "practice" and kiosk.app.run_state.scenario.id == "nep-sms"
    assert panel.tab == "step"


# --- staff mode -----------------------------------------------------------------------------


def go_to(kiosk, staff, page: str) -> None:
    """Tap a page in the staff menu."""
    kiosk.tap(staff.ids[f"nav_{page}"])


def open_staff(kiosk):
    hold_corner(kiosk)
    type_pin(kiosk, STAFF_PIN)
    assert kiosk.current == "staff"
    return kiosk.screen("staff")


def test_staff_mode_changes_the_idle_timeout(fresh):
    from kiosk.ui.widgets.common import scroll_parent

    kiosk = fresh
    staff = open_staff(kiosk)
    assert staff.page == "settings"
    for width, height in SIZES:
        kiosk.resize(width, height)
        kiosk.pump(3)
        kiosk.screenshot("staff-settings")
        assert layout_problems(kiosk.screen("staff")) == [], kiosk.size_name
        # a long page (every exercise listed): 'Opslaan' stays in sight, never scrolled away
        save = kiosk.screen("staff").ids.save
        assert scroll_parent(save) is None and save.height > 0, kiosk.size_name
        _x, y = save.to_window(save.x, save.y)
        assert y >= 0 and y + save.height <= kiosk.window.height, kiosk.size_name
    kiosk.resize(800, 480)
    staff = kiosk.screen("staff")
    row = staff.ids.setting_idle_timeout
    before = kiosk.app.settings.idle_timeout
    kiosk.tap(row.ids.plus)
    kiosk.tap(row.ids.plus)
    assert row.ids.number.text == str(before + 30)
    kiosk.tap(staff.ids.save)
    assert kiosk.app.settings.idle_timeout == before + 30
    assert kiosk.app.idle.timeout == before + 30
    saved = tomllib.loads((kiosk.app.data_folder / "settings.toml").read_text())
    assert saved["idle_timeout"] == before + 30
    assert "Opgeslagen" in staff.message
    # back to the default for the other tests
    kiosk.tap(staff.ids.setting_idle_timeout.ids.minus)
    kiosk.tap(staff.ids.setting_idle_timeout.ids.minus)
    kiosk.tap(staff.ids.save)
    assert kiosk.app.settings.idle_timeout == before


def test_staff_type_a_referral_text_longer_than_a_name_for_the_oefenbewijs(fresh):
    kiosk = fresh
    staff = open_staff(kiosk)
    kiosk.resize(800, 480)
    staff = kiosk.screen("staff")
    referral = "Cursus Digisterker: dinsdag 8 december 10:00-12:00. Informatiepunt: ma-vr 13-17."
    assert len(referral) > 60  # the most a kiosk's name may have
    kiosk.tap(staff.ids.setting_referral_text.ids.field)
    kiosk.type_on_screen_keyboard(referral, staff.keyboard)
    kiosk.tap(staff.ids.save)
    assert kiosk.app.settings.referral_text == referral
    saved = tomllib.loads((kiosk.app.data_folder / "settings.toml").read_text())
    assert saved["referral_text"] == referral
    for width, height in SIZES:
        kiosk.resize(width, height)
        kiosk.pump(3)
        field = kiosk.screen("staff").ids.setting_referral_text.ids.field  # rebuilt at resize
        assert field.text == referral
        kiosk.swipe_into_view(field)
        kiosk.screenshot("staff-referral-text")
    kiosk.resize(800, 480)
    from kiosk.admin.settings import save_staff_settings

    kiosk.app.apply_settings(save_staff_settings(kiosk.app.settings, {"referral_text": ""}))


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_staff_choose_the_languages_and_scenarios_visitors_see(fresh, size):
    kiosk = fresh
    kiosk.resize(*size)
    kiosk.pump(3)
    everything = {s.id for s in kiosk.app.full_library.scenarios}
    assert shown_scenarios(kiosk) == everything
    staff = open_staff(kiosk)
    languages = staff.ids.setting_enabled_languages
    arabic = next(b for b in languages.ids.controls.children if b.text == "Arabisch")
    kiosk.tap(arabic)  # from "all" to all but Arabic
    scenarios = staff.ids.setting_enabled_scenarios
    first = next(b for b in reversed(scenarios.ids.controls.children) if "sms" in b.text.lower())
    kiosk.tap(first)
    kiosk.tap(staff.ids.save)
    assert "ar" not in kiosk.app.settings.enabled_languages
    assert len(kiosk.app.settings.enabled_scenarios) == len(everything) - 1
    kiosk.tap(staff.ids.back)
    assert kiosk.current == "catalogue"  # back where staff mode was opened
    kiosk.app.go_welcome()
    codes = {b.code for b in kiosk.screen("welcome").ids.languages.children if b.code}
    assert "ar" not in codes and {"nl", "en", "ti"} <= codes
    hidden = everything - set(kiosk.app.settings.enabled_scenarios)
    assert shown_scenarios(kiosk) == everything - hidden
    # a volunteer may still start the hidden one for a visitor
    kiosk.app.start_practice(hidden.pop())
    assert kiosk.current == "practice"
    # back to everything for the other tests
    kiosk.app.end_session()
    staff = open_staff(kiosk)
    kiosk.tap(staff.ids.undo)
    from kiosk.admin.settings import save_staff_settings

    kiosk.app.apply_settings(
        save_staff_settings(kiosk.app.settings, {"enabled_languages": (), "enabled_scenarios": ()})
    )
    assert shown_scenarios(kiosk) == everything


def test_staff_reset_ends_and_wipes_the_session_and_can_erase_the_log(fresh):
    kiosk = fresh
    start_scenario(kiosk, "digid-inloggen-sms")
    assert kiosk.app.recorder.session is not None
    staff = open_staff(kiosk)
    go_to(kiosk, staff, "reset")
    kiosk.tap(staff.ids.do_reset)
    assert kiosk.app.run_state is None and kiosk.app.recorder.session is None
    assert "gewist" in staff.message
    assert any(r["kind"] == "session_ended" and r["reason"] == "reset" for r in log_rows(kiosk))

    kiosk.tap(staff.ids.erase_log)
    assert staff.ids.do_reset.disabled, "the log is only erased after typing WISSEN"
    keyboard = staff.keyboard
    for letter in "wissen":
        kiosk.tap(keyboard.key_for(letter))
    assert staff.confirm_text == "wissen" and not staff.ids.do_reset.disabled
    kiosk.screenshot("staff-reset")
    kiosk.tap(staff.ids.do_reset)
    kiosk.wait(1.0)
    assert "logboek is gewist" in staff.message
    assert log_rows(kiosk) == []
    kiosk.tap(staff.ids.back)
    assert kiosk.current == "welcome"


def test_staff_export_to_a_folder(fresh, tmp_path):
    kiosk = fresh
    start_scenario(kiosk, "nep-sms")
    staff = open_staff(kiosk)
    go_to(kiosk, staff, "export")
    staff.export_target = str(tmp_path)
    kiosk.tap(staff.ids.raw)
    kiosk.tap(staff.ids.do_export)
    kiosk.wait(1.0)
    assert f"Geschreven naar {tmp_path}" in staff.message
    folder = next(tmp_path.iterdir())
    assert {p.name for p in folder.iterdir()} == {
        "statistiek.csv",
        "statistiek.json",
        "gebeurtenissen.csv",
        "gebeurtenissen.json",
    }
    kiosk.screenshot("staff-export")


@contextlib.contextmanager
def nearly_full_disk(app):
    """Room for the PIN lockout's row, none for new events (with no room at all no PIN is
    checked: see test_no_pin_is_checked_while_wrong_tries_cannot_be_stored)."""
    app.event_log.run_locked(
        lambda db: db.execute(
            "CREATE TEMP TRIGGER disk_full BEFORE INSERT ON events "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    )
    try:
        yield
    finally:
        app.event_log.run_locked(lambda db: db.execute("DROP TRIGGER temp.disk_full"))


def test_staff_sees_when_the_log_is_not_saved(fresh):
    kiosk = fresh
    app = kiosk.app
    with nearly_full_disk(app):
        start_scenario(kiosk, "nep-sms")
        assert app.event_log.flush()
        assert kiosk.current == "practice", "the kiosk goes on"
        staff = open_staff(kiosk)
        assert any("voortgang wordt niet opgeslagen" in n for n in staff.notices)
        kiosk.screenshot("staff-not-saved")


# --- PIN state that cannot be trusted keeps both modes shut -----------------------------------


def test_a_damaged_pin_file_keeps_both_modes_shut_and_says_how_staff_recover(fresh):
    kiosk = fresh
    pins = PinFile.in_folder(kiosk.app.data_folder)
    good = pins.path.read_text()
    pins.path.write_text(good.replace("staff =", "#taff =", 1))  # one byte changed
    try:
        for width, height in SIZES:
            kiosk.resize(width, height)
            hold_corner(kiosk)
            assert kiosk.current == "welcome", "no first run: the kiosk had PINs"
            box = dialog(kiosk)
            assert box.shut and box.ids.pad.disabled and box.ids.pad.width == 0
            assert "beschadigd" in box.message and "set-pin staff" in box.message
            assert layout_problems(box) == []
            kiosk.screenshot("pins-damaged")
            box.press("5")  # not even a key pressed by code gets through
            assert box.length == 0
            kiosk.tap(box.ids.cancel)
            assert kiosk.app.modes.dialog is None and kiosk.current == "welcome"
        kiosk.resize(800, 480)

        # staff recover at the terminal (`oefenkiosk set-pin staff`): no restart needed
        pins.set_pin("staff", STAFF_PIN, replace_damaged=True)
        pins.set_pin("volunteer", VOLUNTEER_PIN)
        hold_corner(kiosk)
        assert not dialog(kiosk).shut
        type_pin(kiosk, STAFF_PIN)
        assert kiosk.current == "staff"

        # damaged while staff mode is open: the PIN page says so, and no PIN is set over it
        damaged = good.replace("staff =", "#taff =", 1)
        pins.path.write_text(damaged)
        staff = kiosk.screen("staff")
        go_to(kiosk, staff, "pins")
        assert "beschadigd" in staff.pin_status and "set-pin staff" in staff.pin_status
        kiosk.tap(staff.ids.set_staff_pin)
        type_pin(kiosk, "135792")
        type_pin(kiosk, "135792")
        assert dialog(kiosk).shut and "beschadigd" in dialog(kiosk).message
        assert pins.path.read_text() == damaged and layout_problems(dialog(kiosk)) == []
        kiosk.screenshot("staff-pins-damaged")
    finally:
        if kiosk.app.modes.dialog is not None:
            kiosk.app.modes.dialog.cancel()
        for aside in pins.kept_aside():
            aside.unlink()
        pins.path.write_text(good)


def test_no_pin_is_checked_while_wrong_tries_cannot_be_stored(fresh):
    kiosk = fresh
    log = kiosk.app.event_log
    log.run_locked(lambda db: db.execute("PRAGMA query_only = ON"))  # a read-only disk
    try:
        for width, height in SIZES:
            kiosk.resize(width, height)
            hold_corner(kiosk)
            type_pin(kiosk, STAFF_PIN)  # the right PIN
            box = dialog(kiosk)
            assert kiosk.current == "welcome", "not opened: the try could not be stored"
            assert box.shut and box.ids.pad.disabled and "niets opslaan" in box.message
            assert layout_problems(box) == []
            kiosk.screenshot("pin-not-stored")
            kiosk.tap(box.ids.cancel)
        kiosk.resize(800, 480)
    finally:
        log.run_locked(lambda db: db.execute("PRAGMA query_only = OFF"))
    hold_corner(kiosk)  # the disk takes writes again: the PIN works
    assert not dialog(kiosk).shut and not dialog(kiosk).locked
    type_pin(kiosk, STAFF_PIN)
    assert kiosk.current == "staff"


def test_a_kiosk_in_a_network_delivers_its_sessions_and_staff_see_it(fresh, tmp_path):
    from dataclasses import replace

    from kiosk.network.credentials import Credentials, write_credentials
    from kiosk.network.sender import xapi_settings
    from lrs_server import PASSWORD, USER, Ralph

    kiosk = fresh
    app = kiosk.app
    ralph = Ralph(tmp_path / "lrs")
    ralph.start()
    before = app.settings
    try:
        network = {"xapi_enabled": True, "lrs_url": ralph.url}
        app.apply_settings(replace(before, values={**before.values, **network}))
        credentials = xapi_settings(app.settings, app.data_folder).credentials_path
        write_credentials(credentials, Credentials(USER, PASSWORD))
        start_scenario(kiosk, "nep-sms")
        kiosk.app.end_session()  # the visitor walks away: the session is over
        deadline = time.monotonic() + 30
        while not ralph.statements() and time.monotonic() < deadline:
            kiosk.wait(0.2)
        kinds = [s["verb"]["display"]["en-US"] for s in ralph.statements()]
        assert kinds[:2] == ["launched", "attempted"] and kinds[-1] == "exited"
        staff = open_staff(kiosk)
        kiosk.tap(staff.ids.nav_statistics)
        kiosk.pump(3)
        text = staff.ids.network.text
        assert "Versturen naar het netwerk: aan" in text
        assert "Wachtend om te versturen: 0" in text and "nog nooit" not in text
        for width, height in SIZES:
            kiosk.resize(width, height)
            kiosk.pump(3)
            assert layout_problems(kiosk.screen("staff")) == []
            staff.ids.scroll.scroll_y = 0  # the network box ends the statistics page
            kiosk.pump(3)
            kiosk.screenshot("staff-network")
    finally:
        app.apply_settings(before)
        ralph.stop()


def wait_for_the_library(kiosk) -> None:
    """The scenarios load on a worker thread after a content switch."""
    for _ in range(200):
        if kiosk.app._library is not None:
            return
        kiosk.wait(0.05)
    raise AssertionError("the scenarios did not load within 10 s")


def test_staff_install_a_pack_from_a_usb_stick_and_it_goes_on_at_the_next_welcome(
    fresh, tmp_path, monkeypatch
):
    from dataclasses import replace

    import yaml

    from conftest import SHIPPED
    from kiosk.packs import archive

    kiosk = fresh
    app = kiosk.app
    secret, public = archive.new_key()
    stick = tmp_path / "USB-STICK"
    (stick / "inhoud").mkdir(parents=True)
    data = yaml.safe_load((SHIPPED / "nep-sms.yaml").read_text(encoding="utf-8"))
    data["title"]["nl"] = "Een nep-sms herkennen (2026)"
    (stick / "inhoud" / "nep-sms.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    archive.build(stick / "inhoud", stick / "basis-2026.2.okpack", "basis", "2026.2", "0.1")
    archive.sign(stick / "basis-2026.2.okpack", secret)
    monkeypatch.setattr("kiosk.ui.screens.staff.export_targets", lambda: (stick,))
    before = app.settings
    app.apply_settings(replace(before, values={**before.values, "pack_public_keys": (public,)}))
    try:
        staff = open_staff(kiosk)
        kiosk.tap(staff.ids.nav_content)
        kiosk.tap(staff.ids.find_usb)
        install = [b for b in staff.ids.usb_packs.children if "basis-2026.2" in b.text]
        assert len(install) == 1
        kiosk.tap(install[0])
        for _ in range(200):  # checked in a thread
            kiosk.wait(0.05)
            if not staff.busy:
                break
        assert "basis 2026.2 is geïnstalleerd" in staff.message, staff.message
        assert any("volgende welkom: basis 2026.2" in line for line in staff.content_lines)
        assert app.library.scenario("nep-sms").title.nl != "Een nep-sms herkennen (2026)"
        for width, height in SIZES:
            kiosk.resize(width, height)
            kiosk.pump(3)
            assert layout_problems(kiosk.screen("staff")) == []
            kiosk.screenshot("staff-content")
        staff = kiosk.screen("staff")  # a new size can build the screens anew
        assert any("volgende welkom" in line for line in staff.content_lines), "not yet on"
        kiosk.tap(staff.ids.back)  # staff leave: the welcome screen switches the content on
        assert kiosk.current == "welcome"
        wait_for_the_library(kiosk)
        assert app.library.scenario("nep-sms").title.nl == "Een nep-sms herkennen (2026)"
        start_scenario(kiosk, "nep-sms")
        started = [r for r in log_rows(kiosk) if r["kind"] == "scenario_started"]
        assert started[-1]["content"] == "basis-2026.2", "statistics can tell versions apart"

        app.end_session()
        staff = open_staff(kiosk)
        kiosk.tap(staff.ids.nav_content)
        kiosk.tap(staff.ids.rollback)
        assert "ingebouwde oefeningen" in staff.message
        wait_for_the_library(kiosk)
        assert app.library.scenario("nep-sms").title.nl != "Een nep-sms herkennen (2026)"
    finally:
        app.apply_settings(before)
        app.modes.close_staff()


def test_staff_see_a_refused_pack_and_its_reason_in_dutch(fresh, tmp_path, monkeypatch):
    from dataclasses import replace

    from conftest import SHIPPED
    from kiosk.packs import archive

    kiosk = fresh
    app = kiosk.app
    _secret, public = archive.new_key()
    other, _ = archive.new_key()
    stick = tmp_path / "USB-STICK"
    (stick / "inhoud").mkdir(parents=True)
    (stick / "inhoud" / "nep-sms.yaml").write_bytes((SHIPPED / "nep-sms.yaml").read_bytes())
    archive.build(stick / "inhoud", stick / "vreemd-2026.3.okpack", "vreemd", "2026.3", "0.1")
    archive.sign(stick / "vreemd-2026.3.okpack", other)  # not the key staff configured
    monkeypatch.setattr("kiosk.ui.screens.staff.export_targets", lambda: (stick,))
    before = app.settings
    app.apply_settings(replace(before, values={**before.values, "pack_public_keys": (public,)}))
    wait_for_the_library(kiosk)  # after a content switch the scenarios load in a thread
    try:
        staff = open_staff(kiosk)
        kiosk.tap(staff.ids.nav_content)
        lines_before = list(staff.content_lines)
        kiosk.tap(staff.ids.find_usb)
        (install,) = [b for b in staff.ids.usb_packs.children if "vreemd-2026.3" in b.text]
        kiosk.tap(install)
        for _ in range(200):  # checked in a thread
            kiosk.wait(0.05)
            if not staff.busy:
                break
        assert staff.message.startswith("Niet geïnstalleerd: "), staff.message
        reason = staff.message.removeprefix("Niet geïnstalleerd: ")
        assert "sleutel" in reason and not any(
            word in reason.lower() for word in ("error", "signature", "key", "traceback")
        ), reason
        assert list(staff.content_lines) == [*lines_before, staff.message], "nothing staged"
        for width, height in SIZES:
            kiosk.resize(width, height)
            kiosk.pump(3)
            staff = kiosk.screen("staff")  # a new size can build the screens anew
            assert layout_problems(staff) == []
            assert reason in " ".join(kiosk.texts()), "the reason is on the screen"
            kiosk.screenshot("staff-pack-refused")
        kiosk.resize(800, 480)
    finally:
        app.pack_message = ""
        app.apply_settings(before)
        app.modes.close_staff()


def test_staff_statistics_show_each_content_version_of_an_exercise(fresh):
    kiosk = fresh
    log = kiosk.app.event_log
    for index, content in enumerate(["ingebouwd"] * 6 + ["basis-2026.2"] * 2):
        session = f"versies{index}"
        log.log("scenario_started", session, scenario="nep-sms", language="nl", content=content)
        log.log("scenario_finished", session, scenario="nep-sms", seconds=90, wrong=0, hints=0)
    assert log.flush()
    title = kiosk.app.full_library.scenario("nep-sms").title.nl
    try:
        staff = open_staff(kiosk)
        for width, height in SIZES:
            kiosk.resize(width, height)
            kiosk.pump(3)
            staff = kiosk.screen("staff")
            go_to(kiosk, staff, "statistics")
            kiosk.wait(0.5)
            stats = staff.ids.stats
            rows = [w for w in stats.ids.table.children if type(w).__name__ == "StatsTableRow"]
            versions = {r.title: r for r in rows if r.title.startswith(title)}
            old = versions[f"{title}, ingebouwde versie"]
            new = versions[f"{title}, versie 2026.2 (pakket basis)"]
            assert len(versions) == 2
            assert int(old.started) >= 6 and new.started == "< 5" and new.rate == "–"
            other = kiosk.app.full_library.scenario("digid-inloggen-sms").title.nl
            assert other in [r.title for r in rows], "one version: one row as before"
            assert layout_problems(staff) == []
            kiosk.swipe_into_view(new)
            kiosk.screenshot("staff-statistics-versions")
        kiosk.resize(800, 480)
    finally:
        kiosk.app.modes.close_staff()


def test_staff_see_broken_files_and_missing_assets_in_a_short_problems_list(fresh, tmp_path):
    import shutil

    from kiosk.paths import scenarios_dir
    from kiosk.scenario.library import load_library

    kiosk = fresh
    folder = tmp_path / "scenarios"
    shutil.copytree(scenarios_dir(), folder)
    (folder / "kapot.yaml").write_text("schema_version: 1\nid: [kapot\n", encoding="utf-8")
    with assets_without(kiosk, tmp_path / "home", "pictograms.yaml"):
        kiosk.app.library = load_library(folder)
        for width, height in SIZES:
            kiosk.resize(width, height)
            staff = open_staff(kiosk)
            problems = staff.notices
            assert any("kapot.yaml" in n and "regel" in n for n in problems), problems
            assert any("assets/pictograms.yaml" in n for n in problems), problems
            named = [n for n in problems if "kapot.yaml" in n or "pictograms.yaml" in n]
            assert all("Wat te doen:" in n for n in named), problems
            shown = staff.ids.notices.text
            assert "kapot.yaml" in shown and "pictograms.yaml" in shown
            assert layout_problems(staff) == []
            kiosk.screenshot("staff-problems")
            kiosk.tap(staff.ids.back)
    kiosk.resize(800, 480)


def test_staff_hear_once_that_the_log_is_not_saved_and_later_that_it_recovered(fresh):
    kiosk = fresh
    app = kiosk.app
    with nearly_full_disk(app):
        start_scenario(kiosk, "nep-sms")
        assert app.event_log.flush()
        staff = open_staff(kiosk)
        said = " ".join(staff.notices)
        assert said.count("voortgang wordt niet opgeslagen") == 1, staff.notices
        kiosk.tap(staff.ids.back)
    app.end_session()
    start_scenario(kiosk, "nep-sms")
    assert app.event_log.flush() and app.event_log.status.ok
    staff = open_staff(kiosk)
    assert not any("voortgang wordt niet opgeslagen" in n for n in staff.notices)
    assert any("het werkt weer" in n for n in staff.notices), staff.notices
    kiosk.screenshot("staff-log-recovered")
    kiosk.tap(staff.ids.back)


# --- the lockout, last: it outlives the test --------------------------------------------------


def test_the_fifth_try_is_checked_a_right_pin_then_still_opens(fresh):
    """Five tries before a wait: after four wrong PINs the fifth, right one opens staff mode."""
    kiosk = fresh
    hold_corner(kiosk)
    for _ in range(4):
        type_pin(kiosk, "000111")
    type_pin(kiosk, STAFF_PIN)
    kiosk.wait(0.5)  # the PIN is checked off the UI thread
    assert kiosk.current == "staff"
    assert kiosk.app.modes.lockout.state.failures == 0
    kiosk.app.modes.close_staff()


def test_five_wrong_pins_lock_the_dialog_and_the_lock_is_stored(fresh):
    kiosk = fresh
    hold_corner(kiosk)
    for _ in range(5):
        type_pin(kiosk, "000111")
    box = dialog(kiosk)
    assert box.locked and "Te vaak een verkeerde pincode" in box.message
    kiosk.screenshot("pin-locked")
    stored = kiosk.app.event_log.run_locked(
        lambda db: db.execute("SELECT failures, locked_until FROM lockout").fetchone()
    )
    assert stored[0] == 5 and stored[1] > time.time() + 20
    box.cancel()
    kiosk.app.modes.lockout.succeeded()  # staff would wait; the next test run should not


# --- privacy through real touches ---------------------------------------------------------------


def test_what_a_visitor_types_on_the_screen_is_not_in_the_log_file(fresh):
    kiosk = fresh
    rng = random.Random(11)
    secret_name = "Mariam Osman"
    secret_number = "".join(str(rng.randint(1, 9)) for _ in range(8))
    start_scenario(kiosk, "digid-inloggen-sms")
    practice = kiosk.practice()
    kiosk.tap(practice._targets["digid"])
    kiosk.tap(practice._targets["wachtwoord"])
    box = practice._targets["gebruikersnaam"].ids.box
    for text in (secret_name, "111222333", secret_number):
        kiosk.tap(box)
        while box.shown:
            kiosk.tap(practice.keyboard.key_for("{backspace}"))
        kiosk.type_on_screen_keyboard(text)
        kiosk.tap(practice.keyboard.key_for("{done}"))
    assert any(r["kind"] == "wrong_action" for r in log_rows(kiosk))
    kiosk.app.end_session()
    assert kiosk.app.event_log.flush()
    data = b"".join(
        p.read_bytes() for p in kiosk.app.data_folder.iterdir() if p.name.startswith(LOG_FILE)
    )
    for text in (secret_name, "Mariam", "111222333", secret_number):
        assert text.encode() not in data


# --- what staff switch off, visitors do not see -------------------------------------------------


def shown_scenarios(kiosk) -> set[str]:
    """Every scenario tile a visitor can reach from the catalogue's themes."""
    catalogue = kiosk.screen("catalogue")
    kiosk.app.modes.close_staff()
    kiosk.app.go_welcome()
    kiosk.begin()
    themes = [
        tile.theme_id for tile in catalogue.ids.grid.children if getattr(tile, "theme_id", "")
    ]
    found = set()
    for theme in themes:
        catalogue.theme = theme
        catalogue.refresh()
        found |= {
            t.scenario_id for t in catalogue.ids.grid.children if getattr(t, "scenario_id", "")
        }
    return found


def test_staff_can_close_the_kiosk_to_the_desktop(fresh, monkeypatch):
    kiosk = fresh
    stopped = []
    monkeypatch.setattr(kiosk.app, "stop", lambda *a: stopped.append(True))
    staff = open_staff(kiosk)
    go_to(kiosk, staff, "exit")
    kiosk.screenshot("staff-exit")
    kiosk.tap(staff.ids.do_exit)
    assert stopped == [True]
    assert kiosk.app.exit_code == EXIT_TO_DESKTOP
    kiosk.app.exit_code = 0
