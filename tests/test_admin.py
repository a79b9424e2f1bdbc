"""Staff tools without a screen: settings saved by staff, export, and the CLI commands."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.admin import control
from kiosk.admin.export import export, export_targets
from kiosk.admin.pins import PinFile
from kiosk.admin.report import version_label
from kiosk.admin.settings import SettingError, save_staff_settings, staff_file
from kiosk.cli import main
from kiosk.config import load_config
from kiosk.progress.store import LOG_FILE, EventLog

NOW = dt.datetime(2026, 11, 20, 15, 30).timestamp()


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def config_file(tmp_path, data) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'data_dir = "{data}"\nkiosk_name = "Taalhuis Oefendorp"\n')
    return path


def fill_log(
    data: Path, runs: int = 6, finished: int = 5, when: float = NOW, content: str | None = None
) -> None:
    log = EventLog(data / LOG_FILE, clock=lambda: when)
    for index in range(runs):
        session = f"sessie{content or ''}-{index}"
        log.log("session_started", session, kiosk="taalhuis", language="ar", mode="visitor")
        log.log(
            "scenario_started",
            session,
            scenario="digid-inloggen-sms",
            language="ar",
            content=content,
        )
        log.log(
            "wrong_action",
            session,
            scenario="digid-inloggen-sms",
            step="login-wachtwoord",
            element="vergeten",
        )
        if index < finished:
            log.log(
                "scenario_finished",
                session,
                scenario="digid-inloggen-sms",
                seconds=120 + index * 10,
                wrong=1,
                hints=0,
            )
    log.log("scenario_started", "x", scenario="nep-sms", language="nl")
    assert log.flush()
    log.close()


# --- settings saved by staff ---------------------------------------------------------------


def test_staff_settings_go_to_the_data_folder_and_win_over_the_config_file(config_file, data):
    config = load_config(config_file, environ={})
    saved = save_staff_settings(config, {"idle_timeout": 90, "enabled_languages": ("ar", "uk")})
    assert saved.idle_timeout == 90 and saved.enabled_languages == ("ar", "uk")
    assert staff_file(config) == data / "settings.toml"
    assert "idle_timeout = 90" in (data / "settings.toml").read_text()
    assert "idle_timeout" not in config_file.read_text(), "the main file is never rewritten"
    assert load_config(config_file, environ={}).idle_timeout == 90


def test_a_staff_choice_is_kept_also_when_it_is_the_default(config_file, data):
    config_file.write_text(config_file.read_text() + "volume = 50\n")
    config = load_config(config_file, environ={})
    config = save_staff_settings(config, {"volume": 80})
    assert config.volume == 80
    assert load_config(config_file, environ={}).volume == 80, "the same after a restart"


def test_a_bad_value_is_refused_with_the_settings_name(config_file):
    config = load_config(config_file, environ={})
    with pytest.raises(SettingError, match=r"Wachttijd.*at least 15"):
        save_staff_settings(config, {"idle_timeout": 3})
    with pytest.raises(SettingError, match="not a setting staff can change"):
        save_staff_settings(config, {"data_dir": "/tmp"})


def test_the_environment_still_wins_and_is_marked(config_file):
    environ = {"OEFENKIOSK_VOLUME": "55"}
    config = load_config(config_file, environ=environ)
    assert "volume" in config.from_environment
    assert save_staff_settings(config, {"volume": 20}).volume == 55
    assert load_config(config_file, environ=environ).volume == 55


def test_a_broken_staff_file_is_reported_and_the_kiosk_starts(config_file, data):
    data.mkdir()
    (data / "settings.toml").write_text("idle_timeout = = 5")
    config = load_config(config_file, environ={})
    assert config.idle_timeout == 120 and any("cannot read" in p for p in config.problems)


# --- export --------------------------------------------------------------------------------


def test_export_writes_statistics_as_csv_and_json_with_small_counts_hidden(data, tmp_path):
    fill_log(data)
    from sqlite_utils import Database

    result = export(Database(data / LOG_FILE), tmp_path / "usb", "Taalhuis Oefendorp", now=NOW)
    assert result.folder.name == "oefenkiosk-Taalhuis-Oefendorp-20261120-1530"
    assert sorted(f.name for f in result.files) == ["statistiek.csv", "statistiek.json"]
    rows = list(csv.DictReader((result.folder / "statistiek.csv").open()))
    week = next(
        r for r in rows if r["period_days"] == "7" and r["scenario"] == "digid-inloggen-sms"
    )
    assert (week["started"], week["finished"], week["finish_rate_percent"]) == ("6", "5", "83")
    assert week["median_seconds"] == "140"
    small = next(r for r in rows if r["scenario"] == "nep-sms")
    assert small["started"] == "< 5" and small["finish_rate_percent"] == ""
    document = json.loads((result.folder / "statistiek.json").read_text())
    assert document["kiosk"] == "Taalhuis Oefendorp" and len(document["statistics"]) == len(rows)
    assert {r["period_days"] for r in rows} == {"7", "30", "all"}


def test_export_has_a_row_per_content_version_of_an_exercise_played_in_two(data, tmp_path):
    fill_log(data, content="ingebouwd")
    fill_log(data, runs=2, finished=2, content="basis-2026.2")
    from sqlite_utils import Database

    result = export(Database(data / LOG_FILE), tmp_path / "usb", "Taalhuis Oefendorp", now=NOW)
    rows = list(csv.DictReader((result.folder / "statistiek.csv").open()))
    week = [r for r in rows if r["period_days"] == "7"]
    digid = [r for r in week if r["scenario"] == "digid-inloggen-sms"]
    assert [(r["content_version"], r["started"], r["finished"]) for r in digid] == [
        ("ingebouwd", "6", "5"),
        ("basis-2026.2", "< 5", "< 5"),
    ]
    assert digid[1]["median_seconds"] == "" and digid[1]["finish_rate_percent"] == ""
    assert [r["content_version"] for r in week if r["scenario"] == "nep-sms"] == ["ingebouwd"]
    document = json.loads((result.folder / "statistiek.json").read_text())
    assert [r["content_version"] for r in document["statistics"][:2]] == [
        "ingebouwd",
        "basis-2026.2",
    ]


def test_export_with_raw_events(data, tmp_path):
    fill_log(data)
    from sqlite_utils import Database

    result = export(Database(data / LOG_FILE), tmp_path, "k", raw=True, now=NOW)
    events = list(csv.DictReader((result.folder / "gebeurtenissen.csv").open()))
    assert len(events) == result.events == 6 * 3 + 5 + 1
    assert events[0]["kind"] == "session_started" and events[0]["minute"] == "2026-11-20T15:30"
    assert (
        json.loads((result.folder / "gebeurtenissen.json").read_text())["events"][2]["element"]
        == "vergeten"
    )


def test_export_targets_end_with_the_kiosk_folder(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    targets = export_targets(home=home, extra=(tmp_path / "data" / "export",))
    assert targets[-2:] == (home, tmp_path / "data" / "export")


# --- the CLI ---------------------------------------------------------------------------------


def run_cli(
    args: list[str], config_file: Path, capsys, stdin: str | None = None, monkeypatch=None
) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main([*args, "--config", str(config_file)])
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_command(config_file, data, capsys):
    code, out, _ = run_cli(["stats"], config_file, capsys)
    assert code == 0 and "No practice log yet" in out
    fill_log(data, when=time.time())
    code, out, _ = run_cli(["stats"], config_file, capsys)
    assert code == 0
    assert "Last 7 days" in out and "Last 30 days" in out
    assert "Inloggen met DigiD en sms-controle" in out
    line = next(x for x in out.splitlines() if "Inloggen met DigiD en sms-controle" in x)
    assert line.split()[-4:] == ["6", "5", "83%", "2:20"]
    assert "< 5" in next(x for x in out.splitlines() if "nep-sms" in x)
    assert "wrong most often at: 4. Typ uw wachtwoord. Het staat op uw oefenkaart. (6×)" in out
    assert "most-chosen wrong element: ‘Wachtwoord vergeten?’ bij stap 4 (6×)" in out


def test_stats_command_shows_each_content_version_of_an_exercise_played_in_two(
    config_file, data, capsys
):
    fill_log(data, when=time.time(), content="ingebouwd")
    fill_log(data, runs=2, finished=2, when=time.time(), content="basis-2026.2")
    code, out, _ = run_cli(["stats"], config_file, capsys)
    assert code == 0
    week = out.split("Last 30 days")[0]
    title = "Inloggen met DigiD en sms-controle"
    lines = [x for x in week.splitlines() if title in x]
    assert [x.split("  ")[1].strip() for x in lines] == [
        f"{title}, ingebouwde versie",
        f"{title}, versie 2026.2 (pakket basis)",
    ]
    assert lines[0].split()[-4:] == ["6", "5", "83%", "2:20"]
    assert lines[1].split()[-6:] == ["<", "5", "<", "5", "–", "–"]
    (small,) = [x for x in week.splitlines() if "nep-sms" in x]
    assert "versie" not in small and "ingebouwd" not in small


def test_content_versions_have_names_staff_understand():
    assert [
        version_label(content)
        for content in ("ingebouwd", "basis-2026.2", "regio-noord-2027.1", "onbekend")
    ] == [
        "ingebouwde versie",
        "versie 2026.2 (pakket basis)",
        "versie 2027.1 (pakket regio-noord)",
        "versie onbekend",
    ]


def test_export_command(config_file, data, tmp_path, capsys):
    fill_log(data, when=time.time())
    code, out, _ = run_cli(["export", str(tmp_path / "stick"), "--raw"], config_file, capsys)
    assert code == 0 and "Written to" in out and "gebeurtenissen.csv" in out
    code, _, err = run_cli(["export", "/proc/nope"], config_file, capsys)
    assert code == 1 and "cannot write there" in err


def test_set_pin_command_reads_the_pin_from_stdin(config_file, data, capsys, monkeypatch):
    code, out, _ = run_cli(["set-pin", "staff"], config_file, capsys, "482913\n", monkeypatch)
    assert code == 0 and "staff PIN is set" in out
    assert PinFile.in_folder(data).role_of("482913") == "staff"
    code, _, err = run_cli(["set-pin", "volunteer"], config_file, capsys, "12\n", monkeypatch)
    assert code == 1 and "minstens 6" in err
    assert PinFile.in_folder(data).missing() == ("volunteer",)


def test_set_pin_on_a_damaged_file_says_so_keeps_it_aside_and_sets_the_pin(
    config_file, data, capsys, monkeypatch
):
    store = PinFile.in_folder(data)
    store.set_pin("staff", "482913")
    store.set_pin("volunteer", "771204")
    damaged = store.path.read_text().replace("staff =", "#taff =")  # one byte
    store.path.write_text(damaged)

    code, _, err = run_cli(["set-pin", "volunteer"], config_file, capsys, "135792\n", monkeypatch)
    assert code == 1 and "set-pin staff" in err
    assert store.path.read_text() == damaged, "not touched before the staff PIN"

    code, _, err = run_cli(["set-pin", "staff"], config_file, capsys, "123456\n", monkeypatch)
    assert code == 1 and "te makkelijk" in err
    assert store.path.read_text() == damaged and not list(data.glob("pins.toml.damaged-*"))

    code, out, _ = run_cli(["set-pin", "staff"], config_file, capsys, "135792\n", monkeypatch)
    assert code == 0 and "is damaged (no staff PIN)" in out and "kept aside" in out
    (aside,) = data.glob("pins.toml.damaged-*")
    assert aside.read_text() == damaged and str(aside) in out
    assert "set-pin volunteer" in out, "the volunteer PIN was in the damaged file"
    assert store.role_of("135792") == "staff" and store.missing() == ("volunteer",)
    code, out, _ = run_cli(["set-pin", "volunteer"], config_file, capsys, "771204\n", monkeypatch)
    assert code == 0 and "is damaged" not in out and store.missing() == ()


def test_set_pin_ends_the_wait_after_wrong_pins(config_file, data, capsys, monkeypatch):
    from kiosk.admin.lockout import Lockout

    log = EventLog(data / LOG_FILE)
    lock = Lockout(log.run_locked)
    for _ in range(6):
        lock.start_try(time.time())
    assert lock.seconds_left(time.time()) > 0
    code, _, _ = run_cli(["set-pin", "staff"], config_file, capsys, "482913\n", monkeypatch)
    assert code == 0
    lock.refresh()  # the running kiosk reads it again when the PIN dialog opens
    assert lock.seconds_left(time.time()) == 0 and lock.start_try(time.time()) == 0
    log.close()


def test_reset_erase_log_needs_confirmation(config_file, data, capsys, monkeypatch):
    fill_log(data)
    code, out, err = run_cli(["reset", "--erase-log"], config_file, capsys, "", monkeypatch)
    assert code == 2 and "--yes" in err
    code, out, _ = run_cli(["reset", "--erase-log", "--yes"], config_file, capsys)
    assert code == 0 and "not running" in out and "is erased" in out
    from sqlite_utils import Database

    assert Database(data / LOG_FILE)["events"].count == 0


def test_reset_signals_the_running_kiosk(tmp_path, config_file, data, capsys):
    """A stand-in kiosk process writes its pid file and waits for the reset signal."""
    marker = tmp_path / "got-reset"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"""
import signal, sys, time
from pathlib import Path
from kiosk.admin.control import RESET_SIGNAL, write_pid
got = []
signal.signal(RESET_SIGNAL, lambda *_: got.append(1))
write_pid(Path({str(data)!r}))
for _ in range(200):
    if got:
        Path({str(marker)!r}).write_text("reset")
        break
    time.sleep(0.05)
""",
        ],
    )
    try:
        for _ in range(100):
            if control.running_kiosk(data):
                break
            time.sleep(0.05)
        code, out, _ = run_cli(["reset"], config_file, capsys)
        assert code == 0 and "ends the current session" in out
        child.wait(timeout=10)
        assert marker.read_text() == "reset"
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)


def test_a_stale_pid_file_is_not_a_running_kiosk(data):
    data.mkdir(parents=True)
    (data / control.PID_FILE).write_text("999999999\n")
    assert control.running_kiosk(data) is None
    assert not control.ask_reset(data)
    assert os.getpid()  # the test process itself was never signalled
