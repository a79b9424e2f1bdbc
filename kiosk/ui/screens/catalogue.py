"""Catalogue: the 7 themes as big tiles, then the scenarios of a theme."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.presenters import scenario_cards, theme_tiles, theme_title, ui
from kiosk.ui.screens import load_screen_kv
from kiosk.ui.widgets.common import Pressable

load_screen_kv(__file__)


class ThemeTileButton(Pressable):
    theme_id = StringProperty("")
    name = StringProperty("")
    label = StringProperty("")
    icon = StringProperty("")
    available = BooleanProperty(True)


class ScenarioButton(Pressable):
    scenario_id = StringProperty("")
    title = StringProperty("")
    details = StringProperty("")
    icon = StringProperty("")
    level = NumericProperty(1)


class CatalogueScreen(Screen):
    theme = StringProperty("")
    heading = StringProperty("")
    back_text = StringProperty("")

    def on_pre_enter(self, *_args) -> None:
        self.refresh()

    def show_theme(self, theme_id: str) -> None:
        self.theme = theme_id
        self.refresh()

    def back(self) -> None:
        app = App.get_running_app()
        if self.theme:
            self.theme = ""
            self.refresh()
        else:
            app.go_welcome()

    def refresh(self, *_args) -> None:
        app = App.get_running_app()
        lang = app.language
        self.back_text = ui("Terug", lang).nl
        grid = self.ids.grid
        grid.clear_widgets()
        if not self.theme:
            self.heading = ui("Waarmee wilt u oefenen?", lang).nl
            for tile in theme_tiles(app.library, lang):
                button = ThemeTileButton(
                    theme_id=tile.id,
                    name=tile.name.nl,
                    label=tile.label.nl,
                    icon=tile.pictogram,
                    available=tile.available,
                )
                if tile.available:
                    button.bind(on_release=lambda b: self.show_theme(b.theme_id))
                grid.add_widget(button)
            return
        self.heading = theme_title(self.theme, lang).nl
        for card in scenario_cards(app.library, self.theme, lang):
            details = (
                f"{card.organisation}  \u00b7  {card.minutes.nl}  \u00b7  {card.level_label.nl}"
            )
            button = ScenarioButton(
                scenario_id=card.id,
                title=card.title.nl,
                details=details,
                icon=card.pictogram,
                level=card.level,
            )
            button.bind(on_release=lambda b: app.start_practice(b.scenario_id))
            grid.add_widget(button)
        self.ids.scroll.scroll_y = 1
