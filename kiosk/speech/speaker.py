"""What the screens ask of speech, and the silent speaker used when there is none."""

from __future__ import annotations

from typing import Protocol


class Speaker(Protocol):
    available: bool

    def say(self, text: str, language: str) -> None: ...

    def stop(self) -> None: ...


class NullSpeaker:
    """Says nothing: the kiosk without audio."""

    available = False

    def say(self, text: str, language: str) -> None:
        return None

    def stop(self) -> None:
        return None
