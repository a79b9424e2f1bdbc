"""The kiosk loads its scenarios on a worker thread: the screen answers meanwhile."""

from __future__ import annotations

import threading
import time

import pytest

pytestmark = pytest.mark.ui


def _tiles(kiosk) -> dict[str, bool]:
    return {w.theme_id: w.available for w in kiosk.walk() if type(w).__name__ == "ThemeTileButton"}


def test_loading_the_scenarios_never_blocks_the_screen(kiosk):
    app = kiosk.app
    app.end_session()
    kiosk.pump(3)
    shipped, loader = app.full_library, app._load_library
    release = threading.Event()
    loaded_on: list[threading.Thread] = []

    def slow_load():
        loaded_on.append(threading.current_thread())
        release.wait(20)  # a large library on a slow machine
        return shipped

    app._library, app._load_library = None, slow_load  # as just after the first frame
    try:
        started = time.monotonic()
        kiosk.tap(next(w for w in kiosk.walk() if getattr(w, "code", None) == "en"))
        assert app.language == "en"
        kiosk.begin()
        assert kiosk.current == "catalogue"
        assert time.monotonic() - started < 5, "the touches waited for the scenarios"
        assert loaded_on and loaded_on[0] is not threading.main_thread()
        assert not any(_tiles(kiosk).values())  # nothing to play yet, and no crash
        assert kiosk.screen("catalogue").back_help  # in English: the screen is alive
        kiosk.screenshot("catalogue-while-loading")

        release.set()
        end = time.monotonic() + 15
        while not _tiles(kiosk).get("financien") and time.monotonic() < end:
            kiosk.pump(1)
        assert _tiles(kiosk)["financien"], "the catalogue did not show the loaded scenarios"
        assert app.full_library is shipped
        kiosk.screenshot("catalogue-after-loading")
    finally:
        release.set()
        app._library, app._load_library = shipped, loader  # a content switch later loads anew
        app.language = "nl"
        app.end_session()
        kiosk.pump(3)


def test_a_loader_that_fails_leaves_an_empty_kiosk_not_a_crash():
    from kiosk.scenario.library import EMPTY_LIBRARY, load_or_empty

    def broken():
        raise OSError(5, "Input/output error")

    assert load_or_empty(broken) is EMPTY_LIBRARY
