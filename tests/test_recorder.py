"""The session recorder (events for the log) and the volunteer and staff view-models."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHIPPED
from kiosk.config import SPEC, load_config
from kiosk.progress.recorder import SessionRecorder, kiosk_id
from kiosk.scenario.engine import ScenarioRun, Tap, Type
from kiosk.scenario.library import load_library
from kiosk.ui.corner_hold import CornerHold
from kiosk.ui.staff_views import (
    session_lines,
    setting_views,
    step_guide,
    stepped,
    toggled,
    typed,
)


class Sink:
    def __init__(self) -> None:
        self.events: list[tuple[str, str, dict]] = []

    def log(self, kind: str, session: str, **fields) -> bool:
        self.events.append((kind, session, fields))
        return True

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.events]


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def library():
    return load_library(SHIPPED)


@pytest.fixture
def run(library) -> ScenarioRun:
    scenario = library.scenario("digid-inloggen-sms")
    return ScenarioRun(scenario, library.persona_for(scenario))


def test_kiosk_id_is_a_safe_slug():
    assert kiosk_id("Bibliotheek Oefendorp, Taalhuis") == "bibliotheek-oefendorp-taalhuis"
    assert kiosk_id("Kiosk 1234567") == "kiosk"
    assert kiosk_id("!!!") == "kiosk"


def test_a_session_is_logged_from_start_to_end(run):
    sink, clock = Sink(), Clock()
    recorder = SessionRecorder(sink, "Taalhuis", clock)
    recorder.audio(None, "nl")  # before the session: nothing to count yet
    recorder.begin("ar")
    recorder.begin("ar")  # once
    recorder.started("digid-inloggen-sms")
    recorder.outcome(run.act(Tap("geen-digid")))  # wrong
    recorder.hint(run.step_id)
    recorder.hint(run.step_id, show_me=True)
    recorder.audio(run.step_id, "ar")
    recorder.outcome(run.act(Tap("digid")))  # right
    recorder.set_mode("volunteer")
    recorder.outcome(run.skip())
    clock.now += 95.4
    recorder.end("idle", run.step_id)
    assert sink.kinds() == [
        "session_started",
        "scenario_started",
        "wrong_action",
        "hint_shown",
        "show_me",
        "audio_played",
        "step_correct",
        "mode_changed",
        "step_skipped",
        "scenario_left",
        "session_ended",
    ]
    sessions = {session for _, session, _ in sink.events}
    assert len(sessions) == 1 and len(next(iter(sessions))) == 16
    started = sink.events[0][2]
    assert started == {"kiosk": "taalhuis", "language": "ar", "mode": "visitor"}
    assert sink.events[2][2] == {
        "scenario": "digid-inloggen-sms",
        "step": "start",
        "element": "geen-digid",
    }
    assert sink.events[9][2]["reason"] == "idle"
    assert recorder.session is None and recorder.runs == [] and recorder.mode == "visitor"


def test_a_finished_scenario_has_its_duration_and_counts(library):
    sink, clock = Sink(), Clock()
    recorder = SessionRecorder(sink, "k", clock)
    scenario = library.scenario("nep-sms")
    run = ScenarioRun(scenario, library.persona_for(scenario))
    recorder.started("nep-sms")  # starts the session too
    from kiosk.scenario.solve import solve

    for move in solve(scenario, run.persona):
        outcome = run.act(move.action)
        recorder.outcome(outcome)
    clock.now += 61.6
    recorder.finished(run.summary())
    kind, _, fields = sink.events[-1]
    assert kind == "scenario_finished"
    assert fields == {"scenario": "nep-sms", "seconds": 62, "wrong": 0, "hints": 0}
    assert sink.kinds()[0] == "session_started"


def test_typed_text_is_not_handed_to_the_log(run):
    sink = Sink()
    recorder = SessionRecorder(sink, "k")
    recorder.started("digid-inloggen-sms")
    run.act(Tap("digid"))
    run.act(Tap("wachtwoord"))
    recorder.outcome(run.act(Type("gebruikersnaam", "Fatima Yilmaz 123456782")))
    assert "Fatima" not in repr(sink.events) and "123456782" not in repr(sink.events)


def test_starting_another_scenario_leaves_the_current_one(run):
    sink = Sink()
    recorder = SessionRecorder(sink, "k")
    recorder.started("digid-inloggen-sms")
    recorder.started("digid-inloggen-sms")
    recorder.started("nep-sms")
    reasons = [f["reason"] for kind, _, f in sink.events if kind == "scenario_left"]
    assert reasons == ["restart", "other_scenario"]


# --- the volunteer's view ---------------------------------------------------------------------


def test_step_guide_names_the_step_the_right_action_and_the_notes(run):
    run.act(Tap("geen-digid"))
    guide = step_guide(run)
    assert guide.scenario == "Inloggen met DigiD en sms-controle"
    assert guide.position.startswith("Stap 1 van ")
    assert guide.step == "1. Tik op de knop 'Inloggen met DigiD'."
    assert guide.expected == "Tik op ‘Inloggen met DigiD’"
    assert guide.notes and guide.notes != "Geen notities bij deze stap."
    assert guide.tries == "Bij deze stap: 1 keer fout."
    assert guide.about == f"Deze oefening bootst na: {run.scenario.about}"
    assert "DUO" in guide.about  # the volunteer sees what the pages imitate


def test_step_guide_shows_the_value_to_type_from_the_card(run):
    run.act(Tap("digid"))
    run.act(Tap("wachtwoord"))
    assert (
        step_guide(run).expected == f"Typ bij ‘DigiD gebruikersnaam’: {run.persona.digid_username}"
    )


def test_session_lines_tell_where_it_went_wrong(run, library):
    recorder = SessionRecorder(Sink(), "k")
    recorder.started("digid-inloggen-sms")
    for _ in range(2):
        recorder.outcome(run.act(Tap("geen-digid")))
    recorder.outcome(run.act(Tap("digid")))
    recorder.outcome(run.skip())
    recorder.left("back", run.step_id)
    recorder.started("nep-sms")
    lines = session_lines(recorder, {s.id: s for s in library.scenarios})
    assert [line.title for line in lines] == [
        library.scenario("nep-sms").title.nl,
        library.scenario("digid-inloggen-sms").title.nl,
    ]
    assert lines[0].status == "Bezig"
    login = lines[1]
    assert login.status == "Gestopt door de bezoeker"
    assert login.done.startswith("1 van ") and login.done.endswith(", 1 overgeslagen")
    assert login.trouble == (
        "1. Tik op de knop 'Inloggen met DigiD'.: 2× fout (‘Ik heb nog geen DigiD’ 2×)",
    )


# --- the gesture --------------------------------------------------------------------------


def test_holding_the_corner_three_seconds_opens_it():
    hold = CornerHold()
    finger = object()
    assert CornerHold.in_corner(10, 470, 800, 480, 72)
    assert not CornerHold.in_corner(100, 470, 800, 480, 72)
    assert not CornerHold.in_corner(10, 300, 800, 480, 72)
    hold.down(finger, 10, 470, now=0.0)
    assert not hold.done(2.9) and hold.progress(1.5) == pytest.approx(0.5)
    assert hold.done(3.0)
    assert not hold.holding, "it fires once"


def test_a_tap_or_a_swipe_does_not_open_it():
    hold = CornerHold()
    finger = object()
    hold.down(finger, 10, 470, now=0.0)
    hold.up(finger)
    assert not hold.done(5.0)
    hold.down(finger, 10, 470, now=10.0)
    hold.move(finger, 80, 470)  # a swipe
    assert not hold.done(15.0)
    hold.down(finger, 10, 470, now=20.0)
    hold.move(object(), 300, 300)  # another finger moving elsewhere
    assert hold.done(23.0)


# --- staff settings -------------------------------------------------------------------------


def test_setting_views_cover_every_staff_setting(library, tmp_path):
    config = load_config(tmp_path / "none.toml", environ={"OEFENKIOSK_VOLUME": "40"})
    views = {v.name: v for v in setting_views(config, {s.id: s for s in library.scenarios})}
    assert set(views) == {
        "kiosk_name",
        "idle_timeout",
        "enabled_languages",
        "enabled_scenarios",
        "speech_speed",
        "volume",
        "sounds",
        "text_size",
        "retention_days",
        "resume_code_weeks",
        "xapi_enabled",
        "referral_text",
    }
    assert views["idle_timeout"].kind == "number" and views["sounds"].kind == "switch"
    assert views["referral_text"].kind == "text"
    assert views["referral_text"].description.startswith("Staat op het oefenbewijs")
    assert typed("kiosk_name", "", "x" * 100) == "x" * 60
    referral = (
        "Cursus Digisterker: dinsdag 8 december, 10:00 tot 12:00. Informatiepunt: ma-vr 13-17."
    )
    assert typed("referral_text", referral[:50], referral[50:]) == referral  # longer than a name
    assert views["speech_speed"].kind == "choice" and views["kiosk_name"].kind == "text"
    assert [c.value for c in views["enabled_languages"].choices][:2] == ["en", "ar"]
    assert len(views["enabled_scenarios"].choices) == len(library.scenarios)
    assert views["volume"].fixed and views["volume"].value == 40
    assert stepped(views["idle_timeout"], 120, -1) == 105
    assert stepped(views["idle_timeout"], 20, -1) == 15
    assert stepped(views["volume"], 95, 1) == 100


def test_staff_read_every_setting_explained_in_dutch(library, tmp_path):
    config = load_config(tmp_path / "none.toml", environ={})
    views = setting_views(config, {s.id: s for s in library.scenarios})
    english = {v.name for v in views if v.description == SPEC[v.name].description}
    assert english == set(), "each staff setting needs a Dutch text in staff_views.DESCRIPTIONS"


def test_staff_read_that_somali_is_heard_from_recordings_only(library, tmp_path):
    config = load_config(tmp_path / "none.toml", environ={})
    views = {v.name: v for v in setting_views(config, {s.id: s for s in library.scenarios})}
    assert "Somalisch: geen computerstem, alleen opnames." in views["enabled_languages"].description


def test_toggled_keeps_the_order_on_screen():
    order = ("en", "ar", "ti", "uk")
    assert toggled(("uk", "en"), "ar", order) == ("en", "ar", "uk")
    assert toggled(("en", "ar"), "en", order) == ("ar",)


def test_config_of_an_empty_path_is_the_default(tmp_path):
    assert load_config(Path(tmp_path / "x.toml"), environ={}).text_size == "normal"
