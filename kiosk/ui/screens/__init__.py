"""The kiosk's screens: one .py and one .kv each."""

from pathlib import Path

from kivy.lang import Builder


def load_screen_kv(module_file: str) -> None:
    """Load the .kv that sits beside a screen's .py, once."""
    path = Path(module_file).with_suffix(".kv")
    if str(path) not in Builder.files:
        Builder.load_file(str(path))
