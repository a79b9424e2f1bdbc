"""Builds the kiosk's Arabic and Ethiopic fonts: each Noto font merged with Noto Sans Latin.

Help texts mix scripts ("اضغط على 'Inloggen met DigiD'"), and Kivy's SDL2 text
has no font fallback, so one font must hold both. Run `make fonts` after
changing the source fonts; the results are committed in assets/fonts/.
Needs fontTools (the `dev` extra); the kiosk itself does not.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

from kiosk.paths import assets_dir

# Latin, Latin-1, Latin Extended-A, general punctuation, currency, arrows, a few symbols.
LATIN = "U+0000-024F,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+2212,U+25CC"

BUILDS = {
    "KioskArabic": "NotoSansArabic",
    "KioskEthiopic": "NotoSansEthiopic",
}


def _latin_subset(source: Path, target: Path) -> None:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(LATIN))
    subsetter.subset(font)
    font.save(target)


def _rename(font: TTFont, family: str, style: str) -> None:
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17):
            names.removeNames(nameID=record.nameID)
    full = f"{family} {style}"
    for name_id, value in (
        (1, family),
        (2, style),
        (3, f"{family}-{style}"),
        (4, full),
        (6, f"{family}-{style}".replace(" ", "")),
    ):
        names.setName(value, name_id, 3, 1, 0x409)


def build(folder: Path | None = None) -> list[Path]:
    folder = folder or assets_dir() / "fonts"
    written = []
    with tempfile.TemporaryDirectory() as work:
        for style in ("Regular", "Bold"):
            latin = Path(work) / f"latin-{style}.ttf"
            _latin_subset(folder / f"NotoSans-{style}.ttf", latin)
            for family, source in BUILDS.items():
                merged = Merger().merge([str(folder / f"{source}-{style}.ttf"), str(latin)])
                _rename(merged, family.replace("Kiosk", "Oefenkiosk "), style)
                target = folder / f"{family}-{style}.ttf"
                merged.save(target)
                written.append(target)
    return written


if __name__ == "__main__":
    for path in build():
        print(f"wrote {path}")
