"""One visitor's session, told to the practice log as anonymous events.

The screens call this at each moment worth counting; it adds the session id,
the durations and the counts, and hands the events to the log. It also keeps
the session's story in memory for the volunteer ("where did it go wrong?"):
that story is forgotten when the session ends and never written anywhere.
"""

from __future__ import annotations

import re
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from kiosk.progress.stats import SHIPPED_CONTENT

if TYPE_CHECKING:
    from kiosk.scenario.engine import Outcome, Summary


LEFT_REASONS = ("idle", "back", "other_scenario", "reset", "restart")
MODES = ("visitor", "volunteer")


class Sink(Protocol):
    def log(self, kind: str, session: str, **fields) -> bool: ...


def kiosk_id(name: str) -> str:
    """The kiosk's name as an id for the log: 'Bibliotheek Oefendorp, Taalhuis' →
    'bibliotheek-oefendorp-taalhuis'."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    slug = re.sub(r"\d{5,}", "", slug).strip("-")  # never anything that looks like a number
    return slug[:60] or "kiosk"


@dataclass
class RunStory:
    """One scenario in this session, for the volunteer's eyes only."""

    scenario: str
    ended: str = ""  # '', 'finished' or a reason for leaving
    correct: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    wrong: Counter = field(default_factory=Counter)  # (step, element) → times
    hints: Counter = field(default_factory=Counter)  # step → hints and show-me


class SessionRecorder:
    def __init__(
        self,
        sink: Sink | None,
        kiosk_name: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sink = sink
        self.kiosk = kiosk_id(kiosk_name)
        self.clock = clock
        self.session: str | None = None
        self.mode = "visitor"
        self.language = "nl"
        self.runs: list[RunStory] = []
        self._started_at = 0.0
        self.content = SHIPPED_CONTENT
        """The content version played (a pack's name and version), named when a run starts."""

    # --- the session ------------------------------------------------------------------

    def begin(self, language: str) -> None:
        """The visitor left the welcome screen: a session starts (once)."""
        if self.session is not None:
            return
        self.session = secrets.token_hex(8)
        self.language = language
        self._log("session_started", kiosk=self.kiosk, language=language, mode=self.mode)

    def set_mode(self, mode: str) -> None:
        if mode not in MODES or mode == self.mode:
            return
        self.mode = mode
        if self.session is not None:
            self._log("mode_changed", mode=mode)

    def set_language(self, language: str) -> None:
        self.language = language

    def end(self, reason: str, step: str | None = None) -> None:
        """Idle, reset: the session is over, its id and story are forgotten."""
        if self.current is not None:
            self.left(reason, step)
        if self.session is not None:
            self._log("session_ended", reason=reason)
        self.session = None
        self.mode = "visitor"
        self.runs = []

    # --- a scenario -------------------------------------------------------------------

    @property
    def current(self) -> RunStory | None:
        if self.runs and not self.runs[-1].ended:
            return self.runs[-1]
        return None

    def started(self, scenario: str) -> None:
        if self.current is not None:
            self.left("restart" if self.current.scenario == scenario else "other_scenario")
        self.begin(self.language)
        self.runs.append(RunStory(scenario))
        self._started_at = self.clock()
        self._log(
            "scenario_started", scenario=scenario, language=self.language, content=self.content
        )

    def outcome(self, outcome: Outcome) -> None:
        run = self.current
        if run is None:
            return
        step = outcome.step_id
        if outcome.result in ("correct", "branched"):
            run.correct.append(step)
            self._log("step_correct", scenario=run.scenario, step=step)
        elif outcome.result == "skipped":
            run.skipped.append(step)
            self._log("step_skipped", scenario=run.scenario, step=step)
        elif outcome.result in ("wrong", "refused"):
            # `target` is the id of what was touched; what was typed never gets here
            run.wrong[(step, outcome.target)] += 1
            self._log("wrong_action", scenario=run.scenario, step=step, element=outcome.target)

    def hint(self, step: str, show_me: bool = False) -> None:
        run = self.current
        if run is not None:
            run.hints[step] += 1
            kind = "show_me" if show_me else "hint_shown"
            self._log(kind, scenario=run.scenario, step=step)

    def audio(self, step: str | None, language: str) -> None:
        run = self.current
        if self.session is None:
            return
        self._log(
            "audio_played",
            scenario=run.scenario if run else None,
            step=step if run else None,
            language=language,
        )

    def finished(self, summary: Summary) -> None:
        run = self.current
        if run is None:
            return
        run.ended = "finished"
        seconds = max(0, round(self.clock() - self._started_at))
        self._log(
            "scenario_finished",
            scenario=run.scenario,
            seconds=seconds,
            wrong=summary.wrong_tries,
            hints=summary.hints + summary.show_me,
        )

    def left(self, reason: str, step: str | None = None) -> None:
        run = self.current
        if run is None:
            return
        run.ended = reason
        self._log("scenario_left", scenario=run.scenario, step=step, reason=reason)

    def _log(self, kind: str, **fields) -> None:
        if self.sink is not None and self.session is not None:
            self.sink.log(kind, self.session, **{k: v for k, v in fields.items() if v is not None})
