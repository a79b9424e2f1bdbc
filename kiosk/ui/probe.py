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


def pss_by_kind_kib() -> dict[str, int]:
    """PSS (KiB) split by what the memory is: `heap` (malloc's main heap), `anonymous`
    (other private memory: Python's object arenas, the heaps of other threads such as
    the software renderer's, large blocks) and `files` (libraries and fonts, shared)."""
    kinds = {"heap": 0, "anonymous": 0, "files": 0}
    kind = "anonymous"
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if "-" in fields[0] and len(fields) >= 5 and not fields[0].endswith(":"):
            name = fields[5] if len(fields) > 5 else ""
            kind = "heap" if name == "[heap]" else "files" if name.startswith("/") else "anonymous"
        elif fields[0] == "Pss:":
            kinds[kind] += int(fields[1])
    return kinds


SENTENCES = (
    "Tik op de knop 'Inloggen met DigiD'.",
    "Typ uw gebruikersnaam. Die staat op uw oefenkaart.",
    "Typ de code uit de sms in het vak 'Sms-code'.",
    "Kijk op de telefoon. Daar staat een sms van DigiD.",
    "Zoek in de brief een datum met een jaartal.",
    "Goed. Zet deze datum in uw agenda. Wacht niet tot de laatste dag.",
    "Deze sms is echt. De gemeente herinnert u aan een afspraak.",
    "Kies een pincode van 5 cijfers. Deze pincode heeft u nodig als u inlogt.",
    "Het wachtwoord begint met een hoofdletter.",
    "Log altijd uit als u klaar bent. Zeker op een computer van de bibliotheek.",
)


def audio(folder: Path) -> None:
    """Tap to start of playback (cached text) and synthesis time per new sentence."""
    import statistics

    from kiosk.ui.launch import WindowOptions, configure_kivy

    configure_kivy(WindowOptions(windowed=True))
    from kiosk.speech.service import Pending, Ready, SpeechService
    from kiosk.ui.audio import KioskSpeaker

    service = SpeechService(folder / "speech", folder / "clips")
    speaker = KioskSpeaker(service, folder / "sounds")
    synth_ms = []
    for sentence in SENTENCES:  # new texts: request until the worker has rendered them
        started = time.perf_counter()
        answer = service.request(sentence, "nl", "slow")
        while isinstance(answer, Pending):
            for ticket, result in service.poll():
                if ticket == answer.ticket:
                    answer = result
            time.sleep(0.001)
        assert isinstance(answer, Ready)
        if sentence is not SENTENCES[0]:  # the first also waits for the worker to start
            synth_ms.append((time.perf_counter() - started) * 1000)
    tap_ms = []
    for _ in range(5):
        for sentence in SENTENCES:
            started = time.perf_counter()
            speaker.say("bench", sentence, "nl")  # cached now: load and start playing
            if speaker._sound is not None and speaker._sound.state == "play":
                tap_ms.append((time.perf_counter() - started) * 1000)
    speaker.shutdown()
    print(
        json.dumps(
            {
                "mode": "audio",
                "synth_ms": statistics.median(synth_ms),
                "tap_to_play_ms": statistics.median(tap_ms),
                "plays": len(tap_ms),
            }
        ),
        flush=True,
    )


def main(mode: str) -> None:
    if mode == "audio":
        audio(Path(os.environ["OEFENKIOSK_BENCH_DIR"]))
        return
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
