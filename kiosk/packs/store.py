"""Installed content: versions side by side, switched in one rename, the previous one kept.

    <data>/content/versions/<name>-<version>-<time>/   a complete scenarios folder
    <data>/content/current  -> versions/...            what the kiosk plays
    <data>/content/previous -> versions/...            what `pack rollback` goes back to
    <data>/content/staged   -> versions/...            installed, switched on at the next
                                                       welcome screen (never mid-session)

A pack adds to and replaces files of the content that is active now; the result is
checked by the full validator before it can be switched on. A new version is
written under a temporary name, synced to the card, then renamed; the switch is
one `rename` of a symbolic link. A power cut at any moment leaves `current`
pointing at a complete old or a complete new version, never at a mix.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.packs.archive import Pack, PackError

CONTENT_DIR = "content"
CLIPS_DIR = "audio"
"""In a pack and a version folder: recorded clips, as assets/audio/<language>/ holds them."""
INFO_FILE = "pakket.json"
"""In each version folder: which packs made it, for staff and the practice log."""


@dataclass(frozen=True)
class Installed:
    name: str
    version: str
    date: str
    installed: str
    folder: Path

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def described(self) -> str:
        """'basis 2026.2 (van 24-11-2026, geïnstalleerd 01-12-2026 07:23)': dates as staff
        read them, the same on the staff screen and at the terminal."""
        made = "-".join(reversed(self.date.split("-")))
        day, _, clock = self.installed.partition("T")
        installed = " ".join(["-".join(reversed(day.split("-"))), clock]).strip()
        return f"{self.label} (van {made}, geïnstalleerd {installed})"


class ContentStore:
    def __init__(self, data_folder: Path, shipped: Path, shipped_clips: Path | None = None) -> None:
        self.root = data_folder / CONTENT_DIR
        self.versions = self.root / "versions"
        self.shipped = shipped
        self.shipped_clips = shipped_clips

    # --- what is there ------------------------------------------------------------------

    def _link(self, name: str) -> Path | None:
        link = self.root / name
        try:
            target = link.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        return target if target.is_dir() and target.parent == self.versions.resolve() else None

    def active_folder(self) -> Path:
        """The scenarios folder the kiosk plays: the current version, else the shipped one."""
        return self._link("current") or self.shipped

    def clips_folder(self) -> Path | None:
        """Recorded clips (<language>/<file>) of the current version, else the shipped ones."""
        current = self._link("current")
        return current / CLIPS_DIR if current else self.shipped_clips

    def current(self) -> Installed | None:
        return _info(self._link("current"))

    def previous(self) -> Installed | None:
        return _info(self._link("previous"))

    def staged(self) -> Installed | None:
        return _info(self._link("staged"))

    # --- installing -------------------------------------------------------------------

    def install(self, pack: Pack, validate) -> Installed:
        """Build the new version beside the current one, check it, and stage it.

        `validate(folder)` returns a list of problems (texts); any problem refuses
        the pack and leaves everything as it was.
        """
        self.versions.mkdir(parents=True, exist_ok=True)
        self._remove_leftovers()
        base = self._link("staged") or self.active_folder()
        manifest = pack.manifest
        stamp = time.strftime("%Y%m%d-%H%M%S")
        temporary = self.versions / f".nieuw-{secrets.token_hex(4)}"
        shutil.copytree(base, temporary, ignore=shutil.ignore_patterns(INFO_FILE, "__pycache__"))
        if base == self.shipped and self.shipped_clips and self.shipped_clips.is_dir():
            # the first pack: the shipped recordings come along, a pack's own go over them
            shutil.copytree(self.shipped_clips, temporary / CLIPS_DIR, dirs_exist_ok=True)
        for name, data in pack.files.items():
            target = temporary / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        info = {
            "name": manifest.name,
            "version": manifest.version,
            "date": manifest.date,
            "installed": time.strftime("%Y-%m-%dT%H:%M"),
        }
        (temporary / INFO_FILE).write_text(json.dumps(info, indent=1), encoding="utf-8")
        problems = validate(temporary)
        if problems:
            shutil.rmtree(temporary, ignore_errors=True)
            shown = "; ".join(problems[:3]) + (" …" if len(problems) > 3 else "")
            raise PackError(f"De oefeningen in het pakket kloppen niet: {shown}")
        _sync_tree(temporary)
        # a random tail too: an install cut off after its rename may have used this second
        final = self.versions / f"{manifest.name}-{manifest.version}-{stamp}-{secrets.token_hex(2)}"
        os.rename(temporary, final)
        _sync_dir(self.versions)
        self._point("staged", final)
        return _info(final)  # type: ignore[return-value]

    def activate_staged(self) -> Installed | None:
        """Switch the staged version on (at a welcome screen); None when nothing was staged."""
        staged = self._link("staged")
        if staged is None:
            return None
        current = self._link("current")
        if current is not None and current != staged:
            self._point("previous", current)
        self._point("current", staged)
        (self.root / "staged").unlink(missing_ok=True)
        _sync_dir(self.root)
        self._prune()
        return _info(staged)

    def rollback(self) -> Installed | None:
        """Back to the previous version (or to the shipped content when there is none)."""
        previous, current = self._link("previous"), self._link("current")
        if current is None:
            raise PackError("Er is geen geïnstalleerd pakket om terug te draaien.")
        (self.root / "staged").unlink(missing_ok=True)
        if previous is None:
            (self.root / "current").unlink()
            _sync_dir(self.root)
            return None
        self._point("current", previous)
        self._point("previous", current)
        return _info(previous)

    # --- the file system --------------------------------------------------------------

    def _point(self, name: str, target: Path) -> None:
        """Make `name` point at `target` in one rename: never missing, never half-made."""
        link = self.root / name
        new = self.root / f".{name}.nieuw"
        new.unlink(missing_ok=True)
        os.symlink(Path("versions") / target.name, new)
        os.replace(new, link)
        _sync_dir(self.root)

    def _remove_leftovers(self) -> None:
        """Half-written versions from an install that was cut off."""
        for leftover in self.versions.glob(".nieuw-*"):
            shutil.rmtree(leftover, ignore_errors=True)

    def _prune(self) -> None:
        keep = {self._link(name) for name in ("current", "previous", "staged")}
        for folder in self.versions.iterdir():
            if folder.is_dir() and folder.resolve() not in keep and not folder.name.startswith("."):
                shutil.rmtree(folder, ignore_errors=True)


def _info(folder: Path | None) -> Installed | None:
    if folder is None:
        return None
    try:
        data = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
        return Installed(data["name"], data["version"], data["date"], data["installed"], folder)
    except (OSError, ValueError, KeyError):
        return Installed("onbekend", "?", "", "", folder)


def _sync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as file:
                os.fsync(file.fileno())
    for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        _sync_dir(path)


def _sync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
