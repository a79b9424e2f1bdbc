"""Scenario texts in the help languages, kept in one companion file per language.

`scenarios/translations/<lang>/<scenario-id>.yaml` holds, for one scenario,
the translation of every visitor-facing text under a stable key:

    # Tik op de knop 'Inloggen met DigiD'.
    steps.start.instruction: "Tap the 'Inloggen met DigiD' button."

The Dutch stays in the scenario file, which stays readable; a translator
sees the Dutch above each line. `review: needed` marks a file a native
speaker has not checked yet. Volunteer notes are not translated: they are
for the Dutch-speaking volunteer, not the visitor.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kiosk.scenario.ids import is_valid_scenario_id
from kiosk.scenario.loader import read_file
from kiosk.scenario.model import LANGUAGES, Scenario
from kiosk.scenario.problems import ContentError, Problem
from kiosk.scenario.texts import replace_texts, scenario_texts

HELP_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != "nl")
TRANSLATIONS_DIR = "translations"
_TEXTS_BLOCK = "moet een blok zijn: onder 'texts:' ingesprongen regels 'sleutel: vertaling'"
_UNKNOWN_KEY = "deze tekst staat niet in de oefening (heeft de stap een andere id gekregen?)"
_PLACEHOLDER = re.compile(r"\{[A-Za-z_]+\.[A-Za-z0-9_\-]+\}")
_KEY_LINE = re.compile(r"^  ([A-Za-z0-9_.\-]+):")
# A label between single quotes: 'Inloggen', not the apostrophe of "zo'n" or "auto's".
_QUOTED_LABEL = re.compile(r"(?<!\w)'([^'\n]+?)'(?!\w)")


def quoted_labels(dutch: str) -> list[str]:
    """The words between quotes in a Dutch text: what the visitor must find on screen."""
    return list(dict.fromkeys(_QUOTED_LABEL.findall(dutch)))


def missing_labels(dutch: str, translated: str) -> list[str]:
    """The quoted Dutch labels a translation leaves out (it must keep them in Dutch)."""
    return [label for label in quoted_labels(dutch) if label not in translated]


def missing_label_message(language: str, label: str) -> str:
    return (
        f"De vertaling ({language}) mist het Nederlandse woord '{label}'. De bezoeker "
        "ziet dat woord zo op het scherm: laat het in het Nederlands staan, tussen "
        "aanhalingstekens."
    )


@dataclass(frozen=True)
class TranslationFile:
    language: str
    path: Path
    texts: dict[str, str]
    lines: dict[str, int]
    review_needed: bool


def translation_path(scenarios: Path, language: str, scenario_id: str) -> Path:
    return scenarios / TRANSLATIONS_DIR / language / f"{scenario_id}.yaml"


def existing_translation(scenarios: Path, language: str, scenario_id: str) -> Path | None:
    """The companion file of a scenario in one language, when there is one.

    An id that breaks the id rule (the validator says so) has no companion
    files; looking it up could fail in the file system (a name too long), and
    no content may crash the kiosk.
    """
    if not is_valid_scenario_id(scenario_id):
        return None
    path = translation_path(scenarios, language, scenario_id)
    try:
        return path if path.is_file() else None
    except OSError:
        return None


def read_translation(path: Path, language: str) -> tuple[TranslationFile | None, list[Problem]]:
    """Read one companion file; problems name file, line and key."""
    name = f"{TRANSLATIONS_DIR}/{language}/{path.name}"
    try:
        data = read_file(path)
    except ContentError as error:
        return None, [dataclasses.replace(p, file=name) for p in error.problems]
    if not isinstance(data, dict):
        return None, [Problem(name, 1, "", "moet een blok zijn met regels 'sleutel: vertaling'")]
    problems: list[Problem] = []
    texts = data.get("texts") or {}
    if not isinstance(texts, dict):
        return None, [Problem(name, getattr(data, "line", 1), "texts", _TEXTS_BLOCK)]
    key_lines = getattr(texts, "key_lines", {})
    clean: dict[str, str] = {}
    for key, value in texts.items():
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            problems.append(
                Problem(
                    name,
                    key_lines.get(key),
                    str(key),
                    "een vertaling moet tekst zijn (zet hem tussen aanhalingstekens)",
                )
            )
            continue
        clean[str(key)] = value
    review = str(data.get("review", "")).strip().lower() == "needed"
    lines = {str(k): v for k, v in key_lines.items()}
    return TranslationFile(language, path, clean, lines, review), problems


def apply_translations(
    scenario: Scenario, scenarios_folder: Path
) -> tuple[Scenario, list[Problem]]:
    """The scenario with its companion translations filled into every Text."""
    problems: list[Problem] = []
    known = dict(scenario_texts(scenario))
    merged: dict[str, dict[str, str]] = {key: {} for key in known}
    for language in HELP_LANGUAGES:
        path = existing_translation(scenarios_folder, language, scenario.id)
        if path is None:
            continue
        translation, file_problems = read_translation(path, language)
        problems += file_problems
        if translation is None:
            continue
        name = f"{TRANSLATIONS_DIR}/{language}/{path.name}"
        for key, value in translation.texts.items():
            line = translation.lines.get(key)
            if key not in known:
                problems.append(Problem(name, line, key, _UNKNOWN_KEY, "warning"))
                continue
            wanted = sorted(_PLACEHOLDER.findall(known[key].nl))
            if sorted(_PLACEHOLDER.findall(value)) != wanted:
                problems.append(
                    Problem(
                        name,
                        line,
                        key,
                        f"houd de verwijzingen {', '.join(wanted) or '(geen)'} "
                        "precies zoals in het Nederlands",
                    )
                )
                continue
            problems += [
                Problem(name, line, key, missing_label_message(language, label))
                for label in missing_labels(known[key].nl, value)
            ]
            merged[key][language] = value
    return replace_texts(scenario, merged), problems


def missing_translations(scenario: Scenario) -> dict[str, list[str]]:
    """Per help language: the keys of texts that have no translation yet."""
    missing: dict[str, list[str]] = {lang: [] for lang in HELP_LANGUAGES}
    for key, text in scenario_texts(scenario):
        for language in HELP_LANGUAGES:
            if not text.get(language):
                missing[language].append(key)
    return missing


def dutch_by_key(path: Path) -> dict[str, str]:
    """The Dutch each translation was made from: the comment lines above each key."""
    result: dict[str, str] = {}
    comment: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return result
    for line in lines:
        if line.startswith("  # "):
            comment.append(line[4:])
        elif line.startswith("  #") and line.strip() == "#":
            comment.append("")
        else:
            key = _KEY_LINE.match(line)
            if key and comment:
                result[key[1]] = "\n".join(comment)
            comment = []
    return result


def translation_memory(scenarios_folder: Path, language: str) -> dict[str, str]:
    """Dutch text -> its translation, from every companion file of one language.

    When a text moves (a step renamed, a login moved into a shared flow), its
    translation follows it: i18n-update looks the Dutch up here.
    """
    memory: dict[str, str] = {}
    folder = scenarios_folder / TRANSLATIONS_DIR / language
    for path in sorted(folder.glob("*.yaml")):
        translation, _ = read_translation(path, language)
        if translation is None:
            continue
        for key, dutch in dutch_by_key(path).items():
            value = translation.texts.get(key)
            if value:
                memory.setdefault(dutch, value)
    return memory


def template(
    scenario: Scenario,
    language: str,
    existing: dict[str, str] | None = None,
    memory: dict[str, str] | None = None,
) -> str:
    """A companion file for `language`: every key, the Dutch above it, translations kept.

    `memory` (Dutch -> translation) fills a key that has no translation yet but whose
    Dutch was translated elsewhere.
    """
    existing = existing or {}
    memory = memory or {}
    lines = [
        f"# {language}: translation of scenarios/{scenario.id}.yaml",
        "# Each text: the Dutch in the comment above, the translation after the key.",
        "# Keep {card.x} and {code.x} exactly as they are; keep names of buttons and",
        "# pages in Dutch between quotes ('Inloggen'), as the visitor sees them on screen.",
        "review: needed",
        f"language: {language}",
        f"scenario: {scenario.id}",
        "texts:",
    ]
    for key, text in scenario_texts(scenario):
        for dutch_line in text.nl.splitlines() or [""]:
            lines.append(f"  # {dutch_line}")
        value = existing.get(key) or text.get(language) or memory.get(text.nl) or ""
        lines.append(f"  {key}: {_yaml_string(value)}")
    return "\n".join(lines) + "\n"


def _yaml_string(value: str) -> str:
    if not value:
        return '""'
    dumped: Any = yaml.safe_dump(value, allow_unicode=True, width=10_000, default_style='"')
    return dumped.strip()
