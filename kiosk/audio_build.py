"""`oefenkiosk audio build`: render every text the kiosk can speak, ahead of time.

Scenario texts in every language that has a voice, what tapping a page, phone
or letter block reads, the practice cards, and the spoken UI strings; both
reading speeds. Already rendered texts are kept (the cache is keyed by text,
voice, speed and engine). The kiosk renders on demand too; a full cache just
means no visitor ever waits for the first reading.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kiosk.scenario.engine import ScenarioRun
from kiosk.scenario.library import Library
from kiosk.scenario.model import LANGUAGES
from kiosk.scenario.texts import scenario_texts
from kiosk.speech.service import Pending, Ready, SpeechService, Unavailable
from kiosk.ui.presenters import card_view, practice_view, spoken_text, ui

SPOKEN_UI_TEXTS = ("Bent u er nog?",)
"""UI strings the kiosk reads by itself (the idle question)."""


def spoken_texts(library: Library) -> set[tuple[str, str]]:
    """Every (language, text) the kiosk can be asked to speak."""
    texts: set[tuple[str, str]] = set()

    def add(language: str, text: str | None) -> None:
        if text and text.strip():
            texts.add((language, text))

    for scenario in library.scenarios:
        persona = library.persona_for(scenario)
        run = ScenarioRun(scenario, persona)  # with the card's values in every text
        for _key, text in scenario_texts(run.scenario):
            for language in LANGUAGES:
                add(language, text.get(language))
        for step in run.scenario.steps:
            run.step_id = step.id  # look at each step as the screen would show it
            view = practice_view(run, "nl")
            if view.question:
                add("nl", view.question.spoken)
            elements = [
                *(view.page.elements if view.page else ()),
                *(view.phone.elements if view.phone else ()),
            ]
            for element in elements:
                add("nl", spoken_text(element.element))
            if view.letter:
                for block in view.letter.letter.body:
                    add("nl", spoken_text(block))
        title = ui("Goed gedaan!", "nl").nl
        add("nl", f"{title} {run.scenario.summary.nl}")
        for line in card_view(persona, "nl").spoken_lines:
            add("nl", line)
    for msgid in SPOKEN_UI_TEXTS:
        for language in LANGUAGES:
            words = ui(msgid, language)
            add(language, words.help if language != "nl" else words.nl)
    return texts


@dataclass(frozen=True)
class BuildSummary:
    texts: int
    rendered: int
    cached: int
    silent: int
    failed: int
    seconds: float


def build(
    library: Library,
    service: SpeechService,
    speeds: tuple[str, ...] = ("slow",),
    out: TextIO = sys.stderr,
    timeout: float = 600.0,
) -> BuildSummary:
    started = time.monotonic()
    jobs = [
        (language, text, speed)
        for language, text in sorted(spoken_texts(library))
        for speed in speeds
    ]
    progress = _Progress(out, len(jobs))
    pending: set[int] = set()
    rendered = cached = silent = failed = done = 0
    service.start()
    for language, text, speed in jobs:
        answer = service.request(text, language, speed)
        if isinstance(answer, Ready):
            cached += 1
            done += 1
        elif isinstance(answer, Pending):
            pending.add(answer.ticket)
        else:
            silent += 1
            done += 1
        progress.show(done)
    while pending and time.monotonic() - started < timeout:
        for ticket, answer in service.poll():
            if ticket not in pending:
                continue
            pending.discard(ticket)
            done += 1
            if isinstance(answer, Ready) and answer.rendered:
                rendered += 1
            elif isinstance(answer, Ready):
                cached += 1
            elif isinstance(answer, Unavailable) and answer.reason == "no-voice":
                silent += 1
            else:
                failed += 1
            progress.show(done)
        time.sleep(0.01)
    failed += len(pending)
    progress.close()
    return BuildSummary(len(jobs), rendered, cached, silent, failed, time.monotonic() - started)


class _Progress:
    """A bar on a terminal, redrawn only when it grows; a line per tenth in a log."""

    def __init__(self, out: TextIO, total: int, width: int = 30) -> None:
        self.out, self.total, self.width = out, total, width
        self.terminal = out.isatty()
        self.shown = -1

    def show(self, done: int) -> None:
        steps = self.width if self.terminal else 10
        step = done * steps // self.total if self.total else steps
        if step == self.shown:
            return
        self.shown = step
        if self.terminal:
            bar = "#" * step + "-" * (self.width - step)
            self.out.write(f"\r[{bar}] {done}/{self.total}")
        else:
            self.out.write(f"{done}/{self.total}\n")
        self.out.flush()

    def close(self) -> None:
        if self.terminal:
            self.out.write("\n")


def run_build(
    library: Library, cache_folder: Path, clips_folder: Path, speeds: tuple[str, ...]
) -> int:
    service = SpeechService(cache_folder, clips_folder)
    try:
        summary = build(library, service, speeds)
    finally:
        service.stop()
    if service.state == "off":
        print("no speech engine: nothing rendered (is espeak-ng installed?)")
        return 1
    print(
        f"{summary.texts} texts ({' and '.join(speeds)} speed): {summary.rendered} new, "
        f"{summary.cached} "
        f"already there, {summary.silent} without a voice, {summary.failed} failed; "
        f"{summary.seconds:.1f} s"
    )
    return 0 if summary.failed == 0 else 1
