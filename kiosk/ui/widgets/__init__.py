"""Reusable kiosk widgets; each module loads its own kv rules when imported."""

from pathlib import Path

from kivy.lang import Builder


def load_widget_kv(module_file: str) -> None:
    """Load the .kv file beside a widget module, once."""
    path = Path(module_file).with_suffix(".kv")
    if str(path) not in Builder.files:
        Builder.load_file(str(path))
