"""The anonymous practice log: migrations, events, statistics, retention, bad disks."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path

import pytest
from sqlite_utils import Database

from kiosk.progress import schema
from kiosk.progress.stats import (
    StepTrouble,
    first_day,
    fold,
    period_stats,
    shown,
    shown_duration,
    shown_rate,
)
from kiosk.progress.store import NOT_SAVED, EventLog, clean_event, erase, open_database

NOON = dt.datetime(2026, 11, 20, 12, 0).timestamp()
DAY = 86400.0


def days_ago(days: float) -> float:
    return NOON - days * DAY


class Clock:
    def __init__(self, now: float = NOON) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def event_log(tmp_path, clock):
    log = EventLog(tmp_path / "log" / "oefenkiosk.db", clock=clock)
    yield log
    log.close()


def rows(log: EventLog) -> list[dict]:
    assert log.flush()
    return list(log.reader()["events"].rows)


# --- migrations -------------------------------------------------------------------------


def migration_names() -> list[str]:
    return [m.name for m in schema.migrations.pending(Database(memory=True))]


def test_migrations_from_an_empty_file(tmp_path):
    db = open_database(tmp_path / "new.db")
    assert {"events", "daily_runs", "daily_durations", "daily_wrong", "lockout", "notices"} <= set(
        db.table_names()
    )
    assert schema.migrations.pending(db) == []
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


@pytest.mark.parametrize("stop_before", migration_names()[1:])
def test_migrations_from_each_earlier_version(tmp_path, stop_before):
    path = tmp_path / "old.db"
    old = Database(path)
    schema.apply(old, stop_before=stop_before)
    assert schema.migrations.pending(old), "the old version must miss a migration"
    if "events" in old.table_names():
        old["events"].insert({"minute": "2026-01-05T10:00", "session": "s", "kind": "x"})
    old.close()
    db = open_database(path)
    assert schema.migrations.pending(db) == []
    assert set(migration_names()) <= {m["name"] for m in db["_sqlite_migrations"].rows}
    if stop_before != migration_names()[0]:
        assert db["events"].count == 1, "existing events survive the upgrade"


def names_before_daily_versions() -> list[str]:
    """Each migration up to the one that gave daily counts a version (m006)."""
    names = migration_names()
    return names[1 : names.index("m006_daily_content_version") + 1]


@pytest.mark.parametrize("stop_before", names_before_daily_versions())
def test_counts_and_events_from_each_earlier_version_get_a_content_version(tmp_path, stop_before):
    """Before the log named versions only the built-in exercises could be played."""
    path = tmp_path / "old.db"
    old = Database(path)
    schema.apply(old, stop_before=stop_before)
    tables = old.table_names()
    expected = [0, 0]
    if "events" in tables:
        for kind in ("scenario_started", "scenario_finished"):
            old["events"].insert(
                {"minute": "2026-11-19T10:00", "session": "oud", "kind": kind, "scenario": "digid"}
            )
        expected = [1, 1]
    if "daily_runs" in tables:
        old["daily_runs"].insert(
            {"day": "2026-06-01", "scenario": "digid", "started": 7, "finished": 5}
        )
        old["daily_durations"].insert(
            {"day": "2026-06-01", "scenario": "digid", "seconds": 60, "runs": 5}
        )
        old["daily_wrong"].insert(
            {"day": "2026-06-01", "scenario": "digid", "step": "sms", "element": "x", "count": 6}
        )
        expected = [expected[0] + 7, expected[1] + 5]
    old.close()

    db = open_database(path)
    for table in ("daily_runs", "daily_durations", "daily_wrong"):
        assert {row["content"] for row in db[table].rows} <= {"ingebouwd"}
    digid = period_stats(db, 400, NOON).rows_of("digid")
    assert [(r.content, r.versions, r.started, r.finished) for r in digid] == [
        ("ingebouwd", 1, *expected)
    ]
    if "daily_runs" in tables:
        assert digid[0].median_seconds == 60 and digid[0].wrong_choice.count == 6


def test_counts_folded_while_a_pack_could_be_played_have_an_unknown_version(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    schema.apply(old, stop_before="m006_daily_content_version")
    old.execute(
        "UPDATE _sqlite_migrations SET applied_at = '2026-09-01 08:00:00.000000+00:00' "
        "WHERE name = 'm005_content_version'"
    )
    for day in ("2026-08-31", "2026-09-02"):
        old["daily_runs"].insert({"day": day, "scenario": "digid", "started": 6, "finished": 5})
    old.close()
    db = open_database(path)
    digid = period_stats(db, 400, NOON).rows_of("digid")
    assert [(r.content, r.versions, r.started) for r in digid] == [
        ("ingebouwd", 2, 6),
        ("onbekend", 2, 6),
    ]


def test_opening_twice_applies_nothing_again(tmp_path):
    path = tmp_path / "log.db"
    open_database(path).close()
    applied = list(Database(path)["_sqlite_migrations"].rows)
    open_database(path).close()
    assert list(Database(path)["_sqlite_migrations"].rows) == applied


# --- events -------------------------------------------------------------------------------


def test_events_are_written_with_a_coarse_time_and_in_order(event_log, clock):
    clock.now = NOON + 37.25
    assert event_log.log("session_started", "abc", kiosk="taalhuis", language="ar", mode="visitor")
    event_log.log("scenario_started", "abc", scenario="digid-inloggen", language="ar")
    event_log.log("wrong_action", "abc", scenario="digid-inloggen", step="sms", element="terug")
    stored = rows(event_log)
    assert [r["kind"] for r in stored] == ["session_started", "scenario_started", "wrong_action"]
    assert [r["seq"] for r in stored] == [1, 2, 3]
    assert {r["minute"] for r in stored} == {"2026-11-20T12:00"}
    assert stored[0]["language"] == "ar" and stored[2]["element"] == "terug"


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("typed_text", {"scenario": "x"}),  # not an event the log knows
        ("wrong_action", {"scenario": "x", "step": "s", "text": "geheim"}),  # a field not allowed
        ("wrong_action", {"scenario": "x", "step": "s", "element": "123456782"}),  # a number
        ("wrong_action", {"scenario": "x", "step": "s", "element": "Amal Haddad, Utrecht"}),
        ("scenario_finished", {"scenario": "x", "seconds": "12"}),
        ("scenario_finished", {"scenario": "x", "seconds": -1}),
    ],
)
def test_anything_but_ids_and_counts_is_refused(kind, fields):
    assert clean_event(kind, fields) is None


def test_a_refused_event_is_not_stored(event_log):
    assert not event_log.log("wrong_action", "abc", scenario="x", step="s", element="06-12345678")
    assert rows(event_log) == []


def test_log_returns_at_once_and_the_writer_catches_up(event_log):
    started = time.perf_counter()
    for _ in range(2000):
        event_log.log("step_correct", "abc", scenario="digid-inloggen", step="naam")
    queued = time.perf_counter() - started
    assert event_log.flush()
    assert event_log.reader()["events"].count == 2000
    assert queued < 1.0  # a generous bound; `oefenkiosk bench` measures the real cost


def test_a_log_started_later_keeps_what_came_before(tmp_path):
    log = EventLog(tmp_path / "late.db", start=False)  # as the kiosk: opened after its first frame
    log.log("session_started", "abc", kiosk="test", language="nl", mode="visitor")
    assert not (tmp_path / "late.db").exists()
    log.close()  # closing before the start still writes the queued event
    assert [r["kind"] for r in Database(tmp_path / "late.db")["events"].rows] == ["session_started"]


def test_a_log_never_started_and_never_used_leaves_no_file(tmp_path):
    log = EventLog(tmp_path / "unused.db", start=False)
    log.close()
    assert not (tmp_path / "unused.db").exists()


# --- statistics ---------------------------------------------------------------------------


def play(
    log: EventLog,
    clock: Clock,
    when: float,
    scenario: str,
    *,
    finish: int | None,
    wrong: tuple[tuple[str, str], ...] = (),
    content: str | None = None,
) -> str:
    clock.now = when
    session = f"s{int(when) % 99991}{scenario[:3]}{content or ''}"
    log.log("session_started", session, kiosk="k", language="nl", mode="visitor")
    log.log("scenario_started", session, scenario=scenario, language="nl", content=content)
    for step, element in wrong:
        log.log("wrong_action", session, scenario=scenario, step=step, element=element)
    if finish is None:
        log.log("scenario_left", session, scenario=scenario, step="sms", reason="idle")
    else:
        log.log(
            "scenario_finished",
            session,
            scenario=scenario,
            seconds=finish,
            wrong=len(wrong),
            hints=0,
        )
    return session


def test_statistics_per_scenario_and_period(event_log, clock):
    for index, seconds in enumerate((100, 200, 300, 400, 500, 600)):
        play(
            event_log,
            clock,
            days_ago(index * 0.1),
            "digid",
            finish=seconds,
            wrong=(("sms", "terug"),) * (index % 2 + 1),
        )
    for index in range(4):
        play(
            event_log,
            clock,
            days_ago(1 + index * 0.1),
            "digid",
            finish=None,
            wrong=(("wachtwoord", "vergeten"),),
        )
    play(event_log, clock, days_ago(20), "digid", finish=50)
    play(event_log, clock, days_ago(40), "digid", finish=50)  # outside both periods
    assert event_log.flush()
    db = event_log.reader()

    week = period_stats(db, 7, NOON).of("digid")
    assert (week.started, week.finished) == (10, 6)
    assert week.finish_rate == pytest.approx(0.6) and shown_rate(week) == "60%"
    assert week.median_seconds == 300  # lower middle of 100..600
    assert [(t.step, t.wrong) for t in week.trouble] == [("sms", 9), ("wachtwoord", 4)]
    assert (week.wrong_choice.step, week.wrong_choice.element, week.wrong_choice.count) == (
        "sms",
        "terug",
        9,
    )

    month = period_stats(db, 30, NOON).of("digid")
    assert (month.started, month.finished) == (11, 7)
    assert period_stats(db, 7, NOON).first_day == "2026-11-14"


def test_an_exercise_played_in_two_versions_gets_a_row_for_each(event_log, clock):
    for index, seconds in enumerate((100, 200, 300, 400, 500, 600)):
        play(
            event_log,
            clock,
            days_ago(2 + index * 0.1),
            "digid",
            finish=seconds,
            wrong=(("sms", "terug"),),
            content="ingebouwd",
        )
    for index in range(3):
        play(
            event_log,
            clock,
            days_ago(index * 0.1),
            "digid",
            finish=50,
            wrong=(("code", "opnieuw"),),
            content="basis-2026.2",
        )
    for index in range(5):
        play(event_log, clock, days_ago(index * 0.1), "brief", finish=70, content="basis-2026.2")
    assert event_log.flush()
    week = period_stats(event_log.reader(), 7, NOON)

    old, new = week.rows_of("digid")
    assert (old.content, old.versions, new.content, new.versions) == (
        "ingebouwd",
        2,
        "basis-2026.2",
        2,
    )
    assert (old.started, old.finished, old.median_seconds, shown_rate(old)) == (6, 6, 300, "100%")
    assert old.trouble == (StepTrouble("sms", 6),)
    # the new version's own small counts are hidden, not merged into the old version's
    assert (shown(new.started), shown(new.finished), shown_rate(new)) == ("< 5", "< 5", "–")
    assert new.median_seconds is None
    assert new.trouble == (StepTrouble("code", 3),) and new.wrong_choice.element == "opnieuw"
    (brief,) = week.rows_of("brief")
    assert (brief.content, brief.versions, brief.started) == ("basis-2026.2", 1, 5)


def test_small_numbers_are_not_shown():
    assert [shown(n) for n in (0, 1, 4, 5, 12)] == ["0", "< 5", "< 5", "5", "12"]
    assert shown_duration(None) == "–" and shown_duration(125) == "2:05"


def test_rate_and_median_need_five_runs(event_log, clock):
    for seconds in (60, 70, 80, 90):
        play(event_log, clock, NOON, "brief", finish=seconds)
    assert event_log.flush()
    few = period_stats(event_log.reader(), 7, NOON).of("brief")
    assert few.finish_rate is None and shown_rate(few) == "–"
    assert few.median_seconds is None


def test_first_day_counts_today_in():
    assert first_day(1, NOON) == "2026-11-20" and first_day(30, NOON) == "2026-10-22"


# --- retention ----------------------------------------------------------------------------


def test_retention_folds_old_events_into_days_and_deletes_them(event_log, clock):
    for index, seconds in enumerate((100, 200, 300, 400, 500)):
        play(
            event_log,
            clock,
            days_ago(100 + index),
            "digid",
            finish=seconds,
            wrong=(("sms", "terug"),),
        )
    play(event_log, clock, days_ago(101), "digid", finish=None)
    play(event_log, clock, days_ago(2), "digid", finish=600, wrong=(("sms", "terug"),))
    assert event_log.flush()
    everything_before = period_stats(event_log.reader(), 400, NOON).of("digid")

    deleted = event_log.run_locked(lambda db: fold(db, 90, NOON))
    assert deleted == 5 * 4 + 3  # every event of the six old runs; the recent run stays
    db = event_log.reader()
    assert db.execute("SELECT min(minute) FROM events").fetchone()[0] >= "2026-08-22"
    assert db["daily_runs"].count == 5  # one row per day and scenario
    assert period_stats(db, 400, NOON).of("digid") == everything_before

    # folding again changes nothing; folding new old events adds to the day's counts
    assert event_log.run_locked(lambda db: fold(db, 90, NOON)) == 0
    play(event_log, clock, days_ago(100), "digid", finish=100)
    event_log.run_locked(lambda db: fold(db, 90, NOON))
    assert period_stats(event_log.reader(), 400, NOON).of("digid").started == 8


def test_retention_keeps_the_content_version(event_log, clock):
    for index in range(5):
        play(
            event_log,
            clock,
            days_ago(100 + index),
            "digid",
            finish=100 * (index + 1),
            wrong=(("sms", "terug"),),
            content="basis-2026.1",
        )
    for index in range(3):
        play(event_log, clock, days_ago(95 + index), "digid", finish=300, content="basis-2026.2")
    # a session that runs past the first kept day's midnight: its start is folded, its end not
    clock.now = dt.datetime.fromisoformat(first_day(90, NOON)).timestamp() - 60
    event_log.log(
        "scenario_started", "laat", scenario="digid", language="nl", content="basis-2026.2"
    )
    clock.now += 120
    event_log.log("wrong_action", "laat", scenario="digid", step="sms", element="terug")
    event_log.log("scenario_finished", "laat", scenario="digid", seconds=120, wrong=1, hints=0)
    assert event_log.flush()
    before = period_stats(event_log.reader(), 400, NOON)

    event_log.run_locked(lambda db: fold(db, 90, NOON))
    db = event_log.reader()
    assert db.execute("SELECT count(*) FROM events WHERE session = 'laat'").fetchone()[0] == 2
    assert {row["content"] for row in db["daily_runs"].rows} == {"basis-2026.1", "basis-2026.2"}
    after = period_stats(db, 400, NOON)
    assert after == before
    assert [(r.content, r.started, r.finished) for r in after.rows_of("digid")] == [
        ("basis-2026.1", 5, 5),
        ("basis-2026.2", 4, 4),
    ]


# --- disks that fail ------------------------------------------------------------------------


def test_a_read_only_log_keeps_the_kiosk_going_and_tells_staff(tmp_path, clock):
    log = EventLog(tmp_path / "log.db", clock=clock)
    # SQLite answers exactly as for a read-only file (SQLITE_READONLY); file modes
    # would not stop the tests when they run as root
    log.run_locked(lambda db: db.execute("PRAGMA query_only = ON"))
    assert log.log("step_correct", "abc", scenario="x", step="a")
    assert log.flush()
    assert not log.status.ok and NOT_SAVED in log.status.problem
    assert "readonly" in log.status.problem
    log.run_locked(lambda db: db.execute("PRAGMA query_only = OFF"))
    log.log("step_correct", "abc", scenario="x", step="b")
    assert log.flush() and log.status.ok
    assert log.reader()["events"].count == 2
    log.close()


def test_a_full_disk_keeps_the_kiosk_going_and_tells_staff(tmp_path, clock):
    path = tmp_path / "log.db"
    log = EventLog(path, clock=clock)
    log.log("step_correct", "abc", scenario="x", step="a")
    assert log.flush()
    # a database limited to its current size behaves exactly as a full disk
    log.run_locked(
        lambda db: db.execute(
            f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}"
        )
    )
    for _ in range(3000):
        assert log.log("step_correct", "abc", scenario="x", step="a" * 60)
    assert log.flush()
    assert not log.status.ok and NOT_SAVED in log.status.problem
    assert "full" in log.status.problem
    # room again: the events kept in memory are written after all
    log.run_locked(lambda db: db.execute("PRAGMA max_page_count = 1073741823"))
    log.log("step_correct", "abc", scenario="x", step="b")
    assert log.flush()
    assert log.status.ok
    assert log.reader()["events"].count == 3002
    log.close()


def test_a_log_that_cannot_be_opened_says_not_saved_once(tmp_path, clock):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    log = EventLog(blocker / "sub" / "log.db", clock=clock)
    for step in ("a", "b"):  # each batch tries to open the log again
        log.log("step_correct", "abc", scenario="x", step=step)
        assert log.flush()
    assert log.status.problem.count(NOT_SAVED) == 1, log.status.problem
    log.close()


def test_staff_are_told_when_the_log_had_been_failing_and_works_again(tmp_path, clock):
    log = EventLog(tmp_path / "log.db", clock=clock)
    log.run_locked(lambda db: db.execute("PRAGMA query_only = ON"))
    log.log("step_correct", "abc", scenario="x", step="a")
    assert log.flush() and not log.status.ok
    clock.now += 20 * 60
    log.run_locked(lambda db: db.execute("PRAGMA query_only = OFF"))
    log.log("step_correct", "abc", scenario="x", step="b")
    assert log.flush() and log.status.ok
    recovered = [n for n in log.notices if "weer" in n]
    assert len(recovered) == 1, log.notices
    assert "op 20-11 van 12:00 tot 12:20" in recovered[0] and "readonly" in recovered[0]
    assert "niets verloren" in recovered[0]  # every event was kept and written after all
    assert "12:00" in log.reader()["notices"].get(1)["text"]
    log.close()


def test_staff_are_told_how_many_events_were_lost_while_the_log_failed(tmp_path, clock):
    from kiosk.progress import store

    log = EventLog(tmp_path / "log.db", clock=clock)
    log.run_locked(lambda db: db.execute("PRAGMA query_only = ON"))
    for _ in range(store.BACKLOG + 25):
        log.log("step_correct", "abc", scenario="x", step="a")
    assert log.flush() and not log.status.ok
    log.run_locked(lambda db: db.execute("PRAGMA query_only = OFF"))
    log.log("step_correct", "abc", scenario="x", step="b")
    assert log.flush() and log.status.ok
    assert any("25 gebeurtenissen" in n and "verloren" in n for n in log.notices), log.notices
    log.close()


def test_a_log_that_cannot_be_created_is_reported_not_raised(tmp_path, clock):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    log = EventLog(blocker / "sub" / "log.db", clock=clock)
    assert log.log("step_correct", "abc", scenario="x", step="a")
    assert log.flush()
    assert not log.status.ok and NOT_SAVED in log.status.problem
    log.close()


def test_a_damaged_log_is_moved_aside_with_its_files_and_staff_are_told(tmp_path, clock):
    path = tmp_path / "log.db"
    log = EventLog(path, clock=clock)
    for _ in range(500):
        log.log("step_correct", "abc", scenario="x", step="a")
    log.close()
    data = bytearray(path.read_bytes())
    data[4096:12288] = b"\xff" * 8192  # overwrite pages in the middle
    path.write_bytes(bytes(data))
    Path(f"{path}-wal").write_bytes(b"leftover")

    log = EventLog(path, clock=clock)
    assert log.flush()
    moved = {p.name for p in tmp_path.iterdir() if "damaged" in p.name}
    aside = "log-damaged-20261120-120000.db"
    assert {aside, f"{aside}-wal"} <= moved <= {aside, f"{aside}-wal", f"{aside}-shm"}
    assert (tmp_path / f"{aside}-wal").read_bytes() == b"leftover", "its own WAL went with it"
    assert log.notices and "beschadigd" in log.notices[0]
    log.log("step_correct", "abc", scenario="x", step="a")
    assert log.flush()
    assert log.status.ok and log.reader()["events"].count == 1
    assert "beschadigd" in log.reader()["notices"].get(1)["text"]
    log.close()


# --- erasing --------------------------------------------------------------------------------


def test_erase_removes_every_event_from_the_file_bytes(tmp_path, clock):
    path = tmp_path / "log.db"
    log = EventLog(path, clock=clock)
    for _ in range(200):
        log.log(
            "wrong_action",
            "abc",
            scenario="herkenbaar-scenario",
            step="s",
            element="herkenbaar-element",
        )
    assert log.flush()
    log.run_locked(
        lambda db: db["lockout"].insert({"name": "pin", "failures": 3, "locked_until": 0.0})
    )
    log.run_locked(erase)
    assert log.reader()["events"].count == 0
    assert log.reader()["lockout"].count == 1, "erasing the log does not reset the lockout"
    log.close()
    for suffix in ("", "-wal"):
        file = Path(f"{path}{suffix}")
        if file.exists():
            assert b"herkenbaar" not in file.read_bytes()


def test_reader_does_not_block_the_writer(event_log):
    event_log.log("step_correct", "abc", scenario="x", step="a")
    assert event_log.flush()
    reader = event_log.reader()
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    event_log.log("step_correct", "abc", scenario="x", step="a")
    assert event_log.flush() and event_log.status.ok
    reader.execute("COMMIT")
    with pytest.raises(sqlite3.OperationalError):
        reader.execute("INSERT INTO events (kind) VALUES ('x')")


def test_the_bench_measures_a_real_log_and_folds_it():
    from kiosk.progress.bench import measure

    figures = measure(events=300, stats_events=4000)
    assert figures.log_call_us > 0 and figures.writes_per_second > 0
    assert figures.stats_ms > 0 and figures.fold_ms > 0
    assert figures.stats_events == 4000
    assert 0 < figures.folded < 4000  # spread over 120 days: about a quarter is older than 90
