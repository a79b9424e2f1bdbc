"""Packs on this kiosk: which content is played, installing from a file or a URL, rollback."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk import __version__
from kiosk.config import Config, data_dir
from kiosk.packs.archive import PackError, open_pack, version_tuple
from kiosk.packs.store import ContentStore, Installed
from kiosk.paths import assets_dir, scenarios_dir

SHIPPED_LABEL = "ingebouwd"
"""The content that came with the kiosk, in the practice log."""


def content_store(config: Config) -> ContentStore:
    return ContentStore(data_dir(config), scenarios_dir(), assets_dir() / "audio")


def clips_folder(config: Config) -> Path:
    """Where the recorded clips of the content played now are."""
    if config.scenarios_dir:
        return assets_dir() / "audio"
    return content_store(config).clips_folder() or assets_dir() / "audio"


def content_folder(config: Config) -> Path:
    """The scenarios the kiosk plays: a folder set by hand, else the installed packs."""
    if config.scenarios_dir:
        return Path(config.scenarios_dir)
    return content_store(config).active_folder()


def content_label(config: Config) -> str:
    """Which content version is played, for the practice log ('basis 2026.2')."""
    if config.scenarios_dir:
        return "eigen-map"
    current = content_store(config).current()
    if current is None:
        return SHIPPED_LABEL
    # the practice log takes no five digits in a row: that is how a typed number looks
    return re.sub(r"\d{5,}", "", f"{current.name}-{current.version}")[:60]


def pack_problems(folder: Path) -> list[str]:
    """What the full validator finds wrong with a content folder (errors only)."""
    from kiosk.scenario.validate import validate_paths

    report = validate_paths([folder])
    problems = [str(p) for p in report.problems if p.severity == "error"]
    if not any(f.ok for f in report.files):
        problems.append("er staat geen enkele bruikbare oefening in")
    return problems


def install_file(config: Config, path: Path) -> Installed:
    """Check the pack and stage it: it is switched on at the next welcome screen."""
    pack = open_pack(path, tuple(config.pack_public_keys))
    needed = pack.manifest.min_kiosk_version
    if version_tuple(needed) > version_tuple(__version__):
        raise PackError(
            f"Dit pakket is voor een nieuwere kiosk (versie {needed} of hoger; "
            f"deze kiosk is {__version__}). Werk eerst de kiosk bij."
        )
    return content_store(config).install(pack, pack_problems)


def install_from_url(config: Config) -> Installed | None:
    """Fetch the pack from `pack_url` when it changed and stage it; None when nothing new."""
    from kiosk.packs.fetch import fetch, forget  # requests only when a URL is checked

    if not config.pack_url:
        raise PackError("Er is geen adres voor nieuwe oefeningen ingesteld (pack_url).")
    folder = data_dir(config) / "download"
    fetched = fetch(config.pack_url, folder)
    if fetched.path is None:
        return None
    try:
        return install_file(config, fetched.path)
    except PackError:
        forget(folder)
        raise
    finally:
        fetched.path.unlink(missing_ok=True)


def usb_packs(roots: tuple[Path, ...]) -> list[Path]:
    """Packs on the mounted sticks (top folder and one level down)."""
    found: list[Path] = []
    for root in roots:
        for pattern in ("*.okpack", "*/*.okpack"):
            try:
                found.extend(sorted(root.glob(pattern)))
            except OSError:
                continue
    return found
