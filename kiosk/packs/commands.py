"""`oefenkiosk pack ...` at a terminal: build, sign, verify, install, list, rollback."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from kiosk import __version__
from kiosk.config import Config
from kiosk.packs import archive
from kiosk.packs.archive import PackError
from kiosk.packs.service import content_store, install_file, install_from_url


def keygen(key_file: Path, out: TextIO) -> int:
    if key_file.exists():
        print(f"{key_file} bestaat al: kies een andere naam.", file=sys.stderr)
        return 1
    secret, public = archive.new_key()
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(secret + "\n")
    print(f"Geheime sleutel: {key_file} (bewaar hem goed, deel hem met niemand).", file=out)
    print("Openbare sleutel, voor pack_public_keys op elke kiosk:", file=out)
    print(public, file=out)
    return 0


def build(folder: Path, target: Path, name: str, version: str, min_kiosk: str, out) -> int:
    try:
        manifest = archive.build(folder, target, name, version, min_kiosk or __version__)
    except PackError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"{target}: {manifest.name} {manifest.version}, {len(manifest.files)} bestanden "
          "(nog niet ondertekend: oefenkiosk pack sign)", file=out)  # fmt: skip
    return 0


def sign(pack: Path, key_file: Path, out: TextIO) -> int:
    try:
        archive.sign(pack, key_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as error:
        print(f"Ondertekenen lukt niet: {error}", file=sys.stderr)
        return 1
    print(f"{pack} is ondertekend.", file=out)
    return 0


def verify(config: Config, pack: Path, public_keys: tuple[str, ...], out: TextIO) -> int:
    try:
        opened = archive.open_pack(pack, public_keys or tuple(config.pack_public_keys))
    except PackError as error:
        print(f"Afgekeurd: {error}", file=sys.stderr)
        return 1
    manifest = opened.manifest
    print(
        f"In orde: {manifest.name} {manifest.version} van {manifest.date}, "
        f"{len(manifest.files)} bestanden, voor kiosk {manifest.min_kiosk_version}+",
        file=out,
    )
    return 0


def install(config: Config, source: str, now: bool, out: TextIO) -> int:
    try:
        if source.startswith(("http://", "https://")):
            from dataclasses import replace

            config = replace(config, values={**config.values, "pack_url": source})
            installed = install_from_url(config)
            if installed is None:
                print("Niets nieuws: het pakket op die plek is niet veranderd.", file=out)
                return 0
        else:
            installed = install_file(config, Path(source))
    except PackError as error:
        print(f"Afgekeurd: {error}", file=sys.stderr)
        return 1
    if now:
        content_store(config).activate_staged()
        print(f"{installed.label} is geïnstalleerd en staat aan.", file=out)
    else:
        print(f"{installed.label} is geïnstalleerd; de kiosk zet het aan bij het volgende "
              "welkomstscherm.", file=out)  # fmt: skip
    return 0


def list_packs(config: Config, out: TextIO) -> int:
    store = content_store(config)
    rows = [("Nu", store.current()), ("Klaar voor het volgende welkom", store.staged()),
            ("Vorige", store.previous())]  # fmt: skip
    for label, installed in rows:
        if installed is None:
            text = "de ingebouwde oefeningen" if label == "Nu" else "-"
        else:
            text = installed.described
        print(f"{label}: {text}", file=out)
    return 0


def rollback(config: Config, out: TextIO) -> int:
    try:
        back = content_store(config).rollback()
    except PackError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"Terug naar {back.label if back else 'de ingebouwde oefeningen'}.", file=out)
    return 0
