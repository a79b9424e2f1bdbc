"""Wrong PINs: after 5 a wait that doubles with each further wrong PIN, at most 15 minutes.

The state lives in the practice log's database (table `lockout`), so turning
the kiosk off and on does not give a guesser new tries. The wait is stored as
a wall-clock time, because a restart loses the monotonic clock; the Raspberry
Pi has no real-time clock, so the clock can jump at boot. The remaining wait
is therefore never taken as more than the wait the number of failures earns:
a clock that jumped back cannot lock staff out for hours.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
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


def load(db: Database) -> LockState:
    row = db.execute(
        "SELECT failures, locked_until FROM lockout WHERE name = ?", (NAME,)
    ).fetchone()
    return LockState(*row) if row else LockState()


def save(db: Database, state: LockState) -> None:
    with db.conn:
        db.execute(
            "INSERT INTO lockout (name, failures, locked_until) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, "
            "locked_until = excluded.locked_until",
            (NAME, state.failures, state.locked_until),
        )


class Lockout:
    """The lockout for the PIN dialog; `run` gives access to the log's database."""

    def __init__(self, run: Callable[[Callable[[Database], object]], object]) -> None:
        self._run = run
        self.state = LockState()
        try:
            self.state = self._run(load)
        except sqlite3.Error as error:
            log.error("PIN lockout not read (%s): counting from zero in memory", error)

    def seconds_left(self, now: float) -> float:
        return seconds_left(self.state, now)

    def failed(self, now: float) -> float:
        """Record a wrong PIN; returns the wait that starts now."""
        self.state = after_failure(self.state, now)
        self._store()
        return self.seconds_left(now)

    def succeeded(self) -> None:
        if self.state != LockState():
            self.state = replace(self.state, failures=0, locked_until=0.0)
            self._store()

    def _store(self) -> None:
        state = self.state
        try:
            self._run(lambda db: save(db, state))
        except sqlite3.Error as error:
            # the lockout still holds until the kiosk restarts
            log.error("PIN lockout not saved: %s", error)
