"""Which font draws which script (the fonts themselves live in assets/fonts/)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: str
    bold: str


FONTS: dict[str, FontFamily] = {
    "latin": FontFamily("KioskSans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    # Noto Sans Arabic and Noto Sans Ethiopic, each merged with Noto Sans Latin (see
    # kiosk/i18n/fontbuild.py): help texts quote Dutch buttons, and SDL2 has no font fallback.
    "arabic": FontFamily("KioskArabic", "KioskArabic-Regular.ttf", "KioskArabic-Bold.ttf"),
    "ethiopic": FontFamily("KioskEthiopic", "KioskEthiopic-Regular.ttf", "KioskEthiopic-Bold.ttf"),
}
ICON_FONT = FontFamily(
    "KioskIcons", "materialdesignicons-webfont.ttf", "materialdesignicons-webfont.ttf"
)


def font_for_script(script: str) -> str:
    """The registered font name for a script; the Latin font for anything else."""
    return FONTS.get(script, FONTS["latin"]).name
