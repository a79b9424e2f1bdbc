"""Who is speaking: one text at a time, the newest wins, the same text again stops it.

Pure state, tested without audio; the Kivy player does what it decides.
"""

from __future__ import annotations

from typing import Literal

State = Literal["idle", "waiting", "playing"]


class Playback:
    def __init__(self) -> None:
        self.source: str | None = None
        """What is being spoken, e.g. 'instruction' or 'page:heading-1'."""
        self.state: State = "idle"

    def press(self, source: str) -> Literal["start", "stop"]:
        """A speaker button: speak this source, or stop it when it is speaking already."""
        if source == self.source and self.state != "idle":
            self.stop()
            return "stop"
        self.start(source)
        return "start"

    def start(self, source: str) -> None:
        """A new text replaces whatever was speaking (the player stops that sound)."""
        self.source = source
        self.state = "waiting"

    def ready(self, source: str) -> bool:
        """The audio for `source` is there: play it only if it is still wanted."""
        if source != self.source or self.state != "waiting":
            return False
        self.state = "playing"
        return True

    def finished(self, source: str) -> None:
        if source == self.source:
            self.stop()

    def stop(self) -> None:
        self.source = None
        self.state = "idle"

    @property
    def speaking(self) -> bool:
        return self.state != "idle"
