"""The staff commands at a terminal: stats, export, reset, set-pin."""

from __future__ import annotations

import getpass
import sqlite3
import sys
from pathlib import Path
from typing import TextIO

from sqlite_utils import Database

from kiosk.admin.control import ask_reset
from kiosk.admin.export import export
from kiosk.admin.lockout import clear as clear_lockout
from kiosk.admin.pins import ROLES, PinError, PinFile
from kiosk.admin.report import stats_text
from kiosk.config import Config, data_dir
from kiosk.progress.stats import all_periods
from kiosk.progress.store import LOG_FILE, erase, open_database

CONFIRM_WORD = "WISSEN"


def _log_path(config: Config) -> Path:
    return data_dir(config) / LOG_FILE


def _read_only(path: Path) -> Database:
    return Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def _scenarios(config: Config) -> dict:
    from kiosk.packs.service import content_folder
    from kiosk.scenario.library import load_library

    return {s.id: s for s in load_library(content_folder(config)).scenarios}


def stats(config: Config, out: TextIO) -> int:
    path = _log_path(config)
    if not path.exists():
        print(f"No practice log yet at {path}: nothing practised on this kiosk.", file=out)
        return 0
    try:
        db = _read_only(path)
        text = stats_text(all_periods(db), _scenarios(config))
    except sqlite3.Error as error:
        print(f"{path}: cannot be read ({error})", file=sys.stderr)
        return 1
    print(f"{config.kiosk_name} — practice log {path}\n", file=out)
    print(text, file=out)
    return 0


def export_command(config: Config, target: Path, raw: bool, out: TextIO) -> int:
    path = _log_path(config)
    if not path.exists():
        print(f"No practice log yet at {path}: nothing to export.", file=sys.stderr)
        return 1
    try:
        result = export(_read_only(path), target, config.kiosk_name, raw=raw)
    except sqlite3.Error as error:
        print(f"{path}: cannot be read ({error})", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{target}: cannot write there ({error.strerror or error})", file=sys.stderr)
        return 1
    print(f"Written to {result.folder}:", file=out)
    for file in result.files:
        print(f"  {file.name}", file=out)
    if raw:
        print(f"{result.events} anonymous events in gebeurtenissen.csv/.json", file=out)
    return 0


def reset(config: Config, erase_log: bool, yes: bool, out: TextIO, answer=input) -> int:
    folder = data_dir(config)
    if ask_reset(folder):
        print("The kiosk ends the current session and wipes it.", file=out)
    else:
        print("The kiosk is not running here: there is no session to wipe.", file=out)
    if not erase_log:
        return 0
    if not yes:
        if not sys.stdin.isatty():
            print("--erase-log needs --yes when there is no terminal to confirm.", file=sys.stderr)
            return 2
        typed = answer(f"This erases the whole practice log. Type {CONFIRM_WORD} to go on: ")
        if typed.strip() != CONFIRM_WORD:
            print("Not erased.", file=out)
            return 1
    path = folder / LOG_FILE
    if not path.exists():
        print(f"No practice log at {path}: nothing to erase.", file=out)
        return 0
    try:
        db = open_database(path)
        erase(db)
        db.close()
    except sqlite3.Error as error:
        print(f"{path}: not erased ({error})", file=sys.stderr)
        return 1
    print(f"The practice log {path} is erased.", file=out)
    return 0


def read_pin(role: str, out: TextIO) -> str | None:
    """From standard input when it is not a terminal (the deploy script); else asked twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    first = getpass.getpass(f"New {role} PIN (at least 6 digits): ")
    second = getpass.getpass("The same PIN again: ")
    if first != second:
        print("The two PINs differ; nothing changed.", file=out)
        return None
    return first


def set_pin(config: Config, role: str, out: TextIO) -> int:
    """Set a PIN. A damaged PIN file is named, kept aside and replaced by a new one.

    Whoever runs this has the kiosk's own access to its data folder, so this is
    where staff recover from a damaged file (the kiosk itself stays shut). They
    expect the command to work, not a second chore: the damaged file is moved
    aside under a time stamp (kept, never overwritten, for whoever wants to look),
    and they are told it was damaged and that the volunteer PIN must be set again,
    because nothing read from a damaged file is trusted. It starts with the staff
    PIN: a PIN file without one would keep staff mode shut.
    """
    if role not in ROLES:
        print(f"role must be one of {', '.join(ROLES)}", file=sys.stderr)
        return 2
    store = PinFile.in_folder(data_dir(config))
    damage = store.read().damage
    if damage:
        print(f"{store.path} is damaged ({damage}).", file=out)
        print("The kiosk keeps staff and volunteer mode shut until it is replaced.", file=out)
        if role != "staff":
            print(
                "Set the staff PIN first: oefenkiosk set-pin staff. "
                "The damaged file is then kept aside.",
                file=sys.stderr,
            )
            return 1
        print("It is kept aside and a new PIN file is begun.", file=out)
    pin = read_pin(role, out)
    if pin is None:
        return 1
    try:
        moved = store.set_pin(role, pin, replace_damaged=True)
    except PinError as error:
        print(f"PIN not set: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{store.path}: cannot write ({error.strerror or error})", file=sys.stderr)
        return 1
    print(f"The {role} PIN is set ({store.path}).", file=out)
    if moved is not None:
        print(f"The damaged file is kept as {moved}.", file=out)
        print("Set the volunteer PIN again: oefenkiosk set-pin volunteer", file=out)
    _end_the_wait(config, out)
    return 0


def _end_the_wait(config: Config, out: TextIO) -> None:
    """A new PIN set at the terminal works at once: the wait after wrong PINs ends."""
    path = _log_path(config)
    if not path.exists():
        return
    try:
        db = open_database(path)
        try:
            clear_lockout(db)
        finally:
            db.close()
    except (sqlite3.Error, OSError) as error:
        print(f"The wait after wrong PINs is not cleared ({error}).", file=out)
