"""Catalogue: the 7 themes as big tiles, then the scenarios of a theme."""

from __future__ import annotations

from typing import NamedTuple

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.ui.presenters import (
    ScenarioCard,
    ThemeTile,
    route_cards,
    scenario_cards,
    theme_tiles,
    theme_title,
    ui,
)
from kiosk.ui.reuse import KeptBuilds
from kiosk.ui.screens import load_screen_kv
from kiosk.ui.visit_views import welcome_back
from kiosk.ui.widgets.common import Pressable

load_screen_kv(__file__)

KEPT_LISTS = 6
"""Lists of theme tiles kept built, the most recently shown first: one per language in
use. Building one takes about 100 ms (a label costs most of a millisecond), showing a
kept one a few."""

KEPT_BUTTONS = 40
"""Exercise buttons kept built, the most recently shown first, by what each shows (its
card, number, done or not, help language): the list of the theme just practised, shown
again after an exercise, builds only that exercise's button anew. A few themes' lists:
each button kept is memory, and objects every tidy-up between visitors walks."""


class TilesKey(NamedTuple):
    tiles: tuple[ThemeTile, ...]
    help_language: str


class ButtonKey(NamedTuple):
    card: ScenarioCard
    number: str
    """The place on the visitor's route ("" in a theme's list)."""
    done: bool
    help_language: str


class ThemeTileButton(Pressable):
    theme_id = StringProperty("")
    name = StringProperty("")
    name_help = StringProperty("")
    help_language = StringProperty("")
    label = StringProperty("")
    icon = StringProperty("")
    available = BooleanProperty(True)


class ScenarioButton(Pressable):
    scenario_id = StringProperty("")
    title = StringProperty("")
    title_help = StringProperty("")
    help_language = StringProperty("")
    details = StringProperty("")
    icon = StringProperty("")
    level = NumericProperty(1)
    done = BooleanProperty(False)
    number = StringProperty("")
    """The place in the intake's route ('1', '2', ...); '' elsewhere."""


class CatalogueScreen(Screen):
    theme = StringProperty("")
    heading = StringProperty("")
    back_text = StringProperty("")
    back_help = StringProperty("")
    heading_help = StringProperty("")
    help_language = StringProperty("")
    stop_text = StringProperty("")
    stop_help = StringProperty("")
    back_title = StringProperty("")
    back_done = StringProperty("")
    back_help_text = StringProperty("")
    go_on_text = StringProperty("")
    go_on_help = StringProperty("")
    route_title = StringProperty("")
    route_help = StringProperty("")
    themes_title = StringProperty("")
    themes_help = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._tiles = KeptBuilds(KEPT_LISTS)
        self._buttons = KeptBuilds(KEPT_BUTTONS)

    def on_pre_enter(self, *_args) -> None:
        self.refresh()

    def wipe(self) -> None:
        """The session ended: keep only what the next visitor sees first (Dutch, no ticks,
        no route), so nothing of this visit is shown again and the memory kept between
        visitors does not depend on the languages this visitor chose."""
        self.ids.grid.clear_widgets()
        self.ids.route_grid.clear_widgets()
        self._tiles.keep_only(lambda key: key.help_language == "")
        self._buttons.keep_only(
            lambda key: key.help_language == "" and not key.done and not key.number
        )

    @staticmethod
    def _fill(grid: Widget, widgets: list[Widget]) -> None:
        grid.clear_widgets()
        for widget in widgets:
            grid.add_widget(widget)

    def show_theme(self, theme_id: str) -> None:
        self.theme = theme_id
        self.refresh()

    def refresh_language(self) -> None:
        self.refresh()

    def back(self) -> None:
        app = App.get_running_app()
        if self.theme:
            self.theme = ""
            self.refresh()
        else:
            app.go_welcome()

    def stop(self) -> None:
        App.get_running_app().show_goodbye()

    def go_on(self) -> None:
        App.get_running_app().resume_practice()

    def _show_welcome_back(self, app, lang: str) -> None:
        returning = app.visit.returning
        if returning is None or self.theme:
            self.back_title = self.back_done = self.back_help_text = ""
            self.go_on_text = self.go_on_help = ""
            return
        view = welcome_back(app.visit.progress, app.library, lang)
        self.back_title = view.title.nl
        self.back_done = view.done.nl
        helps = [t.help for t in (view.title, view.done) if t.help]
        self.back_help_text = " ".join(helps)
        self.go_on_text = view.go_on.nl if view.go_on else ""
        self.go_on_help = (view.go_on.help or "") if view.go_on else ""

    def refresh(self, *_args) -> None:
        app = App.get_running_app()
        lang = app.language
        self.help_language = lang if lang != "nl" else ""
        back = ui("Terug", lang)
        self.back_text, self.back_help = back.nl, back.help or ""
        stop = ui("Stoppen", lang)
        self.stop_text, self.stop_help = stop.nl, stop.help or ""
        self._show_welcome_back(app, lang)
        self._show_route(app.route() if not self.theme else (), lang)
        if not self.theme:
            heading = ui("Waarmee wilt u oefenen?", lang)
            self.heading, self.heading_help = heading.nl, heading.help or ""
            tiles = theme_tiles(app.library, lang)
            key = TilesKey(tiles, self.help_language)
            self._fill(self.ids.grid, self._tiles.get(key, lambda: self._theme_tiles(tiles)))
            return
        heading = theme_title(self.theme, lang)
        self.heading, self.heading_help = heading.nl, heading.help or ""
        cards = scenario_cards(app.library, self.theme, lang)
        self._fill(self.ids.grid, [self._scenario_button(card) for card in cards])
        self.ids.scroll.scroll_y = 1

    def _theme_tiles(self, tiles: tuple[ThemeTile, ...]) -> list[Widget]:
        buttons = []
        for tile in tiles:
            button = ThemeTileButton(
                theme_id=tile.id,
                name=tile.name.nl,
                name_help=tile.name.help or "",
                label=tile.label.nl,
                help_language=self.help_language,
                icon=tile.pictogram,
                available=tile.available,
            )
            if tile.available:
                button.bind(on_release=lambda b: self.show_theme(b.theme_id))
            buttons.append(button)
        return buttons

    def _show_route(self, route: tuple[str, ...], lang: str) -> None:
        """'Uw route': the exercises the intake put first, numbered, above the themes."""
        route_grid = self.ids.route_grid
        if not route:
            route_grid.clear_widgets()
            self.route_title = self.route_help = self.themes_title = self.themes_help = ""
            return
        title, themes = ui("Uw route", lang), ui("Alle thema's", lang)
        self.route_title, self.route_help = title.nl, title.help or ""
        self.themes_title, self.themes_help = themes.nl, themes.help or ""
        app = App.get_running_app()
        cards = route_cards(app.library, route, lang)
        buttons = [self._scenario_button(c, str(n)) for n, c in enumerate(cards, start=1)]
        self._fill(route_grid, buttons)

    def _scenario_button(self, card: ScenarioCard, number: str = "") -> ScenarioButton:
        done = card.id in App.get_running_app().visit.progress.finished
        key = ButtonKey(card, number, done, self.help_language)
        return self._buttons.get(key, lambda: self._new_scenario_button(card, number, done))

    def _new_scenario_button(self, card: ScenarioCard, number: str, done: bool) -> ScenarioButton:
        details = "  \u00b7  ".join((card.organisation.nl, card.minutes.nl, card.level_label.nl))
        app = App.get_running_app()
        button = ScenarioButton(
            scenario_id=card.id,
            title=card.title.nl,
            title_help=card.title.help or "",
            details=details,
            help_language=self.help_language,
            icon=card.pictogram,
            level=card.level,
            number=number,
            done=done,
        )
        button.bind(on_release=lambda b: app.start_practice(b.scenario_id))
        return button
