"""Checks for simple Dutch (B1) in what the kiosk says to the visitor.

Pages of the simulated services keep the Dutch of the real services; these
checks are for instructions, hints, feedback, questions and summaries.
"""

from __future__ import annotations

import itertools
import re

MAX_WORDS = 15

# Imperatives that start an action. Two of them in one instruction is two actions.
ACTION_VERBS = frozenset(
    (
        "tik",
        "typ",
        "kies",
        "kijk",
        "zoek",
        "open",
        "lees",
        "scan",
        "schrijf",
        "vul",
        "druk",
        "klik",
        "ga",
        "sluit",
        "bel",
        "stuur",
        "log",
        "maak",
        "zet",
        "pak",
        "neem",
        "geef",
        "vraag",
        "betaal",
        "verwijder",
        "controleer",
        "bewaar",
        "onthoud",
        "luister",
        "start",
        "kopieer",
        "plak",
        "selecteer",
        "vink",
        "herhaal",
        "bevestig",
        "download",
        "installeer",
        "meld",
        "wacht",
    )
)

# Officialese with a simpler word (after the Dutch government's own 'Direct duidelijk' lists).
OFFICIALESE: dict[str, str] = {
    "indien": "als",
    "middels": "met",
    "dient te": "moet",
    "dienen te": "moeten",
    "teneinde": "om",
    "alsmede": "en",
    "derhalve": "daarom",
    "ten behoeve van": "voor",
    "inzake": "over",
    "omtrent": "over",
    "conform": "volgens",
    "ingevolge": "volgens",
    "reeds": "al",
    "thans": "nu",
    "tevens": "ook",
    "doch": "maar",
    "hetgeen": "wat",
    "retourneren": "terugsturen",
    "aanvang": "begin",
    "woonachtig": "wonen",
    "trachten": "proberen",
    "verstrekken": "geven",
    "uiteraard": "natuurlijk",
    "ten aanzien van": "over",
    "met betrekking tot": "over",
    "verzoeken": "vragen",
    "desalniettemin": "toch",
}

_WORD = re.compile(r"[\w'-]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_QUOTED = re.compile(r"'[^']*'")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def long_sentences(text: str) -> list[str]:
    """Sentences with more than 15 words."""
    return [s for s in sentences(text) if len(_WORD.findall(s)) > MAX_WORDS]


def actions(text: str) -> list[str]:
    """The action verbs an instruction asks for: at the start of a sentence or after 'en'.

    A button name between quotes ('Inloggen') is not an action of the visitor.
    """
    found = []
    for sentence in sentences(_QUOTED.sub("''", text)):
        words = [w.lower() for w in _WORD.findall(sentence)]
        if words and words[0] in ACTION_VERBS:
            found.append(words[0])
        for before, word in itertools.pairwise(words):
            if before == "en" and word in ACTION_VERBS:
                found.append(word)
    return found


def officialese(text: str) -> list[tuple[str, str]]:
    """(word, simpler word) for every officialese word in the text."""
    lowered = " ".join(_WORD.findall(_QUOTED.sub("''", text).lower()))
    return [
        (word, simple)
        for word, simple in OFFICIALESE.items()
        if re.search(rf"\b{re.escape(word)}\b", lowered)
    ]
