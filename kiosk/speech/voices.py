"""Which voice speaks which language, and how fast.

One table for every language of the kiosk. A language without a voice here
is never read with another language's voice: it needs a recorded clip.
Whether a voice in the table is really installed is asked of the engine at
run time (`heard_languages`): espeak-ng's voices differ between releases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

# espeak-ng voice per kiosk language (Dari is read with espeak-ng's Persian).
# Tigrinya: espeak-ng 1.52 (Debian 13, Raspberry Pi OS trixie) has a `ti` voice, 1.51
# (Debian 12) has none; there Tigrinya is heard from recorded clips only.
# Somali: no offline voice exists; recorded clips only, everywhere.
VOICES: dict[str, str | None] = {
    "nl": "nl",
    "en": "en",
    "ar": "ar",
    "ti": "ti",
    "prs": "fa",
    "uk": "uk",
    "tr": "tr",
    "so": None,
}

Speed = Literal["slow", "normal"]

# Words per minute. espeak-ng reads 175 by default; learners follow 130-140 better.
WORDS_PER_MINUTE: dict[str, int] = {"slow": 135, "normal": 175}


def voice_for(language: str) -> str | None:
    """The voice for a language, or None: never another language's voice."""
    return VOICES.get(language)


def heard_languages(has_voice: Callable[[str], bool]) -> tuple[str, ...]:
    """The kiosk languages whose voice the installed engine really has, sorted."""
    return tuple(sorted(lang for lang, voice in VOICES.items() if voice and has_voice(voice)))


def no_voice_anywhere() -> tuple[str, ...]:
    """The languages no engine can speak: heard from recorded clips only."""
    return tuple(lang for lang, voice in VOICES.items() if voice is None)
