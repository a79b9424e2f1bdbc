"""The way into volunteer and staff mode: a press held still on the top-left corner.

Plain logic (no window), so it is tested without one and costs nothing at start-up.
"""

from __future__ import annotations

HOLD_SECONDS = 3.0
"""How long staff press the banner's corner to open the PIN dialog."""
HOLD_SLACK = 24
"""How far (in pixels) the finger may drift while holding."""


class CornerHold:
    """A press held still on the top-left corner for 3 seconds: the way into the modes.

    A visitor taps and moves on; nobody holds a blank corner still for that long
    by accident.
    """

    def __init__(self, seconds: float = HOLD_SECONDS, slack: float = HOLD_SLACK) -> None:
        self.seconds = seconds
        self.slack = slack
        self._touch: object | None = None
        self._start = (0.0, 0.0)
        self._since = 0.0

    @staticmethod
    def in_corner(x: float, y: float, width: float, height: float, corner: float) -> bool:
        return x <= corner and y >= height - corner

    def down(self, touch: object, x: float, y: float, now: float) -> None:
        self._touch, self._start, self._since = touch, (x, y), now

    def move(self, touch: object, x: float, y: float) -> None:
        if touch is self._touch:
            dx, dy = x - self._start[0], y - self._start[1]
            if dx * dx + dy * dy > self.slack * self.slack:
                self._touch = None

    def up(self, touch: object) -> None:
        if touch is self._touch:
            self._touch = None

    @property
    def holding(self) -> bool:
        return self._touch is not None

    def progress(self, now: float) -> float:
        """0 to 1 while holding; 1 means: open the PIN dialog."""
        if self._touch is None:
            return 0.0
        return min(1.0, (now - self._since) / self.seconds)

    def done(self, now: float) -> bool:
        if self.progress(now) >= 1.0:
            self._touch = None
            return True
        return False
