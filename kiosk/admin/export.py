"""Export of the practice log for staff: statistics as CSV and JSON, raw events on request.

The statistics follow the same rule as the screens: a count from 1 to 4 is
written as "< 5". The raw events are anonymous (ids, counts, durations) and
only written when staff choose so.
"""

from __future__ import annotations

import csv
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.progress.stats import (
    PERIODS,
    SMALL,
    PeriodStats,
    ScenarioStats,
    period_stats,
    shown,
)
from kiosk.progress.store import COLUMNS

if TYPE_CHECKING:
    from sqlite_utils import Database

ALL_DAYS = 100_000
"""A period that reaches back over the whole log."""

STATS_FIELDS = (
    "period_days",
    "first_day",
    "scenario",
    "content_version",
    "started",
    "finished",
    "finish_rate_percent",
    "median_seconds",
    "trouble_steps",
    "most_chosen_wrong_step",
    "most_chosen_wrong_element",
    "most_chosen_wrong_count",
)
EVENT_FIELDS = ("seq", *COLUMNS)


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    files: tuple[Path, ...]
    events: int


def stats_row(period: PeriodStats, item: ScenarioStats) -> dict[str, object]:
    rate = item.finish_rate
    choice = item.wrong_choice
    return {
        "period_days": "all" if period.days >= ALL_DAYS else period.days,
        "first_day": period.first_day if period.days < ALL_DAYS else "",
        "scenario": item.scenario,
        "content_version": item.content,
        "started": shown(item.started),
        "finished": shown(item.finished),
        "finish_rate_percent": "" if rate is None else round(rate * 100),
        "median_seconds": "" if item.median_seconds is None else item.median_seconds,
        "trouble_steps": "; ".join(f"{t.step} ({shown(t.wrong)})" for t in item.trouble),
        "most_chosen_wrong_step": choice.step if choice else "",
        "most_chosen_wrong_element": choice.element if choice else "",
        "most_chosen_wrong_count": shown(choice.count) if choice else "",
    }


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:40] or "kiosk"


def export(
    db: Database,
    target: Path,
    kiosk_name: str,
    raw: bool = False,
    now: float | None = None,
) -> ExportResult:
    """Write the export into a new folder inside `target`; OSError when that fails."""
    now = time.time() if now is None else now
    stamp = time.strftime("%Y%m%d-%H%M", time.localtime(now))
    folder = target / f"oefenkiosk-{_safe_name(kiosk_name)}-{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    periods = [period_stats(db, days, now) for days in (*PERIODS, ALL_DAYS)]
    rows = [stats_row(period, item) for period in periods for item in period.scenarios]
    about = {
        "kiosk": kiosk_name,
        "written": time.strftime("%Y-%m-%dT%H:%M", time.localtime(now)),
        "note": f"Counts below {SMALL} are written as '< {SMALL}'.",
    }
    files = [
        _write_csv(folder / "statistiek.csv", STATS_FIELDS, rows),
        _write_json(folder / "statistiek.json", {**about, "statistics": rows}),
    ]
    count = 0
    if raw:
        events = [
            dict(zip(EVENT_FIELDS, row, strict=True))
            for row in db.execute(f"SELECT {', '.join(EVENT_FIELDS)} FROM events ORDER BY seq")
        ]
        count = len(events)
        files.append(_write_csv(folder / "gebeurtenissen.csv", EVENT_FIELDS, events))
        files.append(_write_json(folder / "gebeurtenissen.json", {**about, "events": events}))
    _sync_folder(folder)
    return ExportResult(folder, tuple(files), count)


def _write_csv(path: Path, fields: tuple[str, ...], rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
        handle.flush()
        os.fsync(handle.fileno())
    return path


def _write_json(path: Path, data: dict) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    return path


def _sync_folder(folder: Path) -> None:
    """A USB stick pulled right after the export still holds complete files."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def export_targets(home: Path | None = None, extra: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """Folders staff can export to: USB sticks first, then the home folder, then `extra`
    (the kiosk's own data folder: always there, also when home is read-only)."""
    candidates: list[Path] = []
    user = os.environ.get("USER", "")
    for base in (Path("/media") / user, Path("/run/media") / user, Path("/media"), Path("/mnt")):
        try:
            entries = sorted(base.iterdir()) if base.is_dir() else []
        except OSError:
            entries = []
        for entry in entries:
            if entry.is_dir() and os.path.ismount(entry) and os.access(entry, os.W_OK):
                candidates.append(entry)
    home = Path.home() if home is None else home
    if os.access(home, os.W_OK):
        candidates.append(home)
    for folder in extra:
        existing = next(p for p in (folder, *folder.parents) if p.exists())
        if os.access(existing, os.W_OK):
            candidates.append(folder)
    return tuple(dict.fromkeys(candidates))
