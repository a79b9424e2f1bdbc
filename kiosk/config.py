"""The kiosk's settings: one declarative spec, read from a TOML file and the environment.

Each setting has a name, a type, a default and a description. A value from
the file is overridden by `OEFENKIOSK_<NAME>` in the environment. A bad value
never stops the kiosk: it is reported and the default is used.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SYSTEM_CONFIG = Path("/etc/oefenkiosk/config.toml")


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("kiosk_name", str, "Oefenkiosk", "Name of this kiosk, shown to staff."),
    Setting(
        "idle_timeout",
        int,
        120,
        "Seconds without a touch before 'Bent u er nog?' appears.",
        15,
        3600,
    ),
    Setting(
        "idle_countdown",
        int,
        30,
        "Seconds the 'Bent u er nog?' countdown lasts before the session is wiped.",
        5,
        300,
    ),
    Setting("scenarios_dir", str, "", "Folder with scenario files (empty: the shipped ones)."),
    Setting(
        "audio_cache_dir", str, "", "Folder for spoken texts (empty: the user's cache folder)."
    ),
    Setting(
        "speech_speed",
        str,
        "slow",
        "Reading speed at the start of a session.",
        choices=("slow", "normal"),
    ),
    Setting("auto_read", bool, True, "Read each new instruction aloud by itself."),
    Setting("sounds", bool, True, "A soft sound for a right action and for 'try again'."),
    Setting("volume", int, 80, "Loudness of speech and sounds, 0 to 100.", 0, 100),
)
SPEC: dict[str, Setting] = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    values: dict[str, Any]
    source: str = ""
    problems: tuple[str, ...] = field(default=())

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def _coerce(setting: Setting, raw: Any) -> Any:
    """The value as the setting's type, or ValueError saying why not."""
    if setting.type is bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in (
            "1",
            "true",
            "yes",
            "ja",
            "0",
            "false",
            "no",
            "nee",
        ):
            return raw.lower() in ("1", "true", "yes", "ja")
        raise ValueError("must be true or false")
    if setting.type is int:
        if isinstance(raw, bool):
            raise ValueError("must be a whole number")
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValueError("must be a whole number") from None
        if setting.minimum is not None and value < setting.minimum:
            raise ValueError(f"must be at least {setting.minimum}")
        if setting.maximum is not None and value > setting.maximum:
            raise ValueError(f"must be at most {setting.maximum}")
        return value
    if not isinstance(raw, str):
        raise ValueError("must be text")
    if setting.choices and raw not in setting.choices:
        raise ValueError(f"must be one of {', '.join(setting.choices)}")
    return raw


def cache_dir() -> Path:
    """The user's cache folder for the kiosk ($XDG_CACHE_HOME/oefenkiosk)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "oefenkiosk"


def default_path() -> Path:
    """The config file: $OEFENKIOSK_CONFIG, /etc/oefenkiosk/config.toml, or the user's."""
    override = os.environ.get("OEFENKIOSK_CONFIG")
    if override:
        return Path(override)
    if SYSTEM_CONFIG.exists():
        return SYSTEM_CONFIG
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "oefenkiosk" / "config.toml"


def load_config(path: Path | None = None, environ: dict[str, str] | None = None) -> Config:
    """Read settings; unknown names and bad values are reported, never fatal."""
    path = path or default_path()
    environ = os.environ if environ is None else environ
    problems: list[str] = []
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            problems.append(f"{path}: cannot read, using defaults ({error})")
    for name in raw:
        if name not in SPEC:
            problems.append(f"{path}: unknown setting {name!r}")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        value = setting.default
        sources = [
            (str(path), raw.get(setting.name)),
            (
                f"OEFENKIOSK_{setting.name.upper()}",
                environ.get(f"OEFENKIOSK_{setting.name.upper()}"),
            ),
        ]
        for source, candidate in sources:
            if candidate is None:
                continue
            try:
                value = _coerce(setting, candidate)
            except ValueError as error:
                problems.append(f"{source}: {setting.name} {error}; using {value!r}")
        values[setting.name] = value
    for problem in problems:
        log.warning(problem)
    return Config(values, str(path), tuple(problems))
