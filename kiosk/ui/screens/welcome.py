"""Welcome: the attract screen, a big start button and the language choice."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.presenters import welcome_view
from kiosk.ui.screens import load_screen_kv
from kiosk.ui.widgets.common import Pressable

load_screen_kv(__file__)


class LanguageButton(Pressable):
    code = StringProperty("")
    native_name = StringProperty("")
    script = StringProperty("latin")
    selected = BooleanProperty(False)


class WelcomeScreen(Screen):
    title = StringProperty("")
    subtitle = StringProperty("")
    start_text = StringProperty("")
    choose_text = StringProperty("")

    def on_pre_enter(self, *_args) -> None:
        self.refresh()

    def refresh(self, *_args) -> None:
        app = App.get_running_app()
        view = welcome_view(app.language)
        self.title = view.title.nl
        self.subtitle = view.subtitle.nl
        self.start_text = view.start.nl
        self.choose_text = view.choose_language.nl
        grid = self.ids.languages
        grid.clear_widgets()
        for choice in view.languages:
            button = LanguageButton(
                code=choice.code,
                native_name=choice.native_name,
                script=choice.script,
                selected=choice.selected,
            )
            button.bind(on_release=self._choose)
            grid.add_widget(button)

    def _choose(self, button: LanguageButton) -> None:
        App.get_running_app().language = button.code
        self.refresh()

    def start(self) -> None:
        App.get_running_app().go_catalogue()
