"""Oefencodes: a visitor comes back with a code; it expires, is rate-limited, reveals nothing."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from test_pins import as_ordinary_user, open_folder  # noqa: F401 - a fixture

from conftest import SHIPPED
from kiosk.admin.lockout import Lockout as PinLockout
from kiosk.progress.codes import (
    CODE_DIGITS,
    CodeBook,
    CodeUnavailable,
    LookUp,
    Progress,
    new_code,
    normalize,
    purge_expired,
    shown,
)
from kiosk.progress.store import EventLog, erase
from kiosk.scenario.library import load_library
from kiosk.scenario.resume import resumed_run
from kiosk.scenario.solve import solve

ROOT = Path(__file__).resolve().parents[1]
NOW = 1_800_000_000.0
WEEK = 7 * 24 * 3600
TODAY = date(2026, 12, 1)
PROGRESS = Progress(("digid-aanvragen", "toeslagen-inloggen"), "bank-overschrijven", "bedrag")


@pytest.fixture
def event_log(tmp_path):
    log = EventLog(tmp_path / "log.db")
    yield log
    log.close()


@pytest.fixture
def book(event_log):
    return CodeBook(event_log.run_locked)


# --- the code itself -------------------------------------------------------------------------


def test_a_new_code_is_eight_random_digits_never_starting_with_zero():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) > 1990, "random, not one code again and again"
    assert all(len(c) == CODE_DIGITS and c.isdigit() and c[0] != "0" for c in codes)
    assert {c[0] for c in codes} == set("123456789")


def test_a_code_is_shown_in_two_groups_of_four():
    assert shown("48210937") == "4821 0937"


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("48210937", "48210937"),
        ("4821 0937", "48210937"),
        (" 4821-0937 ", "48210937"),
        ("4821.0937", "48210937"),
        ("4821\u20130937", "48210937"),  # an en dash from a phone's keyboard
        ("\u0664\u0668\u0662\u0661 \u0660\u0669\u0663\u0667", "48210937"),  # Arabic-Indic
        ("\u06f4\u06f8\u06f2\u06f1\u06f0\u06f9\u06f3\u06f7", "48210937"),  # Persian
        ("4821 093", None),
        ("4821 09377", None),
        ("4821 O937", None),  # the letter O
        ("", None),
        ("\uff14\uff18\uff12\uff11\uff10\uff19\uff13\uff17", None),  # full-width: not on a kiosk
    ],
)
def test_what_a_visitor_types_is_read_as_eight_digits_or_not_at_all(typed, digits):
    assert normalize(typed) == digits


def test_progress_keeps_finished_exercises_once_in_order_and_where_one_stopped():
    progress = Progress().with_position("a", "s1")
    assert not progress.empty and Progress().empty
    progress = progress.with_finished("b").with_finished("c").with_finished("b")
    assert progress == Progress(("b", "c"), "a", "s1")
    progress = progress.with_finished("a")
    assert progress == Progress(("b", "c", "a")), "finishing it ends where it stopped"
    assert progress.with_position("d", "s2").with_position("e", "s3") == Progress(
        ("b", "c", "a"), "e", "s3"
    )


def test_staff_set_how_many_weeks_a_code_lasts(tmp_path):
    from kiosk.config import load_config
    from kiosk.ui.staff_views import setting_views

    none = tmp_path / "none.toml"
    assert load_config(none, environ={}).resume_code_weeks == 6
    assert load_config(none, environ={"OEFENKIOSK_RESUME_CODE_WEEKS": "52"}).resume_code_weeks == 52
    for bad in ("0", "53", "zes"):
        config = load_config(none, environ={"OEFENKIOSK_RESUME_CODE_WEEKS": bad})
        assert config.resume_code_weeks == 6 and config.problems, bad
    (view,) = [v for v in setting_views(load_config(none, environ={}), {}) if "weken" in v.label]
    assert (view.name, view.label, view.kind, view.value) == (
        "resume_code_weeks",
        "Oefencode geldig (weken)",
        "number",
        6,
    )
    assert (view.minimum, view.maximum, view.step) == (1, 52, 1)


# --- saving and looking up -------------------------------------------------------------------


def test_a_code_brings_back_what_was_saved(book, event_log):
    code = book.save(PROGRESS, NOW, weeks=6)
    assert normalize(code) == code
    assert book.look_up(shown(code), NOW + 60) == LookUp("found", PROGRESS)
    again = CodeBook(event_log.run_locked)  # the kiosk restarted
    assert again.look_up(code, NOW + 120).progress == PROGRESS


def test_two_visits_get_two_codes(book):
    first = book.save(PROGRESS, NOW, weeks=6)
    second = book.save(Progress(("digid-aanvragen",)), NOW, weeks=6)
    assert first != second
    assert book.look_up(first, NOW).progress == PROGRESS
    assert book.look_up(second, NOW).progress == Progress(("digid-aanvragen",))


def test_a_visitor_who_came_back_keeps_the_same_code(book, event_log):
    code = book.save(PROGRESS, NOW, weeks=1)
    found = book.look_up(code, NOW + 3 * 24 * 3600).progress
    later = found.with_finished("bank-overschrijven")
    assert book.save(later, NOW + 5 * 24 * 3600, weeks=1, code=shown(code)) == code
    assert book.look_up(code, NOW + 10 * 24 * 3600) == LookUp("found", later), (
        "the same code, now valid a week from the second visit"
    )
    assert event_log.reader()["resume_codes"].count == 1


def test_only_ids_can_be_saved_and_only_eight_digit_codes(book):
    with pytest.raises(ValueError):
        book.save(Progress(("Amal Yusuf, Kerkstraat 1",)), NOW, weeks=6)
    with pytest.raises(ValueError):
        book.save(Progress((), "digid-aanvragen", "123456789"), NOW, weeks=6)
    with pytest.raises(ValueError):
        book.save(PROGRESS, NOW, weeks=6, code="1234")


def test_an_unknown_code_finds_nothing(book):
    book.save(PROGRESS, NOW, weeks=6)
    assert book.look_up("1234 5678", NOW).status == "unknown"


# --- expiry ----------------------------------------------------------------------------------


def test_a_code_expires_after_its_weeks_and_retention_deletes_it(book, event_log):
    code = book.save(PROGRESS, NOW, weeks=6)
    keeps = book.save(PROGRESS, NOW, weeks=8)
    assert book.look_up(code, NOW + 6 * WEEK - 60).status == "found"
    assert book.look_up(code, NOW + 6 * WEEK).status == "expired"
    assert book.look_up(code, NOW + 6 * WEEK).progress is None, "nothing of an expired code"
    assert book.purge(NOW + 6 * WEEK) == 1
    assert book.look_up(code, NOW + 6 * WEEK).status == "unknown"
    assert book.look_up(keeps, NOW + 6 * WEEK).status == "found"
    assert event_log.run_locked(lambda db: purge_expired(db, NOW + 8 * WEEK)) == 1
    assert event_log.reader()["resume_codes"].count == 0


TIDY = """
import sys, time
from pathlib import Path
from types import SimpleNamespace
from kiosk.progress.codes import CodeBook, Progress
from kiosk.progress.store import EventLog, erase
from kiosk.ui.app import KioskApp

log = EventLog(Path(sys.argv[1]))
book = CodeBook(log.run_locked)
book.save(Progress(("a",)), time.time() - 2 * 7 * 86400, weeks=1)
book.save(Progress(("b",)), time.time(), weeks=1)
KioskApp.keep_log_tidy(SimpleNamespace(settings=SimpleNamespace(retention_days=90), event_log=log))
log.flush()
print(log.reader()["resume_codes"].count)
log.close()
"""


def test_the_kiosks_retention_run_purges_expired_codes(tmp_path):
    """keep_log_tidy, where the kiosk runs the log's retention, also deletes expired codes
    (in a process of its own: Kivy is imported there)."""
    done = subprocess.run(
        [sys.executable, "-c", TIDY, str(tmp_path / "log.db")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "KIVY_NO_ARGS": "1", "KIVY_NO_FILELOG": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "1", "the expired code is gone, not the other"


# --- wrong codes -----------------------------------------------------------------------------


def test_five_wrong_codes_are_looked_up_then_a_wait(book):
    right = book.save(PROGRESS, NOW, weeks=6)
    answers = [book.look_up(f"1000 000{n}", NOW) for n in range(5)]
    assert [a.status for a in answers] == ["unknown"] * 5
    assert [a.seconds_left for a in answers] == [0, 0, 0, 0, 30], "the 5th starts the wait"
    assert book.look_up(right, NOW + 10) == LookUp("wait", seconds_left=20), (
        "not even a right code during the wait"
    )
    assert book.look_up(right, NOW + 31).status == "found"
    assert book.lockout.state.failures == 0, "a right code clears the count"
    assert [book.look_up("1000 0009", NOW + 32).status for _ in range(5)] == ["unknown"] * 5


def test_expired_codes_count_as_wrong_tries(book):
    codes = [book.save(PROGRESS, NOW, weeks=1) for _ in range(6)]
    later = NOW + 2 * WEEK
    assert [book.look_up(c, later).status for c in codes] == ["expired"] * 5 + ["wait"]


def test_a_typing_slip_is_no_try(book):
    right = book.save(PROGRESS, NOW, weeks=6)
    for _ in range(20):
        assert book.look_up("4821 093", NOW) == LookUp("malformed")
    assert book.lockout.state.failures == 0
    assert book.look_up(right, NOW).status == "found"


def test_the_wait_survives_a_restart(tmp_path):
    path = tmp_path / "log.db"
    log = EventLog(path)
    book = CodeBook(log.run_locked)
    right = book.save(PROGRESS, NOW, weeks=6)
    for n in range(6):
        book.look_up(f"2000 000{n}", NOW + 31 * (n == 5))
    log.close()

    again = EventLog(path)
    book = CodeBook(again.run_locked)
    assert book.lockout.state.failures == 6
    assert book.look_up(right, NOW + 41) == LookUp("wait", seconds_left=50)
    assert book.look_up(right, NOW + 92).status == "found"
    again.close()


def test_wrong_codes_and_wrong_pins_have_each_their_own_count(book, event_log):
    pins = PinLockout(event_log.run_locked)
    for n in range(6):
        book.look_up(f"3000 000{n}", NOW)
    assert book.look_up("3000 0009", NOW).status == "wait"
    assert pins.start_try(NOW) == 0 and pins.state.failures == 1, "staff are not locked out"
    for _ in range(6):
        pins.start_try(NOW + 1000)
    assert pins.seconds_left(NOW + 1000) > 0
    pins.succeeded()
    assert book.look_up("3000 0009", NOW + 1).status == "wait", "a right PIN ends no code wait"
    names = dict(event_log.reader().execute("SELECT name, failures FROM lockout").fetchall())
    assert names == {"pin": 0, "oefencode": 5}


# --- fails closed ----------------------------------------------------------------------------


def test_a_disk_that_turns_read_only_looks_up_no_code(book, event_log):
    right = book.save(PROGRESS, NOW, weeks=6)
    event_log.run_locked(lambda db: db.execute("PRAGMA query_only = ON"))
    for _ in range(10):
        assert book.look_up(right, NOW) == LookUp("unavailable"), "the try cannot be stored"
    assert book.lockout.problem
    with pytest.raises(CodeUnavailable):
        book.save(PROGRESS, NOW, weeks=6)
    event_log.run_locked(lambda db: db.execute("PRAGMA query_only = OFF"))
    assert book.look_up(right, NOW).status == "found"


def test_read_only_files_after_a_restart_look_up_no_code(open_folder):  # noqa: F811
    folder = open_folder / "data"
    log = EventLog(folder / "log.db")
    right = CodeBook(log.run_locked).save(PROGRESS, NOW, weeks=6)
    log.close()
    (folder / "log.db").chmod(0o444)
    folder.chmod(0o555)

    def restarts() -> str:
        answers = []
        for _ in range(3):  # each a restart: new objects over the same read-only files
            again = EventLog(folder / "log.db")
            book = CodeBook(again.run_locked)
            answers.append(book.look_up(right, NOW).status)
            try:
                book.save(PROGRESS, NOW, weeks=6)
                answers.append("saved")
            except CodeUnavailable:
                answers.append("not saved")
            again.close()
        return " ".join(answers)

    assert as_ordinary_user(restarts) == " ".join(["unavailable not saved"] * 3)


def test_a_full_disk_saves_no_code(book, event_log):
    event_log.run_locked(
        lambda db: db.execute(
            f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}"
        )
    )
    with pytest.raises(CodeUnavailable, match="full"):
        for _ in range(500):  # the last free page fills up
            book.save(PROGRESS, NOW, weeks=6)


def test_a_log_that_does_not_open_looks_up_nothing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    log = EventLog(blocker / "log.db")  # a file where the folder should be
    book = CodeBook(log.run_locked)
    assert book.look_up("4821 0937", NOW) == LookUp("unavailable")
    with pytest.raises(CodeUnavailable):
        book.save(PROGRESS, NOW, weeks=6)
    log.close()


# --- nothing personal ------------------------------------------------------------------------


def test_the_database_holds_no_code_and_nothing_but_ids(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "log.db"
    log = EventLog(path)
    book = CodeBook(log.run_locked)
    progress = Progress(("herkenbare-oefening",), "andere-oefening", "stap-midden")
    codes = [book.save(progress, NOW, weeks=6) for _ in range(20)]
    codes.append(book.save(progress.with_finished("andere-oefening"), NOW, 6, code=codes[0]))
    for code in codes[:3]:
        assert book.look_up(code, NOW).status == "found"

    def stored() -> bytes:
        files = [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]
        return b"".join(f.read_bytes() for f in files if f.exists())

    for moment in ("open", "closed"):
        if moment == "closed":
            log.close()
        data = stored()
        assert b"herkenbare-oefening" in data and b"stap-midden" in data, "the search can find"
        for code in codes:
            for form in (code, shown(code)):
                assert form.encode() not in data, (moment, form)
                assert form.encode("utf-16-le") not in data, (moment, form)
    for code in codes:
        assert code not in caplog.text and shown(code) not in caplog.text

    db = sqlite3.connect(path)
    columns = [row[1] for row in db.execute("PRAGMA table_info(resume_codes)")]
    assert columns == ["hash", "finished", "stopped_in", "stopped_at", "created", "expires"]
    ids = {"herkenbare-oefening", "andere-oefening", "stap-midden", ""}
    for hashed, finished, stopped_in, stopped_at, *times in db.execute(
        "SELECT * FROM resume_codes"
    ):
        assert len(hashed) == 64 and set(hashed) <= set("0123456789abcdef")
        assert set(json.loads(finished)) | {stopped_in, stopped_at} <= ids
        assert all(isinstance(t, float) for t in times)
    db.close()


def test_erasing_the_log_erases_the_codes_but_not_the_wait(tmp_path):
    path = tmp_path / "log.db"
    log = EventLog(path)
    book = CodeBook(log.run_locked)
    code = book.save(Progress(("herkenbare-oefening",)), NOW, weeks=6)
    for n in range(5):
        book.look_up(f"4000 000{n}", NOW)
    log.run_locked(erase)
    assert log.reader()["resume_codes"].count == 0
    assert book.look_up(code, NOW + 10).status == "wait", "no fresh tries for a guesser"
    assert book.look_up(code, NOW + 31).status == "unknown"
    log.close()
    for suffix in ("", "-wal"):
        file = Path(f"{path}{suffix}")
        if file.exists():
            assert b"herkenbare-oefening" not in file.read_bytes()


# --- going on where the visitor stopped ------------------------------------------------------


@pytest.fixture(scope="module")
def library():
    return load_library(SHIPPED)


def _middle(library, scenario):
    moves = solve(scenario, library.persona_for(scenario), TODAY)
    return moves, len(moves) // 2


def test_every_shipped_exercise_can_be_resumed_in_its_middle(library):
    assert len(library.scenarios) > 20
    for scenario in library.scenarios:
        persona = library.persona_for(scenario)
        moves, middle = _middle(library, scenario)
        step_id = moves[middle].step_id
        run = resumed_run(scenario, persona, step_id, TODAY)
        assert run.step_id == step_id, scenario.id
        assert run.position > 1 or middle == 0, scenario.id
        assert run.summary().steps == () and run.wrong_tries == 0 and run.hints_given == 0
        for move in moves[middle:]:  # the rest is played as usual, and counted
            assert run.act(move.action).moved, (scenario.id, move.step_id)
        assert run.finished, scenario.id
        assert [r.step_id for r in run.summary().steps] == [m.step_id for m in moves[middle:]]


def test_resuming_counts_only_what_the_visitor_does_from_there(library):
    scenario = next(s for s in library.scenarios if len(solve(s, library.persona_for(s))) > 3)
    persona = library.persona_for(scenario)
    moves, middle = _middle(library, scenario)
    run = resumed_run(scenario, persona, moves[middle].step_id, TODAY)
    run.hint()
    assert run.summary().hints == 0 and run.hints_given == 1
    run.act(moves[middle].action)
    assert run.summary().hints == 1 and len(run.summary().steps) == 1


def test_a_step_no_longer_on_the_way_starts_the_exercise_again(library):
    scenario = library.scenarios[0]
    persona = library.persona_for(scenario)
    run = resumed_run(scenario, persona, "stap-die-niet-meer-bestaat", TODAY)
    assert run.step_id == scenario.first_step and not run.finished
    assert run.summary().steps == ()
