"""Finding the way through a scenario: the right path, routes, example actions.

Used by `oefenkiosk play --solve`, by the validator (is every feedback rule
reachable?) and by the tests that walk every scenario.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import date

from kiosk.scenario import model
from kiosk.scenario.dates import parse_typed_date
from kiosk.scenario.engine import (
    Action,
    Answer,
    Choose,
    Tap,
    Type,
    condition_holds,
    container_of,
    rule_matches,
)
from kiosk.scenario.model import END, ActionRule, Scenario, Step
from kiosk.scenario.persona import REFERENCE_DAY, Context, resolve_in

# Texts to try for "any other text typed": none of them is a real BSN or a
# practice-card value.
_OTHER_TEXTS = ("oefentekst", "12345", "x", "abc123", "01-01-2000", "nee")


@dataclass(frozen=True)
class Move:
    step_id: str
    action: Action


class NoSolution(Exception):
    """The right actions do not lead from the start to the end.

    `dutch` says why in plain Dutch, for a scenario author.
    """

    def __init__(self, message: str, dutch: str) -> None:
        super().__init__(message)
        self.dutch = dutch


def rules_in_order(step: Step) -> list[ActionRule]:
    """The rules of a step in the order the engine tries them."""
    return [step.expect, *(b.when for b in step.branches), *(w.when for w in step.wrong)]


def candidate_actions(
    scenario: Scenario,
    persona: model.Persona,
    step: Step,
    rule: ActionRule,
    today: date = REFERENCE_DAY,
):
    """Actions that fit `rule` on `step` (the first ones a visitor would do)."""
    kind = rule.kind
    if kind == "tap":
        return [Tap(rule.tap)]
    if kind == "answer":
        return [Answer(rule.answer)]
    if kind == "choose":
        if rule.option is not None:
            return [Choose(rule.choose, rule.option)]
        _, element = container_of(scenario, step, rule.choose)
        return [Choose(rule.choose, o.id) for o in getattr(element, "options", ())]
    if rule.value is not None:
        try:
            context = Context(persona, scenario.codes, scenario.dates, today)
            value = resolve_in(rule.value, context)
        except KeyError:
            return []
        _, element = container_of(scenario, step, rule.type)
        parts = parse_typed_date(value) if getattr(element, "input", "") == "date" else None
        if parts is not None:  # typed as people type a date in a form: 22-12-2026
            value = "{:02d}-{:02d}-{}".format(*parts)
        return [Type(rule.type, value)]
    return [Type(rule.type, text) for text in _OTHER_TEXTS]


def example_action(
    scenario: Scenario,
    persona: model.Persona,
    step: Step,
    index: int,
    today: date = REFERENCE_DAY,
) -> Action | None:
    """An action that reaches rule number `index` of the step (see rules_in_order).

    None when every action fitting that rule is taken by an earlier rule: its
    feedback or branch could never be seen.
    """
    rules = rules_in_order(step)
    context = Context(persona, scenario.codes, scenario.dates, today)

    def fits(rule: ActionRule, action: Action) -> bool:
        return rule_matches(scenario, persona, step, rule, action, context)

    for action in candidate_actions(scenario, persona, step, rules[index], today):
        if not fits(rules[index], action):
            continue
        if not any(fits(r, action) for r in rules[:index]):
            return action
    return None


def solve(scenario: Scenario, persona: model.Persona, today: date = REFERENCE_DAY) -> list[Move]:
    """The right path from the first step to the end, found from the file itself.

    Steps whose `only_if` does not hold for this card and these answers are passed
    over, as the engine does.
    """
    moves: list[Move] = []
    seen: set[str] = set()
    answers: dict[str, str] = {}
    current = scenario.first_step
    while current != END:
        if current in seen:
            raise NoSolution(
                f"the right actions go round in a circle at step {current!r}",
                f"de goede acties gaan in een rondje bij stap '{current}'.",
            )
        seen.add(current)
        step = scenario.step(current)
        if not condition_holds(step.only_if, persona, answers):
            current = scenario.step_after(step)
            continue
        action = example_action(scenario, persona, step, 0, today)
        if isinstance(action, Type):
            answers[action.field] = action.text
        elif isinstance(action, Choose):
            answers[action.field] = action.option
        if action is None:
            raise NoSolution(
                f"step {current!r}: no action fits 'expect'",
                f"bij stap '{current}' past geen enkele actie bij 'expect'.",
            )
        moves.append(Move(current, action))
        current = scenario.step_after(step)
    return moves


def edges(scenario: Scenario, persona: model.Persona, step: Step) -> list[tuple[Action, str]]:
    """Each reachable way out of a step: (action, next step or END)."""
    result = []
    action = example_action(scenario, persona, step, 0)
    if action is not None:
        result.append((action, scenario.step_after(step)))
    for offset, branch in enumerate(step.branches, start=1):
        action = example_action(scenario, persona, step, offset)
        if action is not None:
            result.append((action, branch.next))
    return result


def route_to(scenario: Scenario, persona: model.Persona, target: str) -> list[Move] | None:
    """The shortest list of moves from the start that arrives at step `target`."""
    start = scenario.first_step
    queue = deque([start])
    came_from: dict[str, Move | None] = {start: None}
    known = {s.id for s in scenario.steps}
    while queue:
        current = queue.popleft()
        if current == target:
            route = []
            while came_from[current] is not None:
                move = came_from[current]
                route.append(move)
                current = move.step_id
            return route[::-1]
        for action, nxt in edges(scenario, persona, scenario.step(current)):
            if nxt in known and nxt not in came_from:
                came_from[nxt] = Move(current, action)
                queue.append(nxt)
    return None
