"""Sessions delivered to a real Learning Record Store (Ralph on 127.0.0.1), exactly once.

Ralph checks every statement against its xAPI 1.0.3 models when it stores
it; the statements are also checked with Ralph's own validator command.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import threading
import time
from collections import Counter
from dataclasses import replace
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from conftest import SHIPPED
from kiosk.config import load_config
from kiosk.network import outbox
from kiosk.network import sender as sender_module
from kiosk.network.commands import network_stats_command
from kiosk.network.credentials import Credentials, write_credentials
from kiosk.network.lrs import BAD_LOGIN, RETRY_LATER, Lrs, LrsError
from kiosk.network.sender import ONE_SESSION_PER_HOLD, Sender, send_round, xapi_settings
from kiosk.progress.store import EventLog
from kiosk.scenario.library import load_library
from lrs_server import LRS_BIN, PASSWORD, USER, Ralph
from test_privacy import play_noisy_session
from test_xapi import play_session

XAPI = {"X-Experience-API-Version": "1.0.3"}


@pytest.fixture(scope="module")
def library():
    return load_library(SHIPPED)


@pytest.fixture
def ralph(tmp_path):
    server = Ralph(tmp_path / "lrs")
    server.start()
    yield server
    server.stop()


def kiosk(tmp_path, ralph, name="Taalhuis Oost", password=PASSWORD):
    """A kiosk's settings, log and credentials, pointed at the LRS."""
    data = tmp_path / name.replace(" ", "-")
    config = load_config(
        tmp_path / "geen.toml",
        environ={
            "OEFENKIOSK_DATA_DIR": str(data),
            "OEFENKIOSK_KIOSK_NAME": name,
            "OEFENKIOSK_XAPI_ENABLED": "true",
            "OEFENKIOSK_LRS_URL": ralph.url,
            "OEFENKIOSK_XAPI_HOME_PAGE": "https://netwerk.example",
        },
    )
    settings = xapi_settings(config, data)
    write_credentials(settings.credentials_path, Credentials(USER, password))
    return config, settings, EventLog(data / "oefenkiosk.db")


_VALIDATE = """
import json, sys
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement
for line in sys.stdin:
    try:
        BaseXapiStatement(**json.loads(line))
    except ValidationError as error:
        print(error)
"""


def validate_with_ralph(statements: list[dict]) -> str:
    """Ralph's xAPI 1.0.3 statement model (no unknown fields allowed): '' or the errors."""
    check = subprocess.run(
        [str(LRS_BIN / "python"), "-c", _VALIDATE],
        input="\n".join(json.dumps(s) for s in statements),
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return check.stdout


def outbox_ids(log) -> list[str]:
    return [row[0] for row in log.reader().execute("SELECT id FROM xapi_outbox")]


def test_every_statement_arrives_exactly_once_and_passes_ralphs_validator(tmp_path, ralph, library):
    _, settings, log = kiosk(tmp_path, ralph)
    for scenario in ("digid-inloggen-sms", "nep-sms", "berichtenbox-brief"):
        play_session(log, library, scenario)
    first = send_round(log, settings)
    assert first.sent == first.collected > 20
    assert send_round(log, settings).sent == 0, "nothing is sent twice"

    # the acknowledgement got lost (power cut right after the LRS stored the batch):
    # the kiosk sends everything again, and the LRS still counts each statement once
    log.run_locked(lambda db: db.execute("UPDATE xapi_outbox SET sent = NULL"))
    assert send_round(log, settings).sent == first.sent
    stored = ralph.statements()
    assert Counter(s["id"] for s in stored) == Counter(outbox_ids(log))
    assert set(Counter(s["id"] for s in stored).values()) == {1}

    assert validate_with_ralph(stored) == ""
    broken = {k: v for k, v in stored[0].items() if k != "verb"}
    assert "verb" in validate_with_ralph([broken]), "the validator can fail"
    log.close()


def test_an_lrs_killed_in_the_middle_of_a_batch_loses_nothing(tmp_path, ralph, library):
    _, settings, log = kiosk(tmp_path, ralph)
    for index in range(40):
        play_session(log, library, ("digid-inloggen-sms", "nep-sms")[index % 2])
    log.run_locked(lambda db: outbox.collect(db, settings.network))
    total = len(outbox_ids(log))
    assert total > 4 * outbox.BATCH

    errors: list[Exception] = []

    def send() -> None:
        try:
            send_round(log, settings)
        except LrsError as error:
            errors.append(error)

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 30
    while log.run_locked(outbox.state).sent_total == 0 and time.monotonic() < deadline:
        time.sleep(0.005)  # the first batch is in; the next ones are on their way
    ralph.kill()
    sender.join(60)
    state = log.run_locked(outbox.state)
    assert errors and errors[0].kind == RETRY_LATER, "the kill came before the last batch"
    assert 0 < state.waiting < total and "niet bereikbaar" in errors[0].text

    ralph.start()
    send_round(log, settings)
    assert log.run_locked(outbox.state).waiting == 0
    stored = Counter(s["id"] for s in ralph.statements())
    assert stored == Counter(outbox_ids(log)), "every statement once, none lost"
    log.close()


def test_a_restarted_kiosk_sends_what_waited(tmp_path, ralph, library):
    _config, settings, log = kiosk(tmp_path, ralph)
    play_session(log, library)
    log.run_locked(lambda db: outbox.collect(db, settings.network))
    waiting = len(outbox_ids(log))
    log.close()
    ralph.stop()

    _, _, log = kiosk(tmp_path, ralph)  # the kiosk starts again, the LRS is still down
    with pytest.raises(LrsError):
        send_round(log, settings)
    ralph.start()
    assert send_round(log, settings).sent == waiting
    assert len(ralph.statements()) == waiting
    log.close()


def _state_after_the_first_problem(log, sender) -> outbox.OutboxState:
    """Run the sender until it notes a problem for staff (at most 30 s), then stop it."""
    sender.start()
    sender.wake()
    deadline = time.monotonic() + 30
    while not log.run_locked(outbox.state).last_error and time.monotonic() < deadline:
        time.sleep(0.05)
    sender.stop()
    return log.run_locked(outbox.state)


def test_wrong_credentials_give_staff_a_clear_message(tmp_path, ralph, library):
    _, settings, log = kiosk(tmp_path, ralph, password="verkeerd")
    play_session(log, library)
    sender = Sender(log, settings)
    state = _state_after_the_first_problem(log, sender)
    assert "weigert de inloggegevens" in state.last_error
    assert "oefenkiosk xapi credentials" in state.last_error
    assert state.waiting > 0 and state.sent_total == 0
    with pytest.raises(LrsError) as refused:
        send_round(log, settings)
    assert refused.value.kind == BAD_LOGIN
    assert ralph.statements() == []
    log.close()


def test_nothing_a_visitor_typed_reaches_the_lrs(tmp_path, ralph, library):
    _, settings, log = kiosk(tmp_path, ralph)
    typed = play_noisy_session(log, library, random.Random(18))
    assert send_round(log, settings).sent > 50
    data = ralph.stored_content()
    assert b"digid-inloggen-sms" in data, "the search looks where the statements are"
    searched = [t for t in typed if len(t) >= 4]
    assert len(searched) > 30
    found = [t for t in searched if t.encode() in data or t.lower().encode() in data]
    assert found == []
    log.close()


def test_network_stats_reads_every_kiosk_back_from_the_lrs(tmp_path, ralph, library):
    for name, sessions in (("Bibliotheek Noord", 6), ("Taalhuis Zuid", 2)):
        _, settings, log = kiosk(tmp_path, ralph, name)
        for _ in range(sessions):
            play_session(log, library, kiosk=name)
        send_round(log, settings)
        log.close()
    config, _, _ = kiosk(tmp_path, ralph, "Bibliotheek Noord")
    out = io.StringIO()
    assert network_stats_command(config, ralph.url, None, out) == 0
    text = out.getvalue()
    assert "Alle kiosken samen" in text
    assert "Kiosk bibliotheek-noord" in text and "Kiosk taalhuis-zuid" in text
    everywhere, noord, zuid = text.split("Alle kiosken samen")[1].split("\nKiosk ")
    title = library.scenario("digid-inloggen-sms").title.nl
    row = next(line for line in everywhere.splitlines() if title in line)
    assert " 8 " in row
    assert "< 5" in next(line for line in zuid.splitlines() if title in line)
    assert " 6 " in next(line for line in noord.splitlines() if title in line)


def test_network_stats_splits_an_exercise_played_in_two_content_versions(tmp_path, ralph, library):
    for name, content, sessions in (
        ("Bibliotheek Noord", "ingebouwd", 6),
        ("Taalhuis Zuid", "basis-2026.2", 3),
    ):
        _, settings, log = kiosk(tmp_path, ralph, name)
        for _ in range(sessions):
            play_session(log, library, kiosk=name, content=content)
        send_round(log, settings)
        log.close()
    config, _, _ = kiosk(tmp_path, ralph, "Bibliotheek Noord")
    out = io.StringIO()
    assert network_stats_command(config, ralph.url, None, out) == 0
    everywhere, noord, zuid = out.getvalue().split("Alle kiosken samen")[1].split("\nKiosk ")
    title = library.scenario("digid-inloggen-sms").title.nl

    def week_rows(section: str) -> list[list[str]]:
        week = section.split("Last 30 days")[0]
        return [line.split("  ") for line in week.splitlines() if title in line]

    rows = week_rows(everywhere)
    assert [r[1].strip() for r in rows] == [
        f"{title}, ingebouwde versie",
        f"{title}, versie 2026.2 (pakket basis)",
    ]
    assert " 6 " in "  ".join(rows[0]) and "< 5" in "  ".join(rows[1])
    assert "100%" in "  ".join(rows[0]) and "%" not in "  ".join(rows[1])  # rate hidden below 5
    # each kiosk played one version: one row, as before
    assert [r[1].strip() for r in week_rows(noord)] == [title]
    assert [r[1].strip() for r in week_rows(zuid)] == [title]
    assert "< 5" in "  ".join(week_rows(zuid)[0])


class _Failing(BaseHTTPRequestHandler):
    """An LRS with a fault: every request gets 503."""

    def do_POST(self):
        self.send_response(503)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_an_lrs_that_answers_5xx_or_is_offline_keeps_everything_waiting(tmp_path, ralph, library):
    _config, settings, log = kiosk(tmp_path, ralph)
    play_session(log, library)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    failing = replace(settings, lrs_url=f"http://127.0.0.1:{server.server_port}/xAPI/")
    with pytest.raises(LrsError, match="storing \\(foutcode 503\\)") as fault:
        send_round(log, failing)
    assert fault.value.kind == RETRY_LATER
    server.shutdown()
    server.server_close()  # the port is closed: as an LRS that is switched off
    with pytest.raises(LrsError, match="niet bereikbaar"):
        send_round(log, failing)
    assert log.run_locked(outbox.state).sent_total == 0
    assert send_round(log, settings).sent == log.run_locked(outbox.state).sent_total > 0
    log.close()


def test_the_terminal_commands_send_and_report(tmp_path, ralph, library, capsys, monkeypatch):
    from kiosk.cli import main

    data = tmp_path / "kiosk"
    settings_file = tmp_path / "config.toml"
    settings_file.write_text(f'data_dir = "{data}"\nlrs_url = "{ralph.url}"\nxapi_enabled = true\n')
    assert main(["xapi", "send", "--config", str(settings_file)]) == 1
    assert "oefenkiosk xapi credentials" in capsys.readouterr().err
    log = EventLog(data / "oefenkiosk.db")
    play_session(log, library)
    log.close()
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{USER}\n{PASSWORD}\n"))
    assert main(["xapi", "credentials", "--config", str(settings_file)]) == 0
    assert (data / "lrs-inlog.toml").stat().st_mode & 0o777 == 0o600
    assert main(["xapi", "send", "--config", str(settings_file)]) == 0
    sent = len(ralph.statements())
    assert sent > 5 and f"{sent} verstuurd" in capsys.readouterr().out
    assert main(["xapi", "status", "--config", str(settings_file)]) == 0
    out = capsys.readouterr().out
    assert "Versturen naar het netwerk: aan" in out
    assert "Wachtend om te versturen: 0" in out and "Laatste probleem: geen" in out


def test_a_conflict_409_counts_as_delivered_and_is_never_sent_again(tmp_path, ralph, library):
    _, settings, log = kiosk(tmp_path, ralph)
    play_session(log, library)
    log.run_locked(lambda db: outbox.collect(db, settings.network))
    (taken,) = log.run_locked(lambda db: outbox.waiting(db, 1))
    # the LRS already holds a different statement under this id (sent before, in another form)
    other = json.loads(taken.statement)
    other["verb"]["display"] = {"nl-NL": "een eerdere vorm"}
    answer = requests.post(
        ralph.url + "statements", json=other, auth=(USER, PASSWORD), headers=XAPI, timeout=30
    )
    assert answer.status_code == 200
    answer = requests.put(
        ralph.url + "statements",
        params={"statementId": taken.id},
        data=taken.statement,
        auth=(USER, PASSWORD),
        headers={**XAPI, "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 409, "the real LRS answers 409 Conflict for this id"

    result = send_round(log, settings)
    state = log.run_locked(outbox.state)
    assert result.refused == 0 and state.last_error == ""
    assert state.waiting == 0 and result.sent == len(outbox_ids(log))
    assert send_round(log, settings).sent == 0, "never sent again"
    stored = Counter(s["id"] for s in ralph.statements())
    assert stored == Counter(outbox_ids(log)), "every statement once, the conflict too"
    log.close()


class _SlowProxy:
    """In front of the real LRS: passes every request on, then answers after `delay` s."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.delay = 0.0
        self.requests: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self._pass_on("POST")

            def do_PUT(self):
                self._pass_on("PUT")

            def _pass_on(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                proxy.requests.append(method)
                answer = requests.request(
                    method,
                    proxy.target + self.path.removeprefix("/xAPI"),
                    data=body,
                    headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
                    timeout=30,
                )
                time.sleep(proxy.delay)
                try:
                    self.send_response(answer.status_code)
                    self.send_header("Content-Length", str(len(answer.content)))
                    self.end_headers()
                    self.wfile.write(answer.content)
                except OSError:
                    pass  # the kiosk stopped waiting

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/xAPI/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_slow_lrs_loses_nothing_sends_nothing_twice_and_staff_read_plain_dutch(
    tmp_path, ralph, library, monkeypatch
):
    _, settings, log = kiosk(tmp_path, ralph)
    for scenario in ("digid-inloggen-sms", "nep-sms"):
        play_session(log, library, scenario)
    proxy = _SlowProxy(ralph.url)
    proxy.delay = 2.0  # the LRS stores the batch, but its answer comes after the timeout
    monkeypatch.setattr(sender_module, "Lrs", partial(Lrs, timeout=(5, 0.5)))
    slow = replace(settings, lrs_url=proxy.url)
    sender = Sender(log, slow)
    state = _state_after_the_first_problem(log, sender)
    assert state.last_error == (
        "Het LRS antwoordt niet op tijd. De kiosk probeert het later opnieuw; "
        "er gaat niets verloren."
    )
    assert state.waiting == len(outbox_ids(log)) > 0 and state.sent_total == 0
    assert set(proxy.requests) == {"POST"} and len(ralph.statements()) > 0, "the LRS got them"

    proxy.delay = 0.0  # the network is quick again: the kiosk sends the same batch once more
    assert send_round(log, slow).sent == state.waiting
    assert log.run_locked(outbox.state).last_error == ""
    stored = Counter(s["id"] for s in ralph.statements())
    assert stored == Counter(outbox_ids(log)), "nothing lost, nothing twice"
    proxy.close()
    log.close()


def test_the_kiosk_works_off_a_backlog_one_session_per_hold_of_the_log(tmp_path, ralph, library):
    """The log's writer writes the visitor's events between two sessions of a backlog."""
    _, settings, log = kiosk(tmp_path, ralph)
    sessions = 10
    for index in range(sessions):
        play_session(log, library, ("digid-inloggen-sms", "nep-sms")[index % 2])
    collected_per_hold: list[int] = []
    run_locked = log.run_locked

    def counting(work):
        def counted(db):
            before = db.execute("SELECT count(*) FROM xapi_sessions").fetchone()[0]
            result = work(db)
            after = db.execute("SELECT count(*) FROM xapi_sessions").fetchone()[0]
            collected_per_hold.append(after - before)
            return result

        return run_locked(counted)

    log.run_locked = counting
    assert Sender(log, settings)._round() == sender_module.INTERVAL  # one round, as the kiosk's
    sent = len(ralph.statements())
    assert sent > outbox.BATCH and sum(collected_per_hold) == sessions
    assert max(collected_per_hold) == ONE_SESSION_PER_HOLD == 1, "one session per hold"
    log.close()
