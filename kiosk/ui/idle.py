"""'Bent u er nog?': the idle timer as a pure state machine (times come from the caller)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Phase = Literal["active", "warning", "expired"]


@dataclass(frozen=True)
class IdleState:
    phase: Phase
    seconds_left: int
    """In the warning phase: whole seconds until the session is wiped."""


class IdleTimer:
    """After `timeout` seconds without a touch: a warning of `countdown` seconds, then expiry."""

    def __init__(self, timeout: float, countdown: float, now: float) -> None:
        self.timeout = timeout
        self.countdown = countdown
        self.last_touch = now

    def touch(self, now: float) -> None:
        self.last_touch = now

    def state(self, now: float) -> IdleState:
        quiet = now - self.last_touch
        if quiet < self.timeout:
            return IdleState("active", math.ceil(self.timeout + self.countdown - quiet))
        left = self.timeout + self.countdown - quiet
        if left > 0:
            return IdleState("warning", math.ceil(left))
        return IdleState("expired", 0)
