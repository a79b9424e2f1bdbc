"""Dates relative to the day an exercise is played, written the way Dutch services write them.

Content says `today + 6 weeks` (or `vandaag + 6 weken`); the engine is given
"today" by its caller, so nothing here reads a clock.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTH_NUMBER = {name: number for number, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBER.update({name[:3]: number for name, number in list(_MONTH_NUMBER.items())})
_MONTH_NUMBER["mrt"] = 3

_UNITS = {
    "day": "days",
    "days": "days",
    "dag": "days",
    "dagen": "days",
    "week": "weeks",
    "weeks": "weeks",
    "weken": "weeks",
    "month": "months",
    "months": "months",
    "maand": "months",
    "maanden": "months",
    "year": "years",
    "years": "years",
    "jaar": "years",
}
_RELATIVE = re.compile(
    r"^\s*(today|vandaag)\s*(?:([+-])\s*(\d{1,4})\s*([a-z]+))?\s*$", re.IGNORECASE
)
_FIXED = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


class DateError(ValueError):
    """A date expression the format does not know; the message is plain Dutch."""


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def resolve_date(expression: str, today: date) -> date:
    """The date `expression` stands for, played on `today`."""
    fixed = _FIXED.match(expression)
    if fixed:
        try:
            return date(*(int(g) for g in fixed.groups()))
        except ValueError:
            raise DateError(f"{expression!r} is geen bestaande datum") from None
    match = _RELATIVE.match(expression)
    if not match:
        raise DateError(
            f"{expression!r} is geen datum die de kiosk kent; schrijf bijvoorbeeld "
            "'today + 6 weeks', 'vandaag - 2 dagen' of '2026-12-12'"
        )
    _, sign, amount, unit = match.groups()
    if sign is None:
        return today
    unit_name = _UNITS.get(unit.lower())
    if unit_name is None:
        raise DateError(f"onbekende eenheid {unit!r}; gebruik dagen, weken, maanden of jaren")
    count = int(amount) * (-1 if sign == "-" else 1)
    if unit_name == "days":
        return today + timedelta(days=count)
    if unit_name == "weeks":
        return today + timedelta(weeks=count)
    if unit_name == "months":
        return _add_months(today, count)
    return _add_months(today, 12 * count)


def dutch_long(day: date) -> str:
    """'12 januari 2027', as letters and pages of Dutch services write a date."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dutch_digits(day: date) -> str:
    """'12-01-2027', as forms show a date."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def parse_typed_date(text: str) -> tuple[int, int, int] | None:
    """(day, month, year) from what a visitor typed: 12-1-2027, 12/01/2027, 12012027,
    12 januari 2027, 12 jan. 2027; None when it is not a date."""
    words = re.findall(r"[A-Za-z]+", text)
    numbers = re.findall(r"\d+", text)
    if words:
        if len(words) != 1 or len(numbers) != 2:
            return None
        month = _MONTH_NUMBER.get(words[0].lower())
        if month is None:
            return None
        return int(numbers[0]), month, int(numbers[1])
    if len(numbers) == 1 and len(numbers[0]) == 8:
        numbers = [numbers[0][:2], numbers[0][2:4], numbers[0][4:]]
    if len(numbers) != 3:
        return None
    day, month, year = (int(n) for n in numbers)
    return day, month, year
