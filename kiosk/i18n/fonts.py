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
    "arabic": FontFamily("KioskArabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    "ethiopic": FontFamily(
        "KioskEthiopic", "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"
    ),
}
ICON_FONT = FontFamily(
    "KioskIcons", "materialdesignicons-webfont.ttf", "materialdesignicons-webfont.ttf"
)


def font_for_script(script: str) -> str:
    """The registered font name for a script; the Latin font for anything else."""
    return FONTS.get(script, FONTS["latin"]).name
