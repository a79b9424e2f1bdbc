"""Stopping on SIGTERM (systemd stops the kiosk with it) and SIGINT (Ctrl+C).

The handler only takes note; the main loop looks at the note and stops (the app
checks it a few times a second). A signal handler runs in the middle of whatever
the main thread was doing, often a write to the log: logging from the handler
then writes to the same stream again, which Python refuses ("reentrant call
inside BufferedWriter"); the error is logged to that stream too, and a kiosk
stopped by systemd spun there instead of stopping (seen on Debian 13).
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopRequest:
    def __init__(self) -> None:
        self.signal_number: int | None = None
        self._saved: dict[int, Any] = {}

    def install(self) -> None:
        for number in STOP_SIGNALS:
            self._saved[number] = signal.signal(number, self.handle)

    def uninstall(self) -> None:
        for number, handler in self._saved.items():
            signal.signal(number, handler)
        self._saved.clear()

    def handle(self, signal_number: int, _frame: FrameType | None) -> None:
        """The signal handler: no I/O, no locks, just the note."""
        self.signal_number = signal_number

    @property
    def signal_name(self) -> str | None:
        """'SIGTERM' or 'SIGINT' once one arrived, else None."""
        if self.signal_number is None:
            return None
        return signal.Signals(self.signal_number).name
