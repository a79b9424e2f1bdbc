"""Upgrading scenario files written for an older version of the format.

Each migration takes the parsed YAML of version N and returns version N+1;
the loader runs them in order, so a file written by a library years ago still
loads. `oefenkiosk migrate FILE` writes the result back, changing only the
lines a migration changes, so comments and layout stay as the author wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kiosk.scenario.model import SCHEMA_VERSION


def _one_to_two(data: dict) -> dict:
    """Version 2 adds to version 1 (card fields, shared flows, dates, form features) and
    changes nothing a version-1 file can say: only the version number moves."""
    data["schema_version"] = 2
    return data


MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _one_to_two}
"""From version N (the key) to N+1."""

_TEXT_MIGRATIONS: dict[int, Callable[[str], str]] = {
    1: lambda text: re.sub(
        r"^(schema_version:\s*)1(\s*(#.*)?)$", r"\g<1>2\g<2>", text, count=1, flags=re.M
    ),
}


def upgrade(data: Any) -> tuple[Any, int | None]:
    """The data upgraded to the current version, and the version it had (None: unknown)."""
    if not isinstance(data, dict):
        return data, None
    version = data.get("schema_version")
    original = version
    while isinstance(version, int) and not isinstance(version, bool) and version in MIGRATIONS:
        data = MIGRATIONS[version](data)
        version = data.get("schema_version")
    return data, original


def upgrade_text(text: str, version: int) -> str:
    """A file's text rewritten from `version` to the current one, comments kept."""
    while version < SCHEMA_VERSION:
        text = _TEXT_MIGRATIONS[version](text)
        version += 1
    return text
