"""Steps and elements in words, for volunteers and staff (the log only knows ids)."""

from __future__ import annotations

from kiosk.scenario import model
from kiosk.scenario.engine import container_of
from kiosk.scenario.model import Scenario, Step
from kiosk.scenario.persona import resolve

SHORT = 60


def _short(text: str, length: int = SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _all_elements(scenario: Scenario):
    for page in scenario.pages.values():
        yield from page.elements
    for phone in scenario.phones.values():
        yield from phone.elements
        if phone.notification is not None:
            yield phone.notification
    for letter in scenario.letters.values():
        yield from letter.body


def _words(element) -> str:
    for name in ("label", "text", "subject", "caption"):
        value = getattr(element, name, None)
        if isinstance(value, str) and value:
            return value
    return ""


def element_name(scenario: Scenario, element_id: str, step: Step | None = None) -> str:
    """What the visitor saw: a button's text, a field's label, an answer; else the id.

    Ids are unique per page, not per scenario: with the step, its own view is searched first.
    """
    if not element_id:
        return ""
    if step is not None:
        _, element = container_of(scenario, step, element_id)
        if isinstance(element, model.Choice):
            return _short(element.text.nl, 40)
        if element is not None and _words(element):
            return _short(_words(element), 40)
    for element in _all_elements(scenario):
        if getattr(element, "id", None) == element_id and _words(element):
            return _short(_words(element), 40)
        if isinstance(element, model.Sms) and element.link == element_id:
            return "de link in de sms"
    for step in scenario.steps:
        if step.question is not None:
            for choice in step.question.options:
                if choice.id == element_id:
                    return _short(choice.text.nl, 40)
    return element_id


def step_number(scenario: Scenario, step_id: str) -> int:
    for index, step in enumerate(scenario.steps, start=1):
        if step.id == step_id:
            return index
    return 0


def step_name(scenario: Scenario, step_id: str) -> str:
    """'3. Typ de sms-code.' — the step's place and its instruction, shortened."""
    number = step_number(scenario, step_id)
    if not number:
        return step_id
    return f"{number}. {_short(scenario.steps[number - 1].instruction.nl)}"


def _option_text(scenario: Scenario, step: Step, field: str, option: str | None) -> str:
    page = scenario.pages.get(step.page) if step.page else None
    for element in page.elements if page else ():
        if getattr(element, "id", None) == field:
            for item in getattr(element, "options", ()):
                if item.id == option:
                    return item.text
    return option or ""


def expected_action(scenario: Scenario, persona: model.Persona, step: Step) -> str:
    """The right action in words, e.g. "Typ bij 'Sms-code': 482913"."""
    rule = step.expect
    name = element_name(scenario, rule.target, step)
    if rule.kind == "tap":
        return f"Tik op ‘{name}’"
    if rule.kind == "type":
        if rule.value is None:
            return f"Typ iets bij ‘{name}’"
        try:
            value = resolve(rule.value, persona, scenario.codes)
        except KeyError:
            value = rule.value
        return f"Typ bij ‘{name}’: {value}"
    if rule.kind == "choose":
        return f"Kies bij ‘{name}’: {_option_text(scenario, step, rule.target, rule.option)}"
    if rule.kind == "answer":
        return f"Antwoord: ‘{name}’"
    return ""
