"""`oefenkiosk i18n-report`: per language, how much is translated and how much can be heard."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.i18n.catalogs import (
    HELP_LANGUAGES,
    extract_template,
    plural_translations,
    translations,
)
from kiosk.i18n.languages import LANGUAGES
from kiosk.paths import assets_dir
from kiosk.scenario.library import Library
from kiosk.scenario.texts import scenario_texts
from kiosk.speech.clips import ui_clip
from kiosk.speech.voices import voice_for


@dataclass(frozen=True)
class Coverage:
    language: str
    name: str
    scenario_texts: int
    scenario_translated: int
    ui_strings: int
    ui_translated: int
    heard: int
    voice: str | None


def coverage(library: Library, voices: set[str]) -> list[Coverage]:
    """`voices`: the languages the speech engine really has a voice for."""
    texts = [text for s in library.scenarios for _, text in scenario_texts(s)]
    # A counted string is known by its singular ("{n} oefening"), whatever its forms.
    msgids = sorted(m.id[0] if m.pluralizable else m.id for m in extract_template() if m.id)
    rows = []
    for lang in LANGUAGES:
        code = lang.code
        if code == "nl":
            scenario_done, ui_done = len(texts), len(msgids)
        else:
            scenario_done = sum(1 for t in texts if t.get(code))
            catalog, counted = translations(code), plural_translations(code).forms
            ui_done = sum(1 for m in msgids if catalog.get(m) or m in counted)
        voiced = code in voices
        if voiced:
            heard = scenario_done + ui_done
        else:  # only what a volunteer recorded
            clips = assets_dir() / "audio" / code
            heard = sum(1 for t in texts if t.audio.get(code) and (clips / t.audio[code]).is_file())
            heard += sum(
                1 for m in msgids if ui_clip(m, code) and (clips / ui_clip(m, code)).is_file()
            )
        rows.append(
            Coverage(
                code,
                lang.native_name,
                len(texts),
                scenario_done,
                len(msgids),
                ui_done,
                heard,
                voice_for(code) if voiced else None,
            )
        )
    return rows


def report(rows: list[Coverage]) -> str:
    lines = [
        f"{'language':<18} {'scenario texts':>15} {'UI strings':>11} {'can be heard':>16}  how"
    ]
    for row in rows:
        total = row.scenario_texts + row.ui_strings
        how = f"voice {row.voice}" if row.voice else "recordings only"
        lines.append(
            f"{row.language + ' ' + row.name:<18} "
            f"{row.scenario_translated:>7}/{row.scenario_texts:<7} "
            f"{row.ui_translated:>5}/{row.ui_strings:<5} "
            f"{row.heard:>8}/{total:<7}  {how}"
        )
    return "\n".join(lines)


__all__ = ["HELP_LANGUAGES", "Coverage", "coverage", "report"]


def missing_by_scenario(library: Library) -> list[tuple[str, str, int]]:
    """(scenario id, language, texts missing) for each scenario and help language with gaps."""
    gaps = []
    for scenario in library.scenarios:
        texts = [text for _, text in scenario_texts(scenario)]
        for code in HELP_LANGUAGES:
            missing = sum(1 for text in texts if not text.get(code))
            if missing:
                gaps.append((scenario.id, code, missing))
    return gaps
