"""Start-up probe for `oefenkiosk bench`: the kiosk, or a minimal one-label Kivy app.

Prints one JSON line once the first screen is fully drawn (the second frame
after start, when sizes that depend on text have settled) and exits.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def pss_kib() -> int:
    """Proportional set size of this process (Linux), in KiB."""
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def main(mode: str) -> None:
    t0 = float(os.environ["OEFENKIOSK_BENCH_T0"])
    from kiosk.ui.launch import WindowOptions, configure_kivy, run_kiosk

    options = WindowOptions(windowed=True, size=(800, 480))
    frames = {"count": 0}

    def on_flip(*_args) -> None:
        frames["count"] += 1
        if frames["count"] == 2:
            from kivy.app import App

            seconds = time.time() - t0
            print(json.dumps({"mode": mode, "seconds": seconds, "pss_kib": pss_kib()}), flush=True)
            App.get_running_app().stop()

    if mode == "minimal":
        configure_kivy(options)
        from kivy.app import App
        from kivy.core.window import Window
        from kivy.uix.label import Label

        class Minimal(App):
            def build(self):
                Window.bind(on_flip=on_flip)
                return Label(text="Oefenkiosk")

        Minimal().run()
        return

    def first_frame() -> None:
        from kivy.core.window import Window

        on_flip()  # the first frame; the second one is counted from the window
        Window.bind(on_flip=on_flip)

    os.environ["OEFENKIOSK_CONFIG"] = "/nonexistent/config.toml"
    run_kiosk(options, on_first_frame=first_frame)


if __name__ == "__main__":
    main(sys.argv[1])
