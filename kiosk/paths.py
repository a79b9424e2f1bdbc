"""Where the shipped content lives: assets/ and scenarios/ beside the package."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def content_root() -> Path:
    """The folder that holds assets/ and scenarios/ (OEFENKIOSK_HOME overrides)."""
    override = os.environ.get("OEFENKIOSK_HOME")
    return Path(override) if override else PROJECT_ROOT


def assets_dir() -> Path:
    return content_root() / "assets"


def scenarios_dir() -> Path:
    return content_root() / "scenarios"
