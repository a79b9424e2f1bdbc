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
import getpass
import hashlib
import hmac
import logging
import os
import secrets
import shlex
import stat
import sys
import time
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
MAX_FILE_BYTES = 64 * 1024
"""A real PIN file is a few hundred bytes; a bigger one is damaged, and is not read whole."""


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


def parse_hash(stored: object) -> tuple[int, int, int, bytes, bytes]:
    """n, r, p, salt and hash of a stored PIN; ValueError when it is not of our format.

    The limits keep a damaged number from asking scrypt for gigabytes or an hour.
    """
    if not isinstance(stored, str):
        raise ValueError(f"not text but {type(stored).__name__}")
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise ValueError("not an scrypt hash")
    n, r, p = (int(part) if part.isascii() and part.isdigit() else 0 for part in parts[1:4])
    if not (2**10 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
        raise ValueError("scrypt cost out of range")
    try:
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError as error:
        raise ValueError(f"not base64 ({error})") from None
    if len(salt) < 8 or len(digest) != HASH_BYTES:
        raise ValueError("salt or hash of the wrong length")
    return n, r, p, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    """Does `pin` match the stored hash? Compared in constant time."""
    try:
        n, r, p, salt, expected = parse_hash(stored)
    except ValueError as error:
        log.error("a stored PIN cannot be read: %s", error)
        return False
    return hmac.compare_digest(_scrypt(pin, salt, n, r, p), expected)


class PinFileDamaged(Exception):
    """The PIN file is there (or was) but cannot be trusted: both modes stay shut."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} is damaged: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Pins:
    """What the PIN file says, read once."""

    hashes: dict[str, str]
    damage: str = ""
    """Why the file cannot be trusted; empty when it can."""
    never_set: bool = False
    """No PIN file, and none was ever kept aside: a new kiosk (the first-run path)."""


def _checksum(hashes: dict[str, str]) -> str:
    # against damage (a changed byte, a cut-off file), not against a person: whoever can
    # write the file can write a matching checksum, and could replace the hashes anyway
    text = "\n".join(f"{role}={hashes[role]}" for role in sorted(hashes))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class PinFile:
    """The PIN hashes in `<data folder>/pins.toml` (mode 0600).

    Unreadable security state fails closed. Only a kiosk that never had a PIN
    file may open staff mode without a PIN, to set the PINs (the first run).
    A file that is there but cannot be trusted (not TOML, a wrong type, a hash
    that is not ours, unreadable, a directory, empty, cut short, no staff PIN,
    a checksum that does not match) keeps both modes shut: counting it as "no
    PINs" would let anyone at the screen set a staff PIN. A valid file always
    holds the staff PIN, because a volunteer PIN can only be set after it; so
    a file without one is damaged (one byte can turn the staff line into a
    comment), never a new kiosk.
    """

    path: Path

    @classmethod
    def in_folder(cls, folder: Path) -> PinFile:
        return cls(folder / FILE_NAME)

    def read(self) -> Pins:
        try:
            raw = self._read_bytes()
        except FileNotFoundError:
            if os.path.lexists(self.path):
                return Pins({}, damage="a link to a file that is not there")
            if self.kept_aside():
                # a damaged file was moved aside and no new one followed: still not a new kiosk
                return Pins({}, damage="missing, while a damaged one was kept aside")
            return Pins({}, never_set=True)
        except OSError as error:  # no permission, an I/O error, not a plain file
            return Pins({}, damage=error.strerror or str(error))
        if not raw.strip():
            return Pins({}, damage="empty")
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            return Pins({}, damage=f"not UTF-8 text (byte {error.start})")
        except tomllib.TOMLDecodeError as error:
            return Pins({}, damage=f"not valid TOML ({error})")
        return self._check(data)

    def _read_bytes(self) -> bytes:
        # O_NONBLOCK: a pipe in the file's place must not freeze the screen that reads it
        descriptor = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a plain file"
                raise OSError(f"{kind}, not a file")
            if info.st_size > MAX_FILE_BYTES:
                raise OSError(f"{info.st_size} bytes: far too large for PINs")
            return handle.read(MAX_FILE_BYTES + 1)

    def _check(self, data: dict) -> Pins:
        checksum = data.pop("checksum", None)
        for key, value in data.items():
            if key not in ROLES:
                return Pins({}, damage=f"unknown key {key!r}")
            try:
                parse_hash(value)
            except ValueError as error:
                return Pins({}, damage=f"{key}: {error}")
        if "staff" not in data:
            return Pins({}, damage="no staff PIN")
        # files written before the checksum have none; a checksum that is there must match
        if checksum is not None and checksum != _checksum(data):
            return Pins({}, damage="checksum does not match")
        return Pins(dict(data))

    def kept_aside(self) -> list[Path]:
        """Damaged PIN files moved aside earlier, oldest first."""
        try:
            return sorted(self.path.parent.glob(f"{self.path.name}.damaged-*"))
        except OSError:
            return []

    def hashes(self) -> dict[str, str]:
        """The stored hashes by role; PinFileDamaged when the file cannot be trusted."""
        pins = self.read()
        if pins.damage:
            raise PinFileDamaged(self.path, pins.damage)
        return pins.hashes

    def is_set(self, role: str) -> bool:
        return role in self.hashes()

    def missing(self) -> tuple[str, ...]:
        """Roles without a PIN. A damaged file misses none: it never counts as "no PINs"."""
        pins = self.read()
        return tuple(role for role in ROLES if role not in pins.hashes and not pins.damage)

    def role_of(self, pin: str) -> str | None:
        """Which role this PIN opens (staff first), or None; PinFileDamaged when damaged."""
        found = None
        for role, stored in sorted(self.hashes().items(), key=lambda item: item[0] != "staff"):
            # every hash is checked, so the time taken does not tell which role matched
            if verify_pin(pin, stored) and found is None:
                found = role
        return found

    def set_pin(self, role: str, pin: str, replace_damaged: bool = False) -> Path | None:
        """Store a new PIN for `role`; PinError when it is too weak or the other role's.

        A damaged file raises PinFileDamaged, unless `replace_damaged` (the
        `set-pin` command at a terminal, where only staff get): then it is moved
        aside under a time stamp, never overwritten, and a new file is begun.
        Returns where the damaged file went, or None.
        """
        if role not in ROLES:
            raise PinError(f"Onbekende rol: {role}")
        pins = self.read()
        if pins.damage and not replace_damaged:
            raise PinFileDamaged(self.path, pins.damage)
        # nothing is taken over from a damaged file: a hash read from it cannot be trusted
        hashes = {} if pins.damage else dict(pins.hashes)
        if role != "staff" and "staff" not in hashes:
            raise PinError("Stel eerst de pincode voor medewerkers in.")
        check_new_pin(pin)
        for other, stored in hashes.items():
            if other != role and verify_pin(pin, stored):
                raise PinError("Kies een andere pincode dan die van de andere rol.")
        hashes[role] = hash_pin(pin)
        return self._write(hashes, move_aside=bool(pins.damage))

    def _write(self, hashes: dict[str, str], move_aside: bool = False) -> Path | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = "# Oefenkiosk PINs: salted scrypt hashes only. Change with `oefenkiosk set-pin`.\n"
        # the checksum comes first: a file cut short at any line then no longer matches it
        text += tomli_w.dumps({"checksum": _checksum(hashes), **hashes})
        temporary = self.path.with_name(f".{self.path.name}.new")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        moved = None
        if move_aside and os.path.lexists(self.path):
            try:
                moved = self._move_aside()
            except OSError:
                temporary.unlink(missing_ok=True)
                raise
        # should this fail after the move, the file is missing but a copy is aside: still shut
        os.replace(temporary, self.path)
        return moved

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        count = 1
        while os.path.lexists(target):  # never over an earlier one
            count += 1
            target = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{count}")
        os.rename(self.path, target)
        log.warning("damaged PIN file moved aside as %s", target)
        return target


def recovery_command(folder: Path, role: str = "staff") -> str:
    """The terminal command that sets a new PIN in this data folder, as the kiosk's user.

    It names the folder itself: however the kiosk found its settings, the command
    then reaches the same PIN file.
    """
    program = Path(sys.executable).with_name("oefenkiosk")
    words = [
        f"OEFENKIOSK_DATA_DIR={shlex.quote(str(folder))}",
        shlex.quote(str(program)) if program.exists() else "oefenkiosk",
        "set-pin",
        role,
    ]
    if os.geteuid() != 0:  # the kiosk's data belongs to the user it runs as
        words[:0] = ["sudo", "-u", getpass.getuser()]
    return " ".join(words)
