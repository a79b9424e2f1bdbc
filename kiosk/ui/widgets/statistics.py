"""Statistics for volunteers and staff: a table, a bar chart, and where people go wrong.

The numbers arrive as `StatsRow`s (kiosk/admin/report.py), already made safe
to show: small counts are "< 5", and their bars have no length that could
give the number away.
"""

from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.admin.report import StatsRow
from kiosk.ui.widgets import load_widget_kv
from kiosk.ui.widgets.common import WrapLabel

SMALL_BAR = -1
"""A bar for a count below 5: drawn as a short hatched stub, the same for 1 to 4."""


class StatBar(BoxLayout):
    label = StringProperty("")
    shown = StringProperty("")
    value = NumericProperty(0)
    maximum = NumericProperty(1)
    colour = StringProperty("action")


class StatsTableRow(BoxLayout):
    title = StringProperty("")
    started = StringProperty("")
    finished = StringProperty("")
    rate = StringProperty("")
    median = StringProperty("")
    header = NumericProperty(0)


class StatsView(BoxLayout):
    """Shows one period's rows; `days` picks 7 or 30 and asks the owner for new rows."""

    days = NumericProperty(7)
    status = StringProperty("")
    __events__ = ("on_period",)

    def choose(self, days: int) -> None:
        if days != self.days:
            self.days = days
        self.dispatch("on_period", days)

    def on_period(self, days: int) -> None:
        pass

    def show(self, rows: tuple[StatsRow, ...]) -> None:
        self.status = "" if rows else "Nog geen oefeningen."
        table, chart, trouble = self.ids.table, self.ids.chart, self.ids.trouble
        for box in (table, chart, trouble):
            box.clear_widgets()
        table.add_widget(
            StatsTableRow(
                title="Oefening",
                started="Gestart",
                finished="Klaar",
                rate="Klaar %",
                median="Tijd",
                header=1,
            )
        )
        counts = [v for r in rows for v in (r.bar_started, r.bar_finished) if v is not None]
        maximum = max([5, *counts])
        for row in rows:
            table.add_widget(
                StatsTableRow(
                    title=row.title,
                    started=row.started,
                    finished=row.finished,
                    rate=row.rate,
                    median=row.median,
                )
            )
            chart.add_widget(WrapLabel(text=row.title, bold=True, font_size="15sp"))
            for label, value, shown, colour in (
                ("Gestart", row.bar_started, row.started, "line"),
                ("Klaar", row.bar_finished, row.finished, "action"),
            ):
                chart.add_widget(
                    StatBar(
                        label=label,
                        shown=shown,
                        value=SMALL_BAR if value is None else value,
                        maximum=maximum,
                        colour=colour,
                    )
                )
            if row.trouble or row.wrong_choice:
                trouble.add_widget(WrapLabel(text=row.title, bold=True, font_size="16sp"))
                for line in row.trouble:
                    trouble.add_widget(
                        WrapLabel(text=f"Vaak fout bij stap {line}", font_size="15sp")
                    )
                if row.wrong_choice:
                    trouble.add_widget(
                        WrapLabel(
                            text=f"Meest gekozen verkeerde knop of vak: {row.wrong_choice}",
                            font_size="15sp",
                        )
                    )


load_widget_kv(__file__)
