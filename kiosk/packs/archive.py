"""A content pack: one zip file with the content, a manifest and an Ed25519 signature.

    manifest.json   name, version, date, minimum kiosk version, SHA-256 of every file
    manifest.sig    Ed25519 signature over the exact bytes of manifest.json (base64)
    content/...     scenarios, shared flows, translations, personas, recorded clips

The signature covers the manifest and the manifest covers every file, so one
check of the signature and of each file's hash proves the whole pack. Nothing
outside `content/` is ever unpacked, and no name may climb out of it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
CONTENT = "content/"
FORMAT = 1
SUFFIX = ".okpack"
MAX_FILES = 5000
MAX_BYTES = 200 * 1024 * 1024
"""Unpacked size at most: a pack is text and short recordings."""

# short parts: the practice log refuses five digits in a row (a typed number would look so)
_VERSION = re.compile(r"^\d{1,4}(\.\d{1,4}){0,3}$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class PackError(Exception):
    """A pack that may not be installed; the text says why, in Dutch, for staff."""


@dataclass(frozen=True)
class Manifest:
    name: str
    version: str
    date: str
    min_kiosk_version: str
    files: dict[str, str]

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "name": self.name,
            "version": self.version,
            "date": self.date,
            "min_kiosk_version": self.min_kiosk_version,
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            manifest = cls(
                name=data["name"],
                version=data["version"],
                date=data["date"],
                min_kiosk_version=data["min_kiosk_version"],
                files=dict(data["files"]),
            )
            if data.get("format") != FORMAT:
                raise PackError(f"Dit pakket heeft een onbekende vorm ({data.get('format')}).")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise PackError("De inhoudslijst (manifest) van het pakket is onleesbaar.") from None
        manifest.check()
        return manifest

    def check(self) -> None:
        if not _NAME.match(self.name):
            raise PackError(f"De naam van het pakket mag niet zo: {self.name!r}.")
        for label, value in (("versie", self.version), ("kioskversie", self.min_kiosk_version)):
            if not isinstance(value, str) or not _VERSION.match(value):
                raise PackError(f"De {label} van het pakket is geen versienummer: {value!r}.")
        for name, digest in self.files.items():
            safe_name(name)
            if not re.fullmatch(r"[0-9a-f]{64}", str(digest)):
                raise PackError(f"De controlecode van {name} is onleesbaar.")


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def safe_name(name: str) -> PurePosixPath:
    """A file name inside the content, or PackError: no absolute paths, no '..'."""
    path = PurePosixPath(name)
    if (
        not name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in path.parts)
        or "\\" in name
        or name.startswith("~")
    ):
        raise PackError(f"Het pakket bevat een ongeldige bestandsnaam: {name!r}.")
    return path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_files(folder: Path) -> dict[str, Path]:
    """Every file a pack built from `folder` holds (hidden files and caches left out)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not any(
            p.startswith(".") or p == "__pycache__" for p in relative.parts
        ):
            files[relative.as_posix()] = path
    return files


def build(folder: Path, target: Path, name: str, version: str, min_kiosk: str) -> Manifest:
    """Write an unsigned pack of every file in `folder`."""
    files = content_files(folder)
    if not files:
        raise PackError(f"De map {folder} is leeg: er is niets om in te pakken.")
    manifest = Manifest(
        name=name,
        version=version,
        date=dt.date.today().isoformat(),
        min_kiosk_version=min_kiosk,
        files={relative: sha256(path.read_bytes()) for relative, path in files.items()},
    )
    manifest.check()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest.to_bytes())
        for relative, path in files.items():
            archive.write(path, CONTENT + relative)
    return manifest


# --- keys and signatures ---------------------------------------------------------------------


def new_key() -> tuple[str, str]:
    """A new signing key: (secret key, public key), both base64."""
    import nacl.signing  # here, not at import: the kiosk's start does not wait for libsodium

    key = nacl.signing.SigningKey.generate()
    return (
        base64.b64encode(bytes(key)).decode(),
        base64.b64encode(bytes(key.verify_key)).decode(),
    )


def public_key_of(secret: str) -> str:
    import nacl.signing

    key = nacl.signing.SigningKey(base64.b64decode(secret.strip()))
    return base64.b64encode(bytes(key.verify_key)).decode()


def sign(pack: Path, secret: str) -> None:
    """Add (or replace) the signature over the pack's manifest."""
    import nacl.signing

    key = nacl.signing.SigningKey(base64.b64decode(secret.strip()))
    with zipfile.ZipFile(pack) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    signature = key.sign(members[MANIFEST]).signature
    members[SIGNATURE] = base64.b64encode(signature)
    temporary = pack.with_name(pack.name + ".tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    temporary.replace(pack)


@dataclass(frozen=True)
class Pack:
    manifest: Manifest
    files: dict[str, bytes]


def open_pack(path: Path, public_keys: tuple[str, ...]) -> Pack:
    """Read a pack and prove it: signed by one of the keys, every file as the manifest says."""
    if not public_keys:
        raise PackError(
            "Er is geen sleutel ingesteld waarmee pakketten gecontroleerd worden "
            "(instelling pack_public_keys)."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_FILES + 2 or sum(i.file_size for i in infos) > MAX_BYTES:
                raise PackError("Het pakket is te groot.")
            names = {info.filename for info in infos}
            if MANIFEST not in names:
                raise PackError("Dit is geen pakket voor de Oefenkiosk: de inhoudslijst ontbreekt.")
            if SIGNATURE not in names:
                raise PackError("Het pakket is niet ondertekend.")
            manifest_bytes = archive.read(MANIFEST)
            _check_signature(manifest_bytes, archive.read(SIGNATURE), public_keys)
            manifest = Manifest.from_bytes(manifest_bytes)
            files = {}
            for info in infos:
                if info.filename in (MANIFEST, SIGNATURE) or info.is_dir():
                    continue
                if not info.filename.startswith(CONTENT):
                    raise PackError(f"Het pakket bevat een onbekend bestand: {info.filename}.")
                name = info.filename[len(CONTENT) :]
                safe_name(name)
                files[name] = archive.read(info)
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as error:
        raise PackError(
            f"Het pakket is beschadigd of niet compleet (afgebroken download?): {error}"
        ) from None
    if set(files) != set(manifest.files):
        extra = sorted(set(files) - set(manifest.files))
        missing = sorted(set(manifest.files) - set(files))
        raise PackError(
            "De bestanden kloppen niet met de inhoudslijst"
            + (f"; niet in de lijst: {', '.join(extra[:3])}" if extra else "")
            + (f"; ontbreekt: {', '.join(missing[:3])}" if missing else "")
            + "."
        )
    for name, data in files.items():
        if sha256(data) != manifest.files[name]:
            raise PackError(f"Het bestand {name} is veranderd na het ondertekenen.")
    return Pack(manifest, files)


def _check_signature(manifest: bytes, signature: bytes, public_keys: tuple[str, ...]) -> None:
    import nacl.exceptions
    import nacl.signing

    try:
        raw_signature = base64.b64decode(signature, validate=True)
    except ValueError:
        raise PackError("De handtekening van het pakket is onleesbaar.") from None
    for public in public_keys:
        try:
            nacl.signing.VerifyKey(base64.b64decode(public)).verify(manifest, raw_signature)
            return
        except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, ValueError):
            continue
    raise PackError(
        "De handtekening klopt niet: het pakket is niet gemaakt met een sleutel die deze "
        "kiosk vertrouwt, of het is veranderd."
    )
