"""The practice log's tables, as sqlite-utils migrations: one function per schema change.

Never edit an applied migration: add a new one. `Migrations.apply` records
which ones ran in `_sqlite_migrations`, so an old kiosk's log is brought up
to date when it opens.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

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


def apply(db: Database, stop_before: str | None = None) -> None:
    migrations.apply(db, stop_before=stop_before)
