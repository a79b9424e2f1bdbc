"""The kiosk as a process: it starts fullscreen and stops cleanly when told to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from kiosk.display import start_xvfb, stop_xvfb

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def display():
    saved = os.environ.get("DISPLAY")
    server = start_xvfb(1280, 800)
    yield os.environ["DISPLAY"]
    stop_xvfb(server)
    if saved is None:
        os.environ.pop("DISPLAY", None)
    else:
        os.environ["DISPLAY"] = saved


def _start(display: str, *args: str) -> subprocess.Popen:
    env = dict(
        os.environ,
        DISPLAY=display,
        OEFENKIOSK_CONFIG="/nonexistent/config.toml",
        KIVY_NO_CONSOLELOG="1",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for(process: subprocess.Popen, text: str, seconds: float = 30) -> str:
    seen = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if text in line:
            return "".join(seen)
    process.kill()
    raise AssertionError(f"never saw {text!r}:\n{''.join(seen)[-3000:]}")


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_the_fullscreen_kiosk_stops_on_a_signal(display, signal_number):
    process = _start(display)
    _wait_for(process, "welcome screen is up")
    process.send_signal(signal_number)
    try:
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()


def test_a_broken_scenario_file_is_logged_and_the_kiosk_starts(display, tmp_path):
    import shutil

    from kiosk.paths import scenarios_dir

    shutil.copytree(scenarios_dir() / "flows", tmp_path / "flows")
    for path in scenarios_dir().glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "kapot.yaml").write_text("schema_version: 1\nid: [kapot\n")
    config = tmp_path / "config.toml"
    config.write_text(f'scenarios_dir = "{tmp_path}"\n')
    env_process = _start(display, "--windowed", "--config", str(config))
    try:
        output = _wait_for(env_process, "skipped broken scenario files: kapot.yaml")
        assert "kapot.yaml:3" in output or "kapot.yaml:2" in output
    finally:
        env_process.send_signal(signal.SIGTERM)
        env_process.wait(timeout=10)


def test_no_sound_card_means_a_silent_kiosk_that_says_so(display, tmp_path):
    """Here there is no sound card: without SDL's dummy driver, audio must be off, visibly."""
    script = tmp_path / "probe.py"
    script.write_text(
        "import os\n"
        "os.environ.pop('SDL_AUDIODRIVER', None)\n"
        "from kiosk.ui.launch import WindowOptions, configure_kivy\n"
        "configure_kivy(WindowOptions(windowed=True, size=(800, 480)))\n"
        "from pathlib import Path\n"
        "from kiosk.ui.audio import KioskSpeaker\n"
        f"speaker = KioskSpeaker(None, Path({str(tmp_path)!r}))\n"
        "print('AUDIO_ON', speaker.audio_on, speaker.sound_card)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "SDL_AUDIODRIVER"}
    env["DISPLAY"] = display
    result = subprocess.run(
        [sys.executable, str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "AUDIO_ON False False" in result.stdout, result.stderr[-2000:]
    assert "no sound card (the kiosk stays silent)" in result.stderr + result.stdout


@pytest.mark.parametrize("damage", [b"", b"RIFF\x00\x00garbage", b"not a sound at all" * 50])
def test_a_damaged_feedback_sound_is_made_again_and_never_passes_for_no_sound_card(
    display, tmp_path, damage
):
    (tmp_path / "sound-correct.wav").write_bytes(damage)
    script = tmp_path / "probe.py"
    script.write_text(
        "from kiosk.ui.launch import WindowOptions, configure_kivy\n"
        "configure_kivy(WindowOptions(windowed=True, size=(800, 480)))\n"
        "import logging\n"
        "logging.basicConfig(level=logging.INFO)\n"
        "from pathlib import Path\n"
        "from kiosk.ui.audio import KioskSpeaker\n"
        f"speaker = KioskSpeaker(None, Path({str(tmp_path)!r}))\n"
        "print('SOUND_CARD', speaker.sound_card, repr(speaker.audio_problem))\n"
    )
    env = dict(os.environ, DISPLAY=display, SDL_AUDIODRIVER="dummy")
    result = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60
    )
    journal = result.stderr + result.stdout
    assert "SOUND_CARD True ''" in result.stdout, journal[-2000:]
    assert "no sound card" not in journal
    assert "sound-correct.wav is damaged" in journal


def test_systemd_hears_ready_then_the_watchdog_until_the_loop_freezes(display, tmp_path):
    import socket

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    address = str(tmp_path / "notify.sock")
    listener.bind(address)
    listener.settimeout(0.2)
    env = dict(
        os.environ,
        DISPLAY=display,
        NOTIFY_SOCKET=address,
        WATCHDOG_USEC="600000",
        OEFENKIOSK_CONFIG="/nonexistent/config.toml",
        KIVY_NO_CONSOLELOG="1",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--windowed"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def messages(seconds: float, enough=lambda got: False) -> list[str]:
        got, end = [], time.monotonic() + seconds
        while time.monotonic() < end and not enough(got):
            try:
                got.append(listener.recv(256).decode())
            except TimeoutError:
                continue
        return got

    try:
        first = messages(30, lambda got: "READY=1" in got and got.count("WATCHDOG=1") >= 3)
        assert "READY=1" in first
        assert first.count("WATCHDOG=1") >= 3  # every 0.3 s: half of WATCHDOG_USEC
        process.send_signal(signal.SIGSTOP)  # the main loop freezes
        messages(0.5)  # what was already on its way
        assert "WATCHDOG=1" not in messages(1.5)
        process.send_signal(signal.SIGCONT)
        assert "WATCHDOG=1" in messages(2, lambda got: "WATCHDOG=1" in got)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert "STOPPING=1" in messages(1, lambda got: "STOPPING=1" in got)
    finally:
        process.kill()
        listener.close()


def test_each_journal_line_is_printed_once(display):
    """Kivy's console handler and the kiosk's own must not both print every line."""
    env = dict(os.environ, DISPLAY=display, OEFENKIOSK_CONFIG="/nonexistent/config.toml")
    env.pop("KIVY_NO_CONSOLELOG", None)  # as under systemd: Kivy may print to the console
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--windowed"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = _wait_for(process, "welcome screen is up")
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=15)
    finally:
        process.kill()
    journal = output + rest
    assert journal.count("welcome screen is up") == 1, journal[-3000:]
    assert journal.count("stopping on signal SIGTERM") == 1, journal[-3000:]
    kivy_version = [line for line in journal.splitlines() if "Installed at" in line]
    assert len(kivy_version) == 1, kivy_version  # Kivy's own lines too
