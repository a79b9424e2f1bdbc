"""Library probe for `oefenkiosk bench`: how the kiosk starts with many scenarios.

Runs the kiosk on the scenarios of $OEFENKIOSK_SCENARIOS_DIR and prints one
JSON line: seconds to the first frame, seconds until the scenarios are there,
and the longest time the UI thread did not answer in between (the longest gap
between two clock ticks). Mode `worker` is the kiosk as it is; mode `ui-thread`
loads the scenarios as the kiosk used to, on the UI thread, without a cache.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(mode: str) -> None:
    t0 = float(os.environ["OEFENKIOSK_BENCH_T0"])
    from kiosk.ui.launch import WindowOptions, configure_kivy, run_kiosk

    options = WindowOptions(windowed=True, size=(800, 480))
    configure_kivy(options)
    from kivy.app import App
    from kivy.clock import Clock

    from kiosk.ui.app import KioskApp

    if mode == "ui-thread":

        def load_on_the_ui_thread(app: KioskApp) -> None:
            from pathlib import Path

            from kiosk.scenario.library import load_library

            app._library = load_library(Path(os.environ["OEFENKIOSK_SCENARIOS_DIR"]))

        KioskApp.load_library_in_background = load_on_the_ui_thread

    figures: dict[str, float] = {}
    ticks = {"last": 0.0, "longest": 0.0}

    def tick(_dt) -> None:
        now = time.monotonic()
        if ticks["last"]:
            ticks["longest"] = max(ticks["longest"], now - ticks["last"])
        ticks["last"] = now
        app = App.get_running_app()
        if "loaded" not in figures and app._library is not None:
            figures["loaded"] = time.time() - t0
            Clock.schedule_once(lambda *_: finish(app), 0.5)

    def finish(app) -> None:
        figures["longest_pause_ms"] = ticks["longest"] * 1000
        figures["scenarios"] = len(app.full_library.scenarios)
        print(json.dumps({"mode": mode, **figures}), flush=True)
        app.stop()

    def first_frame() -> None:
        figures["first_frame"] = time.time() - t0
        ticks["last"] = time.monotonic()
        Clock.schedule_interval(tick, 0)

    os.environ["OEFENKIOSK_CONFIG"] = "/nonexistent/config.toml"
    run_kiosk(options, on_first_frame=first_frame)


if __name__ == "__main__":
    main(sys.argv[1])
