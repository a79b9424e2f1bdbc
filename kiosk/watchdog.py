"""Telling systemd that the kiosk is up and still alive (the sd_notify protocol, no dependency).

systemd starts the kiosk with `Type=notify` and `WatchdogSec=`: it passes the
address of its notification socket in `NOTIFY_SOCKET` and the watchdog period
in `WATCHDOG_USEC`. The kiosk sends `READY=1` once the welcome screen is up,
then `WATCHDOG=1` from a Kivy Clock callback every `interval` seconds. A frozen
main loop stops feeding, and systemd restarts the kiosk, not only when it
crashes.

Every send swallows `OSError`: a missing or closed socket never stops the kiosk.
Outside systemd (`NOTIFY_SOCKET` unset) every call does nothing.

    notifier = Notifier.from_environ()
    if notifier.interval:
        Clock.schedule_interval(notifier.watchdog, notifier.interval)
    ...
    notifier.ready()  # first frame drawn

`ready()`, `watchdog()` and `stopping()` return None, never False, so a Kivy
Clock callback is never unscheduled by a failed send; `notify()` returns whether
the message went out.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


def socket_address(value: str) -> str | bytes | None:
    """NOTIFY_SOCKET as an address for sendto(): a path, or an abstract name ('@name')."""
    if not value:
        return None
    if value.startswith("@"):
        return b"\0" + value[1:].encode()  # Linux abstract namespace
    if value.startswith("/"):
        return value
    return None  # vsock and relative addresses are not used by systemd for services


def watchdog_interval(environ: Mapping[str, str], pid: int | None = None) -> float | None:
    """Seconds between two WATCHDOG=1 messages (half the period systemd allows), or None."""
    usec = environ.get("WATCHDOG_USEC", "")
    try:
        period = int(usec)
    except ValueError:
        return None
    if period <= 0:
        return None
    # systemd names the process the watchdog is meant for; a child that inherited
    # the environment must not feed it (sd_watchdog_enabled does the same).
    owner = environ.get("WATCHDOG_PID", "")
    if owner:
        try:
            if int(owner) != (os.getpid() if pid is None else pid):
                return None
        except ValueError:
            return None
    return period / 2 / 1_000_000


class Notifier:
    """A client for systemd's notification socket; harmless when there is none."""

    def __init__(self, address: str | bytes | None, interval: float | None = None) -> None:
        self.address = address
        self.interval = interval if address is not None else None
        self.sent = 0
        self.failed = 0
        self._socket: socket.socket | None = None
        self._warned = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Notifier:
        """A notifier for `NOTIFY_SOCKET` and `WATCHDOG_USEC` (default: os.environ)."""
        environ = os.environ if environ is None else environ
        address = socket_address(environ.get("NOTIFY_SOCKET", ""))
        return cls(address, watchdog_interval(environ) if address is not None else None)

    @property
    def enabled(self) -> bool:
        """True when systemd is listening (NOTIFY_SOCKET was set)."""
        return self.address is not None

    def notify(self, message: str) -> bool:
        """Send one message such as 'READY=1'; False when it did not go out."""
        if self.address is None:
            return False
        try:
            if self._socket is None:
                self._socket = socket.socket(
                    socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC
                )
            self._socket.sendto(message.encode(), self.address)
        except OSError as error:
            self.failed += 1
            if not self._warned:  # once: a kiosk outside systemd must not flood its log
                log.warning("cannot notify systemd (%s): %s", message, error)
                self._warned = True
            return False
        self.sent += 1
        return True

    def ready(self) -> None:
        """The welcome screen is up: systemd's start job is done."""
        self.notify("READY=1")

    def watchdog(self, *_clock_args: object) -> None:
        """Still alive; usable directly as a Kivy Clock callback (it gets dt)."""
        self.notify("WATCHDOG=1")

    def stopping(self) -> None:
        """The kiosk is shutting down on purpose."""
        self.notify("STOPPING=1")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
