"""Wrong tries at a secret: after 5 a wait that doubles with each further wrong one, at most
15 minutes.

One mechanism for every secret typed at the kiosk: the staff and volunteer PINs
(row "pin", see kiosk.admin.lockout) and the visitors' oefencodes (row
"oefencode", see kiosk.progress.codes). Each has its own row, so a guesser at
the codes never locks staff out, nor the other way round.

The state lives in the practice log's database (table `lockout`), so turning
the kiosk off and on does not give a guesser new tries. The wait is stored as
a wall-clock time, because a restart loses the monotonic clock; the Raspberry
Pi has no real-time clock, so the clock can jump at boot. The remaining wait
is therefore never taken as more than the wait the number of failures earns:
a clock that jumped back cannot lock anyone out for hours.

It fails closed. Each try is stored as a wrong one *before* the secret is
checked, and only a right one takes it back: pulling the plug or killing the
kiosk during the check gains nothing. When the state cannot be read or that
try cannot be stored (a full or read-only disk, a log that does not open),
nothing is checked at all: a count kept only in memory would give a fresh 5
tries after every restart, and a guesser who can fill the disk could then
restart at will. Nobody is locked out for good: once the disk takes writes
again (room made, the disk repaired) the next try works, and `oefenkiosk
set-pin staff` at a terminal also clears the PIN count.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


log = logging.getLogger(__name__)

FREE_TRIES = 5
FIRST_WAIT = 30.0
MAX_WAIT = 15 * 60.0


@dataclass(frozen=True)
class LockState:
    failures: int = 0
    locked_until: float = 0.0


def wait_after(failures: int) -> float:
    """Seconds to wait after this many wrong tries in a row: 0, then 30, 60, ... 900."""
    if failures < FREE_TRIES:
        return 0.0
    return min(FIRST_WAIT * 2 ** (failures - FREE_TRIES), MAX_WAIT)


def after_failure(state: LockState, now: float) -> LockState:
    failures = state.failures + 1
    return LockState(failures, now + wait_after(failures))


def seconds_left(state: LockState, now: float) -> float:
    """How long until the next try is allowed (0: now)."""
    left = state.locked_until - now
    return max(0.0, min(left, wait_after(state.failures)))


class LockoutUnavailable(Exception):
    """The lockout's state cannot be read or stored: nothing may be tried."""


def load(db: Database, name: str) -> LockState:
    row = db.execute(
        "SELECT failures, locked_until FROM lockout WHERE name = ?", (name,)
    ).fetchone()
    return LockState(*row) if row else LockState()


def _put(db: Database, name: str, state: LockState) -> None:
    db.execute(
        "INSERT INTO lockout (name, failures, locked_until) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, "
        "locked_until = excluded.locked_until",
        (name, state.failures, state.locked_until),
    )


def save(db: Database, name: str, state: LockState) -> None:
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        _put(db, name, state)


def clear(db: Database, name: str) -> None:
    """The count and the wait of one lockout ended."""
    save(db, name, LockState())


def count_try(db: Database, name: str, now: float) -> tuple[LockState, bool]:
    """In one transaction: the stored state, with this try counted as wrong unless a wait runs;
    and whether it was counted (False: a wait ran, the try may not be checked).

    Read and written together, so a second kiosk process or `set-pin` in between
    cannot be overwritten with an older count.
    """
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        state = load(db, name)
        if seconds_left(state, now) > 0:
            return state, False
        state = after_failure(state, now)
        _put(db, name, state)
    return state, True


def start_try(db: Database, name: str, now: float) -> LockState:
    """The stored state, with this try counted as wrong unless a wait runs (see count_try)."""
    return count_try(db, name, now)[0]


class Lockout:
    """One lockout (`name`: its row); `run` gives access to the log's database
    (EventLog.run_locked)."""

    def __init__(self, run: Callable[[Callable[[Database], object]], object], name: str) -> None:
        self._run = run
        self.name = name
        self.state = LockState()
        self.problem = ""
        """Why the state cannot be read or stored; while set, nothing is tried."""
        self.refresh()

    def refresh(self) -> None:
        """Read the stored state again (a dialog opens; `set-pin` may have cleared it)."""
        try:
            self.state = self._run(lambda db: load(db, self.name))
            self.problem = ""
        except (sqlite3.Error, OSError) as error:
            self._unavailable("not read", error)

    def seconds_left(self, now: float) -> float:
        return seconds_left(self.state, now)

    def start_try(self, now: float) -> float:
        """Before a secret is checked: count it as wrong and return 0, or the wait still to go.

        LockoutUnavailable when the try cannot be stored: then it must not be checked.
        """
        try:
            self.state = self._run(lambda db: start_try(db, self.name, now))
        except (sqlite3.Error, OSError) as error:
            self._unavailable("not saved", error)
            raise LockoutUnavailable(self.problem) from error
        self.problem = ""
        return self.seconds_left(now)

    def count_try(self, now: float) -> float:
        """Before a secret is checked: count it as wrong and return 0, so it may be checked;
        or, with nothing counted, the wait that keeps it from being checked.

        Unlike `start_try`, the try that starts a wait (the 5th wrong one) is itself
        checked: 5 wrong tries are checked before the first wait.
        LockoutUnavailable when the try cannot be stored: then it must not be checked.
        """
        try:
            self.state, counted = self._run(lambda db: count_try(db, self.name, now))
        except (sqlite3.Error, OSError) as error:
            self._unavailable("not saved", error)
            raise LockoutUnavailable(self.problem) from error
        self.problem = ""
        return 0.0 if counted else self.seconds_left(now)

    def succeeded(self) -> None:
        """It was right: the try counted by `start_try` and those before are taken back."""
        self.state = LockState()
        try:
            self._run(lambda db: clear(db, self.name))
        except (sqlite3.Error, OSError) as error:
            # safe side: the stored count stays too high, which only makes a later wait longer
            log.error("%s lockout not cleared after a right try: %s", self.name, error)

    def _unavailable(self, what: str, error: Exception) -> None:
        self.problem = str(error) or type(error).__name__
        log.error(
            "%s lockout %s (%s): nothing is checked until it can be stored",
            self.name,
            what,
            error,
        )
