"""Recorded clips for UI strings: assets/audio/<lang>/ui.yaml maps a UI text to a file.

    # assets/audio/so/ui.yaml
    "Bent u er nog?": bent-u-er-nog.ogg

Scenario texts name their clips themselves (`audio:` in the scenario file).
"""

from __future__ import annotations

import functools

import yaml

from kiosk.paths import assets_dir


@functools.cache
def _table(language: str) -> dict[str, str]:
    path = assets_dir() / "audio" / language / "ui.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, yaml.YAMLError):
        return {}
    return {str(k): str(v) for k, v in (data or {}).items()} if isinstance(data, dict) else {}


def ui_clip(msgid: str, language: str) -> str | None:
    """The recorded clip for a UI string in a language, if a volunteer made one."""
    return _table(language).get(msgid)
