"""Statistics from the practice log, and the retention that folds old events into days.

A period's numbers come from the raw events of its days plus the daily
aggregates of days whose events were already folded: retention folds whole
days, so the two never overlap.

Small numbers can point to a person ("the one who practised on Tuesday"), so
every count from 1 to 4 is shown as "< 5", and a rate or median built on
fewer than 5 runs is not shown at all. Zero is shown: it points to nobody.

An exercise is counted per content version (the pack it came from, or the
built-in exercises), so a corrected exercise is not mixed up with the old one.
Only `scenario_started` names the version; the other events of a run take it
from their session. A session plays one version: a new pack goes on only at
the welcome screen, between sessions.
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

SHIPPED_CONTENT = "ingebouwd"
"""The content version of the built-in exercises, as the practice log names it."""
UNKNOWN_CONTENT = "onbekend"
"""The version of counts folded before the daily counts kept one, when a pack could have
been played."""


VERSIONS = """WITH versions AS MATERIALIZED (
    SELECT session, max(content) AS content FROM events
    WHERE kind = 'scenario_started' AND content IS NOT NULL GROUP BY session) """
"""SQL: each session's content version, for `RUN_EVENTS` (read once per query, not per event)."""
RUN_EVENTS = "events AS e LEFT JOIN versions AS v ON v.session = e.session"
RUN_CONTENT = f"coalesce(e.content, v.content, '{SHIPPED_CONTENT}')"
"""SQL: the content version of event `e`'s run. An event logged before the log named versions
gets the built-in one: before that, a kiosk could play nothing else."""


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
    content: str = SHIPPED_CONTENT
    """The content version these runs played."""
    versions: int = 1
    """In how many content versions the exercise was played in the period: one row each."""

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

    def of(self, scenario: str, content: str | None = None) -> ScenarioStats:
        """The scenario's row (of one content version when given); an empty row if none."""
        for item in self.scenarios:
            if item.scenario == scenario and content in (None, item.content):
                return item
        return ScenarioStats(scenario, 0, 0, None, (), None, content or SHIPPED_CONTENT)

    def rows_of(self, scenario: str) -> tuple[ScenarioStats, ...]:
        """The scenario's rows, one per content version played; one empty row if none."""
        rows = tuple(item for item in self.scenarios if item.scenario == scenario)
        return rows or (self.of(scenario),)


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
    """Per scenario and content version: started, finished, median time, worst steps,
    most-chosen wrong element."""
    since = first_day(days, time.time() if now is None else now)
    raw = (since + "T00:00",)
    runs: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for scenario, content, kind, count in db.execute(
        f"{VERSIONS} SELECT e.scenario, {RUN_CONTENT}, e.kind, count(*) FROM {RUN_EVENTS} "
        "WHERE e.kind IN ('scenario_started', 'scenario_finished') AND e.minute >= ? "
        "GROUP BY 1, 2, 3",
        raw,
    ):
        runs[scenario, content][kind.removeprefix("scenario_")] += count
    for scenario, content, started, finished in db.execute(
        "SELECT scenario, content, sum(started), sum(finished) FROM daily_runs WHERE day >= ? "
        "GROUP BY 1, 2",
        (since,),
    ):
        runs[scenario, content]["started"] += started
        runs[scenario, content]["finished"] += finished

    durations: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for scenario, content, seconds, count in db.execute(
        f"{VERSIONS} SELECT e.scenario, {RUN_CONTENT}, e.seconds, count(*) FROM {RUN_EVENTS} "
        "WHERE e.kind = 'scenario_finished' AND e.minute >= ? AND e.seconds IS NOT NULL "
        "GROUP BY 1, 2, 3 "
        "UNION ALL SELECT scenario, content, seconds, sum(runs) FROM daily_durations "
        "WHERE day >= ? GROUP BY 1, 2, 3",
        (*raw, since),
    ):
        durations[scenario, content][seconds] += count

    wrong: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for scenario, content, step, element, count in db.execute(
        f"{VERSIONS} SELECT e.scenario, {RUN_CONTENT}, e.step, e.element, count(*) "
        f"FROM {RUN_EVENTS} WHERE e.kind = 'wrong_action' AND e.minute >= ? GROUP BY 1, 2, 3, 4 "
        "UNION ALL SELECT scenario, content, step, element, sum(count) FROM daily_wrong "
        "WHERE day >= ? GROUP BY 1, 2, 3, 4",
        (*raw, since),
    ):
        wrong[scenario, content][(step or "", element or "")] += count

    keys = {key for key in set(runs) | set(wrong) | set(durations) if key[0]}
    versions = Counter(scenario for scenario, _content in keys)
    scenarios = []
    for key in sorted(keys, key=lambda k: (k[0], k[1] != SHIPPED_CONTENT, k[1])):
        per_step: Counter = Counter()
        for (step, _element), count in wrong[key].items():
            per_step[step] += count
        trouble = tuple(StepTrouble(step, count) for step, count in _top(per_step, top))
        choices = [(choice, count) for choice, count in wrong[key].items() if choice[1]]
        choice = None
        if choices:
            (step, element), count = _top(Counter(dict(choices)), 1)[0]
            choice = WrongChoice(step, element, count)
        finished_runs = durations[key]
        median = _median(finished_runs) if finished_runs.total() >= SMALL else None
        scenario, content = key
        scenarios.append(
            ScenarioStats(
                scenario,
                runs[key]["started"],
                runs[key]["finished"],
                median,
                trouble,
                choice,
                content,
                versions[scenario],
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
    day = "substr(e.minute, 1, 10)"
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            f"""{VERSIONS} INSERT INTO daily_runs (day, scenario, content, started, finished)
            SELECT {day}, e.scenario, {RUN_CONTENT},
              sum(e.kind = 'scenario_started'), sum(e.kind = 'scenario_finished')
            FROM {RUN_EVENTS} WHERE e.minute < ? AND e.scenario IS NOT NULL
              AND e.kind IN ('scenario_started', 'scenario_finished')
            GROUP BY 1, 2, 3
            ON CONFLICT (day, scenario, content) DO UPDATE SET
              started = started + excluded.started, finished = finished + excluded.finished""",
            (cutoff,),
        )
        db.execute(
            f"""{VERSIONS} INSERT INTO daily_durations (day, scenario, content, seconds, runs)
            SELECT {day}, e.scenario, {RUN_CONTENT}, e.seconds, count(*) FROM {RUN_EVENTS}
            WHERE e.minute < ? AND e.kind = 'scenario_finished' AND e.seconds IS NOT NULL
            GROUP BY 1, 2, 3, 4
            ON CONFLICT (day, scenario, content, seconds) DO UPDATE SET
              runs = runs + excluded.runs""",
            (cutoff,),
        )
        db.execute(
            f"""{VERSIONS} INSERT INTO daily_wrong (day, scenario, content, step, element, count)
            SELECT {day}, e.scenario, {RUN_CONTENT}, coalesce(e.step, ''),
              coalesce(e.element, ''), count(*)
            FROM {RUN_EVENTS} WHERE e.minute < ? AND e.kind = 'wrong_action'
            GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT (day, scenario, content, step, element) DO UPDATE SET
              count = count + excluded.count""",
            (cutoff,),
        )
        # A session that ran past the cutoff keeps its version when its start is folded away.
        db.execute(
            f"""{VERSIONS} UPDATE events SET content = coalesce(
              (SELECT v.content FROM versions AS v WHERE v.session = events.session),
              '{SHIPPED_CONTENT}')
            WHERE minute >= ? AND content IS NULL AND session IN (
              SELECT session FROM events WHERE minute < ? AND kind = 'scenario_started')""",
            (cutoff, cutoff),
        )
        deleted = db.execute("DELETE FROM events WHERE minute < ?", (cutoff,)).rowcount
    return deleted
