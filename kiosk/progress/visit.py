"""One visit in memory: which exercises were practised, how far, and the oefencode.

It lives only as long as the session: the kiosk makes a new one when a session
ends, and only its Progress (exercise and step ids) is ever saved, under the
oefencode, when the visitor asks for one at the end of the visit.
"""

from __future__ import annotations

from kiosk.progress.codes import Progress


class VisitState:
    def __init__(self) -> None:
        self.progress = Progress()
        self.code = ""
        """The visit's oefencode: typed to come back, or given at the end."""
        self.returning: Progress | None = None
        """What the oefencode brought back at the start of this visit (for the volunteer)."""
        self.practised: tuple[str, ...] = ()
        """Exercises opened during this visit, in order, no repeats."""
        self._saved: Progress | None = None

    def started(self, scenario_id: str, step_id: str) -> None:
        if scenario_id not in self.practised:
            self.practised = (*self.practised, scenario_id)
        if scenario_id not in self.progress.finished:
            self.progress = self.progress.with_position(scenario_id, step_id)

    def moved(self, scenario_id: str, step_id: str, finished: bool) -> None:
        if finished:
            self.progress = self.progress.with_finished(scenario_id)
        elif scenario_id not in self.progress.finished:
            self.progress = self.progress.with_position(scenario_id, step_id)

    def came_back(self, code: str, progress: Progress) -> None:
        self.code = code
        self.progress = progress
        self.returning = progress
        self._saved = progress

    def saved(self, code: str) -> None:
        self.code = code
        self._saved = self.progress

    @property
    def unsaved(self) -> bool:
        """Something changed since the code was last saved (or there is no code yet)."""
        return self.progress != self._saved or not self.code
