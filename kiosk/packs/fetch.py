"""Packs from a URL: a conditional GET, so a daily check costs one small request."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import requests

from kiosk.packs.archive import MAX_BYTES, PackError

TIMEOUT = (10, 60)
BROKEN_OFF = "De download is afgebroken: het pakket is niet compleet. Probeer het later opnieuw."
STATE_FILE = "download.json"
"""ETag and Last-Modified of the last pack fetched, beside the download."""


@dataclass(frozen=True)
class Fetched:
    path: Path | None
    """The downloaded pack, or None when the server has nothing new (304)."""


def fetch(url: str, folder: Path) -> Fetched:
    """Download the pack at `url` into `folder` unless the server says it did not change."""
    folder.mkdir(parents=True, exist_ok=True)
    state_path = folder / STATE_FILE
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        if state.get("url") != url:
            state = {}
    except (OSError, ValueError):
        state = {}
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("modified"):
        headers["If-Modified-Since"] = state["modified"]
    part = folder / "download.okpack.part"
    target = folder / "download.okpack"
    try:
        with requests.get(url, headers=headers, timeout=TIMEOUT, stream=True) as response:
            if response.status_code == 304:
                return Fetched(None)
            if response.status_code != 200:
                raise PackError(
                    f"Het pakket kon niet gedownload worden (foutcode {response.status_code})."
                )
            try:
                size = _save(response, part)
            except requests.RequestException:
                # the connection broke while the pack came in (requests reports a short body)
                raise PackError(BROKEN_OFF) from None
            expected = response.headers.get("Content-Length")
            if expected is not None and int(expected) != size:
                raise PackError(BROKEN_OFF)
            new_state = {
                "url": url,
                "etag": response.headers.get("ETag", ""),
                "modified": response.headers.get("Last-Modified", ""),
            }
    except requests.RequestException as error:
        part.unlink(missing_ok=True)
        raise PackError(f"De plek van de pakketten is niet bereikbaar: {error}") from None
    except PackError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, target)
    state_path.write_text(json.dumps(new_state), encoding="utf-8")
    return Fetched(target)


def _save(response: requests.Response, part: Path) -> int:
    """Write the pack's bytes to `part`, to disk before it counts; the number of bytes."""
    size = 0
    with open(part, "wb") as file:
        for chunk in response.iter_content(65536):
            size += len(chunk)
            if size > MAX_BYTES:
                raise PackError("Het pakket op die plek is te groot.")
            file.write(chunk)
        file.flush()
        os.fsync(file.fileno())
    return size


def forget(folder: Path) -> None:
    """After a refused pack: fetch it again next time (the server may fix it)."""
    (folder / STATE_FILE).unlink(missing_ok=True)
