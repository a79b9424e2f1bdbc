"""The idle timer: active, then a countdown, then the session is wiped."""

from kiosk.ui.idle import IdleTimer


def test_phases_follow_the_clock_given_by_the_caller():
    timer = IdleTimer(timeout=120, countdown=30, now=1000.0)
    assert timer.state(1000.0).phase == "active"
    assert timer.state(1119.9).phase == "active"
    warning = timer.state(1120.0)
    assert warning.phase == "warning" and warning.seconds_left == 30
    assert timer.state(1135.5).seconds_left == 15
    assert timer.state(1150.0).phase == "expired"


def test_a_touch_starts_the_wait_again():
    timer = IdleTimer(timeout=120, countdown=30, now=0.0)
    timer.touch(125.0)
    assert timer.state(130.0).phase == "active"
    assert timer.state(245.0).phase == "warning"
