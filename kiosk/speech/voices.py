"""Which voice speaks which language, and how fast.

One table for every language of the kiosk. A language without a voice here
is never read with another language's voice: it needs a recorded clip.
"""

from __future__ import annotations

from typing import Literal

# espeak-ng voice per kiosk language (Dari is read with espeak-ng's Persian).
# Tigrinya and Somali have no espeak-ng voice (1.51): recorded clips only.
VOICES: dict[str, str | None] = {
    "nl": "nl",
    "en": "en",
    "ar": "ar",
    "ti": None,
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
