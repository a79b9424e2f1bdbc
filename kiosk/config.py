"""The kiosk's settings: one declarative spec, read from a TOML file and the environment.

Each setting has a name, a type, a default and a description; the settings
with a Dutch `label` can also be changed by staff on the kiosk's staff screen.
Those changes are saved to `settings.toml` in the kiosk's data folder, because
the main file (`/etc/oefenkiosk/config.toml` on a deployed kiosk) belongs to
the system administrator and is never rewritten.

Order, last wins: the default, the config file, the staff's `settings.toml`,
`OEFENKIOSK_<NAME>` in the environment. A bad value never stops the kiosk: it
is reported and the value before it is used.
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
STAFF_FILE = "settings.toml"
"""The staff's changes, in the data folder."""


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    label: str = ""
    """Dutch name on the staff screen; empty: only in the config file."""
    step: int = 1
    """For a whole number on the staff screen: how much one tap on - or + changes it."""


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "kiosk_name",
        str,
        "Oefenkiosk",
        "Name of this kiosk, shown to staff and in exports.",
        label="Naam van de kiosk",
    ),
    Setting(
        "idle_timeout",
        int,
        120,
        "Seconds without a touch before 'Bent u er nog?' appears.",
        15,
        3600,
        label="Wachttijd zonder aanraking (seconden)",
        step=15,
    ),
    Setting(
        "idle_countdown",
        int,
        30,
        "Seconds the 'Bent u er nog?' countdown lasts before the session is wiped.",
        5,
        300,
    ),
    Setting(
        "enabled_languages",
        tuple,
        (),
        "Help languages a visitor can choose (codes such as en, ar); empty: all.",
        label="Hulptalen",
    ),
    Setting(
        "enabled_scenarios",
        tuple,
        (),
        "Scenarios shown to visitors (their ids); empty: all.",
        label="Oefeningen",
    ),
    Setting(
        "speech_speed",
        str,
        "slow",
        "Reading speed at the start of a session.",
        choices=("slow", "normal"),
        label="Voorleessnelheid",
    ),
    Setting(
        "volume",
        int,
        80,
        "Loudness of speech and sounds, 0 to 100.",
        0,
        100,
        label="Volume",
        step=10,
    ),
    Setting(
        "sounds",
        bool,
        True,
        "A soft sound for a right action and for 'try again'.",
        label="Geluidjes bij goed en fout",
    ),
    Setting("auto_read", bool, True, "Read each new instruction aloud by itself."),
    Setting(
        "text_size",
        str,
        "normal",
        "Text size at the start of a session.",
        choices=("normal", "large"),
        label="Lettergrootte",
    ),
    Setting(
        "retention_days",
        int,
        90,
        "Days the practice log keeps single events; older ones are kept as counts per day.",
        7,
        3650,
        label="Bewaartermijn van het logboek (dagen)",
        step=30,
    ),
    Setting(
        "resume_code_weeks",
        int,
        6,
        "Weeks an oefencode brings a visitor's progress back on this kiosk; then it expires.",
        1,
        52,
        label="Oefencode geldig (weken)",
        step=1,
    ),
    Setting(
        "xapi_enabled",
        bool,
        False,
        "Send anonymous xAPI statements of each session to the network's LRS (lrs_url).",
        label="Oefengegevens naar het netwerk sturen (xAPI)",
    ),
    Setting(
        "lrs_url",
        str,
        "",
        "The xAPI endpoint of the network's LRS, e.g. https://lrs.example.org/xAPI/.",
    ),
    Setting(
        "xapi_home_page",
        str,
        "",
        "The network's home page, for the anonymous account in statements (empty: the LRS's).",
    ),
    Setting(
        "xapi_activity_base",
        str,
        "",
        "Base IRI of the activity ids (empty: the home page followed by /oefenkiosk).",
    ),
    Setting(
        "pack_public_keys",
        tuple,
        (),
        "Public keys (base64) whose signed content packs this kiosk accepts; empty: none.",
    ),
    Setting(
        "pack_url",
        str,
        "",
        "Where the network publishes its content pack; checked daily and on staff request.",
    ),
    Setting(
        "referral_text",
        str,
        "",
        "Text on the oefenbewijs: course dates, opening hours of the library's help desk.",
        label="Tekst op het oefenbewijs (bijv. cursusdata, openingstijden)",
    ),
    Setting("printer", str, "", "CUPS printer for the oefenbewijs (empty: the default printer)."),
    Setting(
        "data_dir",
        str,
        "",
        "Folder for the practice log and the PINs (empty: the user's data folder).",
    ),
    Setting("scenarios_dir", str, "", "Folder with scenario files (empty: the shipped ones)."),
    Setting(
        "audio_cache_dir", str, "", "Folder for spoken texts (empty: the user's cache folder)."
    ),
)
SPEC: dict[str, Setting] = {s.name: s for s in SETTINGS}


STAFF_SETTINGS: tuple[Setting, ...] = tuple(s for s in SETTINGS if s.label)


@dataclass(frozen=True)
class Config:
    values: dict[str, Any]
    source: str = ""
    problems: tuple[str, ...] = field(default=())
    from_environment: frozenset[str] = frozenset()
    """Settings fixed by an environment variable: a staff change does not win over these."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def coerce(setting: Setting, raw: Any) -> Any:
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
    if setting.type is tuple:
        if isinstance(raw, str):
            raw = [part.strip() for part in raw.split(",") if part.strip()]
        if not isinstance(raw, list | tuple) or not all(isinstance(x, str) for x in raw):
            raise ValueError("must be a list of names")
        return tuple(dict.fromkeys(raw))
    if not isinstance(raw, str):
        raise ValueError("must be text")
    if setting.choices and raw not in setting.choices:
        raise ValueError(f"must be one of {', '.join(setting.choices)}")
    return raw


def cache_dir() -> Path:
    """The user's cache folder for the kiosk ($XDG_CACHE_HOME/oefenkiosk)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "oefenkiosk"


def data_home() -> Path:
    """The user's data folder for the kiosk ($XDG_DATA_HOME/oefenkiosk)."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "oefenkiosk"


def data_dir(config: Config) -> Path:
    """Where the practice log, the PINs and the staff's settings live."""
    return Path(config.data_dir) if config.data_dir else data_home()


def default_path() -> Path:
    """The config file: $OEFENKIOSK_CONFIG, /etc/oefenkiosk/config.toml, or the user's."""
    override = os.environ.get("OEFENKIOSK_CONFIG")
    if override:
        return Path(override)
    if SYSTEM_CONFIG.exists():
        return SYSTEM_CONFIG
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "oefenkiosk" / "config.toml"


def _read_toml(path: Path, problems: list[str]) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        problems.append(f"{path}: cannot read, using defaults ({error})")
        return {}


def load_config(path: Path | None = None, environ: dict[str, str] | None = None) -> Config:
    """Read settings; unknown names and bad values are reported, never fatal."""
    path = path or default_path()
    environ = os.environ if environ is None else environ
    problems: list[str] = []
    main = _read_toml(path, problems)
    for name in main:
        if name not in SPEC:
            problems.append(f"{path}: unknown setting {name!r}")
    folder = environ.get("OEFENKIOSK_DATA_DIR") or main.get("data_dir")
    staff_path = (Path(folder) if isinstance(folder, str) and folder else data_home()) / STAFF_FILE
    staff = _read_toml(staff_path, problems)
    for name in staff:
        if name not in SPEC or not SPEC[name].label:
            problems.append(f"{staff_path}: {name!r} cannot be set by staff; ignored")
    values: dict[str, Any] = {}
    fixed: set[str] = set()
    for setting in SETTINGS:
        value = setting.default
        variable = f"OEFENKIOSK_{setting.name.upper()}"
        sources = [
            (str(path), main.get(setting.name)),
            (str(staff_path), staff.get(setting.name) if setting.label else None),
            (variable, environ.get(variable)),
        ]
        for source, candidate in sources:
            if candidate is None:
                continue
            try:
                value = coerce(setting, candidate)
            except ValueError as error:
                problems.append(f"{source}: {setting.name} {error}; using {value!r}")
        if variable in environ:
            fixed.add(setting.name)
        values[setting.name] = value
    for problem in problems:
        log.warning(problem)
    return Config(values, str(path), tuple(problems), frozenset(fixed))
