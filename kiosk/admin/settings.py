"""Staff changes to the kiosk's settings, saved to `settings.toml` in the data folder.

The main config file belongs to whoever installed the kiosk and is never
rewritten (see kiosk/config.py for the order in which the files count).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import tomli_w

from kiosk.config import SPEC, STAFF_FILE, Config, coerce, data_dir


class SettingError(ValueError):
    """A value staff may not save; the message names the setting."""


def staff_file(config: Config) -> Path:
    return data_dir(config) / STAFF_FILE


def save_staff_settings(config: Config, changes: dict[str, Any]) -> Config:
    """Check and save staff changes; returns the settings the kiosk uses from now on.

    A staff choice stays in `settings.toml` even when it equals the default, so
    the kiosk behaves after a restart exactly as it does now. A setting fixed by
    an environment variable keeps that value.
    """
    checked: dict[str, Any] = {}
    for name, value in changes.items():
        setting = SPEC.get(name)
        if setting is None or not setting.label:
            raise SettingError(f"{name}: not a setting staff can change")
        try:
            checked[name] = coerce(setting, value)
        except ValueError as error:
            raise SettingError(f"{setting.label}: {error}") from None
    path = staff_file(config)
    saved: dict[str, Any] = {}
    if path.exists():
        try:
            saved = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            saved = {}  # a broken file is replaced by the staff's new choices
    for name, value in checked.items():
        saved[name] = list(value) if isinstance(value, tuple) else value
    _write_atomically(path, saved)
    values = dict(config.values)
    values.update({k: v for k, v in checked.items() if k not in config.from_environment})
    return replace(config, values=values)


def _write_atomically(path: Path, values: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "# Oefenkiosk: settings changed by staff on the kiosk's staff screen.\n"
        "# They count over the main config file; an OEFENKIOSK_<NAME> variable counts over them.\n"
        + tomli_w.dumps(values)
    )
    temporary = path.with_name(f".{path.name}.new")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
