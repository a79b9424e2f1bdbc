"""Right-to-left text for a renderer that neither shapes nor reorders (Kivy's SDL2 text).

Arabic letters must be joined (shaped) and the line put in visual order, with
digits and Latin words ("DigiD", "09:00") kept readable. Doing that to a whole
paragraph breaks wrapping, so this module works on one line at a time; the
caller wraps first (see `wrap`), then asks for each line's visual form.
"""

from __future__ import annotations

import re

import arabic_reshaper
from bidi import get_display

_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def has_rtl(text: str) -> bool:
    return bool(_RTL_CHARS.search(text))


def visual_line(line: str) -> str:
    """One line of logical text → the string to draw left to right."""
    if not has_rtl(line):
        return line
    return get_display(arabic_reshaper.reshape(line), base_dir="R")
