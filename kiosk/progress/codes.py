"""Oefencodes: a visitor comes back without an account and goes on where they stopped.

At the end of a visit the kiosk stores what was practised (a `Progress`: the
ids of the finished exercises and of the step where the last one stopped,
nothing else) under a new code of 8 random digits, shown as "4821 0937" to
photograph or write down. Typing it on the welcome screen brings the progress
back, until the code expires after the number of weeks staff set
(`resume_code_weeks`). A visitor who came back with a code keeps it: saving
again with that code updates the same row.

Codes work on this kiosk only. What a code points to is kept locally, so
nothing that links two visits of one person ever leaves the kiosk: the xAPI
statements the network receives carry a new random session id for every
session and no code. A code that worked on every kiosk of a network would need
a shared store keyed by the code, that is a record on the network that links
visits; the practice log's privacy rules keep such records off the network.

The database holds a hash of the code, never the code itself, and with it
only ids and two wall-clock times (created, expires). Expiry is checked on
each look-up; the log's retention run deletes expired rows (`purge_expired`).
The times are wall-clock ones because they must outlive a restart; a clock
that jumped at boot (the Raspberry Pi has no real-time clock) can only make a
code last a little longer or end a little sooner.

Wrong codes are rate-limited like PINs, by the same lockout under its own name
("oefencode"): after 5 wrong or expired codes a wait that doubles, up to 15
minutes, kept across restarts. A typing slip that is not 8 digits is no try.
When the tries cannot be stored, no code is looked up at all.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kiosk.progress.lockout import Lockout, LockoutUnavailable
from kiosk.progress.store import is_safe_id

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger(__name__)

CODE_DIGITS = 8
LOCKOUT_NAME = "oefencode"
WEEK = 7 * 24 * 3600.0

# Arabic-Indic (٠-٩) and Persian (۰-۹) digits, as a visitor's own keyboard may type them
_DIGITS = str.maketrans(
    {**{chr(0x0660 + n): str(n) for n in range(10)}, **{chr(0x06F0 + n): str(n) for n in range(10)}}
)
# what people put between groups of digits: spaces, dots and every kind of dash
_SEPARATORS = str.maketrans(dict.fromkeys(".-\u2010\u2011\u2012\u2013\u2014\u2212"))


@dataclass(frozen=True)
class Progress:
    """What a code brings back: exercise ids and a position, nothing else."""

    finished: tuple[str, ...] = ()
    """Exercise ids finished, first finished first, no repeats."""
    stopped_in: str = ""
    """Id of the exercise left unfinished ("" none)."""
    stopped_at: str = ""
    """Step id in it where the visitor stopped."""

    def with_finished(self, scenario_id: str) -> Progress:
        """The exercise finished: added once; no longer the one stopped in."""
        finished = self.finished if scenario_id in self.finished else (*self.finished, scenario_id)
        if self.stopped_in == scenario_id:
            return Progress(finished)
        return replace(self, finished=finished)

    def with_position(self, scenario_id: str, step_id: str) -> Progress:
        """The visitor stopped in this exercise at this step."""
        return replace(self, stopped_in=scenario_id, stopped_at=step_id)

    @property
    def empty(self) -> bool:
        return not self.finished and not self.stopped_in

    def ids(self) -> tuple[str, ...]:
        """Every id it holds (what may be stored: ids, nothing else)."""
        return (*self.finished, self.stopped_in, self.stopped_at)


def new_code() -> str:
    """8 random digits, the first not 0 (so it cannot be read as a shorter number)."""
    first = 10 ** (CODE_DIGITS - 1)
    return str(first + secrets.randbelow(9 * first))


def shown(code: str) -> str:
    """'4821 0937': two groups of four, easier to read, write down and type."""
    return f"{code[:4]} {code[4:]}"


def normalize(typed: str) -> str | None:
    """The 8 digits of a typed code, or None when it is not 8 digits (a typing slip).

    Spaces, dots and dashes are dropped; Arabic-Indic and Persian digits count.
    """
    text = "".join(typed.split()).translate(_SEPARATORS).translate(_DIGITS)
    if len(text) != CODE_DIGITS or not all(c in "0123456789" for c in text):
        return None
    return text


def code_hash(code: str) -> str:
    # A plain sha256 is enough. It keeps the codes themselves from being read off the disk
    # or a backup. Whoever has the file could still try all 10^8 codes against it, with a
    # slow hash too (more slowly); but all a code unlocks is exercise and step ids, and a
    # slow hash would make every look-up on a Raspberry Pi wait. No salt: rows are found
    # by their hash. Guessing at the kiosk itself is stopped by the lockout.
    return hashlib.sha256(code.encode("ascii")).hexdigest()


class CodeUnavailable(Exception):
    """The code could not be stored (a full or read-only disk, a log that does not open)."""


@dataclass(frozen=True)
class LookUp:
    status: str
    """"found" | "unknown" | "expired" | "wait" | "unavailable" | "malformed"."""
    progress: Progress | None = None
    seconds_left: float = 0.0
    """For "wait": how long until a code can be tried. After a wrong or expired code:
    the wait that this try started (0 while there are free tries left)."""


def _check_ids(progress: Progress) -> None:
    bad = [value for value in progress.ids() if not is_safe_id(value)]
    if bad:
        raise ValueError(f"not an exercise or step id: {bad!r}")


def _store(db: Database, progress: Progress, now: float, weeks: int, code: str) -> str:
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        while not code:
            candidate = new_code()
            taken = db.execute(
                "SELECT 1 FROM resume_codes WHERE hash = ?", (code_hash(candidate),)
            ).fetchone()
            code = "" if taken else candidate
        db.execute(
            "INSERT INTO resume_codes (hash, finished, stopped_in, stopped_at, created, expires) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO UPDATE SET "
            "finished = excluded.finished, stopped_in = excluded.stopped_in, "
            "stopped_at = excluded.stopped_at, expires = excluded.expires",
            (
                code_hash(code),
                json.dumps(list(progress.finished)),
                progress.stopped_in,
                progress.stopped_at,
                now,
                now + weeks * WEEK,
            ),
        )
    return code


def _read(db: Database, code: str) -> tuple[Progress, float] | None:
    row = db.execute(
        "SELECT finished, stopped_in, stopped_at, expires FROM resume_codes WHERE hash = ?",
        (code_hash(code),),
    ).fetchone()
    if row is None:
        return None
    finished, stopped_in, stopped_at, expires = row
    try:
        ids = json.loads(finished or "[]")
    except ValueError:
        ids = []
    finished_ids = tuple(i for i in ids if is_safe_id(i)) if isinstance(ids, list) else ()
    if not (is_safe_id(stopped_in) and is_safe_id(stopped_at)):
        stopped_in = stopped_at = ""
    return Progress(finished_ids, stopped_in, stopped_at), expires


def purge_expired(db: Database, now: float | None = None) -> int:
    """Delete the codes that have expired; how many (the log's retention run)."""

    now = time.time() if now is None else now
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        return db.execute("DELETE FROM resume_codes WHERE expires <= ?", (now,)).rowcount


class CodeBook:
    """The kiosk's oefencodes; `run` gives access to the log's database
    (EventLog.run_locked), as for the PIN lockout."""

    def __init__(self, run: Callable[[Callable[[Database], object]], object]) -> None:
        self._run = run
        self.lockout = Lockout(run, LOCKOUT_NAME)

    def save(self, progress: Progress, now: float, weeks: int, code: str = "") -> str:
        """Store the progress under a new code, or under `code` (a visitor who came back with
        it keeps it); it expires `weeks` from `now`. Returns the code.

        CodeUnavailable when it cannot be stored; ValueError for a `code` that is not 8
        digits or progress that holds anything but ids.
        """
        _check_ids(progress)
        kept = ""
        if code:
            kept = normalize(code) or ""
            if not kept:
                raise ValueError("not an oefencode")
        try:
            return self._run(lambda db: _store(db, progress, now, weeks, kept))
        except (sqlite3.Error, OSError) as error:
            log.error("oefencode not saved: %s", error)
            raise CodeUnavailable(str(error) or type(error).__name__) from error

    def look_up(self, typed: str, now: float) -> LookUp:
        """What a typed code brings back; every well-formed code that finds nothing is a try."""
        code = normalize(typed)
        if code is None:
            return LookUp("malformed")
        try:
            wait = self.lockout.count_try(now)  # stored as wrong before the code is looked up
        except LockoutUnavailable:
            return LookUp("unavailable")
        if wait > 0:
            return LookUp("wait", seconds_left=wait)
        try:
            found = self._run(lambda db: _read(db, code))
        except (sqlite3.Error, OSError) as error:
            log.error("oefencode not looked up: %s", error)
            return LookUp("unavailable")
        if found is None:
            return LookUp("unknown", seconds_left=self.lockout.seconds_left(now))
        progress, expires = found
        if expires <= now:
            return LookUp("expired", seconds_left=self.lockout.seconds_left(now))
        self.lockout.succeeded()
        return LookUp("found", progress)

    def purge(self, now: float) -> int:
        """Delete expired codes; how many."""
        return self._run(lambda db: purge_expired(db, now))
