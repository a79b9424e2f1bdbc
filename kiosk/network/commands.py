"""The network commands at a terminal: xapi status, xapi send, xapi credentials, network-stats."""

from __future__ import annotations

import getpass
import sqlite3
import sys
import time
from pathlib import Path
from typing import TextIO

from kiosk.config import Config, data_dir
from kiosk.network.credentials import (
    Credentials,
    CredentialsError,
    read_credentials,
    write_credentials,
)
from kiosk.network.lrs import Lrs, LrsError
from kiosk.network.network_stats import network_stats, statement_query
from kiosk.network.outbox import note_error, state
from kiosk.network.sender import ALL_AT_ONCE, send_round, xapi_settings
from kiosk.progress.stats import PERIODS
from kiosk.progress.store import LOG_FILE, EventLog


def _event_log(config: Config) -> EventLog:
    return EventLog(data_dir(config) / LOG_FILE)


def status(config: Config, out: TextIO) -> int:
    settings = xapi_settings(config, data_dir(config))
    print(f"Versturen naar het netwerk: {'aan' if settings.enabled else 'uit'}", file=out)
    print(f"LRS: {settings.lrs_url or '(niet ingesteld)'}", file=out)
    print(f"Activiteiten onder: {settings.network.activity_base}", file=out)
    try:
        read_credentials(settings.credentials_path)
        print(f"Inloggegevens: {settings.credentials_path}", file=out)
    except CredentialsError as error:
        print(f"Inloggegevens: {error}", file=out)
    event_log = _event_log(config)
    try:
        current = event_log.run_locked(state)
    except sqlite3.Error as error:
        print(f"Het logboek kan niet gelezen worden: {error}", file=sys.stderr)
        return 1
    finally:
        event_log.close()
    print(f"Wachtend om te versturen: {current.waiting}", file=out)
    print(f"Verstuurd in totaal: {current.sent_total}", file=out)
    print(f"Laatst gelukt: {current.last_success or 'nog nooit'}", file=out)
    print(f"Laatste probleem: {current.last_error or 'geen'}", file=out)
    return 0


def send(config: Config, out: TextIO) -> int:
    """One round now, also when sending is switched off (staff test the connection)."""
    settings = xapi_settings(config, data_dir(config))
    event_log = _event_log(config)
    try:
        result = send_round(event_log, settings, ALL_AT_ONCE)
    except (LrsError, CredentialsError) as error:
        text = str(error)
        print(text, file=sys.stderr)
        event_log.run_locked(lambda db: note_error(db, text))
        return 1
    except sqlite3.Error as error:
        print(f"Het logboek kan niet gelezen worden: {error}", file=sys.stderr)
        return 1
    finally:
        event_log.close()
    print(f"Klaar: {result.collected} nieuw klaargezet, {result.sent} verstuurd.", file=out)
    if result.refused:
        print(f"Het LRS weigerde {result.refused} bericht(en).", file=out)
    return 0


def set_credentials(config: Config, out: TextIO, stdin: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    if stdin.isatty():
        username = input("Gebruikersnaam bij het LRS: ").strip()
        password = getpass.getpass("Wachtwoord: ")
    else:
        lines = stdin.read().splitlines()
        username, password = [*lines, "", ""][:2]
        username = username.strip()
    if not username:
        print("Geen gebruikersnaam gegeven: er is niets veranderd.", file=sys.stderr)
        return 1
    path = xapi_settings(config, data_dir(config)).credentials_path
    write_credentials(path, Credentials(username, password))
    print(f"Opgeslagen in {path} (alleen leesbaar voor deze gebruiker).", file=out)
    return 0


def network_stats_command(
    config: Config, lrs_url: str, credentials_file: Path | None, out: TextIO
) -> int:
    from kiosk.admin.commands import _scenarios
    from kiosk.admin.report import stats_text

    settings = xapi_settings(config, data_dir(config))
    if lrs_url != settings.lrs_url:
        settings = xapi_settings(_with(config, lrs_url=lrs_url), data_dir(config))
    try:
        credentials = read_credentials(credentials_file or settings.credentials_path)
        lrs = Lrs(lrs_url, credentials)
        since = time.time() - max(PERIODS) * 86400 - 86400
        statements = list(lrs.read(**statement_query(since)))
    except (LrsError, CredentialsError) as error:
        print(str(error), file=sys.stderr)
        return 1
    result = network_stats(statements, settings.network)
    scenarios = _scenarios(config)
    print(f"Netwerk {settings.network.home_page}: {result.statements} berichten\n", file=out)
    print("Alle kiosken samen", file=out)
    print(stats_text(result.everywhere, scenarios), file=out)
    for kiosk, periods in result.per_kiosk.items():
        print(f"\nKiosk {kiosk or '(zonder naam)'}", file=out)
        print(stats_text(periods, scenarios), file=out)
    return 0


def _with(config: Config, **changes) -> Config:
    from dataclasses import replace

    return replace(config, values={**config.values, **changes})
