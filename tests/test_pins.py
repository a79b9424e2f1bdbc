"""PINs: scrypt hashes with their parameters, constant-time checks, a lockout that lasts."""

from __future__ import annotations

import base64
import hmac
import stat

import pytest

from kiosk.admin import pins
from kiosk.admin.lockout import Lockout, LockState, seconds_left, wait_after
from kiosk.admin.pins import PinError, PinFile, hash_pin, verify_pin
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


def test_a_broken_pin_file_means_no_pins_not_a_crash(tmp_path):
    store = PinFile.in_folder(tmp_path)
    store.path.write_text("staff = = broken")
    assert store.missing() == ("volunteer", "staff") and store.role_of("582913") is None


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


def test_lockout_after_five_wrong_pins(event_log):
    lock = Lockout(event_log.run_locked)
    now = 1_000_000.0
    for _ in range(4):
        assert lock.failed(now) == 0
    assert lock.failed(now) == 30
    assert lock.seconds_left(now + 10) == 20
    assert lock.failed(now + 31) == 60
    lock.succeeded()
    assert lock.seconds_left(now + 32) == 0 and lock.state == LockState()


def test_lockout_survives_a_restart(tmp_path):
    path = tmp_path / "log.db"
    log = EventLog(path)
    lock = Lockout(log.run_locked)
    for _ in range(6):
        lock.failed(2_000_000.0)
    log.close()

    again = EventLog(path)
    lock = Lockout(again.run_locked)
    assert lock.state.failures == 6
    assert lock.seconds_left(2_000_010.0) == 50
    again.close()


def test_lockout_without_a_log_still_counts_in_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    log = EventLog(blocker / "log.db")
    lock = Lockout(log.run_locked)
    for _ in range(5):
        lock.failed(100.0)
    assert lock.seconds_left(100.0) == 30
    log.close()
