"""The 'Bent u er nog?' countdown says each second in the form its language needs."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def test_the_countdown_changes_form_as_the_seconds_go_by(kiosk):
    app = kiosk.app
    app.end_session()
    kiosk.pump(3)
    app.language = "ar"
    app.start_practice("nep-sms")
    kiosk.pump(3)
    assert kiosk.current == "practice"
    app.idle.last_touch -= app.idle.timeout + 1
    kiosk.wait(1.2)  # the idle check runs once a second
    overlay = app.idle_overlay
    assert overlay is not None, (app.idle.timeout, app.idle.countdown, kiosk.current)
    shown = {}
    for seconds in (11, 5, 2, 1):
        overlay.seconds_left = seconds  # what the idle check sets each second
        shown[seconds] = (overlay.explanation, overlay.explanation_help)
    assert shown[5] == (
        "Over 5 seconden stopt de oefening. Wat u typte, wordt gewist.",
        "سيتوقف التمرين بعد 5 ثوانٍ. ما كتبته سيُمسح.",
    )
    assert "بعد 11 ثانية" in shown[11][1]
    assert "بعد ثانيتين" in shown[2][1]
    assert shown[1][0].startswith("Over 1 seconde stopt")
    assert "بعد ثانية واحدة" in shown[1][1]
    kiosk.screenshot("idle-countdown-ar")
    overlay.dispatch("on_still_here")
    app.end_session()
    kiosk.pump(3)
