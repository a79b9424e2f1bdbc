"""The intake: a few questions, one at a time, before the catalogue.

The answers are kept by the app (in memory, for this session only); this screen only
shows the next question and hands each tap on an answer to the app.
"""

from __future__ import annotations

from kivy.app import App
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.presenters import IntakeView, intake_view
from kiosk.ui.screens import load_screen_kv
from kiosk.ui.widgets import common  # noqa: F401 - SpeakButton and SpokenLabel in intake.kv
from kiosk.ui.widgets.common import Pressable

load_screen_kv(__file__)


class IntakeChoiceButton(Pressable):
    choice_id = StringProperty("")
    text = StringProperty("")
    text_help = StringProperty("")
    help_language = StringProperty("")
    icon = StringProperty("")
    natural_height = NumericProperty(0)
    """As tall as its own words; every answer gets the tallest one's height."""


class IntakeScreen(Screen):
    question_id = StringProperty("")
    question = StringProperty("")
    question_help = StringProperty("")
    help_language = StringProperty("")
    back_text = StringProperty("")
    back_help = StringProperty("")
    skip_text = StringProperty("")
    skip_help = StringProperty("")

    def on_pre_enter(self, *_args) -> None:
        self._show()

    def on_enter(self, *_args) -> None:
        self._read_aloud()

    def _even_heights(self, *_args) -> None:
        """All answers equally tall: a row of buttons with ragged tops looks broken."""
        buttons = self.ids.choices.children
        tallest = max((b.natural_height for b in buttons), default=0)
        for button in buttons:
            button.height = tallest

    def refresh_language(self) -> None:
        self._show()

    def refresh(self, *_args) -> None:
        """The next question, after an answer or 'Terug': shown, and read aloud."""
        self._show()
        if self.manager is not None and self.manager.current == self.name:
            self._read_aloud()

    def _show(self) -> None:
        app = App.get_running_app()
        view = intake_view(app.intake_answers, app.language)
        if view is not None:
            self._draw(view)

    def _draw(self, view: IntakeView) -> None:
        self.question_id = view.question_id
        self.question = view.question.nl
        self.question_help = view.question.help or ""
        self.help_language = view.question.help_language or ""
        self.back_text, self.back_help = view.back.nl, view.back.help or ""
        self.skip_text, self.skip_help = view.skip.nl, view.skip.help or ""
        grid = self.ids.choices
        grid.clear_widgets()
        for choice in view.choices:
            button = IntakeChoiceButton(
                choice_id=choice.id,
                text=choice.text.nl,
                text_help=choice.text.help or "",
                help_language=choice.text.help_language or "",
                icon=choice.pictogram,
            )
            button.bind(on_release=lambda b: self.answer(b.choice_id))
            button.bind(natural_height=self._even_heights)
            grid.add_widget(button)
        self._even_heights()
        self.ids.scroll.scroll_y = 1

    def _read_aloud(self) -> None:
        if App.get_running_app().speaker.auto_read:
            self.read_question(auto=True)

    def read_question(self, auto: bool = False) -> None:
        """Read the question like a step's instruction: by itself in the visitor's language
        when it can be heard there, else in Dutch."""
        speaker = App.get_running_app().speaker
        if auto and self.question_help and speaker.can_speak(self.help_language):
            speaker.say(
                "intake", self.question_help, self.help_language, None, self.ids.question_help
            )
        else:
            speaker.say("intake", self.question, "nl", None, self.ids.question)

    def answer(self, choice_id: str) -> None:
        app = App.get_running_app()
        app.answer_intake({**app.intake_answers, self.question_id: choice_id})

    def back(self) -> None:
        """The previous question; before the first, the welcome screen."""
        from kiosk.scenario.route import without_last

        app = App.get_running_app()
        if not app.intake_answers:
            app.go_welcome()
            return
        app.answer_intake(without_last(app.intake_answers))

    def skip(self) -> None:
        App.get_running_app().skip_intake()
