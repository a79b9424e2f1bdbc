"""The CLI talks to a running kiosk: a pid file in the data folder and one signal.

`oefenkiosk reset` sends SIGUSR1; the kiosk then ends the visitor's session,
wipes it and shows the welcome screen, exactly as the staff screen's reset. The
other way round, the kiosk's exit status tells the service manager whether staff
closed it on purpose.
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

PID_FILE = "kiosk.pid"
RESET_SIGNAL = signal.SIGUSR1
# The kiosk's exit status when staff closed it on purpose; the service does not restart it.
EXIT_TO_DESKTOP = 10


def write_pid(folder: Path) -> Path | None:
    """Tell the CLI where the kiosk runs; None when the folder cannot be written."""
    path = folder / PID_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{os.getpid()}\n", encoding="ascii")
    except OSError:
        return None
    return path


def remove_pid(folder: Path) -> None:
    path = folder / PID_FILE
    with contextlib.suppress(OSError, ValueError):
        if int(path.read_text().strip()) == os.getpid():
            path.unlink()


def running_kiosk(folder: Path) -> int | None:
    """The pid of the kiosk using this data folder, if it runs."""
    try:
        pid = int((folder / PID_FILE).read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        with contextlib.suppress(OSError):
            if b"kiosk" not in cmdline.read_bytes():
                return None  # a stale file, and the number now belongs to another program
    return pid


def ask_reset(folder: Path) -> bool:
    """Ask the running kiosk to end and wipe its session; False when none runs."""
    pid = running_kiosk(folder)
    if pid is None:
        return False
    try:
        os.kill(pid, RESET_SIGNAL)
    except OSError:
        return False
    return True
