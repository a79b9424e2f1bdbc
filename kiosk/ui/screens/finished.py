"""Finished: what was practised, and the way to the next exercise."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.presenters import FinishedView
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

    def show(self, view: FinishedView) -> None:
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

    def refresh_language(self) -> None:
        App.get_running_app().show_finished()

    def again(self) -> None:
        App.get_running_app().practise_again()

    def other(self) -> None:
        App.get_running_app().choose_other()
