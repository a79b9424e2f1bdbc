"""Wrong PINs: after 5 a wait that doubles with each further wrong PIN, at most 15 minutes.

The state lives in the practice log's database (table `lockout`), so turning
the kiosk off and on does not give a guesser new tries. The wait is stored as
a wall-clock time, because a restart loses the monotonic clock; the Raspberry
Pi has no real-time clock, so the clock can jump at boot. The remaining wait
is therefore never taken as more than the wait the number of failures earns:
a clock that jumped back cannot lock staff out for hours.

It fails closed. Each try is stored as a wrong one *before* the PIN is
checked, and only a right PIN takes it back: pulling the plug or killing the
kiosk during the check gains nothing. When the state cannot be read or that
try cannot be stored (a full or read-only disk, a log that does not open), no
PIN is checked at all: a count kept only in memory would give a fresh 5 tries
after every restart, and a guesser who can fill the disk could then restart
at will. Staff are never locked out for good: once the disk takes writes
again (room made, the disk repaired) the next try works, and `oefenkiosk
set-pin staff` at a terminal also clears the count.
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
NAME = "pin"


@dataclass(frozen=True)
class LockState:
    failures: int = 0
    locked_until: float = 0.0


def wait_after(failures: int) -> float:
    """Seconds to wait after this many wrong PINs in a row: 0, then 30, 60, ... 900."""
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
    """The lockout's state cannot be read or stored: no PIN may be tried."""


def load(db: Database) -> LockState:
    row = db.execute(
        "SELECT failures, locked_until FROM lockout WHERE name = ?", (NAME,)
    ).fetchone()
    return LockState(*row) if row else LockState()


def _put(db: Database, state: LockState) -> None:
    db.execute(
        "INSERT INTO lockout (name, failures, locked_until) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, "
        "locked_until = excluded.locked_until",
        (NAME, state.failures, state.locked_until),
    )


def save(db: Database, state: LockState) -> None:
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        _put(db, state)


def clear(db: Database) -> None:
    """Staff at a terminal end the wait (`oefenkiosk set-pin`)."""
    save(db, LockState())


def start_try(db: Database, now: float) -> LockState:
    """In one transaction: the stored state, with this try counted as wrong unless a wait runs.

    Read and written together, so a second kiosk process or `set-pin` in between
    cannot be overwritten with an older count.
    """
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        state = load(db)
        if seconds_left(state, now) > 0:
            return state
        state = after_failure(state, now)
        _put(db, state)
    return state


class Lockout:
    """The lockout for the PIN dialog; `run` gives access to the log's database."""

    def __init__(self, run: Callable[[Callable[[Database], object]], object]) -> None:
        self._run = run
        self.state = LockState()
        self.problem = ""
        """Why the state cannot be read or stored; while set, no PIN is tried."""
        self.refresh()

    def refresh(self) -> None:
        """Read the stored state again (the PIN dialog opens; `set-pin` may have cleared it)."""
        try:
            self.state = self._run(load)
            self.problem = ""
        except (sqlite3.Error, OSError) as error:
            self._unavailable("not read", error)

    def seconds_left(self, now: float) -> float:
        return seconds_left(self.state, now)

    def start_try(self, now: float) -> float:
        """Before a PIN is checked: count it as wrong and return 0, or the wait still to go.

        LockoutUnavailable when the try cannot be stored: then the PIN must not be checked.
        """
        try:
            self.state = self._run(lambda db: start_try(db, now))
        except (sqlite3.Error, OSError) as error:
            self._unavailable("not saved", error)
            raise LockoutUnavailable(self.problem) from error
        self.problem = ""
        return self.seconds_left(now)

    def succeeded(self) -> None:
        """The PIN was right: the try counted by `start_try` and those before are taken back."""
        self.state = LockState()
        try:
            self._run(clear)
        except (sqlite3.Error, OSError) as error:
            # safe side: the stored count stays too high, which only makes a later wait longer
            log.error("PIN lockout not cleared after a right PIN: %s", error)

    def _unavailable(self, what: str, error: Exception) -> None:
        self.problem = str(error) or type(error).__name__
        log.error("PIN lockout %s (%s): no PIN is checked until it can be stored", what, error)
