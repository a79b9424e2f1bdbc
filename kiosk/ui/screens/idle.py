"""'Bent u er nog?': a full-screen question with a countdown over any screen."""

from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty
from kivy.uix.modalview import ModalView

from kiosk.ui.presenters import ui
from kiosk.ui.screens import load_screen_kv

load_screen_kv(__file__)


class IdleOverlay(ModalView):
    seconds_left = NumericProperty(30)
    question = StringProperty("")
    explanation = StringProperty("")
    button_text = StringProperty("")
    __events__ = ("on_still_here",)

    def fill(self, lang: str) -> None:
        self.words = ui("Bent u er nog?", lang)
        self.question = self.words.nl
        self.button_text = ui("Ja, ik ben er nog", lang).nl
        self._explanation = ui(
            "Over {n} seconden stopt de oefening. Wat u typte, wordt gewist.", lang
        ).nl
        self.on_seconds_left()

    def on_seconds_left(self, *_args) -> None:
        template = getattr(self, "_explanation", "")
        self.explanation = template.format(n=int(self.seconds_left))

    def on_still_here(self) -> None:
        pass
