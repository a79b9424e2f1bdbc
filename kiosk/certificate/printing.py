"""Printing through CUPS with its own commands (lpstat, lp): nothing to install in Python.

The PDF goes to `lp` on standard input, so no copy of it (and of a name on it) is ever
written to the kiosk's disk. A kiosk without CUPS, or whose printer is gone, gets an
answer in plain Dutch and never an exception.
"""

from __future__ import annotations

import logging
import os
import subprocess
from dataclasses import dataclass

log = logging.getLogger(__name__)

JOB_TITLE = "Oefenbewijs"
LOOKUP_TIMEOUT = 5.0


@dataclass(frozen=True)
class PrintResult:
    ok: bool
    message: str
    """Plain Dutch, for the visitor or staff."""


PRINTING = "Het oefenbewijs wordt nu afgedrukt. Pak het uit de printer."
NO_CUPS = "Deze kiosk kan niet afdrukken. Vraag een medewerker om het oefenbewijs te printen."
FAILED = "Afdrukken lukt nu niet. Vraag een medewerker om hulp."
TOO_SLOW = "De printer antwoordt niet. Vraag een medewerker om hulp."


def _run(
    command: list[str], timeout: float, server: str | None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    if server:
        command = [command[0], "-h", server, *command[1:]]
    env = {**os.environ, "LC_ALL": "C"}  # lpstat's answers are parsed: English, not Dutch
    return subprocess.run(
        command, input=stdin, capture_output=True, timeout=timeout, env=env, check=False
    )


def available_printer(configured: str, server: str | None = None) -> str | None:
    """The configured CUPS queue if it exists, else CUPS's default printer, else None.

    `server` (a host or a socket path) is for a CUPS other than the one CUPS_SERVER or
    the system names. No CUPS, or one that does not answer: None.
    """
    try:
        queues = _run(["lpstat", "-e"], LOOKUP_TIMEOUT, server)
        if configured and queues.returncode == 0:
            if configured in queues.stdout.decode(errors="replace").split():
                return configured
            log.warning("printer %r is not a CUPS queue here: using the default", configured)
        default = _run(["lpstat", "-d"], LOOKUP_TIMEOUT, server)
    except (OSError, subprocess.SubprocessError) as problem:
        log.info("no CUPS to print with: %s", problem)
        return None
    answer = default.stdout.decode(errors="replace").strip()
    prefix = "system default destination:"
    if default.returncode == 0 and answer.startswith(prefix):
        return answer[len(prefix) :].strip() or None
    return None


def print_pdf(
    pdf: bytes, printer: str, timeout: float = 20, server: str | None = None
) -> PrintResult:
    """Send the PDF to a CUPS queue (`lp -d printer`), on standard input."""
    command = ["lp", "-d", printer, "-t", JOB_TITLE]
    try:
        done = _run(command, timeout, server, stdin=pdf)
    except FileNotFoundError:
        return PrintResult(False, NO_CUPS)
    except subprocess.TimeoutExpired:
        log.warning("lp did not answer within %s seconds", timeout)
        return PrintResult(False, TOO_SLOW)
    except (OSError, subprocess.SubprocessError) as problem:
        log.warning("lp could not be started: %s", problem)
        return PrintResult(False, FAILED)
    if done.returncode != 0:
        log.warning("lp failed: %s", done.stderr.decode(errors="replace").strip())
        return PrintResult(False, FAILED)
    return PrintResult(True, PRINTING)
