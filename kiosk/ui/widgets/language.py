"""Choosing the help language: on the welcome screen, and one tap away everywhere else."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.modalview import ModalView

from kiosk.i18n.languages import language
from kiosk.ui.presenters import ui, welcome_view
from kiosk.ui.widgets import load_widget_kv
from kiosk.ui.widgets.common import Pressable


class LanguageButton(Pressable):
    code = StringProperty("")
    native_name = StringProperty("")
    script = StringProperty("latin")
    selected = BooleanProperty(False)


class LanguageChoice(Pressable):
    """The banner's language button: the current language, in its own script."""

    native_name = StringProperty("")
    script = StringProperty("latin")

    def on_release(self) -> None:
        LanguagePicker().open()


def language_buttons(current: str, on_choose) -> list[LanguageButton]:
    """One button per language, named in its own script, the current one selected."""
    buttons = []
    enabled = App.get_running_app().settings.enabled_languages
    for choice in welcome_view(current, enabled).languages:
        button = LanguageButton(
            code=choice.code,
            native_name=choice.native_name,
            script=choice.script,
            selected=choice.selected,
        )
        button.bind(on_release=on_choose)
        buttons.append(button)
    return buttons


class LanguagePicker(ModalView):
    title = StringProperty("")
    title_help = StringProperty("")
    help_language = StringProperty("")

    def on_pre_open(self) -> None:  # before the opening animation, so a quick tap finds it
        app = App.get_running_app()
        words = ui("Kies uw taal", app.language)
        self.title, self.title_help = words.nl, words.help or ""
        self.help_language = app.language if app.language != "nl" else ""
        grid = self.ids.grid
        grid.clear_widgets()
        for button in language_buttons(app.language, self._choose):
            grid.add_widget(button)

    def _choose(self, button: LanguageButton) -> None:
        App.get_running_app().language = button.code
        self.dismiss()


def current_language_name(code: str) -> tuple[str, str]:
    lang = language(code)
    return lang.native_name, lang.script


load_widget_kv(__file__)
