"""Welcome: the attract screen, a big start button and the language choice."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.presenters import ui, welcome_view
from kiosk.ui.screens import load_screen_kv
from kiosk.ui.widgets.language import LanguageButton, language_buttons

load_screen_kv(__file__)


class WelcomeScreen(Screen):
    title = StringProperty("")
    subtitle = StringProperty("")
    start_text = StringProperty("")
    choose_text = StringProperty("")
    title_help = StringProperty("")
    subtitle_help = StringProperty("")
    start_help = StringProperty("")
    help_language = StringProperty("")
    code_text = StringProperty("")
    code_help = StringProperty("")

    def on_pre_enter(self, *_args) -> None:
        self.refresh()

    def refresh(self, *_args) -> None:
        app = App.get_running_app()
        view = welcome_view(app.language)
        self.title = view.title.nl
        self.subtitle = view.subtitle.nl
        self.start_text = view.start.nl
        self.choose_text = view.choose_language.nl
        self.title_help = view.title.help or ""
        self.subtitle_help = view.subtitle.help or ""
        self.start_help = view.start.help or ""
        self.help_language = view.title.help_language or ""
        code = ui("Ik heb een oefencode", app.language)
        self.code_text, self.code_help = code.nl, code.help or ""
        grid = self.ids.languages
        grid.clear_widgets()
        for button in language_buttons(app.language, self._choose):
            grid.add_widget(button)

    def _choose(self, button: LanguageButton) -> None:
        App.get_running_app().language = button.code  # the app refreshes every screen

    def refresh_language(self) -> None:
        self.refresh()

    def start(self) -> None:
        App.get_running_app().begin_visit()

    def have_code(self) -> None:
        App.get_running_app().go_resume()
