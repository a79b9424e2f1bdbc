"""The background sender: sessions that are over go to the network's LRS, in batches.

The screen never waits for it: it runs in its own thread and reaches the
practice log through the log's writer (`EventLog.run_locked`). When the LRS
cannot be reached, is down, refuses the login or is slow, the batch stays in
the outbox and the sender waits longer each time (30 s doubling to an hour).
"""

from __future__ import annotations

import contextlib
import logging
import random
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kiosk.network import outbox
from kiosk.network.credentials import CREDENTIALS_FILE, CredentialsError, read_credentials
from kiosk.network.lrs import REFUSED, Lrs, LrsError
from kiosk.network.statements import Network

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.progress.store import EventLog

log = logging.getLogger(__name__)

INTERVAL = 60.0
"""Seconds between two rounds when all goes well."""
FIRST_WAIT, LONGEST_WAIT = 30.0, 3600.0


@dataclass(frozen=True)
class XapiSettings:
    enabled: bool
    lrs_url: str
    network: Network
    credentials_path: Path


def xapi_settings(config: Config, data_folder: Path) -> XapiSettings:
    """The network settings from the kiosk's settings; sensible defaults from the LRS URL."""
    parts = urlsplit(config.lrs_url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else "https://oefenkiosk.invalid"
    home_page = config.xapi_home_page or origin
    base = config.xapi_activity_base or home_page.rstrip("/") + "/oefenkiosk"
    return XapiSettings(
        enabled=bool(config.xapi_enabled),
        lrs_url=config.lrs_url,
        network=Network(home_page, base.rstrip("/")),
        credentials_path=data_folder / CREDENTIALS_FILE,
    )


@dataclass(frozen=True)
class Round:
    collected: int
    sent: int
    refused: int


ONE_SESSION_PER_HOLD = 1
"""How the kiosk's sender thread works off a backlog (after offline days: hundreds of
sessions): one session turned into statements per hold of the log's writer, so the
visitor's events reach the card in between, not seconds later (a power cut loses less).

Measured with tests/bench_xapi.py (the README's xAPI benchmark): neither resting after
each piece (to stay under half a CPU) nor a shorter switch interval for the whole kiosk
(1 or 0.5 ms) shortened the screen thread's waits for the interpreter, and the rests
cost a third of the throughput. Inside `log()` that wait is under 0.02 ms for 99% of
events even without them; the slow 1% wait for a CPU. Sending from a process of its own
(`oefenkiosk xapi send`) would cost a Pi a second Python process and the practice log a
second writer."""
ALL_AT_ONCE = None
"""For `oefenkiosk xapi send`: a process of its own, with no visitor's events to write."""


def send_round(
    event_log: EventLog,
    settings: XapiSettings,
    sessions_per_hold: int | None = ONE_SESSION_PER_HOLD,
) -> Round:
    """Collect what is over and send everything waiting; raises LrsError or CredentialsError."""
    if not settings.lrs_url:
        raise CredentialsError("Er is geen adres van het LRS ingesteld (instelling lrs_url).")
    lrs = Lrs(settings.lrs_url, read_credentials(settings.credentials_path))
    collected, more = 0, True
    while more:
        some = event_log.run_locked(
            lambda db: outbox.collect_some(db, settings.network, sessions_per_hold)
        )
        collected, more = collected + some.statements, some.more
    sent = refused = 0
    while batch := event_log.run_locked(outbox.waiting):
        accepted, rejected = _deliver(lrs, batch)
        done = accepted + rejected
        event_log.run_locked(lambda db, done=done: outbox.mark_sent(db, done))
        if rejected:
            text = (
                f"Het LRS weigerde {len(rejected)} bericht(en); die worden niet opnieuw gestuurd."
            )
            event_log.run_locked(lambda db, text=text: outbox.note_error(db, text))
        sent += len(accepted)
        refused += len(rejected)
    return Round(collected, sent, refused)


def _deliver(lrs: Lrs, batch: list[outbox.Waiting]) -> tuple[list[str], list[str]]:
    """The ids the LRS now has, and those it will never take."""
    try:
        lrs.post([item.statement for item in batch])
        return [item.id for item in batch], []
    except LrsError as error:
        if error.kind != REFUSED:
            raise
        log.warning("LRS refused a batch (%s): sending its statements one by one", error.text)
    accepted, rejected = [], []
    for item in batch:
        try:
            lrs.put(item.id, item.statement)
            accepted.append(item.id)
        except LrsError as error:
            if error.kind != REFUSED:
                raise
            log.error("LRS refused statement %s: %s", item.id, error.text)
            rejected.append(item.id)
    return accepted, rejected


class Sender:
    """Runs `send_round` in a thread: every minute, at once when woken, later after trouble."""

    def __init__(self, event_log: EventLog, settings: XapiSettings) -> None:
        self.event_log = event_log
        self.settings = settings
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._failures = 0
        self._thread = threading.Thread(target=self._run, name="oefenkiosk-xapi", daemon=True)

    def start(self) -> None:
        if self.settings.enabled and self._thread.ident is None:
            self._thread.start()

    def wake(self) -> None:
        """Send soon (a session just ended, or staff asked)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.ident is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self._round()
            self._wake.wait(wait)
            self._wake.clear()

    def _round(self) -> float:
        try:
            result = send_round(self.event_log, self.settings)
        except (LrsError, CredentialsError) as error:
            self._note(str(error))
        except (sqlite3.Error, OSError) as error:
            self._note(f"Het logboek kan niet gelezen worden: {error}")
        else:
            if result.sent:
                log.info("xAPI: %d statements delivered", result.sent)
            self._failures = 0
            return INTERVAL
        self._failures += 1
        wait = min(LONGEST_WAIT, FIRST_WAIT * 2 ** (self._failures - 1))
        return wait * random.uniform(0.8, 1.2)  # kiosks of a network do not all return at once

    def _note(self, text: str) -> None:
        log.warning("xAPI: %s", text)
        # when the log is failing too, staff see that notice already
        with contextlib.suppress(sqlite3.Error, OSError):
            self.event_log.run_locked(lambda db: outbox.note_error(db, text))


def read_state(event_log: EventLog) -> outbox.OutboxState | None:
    """For staff: statements waiting, last send and last trouble; None when unreadable."""
    try:
        db = event_log.reader()
        try:
            return outbox.state(db)
        finally:
            db.close()
    except sqlite3.Error:
        return None
