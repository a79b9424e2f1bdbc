"""The registry of named pictograms (assets/pictograms.yaml)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from kiosk.paths import assets_dir

REGISTRY_FILE = "pictograms.yaml"


@dataclass(frozen=True)
class Pictogram:
    name: str
    icon: str
    codepoint: int
    label: str

    @property
    def glyph(self) -> str:
        return chr(self.codepoint)


def load_pictograms(path: Path | None = None) -> dict[str, Pictogram]:
    """Read the registry; an unreadable file gives an empty registry, not a crash."""
    return dict(_load(path or assets_dir() / REGISTRY_FILE))


def with_additions(registry: dict[str, Pictogram], folder: Path) -> dict[str, Pictogram]:
    """The registry plus the new names a content folder (a pack) brings in its own
    pictograms.yaml: icons of the kiosk's icon font under new names. A name the kiosk
    has already keeps its own picture."""
    if not registry:
        return registry  # no registry, no icon font names to trust: plain shapes for all
    additions = _load(folder / REGISTRY_FILE)
    return {**additions, **registry} if additions else registry


FALLBACK_TEXT = {
    "plus": "+",
    "minus": "\u2013",
    "back": "\u2039",
    "next": "\u203a",
    "close": "\u00d7",
    "keyboard-close": "\u00d7",
    "backspace": "\u00ab",
    "shift": "Aa",
    "caps": "AA",
}
"""Pictograms that stand alone on a button (keys, steppers) and so carry its meaning get a
sign from the text font when they cannot be drawn; the others get a plain ring."""


def glyph(registry: dict[str, Pictogram], name: str, font_ok: bool) -> str | None:
    """The icon font's character for a named pictogram, or None when it cannot be drawn
    (an unknown name, no registry, no icon font): the screen then draws a plain shape,
    never an empty box."""
    pictogram = registry.get(name)
    return pictogram.glyph if pictogram is not None and font_ok else None


@functools.cache
def _load(path: Path) -> dict[str, Pictogram]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
    except (OSError, yaml.YAMLError):
        return {}
    if not isinstance(raw, dict):
        return {}
    registry = {}
    for name, entry in raw.items():
        try:
            registry[str(name)] = Pictogram(
                str(name),
                str(entry["icon"]),
                int(str(entry["codepoint"]), 16),
                str(entry.get("label", name)),
            )
        except (KeyError, TypeError, ValueError):
            continue
    return registry
