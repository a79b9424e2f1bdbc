"""Right-to-left text for a renderer that neither shapes nor reorders (Kivy's SDL2 text).

Arabic letters must be joined (shaped) and the line put in visual order, with
digits and Latin words ("DigiD", "09:00") kept readable. Doing that to a whole
paragraph breaks wrapping, so this module works on one line at a time; the
caller wraps first (see `wrap`), then asks for each line's visual form.

Brackets and other mirrored characters need one more step. A renderer that
knows about direction draws "(" in right-to-left text as its mirror image
(rule L4 of the Unicode bidi algorithm); SDL2 draws what it is given, so the
character itself is swapped. python-bidi's reordering (the Rust unicode-bidi
crate) leaves that step to its caller. Its older pure-Python algorithm does
mirror, but it lacks the bracket-pair rule N0 (`QR (QR-code)` inside Arabic
comes out as `(QR (QR-code`) and drops the zero-width non-joiner Dari spelling
needs, so the crate's resolved levels are used here and the swap follows them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from itertools import accumulate

import arabic_reshaper
from bidi import get_display
from bidi.mirror import MIRRORED  # python-bidi's copy of Unicode's BidiMirroring.txt

log = logging.getLogger(__name__)

_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
# Bidi class B: each paragraph is put in order on its own.
_PARAGRAPH_SEPARATORS = re.compile("([\n\r\x1c-\x1e\x85\u2029])")
RIGHT_TO_LEFT = 1  # the paragraph level of every help text in Arabic or Dari

# python-bidi's `debug=True` answer is the crate's BidiInfo, pretty-printed: one entry per
# UTF-8 byte in each list. The text itself is printed escaped, so these lines are unambiguous.
_CLASSES_BLOCK = re.compile(r"\n    original_classes: \[\n(.*?)\n    \],\n", re.S)
_LEVELS_BLOCK = re.compile(r"\n    levels: \[\n(.*?)\n    \],\n", re.S)
_CLASS = re.compile(r"[A-Z]+")
_NUMBER = re.compile(r"\d+")  # the levels block holds nothing else with digits: Level(\n 1,\n)
_warned = False


def has_rtl(text: str) -> bool:
    return bool(_RTL_CHARS.search(text))


def visual_line(line: str) -> str:
    """One line of logical text → the string to draw left to right."""
    if not has_rtl(line):
        return line
    parts = _PARAGRAPH_SEPARATORS.split(line)
    return "".join(part if i % 2 else _visual_paragraph(part) for i, part in enumerate(parts))


def _shaped(line: str) -> str:
    return arabic_reshaper.reshape(line) if has_rtl(line) else line


def _visual_paragraph(text: str) -> str:
    shaped = arabic_reshaper.reshape(text)
    ordered = get_display(shaped, base_dir="R")
    levels = _resolved_levels(shaped)
    order = _visual_order(levels) if levels else []
    if "".join(shaped[i] for i in order) != ordered:
        _warn_unmirrored()
        return ordered
    return "".join(
        MIRRORED.get(shaped[i], shaped[i]) if levels[i] % 2 else shaped[i] for i in order
    )


def _resolved_levels(text: str) -> list[int] | None:
    """Each character's level after rule L1, as python-bidi resolved it; None if unreadable."""
    info = get_display(text, base_dir="R", debug=True)
    classes_block, levels_block = _CLASSES_BLOCK.search(info), _LEVELS_BLOCK.search(info)
    if not classes_block or not levels_block:
        return None
    byte_classes = _CLASS.findall(classes_block.group(1))
    byte_levels = _NUMBER.findall(levels_block.group(1))
    size = len(text.encode("utf-8"))
    if len(byte_classes) != size or len(byte_levels) != size:
        return None
    starts = list(accumulate((_utf8_length(char) for char in text[:-1]), initial=0))
    classes = [byte_classes[i] for i in starts]  # a character's are those of its first byte
    return _whitespace_to_paragraph_level(classes, [int(byte_levels[i]) for i in starts])


def _utf8_length(char: str) -> int:
    code = ord(char)
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


def _whitespace_to_paragraph_level(classes: list[str], levels: list[int]) -> list[int]:
    """Rule L1, as the unicode-bidi crate applies it: separators, and whitespace before them
    or at the end of the line, go back to the paragraph level."""
    levels = list(levels)
    reset_from: int | None = 0
    previous = RIGHT_TO_LEFT
    for i, bidi_class in enumerate(classes):
        reset_to = None
        if bidi_class in ("B", "S"):
            reset_to = i + 1
            reset_from = i if reset_from is None else reset_from
        elif bidi_class in ("WS", "FSI", "LRI", "RLI", "PDI"):
            reset_from = i if reset_from is None else reset_from
        elif bidi_class in ("RLE", "LRE", "RLO", "LRO", "PDF", "BN"):
            reset_from = i if reset_from is None else reset_from
            levels[i] = previous
        else:
            reset_from = None
        if reset_from is not None and reset_to is not None:
            levels[reset_from:reset_to] = [RIGHT_TO_LEFT] * (reset_to - reset_from)
            reset_from = None
        previous = levels[i]
    if reset_from is not None:
        levels[reset_from:] = [RIGHT_TO_LEFT] * (len(levels) - reset_from)
    return levels


def _visual_order(levels: list[int]) -> list[int]:
    """Rule L2: logical indices in the order they are drawn, left to right."""
    items = list(enumerate(levels))
    lowest_odd = min(levels) | 1
    for level in range(max(levels), lowest_odd - 1, -1):
        start = 0
        while start < len(items):
            if items[start][1] < level:
                start += 1
                continue
            end = start
            while end < len(items) and items[end][1] >= level:
                end += 1
            items[start:end] = items[start:end][::-1]
            start = end
    return [index for index, _level in items]


def _warn_unmirrored() -> None:
    global _warned
    if not _warned:
        _warned = True
        log.warning("python-bidi's levels could not be read: brackets in RTL text not mirrored")


def wrap_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Break logical text into lines that fit `width` once drawn, in reading order.

    `measure` gives the drawn width of a visual line. Each candidate line is
    shaped before it is measured (joined Arabic letters are narrower than the
    isolated ones), and a word wider than a whole line gets a line of its own.
    Its order does not change its width, so it is measured before it is reordered.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if current and measure(_shaped(candidate)) > width:
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
