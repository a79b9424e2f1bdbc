"""The pure state machine that plays a scenario.

A `ScenarioRun` takes actions (tap, type, choose, answer) and returns
outcomes; it knows nothing of screens, clocks or disks. Everything a visitor
typed lives only in the run's memory, and only when the engine accepted it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from kiosk.scenario import model
from kiosk.scenario.matching import same_value
from kiosk.scenario.model import END, ActionRule, Scenario, Step, Text
from kiosk.scenario.persona import (
    REAL_BSN_MESSAGE,
    REFERENCE_DAY,
    Context,
    contains_real_bsn,
    resolve_in,
)
from kiosk.scenario.texts import with_card_values

__all__ = ["same_value"]  # kept here too: callers compare typed text through the engine

# --- Actions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Tap:
    element: str


@dataclass(frozen=True)
class Type:
    field: str
    text: str = field(repr=False)  # never in a log line or a traceback


@dataclass(frozen=True)
class Choose:
    field: str
    option: str


@dataclass(frozen=True)
class Answer:
    option: str


Action = Tap | Type | Choose | Answer


def action_target(action: Action) -> str:
    """The element, field or answer an action is about (safe to log)."""
    if isinstance(action, Tap):
        return action.element
    if isinstance(action, Type | Choose):
        return action.field
    return action.option


# --- Outcomes ------------------------------------------------------------------------

DEFAULT_WRONG = Text(nl="Dat is niet goed. Probeer het nog een keer. Tik op 'Hint' voor hulp.")
EMPTY_FIELD = Text(nl="Het vak is nog leeg. Typ eerst iets in het vak.")
REAL_BSN = Text(nl=REAL_BSN_MESSAGE)
SHOW_ME = Text(nl="Kijk naar het kader dat knippert. Daar gaat u verder.")

OFFER_SHOW_ME_AFTER = 3
"""After this many wrong tries on one step, the outcome offers 'show me'."""

Result = Literal["correct", "branched", "wrong", "refused", "skipped"]


@dataclass(frozen=True)
class Outcome:
    result: Result
    step_id: str
    """The step the action was taken on."""
    target: str
    """The element, field or answer acted on (never what was typed)."""
    feedback: Text | None = None
    finished: bool = False
    offer_show_me: bool = False

    @property
    def moved(self) -> bool:
        return self.result in ("correct", "branched", "skipped")


@dataclass(frozen=True)
class Hint:
    level: int
    """1 for the first hint; len(hints) + 1 is 'show me'."""
    text: Text
    show_me: str | None = None
    """Element to highlight, once the written hints are used up."""


@dataclass(frozen=True)
class ShowMe:
    element: str
    """The element, field or answer to highlight."""
    option: str | None = None
    """For a choice in a radio group or select list: the option."""


@dataclass(frozen=True)
class StepView:
    """Everything a screen needs to draw the current step."""

    step: Step
    page_id: str | None
    page: model.Page | None
    phone_id: str | None
    phone: model.Phone | None
    letter: model.Letter | None
    question: model.Question | None
    position: int
    total: int
    values: dict[tuple[str, str], str]
    """(container, field) → accepted text, e.g. ('page:inloggen', 'gebruikersnaam')."""
    checked: frozenset[tuple[str, str]]
    chosen: dict[tuple[str, str], str]
    hints_given: int
    wrong_tries: int
    field_errors: frozenset[tuple[str, str]] = frozenset()
    """(container, field) of fields whose last typed answer was wrong: the page shows
    its own error message under them."""
    context: Context | None = None
    """What placeholders on the page are filled with, earlier answers included."""


@dataclass(frozen=True)
class StepRecord:
    step_id: str
    wrong_tries: int
    hints: int
    show_me: int
    skipped: bool


@dataclass(frozen=True)
class Summary:
    steps: tuple[StepRecord, ...]

    @property
    def wrong_tries(self) -> int:
        return sum(s.wrong_tries for s in self.steps)

    @property
    def hints(self) -> int:
        return sum(s.hints for s in self.steps)

    @property
    def show_me(self) -> int:
        return sum(s.show_me for s in self.steps)


# --- The run ---------------------------------------------------------------------------


def container_of(scenario: Scenario, step: Step, element_id: str):
    """Where an element of the step's view lives: ('page:x', element) or (None, None)."""
    page = scenario.pages.get(step.page) if step.page else None
    phone = scenario.phones.get(step.phone) if step.phone else None
    letter = scenario.letters.get(step.letter) if step.letter else None
    if page:
        for element in page.elements:
            if getattr(element, "id", None) == element_id:
                return f"page:{step.page}", element
            for row in getattr(element, "rows", ()):  # 'Wijzigen' in a summary table
                if row.id == element_id:
                    return f"page:{step.page}", row
    if phone:
        for element in phone.elements:
            if getattr(element, "id", None) == element_id:
                return f"phone:{step.phone}", element
        if phone.notification and phone.notification.id == element_id:
            return f"phone:{step.phone}", phone.notification
        for element in phone.elements:
            if isinstance(element, model.Sms) and element.link == element_id:
                return f"phone:{step.phone}", element
    if letter:
        for block in letter.body:
            if block.id == element_id:
                return f"letter:{step.letter}", block
    if step.question:
        for choice in step.question.options:
            if choice.id == element_id:
                return "question", choice
    return None, None


def rule_matches(
    scenario: Scenario,
    persona: model.Persona,
    step: Step,
    rule: ActionRule,
    action: Action,
    context: Context | None = None,
) -> bool:
    """Does `action`, taken on `step`, fit `rule`? `context`: dates and earlier answers."""
    if isinstance(action, Tap):
        return rule.tap == action.element
    if isinstance(action, Choose):
        return rule.choose == action.field and rule.option in (None, action.option)
    if isinstance(action, Answer):
        return rule.answer == action.option
    if rule.type != action.field:
        return False
    if rule.value is None:
        return bool(action.text.strip())
    _, element = container_of(scenario, step, action.field)
    kind = getattr(element, "input", "text")
    try:
        context = context or Context(persona, scenario.codes, scenario.dates)
        expected = resolve_in(rule.value, context)
    except KeyError:
        return False
    return same_value(kind, action.text, expected)


def condition_holds(
    condition: model.Condition | None, persona: model.Persona, form: Mapping[str, str]
) -> bool:
    """Is a step's `only_if` met, for this card and these earlier answers?"""
    if condition is None:
        return True
    if condition.card is not None:
        held = bool(str(getattr(persona, condition.card, "") or "").strip())
        held = held and str(getattr(persona, condition.card, "")) != "0"
    elif condition.form is not None:
        given = form.get(condition.form, "")
        held = bool(given) if condition.option is None else given == condition.option
    else:
        held = True
    return held != condition.negate


def _expected_path_lengths(scenario: Scenario, persona: model.Persona) -> dict[str, int]:
    """For each step: how many steps the right actions still take to the end.

    A step shown only for some cards counts when this card shows it; a step that
    depends on an earlier answer counts as shown.
    """
    lengths: dict[str, int] = {}
    ids = _ids(scenario)
    for step in scenario.steps:
        seen: set[str] = set()
        current, count = step.id, 0
        while current != END and current not in seen and current in ids:
            seen.add(current)
            here = scenario.step(current)
            card_only = here.only_if is not None and here.only_if.form is None
            if not card_only or condition_holds(here.only_if, persona, {}):
                count += 1
            current = scenario.step_after(here)
        lengths[step.id] = count
    return lengths


def _ids(scenario: Scenario) -> set[str]:
    return {s.id for s in scenario.steps}


class ScenarioRun:
    """One visitor playing one scenario: takes actions, returns outcomes."""

    def __init__(
        self, scenario: Scenario, persona: model.Persona, today: date = REFERENCE_DAY
    ) -> None:
        """`today`: the day the exercise is played, for relative dates (the engine has
        no clock; the kiosk passes the real day)."""
        self.today = today
        # the card's values and the dates in every text, so instructions can name them
        self.scenario = with_card_values(scenario, persona, today)
        self.persona = persona
        self._remaining = _expected_path_lengths(scenario, persona)
        self.restart()

    # state ------------------------------------------------------------------------

    def restart(self) -> None:
        """Back to the first step; forget everything typed."""
        self.step_id = self.scenario.first_step
        self.finished = False
        self._values: dict[tuple[str, str], str] = {}
        self._checked: set[tuple[str, str]] = set()
        self._chosen: dict[tuple[str, str], str] = {}
        self._form: dict[str, str] = {}
        self._form_options: dict[str, str] = {}
        self._field_errors: set[tuple[str, str]] = set()
        self._records: list[StepRecord] = []
        self._furthest = 1
        self._reset_counters()
        self._pass_over_hidden_steps()

    def forget_records(self) -> None:
        """From here on the summary, wrong tries and hints count: the steps before were
        replayed for a returning visitor (kiosk.scenario.resume), not played now."""
        self._records.clear()
        self._reset_counters()

    def wipe(self) -> None:
        """Forget everything the visitor typed or chose (idle, leaving)."""
        self._values.clear()
        self._checked.clear()
        self._chosen.clear()
        self._form.clear()
        self._form_options.clear()
        self._field_errors.clear()

    @property
    def context(self) -> Context:
        """Placeholder values now: the card, codes, dates and what was typed or chosen."""
        return Context(
            self.persona, self.scenario.codes, self.scenario.dates, self.today, dict(self._form)
        )

    def _reset_counters(self) -> None:
        self.wrong_tries = 0
        self.hints_given = 0
        self.show_me_used = 0

    @property
    def step(self) -> Step:
        return self.scenario.step(self.step_id)

    @property
    def total_steps(self) -> int:
        return self._remaining.get(self.scenario.first_step, 0)

    @property
    def position(self) -> int:
        """1-based place of the current step on the way to the end.

        Never goes back: a detour (a wrong password page) keeps the number.
        """
        if self.finished:
            return self.total_steps
        remaining = self._remaining.get(self.step_id, 1)
        here = self.total_steps - remaining + 1
        return max(1, min(self.total_steps, max(here, self._furthest)))

    def view(self) -> StepView:
        step = self.step
        return StepView(
            step=step,
            page_id=step.page,
            page=self.scenario.pages.get(step.page) if step.page else None,
            phone_id=step.phone,
            phone=self.scenario.phones.get(step.phone) if step.phone else None,
            letter=self.scenario.letters.get(step.letter) if step.letter else None,
            question=step.question,
            position=self.position,
            total=self.total_steps,
            values=dict(self._values),
            checked=frozenset(self._checked),
            chosen=dict(self._chosen),
            hints_given=self.hints_given,
            wrong_tries=self.wrong_tries,
            field_errors=frozenset(self._field_errors),
            context=self.context,
        )

    def summary(self) -> Summary:
        return Summary(tuple(self._records))

    # actions ----------------------------------------------------------------------

    def act(self, action: Action) -> Outcome:
        """Apply one action of the visitor to the current step."""
        if self.finished:
            raise RuntimeError("the scenario is finished")
        step = self.step
        target = action_target(action)
        if isinstance(action, Type) and contains_real_bsn(action.text, self.persona.bsn):
            return Outcome("refused", step.id, target, REAL_BSN)
        if self.matches(step.expect, action):
            self._apply(step, action)
            return self._move(step, self.scenario.step_after(step), "correct", step.explain, target)
        for branch in step.branches:
            if self.matches(branch.when, action):
                self._apply(step, action)
                return self._move(step, branch.next, "branched", branch.feedback, target)
        self.wrong_tries += 1
        if isinstance(action, Type):
            container, _ = container_of(self.scenario, step, action.field)
            if container is not None:
                self._field_errors.add((container, action.field))
        offer = self.wrong_tries >= OFFER_SHOW_ME_AFTER
        return Outcome(
            "wrong", step.id, target, self._wrong_feedback(step, action), offer_show_me=offer
        )

    def skip(self) -> Outcome:
        """Move on as if the right action was done (a volunteer's choice)."""
        step = self.step
        return self._move(step, self.scenario.step_after(step), "skipped", None, step.expect.target)

    def hint(self) -> Hint:
        """The next hint; after the written hints, 'show me' names the element."""
        written = self.step.hints
        self.hints_given += 1
        if self.hints_given <= len(written):
            return Hint(self.hints_given, written[self.hints_given - 1])
        self.hints_given = len(written) + 1
        self.show_me_used += 1
        return Hint(self.hints_given, SHOW_ME, self.show_me_target().element)

    def show_me(self) -> ShowMe:
        """The element to highlight for the right action (the 'Laat zien' button)."""
        self.show_me_used += 1
        return self.show_me_target()

    def show_me_target(self) -> ShowMe:
        rule = self.step.expect
        return ShowMe(rule.target, rule.option if rule.kind == "choose" else None)

    # helpers ----------------------------------------------------------------------

    def matches(self, rule: ActionRule, action: Action) -> bool:
        """Does `action` fit `rule` on the current step?"""
        return rule_matches(self.scenario, self.persona, self.step, rule, action, self.context)

    def _wrong_feedback(self, step: Step, action: Action) -> Text:
        for rule in step.wrong:
            if self.matches(rule.when, action):
                return rule.feedback
        if isinstance(action, Type) and not action.text.strip():
            return EMPTY_FIELD
        return step.feedback or DEFAULT_WRONG

    def _apply(self, step: Step, action: Action) -> None:
        container, element = container_of(self.scenario, step, action_target(action))
        if container is None:
            return
        key = (container, action_target(action))
        self._field_errors.discard(key)
        if isinstance(action, Type):
            self._values[key] = action.text
            self._form[action.field] = action.text
            self._form_options[action.field] = action.text
        elif isinstance(action, Choose):
            self._chosen[key] = action.option
            shown = next((o.text for o in element.options if o.id == action.option), action.option)
            self._form[action.field] = shown
            self._form_options[action.field] = action.option
        elif isinstance(element, model.Upload):
            self._checked.add(key)  # the practice file stays chosen
        elif isinstance(element, model.Checkbox):
            self._checked ^= {key}

    def _move(
        self, step: Step, next_id: str, result: Result, feedback: Text | None, target: str
    ) -> Outcome:
        self._records.append(
            StepRecord(
                step.id, self.wrong_tries, self.hints_given, self.show_me_used, result == "skipped"
            )
        )
        self._reset_counters()
        self._field_errors.clear()
        self._furthest = self.position
        if next_id == END:
            self.finished = True
        else:
            self.step_id = next_id
            self._pass_over_hidden_steps()
        return Outcome(result, step.id, target, feedback, finished=self.finished)

    def _pass_over_hidden_steps(self) -> None:
        """A step whose `only_if` does not hold is not shown: go on to the one after it."""
        seen: set[str] = set()
        while not self.finished and self.step_id not in seen:
            seen.add(self.step_id)
            step = self.step
            if condition_holds(step.only_if, self.persona, self._form_options):
                return
            following = self.scenario.step_after(step)
            if following == END:
                self.finished = True
            else:
                self.step_id = following
