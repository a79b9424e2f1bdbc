"""Benchmark of the xAPI outbox and sender against a real Ralph LRS (not a test).

    PYTHONPATH=. .venv/bin/python tests/bench_xapi.py [--sessions 200]

Prints statements and bytes per session, the send throughput, and what logging
an event costs the UI thread while the sender is busy in the background.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from conftest import SHIPPED
from kiosk.network import outbox
from kiosk.network.credentials import Credentials, write_credentials
from kiosk.network.sender import XapiSettings, send_round
from kiosk.network.statements import Network
from kiosk.progress.store import EventLog
from kiosk.scenario.library import load_library
from lrs_server import PASSWORD, USER, Ralph
from test_xapi import play_session


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=200)
    args = parser.parse_args()
    library = load_library(SHIPPED)
    ids = [s.id for s in library.scenarios]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        ralph = Ralph(root / "lrs")
        ralph.start()
        try:
            write_credentials(root / "inlog.toml", Credentials(USER, PASSWORD))
            network = Network("https://netwerk.example", "https://netwerk.example/oefenkiosk")
            settings = XapiSettings(True, ralph.url, network, root / "inlog.toml")
            log = EventLog(root / "oefenkiosk.db")
            for index in range(args.sessions):
                play_session(log, library, ids[index % len(ids)])
            count = log.run_locked(lambda db: outbox.collect(db, network))
            size = log.run_locked(
                lambda db: db.execute("SELECT sum(length(statement)) FROM xapi_outbox").fetchone()
            )[0]
            print(f"sessions: {args.sessions} over {len(ids)} scenarios")
            print(f"statements per session: {count / args.sessions:.1f}")
            print(f"bytes per session (JSON): {size / args.sessions:.0f}")

            # the UI thread logs events while the sender sends everything in the background
            costs: list[float] = []
            sender = threading.Thread(target=send_round, args=(log, settings))
            started = time.perf_counter()
            sender.start()
            while sender.is_alive():
                before = time.perf_counter()
                log.log("hint_shown", "benchsessie", scenario="nep-sms", step="sms")
                costs.append(time.perf_counter() - before)
                time.sleep(0.001)
            elapsed = time.perf_counter() - started
            print(
                f"send throughput: {count / elapsed:.0f} statements/s ({count} in {elapsed:.1f} s)"
            )
            costs.sort()
            print(
                f"log() on the UI thread while sending: median {statistics.median(costs) * 1e6:.1f}"
                f" µs, p99 {costs[int(len(costs) * 0.99)] * 1e6:.1f} µs, max {costs[-1] * 1e6:.1f}"
                f" µs over {len(costs)} events"
            )
            log.close()
        finally:
            ralph.stop()


if __name__ == "__main__":
    main()
