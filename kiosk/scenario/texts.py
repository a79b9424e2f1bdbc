"""The visitor-facing texts of a scenario: finding them by key, and replacing them.

Keys are stable names like `steps.start.hints.2`; translation files, the
validator, the audio build and the engine all use them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

from kiosk.scenario.model import LANGUAGES, Persona, Scenario, Step, Text
from kiosk.scenario.persona import PLACEHOLDER, REFERENCE_DAY, Context, fill_in


def step_texts(step: Step) -> Iterator[tuple[str, Text]]:
    """The visitor-facing texts of a step, with their keys."""
    base = f"steps.{step.id}"
    yield f"{base}.instruction", step.instruction
    for number, hint in enumerate(step.hints, start=1):
        yield f"{base}.hints.{number}", hint
    for number, rule in enumerate(step.wrong, start=1):
        yield f"{base}.wrong.{number}", rule.feedback
    for number, branch in enumerate(step.branches, start=1):
        if branch.feedback is not None:
            yield f"{base}.branches.{number}", branch.feedback
    if step.feedback is not None:
        yield f"{base}.feedback", step.feedback
    if step.explain is not None:
        yield f"{base}.explain", step.explain
    if step.question is not None:
        yield f"{base}.question.text", step.question.text
        for choice in step.question.options:
            yield f"{base}.question.options.{choice.id}", choice.text


def scenario_texts(scenario: Scenario) -> Iterator[tuple[str, Text]]:
    """Every text of a scenario that a visitor reads, in file order, with its key."""
    yield "title", scenario.title
    yield "summary", scenario.summary
    for step in scenario.steps:
        yield from step_texts(step)


def replace_texts(scenario: Scenario, merged: dict[str, dict[str, str]]) -> Scenario:
    """A copy of the scenario whose texts (by key) get the given languages replaced."""

    def text(key: str, original: Text) -> Text:
        extra = merged.get(key) or {}
        return dataclasses.replace(original, **extra) if extra else original

    def step(s: Step) -> Step:
        base = f"steps.{s.id}"
        question = s.question
        if question is not None:
            question = dataclasses.replace(
                question,
                text=text(f"{base}.question.text", question.text),
                options=tuple(
                    dataclasses.replace(c, text=text(f"{base}.question.options.{c.id}", c.text))
                    for c in question.options
                ),
            )
        return dataclasses.replace(
            s,
            instruction=text(f"{base}.instruction", s.instruction),
            hints=tuple(text(f"{base}.hints.{n}", h) for n, h in enumerate(s.hints, start=1)),
            wrong=tuple(
                dataclasses.replace(w, feedback=text(f"{base}.wrong.{n}", w.feedback))
                for n, w in enumerate(s.wrong, start=1)
            ),
            branches=tuple(
                dataclasses.replace(b, feedback=text(f"{base}.branches.{n}", b.feedback))
                if b.feedback
                else b
                for n, b in enumerate(s.branches, start=1)
            ),
            feedback=text(f"{base}.feedback", s.feedback) if s.feedback else None,
            explain=text(f"{base}.explain", s.explain) if s.explain else None,
            question=question,
        )

    return dataclasses.replace(
        scenario,
        title=text("title", scenario.title),
        summary=text("summary", scenario.summary),
        steps=tuple(step(s) for s in scenario.steps),
    )


def with_card_values(scenario: Scenario, persona: Persona, today: date = REFERENCE_DAY) -> Scenario:
    """The scenario with card values, codes and dates filled into every visitor text, in
    every language. `{form.x}` (an earlier answer) stays: it is filled in when shown."""
    context = Context(persona, scenario.codes, scenario.dates, today, _KEEP_FORM)
    merged: dict[str, dict[str, str]] = {}
    for key, text in scenario_texts(scenario):
        changes = {}
        for language in LANGUAGES:
            value = text.get(language)
            if value and PLACEHOLDER.search(value):
                changes[language] = fill_in(value, context)
        if changes:
            merged[key] = changes
    return replace_texts(scenario, merged) if merged else scenario


class _KeepForm(dict):
    """Earlier answers are not known yet: `{form.x}` is left as written."""

    def get(self, key, default=None):
        return f"{{form.{key}}}"


_KEEP_FORM = _KeepForm()
