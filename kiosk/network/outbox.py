"""The durable outbox: statements wait in the practice log until the LRS has them.

A session becomes statements once it is over (its `session_ended` event is in
the log, or nothing happened in it for a long time: a power cut). Building a
session's statements and marking the session as done happen in one
transaction, so after a crash a session is either wholly in the outbox or not
at all. A statement leaves the outbox only as "sent" after the LRS accepted
it; sent statements are deleted after the retention period.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.network.statements import Network, session_statements
from kiosk.progress.store import minute

if TYPE_CHECKING:
    from sqlite_utils import Database

STALE_SECONDS = 6 * 3600
"""A session without an end and without events for this long is over (power cut, crash)."""

BATCH = 100
"""Statements in one request to the LRS."""


@dataclass(frozen=True)
class Waiting:
    id: str
    statement: str


@dataclass(frozen=True)
class OutboxState:
    waiting: int
    sent_total: int
    last_success: str
    last_error: str


@dataclass(frozen=True)
class Collected:
    statements: int
    more: bool
    """Sessions that are over still wait to be collected (a limit was reached)."""


def collect(db: Database, network: Network, now: float | None = None) -> int:
    """Turn every session that is over into statements in the outbox; how many statements."""
    return collect_some(db, network, None, now).statements


def collect_some(
    db: Database, network: Network, limit: int | None, now: float | None = None
) -> Collected:
    """Turn at most `limit` sessions that are over (oldest first) into outbox statements.

    Only events from the first one of a session not yet collected are read, so a
    long log is not scanned again each time.
    """
    now = time.time() if now is None else now
    scan_from = int(_get(db, "scan_from") or 0)
    last_seq = db.execute("SELECT max(seq) FROM events").fetchone()[0] or 0
    if scan_from > last_seq + 1:
        scan_from = 0  # the log was erased and numbers events from 1 again
    open_sessions = "session NOT IN (SELECT session FROM xapi_sessions)"
    sessions = [
        row[0]
        for row in db.execute(
            f"SELECT session FROM events WHERE seq >= ? AND {open_sessions} "
            "GROUP BY session HAVING sum(kind = 'session_ended') > 0 OR max(minute) < ? "
            "ORDER BY min(seq) LIMIT ?",
            (scan_from, minute(now - STALE_SECONDS), -1 if limit is None else limit + 1),
        )
    ]
    more = limit is not None and len(sessions) > limit
    sessions = sessions[:limit]
    added = 0
    for session in sessions:
        cursor = db.execute("SELECT * FROM events WHERE session = ? ORDER BY seq", (session,))
        names = [column[0] for column in cursor.description]
        events = [dict(zip(names, row, strict=True)) for row in cursor]
        statements = session_statements(events, network)
        with db.conn:
            db.execute("BEGIN IMMEDIATE")
            db.conn.executemany(
                "INSERT OR IGNORE INTO xapi_outbox (id, session, minute, statement) "
                "VALUES (?, ?, ?, ?)",
                [(s["id"], session, s["timestamp"][:16], json.dumps(s)) for s in statements],
            )
            db.execute(
                "INSERT INTO xapi_sessions (session, statements) VALUES (?, ?)",
                (session, len(statements)),
            )
        added += len(statements)
    first_open = db.execute(
        f"SELECT min(seq) FROM events WHERE seq >= ? AND {open_sessions}", (scan_from,)
    ).fetchone()[0]
    if first_open is None:
        first_open = (db.execute("SELECT max(seq) FROM events").fetchone()[0] or 0) + 1
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        _set(db, "scan_from", str(first_open))
    return Collected(added, more)


def waiting(db: Database, limit: int = BATCH) -> list[Waiting]:
    """The oldest statements the LRS does not have yet."""
    return [
        Waiting(row[0], row[1])
        for row in db.execute(
            "SELECT id, statement FROM xapi_outbox WHERE sent IS NULL "
            "ORDER BY minute, rowid LIMIT ?",
            (limit,),
        )
    ]


def mark_sent(db: Database, ids: list[str], now: float | None = None) -> None:
    stamp = minute(time.time() if now is None else now)
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        db.conn.executemany(
            "UPDATE xapi_outbox SET sent = ? WHERE id = ? AND sent IS NULL",
            [(stamp, statement_id) for statement_id in ids],
        )
        total = db.execute("SELECT count(*) FROM xapi_outbox WHERE sent IS NOT NULL").fetchone()
        _set(db, "sent_total", str(_sent_before_prune(db) + total[0]))
        _set(db, "last_success", stamp)
        _set(db, "last_error", "")


def note_error(db: Database, text: str) -> None:
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        _set(db, "last_error", text)


def prune(db: Database, keep_days: int, now: float | None = None) -> int:
    """Delete sent statements older than the retention period (their events fold likewise)."""
    now = time.time() if now is None else now
    before = minute(now - keep_days * 86400)
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        gone = db.execute(
            "SELECT count(*) FROM xapi_outbox WHERE sent IS NOT NULL AND minute < ?", (before,)
        ).fetchone()[0]
        db.execute("DELETE FROM xapi_outbox WHERE sent IS NOT NULL AND minute < ?", (before,))
        _set(db, "pruned", str(_sent_before_prune(db) + gone))
        # a session whose events are folded away can never be collected again
        db.execute(
            "DELETE FROM xapi_sessions WHERE session NOT IN (SELECT session FROM events) "
            "AND session NOT IN (SELECT session FROM xapi_outbox)"
        )
    return gone


def state(db: Database) -> OutboxState:
    values = dict(db.execute("SELECT name, value FROM xapi_state").fetchall())
    count = db.execute("SELECT count(*) FROM xapi_outbox WHERE sent IS NULL").fetchone()[0]
    return OutboxState(
        waiting=count,
        sent_total=int(values.get("sent_total") or 0),
        last_success=values.get("last_success", ""),
        last_error=values.get("last_error", ""),
    )


def _sent_before_prune(db: Database) -> int:
    return int(_get(db, "pruned") or 0)


def _get(db: Database, name: str) -> str | None:
    row = db.execute("SELECT value FROM xapi_state WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def _set(db: Database, name: str, value: str) -> None:
    db.execute(
        "INSERT INTO xapi_state (name, value) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (name, value),
    )
