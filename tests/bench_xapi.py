"""Benchmark of the xAPI outbox and sender against a real Ralph LRS (not a test).

    PYTHONPATH=. .venv/bin/python tests/bench_xapi.py [--sessions 200] [--repeat 1]

Prints statements and bytes per session, then, side by side, what logging an
event costs the UI thread and the send throughput: with no sender running,
with the sender working unpaced (as `oefenkiosk xapi send` does in a process of
its own), with a shorter interpreter switch interval, and as the kiosk sends (one session per
hold of the log's writer). Each run sends
the whole backlog to a fresh Ralph through the real `send_round`.

The UI-like thread logs an event and sleeps 1 ms, over and over. Measured: the
wall time `log()` takes; the part of it the thread was neither running nor
waiting for a CPU, that is waiting for the interpreter (wall time minus the
thread's CPU time minus its run-queue delay from /proc/thread-self/schedstat),
which is what another thread of the kiosk costs it, apart from a busy machine;
and the same wait when the thread wakes from its sleep (beyond the timer's
own slack, which the run without a sender shows).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from conftest import SHIPPED
from kiosk.network import outbox
from kiosk.network.credentials import Credentials, write_credentials
from kiosk.network.sender import ALL_AT_ONCE, ONE_SESSION_PER_HOLD, XapiSettings, send_round
from kiosk.network.statements import Network
from kiosk.progress.store import EventLog
from kiosk.scenario.library import Library, load_library
from lrs_server import PASSWORD, USER, Ralph
from test_xapi import play_session

NETWORK = Network("https://netwerk.example", "https://netwerk.example/oefenkiosk")
TICK = 0.001
"""The UI-like thread sleeps this long between two events."""


@dataclass(frozen=True)
class Variant:
    name: str
    sender: bool
    sessions_per_hold: int | None = ALL_AT_ONCE
    switch_interval: float = 0.005


VARIANTS = (
    Variant("no sender", sender=False),
    Variant("before: all at once", sender=True),
    Variant("all at once, switch interval 1 ms", sender=True, switch_interval=0.001),
    Variant("all at once, switch interval 0.5 ms", sender=True, switch_interval=0.0005),
    Variant("after: one session a hold", sender=True, sessions_per_hold=ONE_SESSION_PER_HOLD),
)


@dataclass(frozen=True)
class Result:
    statements: int
    seconds: float
    log_costs: list[float]
    log_waits: list[float]
    wake_waits: list[float]


class ThreadClock:
    """Wall time, CPU time and run-queue delay of the calling thread."""

    def __init__(self) -> None:
        self._schedstat = os.open("/proc/thread-self/schedstat", os.O_RDONLY)

    def now(self) -> tuple[float, float, float]:
        run_delay = int(os.pread(self._schedstat, 100, 0).split()[1]) / 1e9
        return time.perf_counter(), time.thread_time(), run_delay

    def close(self) -> None:
        os.close(self._schedstat)


def waited(before: tuple[float, float, float], after: tuple[float, float, float]) -> float:
    """Time off the CPU though the CPU was free: waiting for the interpreter (or a lock)."""
    wall, cpu, queued = (a - b for a, b in zip(after, before, strict=True))
    return max(0.0, wall - cpu - queued)


def spread(values: list[float]) -> str:
    values = sorted(values)
    p99 = values[int(len(values) * 0.99)]
    return f"{statistics.median(values) * 1e6:6.0f} {p99 * 1e6:8.0f} {values[-1] * 1e6:8.0f}"


def run(variant: Variant, library: Library, sessions: int, folder: Path, niceness: int) -> Result:
    ids = [s.id for s in library.scenarios]
    ralph = Ralph(folder / "lrs", niceness)
    ralph.start()
    log = EventLog(folder / "oefenkiosk.db")
    try:
        write_credentials(folder / "inlog.toml", Credentials(USER, PASSWORD))
        settings = XapiSettings(True, ralph.url, NETWORK, folder / "inlog.toml")
        for index in range(sessions):
            play_session(log, library, ids[index % len(ids)])
        log.flush()
        sys.setswitchinterval(variant.switch_interval)
        log_costs: list[float] = []
        log_waits: list[float] = []
        wake_waits: list[float] = []
        if not variant.sender:
            work = threading.Thread(target=time.sleep, args=(2.0,))
        else:
            work = threading.Thread(
                target=send_round, args=(log, settings, variant.sessions_per_hold)
            )
        clock = ThreadClock()
        started = time.perf_counter()
        work.start()
        while work.is_alive():
            before = clock.now()
            log.log("hint_shown", "benchsessie", scenario="nep-sms", step="sms")
            after = clock.now()
            log_costs.append(after[0] - before[0])
            log_waits.append(waited(before, after))
            time.sleep(TICK)
            woken = clock.now()
            wake_waits.append(max(0.0, waited(after, woken) - TICK))
        clock.close()
        seconds = time.perf_counter() - started
        sys.setswitchinterval(0.005)
        sent = log.run_locked(outbox.state).sent_total
        log.close()
        return Result(sent, seconds, log_costs, log_waits, wake_waits)
    finally:
        sys.setswitchinterval(0.005)
        ralph.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1, help="run every variant this often")
    parser.add_argument(
        "--lrs-niceness",
        type=int,
        default=0,
        help="run Ralph with this niceness (a network's LRS runs on another machine, not "
        "on the kiosk's CPUs)",
    )
    args = parser.parse_args()
    library = load_library(SHIPPED)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        log = EventLog(root / "sizes.db")
        for index in range(args.sessions):
            play_session(log, library, library.scenarios[index % len(library.scenarios)].id)
        count = log.run_locked(lambda db: outbox.collect(db, NETWORK))
        size = log.run_locked(
            lambda db: db.execute("SELECT sum(length(statement)) FROM xapi_outbox").fetchone()
        )[0]
        log.close()
        print(f"sessions: {args.sessions} over {len(library.scenarios)} scenarios")
        print(f"statements per session: {count / args.sessions:.1f}")
        print(f"bytes per session (JSON): {size / args.sessions:.0f}")
        print(
            "\nµs, median / p99 / max; 'waiting' is time the UI thread waited for the interpreter"
        )
        print(
            f"{'':36} {'log() wall time':>24}  {'log() waiting':>24}  {'waking: waiting':>24}"
            f"  {'events':>6}  {'statements/s':>14}"
        )
        for repeat in range(args.repeat):
            for index, variant in enumerate(VARIANTS):
                result = run(
                    variant,
                    library,
                    args.sessions,
                    root / f"run-{repeat}-{index}",
                    args.lrs_niceness,
                )
                rate = (
                    f"{result.statements / result.seconds:6.0f} ({result.seconds:4.1f} s)"
                    if variant.sender
                    else ""
                )
                print(
                    f"{variant.name:36} {spread(result.log_costs)}  {spread(result.log_waits)}"
                    f"  {spread(result.wake_waits)}  {len(result.log_costs):6}  {rate:>14}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
