"""Crash safety: a writer killed with SIGKILL at random moments never damages the log
and never loses an event it reported as committed."""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlite_utils import Database

from kiosk.progress.store import open_database, quick_check

RUNS = 60

# The child logs events as fast as a busy kiosk never would, and prints the sequence
# number of every batch the writer thread has committed.
CHILD = """
import sys, time
from pathlib import Path
from kiosk.progress.store import EventLog

def committed(seq):
    sys.stdout.write(f"{seq}\\n")
    sys.stdout.flush()

log = EventLog(Path(sys.argv[1]), on_commit=committed)
session = sys.argv[2]
index = 0
while True:
    index += 1
    log.log("step_correct", session, scenario="digid-inloggen", step=f"stap-{index % 97}")
    if index % 40 == 0:
        log.log("wrong_action", session, scenario="digid-inloggen", step="sms", element="terug")
        time.sleep(0.001)
"""


def run_and_kill(path: Path, run: int, rng: random.Random) -> int:
    """Start a writer, kill it at a random moment; the last committed sequence number."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), f"run{run}"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ)
    acknowledged = 0
    deadline = None
    buffer = ""
    give_up = time.monotonic() + 20
    while time.monotonic() < give_up:
        if deadline is not None and time.monotonic() >= deadline:
            break
        if selector.select(timeout=0.005):
            chunk = os.read(child.stdout.fileno(), 65536).decode()
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split("\n")
            if lines:
                acknowledged = int(lines[-1])
                if deadline is None:  # first commit seen: kill somewhere in the next 0.3 s
                    deadline = time.monotonic() + rng.uniform(0.0, 0.3)
    child.send_signal(signal.SIGKILL)
    # what was printed before the kill still counts as acknowledged
    rest = buffer + child.stdout.read()
    child.wait()
    numbers = [int(line) for line in rest.split("\n") if line.strip()]
    if numbers:
        acknowledged = max(acknowledged, numbers[-1])
    assert deadline is not None, "the writer never committed anything"
    return acknowledged


def test_sigkill_at_random_moments_never_loses_a_committed_event(tmp_path):
    path = tmp_path / "oefenkiosk.db"
    rng = random.Random(20261122)
    highest = 0
    for run in range(RUNS):
        acknowledged = run_and_kill(path, run, rng)
        assert acknowledged >= highest
        highest = acknowledged
        db = open_database(path)  # as the kiosk opens it after a crash
        assert quick_check(db), f"run {run}: quick_check failed"
        kept = db.execute(
            "SELECT count(*), min(seq), max(seq) FROM events WHERE seq <= ?", (acknowledged,)
        ).fetchone()
        assert kept == (acknowledged, 1, acknowledged), f"run {run}: committed events lost"
        db.close()
    total = Database(path)["events"].count
    assert total >= highest and highest > RUNS * 10
