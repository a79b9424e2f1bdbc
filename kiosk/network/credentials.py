"""The LRS user name and password: a file only the kiosk's own user may read (0600)."""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w

CREDENTIALS_FILE = "lrs-inlog.toml"
"""In the kiosk's data folder."""


class CredentialsError(Exception):
    """The credentials cannot be used; the text is for staff, in Dutch."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = ""

    def __repr__(self) -> str:  # never print the password in a log or traceback
        return f"Credentials(username={self.username!r}, password=***)"


def read_credentials(path: Path) -> Credentials:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise CredentialsError(
            "Er zijn nog geen inloggegevens voor het LRS. "
            "Stel ze in met: oefenkiosk xapi credentials"
        ) from None
    except OSError as error:
        raise CredentialsError(f"Het bestand {path} kan niet gelezen worden: {error}") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsError(
            f"Het bestand {path} is ook door anderen te lezen. "
            f"Maak het alleen voor de kiosk leesbaar: chmod 600 {path}"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        username, password = data["username"], data["password"]
        if not isinstance(username, str) or not isinstance(password, str) or not username:
            raise TypeError
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
        raise CredentialsError(
            f"Het bestand {path} is beschadigd. Stel de inloggegevens opnieuw in met: "
            "oefenkiosk xapi credentials"
        ) from None
    return Credentials(username, password)


def write_credentials(path: Path, credentials: Credentials) -> None:
    """Write the file atomically, readable and writable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".nieuw")
    data = {"username": credentials.username, "password": credentials.password}
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        tomli_w.dump(data, file)
        file.flush()
        os.fsync(file.fileno())
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
