"""Coming back: the visitor types the oefencode from an earlier visit.

The digits live in this screen until they are handed to the code book, and are
forgotten when the screen is left; they are never logged.
"""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.screens import load_screen_kv
from kiosk.ui.visit_views import CODE_LENGTH, resume_view, typed_code
from kiosk.ui.widgets.keyboard import OnScreenKeyboard  # noqa: F401 - used in resume.kv

load_screen_kv(__file__)


class ResumeScreen(Screen):
    title = StringProperty("")
    explain = StringProperty("")
    go_on_text = StringProperty("")
    back_text = StringProperty("")
    title_help = StringProperty("")
    explain_help = StringProperty("")
    go_on_help = StringProperty("")
    back_help = StringProperty("")
    help_language = StringProperty("")
    shown_code = StringProperty("")
    message = StringProperty("")
    message_help = StringProperty("")
    problem = BooleanProperty(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._digits = ""

    def on_pre_enter(self, *_args) -> None:
        self.clear()
        self.refresh()

    def on_leave(self, *_args) -> None:
        self.clear()

    def refresh(self, *_args) -> None:
        view = resume_view(App.get_running_app().language)
        self.title, self.title_help = view.title.nl, view.title.help or ""
        self.explain, self.explain_help = view.explain.nl, view.explain.help or ""
        self.go_on_text, self.go_on_help = view.go_on.nl, view.go_on.help or ""
        self.back_text, self.back_help = view.back.nl, view.back.help or ""
        self.help_language = view.title.help_language or ""

    def refresh_language(self) -> None:
        self.refresh()

    def clear(self) -> None:
        self._digits = ""
        self.shown_code = typed_code("")
        self.say(None)

    def type_digit(self, text: str) -> None:
        digits = "".join(c for c in text if c.isdigit())
        if digits and len(self._digits) < CODE_LENGTH:
            self._digits = (self._digits + digits)[:CODE_LENGTH]
            self.shown_code = typed_code(self._digits)
            self.say(None)

    def backspace(self) -> None:
        self._digits = self._digits[:-1]
        self.shown_code = typed_code(self._digits)

    def submit(self) -> None:
        digits, self._digits = self._digits, ""
        self.shown_code = typed_code("")
        App.get_running_app().resume_with_code(digits)

    def say(self, words, problem: bool = True) -> None:
        """A message under the code: why it did not work (None: no message)."""
        self.message = words.nl if words is not None else ""
        self.message_help = (words.help or "") if words is not None else ""
        self.problem = problem

    def back(self) -> None:
        App.get_running_app().go_welcome()
