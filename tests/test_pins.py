"""PINs: scrypt hashes with their parameters, constant-time checks, a lockout that lasts."""

from __future__ import annotations

import base64
import getpass
import hmac
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from kiosk.admin import pins
from kiosk.admin.lockout import (
    Lockout,
    LockoutUnavailable,
    LockState,
    seconds_left,
    wait_after,
)
from kiosk.admin.pins import PinError, PinFile, PinFileDamaged, hash_pin, verify_pin
from kiosk.progress.store import EventLog


def test_hash_format_names_scheme_cost_salt_and_hash():
    stored = hash_pin("246810")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**15, 8, 1)
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert "246810" not in stored


def test_same_pin_gets_a_different_salt_and_hash():
    assert hash_pin("246810") != hash_pin("246810")


def test_verify_right_and_wrong_pin():
    stored = hash_pin("246810")
    assert verify_pin("246810", stored)
    assert not verify_pin("246811", stored)
    assert not verify_pin("246810", "md5$abc")
    assert not verify_pin("246810", "scrypt$x$8$1$AAAA$AAAA")


def test_old_cost_parameters_still_verify():
    salt = b"0123456789abcdef"
    digest = pins._scrypt("135790", salt, 2**10, 8, 1)
    stored = f"scrypt${2**10}$8$1${pins._b64(salt)}${pins._b64(digest)}"
    assert verify_pin("135790", stored)


def test_the_compare_is_constant_time(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(pins.hmac, "compare_digest", spy)
    stored = hash_pin("246810")
    assert verify_pin("246810", stored) and not verify_pin("999999", stored)
    assert len(calls) == 2 and all(isinstance(a, bytes) for a, _ in calls)


@pytest.mark.parametrize(
    ("pin", "why"),
    [
        ("12345", "minstens 6"),
        ("12a456", "alleen cijfers"),
        ("１２３４５６", "alleen cijfers"),  # full-width digits
        ("000000", "te makkelijk"),
        ("123456", "te makkelijk"),
        ("987654", "te makkelijk"),
    ],
)
def test_weak_pins_are_refused(pin, why):
    with pytest.raises(PinError, match=why):
        pins.check_new_pin(pin)


def test_pin_file_holds_hashes_only_and_only_for_the_kiosk(tmp_path):
    store = PinFile.in_folder(tmp_path / "data")
    assert store.missing() == ("volunteer", "staff")
    store.set_pin("staff", "582913")
    store.set_pin("volunteer", "771204")
    text = store.path.read_text()
    assert "582913" not in text and "771204" not in text and text.count("scrypt$") == 2
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.role_of("582913") == "staff"
    assert store.role_of("771204") == "volunteer"
    assert store.role_of("000001") is None
    assert store.missing() == ()


def test_the_two_roles_need_different_pins(tmp_path):
    store = PinFile.in_folder(tmp_path)
    store.set_pin("staff", "582913")
    with pytest.raises(PinError, match="andere pincode"):
        store.set_pin("volunteer", "582913")


# --- a damaged PIN file fails closed --------------------------------------------------------


def _valid_file(folder: Path) -> PinFile:
    store = PinFile.in_folder(folder)
    store.set_pin("staff", "582913")
    store.set_pin("volunteer", "771204")
    return store


def _flip_one_byte(text: str) -> str:
    """One character of the staff hash changed for another base64 character."""
    start = text.index("staff = ")
    at = text.rindex("$", start, text.index("\n", start)) + 5  # inside the staff hash's digest
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]


DAMAGE = {
    "bad TOML": lambda text: "staff = = broken\n",
    "staff line made a comment by one byte": lambda text: text.replace("staff =", "#taff =", 1),
    "one byte of the staff hash changed": _flip_one_byte,
    "a number instead of a hash": lambda text: "staff = 582913\n",
    "a list instead of a hash": lambda text: 'staff = ["scrypt"]\n',
    "a table instead of a hash": lambda text: "[staff]\nhash = 1\n",
    "a hash not of our format": lambda text: 'staff = "md5$0f343b0931126a20f133d67c2b018a3b"\n',
    "an scrypt cost that would take gigabytes": lambda text: text.replace(
        "$32768$", "$1073741824$"
    ),
    "cut off in the middle": lambda text: text[: len(text) * 2 // 3],
    "cut off at the end of a line": lambda text: text[: text.index("\n", text.index("staff")) + 1],
    "empty": lambda text: "",
    "only spaces": lambda text: " \n\n",
    "only the volunteer PIN": lambda text: "\n".join(
        line for line in text.splitlines() if not line.startswith(("staff", "checksum"))
    ),
    "a role it does not know": lambda text: text + 'admin = "x"\n',
    "not UTF-8": lambda text: text.replace("Oefenkiosk", "Oefenkiosk\udcff"),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_pin_file_is_never_no_pins_and_is_kept(tmp_path, damage):
    store = _valid_file(tmp_path)
    text = DAMAGE[damage](store.path.read_text())
    store.path.write_bytes(text.encode("utf-8", "surrogateescape"))
    before = store.path.read_bytes()
    pins = store.read()
    assert pins.damage and not pins.never_set, damage
    assert store.missing() == (), "a damaged file must not lead to 'Stel ze nu in'"
    with pytest.raises(PinFileDamaged):
        store.role_of("582913")
    with pytest.raises(PinFileDamaged):
        store.set_pin("staff", "135792")
    assert store.path.read_bytes() == before, "the damaged file is not overwritten"


def test_a_directory_in_place_of_the_pin_file_keeps_both_modes_shut(tmp_path):
    store = PinFile.in_folder(tmp_path)
    store.path.mkdir()
    assert store.read().damage and store.missing() == ()
    with pytest.raises(PinFileDamaged):
        store.role_of("582913")


def as_ordinary_user(work) -> str:
    """`work()` run by an ordinary user, as the kiosk runs: root reads and writes any file."""
    if os.geteuid() != 0:
        return work()
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.close(reader)
            os.setgid(65534)
            os.setuid(65534)
            os.write(writer, str(work()).encode())
        except BaseException as error:
            os.write(writer, f"error: {error!r}".encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as handle:
        answer = handle.read().decode()
    os.waitpid(child, 0)
    return answer


def _read_as_the_kiosk_user(path: Path) -> str:
    def work() -> str:
        pins_read = PinFile(path).read()
        return f"{pins_read.damage!r} {pins_read.never_set} {PinFile(path).missing()}"

    return as_ordinary_user(work)


@pytest.fixture
def open_folder():
    """A folder an ordinary user can reach (pytest's own are for root only)."""
    folder = Path(tempfile.mkdtemp(prefix="oefenkiosk-"))
    folder.chmod(0o755)
    yield folder
    for path in (folder, *folder.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


@pytest.mark.parametrize("kind", ["pipe", "huge"])
def test_a_pipe_or_a_huge_file_in_its_place_is_refused_without_waiting(tmp_path, kind):
    store = PinFile.in_folder(tmp_path)
    if kind == "pipe":
        os.mkfifo(store.path)  # reading it would wait for a writer for ever
    else:
        with store.path.open("wb") as handle:
            handle.truncate(2**30)  # sparse: a gigabyte on paper
    started = time.monotonic()
    assert store.read().damage and store.missing() == ()
    assert time.monotonic() - started < 1


def test_a_pin_file_the_kiosk_may_not_read_keeps_both_modes_shut(open_folder):
    store = _valid_file(open_folder)
    store.path.chmod(0o644)
    assert _read_as_the_kiosk_user(store.path) == "'' False ()"
    store.path.chmod(0)
    assert _read_as_the_kiosk_user(store.path) == "'Permission denied' False ()"


def test_only_a_kiosk_that_never_had_a_pin_file_is_new(tmp_path):
    store = PinFile.in_folder(tmp_path)
    assert store.read().never_set and store.missing() == ("volunteer", "staff")
    store.path.write_text("staff = = broken\n")
    store.set_pin("staff", "582913", replace_damaged=True)
    store.path.unlink()  # a damaged file was kept aside: this kiosk had PINs
    assert not store.read().never_set and store.read().damage
    assert store.missing() == ()


def test_the_staff_pin_comes_first(tmp_path):
    store = PinFile.in_folder(tmp_path)
    with pytest.raises(PinError, match="eerst de pincode voor medewerkers"):
        store.set_pin("volunteer", "771204")
    assert not store.path.exists()


def test_replacing_a_damaged_file_keeps_it_aside_and_starts_afresh(tmp_path):
    store = _valid_file(tmp_path)
    store.path.write_text("staff = = broken\n")
    first = store.set_pin("staff", "135792", replace_damaged=True)
    assert first is not None and first.read_text() == "staff = = broken\n"
    assert first.name.startswith("pins.toml.damaged-")
    assert store.read().damage == "" and store.missing() == ("volunteer",)
    assert store.role_of("135792") == "staff" and store.role_of("771204") is None
    store.path.write_text("")
    second = store.set_pin("staff", "135792", replace_damaged=True)
    assert second != first and first.exists() and second.read_text() == ""
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_a_pin_file_from_before_the_checksum_still_opens(tmp_path):
    store = PinFile.in_folder(tmp_path)
    store.path.write_text(f'staff = "{hash_pin("582913")}"\nvolunteer = "{hash_pin("771204")}"\n')
    assert store.read().damage == "" and store.role_of("771204") == "volunteer"


def test_a_damaged_cost_is_refused_before_scrypt_runs():
    started = time.monotonic()
    assert not verify_pin("582913", "scrypt$1073741824$8$1$AAAAAAAAAAA=$" + "A" * 43 + "=")
    assert time.monotonic() - started < 0.5


def test_the_recovery_command_reaches_this_kiosks_pin_file(tmp_path):
    folder = tmp_path / "data folder"
    store = PinFile.in_folder(folder)
    store.set_pin("staff", "582913")
    store.path.write_text("staff = = broken\n")
    words = shlex.split(pins.recovery_command(folder))
    if words[0] == "sudo":
        assert words[1:3] == ["-u", getpass.getuser()]
        words = words[3:]
    variable, program, *arguments = words
    assert program.endswith("oefenkiosk") and arguments == ["set-pin", "staff"]
    name, value = variable.split("=", 1)
    # run as typed (the same program, from this source tree), with no other settings
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *arguments],
        input="135792\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            name: value,
            "OEFENKIOSK_CONFIG": str(tmp_path / "none.toml"),
            "PYTHONPATH": str(Path(pins.__file__).parents[2]),
        },
    )
    assert done.returncode == 0, done.stderr
    assert store.role_of("135792") == "staff" and len(store.kept_aside()) == 1


# --- lockout ---------------------------------------------------------------------------


def test_waits_double_after_five_wrong_pins_up_to_fifteen_minutes():
    assert [wait_after(n) for n in range(4, 12)] == [0, 30, 60, 120, 240, 480, 900, 900]


def test_a_clock_that_jumped_back_never_locks_longer_than_earned():
    state = LockState(failures=5, locked_until=10_000.0)
    assert seconds_left(state, now=9_990.0) == 10
    assert seconds_left(state, now=0.0) == 30  # the clock went back at boot


@pytest.fixture
def event_log(tmp_path):
    log = EventLog(tmp_path / "log.db")
    yield log
    log.close()


def wrong_tries(lock: Lockout, count: int, now: float) -> float:
    """`count` tries with a wrong PIN; the wait after the last."""
    for _ in range(count):
        lock.start_try(now)
    return lock.seconds_left(now)


def test_lockout_after_five_wrong_pins(event_log):
    lock = Lockout(event_log.run_locked)
    now = 1_000_000.0
    assert wrong_tries(lock, 4, now) == 0
    assert wrong_tries(lock, 1, now) == 30
    assert lock.start_try(now + 10) == 20, "no try while the wait runs"
    assert lock.state.failures == 5
    assert wrong_tries(lock, 1, now + 31) == 60
    lock.succeeded()
    assert lock.seconds_left(now + 32) == 0 and lock.state == LockState()


def test_a_right_pin_takes_back_only_what_start_try_counted(event_log):
    lock = Lockout(event_log.run_locked)
    assert lock.start_try(100.0) == 0 and lock.state.failures == 1
    lock.succeeded()
    assert Lockout(event_log.run_locked).state == LockState()


def test_lockout_survives_a_restart(tmp_path):
    path = tmp_path / "log.db"
    log = EventLog(path)
    lock = Lockout(log.run_locked)
    wrong_tries(lock, 5, 2_000_000.0)
    wrong_tries(lock, 1, 2_000_031.0)
    log.close()

    again = EventLog(path)
    lock = Lockout(again.run_locked)
    assert lock.state.failures == 6
    assert lock.seconds_left(2_000_041.0) == 50
    again.close()


def test_a_try_cut_off_during_the_check_still_counts(tmp_path):
    """The plug pulled while scrypt runs: the try was stored before, as a wrong one."""
    path = tmp_path / "log.db"
    code = (
        "import sys; from pathlib import Path; from kiosk.progress.store import EventLog; "
        "from kiosk.admin.lockout import Lockout; log = EventLog(Path(sys.argv[1])); "
        "lock = Lockout(log.run_locked); [lock.start_try(5000.0) for _ in range(5)]; "
        "import os; os._exit(0)"  # no close, no succeeded: the process just ends
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(pins.__file__).parents[2])},
    )
    assert done.returncode == 0, done.stderr
    log = EventLog(path)
    lock = Lockout(log.run_locked)
    assert lock.state.failures == 5 and lock.start_try(5001.0) == 29
    log.close()


def test_no_pin_is_tried_when_the_log_cannot_be_opened(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    log = EventLog(blocker / "log.db")  # a file where the folder should be: a real error
    lock = Lockout(log.run_locked)
    assert lock.problem
    with pytest.raises(LockoutUnavailable):
        lock.start_try(100.0)
    log.close()


def test_a_read_only_disk_gives_no_fresh_tries_after_a_restart(open_folder):
    folder = open_folder / "data"
    log = EventLog(folder / "log.db")
    wrong_tries(Lockout(log.run_locked), 3, 7000.0)
    log.close()
    (folder / "log.db").chmod(0o444)
    folder.chmod(0o555)

    def restarts() -> str:
        refused = 0
        for _ in range(3):  # each a restart: new objects over the same read-only files
            again = EventLog(folder / "log.db")
            try:
                Lockout(again.run_locked).start_try(7001.0)
            except LockoutUnavailable:
                refused += 1
            again.close()
        return f"{refused} of 3 refused"

    assert as_ordinary_user(restarts) == "3 of 3 refused"
    folder.chmod(0o755)
    (folder / "log.db").chmod(0o644)
    log = EventLog(folder / "log.db")
    lock = Lockout(log.run_locked)
    assert lock.state.failures == 3, "nothing lost, nothing gained"
    assert lock.start_try(7002.0) == 0 and lock.state.failures == 4, "writable again: a try"
    log.close()


def test_a_disk_that_turns_read_only_gives_no_tries(event_log):
    lock = Lockout(event_log.run_locked)
    wrong_tries(lock, 2, 9000.0)
    event_log.run_locked(lambda db: db.execute("PRAGMA query_only = ON"))
    for _ in range(10):
        with pytest.raises(LockoutUnavailable, match="readonly"):
            lock.start_try(9000.0)
    assert lock.problem
    event_log.run_locked(lambda db: db.execute("PRAGMA query_only = OFF"))
    assert lock.start_try(9000.0) == 0 and lock.state.failures == 3, "writable again: a try"


FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from kiosk.admin.lockout import Lockout, LockoutUnavailable
from kiosk.progress.store import EventLog

log = EventLog(Path(sys.argv[1]))
lock = Lockout(log.run_locked)
lock.start_try(9000.0)
# from here on the disk is full: no file may grow by a single byte
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
refused = 0
for _ in range(20):
    try:
        lock.start_try(9000.0)
    except LockoutUnavailable:
        refused += 1
print(refused, lock.problem)
"""


def test_a_full_disk_gives_no_tries_and_a_restart_none_either(tmp_path):
    path = tmp_path / "log.db"
    for run in range(2):  # the kiosk, restarted on the still full disk
        done = subprocess.run(
            [sys.executable, "-c", FULL_DISK, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(Path(pins.__file__).parents[2])},
        )
        refused, problem = done.stdout.split(" ", 1)
        assert refused == "20", (run, done.stdout, done.stderr)
        assert "disk" in problem or "full" in problem, problem
    log = EventLog(path)
    lock = Lockout(log.run_locked)
    assert lock.state.failures == 2, "only the tries made before the disk was full"
    log.close()
