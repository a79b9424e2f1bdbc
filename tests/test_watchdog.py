"""kiosk.watchdog: READY=1 and WATCHDOG=1 to a fake systemd notification socket."""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest

from kiosk.watchdog import Notifier, socket_address, watchdog_interval


class FakeSystemd:
    """A datagram socket like the one systemd passes in NOTIFY_SOCKET."""

    def __init__(self, address: str | bytes) -> None:
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(address)

    def receive(self, timeout: float = 1.0) -> str | None:
        self.socket.settimeout(timeout)
        try:
            return self.socket.recv(4096).decode()
        except TimeoutError:
            return None

    def receive_during(self, seconds: float) -> list[tuple[float, str]]:
        """Every message that arrives in the next `seconds`, with its arrival time."""
        messages = []
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            message = self.receive(left)
            if message is not None:
                messages.append((time.monotonic(), message))
        return messages

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def path_systemd(tmp_path):
    path = tmp_path / "notify"
    fake = FakeSystemd(str(path))
    yield fake, str(path)
    fake.close()


@pytest.fixture
def abstract_systemd():
    name = f"oefenkiosk-test-{uuid.uuid4().hex}"
    fake = FakeSystemd(b"\0" + name.encode())
    yield fake, "@" + name
    fake.close()


@pytest.mark.parametrize("kind", ["path_systemd", "abstract_systemd"])
def test_ready_and_watchdog_reach_systemd(kind, request):
    fake, address = request.getfixturevalue(kind)
    notifier = Notifier.from_environ({"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "30000000"})
    assert notifier.enabled
    assert notifier.interval == 15.0  # half of WatchdogSec=30
    notifier.ready()
    assert fake.receive() == "READY=1"
    notifier.watchdog()
    notifier.watchdog(0.016)  # as a Kivy Clock callback, with dt
    assert [fake.receive(), fake.receive()] == ["WATCHDOG=1", "WATCHDOG=1"]
    notifier.stopping()
    assert fake.receive() == "STOPPING=1"
    assert notifier.sent == 4 and notifier.failed == 0


def test_the_abstract_address_is_not_a_path():
    assert socket_address("@name") == b"\0name"
    assert socket_address("/run/systemd/notify") == "/run/systemd/notify"
    assert socket_address("") is None
    assert socket_address("relative/path") is None


def test_interval_is_half_the_watchdog_period():
    assert watchdog_interval({"WATCHDOG_USEC": "20000000"}) == 10.0
    assert watchdog_interval({"WATCHDOG_USEC": "0"}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "soon"}) is None
    assert watchdog_interval({}) is None
    # systemd names the process that must feed it; an inheriting child must not.
    me = str(os.getpid())
    assert watchdog_interval({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": me}) == 1.0
    assert watchdog_interval({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"}) is None


def test_without_notify_socket_nothing_is_sent():
    notifier = Notifier.from_environ({"WATCHDOG_USEC": "30000000"})
    assert not notifier.enabled
    assert notifier.interval is None  # nothing to feed outside systemd
    notifier.ready()
    notifier.watchdog()
    assert notifier.sent == 0


class MainLoop:
    """A stand-in for Kivy's main loop: runs due timer callbacks, one at a time, on one thread."""

    def __init__(self) -> None:
        self.timers: list[list] = []  # [next_due, interval, callback]
        self.blocked = threading.Event()
        self.released = threading.Event()
        self.stopped = threading.Event()

    def schedule_interval(self, callback, interval: float) -> None:
        self.timers.append([time.monotonic() + interval, interval, callback])

    def run(self) -> None:
        while not self.stopped.is_set():
            now = time.monotonic()
            for timer in self.timers:
                if timer[0] <= now:
                    timer[0] = now + timer[1]
                    timer[2](now)
            if self.blocked.is_set():
                # a frame that never ends, like a UI stuck in a long computation
                self.released.wait()
                self.blocked.clear()
            time.sleep(0.005)


def test_a_blocked_main_loop_stops_feeding_the_watchdog(path_systemd):
    fake, address = path_systemd
    notifier = Notifier.from_environ({"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "200000"})
    assert notifier.interval == pytest.approx(0.1)
    loop = MainLoop()
    loop.schedule_interval(notifier.watchdog, notifier.interval)
    thread = threading.Thread(target=loop.run, daemon=True)
    thread.start()
    try:
        running = fake.receive_during(0.65)
        assert [m for _, m in running] == ["WATCHDOG=1"] * len(running)
        assert len(running) >= 4  # every 0.1 s while the loop turns
        gaps = [b - a for (a, _), (b, _) in itertools.pairwise(running)]
        assert max(gaps) < 0.35  # about every 0.1 s (slack for a busy machine)

        loop.blocked.set()
        time.sleep(0.15)  # let the loop reach the blocking frame
        fake.receive_during(0.0)  # drop what was sent before it blocked
        silent = fake.receive_during(0.6)
        assert silent == []  # systemd would now kill and restart the kiosk

        loop.released.set()
        assert fake.receive(1.0) == "WATCHDOG=1"  # feeding resumes once the loop turns
    finally:
        loop.released.set()
        loop.stopped.set()
        thread.join(2)


def test_a_missing_socket_never_raises(tmp_path, caplog):
    gone = tmp_path / "no-such-socket"
    notifier = Notifier.from_environ({"NOTIFY_SOCKET": str(gone), "WATCHDOG_USEC": "1000000"})
    assert notifier.enabled
    notifier.ready()
    notifier.watchdog()
    notifier.stopping()
    assert notifier.notify("STATUS=still here") is False
    assert notifier.failed == 4 and notifier.sent == 0
    # warned once, not once per feed
    assert len([r for r in caplog.records if "cannot notify systemd" in r.message]) == 1
    abstract = Notifier.from_environ({"NOTIFY_SOCKET": f"@gone-{uuid.uuid4().hex}"})
    abstract.ready()
    assert abstract.failed == 1


def test_a_socket_that_goes_away_later_never_raises(tmp_path):
    path = tmp_path / "notify"
    fake = FakeSystemd(str(path))
    notifier = Notifier.from_environ({"NOTIFY_SOCKET": str(path)})
    notifier.ready()
    assert fake.receive() == "READY=1"
    fake.close()
    Path(path).unlink()
    notifier.watchdog()  # systemd went away (or was restarted): no exception
    assert notifier.failed == 1
    notifier.close()
    notifier.watchdog()  # a closed notifier opens a new socket, still without raising
    assert notifier.failed == 2


def test_the_module_stays_free_of_kivy():
    source = (Path(__file__).resolve().parent.parent / "kiosk" / "watchdog.py").read_text()
    assert "kivy" not in "\n".join(
        line for line in source.splitlines() if line.startswith(("import", "from"))
    )
