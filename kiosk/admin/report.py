"""Statistics in words: rows for the volunteer and staff screens and the `stats` command."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.progress.stats import (
    SHIPPED_CONTENT,
    SMALL,
    UNKNOWN_CONTENT,
    PeriodStats,
    ScenarioStats,
    shown,
    shown_duration,
    shown_rate,
)
from kiosk.scenario.describe import element_name, step_name
from kiosk.scenario.model import Scenario


@dataclass(frozen=True)
class StatsRow:
    scenario: str
    title: str
    """The exercise's title, with its content version when it was played in more than one."""
    started: str
    finished: str
    rate: str
    median: str
    trouble: tuple[str, ...]
    """'4. Typ uw wachtwoord. (12×)' for the steps with the most wrong actions."""
    wrong_choice: str
    """"'Wachtwoord vergeten?' bij stap 4 (7×)" or ''."""
    bar_started: int | None
    """The count for the bar chart, or None when it is too small to show (< 5)."""
    bar_finished: int | None


def version_label(content: str) -> str:
    """A content version as staff know it: 'versie 2026.2 (pakket basis)', 'ingebouwde versie'."""
    if content == SHIPPED_CONTENT:
        return "ingebouwde versie"
    if content == UNKNOWN_CONTENT:
        return "versie onbekend"
    if content == "eigen-map":  # the kiosk plays a folder of its own (`scenarios_dir`)
        return "eigen map met oefeningen"
    name, dash, version = content.rpartition("-")
    return f"versie {version} (pakket {name})" if dash and name else f"versie {content}"


def _bar(count: int) -> int | None:
    return count if count >= SMALL or count == 0 else None


def stats_row(item: ScenarioStats, scenario: Scenario | None) -> StatsRow:
    def step(step_id: str) -> str:
        return step_name(scenario, step_id) if scenario else step_id

    def step_of(step_id: str):
        if scenario is None:
            return None
        return next((s for s in scenario.steps if s.id == step_id), None)

    trouble = tuple(f"{step(t.step)} ({shown(t.wrong)}×)" for t in item.trouble)
    choice = ""
    if item.wrong_choice is not None:
        wrong = item.wrong_choice
        name = (
            element_name(scenario, wrong.element, step_of(wrong.step))
            if scenario
            else wrong.element
        )
        number = step(wrong.step).split(".")[0]
        choice = f"‘{name}’ bij stap {number} ({shown(wrong.count)}×)"
    title = scenario.title.nl if scenario else item.scenario
    if item.versions > 1:
        title = f"{title}, {version_label(item.content)}"
    return StatsRow(
        scenario=item.scenario,
        title=title,
        started=shown(item.started),
        finished=shown(item.finished),
        rate=shown_rate(item),
        median=shown_duration(item.median_seconds),
        trouble=trouble,
        wrong_choice=choice,
        bar_started=_bar(item.started),
        bar_finished=_bar(item.finished),
    )


def stats_rows(period: PeriodStats, scenarios: dict[str, Scenario]) -> tuple[StatsRow, ...]:
    """Every scenario the kiosk offers (also those not practised yet), then any others; a row
    per content version for an exercise played in more than one."""
    ids = list(scenarios) + [s.scenario for s in period.scenarios if s.scenario not in scenarios]
    return tuple(
        stats_row(item, scenarios.get(i)) for i in dict.fromkeys(ids) for item in period.rows_of(i)
    )


def stats_text(periods: tuple[PeriodStats, ...], scenarios: dict[str, Scenario]) -> str:
    """The statistics as plain text tables, for a terminal."""
    lines: list[str] = []
    for period in periods:
        lines.append(f"Last {period.days} days (since {period.first_day})")
        header = ("scenario", "started", "finished", "rate", "median")
        rows = stats_rows(period, scenarios)
        width = max([len(header[0]), *(len(r.title) for r in rows)])
        lines.append(
            f"  {header[0]:<{width}}  {'started':>8}  {'finished':>8}  {'rate':>5}  {'median':>6}"
        )
        for row in rows:
            lines.append(
                f"  {row.title:<{width}}  {row.started:>8}  {row.finished:>8}  {row.rate:>5}  "
                f"{row.median:>6}"
            )
            for trouble in row.trouble:
                lines.append(f"      wrong most often at: {trouble}")
            if row.wrong_choice:
                lines.append(f"      most-chosen wrong element: {row.wrong_choice}")
        lines.append("")
    lines.append(
        f"Counts below {SMALL} are shown as '< {SMALL}': small numbers can point to a "
        "person. Rates and medians need at least 5 runs."
    )
    return "\n".join(lines)
