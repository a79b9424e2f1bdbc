"""Oefenbewijzen kept for staff when the kiosk cannot print: a short number, at most a week.

The visitor says the number at the desk; staff print it (`oefenkiosk oefenbewijzen print 17`).
A certificate with a name on it is never written: the name a visitor types is for one
printout only. Only PDFs the kiosk made without a name are accepted (fail closed).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.certificate.pdf import NAMED, NAMELESS

log = logging.getLogger(__name__)

FOLDER = "oefenbewijzen"
KEEP_SECONDS = 7 * 24 * 3600
MAX_NUMBER = 999
_FILE = re.compile(r"^(\d+)-(\d+)\.pdf$")


class NotSaved(Exception):
    """The oefenbewijs could not be saved; str() is a plain Dutch message for staff."""


@dataclass(frozen=True)
class SavedCertificate:
    number: str
    saved_at: float
    """Seconds since the epoch (time.time()) when it was saved."""
    path: Path


def folder(data_dir: Path) -> Path:
    return data_dir / FOLDER


def has_name(pdf: bytes) -> bool:
    """Whether a visitor's name may be on this PDF: yes unless the kiosk marked it nameless."""
    return NAMED.encode() in pdf or NAMELESS.encode() not in pdf


def save_for_staff(pdf: bytes, data_dir: Path, now: float) -> str:
    """Save the PDF atomically under the next short number and return that number ("17").

    Raises ValueError for a PDF that may carry a name (it is never stored), NotSaved with a
    Dutch message when the disk is full or the folder cannot be written.
    """
    if has_name(pdf):
        raise ValueError("een oefenbewijs met een naam wordt nooit bewaard")
    target = folder(data_dir)
    try:
        purge(data_dir, now)
        target.mkdir(parents=True, exist_ok=True)
        temporary = _write_temporary(pdf, target)
    except OSError as problem:
        log.warning("oefenbewijs not saved: %s", problem)
        raise NotSaved(_message(problem)) from None
    try:
        return _link_under_free_number(temporary, target, now)
    except OSError as problem:
        log.warning("oefenbewijs not saved: %s", problem)
        raise NotSaved(_message(problem)) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _write_temporary(pdf: bytes, target: Path) -> Path:
    handle, name = tempfile.mkstemp(dir=target, prefix=".", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
            out.flush()
            os.fsync(out.fileno())
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary


def _link_under_free_number(temporary: Path, target: Path, now: float) -> str:
    """A hard link is atomic and never replaces a file: two saves never share a number."""
    for _ in range(MAX_NUMBER):
        number = _next_number(target)
        try:
            os.link(temporary, target / f"{number}-{int(now)}.pdf")
        except FileExistsError:
            continue
        return str(number)
    raise OSError("no free number")


def _next_number(target: Path) -> int:
    used = {int(saved.number) for saved in _scan(target)}
    highest = max(used, default=0)
    if highest < MAX_NUMBER:
        return highest + 1
    return min(set(range(1, MAX_NUMBER + 1)) - used, default=1)


DISK_FULL = "Het oefenbewijs is niet bewaard: de schijf van de kiosk is vol. Vraag een medewerker."
NOT_WRITABLE = "Het oefenbewijs is niet bewaard: de kiosk kan niet schrijven. Vraag een medewerker."


def _message(problem: OSError) -> str:
    return DISK_FULL if problem.errno in (errno.ENOSPC, errno.EDQUOT) else NOT_WRITABLE


def saved(data_dir: Path) -> list[SavedCertificate]:
    """The saved oefenbewijzen, oldest first."""
    return sorted(_scan(folder(data_dir)), key=lambda s: (s.saved_at, int(s.number)))


def _scan(target: Path) -> list[SavedCertificate]:
    try:
        names = [entry.name for entry in os.scandir(target)]
    except OSError:
        return []
    found = []
    for name in names:
        match = _FILE.match(name)
        if match:
            found.append(SavedCertificate(match[1], float(match[2]), target / name))
    return found


def find(data_dir: Path, number: str) -> SavedCertificate | None:
    return next((s for s in saved(data_dir) if s.number == number.strip()), None)


def purge(data_dir: Path, now: float | None = None) -> int:
    """Delete the oefenbewijzen older than 7 days and left-over temporary files."""
    now = time.time() if now is None else now
    removed = 0
    target = folder(data_dir)
    for old in _scan(target):
        if now - old.saved_at > KEEP_SECONDS:
            with contextlib.suppress(OSError):
                old.path.unlink()
                removed += 1
    with contextlib.suppress(OSError):
        for leftover in target.glob(".*.tmp"):
            if now - leftover.stat().st_mtime > 3600:
                leftover.unlink()
    return removed
