"""Finished: what was practised, and the way to the next exercise."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.presenters import FinishedFacts, FinishedView, finished_view, ui
from kiosk.ui.screens import load_screen_kv
from kiosk.ui.widgets import common  # noqa: F401 - SpeakButton and SpokenLabel in finished.kv

load_screen_kv(__file__)


class FinishedScreen(Screen):
    title = StringProperty("")
    practised = StringProperty("")
    summary = StringProperty("")
    explain = StringProperty("")
    stats = StringProperty("")
    again_text = StringProperty("")
    other_text = StringProperty("")
    spoken = StringProperty("")
    title_help = StringProperty("")
    summary_help = StringProperty("")
    stats_help = StringProperty("")
    again_help = StringProperty("")
    other_help = StringProperty("")
    help_language = StringProperty("")
    stop_text = StringProperty("")
    stop_help = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._facts: FinishedFacts | None = None

    def show(self, facts: FinishedFacts) -> None:
        """Draw a finished run; the screen keeps what it needs to draw it again in another
        language, so it never reaches back into a session that may be wiped by then."""
        self._facts = facts
        self._draw(finished_view(facts, App.get_running_app().language))

    def wipe(self) -> None:
        """The session ended: forget the run, so nothing of it is drawn again."""
        self._facts = None

    def _draw(self, view: FinishedView) -> None:
        self.title = view.title.nl
        self.practised = view.practised.nl
        self.summary = view.summary.nl
        self.explain = view.explain.nl if view.explain else ""
        self.stats = view.stats.nl
        self.again_text = view.again.nl
        self.other_text = view.other.nl
        self.spoken = view.spoken
        self.title_help = view.title.help or ""
        self.summary_help = view.summary.help or ""
        self.stats_help = view.stats.help or ""
        self.again_help = view.again.help or ""
        self.other_help = view.other.help or ""
        self.help_language = view.title.help_language or view.summary.help_language or ""
        stop = ui("Stoppen", App.get_running_app().language)
        self.stop_text, self.stop_help = stop.nl, stop.help or ""

    def refresh_language(self) -> None:
        if self._facts is not None:
            self.show(self._facts)

    def again(self) -> None:
        App.get_running_app().practise_again()

    def other(self) -> None:
        App.get_running_app().choose_other()

    def stop(self) -> None:
        App.get_running_app().show_goodbye()
