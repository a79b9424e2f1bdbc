"""The intake: a few questions before the catalogue, and the short route they give.

The questions are the kiosk's own (their texts are UI strings); which exercises each
answer puts first is content, in `route.yaml` beside the scenarios, so a scenario
author changes a route without touching code. The answers are never stored: the
screen keeps them in memory for the session only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kiosk.scenario.catalog import N_, THEME_IDS, THEMES
from kiosk.scenario.loader import ContentError, convert_document, read_file
from kiosk.scenario.problems import Problem

if TYPE_CHECKING:
    from kiosk.scenario.library import Library

ROUTE_FILE = "route.yaml"
MAX_ROUTE = 5
"""A route is short: a visitor does a few exercises in one visit."""


# --- the questions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One answer button: its id (used in route.yaml), its Dutch text and its pictogram."""

    id: str
    text: str
    pictogram: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    choices: tuple[Choice, ...]
    asked_after: tuple[str, str] | None = None
    """(question, answer): asked only when that question got that answer."""

    def choice(self, answer_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == answer_id), None)


YES = Choice("ja", N_("Ja"), "answer-yes")
NOT_SURE = Choice("weet-niet", N_("Weet ik niet"), "question")

QUESTIONS: tuple[Question, ...] = (
    Question(
        "digid", N_("Heeft u al DigiD?"), (YES, Choice("nee", N_("Nee"), "answer-no"), NOT_SURE)
    ),
    Question(
        "app",
        N_("Heeft u de DigiD app?"),
        (
            Choice("ja", N_("Ja"), "app-ready"),
            Choice("nee", N_("Nee"), "no-app"),
            NOT_SURE,
        ),
        asked_after=("digid", "ja"),
    ),
    Question(
        "regelen",
        N_("Wat wilt u regelen?"),
        (
            *(Choice(t.id, t.name, t.pictogram) for t in THEMES),
            Choice("weet-niet", N_("Weet ik nog niet"), "question"),
        ),
    ),
)
QUESTION_IDS = tuple(q.id for q in QUESTIONS)


def _question(question_id: str) -> Question:
    return next(q for q in QUESTIONS if q.id == question_id)


def is_asked(question: Question, answers: Mapping[str, str]) -> bool:
    """Whether `question` is asked, given the answers before it."""
    if question.asked_after is None:
        return True
    earlier, answer = question.asked_after
    return answers.get(earlier) == answer


def relevant_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """The answers to questions that are asked, in the order of the questions: an answer
    left over from a path the visitor went back on counts no more."""
    kept: dict[str, str] = {}
    for question in QUESTIONS:
        answer = answers.get(question.id)
        if answer is not None and is_asked(question, kept) and question.choice(answer):
            kept[question.id] = answer
    return kept


def next_question(answers: Mapping[str, str]) -> Question | None:
    """The first question still to ask, or None when the intake is done."""
    kept = relevant_answers(answers)
    for question in QUESTIONS:
        if question.id not in kept and is_asked(question, kept):
            return question
    return None


def without_last(answers: Mapping[str, str]) -> dict[str, str]:
    """The answers before the last one: 'Terug' asks the previous question again."""
    kept = relevant_answers(answers)
    if kept:
        kept.pop(list(kept)[-1])
    return kept


# --- the rules (route.yaml) ---------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRule:
    """What one answer puts in the route."""

    exercises: tuple[str, ...] = ()
    """These exercises, in this order."""
    theme: str | None = None
    """Then the rest of this theme's exercises, easiest first (level, then minutes)."""
    leave_out: tuple[str, ...] = ()
    """Exercises this answer makes useless (someone with DigiD need not apply for it)."""


@dataclass(frozen=True)
class RouteRules:
    schema_version: Literal[1]
    answers: dict[str, dict[str, AnswerRule]]

    def rule(self, question_id: str, answer_id: str) -> AnswerRule | None:
        return self.answers.get(question_id, {}).get(answer_id)


def route_for(
    answers: Mapping[str, str], rules: RouteRules | None, library: Library
) -> tuple[str, ...]:
    """The exercises to do first, in order: at most MAX_ROUTE, no repeats, only those
    the library offers."""
    if rules is None:
        return ()
    kept = relevant_answers(answers)
    chosen = [r for q, a in kept.items() if (r := rules.rule(q, a)) is not None]
    left_out = {exercise for rule in chosen for exercise in rule.leave_out}
    offered = {s.id for s in library.scenarios}
    route: list[str] = []
    for rule in chosen:
        for exercise in (*rule.exercises, *_theme_in_order(library, rule.theme)):
            if exercise in offered and exercise not in left_out and exercise not in route:
                route.append(exercise)
            if len(route) == MAX_ROUTE:
                return tuple(route)
    return tuple(route)


def _theme_in_order(library: Library, theme: str | None) -> tuple[str, ...]:
    if theme is None:
        return ()
    scenarios = sorted(library.in_theme(theme), key=lambda s: (s.level, s.minutes, s.id))
    return tuple(s.id for s in scenarios)


# --- loading and checking ----------------------------------------------------------------


def load_route(folder: Path, exercise_ids: Iterable[str]) -> tuple[RouteRules | None, tuple]:
    """The rules of `folder/route.yaml` and every problem in it.

    No file: no rules and no problem (the catalogue as it is). A file with any error:
    no rules, so the kiosk shows its catalogue without a route, and the problems say
    file, line and field.
    """
    path = folder / ROUTE_FILE
    if not path.is_file():
        return None, ()
    try:
        data = read_file(path)
    except ContentError as error:
        return None, tuple(error.problems)
    loaded = convert_document(RouteRules, data, path.name)
    problems = list(loaded.problems)
    if loaded.value is not None:
        problems += _check(data, loaded.value, path.name, frozenset(exercise_ids))
    rules = loaded.value if not any(p.severity == "error" for p in problems) else None
    return rules, tuple(problems)


def _check(raw: Any, rules: RouteRules, file: str, known: frozenset[str]) -> list[Problem]:
    problems: list[Problem] = []
    raw_answers = raw.get("answers") or {}
    for question_id, by_answer in rules.answers.items():
        where = f"answers.{question_id}"
        raw_question = raw_answers.get(question_id) or {}
        if question_id not in QUESTION_IDS:
            line = _key_line(raw_answers, question_id)
            message = f"onbekende vraag{_suggest(question_id, QUESTION_IDS)}; vragen: " + ", ".join(
                QUESTION_IDS
            )
            problems.append(Problem(file, line, where, message))
            continue
        question = _question(question_id)
        choice_ids = [c.id for c in question.choices]
        for answer_id, rule in by_answer.items():
            at = f"{where}.{answer_id}"
            raw_rule = raw_question.get(answer_id) or {}
            if question.choice(answer_id) is None:
                message = f"onbekend antwoord{_suggest(answer_id, choice_ids)}; antwoorden: " + (
                    ", ".join(choice_ids)
                )
                problems.append(Problem(file, _key_line(raw_question, answer_id), at, message))
                continue
            for field in ("exercises", "leave_out"):
                raw_list = raw_rule.get(field) or []
                item_lines = getattr(raw_list, "item_lines", [])
                for index, exercise in enumerate(getattr(rule, field)):
                    if exercise not in known:
                        line = item_lines[index] if index < len(item_lines) else None
                        message = f"onbekende oefening {exercise!r}{_suggest(exercise, known)}"
                        problems.append(
                            Problem(
                                file, line or _key_line(raw_rule, field), f"{at}.{field}", message
                            )
                        )
            if rule.theme is not None and rule.theme not in THEME_IDS:
                message = f"onbekend thema {rule.theme!r}; thema's: " + ", ".join(
                    t.id for t in THEMES
                )
                problems.append(Problem(file, _key_line(raw_rule, "theme"), f"{at}.theme", message))
    return problems


def _key_line(raw: Any, key: str) -> int | None:
    return getattr(raw, "key_lines", {}).get(key, getattr(raw, "line", None))


def _suggest(word: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(known), n=1)
    return f" (bedoelt u {close[0]!r}?)" if close else ""
