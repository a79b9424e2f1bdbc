"""Going on where a returning visitor stopped (their oefencode names the exercise and step).

The run is brought to that step by playing the right path with the practice
card's values, as a visitor would have, so every later page shows what the
card's holder "typed" before and every step shown only after an earlier answer
is shown as it would be. Then those replayed steps are forgotten: the summary,
wrong tries and hints count only what the visitor does from here. Nothing here
writes to the log; the replayed steps are never logged.
"""

from __future__ import annotations

import logging
from datetime import date

from kiosk.scenario import model
from kiosk.scenario.engine import ScenarioRun
from kiosk.scenario.solve import NoSolution, solve

log = logging.getLogger(__name__)


def resumed_run(
    scenario: model.Scenario, persona: model.Persona, step_id: str, today: date
) -> ScenarioRun:
    """A run at `step_id`, as if the right path had been played to it; at the first step
    when `step_id` is no longer on the right path (a content pack changed the exercise)."""
    run = ScenarioRun(scenario, persona, today)
    try:
        moves = solve(scenario, persona, today)
    except NoSolution:
        moves = []
    if step_id not in {move.step_id for move in moves}:
        log.info("%s: step %r is not on the way any more, starting again", scenario.id, step_id)
        return run
    for move in moves:
        if run.step_id == step_id:
            break
        if run.step_id != move.step_id or not run.act(move.action).moved:
            log.warning("%s: could not replay to step %r, starting again", scenario.id, step_id)
            return ScenarioRun(scenario, persona, today)
    run.forget_records()
    return run
