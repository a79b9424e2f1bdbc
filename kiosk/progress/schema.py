"""The practice log's tables, as sqlite-utils migrations: one function per schema change.

Never edit an applied migration: add a new one. `Migrations.apply` records
which ones ran in `_sqlite_migrations`, so an old kiosk's log is brought up
to date when it opens.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kiosk.progress.stats import SHIPPED_CONTENT, UNKNOWN_CONTENT

migrations = Migrations("oefenkiosk-progress")


@migrations()
def m001_events(db: Database) -> None:
    """The anonymous events: ids, counts and durations, never anything typed."""
    db["events"].create(
        {
            "seq": int,  # order within this log
            "minute": str,  # 'YYYY-MM-DDTHH:MM', on purpose no finer
            "session": str,  # random, lives only as long as the session
            "kind": str,
            "kiosk": str,
            "mode": str,
            "language": str,
            "scenario": str,
            "step": str,
            "element": str,
            "reason": str,
            "seconds": int,
            "wrong": int,
            "hints": int,
        },
        pk="seq",
    )
    # The statistics read only a few kinds of event in a period: this index covers
    # those queries, so they never touch the table itself.
    db["events"].create_index(
        ["kind", "minute", "scenario", "step", "element", "seconds"], index_name="events_stats"
    )
    db["events"].create_index(["minute"], index_name="events_minute")  # retention


@migrations()
def m002_daily(db: Database) -> None:
    """What is left of old events after the retention period: counts per day."""
    db["daily_runs"].create(
        {"day": str, "scenario": str, "started": int, "finished": int},
        pk=("day", "scenario"),
    )
    db["daily_durations"].create(
        {"day": str, "scenario": str, "seconds": int, "runs": int},
        pk=("day", "scenario", "seconds"),
    )
    db["daily_wrong"].create(
        {"day": str, "scenario": str, "step": str, "element": str, "count": int},
        pk=("day", "scenario", "step", "element"),
    )


@migrations()
def m003_kiosk_state(db: Database) -> None:
    """What staff must see and what must survive a restart: PIN lockout, notices."""
    db["lockout"].create({"name": str, "failures": int, "locked_until": float}, pk="name")
    db["notices"].create({"id": int, "minute": str, "text": str}, pk="id")


@migrations()
def m004_xapi_outbox(db: Database) -> None:
    """xAPI statements waiting for the network's LRS, and which sessions became statements."""
    db["xapi_outbox"].create(
        {
            "id": str,  # the statement's own UUID: a resent statement is never counted twice
            "session": str,
            "minute": str,  # the event's minute, for retention
            "statement": str,  # the statement as JSON, sent exactly as stored
            "sent": str,  # minute it was accepted by the LRS; NULL while waiting
        },
        pk="id",
    )
    db["xapi_outbox"].create_index(["sent", "minute"], index_name="xapi_outbox_waiting")
    db["xapi_sessions"].create({"session": str, "statements": int}, pk="session")
    db["xapi_state"].create({"name": str, "value": str}, pk="name")
    # statements are built per session: its events are read together
    db["events"].create_index(["session"], index_name="events_session")


@migrations()
def m005_content_version(db: Database) -> None:
    """Which content pack an exercise came from, so old and new versions can be told apart."""
    db["events"].add_column("content", str)


@migrations()
def m006_daily_content_version(db: Database) -> None:
    """The daily counts keep the content version, so folding old events does not lose it.

    Counts folded before this have no version. Days before the log could name a
    version (m005) were played with the built-in exercises: nothing else could be
    installed then. A day after that may have had a pack: its version is unknown.
    """
    since = next(
        (m.applied_at[:10] for m in migrations.applied(db) if m.name == "m005_content_version"),
        "",
    )
    for name, pk in (
        ("daily_runs", ("day", "scenario", "content")),
        ("daily_durations", ("day", "scenario", "content", "seconds")),
        ("daily_wrong", ("day", "scenario", "content", "step", "element")),
    ):
        table = db[name]
        table.add_column("content", str, not_null_default=UNKNOWN_CONTENT)
        db.execute(f"UPDATE {name} SET content = ? WHERE day < ?", (SHIPPED_CONTENT, since))
        table.transform(pk=pk)
    # A run's events find their version through their session's start: the statistics' index
    # now covers the session and the version, so the statistics still never read the table.
    db.execute("DROP INDEX events_stats")
    db["events"].create_index(
        ["kind", "minute", "scenario", "step", "element", "seconds", "session", "content"],
        index_name="events_stats_content",
    )


@migrations()
def m007_resume_codes(db: Database) -> None:
    """Oefencodes: what a returning visitor gets back, under a hash of the code.

    Only exercise and step ids and two wall-clock times: no code, nothing typed,
    nothing that tells visits or visitors apart beyond the ids (see codes.py).
    """
    db["resume_codes"].create(
        {
            "hash": str,  # sha256 of the code's 8 digits, hex; never the code itself
            "finished": str,  # JSON list of exercise ids, first finished first
            "stopped_in": str,  # exercise id, "" none
            "stopped_at": str,  # step id in it
            "created": float,  # wall clock (time.time())
            "expires": float,  # wall clock; retention deletes the row after it
        },
        pk="hash",
    )
    db["resume_codes"].create_index(["expires"], index_name="resume_codes_expires")


def apply(db: Database, stop_before: str | None = None) -> None:
    migrations.apply(db, stop_before=stop_before)
