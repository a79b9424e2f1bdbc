"""Right-to-left text for a renderer that neither shapes nor reorders (Kivy's SDL2 text).

Arabic letters must be joined (shaped) and the line put in visual order, with
digits and Latin words ("DigiD", "09:00") kept readable. Doing that to a whole
paragraph breaks wrapping, so this module works on one line at a time; the
caller wraps first (see `wrap`), then asks for each line's visual form.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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


def wrap_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Break logical text into lines that fit `width` once drawn, in reading order.

    `measure` gives the drawn width of a visual line. Each candidate line is
    shaped before it is measured (joined Arabic letters are narrower than the
    isolated ones), and a word wider than a whole line gets a line of its own.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if current and measure(visual_line(candidate)) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


def display_text(text: str, width: float, measure: Callable[[str], float]) -> str:
    """Right-to-left text ready for a left-to-right renderer: wrapped, then each line shaped
    and put in visual order. (Reordering a whole paragraph first and letting the renderer
    wrap it puts the lines in the wrong order.)"""
    return "\n".join(visual_line(line) for line in wrap_lines(text, width, measure))
