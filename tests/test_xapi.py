"""xAPI statements from the practice log, and the durable outbox (no network here).

The tests against a real LRS are in test_xapi_lrs.py.
"""

from __future__ import annotations

import json
import re
import time
import uuid

import pytest

from conftest import SHIPPED
from kiosk.config import load_config
from kiosk.network import outbox
from kiosk.network.credentials import (
    Credentials,
    CredentialsError,
    read_credentials,
    write_credentials,
)
from kiosk.network.network_stats import network_stats
from kiosk.network.sender import xapi_settings
from kiosk.network.statements import VERBS, Network, events_from_statement, seconds_of
from kiosk.progress.recorder import SessionRecorder
from kiosk.progress.store import EventLog, erase
from kiosk.scenario.engine import ScenarioRun, Tap
from kiosk.scenario.library import load_library
from kiosk.scenario.solve import solve

NETWORK = Network("https://bibliotheeknetwerk.example", "https://bibliotheeknetwerk.example/ok")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


@pytest.fixture(scope="module")
def library():
    return load_library(SHIPPED)


@pytest.fixture
def event_log(tmp_path):
    log = EventLog(tmp_path / "oefenkiosk.db")
    yield log
    log.close()


def play_session(
    log,
    library,
    scenario_id="digid-inloggen-sms",
    *,
    kiosk="Taalhuis",
    finish=True,
    content="ingebouwd",
):
    """A visitor's session through the real engine: one wrong tap, a hint, then the right path."""
    scenario = library.scenario(scenario_id)
    run = ScenarioRun(scenario, library.persona_for(scenario))
    recorder = SessionRecorder(log, kiosk)
    recorder.content = content
    recorder.begin("ar")
    recorder.started(scenario_id)
    path = solve(scenario, library.persona_for(scenario))
    first = run.step_id
    recorder.outcome(run.act(Tap("niet-bestaand-element")))
    recorder.hint(first)
    for action in path if finish else path[:2]:
        outcome = run.act(action.action)
        recorder.outcome(outcome)
        if outcome.finished:
            recorder.finished(run.summary())
    recorder.end("idle", run.step_id)
    return scenario, first


def statements_in(log) -> list[dict]:
    db = log.reader()
    rows = db.execute("SELECT statement FROM xapi_outbox ORDER BY minute, rowid").fetchall()
    db.close()
    return [json.loads(row[0]) for row in rows]


def test_a_session_becomes_statements_with_adl_verbs_and_an_anonymous_actor(event_log, library):
    scenario, first = play_session(event_log, library)
    added = event_log.run_locked(lambda db: outbox.collect(db, NETWORK))
    statements = statements_in(event_log)
    assert added == len(statements) > 4
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    steps_answered = verbs.count("answered")
    assert verbs == ["launched", "attempted", *["answered"] * steps_answered, "completed", "exited"]
    assert steps_answered == len(solve(scenario, library.persona_for(scenario)))
    session = statements[0]["actor"]["account"]["name"]
    for statement in statements:
        assert uuid.UUID(statement["id"]).version == 5
        assert statement["version"] == "1.0.3"
        assert statement["verb"]["id"] in VERBS.values()
        assert statement["actor"] == {
            "objectType": "Agent",
            "account": {"homePage": NETWORK.home_page, "name": session},
        }
        assert statement["context"]["language"] == "ar"
        assert statement["context"]["registration"] == statements[0]["context"]["registration"]
        assert ISO.match(statement["timestamp"])
        assert statement["object"]["id"].startswith(NETWORK.activity_base)
    assert len({s["id"] for s in statements}) == len(statements)
    first_answer = statements[2]
    assert first_answer["object"]["id"] == (
        f"{NETWORK.activity_base}/scenarios/{scenario.id}/steps/{first}"
    )
    result = first_answer["result"]["extensions"]
    assert result[NETWORK.extension("wrong-tries")] == 1
    assert result[NETWORK.extension("hints")] == 1
    assert result[NETWORK.extension("wrong-elements")] == {"niet-bestaand-element": 1}
    completed = statements[-2]
    assert completed["result"]["completion"] is True
    assert re.fullmatch(r"PT\d+S", completed["result"]["duration"])


def test_a_skipped_step_and_a_visitor_who_walks_away(event_log, library):
    scenario = library.scenario("nep-sms")
    run = ScenarioRun(scenario, library.persona_for(scenario))
    recorder = SessionRecorder(event_log, "Taalhuis")
    recorder.begin("nl")
    recorder.started(scenario.id)
    recorder.set_mode("volunteer")
    recorder.outcome(run.skip())
    recorder.outcome(run.act(Tap("iets-fout")))
    recorder.end("idle", run.step_id)
    event_log.run_locked(lambda db: outbox.collect(db, NETWORK))
    statements = statements_in(event_log)
    verbs = [s["verb"]["display"]["en-US"] for s in statements]
    assert verbs == ["launched", "attempted", "waived", "terminated", "exited"]
    assert statements[2]["context"]["extensions"][NETWORK.extension("mode")] == "volunteer"
    left = statements[3]["result"]
    assert left["completion"] is False
    assert left["extensions"][NETWORK.extension("reason")] == "idle"
    assert left["extensions"][NETWORK.extension("wrong-elements")] == {"iets-fout": 1}


def test_show_me_and_hints_are_counted_apart_on_the_step_answered(event_log, library):
    scenario = library.scenario("nep-sms")
    run = ScenarioRun(scenario, library.persona_for(scenario))
    recorder = SessionRecorder(event_log, "Taalhuis")
    recorder.begin("so")
    recorder.started(scenario.id)
    first = run.step_id
    recorder.hint(first)
    recorder.hint(first, show_me=True)
    recorder.hint(first, show_me=True)
    recorder.outcome(run.act(solve(scenario, library.persona_for(scenario))[0].action))
    recorder.end("idle", run.step_id)
    event_log.run_locked(lambda db: outbox.collect(db, NETWORK))
    answered = [s for s in statements_in(event_log) if s["verb"]["id"] == VERBS["answered"]]
    assert answered[0]["object"]["id"].endswith(f"/steps/{first}")
    result = answered[0]["result"]["extensions"]
    assert result[NETWORK.extension("hints")] == 1
    assert result[NETWORK.extension("show-me")] == 2
    assert answered[0]["context"]["language"] == "so"


def test_an_open_session_waits_until_it_ends_or_is_long_quiet(event_log, library):
    recorder = SessionRecorder(event_log, "Taalhuis")
    recorder.begin("nl")
    recorder.started("nep-sms")
    assert event_log.run_locked(lambda db: outbox.collect(db, NETWORK)) == 0
    later = time.time() + outbox.STALE_SECONDS + 120  # the kiosk lost power mid-session
    assert event_log.run_locked(lambda db: outbox.collect(db, NETWORK, now=later)) == 2


def test_collecting_twice_adds_nothing_and_ids_are_stable(event_log, library):
    play_session(event_log, library)
    first = event_log.run_locked(lambda db: outbox.collect(db, NETWORK))
    assert event_log.run_locked(lambda db: outbox.collect(db, NETWORK)) == 0
    ids = [s["id"] for s in statements_in(event_log)]
    assert len(ids) == first
    # built again from the same events, the statements have the same ids
    event_log.run_locked(lambda db: db.execute("DELETE FROM xapi_sessions"))
    event_log.run_locked(lambda db: db.execute("DELETE FROM xapi_state"))
    event_log.run_locked(lambda db: outbox.collect(db, NETWORK))
    assert [s["id"] for s in statements_in(event_log)] == ids


def test_a_backlog_is_collected_a_session_at_a_time_oldest_first(event_log, library):
    for index in range(5):
        play_session(event_log, library, ("nep-sms", "digid-inloggen-sms")[index % 2])
    played = [
        row[0]
        for row in event_log.run_locked(
            lambda db: db.execute("SELECT session FROM events GROUP BY session ORDER BY min(seq)")
        )
    ]
    collected: list[str] = []
    steps: list[outbox.Collected] = []
    while not steps or steps[-1].more:
        steps.append(event_log.run_locked(lambda db: outbox.collect_some(db, NETWORK, 1)))
        rows = event_log.run_locked(
            lambda db: db.execute("SELECT session FROM xapi_sessions ORDER BY rowid").fetchall()
        )
        collected = [row[0] for row in rows]
        assert len(collected) == len(steps), "one session each time"
    assert collected == played, "oldest first"
    assert [step.more for step in steps] == [True] * 4 + [False]
    assert sum(step.statements for step in steps) == len(statements_in(event_log))
    assert event_log.run_locked(lambda db: outbox.collect(db, NETWORK)) == 0


def test_only_new_events_are_scanned_and_an_erased_log_starts_again(event_log, library):
    play_session(event_log, library)
    event_log.run_locked(lambda db: outbox.collect(db, NETWORK))
    play_session(event_log, library, "nep-sms")
    assert event_log.run_locked(lambda db: outbox.collect(db, NETWORK)) > 0
    event_log.run_locked(erase)
    assert statements_in(event_log) == []
    play_session(event_log, library, "nep-sms")
    assert event_log.run_locked(lambda db: outbox.collect(db, NETWORK)) > 0


def test_sent_statements_leave_the_waiting_list_and_are_pruned_after_retention(event_log, library):
    play_session(event_log, library)
    event_log.run_locked(lambda db: outbox.collect(db, NETWORK))
    batch = event_log.run_locked(lambda db: outbox.waiting(db, 3))
    assert len(batch) == 3
    event_log.run_locked(lambda db: outbox.mark_sent(db, [item.id for item in batch]))
    state = event_log.run_locked(outbox.state)
    assert state.sent_total == 3 and state.waiting == len(statements_in(event_log)) - 3
    assert state.last_success and state.last_error == ""
    assert {w.id for w in event_log.run_locked(outbox.waiting)}.isdisjoint(b.id for b in batch)
    event_log.run_locked(lambda db: outbox.note_error(db, "Het LRS is niet bereikbaar."))
    assert event_log.run_locked(outbox.state).last_error == "Het LRS is niet bereikbaar."
    later = time.time() + 91 * 86400
    assert event_log.run_locked(lambda db: outbox.prune(db, 90, now=later)) == 3
    state = event_log.run_locked(outbox.state)
    assert state.sent_total == 3, "the total counts pruned statements too"
    assert state.waiting == len(statements_in(event_log)), "waiting statements are never pruned"


def test_statements_read_back_give_the_same_statistics_as_the_kiosk(event_log, library):
    from kiosk.progress.stats import all_periods

    for _ in range(6):
        play_session(event_log, library)
    play_session(event_log, library, "nep-sms", finish=False)
    event_log.run_locked(lambda db: outbox.collect(db, NETWORK))
    local = event_log.run_locked(all_periods)
    network = network_stats(statements_in(event_log), NETWORK)
    assert network.per_kiosk.keys() == {"taalhuis"}
    for mine, theirs in zip(local, network.everywhere, strict=True):
        assert mine.scenarios == theirs.scenarios
    assert network.everywhere[0].of("digid-inloggen-sms").started == 6


def test_a_statement_of_another_application_is_not_counted():
    foreign = {
        "verb": {"id": VERBS["attempted"]},
        "object": {"id": "https://elders.example/cursus"},
        "timestamp": "2026-11-30T10:00:00+00:00",
    }
    assert network_stats([foreign], NETWORK).statements == 0
    assert [e["kind"] for e in events_from_statement(foreign, NETWORK)] == ["scenario_started"]


def test_durations_written_by_other_systems_are_read():
    assert seconds_of("PT95S") == 95
    assert seconds_of("PT1M35S") == 95
    assert seconds_of("PT1H0M1.4S") == 3601


def test_credentials_are_kept_for_the_owner_only(tmp_path):
    path = tmp_path / "lrs-inlog.toml"
    with pytest.raises(CredentialsError, match="oefenkiosk xapi credentials"):
        read_credentials(path)
    write_credentials(path, Credentials("kiosk-7", "geheim wachtwoord"))
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_credentials(path) == Credentials("kiosk-7", "geheim wachtwoord")
    assert "geheim" not in repr(read_credentials(path))
    path.chmod(0o644)
    with pytest.raises(CredentialsError, match="chmod 600"):
        read_credentials(path)
    path.chmod(0o600)
    path.write_text("username = \n")
    with pytest.raises(CredentialsError, match="beschadigd"):
        read_credentials(path)


def test_settings_give_the_network_sensible_defaults(tmp_path):
    config = load_config(
        tmp_path / "none.toml",
        environ={"OEFENKIOSK_LRS_URL": "https://lrs.netwerk.example/xAPI/"},
    )
    settings = xapi_settings(config, tmp_path)
    assert settings.enabled is False
    assert settings.network.home_page == "https://lrs.netwerk.example"
    assert settings.network.activity_base == "https://lrs.netwerk.example/oefenkiosk"
    assert settings.credentials_path == tmp_path / "lrs-inlog.toml"


def test_staff_see_the_network_in_plain_dutch():
    from kiosk.ui.staff_views import network_lines

    assert network_lines(False, "", None) == (
        "Versturen naar het netwerk: uit (geen LRS ingesteld).",
    )
    state = outbox.OutboxState(
        waiting=12, sent_total=40, last_success="2026-11-30T14:05", last_error="Het LRS is weg."
    )
    assert network_lines(True, "https://lrs.example/xAPI/", state) == (
        "Versturen naar het netwerk: aan (https://lrs.example/xAPI/)",
        "Wachtend om te versturen: 12",
        "Laatst gelukt: 30-11-2026 14:05",
        "Laatste probleem: Het LRS is weg.",
    )
    never = outbox.OutboxState(waiting=3, sent_total=0, last_success="", last_error="")
    assert "Laatst gelukt: nog nooit" in network_lines(True, "https://lrs.example/", never)
    assert "onbekend" in network_lines(True, "https://lrs.example/", None)[1]
