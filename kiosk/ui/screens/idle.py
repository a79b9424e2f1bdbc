"""'Bent u er nog?': a full-screen question with a countdown over any screen."""

from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty
from kivy.uix.modalview import ModalView

from kiosk.ui.presenters import ui, ui_count
from kiosk.ui.screens import load_screen_kv

load_screen_kv(__file__)


class IdleOverlay(ModalView):
    seconds_left = NumericProperty(30)
    question = StringProperty("")
    explanation = StringProperty("")
    button_text = StringProperty("")
    question_help = StringProperty("")
    explanation_help = StringProperty("")
    button_help = StringProperty("")
    help_language = StringProperty("")
    __events__ = ("on_still_here",)

    def fill(self, lang: str) -> None:
        self.words = ui("Bent u er nog?", lang)
        self.question, self.question_help = self.words.nl, self.words.help or ""
        button = ui("Ja, ik ben er nog", lang)
        self.button_text, self.button_help = button.nl, button.help or ""
        self.help_language = lang if lang != "nl" else ""
        self._language = lang
        self.on_seconds_left()

    def on_seconds_left(self, *_args) -> None:
        lang = getattr(self, "_language", None)
        if lang is None:
            return
        explanation = ui_count(  # each second may need another form ("1 seconde", "2 seconden")
            "Over {n} seconde stopt de oefening. Wat u typte, wordt gewist.",
            "Over {n} seconden stopt de oefening. Wat u typte, wordt gewist.",
            int(self.seconds_left),
            lang,
        )
        self.explanation, self.explanation_help = explanation.nl, explanation.help or ""

    def on_still_here(self) -> None:
        pass
