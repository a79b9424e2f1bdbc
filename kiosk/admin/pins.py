"""The volunteer and staff PINs: salted scrypt hashes in a file only the kiosk can read.

A stored PIN looks like `scrypt$32768$8$1$<salt>$<hash>` (base64): the cost
parameters travel with the hash, so they can be raised later and old hashes
still verify. n=2**15, r=8 takes 32 MiB and about 0.1 s on a PC; on a
Raspberry Pi 4 a few tenths of a second (see `oefenkiosk bench`): slow enough
to make guessing a stolen file expensive, quick enough for a person at a
touchscreen. Guessing at the screen is stopped by the lockout (lockout.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w

log = logging.getLogger(__name__)

ROLES = ("volunteer", "staff")
MIN_LENGTH = 6
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SALT_BYTES, HASH_BYTES = 16, 32
FILE_NAME = "pins.toml"


class PinError(ValueError):
    """A PIN that may not be used, with a message for staff (in Dutch)."""


def check_new_pin(pin: str) -> None:
    if not pin.isascii() or not pin.isdigit():
        raise PinError("Een pincode heeft alleen cijfers.")
    if len(pin) < MIN_LENGTH:
        raise PinError(f"Een pincode heeft minstens {MIN_LENGTH} cijfers.")
    if len(set(pin)) == 1 or pin in "0123456789012345678909876543210":
        raise PinError("Deze pincode is te makkelijk te raden.")


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=HASH_BYTES
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_pin(pin: str, stored: str) -> bool:
    """Does `pin` match the stored hash? Compared in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(pin, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except (ValueError, TypeError) as error:
        log.error("a stored PIN cannot be read: %s", error)
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class PinFile:
    """The PIN hashes in `<data folder>/pins.toml` (mode 0600)."""

    path: Path

    @classmethod
    def in_folder(cls, folder: Path) -> PinFile:
        return cls(folder / FILE_NAME)

    def hashes(self) -> dict[str, str]:
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            log.error("%s cannot be read: %s", self.path, error)
            return {}
        return {role: value for role, value in data.items() if role in ROLES and value}

    def is_set(self, role: str) -> bool:
        return role in self.hashes()

    def missing(self) -> tuple[str, ...]:
        known = self.hashes()
        return tuple(role for role in ROLES if role not in known)

    def role_of(self, pin: str) -> str | None:
        """Which role this PIN opens (staff first), or None."""
        found = None
        for role, stored in sorted(self.hashes().items(), key=lambda item: item[0] != "staff"):
            # every hash is checked, so the time taken does not tell which role matched
            if verify_pin(pin, stored) and found is None:
                found = role
        return found

    def set_pin(self, role: str, pin: str) -> None:
        """Store a new PIN for `role`; PinError when it is too weak or the other role's."""
        if role not in ROLES:
            raise PinError(f"Onbekende rol: {role}")
        check_new_pin(pin)
        hashes = self.hashes()
        for other, stored in hashes.items():
            if other != role and verify_pin(pin, stored):
                raise PinError("Kies een andere pincode dan die van de andere rol.")
        hashes[role] = hash_pin(pin)
        self._write(hashes)

    def _write(self, hashes: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = "# Oefenkiosk PINs: salted scrypt hashes only. Change with `oefenkiosk set-pin`.\n"
        text += tomli_w.dumps(hashes)
        temporary = self.path.with_name(f".{self.path.name}.new")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)
