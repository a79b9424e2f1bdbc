"""Volunteer mode: a panel over the right side of the kiosk, the simulation stays usable.

It shows the step's notes and the expected action, lets the volunteer skip a
step, restart, or pick a scenario for the visitor, tells the session so far,
and shows the statistics. It closes itself after a while without a touch on it.
"""

from __future__ import annotations

import time

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.screens import load_screen_kv
from kiosk.ui.staff_views import StepGuide, session_lines, step_guide
from kiosk.ui.visit_views import returning_lines
from kiosk.ui.widgets.common import KioskButton, WrapLabel
from kiosk.ui.widgets.statistics import StatsView  # noqa: F401 - used in volunteer.kv

load_screen_kv(__file__)

CLOSE_AFTER = 90.0
"""Seconds without a touch on the panel before volunteer mode closes itself."""

TABS = ("step", "choose", "session", "statistics")


class VolunteerPanel(BoxLayout):
    tab = StringProperty("step")
    scenario = StringProperty("")
    position = StringProperty("")
    step = StringProperty("")
    expected = StringProperty("")
    notes = StringProperty("")
    tries = StringProperty("")
    about = StringProperty("")
    """What the exercise imitates, and the field guide's sources."""
    kiosk_name = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.last_touch = time.monotonic()
        self._clock = Clock.schedule_interval(self._check_idle, 1.0)

    # --- touches stay on the panel; each one keeps it open ----------------------------------

    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos):
            return False
        self.last_touch = time.monotonic()
        super().on_touch_down(touch)
        return True

    def on_touch_move(self, touch) -> bool:
        return super().on_touch_move(touch) or self.collide_point(*touch.pos)

    def on_touch_up(self, touch) -> bool:
        return super().on_touch_up(touch) or self.collide_point(*touch.pos)

    def _check_idle(self, _dt) -> None:
        if time.monotonic() - self.last_touch > CLOSE_AFTER:
            App.get_running_app().modes.close_volunteer("inactive")

    def stop_clock(self) -> None:
        self._clock.cancel()

    # --- tabs -------------------------------------------------------------------------------

    def on_kv_post(self, base_widget) -> None:
        # ids hold weak references: keep the tabs alive while they are not shown
        self._tabs = {
            "step": self.ids.step_tab.__self__,
            "choose": self.ids.choose_tab.__self__,
            "session": self.ids.session.__self__,
            "statistics": self.ids.stats.__self__,
        }
        self.show_tab(self.tab)

    def show_tab(self, tab: str) -> None:
        self.tab = tab
        content = self.ids.content
        content.clear_widgets()
        content.add_widget(self._tabs[tab])
        self.ids.scroll.scroll_y = 1
        self.refresh()

    def refresh(self, *_args) -> None:
        app = App.get_running_app()
        self.kiosk_name = app.settings.kiosk_name
        if self.tab == "step":
            self._fill_step(app)
        elif self.tab == "choose":
            self._fill_choices(app)
        elif self.tab == "session":
            self._fill_session(app)
        elif self.tab == "statistics":
            app.modes.load_statistics(self.ids.stats, self.ids.stats.days)

    def _fill_step(self, app) -> None:
        run = app.run_state
        practising = run is not None and not run.finished and app.root.current == "practice"
        guide = step_guide(run) if practising else None
        if guide is None:
            guide = StepGuide(
                "", "", "", "", "Er loopt nu geen oefening. Kies er een bij 'Kiezen'.", ""
            )
        self.scenario, self.position, self.step = guide.scenario, guide.position, guide.step
        self.expected, self.notes, self.tries = guide.expected, guide.notes, guide.tries
        self.about = guide.about
        self.ids.step_actions.disabled = not practising
        self.ids.step_actions.opacity = 1 if practising else 0.4

    def _fill_choices(self, app) -> None:
        box = self.ids.choices
        box.clear_widgets()
        for scenario in app.full_library.scenarios:
            button = KioskButton(text=scenario.title.nl, icon="next", font_size=17)
            button.bind(on_release=lambda _b, sid=scenario.id: self.pick(sid))
            box.add_widget(button)

    def _fill_session(self, app) -> None:
        box = self.ids.session
        box.clear_widgets()
        for line in returning_lines(app.visit.returning, app.full_library):
            box.add_widget(WrapLabel(text=line, font_size="16sp", bold=line.startswith("Deze")))
        lines = session_lines(app.recorder, {s.id: s for s in app.full_library.scenarios})
        if not lines and app.visit.returning is None:
            box.add_widget(
                WrapLabel(text="Deze bezoeker heeft nog geen oefening gedaan.", font_size="16sp")
            )
        for line in lines:
            box.add_widget(WrapLabel(text=line.title, bold=True, font_size="17sp"))
            box.add_widget(WrapLabel(text=f"{line.status}. {line.done}.", font_size="16sp"))
            for trouble in line.trouble:
                box.add_widget(WrapLabel(text=f"\u2022 Stap {trouble}", font_size="15sp"))

    # --- actions ----------------------------------------------------------------------------

    def skip(self) -> None:
        App.get_running_app().volunteer_skip()
        self.refresh()

    def restart(self) -> None:
        App.get_running_app().volunteer_restart()
        self.refresh()

    def pick(self, scenario_id: str) -> None:
        App.get_running_app().start_practice(scenario_id)
        self.show_tab("step")

    def close(self) -> None:
        App.get_running_app().modes.close_volunteer("closed")
