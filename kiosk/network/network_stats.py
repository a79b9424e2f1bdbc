"""The network's view: statements read back from the LRS, counted as `oefenkiosk stats` counts.

The statements become the practice log's events again (as far as the
statistics need them) in a practice log in memory, so the network's table is
made by the same code as one kiosk's, with the same hiding of small counts.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.network.statements import Network, events_from_statement
from kiosk.progress.stats import PeriodStats, all_periods
from kiosk.progress.store import COLUMNS, open_database


@dataclass(frozen=True)
class NetworkStats:
    everywhere: tuple[PeriodStats, ...]
    per_kiosk: dict[str, tuple[PeriodStats, ...]]
    statements: int


def network_stats(
    statements: Iterable[dict], network: Network, now: float | None = None
) -> NetworkStats:
    now = time.time() if now is None else now
    rows: dict[str, list[dict]] = defaultdict(list)
    count = 0
    for statement in statements:
        if not statement.get("object", {}).get("id", "").startswith(network.activity_base):
            continue  # another application's statements in the same LRS
        count += 1
        for event in events_from_statement(statement, network):
            rows[event["kiosk"]].append(event)
    everywhere = _periods([row for kiosk_rows in rows.values() for row in kiosk_rows], now)
    per_kiosk = {kiosk: _periods(kiosk_rows, now) for kiosk, kiosk_rows in sorted(rows.items())}
    return NetworkStats(everywhere, per_kiosk, count)


def statement_query(since: float) -> dict[str, str]:
    """The query for the statements the statistics read: those since `since`.

    Verbs are picked here, not by the LRS: not every LRS filters verbs well
    (Ralph 5.1's file-system backend compares them wrongly and finds none).
    """
    return {"since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(since))}


def _periods(events: list[dict], now: float) -> tuple[PeriodStats, ...]:
    db = open_database(Path(":memory:"))
    columns = COLUMNS
    db.conn.executemany(
        f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [tuple(event.get(c) for c in columns) for event in events],
    )
    try:
        return all_periods(db, now)
    finally:
        db.close()
