"""Registers the shipped fonts with Kivy; a missing font falls back, visibly logged."""

from __future__ import annotations

import logging
from pathlib import Path

from kivy.core.text import DEFAULT_FONT, LabelBase
from kivy.resources import resource_find

from kiosk.i18n.fonts import FONTS, ICON_FONT

log = logging.getLogger(__name__)


def missing_fonts(folder: Path) -> tuple[str, ...]:
    """The font files of the kiosk that are not in `folder` (file names)."""
    names = dict.fromkeys(n for f in (*FONTS.values(), ICON_FONT) for n in (f.regular, f.bold))
    return tuple(name for name in names if not (folder / name).is_file())


def register_fonts(folder: Path) -> bool:
    """Register every font family; returns whether the pictogram font is there."""
    fallback = resource_find("data/fonts/Roboto-Regular.ttf")
    icons_ok = True
    for family in (*FONTS.values(), ICON_FONT):
        regular, bold = folder / family.regular, folder / family.bold
        if not regular.is_file():
            log.warning("font %s is missing; %s falls back to Kivy's Roboto", regular, family.name)
            LabelBase.register(family.name, fallback)
            icons_ok = icons_ok and family is not ICON_FONT
            continue
        LabelBase.register(family.name, str(regular), fn_bold=str(bold) if bold.is_file() else None)
    latin = FONTS["latin"]
    if (folder / latin.regular).is_file():
        # Every label without a font of its own uses Noto Sans.
        LabelBase.register(
            DEFAULT_FONT, str(folder / latin.regular), fn_bold=str(folder / latin.bold)
        )
    return icons_ok
