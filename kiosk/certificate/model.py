"""What an oefenbewijs says: plain data, built from the loaded scenarios."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kiosk.scenario.catalog import THEMES
from kiosk.scenario.library import Library
from kiosk.scenario.model import Text

_THEME_PICTOGRAMS = {theme.id: theme.pictogram for theme in THEMES}


@dataclass(frozen=True)
class PractisedExercise:
    id: str
    title: str
    """The Dutch title of the exercise."""
    title_help: str
    """The title in the visitor's language ("" for Dutch or when it is not translated)."""
    pictogram: str
    """A name from assets/pictograms.yaml."""
    finished: bool
    """False: practised, but not to the end."""


@dataclass(frozen=True)
class Certificate:
    """An "Oefenbewijs"."""

    library: str
    """The library's (the kiosk's) name: the setting kiosk_name."""
    day: date
    language: str
    """"nl" or a help language code (en ar ti prs uk tr so)."""
    exercises: tuple[PractisedExercise, ...]
    referral: str
    """Text staff set (course dates, opening hours); may be ""."""
    name: str = ""
    """Only when the visitor typed one for this printout; NEVER stored."""


def certificate_for(
    library: Library,
    ids_finished: Iterable[str],
    ids_started: Iterable[str],
    language: str,
    day: date,
    kiosk_name: str,
    referral: str,
) -> Certificate:
    """The oefenbewijs of a visit: finished exercises first, then those only started.

    An id the library does not know (content changed since) is left out.
    """
    finished = list(dict.fromkeys(ids_finished))
    started = [i for i in dict.fromkeys(ids_started) if i not in finished]
    known = {s.id: s for s in library.scenarios}
    practised = [(i, True) for i in finished] + [(i, False) for i in started]
    exercises = tuple(
        PractisedExercise(
            id=scenario_id,
            title=known[scenario_id].title.nl,
            title_help=_help_title(known[scenario_id].title, language),
            pictogram=_THEME_PICTOGRAMS.get(known[scenario_id].theme, ""),
            finished=is_finished,
        )
        for scenario_id, is_finished in practised
        if scenario_id in known
    )
    return Certificate(kiosk_name, day, language, exercises, referral.strip())


def _help_title(title: Text, language: str) -> str:
    if language == "nl":
        return ""
    return title.get(language) or ""
