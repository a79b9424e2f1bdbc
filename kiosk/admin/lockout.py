"""Wrong PINs: the kiosk's lockout (kiosk.progress.lockout) under the name "pin".

After 5 wrong PINs a wait that doubles with each further one, at most 15
minutes; it survives a restart and fails closed (see kiosk.progress.lockout).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.progress import lockout as _lockout
from kiosk.progress.lockout import (
    FIRST_WAIT,
    FREE_TRIES,
    MAX_WAIT,
    LockoutUnavailable,
    LockState,
    after_failure,
    seconds_left,
    wait_after,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = [
    "FIRST_WAIT",
    "FREE_TRIES",
    "MAX_WAIT",
    "NAME",
    "LockState",
    "Lockout",
    "LockoutUnavailable",
    "after_failure",
    "clear",
    "load",
    "save",
    "seconds_left",
    "start_try",
    "wait_after",
]

NAME = "pin"


def load(db: Database) -> LockState:
    return _lockout.load(db, NAME)


def save(db: Database, state: LockState) -> None:
    _lockout.save(db, NAME, state)


def clear(db: Database) -> None:
    """Staff at a terminal end the wait (`oefenkiosk set-pin`)."""
    _lockout.clear(db, NAME)


def start_try(db: Database, now: float) -> LockState:
    return _lockout.start_try(db, NAME, now)


class Lockout(_lockout.Lockout):
    """The lockout for the PIN dialog; `run` gives access to the log's database."""

    def __init__(self, run: Callable[[Callable[[Database], object]], object]) -> None:
        super().__init__(run, NAME)
