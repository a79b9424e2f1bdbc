"""What the kiosk can play: the scenarios that load, and a report of those that do not."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.scenario.model import Persona, Scenario
from kiosk.scenario.problems import Problem
from kiosk.scenario.route import ROUTE_FILE, RouteRules
from kiosk.scenario.validate import FileReport, validate_paths

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Library:
    scenarios: tuple[Scenario, ...]
    personas: dict[str, Persona]
    problems: tuple[Problem, ...]
    broken_files: tuple[str, ...]
    route: RouteRules | None = None
    """What the intake's answers put first (route.yaml); None: no intake, the catalogue."""

    def in_theme(self, theme_id: str) -> tuple[Scenario, ...]:
        return tuple(s for s in self.scenarios if s.theme == theme_id)

    def scenario(self, scenario_id: str) -> Scenario:
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise KeyError(scenario_id)

    def only(self, ids: tuple[str, ...]) -> Library:
        """The same library with only these scenarios (unknown ids are ignored)."""
        return replace(self, scenarios=tuple(s for s in self.scenarios if s.id in ids))

    def persona_for(self, scenario: Scenario) -> Persona:
        return self.personas[scenario.persona]


def load_library(folder: Path) -> Library:
    """Load every scenario in `folder`: one broken file never takes the others down."""
    report = validate_paths([folder])
    playable = [f for f in report.files if _playable(f)]
    broken = tuple(f.file for f in report.files if f not in playable)
    if any(p.severity == "error" for p in report.route_problems):
        broken += (ROUTE_FILE,)
    return Library(
        scenarios=tuple(f.scenario for f in playable if f.scenario is not None),
        personas=report.personas,
        problems=report.problems,
        broken_files=broken,
        route=report.route,
    )


def _playable(report: FileReport) -> bool:
    """A scenario whose own file is sound can be played.

    A broken translation file only loses its own texts (the validator has
    left them out, and `oefenkiosk validate` reports it); visitors still get
    the scenario in Dutch and every other language.
    """
    return report.scenario is not None and not any(
        p.severity == "error" and p.file == report.file for p in report.problems
    )


EMPTY_LIBRARY = Library(scenarios=(), personas={}, problems=(), broken_files=())
"""What the kiosk shows while its scenarios are still loading."""


def load_or_empty(load: Callable[[], Library]) -> Library:
    """The library `load` gives, or an empty one: a kiosk with no exercises still runs."""
    try:
        return load()
    except Exception:
        log.exception("the scenarios could not be loaded")
        return EMPTY_LIBRARY
