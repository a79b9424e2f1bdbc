"""The anonymous practice log: events in, one writer thread, safe on a Raspberry Pi.

`EventLog.log()` only checks the fields and puts them on a queue: the screen
never waits for the disk. One thread writes them in batches. A full or
read-only disk is reported to staff and the kiosk goes on; a damaged file is
moved aside (with its -wal and -shm files) and a new log is started.

Durability: WAL journal with `synchronous=FULL`. In WAL mode FULL makes every
commit wait for the log file to reach the card, so after a power cut the
database opens, passes `PRAGMA quick_check`, and holds every event whose
transaction committed. (NORMAL would lose the last commits on power loss; the
cost of FULL is one fsync per batch, which the writer thread pays, not the UI.)
"""

from __future__ import annotations

import logging
import queue
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


log = logging.getLogger(__name__)

# Which fields each kind of event may carry. Nothing else is ever stored.
EVENTS: dict[str, frozenset[str]] = {
    "session_started": frozenset({"kiosk", "language", "mode"}),
    "mode_changed": frozenset({"mode"}),
    "scenario_started": frozenset({"scenario", "language", "content"}),
    "step_correct": frozenset({"scenario", "step"}),
    "step_skipped": frozenset({"scenario", "step"}),
    "wrong_action": frozenset({"scenario", "step", "element"}),
    "hint_shown": frozenset({"scenario", "step"}),
    "show_me": frozenset({"scenario", "step"}),
    "audio_played": frozenset({"scenario", "step", "language"}),
    "scenario_finished": frozenset({"scenario", "seconds", "wrong", "hints"}),
    "scenario_left": frozenset({"scenario", "step", "reason"}),
    "session_ended": frozenset({"reason"}),
}
TEXT_FIELDS = ("kiosk", "mode", "language", "scenario", "step", "element", "reason", "content")
NUMBER_FIELDS = ("seconds", "wrong", "hints")
COLUMNS = ("minute", "session", "kind", *TEXT_FIELDS, *NUMBER_FIELDS)

# An id from a scenario or the kiosk: short, no spaces. Five or more digits in a
# row are refused too: that is how a typed number (a BSN, a code) would look.
_ID = re.compile(r"^[A-Za-z0-9_.:\- ]{0,80}$")
_DIGITS = re.compile(r"\d{5,}")

LOG_FILE = "oefenkiosk.db"
"""The log's file name in the kiosk's data folder."""
NOT_SAVED = "voortgang wordt niet opgeslagen"
_STOP = object()
BACKLOG = 10_000
"""Events kept in memory while the disk cannot take them."""


def _period(start: float, end: float) -> str:
    """'op 20-11 van 12:00 tot 12:20', or with both dates when it lasted past midnight."""
    first, last = time.localtime(start), time.localtime(end)
    if time.strftime("%Y%m%d", first) == time.strftime("%Y%m%d", last):
        return time.strftime("op %d-%m van %H:%M", first) + time.strftime(" tot %H:%M", last)
    return time.strftime("van %d-%m %H:%M", first) + time.strftime(" tot %d-%m %H:%M", last)


def minute(now: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M", time.localtime(now))


def is_safe_id(value: object) -> bool:
    """Could this be stored as an id: short text of the id characters, no long number."""
    return isinstance(value, str) and bool(_ID.match(value)) and not _DIGITS.search(value)


def clean_event(kind: str, fields: dict) -> dict | None:
    """The event as it may be stored, or None when it may not be stored at all."""
    allowed = EVENTS.get(kind)
    if allowed is None or set(fields) - allowed:
        return None
    row: dict = {}
    for name, value in fields.items():
        if value is None:
            continue
        if name in NUMBER_FIELDS:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                return None
        elif not is_safe_id(value):
            return None
        row[name] = value
    return row


def open_database(path: Path) -> Database:
    """Open (or create) the log, bring its tables up to date, set WAL and FULL."""
    # imported here: the kiosk's first frame does not wait for sqlite-utils
    from sqlite_utils import Database

    from kiosk.progress import schema

    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    db = Database(connection)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA secure_delete=ON")  # deleted events are overwritten, not just unlinked
    db.execute("PRAGMA busy_timeout=5000")
    schema.apply(db)
    return db


def erase(db: Database) -> None:
    """Every event, count, notice and oefencode gone, also from the file's free pages and
    the WAL.

    The lockouts stay: erasing the log must not give a guesser new tries.
    """
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        for table in (
            "events",
            "daily_runs",
            "daily_durations",
            "daily_wrong",
            "notices",
            "xapi_outbox",
            "xapi_sessions",
            "xapi_state",
            "resume_codes",
        ):
            db.execute(f"DELETE FROM {table}")
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def read_notices(db: Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT minute || '  ' || text FROM notices ORDER BY id")]


def quick_check(db: Database) -> bool:
    try:
        return db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False


def move_aside(path: Path, now: float) -> Path:
    """A damaged log and its -wal and -shm files, renamed out of the way together."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    target = path.with_name(f"{path.stem}-damaged-{stamp}{path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{target}{suffix}"))
    return target


@dataclass(frozen=True)
class Status:
    ok: bool
    problem: str = ""


@dataclass
class _Outage:
    """A time the log could not be written: told to staff once it works again."""

    since: float
    reason: str
    lost: int = 0


class EventLog:
    """The kiosk's practice log. Thread-safe `log()`; one writer thread does the I/O."""

    def __init__(
        self,
        path: Path,
        clock: Callable[[], float] = time.time,
        on_commit: Callable[[int], None] | None = None,
        start: bool = True,
    ) -> None:
        self.path = path
        self.clock = clock
        self.on_commit = on_commit
        self.status = Status(True)
        self.notices: list[str] = []
        self._outage: _Outage | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._backlog: list[dict] = []
        self._db: Database | None = None
        self._lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="oefenkiosk-log", daemon=True)
        if start:
            self.start()

    def start(self) -> None:
        """Start the writer thread (the kiosk does so after its first frame); events logged
        before are kept in the queue."""
        with self._start_lock:  # the UI thread and a staff task may both ask
            if self._thread.ident is None:
                self._thread.start()

    # --- the UI thread ---------------------------------------------------------------

    def log(self, kind: str, session: str, **fields) -> bool:
        """Queue one event; False when it is not an allowed event (nothing is stored)."""
        row = clean_event(kind, fields)
        if row is None or not _ID.match(session):
            log.error("refused to log %r: not an allowed anonymous event", kind)
            return False
        row.update(kind=kind, session=session, minute=minute(self.clock()))
        self._queue.put(row)
        return True

    def submit(self, job: Callable[[Database], object]) -> None:
        """Run `job(db)` in the writer thread after the events queued before it."""
        self._queue.put(job)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every event queued before this call is written (or failed)."""
        self.start()
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self) -> None:
        if not self._queue.empty():
            self.start()  # events queued before the thread ran are still written
        if self._thread.is_alive():
            self.flush(5)
            self._queue.put(_STOP)
            self._thread.join(timeout=5)
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # --- the writer thread ------------------------------------------------------------

    def _open(self) -> None:
        """Open the log; a damaged one is moved aside and a new one started."""
        try:
            try:
                db = open_database(self.path)
                if not quick_check(db):
                    db.close()
                    raise sqlite3.DatabaseError("quick_check failed")
            except sqlite3.DatabaseError as error:
                if not (_is_damage(error) and self.path.exists()):
                    raise
                moved = move_aside(self.path, self.clock())
                log.error("practice log damaged (%s): moved aside as %s", error, moved.name)
                db = open_database(self.path)
                self._notice(
                    db,
                    f"Het logboek was beschadigd en is apart gezet ({moved.name}). "
                    "Er is een nieuw logboek begonnen.",
                )
            self._db = db
        except (sqlite3.Error, OSError) as error:
            self._fail(error)

    def _notice(self, db: Database, text: str) -> None:
        self.notices.append(text)
        db["notices"].insert({"minute": minute(self.clock()), "text": text})

    def _run(self) -> None:
        with self._lock:
            self._open()  # here, not in the UI thread: quick_check reads the whole file
        while True:
            batch: list[dict] = []
            after: list = []  # flush markers and jobs, handled once the batch is written
            item = self._queue.get()
            while True:
                if item is _STOP:
                    self._finish(batch, after)
                    return
                if isinstance(item, dict):
                    batch.append(item)
                else:
                    after.append(item)
                    break  # keep the order: events queued after a job wait for it
                if len(batch) >= 500:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            self._finish(batch, after)

    def _finish(self, batch: list[dict], after: list) -> None:
        if batch or self._backlog:
            self._write(batch)
        for item in after:
            if isinstance(item, threading.Event):
                item.set()
            else:
                self._run_job(item)

    def _run_job(self, job: Callable[[Database], object]) -> None:
        with self._lock:
            if self._db is None:
                log.warning("log job skipped: %s", self.status.problem)
                return
            try:
                job(self._db)
            except (sqlite3.Error, OSError) as error:
                self._fail(error)

    def _write(self, batch: list[dict]) -> None:
        rows = self._backlog + batch
        with self._lock:
            if self._db is None:
                self._open()
            if self._db is None:  # _open has said why
                self._keep(rows)
                return
            try:
                with self._db.conn:
                    self._db.execute("BEGIN IMMEDIATE")
                    self._db.conn.executemany(
                        f"INSERT INTO events ({', '.join(COLUMNS)}) "
                        f"VALUES ({', '.join('?' for _ in COLUMNS)})",
                        [tuple(row.get(c) for c in COLUMNS) for row in rows],
                    )
                last = self._db.execute("SELECT max(seq) FROM events").fetchone()[0]
            except (sqlite3.Error, OSError) as error:
                self._fail(error)
                self._keep(rows)
                if isinstance(error, sqlite3.DatabaseError) and _is_damage(error):
                    if self._db is not None:
                        self._db.close()
                    self._db = None  # opened again, and moved aside, on the next batch
                return
            self._backlog = []
            if not self.status.ok:
                self._recovered()
        if self.on_commit is not None:
            self.on_commit(last)

    def _keep(self, rows: list[dict]) -> None:
        """Hold the newest events in memory until the disk takes them again."""
        self._backlog = rows[-BACKLOG:]
        if self._outage is not None:
            self._outage.lost += len(rows) - len(self._backlog)

    def _fail(self, error: Exception) -> None:
        if self.status.ok:
            log.error("%s: %s", NOT_SAVED, error)
        if self._outage is None:
            self._outage = _Outage(self.clock(), str(error))
        self.status = Status(False, f"{NOT_SAVED} ({error})")

    def _recovered(self) -> None:
        """The log works again: staff learn that it did not for a while (writer thread, with
        the lock held and the log open)."""
        log.info("the practice log is being written again")
        self.status = Status(True)
        outage, self._outage = self._outage, None
        if outage is None or self._db is None:
            return
        lost = (
            f" {outage.lost} gebeurtenissen gingen verloren."
            if outage.lost
            else " Er ging niets verloren."
        )
        text = (
            f"Het logboek kon {_period(outage.since, self.clock())} niet worden opgeslagen "
            f"({outage.reason}); het werkt weer.{lost}"
        )
        try:
            with self._db.conn:
                self._notice(self._db, text)
        except (sqlite3.Error, OSError):
            pass  # the notice is still shown to staff from memory

    # --- reading, for statistics, retention and staff ----------------------------------

    def reader(self) -> Database:
        """A separate read connection (WAL lets it read while the writer writes)."""
        from sqlite_utils import Database

        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        return Database(connection)

    def run_locked(self, work: Callable[[Database], object]) -> object:
        """Run maintenance (retention, erase) on the writer's connection, between batches."""
        self.flush()
        with self._lock:
            if self._db is None:
                raise sqlite3.OperationalError(self.status.problem or "no log")
            return work(self._db)


def _is_damage(error: Exception) -> bool:
    text = str(error).lower()
    return any(
        word in text
        for word in ("malformed", "not a database", "quick_check", "corrupt", "file is encrypted")
    )
