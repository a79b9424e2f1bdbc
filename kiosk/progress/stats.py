"""Statistics from the practice log, and the retention that folds old events into days.

A period's numbers come from the raw events of its days plus the daily
aggregates of days whose events were already folded: retention folds whole
days, so the two never overlap.

Small numbers can point to a person ("the one who practised on Tuesday"), so
every count from 1 to 4 is shown as "< 5", and a rate or median built on
fewer than 5 runs is not shown at all. Zero is shown: it points to nobody.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


SMALL = 5
"""Counts below this are shown as "< 5"."""

PERIODS = (7, 30)


@dataclass(frozen=True)
class StepTrouble:
    step: str
    wrong: int


@dataclass(frozen=True)
class WrongChoice:
    step: str
    element: str
    count: int


@dataclass(frozen=True)
class ScenarioStats:
    scenario: str
    started: int
    finished: int
    median_seconds: int | None
    trouble: tuple[StepTrouble, ...]
    wrong_choice: WrongChoice | None

    @property
    def finish_rate(self) -> float | None:
        """Finished per started, or None when too few started to say."""
        if self.started < SMALL:
            return None
        # A run started just before the period can finish inside it: never above 100%.
        return min(1.0, self.finished / self.started)


@dataclass(frozen=True)
class PeriodStats:
    days: int
    first_day: str
    scenarios: tuple[ScenarioStats, ...]

    def of(self, scenario: str) -> ScenarioStats:
        for item in self.scenarios:
            if item.scenario == scenario:
                return item
        return ScenarioStats(scenario, 0, 0, None, (), None)


def shown(count: int) -> str:
    """A count as staff and volunteers may see it."""
    return f"< {SMALL}" if 0 < count < SMALL else str(count)


def shown_rate(stats: ScenarioStats) -> str:
    rate = stats.finish_rate
    return "–" if rate is None else f"{round(rate * 100)}%"


def shown_duration(seconds: int | None) -> str:
    if seconds is None:
        return "–"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


def first_day(days: int, now: float) -> str:
    """The first day of the last `days` days, today included ('YYYY-MM-DD')."""
    today = dt.date.fromtimestamp(now)
    return (today - dt.timedelta(days=days - 1)).isoformat()


def period_stats(db: Database, days: int, now: float | None = None, top: int = 3) -> PeriodStats:
    """Per scenario: started, finished, median time, worst steps, most-chosen wrong element."""
    since = first_day(days, time.time() if now is None else now)
    raw = (since + "T00:00",)
    runs: dict[str, Counter] = defaultdict(Counter)
    for scenario, kind, count in db.execute(
        "SELECT scenario, kind, count(*) FROM events WHERE kind IN "
        "('scenario_started', 'scenario_finished') AND minute >= ? GROUP BY scenario, kind",
        raw,
    ):
        runs[scenario][kind.removeprefix("scenario_")] += count
    for scenario, started, finished in db.execute(
        "SELECT scenario, sum(started), sum(finished) FROM daily_runs WHERE day >= ? "
        "GROUP BY scenario",
        (since,),
    ):
        runs[scenario]["started"] += started
        runs[scenario]["finished"] += finished

    durations: dict[str, Counter] = defaultdict(Counter)
    for scenario, seconds, count in db.execute(
        "SELECT scenario, seconds, count(*) FROM events WHERE kind = 'scenario_finished' "
        "AND minute >= ? GROUP BY scenario, seconds "
        "UNION ALL SELECT scenario, seconds, sum(runs) FROM daily_durations WHERE day >= ? "
        "GROUP BY scenario, seconds",
        (*raw, since),
    ):
        durations[scenario][seconds] += count

    wrong: dict[str, Counter] = defaultdict(Counter)
    for scenario, step, element, count in db.execute(
        "SELECT scenario, step, element, count(*) FROM events WHERE kind = 'wrong_action' "
        "AND minute >= ? GROUP BY scenario, step, element "
        "UNION ALL SELECT scenario, step, element, sum(count) FROM daily_wrong WHERE day >= ? "
        "GROUP BY scenario, step, element",
        (*raw, since),
    ):
        wrong[scenario][(step or "", element or "")] += count

    scenarios = []
    for scenario in sorted(set(runs) | set(wrong) | set(durations)):
        if not scenario:
            continue
        per_step: Counter = Counter()
        for (step, _element), count in wrong[scenario].items():
            per_step[step] += count
        trouble = tuple(StepTrouble(step, count) for step, count in _top(per_step, top))
        choices = [(key, count) for key, count in wrong[scenario].items() if key[1]]
        choice = None
        if choices:
            (step, element), count = _top(Counter(dict(choices)), 1)[0]
            choice = WrongChoice(step, element, count)
        finished_runs = durations[scenario]
        median = _median(finished_runs) if finished_runs.total() >= SMALL else None
        scenarios.append(
            ScenarioStats(
                scenario,
                runs[scenario]["started"],
                runs[scenario]["finished"],
                median,
                trouble,
                choice,
            )
        )
    return PeriodStats(days, since, tuple(scenarios))


def all_periods(db: Database, now: float | None = None) -> tuple[PeriodStats, ...]:
    now = time.time() if now is None else now
    return tuple(period_stats(db, days, now) for days in PERIODS)


def _top(counter: Counter, n: int) -> list[tuple]:
    """The n largest, ties in a fixed order (by name) so the screen does not jump."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:n]


def _median(histogram: Counter) -> int:
    """The median of values given as value → how often (the lower middle for an even count)."""
    total = histogram.total()
    middle = (total + 1) // 2
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= middle:
            return int(value)
    raise ValueError("empty histogram")


# --- retention -------------------------------------------------------------------------------


def fold(db: Database, keep_days: int, now: float | None = None) -> int:
    """Fold raw events of days before the last `keep_days` into daily counts; delete them.

    Returns how many raw events were deleted. Runs in one transaction: after a
    power cut either everything is folded or nothing is.
    """
    cutoff = first_day(keep_days, time.time() if now is None else now) + "T00:00"
    day = "substr(minute, 1, 10)"
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            f"""INSERT INTO daily_runs (day, scenario, started, finished)
            SELECT {day}, scenario, sum(kind = 'scenario_started'), sum(kind = 'scenario_finished')
            FROM events WHERE minute < ? AND scenario IS NOT NULL
              AND kind IN ('scenario_started', 'scenario_finished')
            GROUP BY 1, 2
            ON CONFLICT (day, scenario) DO UPDATE SET
              started = started + excluded.started, finished = finished + excluded.finished""",
            (cutoff,),
        )
        db.execute(
            f"""INSERT INTO daily_durations (day, scenario, seconds, runs)
            SELECT {day}, scenario, seconds, count(*) FROM events
            WHERE minute < ? AND kind = 'scenario_finished' AND seconds IS NOT NULL
            GROUP BY 1, 2, 3
            ON CONFLICT (day, scenario, seconds) DO UPDATE SET runs = runs + excluded.runs""",
            (cutoff,),
        )
        db.execute(
            f"""INSERT INTO daily_wrong (day, scenario, step, element, count)
            SELECT {day}, scenario, coalesce(step, ''), coalesce(element, ''), count(*)
            FROM events WHERE minute < ? AND kind = 'wrong_action'
            GROUP BY 1, 2, 3, 4
            ON CONFLICT (day, scenario, step, element) DO UPDATE SET
              count = count + excluded.count""",
            (cutoff,),
        )
        deleted = db.execute("DELETE FROM events WHERE minute < ?", (cutoff,)).rowcount
    return deleted
