"""Figures for `oefenkiosk bench`: what the practice log costs.

Measured on a temporary log, never the kiosk's own.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.progress.stats import all_periods, fold
from kiosk.progress.store import EventLog, minute, open_database

DAY = 86400


@dataclass(frozen=True)
class LogFigures:
    log_call_us: float
    """Median time of one `EventLog.log()` on the calling (UI) thread, microseconds."""
    writes_per_second: float
    """Events the writer thread stores per second, each batch committed with a full sync."""
    stats_events: int
    stats_ms: float
    """Median time for the 7- and 30-day statistics over `stats_events` raw events."""
    fold_ms: float
    """Folding the events older than 90 days into daily counts, once."""
    folded: int
    """How many raw events that fold replaced by daily counts."""


def measure(events: int = 20_000, stats_events: int = 1_000_000) -> LogFigures:
    with tempfile.TemporaryDirectory() as folder:
        call_us, per_second = _writer(Path(folder) / "writer.db", events)
        stats_ms, fold_ms, folded = _statistics(Path(folder) / "big.db", stats_events)
    return LogFigures(call_us, per_second, stats_events, stats_ms, fold_ms, folded)


def _writer(path: Path, events: int) -> tuple[float, float]:
    log = EventLog(path)
    try:
        assert log.flush(30), "the practice log did not open"
        calls = []
        started = time.perf_counter()
        for n in range(events):
            before = time.perf_counter_ns()
            log.log(
                "step_correct", "bench-session", scenario="digid-inloggen-sms", step=f"s{n % 9}"
            )
            calls.append(time.perf_counter_ns() - before)
        assert log.flush(120), "the writer did not catch up"
        seconds = time.perf_counter() - started
    finally:
        log.close()
    return statistics.median(calls) / 1000, events / seconds


def _statistics(path: Path, count: int) -> tuple[float, float, int]:
    """A log of `count` events spread over 120 days, then the statistics and the fold."""
    db = open_database(path)
    now = time.time()
    rng = random.Random(6)
    scenarios = [f"oefening-{n}" for n in range(6)]
    kinds = ["step_correct"] * 6 + ["wrong_action", "hint_shown", "audio_played"]

    def rows():
        for n in range(count):
            scenario = rng.choice(scenarios)
            moment = now - rng.random() * 120 * DAY
            row = {"minute": minute(moment), "session": f"s{n // 40}", "scenario": scenario}
            if n % 40 == 0:
                row["kind"] = "scenario_started"
            elif n % 40 == 39:
                row.update(kind="scenario_finished", seconds=rng.randint(60, 900), wrong=2, hints=1)
            else:
                row["kind"] = rng.choice(kinds)
                row["step"] = f"stap-{rng.randint(1, 12)}"
                if row["kind"] == "wrong_action":
                    row["element"] = f"knop-{rng.randint(1, 5)}"
            yield row

    with db.conn:
        db["events"].insert_all(rows(), batch_size=5000)
    all_periods(db, now)  # warm the page cache, as a running kiosk has it
    times = []
    for _ in range(5):
        started = time.perf_counter()
        all_periods(db, now)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    folded = fold(db, 90, now)
    fold_seconds = time.perf_counter() - started
    db.close()
    return statistics.median(times) * 1000, fold_seconds * 1000, folded
